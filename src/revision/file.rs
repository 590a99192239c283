//! Revision files: parse one, load a directory of them, write a new one.
//!
//! The format (SPEC "Revision files"):
//!
//! ```sql
//! -- revision: 27c6a30d7c24
//! -- revises: ae1027a6acf0
//! -- message: add email index
//! -- created: 2026-11-22 18:00:00+00:00
//!
//! -- migrate:upgrade
//! CREATE INDEX ix_users_email ON users (email);
//!
//! -- migrate:downgrade
//! DROP INDEX ix_users_email;
//! ```
//!
//! - Before `-- migrate:upgrade` come headers `-- key: value` (spaces around key and value
//!   are ignored), other `--` comments and blank lines; anything else there is an error. A
//!   comment whose text before its first `:` is a lowercase word (`[a-z][a-z0-9_]*`) is a
//!   header, and an unknown header is an error (so a typo such as `-- revison:` is caught).
//! - Headers: `revision` (required), `revises` (required, may be empty, comma-separated for
//!   a merge), `message`, `created`, `branch_labels` (comma-separated `[A-Za-z0-9_-]+`),
//!   `depends_on` (comma-separated ids), `transaction` (only value: `none`).
//! - The markers `-- migrate:upgrade` and `-- migrate:downgrade` must each appear once,
//!   upgrade first, at the start of a line, spelled exactly (trailing whitespace allowed).
//!   A line that is a marker apart from case or spacing (`-- Migrate: upgrade`) is an
//!   error rather than silently becoming SQL.
//! - A section is the text up to the next marker (or the end of the file), with the
//!   newline policy of [`super::checksum`] applied: BOM dropped, CRLF → LF, surrounding
//!   blank lines removed.
//! - A `.sql` file with no header and no marker at all is not a revision: loading it fails,
//!   naming the file and saying what to do, rather than reporting its first SQL line.
//!   Other extensions, hidden files and editor leftovers (`x.sql~`, `.#x.sql`) are skipped.

use super::checksum::normalize;
use super::{HeaderLines, Revision, RevisionId, Section};
use crate::echo::quote;
use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A revision file that cannot be read or parsed; `line` is 1-based, 0 when not about a line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", location(path, *line))]
pub struct ParseError {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

impl ParseError {
    /// An error about `line` (1-based; 0 when not about a line) of the file at `path`.
    pub fn new(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        ParseError {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

fn location(path: &Path, line: usize) -> String {
    if line == 0 {
        path.display().to_string()
    } else {
        format!("{}:{line}", path.display())
    }
}

/// The marker that starts the upgrade section.
pub const UPGRADE_MARKER: &str = "-- migrate:upgrade";
/// The marker that starts the downgrade section.
pub const DOWNGRADE_MARKER: &str = "-- migrate:downgrade";
/// Longest slug [`file_name`] puts after the id.
pub const SLUG_MAX_LEN: usize = 40;

/// The headers a revision file may have, in the order [`render`] writes them.
pub const HEADERS: [&str; 7] = [
    "revision",
    "revises",
    "depends_on",
    "branch_labels",
    "message",
    "created",
    "transaction",
];

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Region {
    Headers,
    Upgrade,
    Downgrade,
}

/// The header values found so far, each with its 1-based line.
#[derive(Default)]
struct Headers {
    seen: [usize; HEADERS.len()],
    revision: Option<RevisionId>,
    revises: Option<Vec<RevisionId>>,
    depends_on: Vec<RevisionId>,
    branch_labels: Vec<String>,
    message: String,
    created: Option<String>,
    transactional: bool,
}

/// Parses the bytes of one revision file found at `path`.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Revision, ParseError> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            return Err(ParseError::new(path, line, "file is not valid UTF-8"));
        }
    };
    parse_text(path, text).map_err(|e| {
        if looks_like_revision(text) {
            e
        } else {
            ParseError::new(
                path,
                0,
                format!(
                    "not a revision file (no `-- revision:` header, no `{UPGRADE_MARKER}` \
                     marker); move it out of the migrations directory, or add the revision \
                     headers and markers (`migrate revision` writes a new file with them)"
                ),
            )
        }
    })
}

/// Whether any line of `text` is a revision file's own: a known header, or a marker
/// (well-formed or not). A `.sql` file with none is some other file in the wrong place.
fn looks_like_revision(text: &str) -> bool {
    text.lines().any(|line| {
        let t = line.trim();
        is_malformed_marker(t)
            || t.strip_prefix("--")
                .and_then(header_parts)
                .is_some_and(|(key, _)| HEADERS.contains(&key))
    })
}

/// Parses the text of a revision file.
fn parse_text(path: &Path, text: &str) -> Result<Revision, ParseError> {
    let err = |line: usize, message: String| ParseError::new(path, line, message);

    let mut region = Region::Headers;
    let mut headers = Headers {
        transactional: true,
        ..Headers::default()
    };
    let (mut upgrade_at, mut downgrade_at) = (0usize, 0usize);
    let mut upgrade_lines: Vec<&str> = Vec::new();
    let mut downgrade_lines: Vec<&str> = Vec::new();

    for (index, raw) in text.split('\n').enumerate() {
        let n = index + 1;
        // Every `\r` ending the line goes, not only the one of a CRLF: a section line
        // ending in `\r` would lose it to the newline policy, and the section must
        // already follow that policy (see `section`).
        let line = raw.trim_end_matches('\r');
        let marker = line.trim_end();
        if marker == UPGRADE_MARKER {
            if upgrade_at != 0 {
                return Err(err(
                    n,
                    format!("duplicate `{UPGRADE_MARKER}` marker (first at line {upgrade_at})"),
                ));
            }
            upgrade_at = n;
            region = Region::Upgrade;
            continue;
        }
        if marker == DOWNGRADE_MARKER {
            if downgrade_at != 0 {
                return Err(err(
                    n,
                    format!("duplicate `{DOWNGRADE_MARKER}` marker (first at line {downgrade_at})"),
                ));
            }
            if upgrade_at == 0 {
                return Err(err(
                    n,
                    format!("`{DOWNGRADE_MARKER}` must come after `{UPGRADE_MARKER}`"),
                ));
            }
            downgrade_at = n;
            region = Region::Downgrade;
            continue;
        }
        if is_malformed_marker(line) {
            return Err(err(
                n,
                format!(
                    "malformed marker {}: write exactly `{UPGRADE_MARKER}` or \
                     `{DOWNGRADE_MARKER}` at the start of the line",
                    quote(line.trim())
                ),
            ));
        }
        match region {
            Region::Upgrade => upgrade_lines.push(line),
            Region::Downgrade => downgrade_lines.push(line),
            Region::Headers => header_line(&mut headers, n, line).map_err(|m| err(n, m))?,
        }
    }

    let lines = HeaderLines {
        revision: headers.seen[0],
        revises: headers.seen[1],
        depends_on: headers.seen[2],
        branch_labels: headers.seen[3],
    };
    let Some(id) = headers.revision else {
        return Err(err(0, "missing `-- revision:` header".to_string()));
    };
    let Some(revises) = headers.revises else {
        return Err(err(
            0,
            "missing `-- revises:` header (leave it empty for a base revision)".to_string(),
        ));
    };
    if upgrade_at == 0 {
        return Err(err(0, format!("missing `{UPGRADE_MARKER}` marker")));
    }
    if downgrade_at == 0 {
        return Err(err(0, format!("missing `{DOWNGRADE_MARKER}` marker")));
    }
    Ok(Revision {
        id,
        revises,
        depends_on: headers.depends_on,
        branch_labels: headers.branch_labels,
        message: headers.message,
        created: headers.created,
        transactional: headers.transactional,
        upgrade: section(&upgrade_lines, upgrade_at),
        downgrade: section(&downgrade_lines, downgrade_at),
        path: path.to_path_buf(),
        lines,
    })
}

/// A line that is a marker apart from case, spacing or indentation.
fn is_malformed_marker(line: &str) -> bool {
    let t = line.trim();
    if !t.starts_with("--") || t.len() > 64 {
        return false;
    }
    let squashed: String = t
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    squashed == "--migrate:upgrade" || squashed == "--migrate:downgrade"
}

/// Handles one line before the upgrade marker; `Err` is the message for line `n`.
fn header_line(headers: &mut Headers, n: usize, line: &str) -> Result<(), String> {
    let t = line.trim();
    if t.is_empty() {
        return Ok(());
    }
    let Some(comment) = t.strip_prefix("--") else {
        return Err(format!(
            "SQL before `{UPGRADE_MARKER}`: only `-- key: value` headers, comments and \
             blank lines may come first"
        ));
    };
    let Some((key, value)) = header_parts(comment) else {
        return Ok(()); // an ordinary comment
    };
    let Some(slot) = HEADERS.iter().position(|h| *h == key) else {
        return Err(format!(
            "unknown header {}: expected one of {}",
            quote(key),
            HEADERS.join(", ")
        ));
    };
    let first = headers.seen[slot];
    if first != 0 {
        return Err(format!("duplicate header '{key}' at lines {first} and {n}"));
    }
    headers.seen[slot] = n;
    let value = value.trim();
    match key {
        "revision" => headers.revision = Some(RevisionId::parse(value).map_err(|e| e.to_string())?),
        "revises" => headers.revises = Some(id_list(value)?),
        "depends_on" => headers.depends_on = id_list(value)?,
        "branch_labels" => headers.branch_labels = label_list(value)?,
        "message" => headers.message = value.to_string(),
        "created" => headers.created = (!value.is_empty()).then(|| value.to_string()),
        "transaction" => {
            if value != "none" {
                return Err(format!(
                    "unknown transaction mode {}: the only value is `none`",
                    quote(value)
                ));
            }
            headers.transactional = false;
        }
        _ => unreachable!("every entry of HEADERS is handled"),
    }
    Ok(())
}

/// The key and value of a comment (the text after `--`) that is a header: its text
/// before the first `:` is a lowercase word `[a-z][a-z0-9_]*`, spaces around it ignored.
fn header_parts(comment: &str) -> Option<(&str, &str)> {
    let (key, value) = comment.split_once(':')?;
    let key = key.trim();
    let is_key = key.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    is_key.then_some((key, value))
}

/// The comma-separated entries of `value` (none when it is blank), each trimmed, unique.
fn list(value: &str) -> Result<Vec<&str>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let mut items: Vec<&str> = Vec::new();
    for item in value.split(',').map(str::trim) {
        if item.is_empty() {
            return Err(format!("empty entry in the list {}", quote(value)));
        }
        if items.contains(&item) {
            return Err(format!("{} is listed twice", quote(item)));
        }
        items.push(item);
    }
    Ok(items)
}

fn id_list(value: &str) -> Result<Vec<RevisionId>, String> {
    list(value)?
        .into_iter()
        .map(|item| RevisionId::parse(item).map_err(|e| e.to_string()))
        .collect()
}

fn label_list(value: &str) -> Result<Vec<String>, String> {
    list(value)?
        .into_iter()
        .map(|label| validate_label(label).map(|()| label.to_string()))
        .collect()
}

/// Checks a branch label: `[A-Za-z0-9_][A-Za-z0-9_-]*`, and not a word targets reserve
/// (`head`, `heads`, `base`), so that every label can be named as a target.
pub fn validate_label(label: &str) -> Result<(), String> {
    let well_formed = label
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !well_formed {
        return Err(format!(
            "invalid branch label {}: expected [A-Za-z0-9_] then [A-Za-z0-9_-]*",
            quote(label)
        ));
    }
    if ["head", "heads", "base"].contains(&label) {
        return Err(format!(
            "invalid branch label {}: head, heads and base are reserved target names",
            quote(label)
        ));
    }
    Ok(())
}

/// The section whose marker is on line `marker` and whose lines (without `\r`) follow it.
///
/// Its text already follows the newline policy of [`super::checksum`], so that what is
/// shown, hashed and rendered again is one and the same: surrounding blank lines are left
/// out, and so are BOMs starting the text (with the blank lines each then leaves).
fn section(lines: &[&str], marker: usize) -> Section {
    let blank = |l: &str| l.trim().is_empty();
    let empty = Section {
        sql: String::new(),
        line: marker + 1,
    };
    let Some(mut first) = lines.iter().position(|l| !blank(l)) else {
        return empty;
    };
    let last = lines.iter().rposition(|l| !blank(l)).unwrap_or(first);
    let mut head = lines[first];
    while let Some(rest) = head.strip_prefix('\u{feff}') {
        head = rest;
        if blank(head) {
            let Some(next) = lines[first + 1..=last].iter().position(|l| !blank(l)) else {
                return empty;
            };
            first += 1 + next;
            head = lines[first];
        }
    }
    let mut sql = head.to_string();
    for line in &lines[first + 1..=last] {
        sql.push('\n');
        sql.push_str(line);
    }
    Section {
        sql,
        line: marker + 1 + first,
    }
}

/// Below this many files `load_dir` reads them on the calling thread.
const PARALLEL_MIN_FILES: usize = 64;
/// At most this many threads read and parse files.
const MAX_THREADS: usize = 4;

/// Loads every `*.sql` file of `dir`, sorted by file name. A missing dir is an error.
///
/// Hidden files (`.name`), other extensions and anything that is not a regular file (or a
/// symlink to one) are skipped. Files are read and parsed on up to [`MAX_THREADS`] threads,
/// each taking a contiguous run of the sorted names; the error reported is that of the
/// first bad file in name order.
pub fn load_dir(dir: &Path) -> Result<Vec<Revision>, ParseError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ParseError::new(dir, 0, "migrations directory not found"))
        }
        Err(e) => {
            return Err(ParseError::new(
                dir,
                0,
                format!("cannot read migrations directory: {e}"),
            ))
        }
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| {
            ParseError::new(dir, 0, format!("cannot read migrations directory: {e}"))
        })?;
        let name = entry.file_name();
        if !is_revision_file_name(&name) {
            continue;
        }
        let is_file = match entry.file_type() {
            Ok(t) if t.is_file() => true,
            Ok(t) if t.is_symlink() => fs::metadata(entry.path()).is_ok_and(|m| m.is_file()),
            _ => false,
        };
        if is_file {
            names.push(name);
        }
    }
    names.sort_unstable();
    let paths: Vec<PathBuf> = names.iter().map(|name| dir.join(name)).collect();
    load_files(&paths)
}

/// `*.sql` and not hidden.
fn is_revision_file_name(name: &OsStr) -> bool {
    let path = Path::new(name);
    !name.as_encoded_bytes().starts_with(b".") && path.extension() == Some(OsStr::new("sql"))
}

/// Reads the file at `path` into `buf` (reused between files) and parses it.
///
/// `File::open` and plain `read` calls, rather than `fs::read`, which also asks for the
/// file's metadata: one system call less per file, which is a good part of the cost of
/// loading thousands of small files.
fn load_file(path: &Path, buf: &mut Vec<u8>) -> Result<Revision, ParseError> {
    let unreadable = |e: std::io::Error| ParseError::new(path, 0, format!("cannot read file: {e}"));
    let mut file = fs::File::open(path).map_err(unreadable)?;
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            buf.resize((buf.len() * 2).max(16 * 1024), 0);
        }
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(unreadable(e)),
        }
    }
    drop(file);
    parse(path, &buf[..filled])
}

/// Reads and parses `paths` in order, stopping at the first error.
fn load_run(paths: &[PathBuf]) -> Result<Vec<Revision>, ParseError> {
    let mut buf = Vec::new();
    paths.iter().map(|path| load_file(path, &mut buf)).collect()
}

/// Loads `paths` in parallel contiguous runs; results (and the first error) in input order.
fn load_files(paths: &[PathBuf]) -> Result<Vec<Revision>, ParseError> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, MAX_THREADS);
    if paths.len() < PARALLEL_MIN_FILES {
        return load_run(paths);
    }
    let chunk = paths.len().div_ceil(threads);
    let runs: Vec<Result<Vec<Revision>, ParseError>> = std::thread::scope(|scope| {
        let (first, rest) = paths.split_at(chunk.min(paths.len()));
        let handles: Vec<_> = rest
            .chunks(chunk)
            .map(|run| {
                let spawned = std::thread::Builder::new()
                    .name("migrate-load".into())
                    .spawn_scoped(scope, move || load_run(run));
                (run, spawned)
            })
            .collect();
        // The calling thread takes the first run itself.
        let mut runs = vec![load_run(first)];
        for (run, spawned) in handles {
            runs.push(match spawned {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread to be had: do that run here.
                Err(_) => load_run(run),
            });
        }
        runs
    });
    let mut revisions = Vec::with_capacity(paths.len());
    for run in runs {
        revisions.extend(run?);
    }
    Ok(revisions)
}

/// What a new revision file holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewRevision {
    pub id: Option<RevisionId>,
    pub revises: Vec<RevisionId>,
    pub depends_on: Vec<RevisionId>,
    pub branch_labels: Vec<String>,
    pub message: String,
    /// e.g. `2026-11-22 18:00:00+00:00`
    pub created: String,
    pub transactional: bool,
    pub upgrade_sql: String,
    pub downgrade_sql: String,
}

/// The text of a new revision file in the SPEC format.
///
/// Headers in the order revision, revises, depends_on and branch_labels (each only when
/// non-empty), message, created (only when non-empty), `-- transaction: none` (only when
/// not transactional); then a blank line, the upgrade section, a blank line and the
/// downgrade section; the text ends with exactly one `\n`. Line breaks in the message and
/// `created` become spaces; the SQL gets the newline policy of [`super::checksum`].
///
/// [`parse`] gives back what was rendered, provided the branch labels are valid and no
/// SQL line is (or looks like) a `-- migrate:` marker.
pub fn render(id: &RevisionId, new: &NewRevision) -> String {
    let upgrade = normalize(&new.upgrade_sql);
    let downgrade = normalize(&new.downgrade_sql);
    let mut out = String::with_capacity(256 + upgrade.len() + downgrade.len());
    let mut header = |key: &str, value: &str| {
        out.push_str("-- ");
        out.push_str(key);
        out.push(':');
        if !value.is_empty() {
            out.push(' ');
            out.push_str(value);
        }
        out.push('\n');
    };
    header("revision", id.as_str());
    header("revises", &join_ids(&new.revises));
    if !new.depends_on.is_empty() {
        header("depends_on", &join_ids(&new.depends_on));
    }
    if !new.branch_labels.is_empty() {
        header("branch_labels", &new.branch_labels.join(", "));
    }
    header("message", &one_line(&new.message));
    let created = one_line(&new.created);
    if !created.is_empty() {
        header("created", &created);
    }
    if !new.transactional {
        header("transaction", "none");
    }
    out.push('\n');
    for (marker, sql) in [(UPGRADE_MARKER, &upgrade), (DOWNGRADE_MARKER, &downgrade)] {
        if marker == DOWNGRADE_MARKER {
            out.push('\n');
        }
        out.push_str(marker);
        out.push('\n');
        if !sql.is_empty() {
            out.push_str(sql);
            out.push('\n');
        }
    }
    out
}

fn join_ids(ids: &[RevisionId]) -> String {
    ids.iter()
        .map(RevisionId::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` on one line: each line break (`\r\n`, `\n`, `\r`) becomes a space; trimmed.
fn one_line(text: &str) -> String {
    text.replace("\r\n", " ")
        .replace(['\r', '\n'], " ")
        .trim()
        .to_string()
}

/// `<id>_<slug>.sql` for a message.
///
/// See [`slug`]; when the slug is empty the name is `<id>.sql`.
pub fn file_name(id: &RevisionId, message: &str) -> String {
    let slug = slug(message);
    if slug.is_empty() {
        format!("{id}.sql")
    } else {
        format!("{id}_{slug}.sql")
    }
}

/// The message lowercased, each run of characters other than `[a-z0-9]` replaced by one
/// `_`, without leading or trailing `_`, at most [`SLUG_MAX_LEN`] bytes.
pub fn slug(message: &str) -> String {
    let mut slug = String::with_capacity(message.len().min(SLUG_MAX_LEN * 2));
    let mut gap = false;
    for c in message.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if gap && !slug.is_empty() {
                slug.push('_');
            }
            gap = false;
            slug.push(c);
        } else {
            gap = true;
        }
    }
    let mut end = slug.len().min(SLUG_MAX_LEN);
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    slug.truncate(end);
    slug.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests;
