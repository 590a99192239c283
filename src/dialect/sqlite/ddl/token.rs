//! The tokenizer under the DDL parser: SQLite tokens with their byte spans, keywords, and
//! the unquoted spelling of identifiers.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// An unquoted word (keyword or identifier).
    Word,
    /// `"x"`, `[x]` or `` `x` ``.
    Quoted,
    /// `'x'`.
    Str,
    /// `x'ab'`.
    Blob,
    Number,
    /// Any other character.
    Punct,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Whitespace or a comment precedes it.
    pub(super) space_before: bool,
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// Splits `src` into tokens, dropping whitespace and comments. Unterminated quotes and
/// comments run to the end of the text.
pub(super) fn tokenize(src: &str) -> Vec<Token> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    let mut space = false;
    let quoted_end = |pos: usize, close: u8, doubled: bool| -> usize {
        let mut i = pos + 1;
        while i < b.len() {
            if b[i] == close {
                if doubled && i + 1 < b.len() && b[i + 1] == close {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i += 1;
        }
        b.len()
    };
    while pos < b.len() {
        let c = b[pos];
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            space = true;
            pos += 1;
            continue;
        }
        if c == b'-' && b.get(pos + 1) == Some(&b'-') {
            space = true;
            pos = src[pos..].find('\n').map_or(b.len(), |n| pos + n + 1);
            continue;
        }
        if c == b'/' && b.get(pos + 1) == Some(&b'*') {
            space = true;
            pos = src[pos + 2..]
                .find("*/")
                .map_or(b.len(), |n| pos + 2 + n + 2);
            continue;
        }
        let start = pos;
        let kind;
        match c {
            b'\'' => {
                kind = Kind::Str;
                pos = quoted_end(pos, b'\'', true);
            }
            b'"' | b'`' => {
                kind = Kind::Quoted;
                pos = quoted_end(pos, c, true);
            }
            b'[' => {
                kind = Kind::Quoted;
                pos = quoted_end(pos, b']', false);
            }
            b'x' | b'X' if b.get(pos + 1) == Some(&b'\'') => {
                kind = Kind::Blob;
                pos = quoted_end(pos + 1, b'\'', false);
            }
            b'0'..=b'9' => {
                kind = Kind::Number;
                pos = number_end(b, pos);
            }
            b'.' if b.get(pos + 1).is_some_and(u8::is_ascii_digit) => {
                kind = Kind::Number;
                pos = number_end(b, pos);
            }
            _ => {
                let ch = src[pos..].chars().next().unwrap_or(' ');
                if is_word_char(ch) {
                    kind = Kind::Word;
                    pos = src[pos..]
                        .char_indices()
                        .find(|&(_, ch)| !is_word_char(ch))
                        .map_or(b.len(), |(n, _)| pos + n);
                } else {
                    kind = Kind::Punct;
                    pos += ch.len_utf8();
                }
            }
        }
        out.push(Token {
            kind,
            start,
            end: pos,
            space_before: space,
        });
        space = false;
    }
    out
}

pub(super) fn number_end(b: &[u8], mut pos: usize) -> usize {
    while pos < b.len() {
        let c = b[pos];
        if (c == b'e' || c == b'E')
            && matches!(b.get(pos + 1), Some(b'+' | b'-'))
            && !(pos > 1 && b[pos - 1] == b'x')
        {
            pos += 2;
        } else if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' {
            pos += 1;
        } else {
            break;
        }
    }
    pos
}

/// Decodes a quoted token's content.
pub(super) fn unquote(text: &str) -> String {
    let first = text.chars().next().unwrap_or(' ');
    let (close, doubled) = match first {
        '"' => ('"', true),
        '`' => ('`', true),
        '\'' => ('\'', true),
        '[' => (']', false),
        _ => return text.to_string(),
    };
    let inner = &text[1..];
    let inner = inner.strip_suffix(close).unwrap_or(inner);
    if doubled {
        let c = close.to_string();
        inner.replace(&format!("{c}{c}"), &c)
    } else {
        inner.to_string()
    }
}

/// The tokens `toks` as text: comments dropped, one space wherever the source had
/// whitespace or a comment between two tokens.
pub(super) fn join(src: &str, toks: &[Token]) -> String {
    let mut out = String::new();
    for (i, t) in toks.iter().enumerate() {
        if i > 0 && t.space_before {
            out.push(' ');
        }
        out.push_str(&src[t.start..t.end]);
    }
    out
}
