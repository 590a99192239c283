//! Targets (`head`, `base`, ids, prefixes, `+N`, `LABEL@head`, ...) and their resolution.
//!
//! Grammar (anything else is an [`InvalidTarget`]):
//! - `head`, `heads`, `base`;
//! - `+N`, `-N` with N ≥ 1: relative to the revisions the database is at;
//! - `REV+N`, `REV-N` with N ≥ 1: relative to a revision (`REV` may be `head`);
//! - `LABEL@head`, `LABEL@base`;
//! - `REV`: an id, a branch label or an id prefix.
//!
//! `REV` and `LABEL` are `[A-Za-z0-9_][A-Za-z0-9_-]*` (ids never hold `-`, labels may).
//! A text such as `release-2` parses as `REV-N`; the planner resolves it to the branch
//! label `release-2` when one exists by that exact name.

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
        let invalid = || InvalidTarget(s.to_string());
        match s {
            "head" => return Ok(Target::Head),
            "heads" => return Ok(Target::Heads),
            "base" => return Ok(Target::Base),
            _ => {}
        }
        if let Some((label, end)) = s.rsplit_once('@') {
            if !is_name(label) {
                return Err(invalid());
            }
            return match end {
                "head" => Ok(Target::LabelHead(label.to_string())),
                "base" => Ok(Target::LabelBase(label.to_string())),
                _ => Err(invalid()),
            };
        }
        if let Some(at) = s.rfind(['+', '-']) {
            let digits = &s[at + 1..];
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                let n: i64 = digits.parse().map_err(|_| invalid())?;
                if n == 0 {
                    return Err(invalid());
                }
                let n = if s.as_bytes()[at] == b'-' { -n } else { n };
                let rev = &s[..at];
                return if rev.is_empty() {
                    Ok(Target::Relative(n))
                } else if is_name(rev) {
                    Ok(Target::RevRelative(rev.to_string(), n))
                } else {
                    Err(invalid())
                };
            }
        }
        if is_name(s) {
            Ok(Target::Rev(s.to_string()))
        } else {
            Err(invalid())
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Head => f.write_str("head"),
            Target::Heads => f.write_str("heads"),
            Target::Base => f.write_str("base"),
            Target::Rev(rev) => f.write_str(rev),
            Target::Relative(n) => write!(f, "{n:+}"),
            Target::RevRelative(rev, n) => write!(f, "{rev}{n:+}"),
            Target::LabelHead(label) => write!(f, "{label}@head"),
            Target::LabelBase(label) => write!(f, "{label}@base"),
        }
    }
}

/// `[A-Za-z0-9_][A-Za-z0-9_-]*`: a revision id, id prefix or branch label.
fn is_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    bytes.next().is_some_and(word) && bytes.all(|b| word(b) || b == b'-')
}

#[cfg(test)]
mod tests;
