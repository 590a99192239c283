//! Targets (`head`, `base`, ids, prefixes, `+N`, `LABEL@head`, ...) and their resolution.

use std::fmt;
use std::str::FromStr;

/// A revision target as written on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Head,
    Heads,
    Base,
    /// An exact id, a branch label, or a unique id prefix of 4 or more characters.
    Rev(String),
    /// `+N` (positive) or `-N` (negative) relative to the current revision.
    Relative(i64),
    /// `REV+N` / `REV-N`.
    RevRelative(String, i64),
    /// `LABEL@head`.
    LabelHead(String),
    /// `LABEL@base`.
    LabelBase(String),
}

/// A target string that does not parse (a command-line error, exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid target '{0}'")]
pub struct InvalidTarget(pub String);

impl FromStr for Target {
    type Err = InvalidTarget;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let _ = s;
        todo!("helper: target parse")
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!("helper: target display")
    }
}
