//! Where the database stands against the graph's heads: at head, behind, or ahead (holding
//! a revision the migration files do not know).

use crate::revision::graph::RevisionGraph;
use crate::revision::plan::Current;
use crate::revision::RevisionId;
use crate::settings::Settings;
use anyhow::Result;

/// The database's version rows compared with the heads of the graph.
pub(super) struct Position {
    /// The version rows, sorted.
    at: Vec<String>,
    /// The heads of the graph, sorted.
    heads: Vec<String>,
    /// Rows naming revisions that no migration file defines.
    unknown: Vec<String>,
}

impl Position {
    /// Where the database with version rows `current` stands in `graph`.
    pub(super) fn of(graph: &RevisionGraph, current: &Current) -> Position {
        let mut at: Vec<String> = current.rows.iter().map(RevisionId::to_string).collect();
        at.sort();
        let mut heads: Vec<String> = graph
            .heads()
            .iter()
            .map(|&n| graph.id(n).to_string())
            .collect();
        heads.sort();
        let unknown = current
            .rows
            .iter()
            .filter(|row| graph.node(row).is_none())
            .map(RevisionId::to_string)
            .collect();
        Position { at, heads, unknown }
    }

    /// Fails when the database holds a revision the migration files do not know: it is
    /// ahead of head (applied by a newer checkout, or the file was deleted).
    pub(super) fn require_known(&self, settings: &Settings) -> Result<()> {
        if self.unknown.is_empty() {
            return Ok(());
        }
        anyhow::bail!(
            "the database is not at head: it is ahead, at {} ({} not in {}); head is {}",
            shown(&self.at),
            self.unknown.join(", "),
            settings.migrations_shown(),
            shown(&self.heads)
        )
    }

    /// Fails unless the database is exactly at the heads.
    pub(super) fn require_head(&self, settings: &Settings) -> Result<()> {
        self.require_known(settings)?;
        if self.at == self.heads {
            return Ok(());
        }
        let target = if self.heads.len() > 1 {
            "heads"
        } else {
            "head"
        };
        anyhow::bail!(
            "the database is not at head: it is behind, at {}; head is {}: run `migrate upgrade {target}` first",
            shown(&self.at),
            shown(&self.heads)
        )
    }
}

/// `base` for no revisions, else the ids separated by commas.
fn shown(ids: &[String]) -> String {
    if ids.is_empty() {
        "base".to_string()
    } else {
        ids.join(", ")
    }
}
