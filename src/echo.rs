//! What the tool echoes back, kept to one clean line: control characters escaped, line
//! breaks flattened, echoed input and whole error lines bounded in length.
//!
//! Parsers quote user input through [`quote`] at the point of echo, so a 200,000-character
//! header value is never formatted in full; the binary passes its final error message
//! through [`one_line`], which also catches what other layers (SQLite's own messages, a
//! statement quoted from a file) bring across several lines.

use std::fmt::Write;

/// Longest piece of user input, in characters, that [`quote`] shows before cutting it.
pub const QUOTE_MAX_CHARS: usize = 64;
/// Longest line, in characters, that [`one_line`] returns.
pub const LINE_MAX_CHARS: usize = 1000;

/// `input` in single quotes with control characters escaped; input longer than
/// [`QUOTE_MAX_CHARS`] characters is cut, marked `...` and followed by its length.
///
/// ```
/// assert_eq!(migrate::echo::quote("a\rb"), r"'a\rb'");
/// assert_eq!(migrate::echo::quote(&"x".repeat(70)), format!("'{}...' (70 characters)", "x".repeat(64)));
/// ```
pub fn quote(input: &str) -> String {
    let mut out = format!("'{}'", cut(input));
    if out.ends_with("...'") && input.chars().nth(QUOTE_MAX_CHARS).is_some() {
        let _ = write!(out, " ({} characters)", input.chars().count());
    }
    out
}

/// `input` with control characters and line separators escaped, whole: one line that a
/// `--` comment can hold (a name in a `-- WARNING:` line).
///
/// ```
/// assert_eq!(migrate::echo::escape("t\n3"), r"t\n3");
/// ```
pub fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    input.chars().for_each(|c| push_escaped(&mut out, c));
    out
}

/// `input` with control characters escaped, cut after [`QUOTE_MAX_CHARS`] characters and
/// then marked `...`: for input shown inside other delimiters (`[table]`).
pub fn cut(input: &str) -> String {
    let mut out = String::with_capacity(input.len().min(QUOTE_MAX_CHARS) + 3);
    let mut chars = input.chars();
    for c in chars.by_ref().take(QUOTE_MAX_CHARS) {
        push_escaped(&mut out, c);
    }
    if chars.next().is_some() {
        out.push_str("...");
    }
    out
}

/// `message` as one line of at most [`LINE_MAX_CHARS`] characters.
///
/// Each line break (`\n` or `\r\n`), with the blanks around it, becomes `; `; blank lines
/// are dropped; any other control character (a lone `\r`, `\0`, `\x1b`, ...) and the
/// Unicode line separators are escaped. A longer result is cut in the middle, keeping its
/// start (where messages name the file and line) and its end (the engine's own words).
pub fn one_line(message: &str) -> String {
    let pieces: Vec<&str> = message.split('\n').collect();
    let last = pieces.len() - 1;
    let mut flat = String::with_capacity(message.len());
    for (i, piece) in pieces.iter().enumerate() {
        let mut piece = piece.strip_suffix('\r').unwrap_or(piece);
        if i > 0 {
            piece = piece.trim_start();
        }
        if i < last {
            piece = piece.trim_end();
        }
        if piece.is_empty() {
            continue;
        }
        if !flat.is_empty() {
            flat.push_str("; ");
        }
        for c in piece.chars() {
            push_escaped(&mut flat, c);
        }
    }
    cut_middle(flat, LINE_MAX_CHARS)
}

/// The longest marker [`cut_middle`] writes: ` ...(N characters cut)... ` with N < 2^64.
const CUT_MARKER_MAX_CHARS: usize = 45;

/// Appends `c`, escaped when it is a control character or a Unicode line separator.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        c if c.is_ascii_control() => {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        }
        c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// `text` cut to at most `max` characters by replacing its middle with a marker saying
/// how many characters were left out.
fn cut_middle(text: String, max: usize) -> String {
    let total = text.chars().count();
    if total <= max {
        return text;
    }
    // Two thirds of what the marker leaves go to the start.
    let keep = max.saturating_sub(CUT_MARKER_MAX_CHARS);
    let head = keep * 2 / 3;
    let tail = keep - head;
    let byte_at = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    let head_end = byte_at(head);
    let tail_start = byte_at(total - tail);
    format!(
        "{} ...({} characters cut)... {}",
        &text[..head_end],
        total - head - tail,
        &text[tail_start..]
    )
}

#[cfg(test)]
mod tests;
