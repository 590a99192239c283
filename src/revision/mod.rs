//! Revisions: the parsed revision files, the graph they form, targets and plans.

pub mod checksum;
pub mod file;
pub mod graph;
mod order;
pub mod plan;
mod resolve;
mod rows;
mod suggest;
pub mod target;

use std::fmt;
use std::path::PathBuf;

/// A revision identifier: `[A-Za-z0-9_]+`, at most 32 characters (12 lowercase hex by default).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RevisionId(String);

/// Why a string is not a valid revision id.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid revision id {}: expected 1 to 32 characters of [A-Za-z0-9_]", crate::echo::quote(.0))]
pub struct InvalidRevisionId(pub String);

impl RevisionId {
    /// Longest id the version table's `VARCHAR(32)` column holds.
    pub const MAX_LEN: usize = 32;

    /// Validates `s` as a revision id.
    pub fn parse(s: &str) -> Result<Self, InvalidRevisionId> {
        let valid = !s.is_empty()
            && s.len() <= Self::MAX_LEN
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if valid {
            Ok(RevisionId(s.to_string()))
        } else {
            Err(InvalidRevisionId(s.to_string()))
        }
    }

    /// A fresh random id of 12 lowercase hex characters.
    pub fn generate() -> Self {
        use sha2::{Digest, Sha256};
        use std::time::{SystemTime, UNIX_EPOCH};
        // Hash the clock, the pid and a stack address: unique enough for ids, no extra crate.
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let marker = 0u8;
        let seed = format!("{nanos}:{}:{:p}", std::process::id(), &marker);
        let digest = Sha256::digest(seed.as_bytes());
        let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        RevisionId(hex)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RevisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One section (`-- migrate:upgrade` or `-- migrate:downgrade`) of a revision file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// The section's SQL: CRLF normalised to LF, surrounding blank lines trimmed.
    pub sql: String,
    /// 1-based line in the file of the first line of `sql` (for error messages).
    pub line: usize,
}

/// 1-based lines of the headers in the file (0 when the header is absent), for errors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderLines {
    pub revision: usize,
    pub revises: usize,
    pub depends_on: usize,
    pub branch_labels: usize,
}

/// A parsed revision file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    pub id: RevisionId,
    /// Parents (`revises:`): empty for a base, several for a merge.
    pub revises: Vec<RevisionId>,
    /// Revisions that must be applied first without being parents (`depends_on:`).
    pub depends_on: Vec<RevisionId>,
    pub branch_labels: Vec<String>,
    pub message: String,
    /// The `created:` header as written, if any.
    pub created: Option<String>,
    /// False when the file says `-- transaction: none`.
    pub transactional: bool,
    pub upgrade: Section,
    pub downgrade: Section,
    /// Where the file is (as found by joining the migrations dir and the file name).
    pub path: PathBuf,
    pub lines: HeaderLines,
}

impl Revision {
    /// `path:line` for messages about a header of this revision.
    pub fn location(&self, line: usize) -> String {
        if line == 0 {
            self.path.display().to_string()
        } else {
            format!("{}:{line}", self.path.display())
        }
    }
}
