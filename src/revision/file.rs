//! Revision files: parse one, load a directory of them, write a new one.

use super::{Revision, RevisionId};
use std::path::{Path, PathBuf};

/// A revision file that cannot be read or parsed; `line` is 1-based, 0 when not about a line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", location(path, *line))]
pub struct ParseError {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

fn location(path: &Path, line: usize) -> String {
    if line == 0 {
        path.display().to_string()
    } else {
        format!("{}:{line}", path.display())
    }
}

/// Parses the bytes of one revision file found at `path`.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Revision, ParseError> {
    let _ = (path, bytes);
    todo!("helper: parse")
}

/// Loads every `*.sql` file of `dir`, sorted by file name. A missing dir is an error.
pub fn load_dir(dir: &Path) -> Result<Vec<Revision>, ParseError> {
    let _ = dir;
    todo!("helper: load_dir")
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
pub fn render(id: &RevisionId, new: &NewRevision) -> String {
    let _ = (id, new);
    todo!("helper: render")
}

/// `<id>_<slug>.sql` for a message.
pub fn file_name(id: &RevisionId, message: &str) -> String {
    let _ = (id, message);
    todo!("helper: file_name")
}
