//! Colours on a terminal: the `error:` and `warning:` prefixes on stderr and the headings of
//! revision details on stdout.
//!
//! Whether a stream gets colours is anstream's decision (the crate clap prints its help
//! with): only a terminal, never a pipe or a file, and never with `NO_COLOR` set;
//! `CLICOLOR_FORCE` forces them. The text itself is never passed through a filter, so
//! what the tool prints of user data (SQL, messages) reaches a pipe byte for byte.

use anstyle::{AnsiColor, Style};

/// The `error:` prefix.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// The `warning:` prefix.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// Headings: `Rev: ...` and the section markers of `show`.
pub const HEADING: Style = Style::new().bold();

/// Whether stderr gets colours.
pub fn on_stderr() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
}

/// Whether stdout gets colours.
pub fn on_stdout() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// `text` in `style` when `on`, else as it is.
pub fn paint(style: Style, text: &str, on: bool) -> String {
    if on {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

/// A stderr line with its `error:` or `warning:` prefix coloured when stderr gets colours.
pub fn stderr_line(line: &str) -> String {
    for (prefix, style) in [("error:", ERROR), ("warning:", WARNING)] {
        if let Some(rest) = line.strip_prefix(prefix) {
            return format!("{}{rest}", paint(style, prefix, on_stderr()));
        }
    }
    line.to_string()
}

/// `text` with its heading lines (`Rev: ...`, `-- migrate:upgrade`, `-- migrate:downgrade`)
/// in bold when stdout gets colours.
pub fn headings(text: &str) -> String {
    if !on_stdout() {
        return text.to_string();
    }
    text.split_inclusive('\n')
        .map(|line| {
            let body = line.trim_end_matches('\n');
            let heading = body.starts_with("Rev: ")
                || body == "-- migrate:upgrade"
                || body == "-- migrate:downgrade";
            match heading {
                true => format!("{}{}", paint(HEADING, body, true), &line[body.len()..]),
                false => line.to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_wraps_only_when_on() {
        assert_eq!(paint(ERROR, "error:", false), "error:");
        let painted = paint(ERROR, "error:", true);
        assert!(painted.starts_with("\u{1b}[") && painted.ends_with("\u{1b}[0m"));
        assert!(painted.contains("error:"));
    }
}
