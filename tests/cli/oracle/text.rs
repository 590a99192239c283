//! SQL text as the oracle compares it: the statement's tokens, with whitespace and comments
//! (which SQLite's own tokenizer treats as whitespace) reduced to one space between two
//! words and to nothing elsewhere. Written apart from src/dialect/sqlite/ on purpose.

/// One token of an SQL text: a slice of the source.
struct Token<'a> {
    text: &'a str,
    /// A bare word, a number, a string or a quoted name: a space separates two of these.
    wordish: bool,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// Byte index just past the quoted token opening at `start` (`close` doubled escapes it,
/// except for `]`); the end of the text when it is not closed.
fn past_quote(sql: &str, start: usize, close: char) -> usize {
    let mut chars = sql[start + 1..].char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        if c == close {
            if close != ']' && chars.peek().is_some_and(|&(_, next)| next == close) {
                chars.next();
                continue;
            }
            return start + 1 + offset + c.len_utf8();
        }
    }
    sql.len()
}

fn tokens(sql: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(c) = sql[at..].chars().next() {
        let rest = &sql[at..];
        let end = if c.is_whitespace() {
            at += c.len_utf8();
            continue;
        } else if rest.starts_with("--") {
            at = rest.find('\n').map_or(sql.len(), |n| at + n + 1);
            continue;
        } else if let Some(comment) = rest.strip_prefix("/*") {
            at = comment.find("*/").map_or(sql.len(), |n| at + 2 + n + 2);
            continue;
        } else if matches!(c, '\'' | '"' | '`') {
            past_quote(sql, at, c)
        } else if c == '[' {
            past_quote(sql, at, ']')
        } else if is_word(c) {
            rest.find(|ch: char| !is_word(ch))
                .map_or(sql.len(), |n| at + n)
        } else {
            at + c.len_utf8()
        };
        out.push(Token {
            text: &sql[at..end],
            wordish: is_word(c) || matches!(c, '\'' | '"' | '`' | '['),
        });
        at = end;
    }
    out
}

fn joined(tokens: impl Iterator<Item = (String, bool)>) -> String {
    let mut out = String::new();
    let mut previous_wordish = false;
    for (text, wordish) in tokens {
        if previous_wordish && wordish {
            out.push(' ');
        }
        out.push_str(&text);
        previous_wordish = wordish;
    }
    out
}

/// `sql` normalised for whitespace (and comments) only.
pub fn squeezed(sql: &str) -> String {
    joined(
        tokens(sql)
            .into_iter()
            .map(|t| (t.text.to_string(), t.wordish)),
    )
}

/// `sql` with, beyond [`squeezed`], bare words lower-cased and quotes dropped from names
/// that need none: the spelling SQLite treats as the same name (ASCII case, quoting).
pub fn folded(sql: &str) -> String {
    joined(tokens(sql).into_iter().map(|t| {
        let first = t.text.chars().next().unwrap_or(' ');
        let text = match first {
            '"' | '`' | '[' if t.text.len() >= 2 => {
                let inner = &t.text[1..t.text.len() - 1];
                if !inner.is_empty() && inner.chars().all(is_word) {
                    inner.to_ascii_lowercase()
                } else {
                    t.text.to_string()
                }
            }
            '\'' => t.text.to_string(),
            _ => t.text.to_ascii_lowercase(),
        };
        (text, t.wordish)
    }))
}

/// The name a (possibly quoted) name token stands for.
fn unquoted(token: &str) -> String {
    let mut chars = token.chars();
    let close = match chars.next() {
        Some('"') => '"',
        Some('`') => '`',
        Some('[') => return token[1..].trim_end_matches(']').to_string(),
        _ => return token.to_string(),
    };
    let inner = token[1..].strip_suffix(close).unwrap_or(&token[1..]);
    inner.replace(&format!("{close}{close}"), &close.to_string())
}

/// Index of the `)` closing the `(` at `open` (the last token when it is not closed).
fn closing(tokens: &[Token<'_>], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        match token.text {
            "(" => depth += 1,
            ")" => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return i;
        }
    }
    tokens.len() - 1
}

/// What a `CREATE TABLE` text holds that no pragma reports, as lines in the order
/// written: `constraint NAME` (unquoted), `check(EXPR)`, `as(EXPR)` (a generated
/// column), `on conflict WORD` and `[not] deferrable [initially WORD]` (key words lower
/// case); the expressions [`squeezed`].
pub fn table_clauses(sql: &str) -> Vec<String> {
    let tokens = tokens(sql);
    let word = |i: usize, w: &str| {
        tokens
            .get(i)
            .is_some_and(|t| t.text.eq_ignore_ascii_case(w))
    };
    let lower = |i: usize| {
        tokens
            .get(i)
            .map_or(String::new(), |t| t.text.to_ascii_lowercase())
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let opens_group = tokens.get(i + 1).is_some_and(|t| t.text == "(");
        if word(i, "CONSTRAINT") && i + 1 < tokens.len() {
            out.push(format!("constraint {}", unquoted(tokens[i + 1].text)));
            i += 2;
        } else if (word(i, "CHECK") || word(i, "AS")) && opens_group {
            let end = closing(&tokens, i + 1);
            let body = tokens[i + 2..end]
                .iter()
                .map(|t| (t.text.to_string(), t.wordish));
            out.push(format!("{}({})", lower(i), joined(body)));
            i = end + 1;
        } else if word(i, "ON") && word(i + 1, "CONFLICT") {
            out.push(format!("on conflict {}", lower(i + 2)));
            i += 3;
        } else if word(i, "DEFERRABLE") {
            let mut clause = if word(i.wrapping_sub(1), "NOT") {
                "not deferrable".to_string()
            } else {
                "deferrable".to_string()
            };
            i += 1;
            if word(i, "INITIALLY") {
                clause.push_str(&format!(" initially {}", lower(i + 1)));
                i += 2;
            }
            out.push(clause);
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whitespace_and_comments_are_ignored() {
        assert_eq!(
            squeezed("CREATE INDEX ix ON t (a) -- note\n WHERE  a <> 'x  y'"),
            "CREATE INDEX ix ON t(a)WHERE a<>'x  y'"
        );
        assert_eq!(squeezed("a+b"), squeezed("a /* c */ + b"));
        assert_ne!(squeezed("(lower(e))"), squeezed("lower(e)"));
        assert_ne!(squeezed("\"t\""), squeezed("t"));
        assert_ne!(squeezed("a b"), squeezed("ab"));
    }

    #[test]
    fn folding_ignores_case_and_needless_quotes() {
        assert_eq!(
            folded("CREATE VIEW \"V\" as SELECT"),
            folded("create view v AS select")
        );
        assert_ne!(folded("\"a b\""), folded("a b"));
        assert_ne!(folded("'A'"), folded("'a'"));
    }

    #[test]
    fn clauses_no_pragma_reports_come_out_of_a_table() {
        let sql = "CREATE TABLE t (a INT NOT NULL ON CONFLICT IGNORE CHECK (a > 0), b TEXT, \
                   c AS (CAST(a AS TEXT)) STORED, 'check' TEXT, \
                   CONSTRAINT \"ck b\" CHECK(length(b) < (3)), \
                   CONSTRAINT [fk] FOREIGN KEY (b) REFERENCES p DEFERRABLE INITIALLY Deferred)";
        assert_eq!(
            table_clauses(sql),
            [
                "on conflict ignore",
                "check(a>0)",
                "as(CAST(a AS TEXT))",
                "constraint ck b",
                "check(length(b)<(3))",
                "constraint fk",
                "deferrable initially deferred"
            ]
        );
    }
}
