//! Rename hints in the desired schema's files: a trailing comment
//! `-- migrate:renamed-from OLD` on a column definition (the column was called `OLD`) or
//! on the `CREATE TABLE` line (the table was). The scratch database loses comments, so
//! the hints are read from the files' text; which objects they name is the differ's to
//! decide (`diff::renames`).

use super::lex::{self, LexOptions};
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// The comment's marker, after `--`.
pub const MARKER: &str = "migrate:renamed-from";

/// A name as written: quoted names are exact, unquoted ones match in any case (the
/// engines fold them, or compare them case-insensitively).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub quoted: bool,
}

impl Name {
    /// Whether `name` (as the engine reports it) is the object this name means.
    pub fn matches(&self, name: &str) -> bool {
        if self.quoted {
            self.text == name
        } else {
            self.text.eq_ignore_ascii_case(name)
        }
    }
}

/// One hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameHint {
    /// Where it is written (1-based line).
    pub file: PathBuf,
    pub line: usize,
    /// The table's namespace where its `CREATE TABLE` names one.
    pub namespace: Option<Name>,
    /// The table (its new name).
    pub table: Name,
    /// The column (its new name); `None` for a table's hint.
    pub column: Option<Name>,
    /// The old name of the table or column.
    pub old: Name,
}

impl RenameHint {
    /// `schema.sql:12`, for messages.
    pub fn place(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }
}

/// The hints in `text`, the contents of schema file `file`, lexed as `options` says. An
/// error names file and line for a hint without an old name, or one that is neither on
/// a column definition nor on a `CREATE TABLE` line.
pub fn parse(file: &Path, text: &str, options: &LexOptions) -> Result<Vec<RenameHint>> {
    let marked = marked_lines(text);
    if marked.is_empty() {
        return Ok(Vec::new());
    }
    let at = |line: usize| format!("{}:{line}", file.display());
    let statements =
        lex::split(text, options).map_err(|e| anyhow::anyhow!("{}: {}", at(e.line), e.message))?;
    let lines: Vec<&str> = text.lines().collect();
    let mut hints = Vec::new();
    let mut placed = Vec::new();
    for statement in &statements {
        let table = created_table(&statement.sql);
        // Its lines in the file; the last one may hold a comment after the terminator.
        let first = statement.line;
        let last = first + statement.sql.lines().count().max(1) - 1;
        for &number in marked.iter().filter(|n| (first..=last).contains(*n)) {
            let Some((code, old)) = split_hint(lines[number - 1]) else {
                continue;
            };
            placed.push(number);
            let Some((namespace, table)) = table.clone() else {
                bail!(
                    "{}: a `-- {MARKER}` hint belongs on a column definition or on the \
                     CREATE TABLE line of a table",
                    at(number)
                );
            };
            let Some(old) = old else {
                bail!(
                    "{}: `-- {MARKER}` needs the old name, one unqualified identifier",
                    at(number)
                );
            };
            let column = if number == first {
                None
            } else {
                Some(defined_column(code).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: a `-- {MARKER}` hint inside CREATE TABLE belongs on a column \
                         definition",
                        at(number)
                    )
                })?)
            };
            hints.push(RenameHint {
                file: file.to_path_buf(),
                line: number,
                namespace,
                table,
                column,
                old,
            });
        }
    }
    if let Some(stray) = marked.iter().find(|line| !placed.contains(line)) {
        bail!(
            "{}: a `-- {MARKER}` hint belongs at the end of a column definition or of the \
             CREATE TABLE line",
            at(*stray)
        );
    }
    Ok(hints)
}

/// The 1-based numbers of the lines that hold the marker after `--`.
fn marked_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| split_hint(line).is_some())
        .map(|(i, _)| i + 1)
        .collect()
}

/// The code before a hint comment on `line` and the old name the hint gives (`None`
/// when it gives none); `None` when the line has no hint.
fn split_hint(line: &str) -> Option<(&str, Option<Name>)> {
    let at = line.find(MARKER)?;
    let code = line[..at].trim_end().strip_suffix("--")?;
    let rest = &line[at + MARKER.len()..];
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let words = words(rest);
    let old = match words.as_slice() {
        [Word::Name(name)] => Some(name.clone()),
        _ => None,
    };
    Some((code, old))
}

/// A token of a line: a name (bare or quoted) or any other character.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Word {
    Name(Name),
    Other(char),
}

/// The words of `text`, up to a `--` comment.
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let close = match c {
            '"' => Some('"'),
            '`' => Some('`'),
            '[' => Some(']'),
            _ => None,
        };
        if let Some(close) = close {
            let mut name = String::new();
            while let Some(n) = chars.next() {
                if n == close {
                    if chars.peek() == Some(&close) && close != ']' {
                        chars.next();
                    } else {
                        break;
                    }
                }
                name.push(n);
            }
            out.push(Word::Name(Name {
                text: name,
                quoted: true,
            }));
        } else if c.is_alphanumeric() || c == '_' {
            let mut name = c.to_string();
            while let Some(&n) = chars.peek() {
                if !(n.is_alphanumeric() || n == '_' || n == '$') {
                    break;
                }
                name.push(n);
                chars.next();
            }
            out.push(Word::Name(Name {
                text: name,
                quoted: false,
            }));
        } else if c == '-' && chars.peek() == Some(&'-') {
            break;
        } else if !c.is_whitespace() {
            out.push(Word::Other(c));
        }
    }
    out
}

/// Whether `word` is the bare keyword `keyword`.
fn is_keyword(word: Option<&Word>, keyword: &str) -> bool {
    matches!(word, Some(Word::Name(n)) if !n.quoted && n.text.eq_ignore_ascii_case(keyword))
}

/// The table a `CREATE TABLE` statement creates (its namespace where it names one), or
/// `None` for another statement.
fn created_table(sql: &str) -> Option<(Option<Name>, Name)> {
    let first_line = sql.lines().next().unwrap_or("");
    let words = words(first_line);
    let mut at = words.iter().peekable();
    if !is_keyword(at.next(), "CREATE") {
        return None;
    }
    const MODIFIERS: [&str; 5] = ["TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL"];
    while MODIFIERS.iter().any(|m| is_keyword(at.peek().copied(), m)) {
        at.next();
    }
    if !is_keyword(at.next(), "TABLE") {
        return None;
    }
    if is_keyword(at.peek().copied(), "IF") {
        at.next();
        at.next();
        at.next();
    }
    let Some(Word::Name(first)) = at.next() else {
        return None;
    };
    if at.peek() == Some(&&Word::Other('.')) {
        at.next();
        if let Some(Word::Name(second)) = at.next() {
            return Some((Some(first.clone()), second.clone()));
        }
        return None;
    }
    Some((None, first.clone()))
}

/// The column a line of `CREATE TABLE` defines: its first name, unless that starts a
/// table constraint.
fn defined_column(code: &str) -> Option<Name> {
    const CONSTRAINTS: [&str; 11] = [
        "CONSTRAINT",
        "PRIMARY",
        "UNIQUE",
        "FOREIGN",
        "CHECK",
        "KEY",
        "INDEX",
        "EXCLUDE",
        "FULLTEXT",
        "SPATIAL",
        "LIKE",
    ];
    let words = words(code);
    let first = words
        .iter()
        .find(|w| !matches!(w, Word::Other('(' | ',')))?;
    match first {
        Word::Name(name) if !CONSTRAINTS.iter().any(|k| is_keyword(Some(first), k)) => {
            Some(name.clone())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
