//! `--format json`: the documents `current`, `heads`, `branches`, `history`, `show` and
//! `check` print, and the line `upgrade`/`downgrade` print per applied revision. The field
//! names are a public contract, documented in docs/json.md: add fields, never rename.

use super::emit;
use crate::engine::dirty::DirtyStep;
use crate::engine::migrator::Applied;
use crate::engine::sink::millis;
use crate::engine::version_table::Operation;
use crate::revision::checksum::checksum;
use crate::revision::graph::{Node, RevisionGraph};
use serde::Serialize;

/// One revision of the graph, as every document shows it.
#[derive(Debug, Serialize)]
pub struct RevisionDoc {
    pub id: String,
    pub message: String,
    /// Its parents (`revises:`): empty for a base, several for a merge.
    pub parents: Vec<String>,
    pub depends_on: Vec<String>,
    /// The revisions that revise it.
    pub children: Vec<String>,
    pub branch_labels: Vec<String>,
    pub is_head: bool,
    pub is_branch_point: bool,
    pub is_merge_point: bool,
    /// False for `-- transaction: none`.
    pub transactional: bool,
    pub path: String,
    /// The `created:` header, or null.
    pub created: Option<String>,
}

impl RevisionDoc {
    /// The document of `node`.
    pub fn of(graph: &RevisionGraph, node: Node) -> RevisionDoc {
        let revision = graph.revision(node);
        let ids = |nodes: &[Node]| nodes.iter().map(|&n| graph.id(n).to_string()).collect();
        RevisionDoc {
            id: revision.id.to_string(),
            message: revision.message.clone(),
            parents: ids(graph.parents(node)),
            depends_on: ids(graph.dependencies(node)),
            children: ids(graph.children(node)),
            branch_labels: revision.branch_labels.clone(),
            is_head: graph.children(node).is_empty(),
            is_branch_point: graph.children(node).len() > 1,
            is_merge_point: graph.parents(node).len() > 1,
            transactional: revision.transactional,
            path: revision.path.display().to_string(),
            created: revision.created.clone(),
        }
    }

    /// The documents of `nodes`, in their order.
    pub fn list(graph: &RevisionGraph, nodes: &[Node]) -> Vec<RevisionDoc> {
        nodes.iter().map(|&n| RevisionDoc::of(graph, n)).collect()
    }
}

/// `show`: a revision with its SQL.
#[derive(Debug, Serialize)]
pub struct ShownDoc {
    #[serde(flatten)]
    pub revision: RevisionDoc,
    /// The SHA-256 of the upgrade section, as applying records it.
    pub checksum: String,
    pub upgrade: String,
    pub downgrade: String,
}

impl ShownDoc {
    /// The document of `node` with both sections.
    pub fn of(graph: &RevisionGraph, node: Node) -> ShownDoc {
        let revision = graph.revision(node);
        ShownDoc {
            revision: RevisionDoc::of(graph, node),
            checksum: checksum(&revision.upgrade.sql),
            upgrade: revision.upgrade.sql.clone(),
            downgrade: revision.downgrade.sql.clone(),
        }
    }
}

/// A revision a run left part way.
#[derive(Debug, Serialize)]
pub struct DirtyDoc {
    /// `upgrade` or `downgrade`.
    pub direction: &'static str,
    pub statements_applied: usize,
    pub statements_total: usize,
    pub started_at: String,
}

impl DirtyDoc {
    /// The document of `step`.
    pub fn of(step: &DirtyStep) -> DirtyDoc {
        DirtyDoc {
            direction: step.verb(),
            statements_applied: step.done,
            statements_total: step.total,
            started_at: step.started_at.clone(),
        }
    }
}

/// One version row of `current` (or a dirty revision that is not a row yet).
#[derive(Debug, Serialize)]
pub struct CurrentRowDoc {
    pub id: String,
    /// Null when no migration file defines the id.
    pub revision: Option<RevisionDoc>,
    /// Null unless a run left this revision part way.
    pub dirty: Option<DirtyDoc>,
}

/// `current`.
#[derive(Debug, Serialize)]
pub struct CurrentDoc {
    /// The database URL, password shown as `***`.
    pub database: String,
    pub revisions: Vec<CurrentRowDoc>,
}

/// `heads`.
#[derive(Debug, Serialize)]
pub struct HeadsDoc {
    pub heads: Vec<RevisionDoc>,
}

/// `branches`.
#[derive(Debug, Serialize)]
pub struct BranchesDoc {
    pub branch_points: Vec<RevisionDoc>,
}

/// `history`, newest first, and `show`.
#[derive(Debug, Serialize)]
pub struct RevisionsDoc<T> {
    pub revisions: Vec<T>,
}

/// `history`: the revisions, newest first, and with `-i` the database's version rows.
#[derive(Debug, Serialize)]
pub struct HistoryDoc {
    pub revisions: Vec<RevisionDoc>,
    /// With `-i/--indicate-current`: the revisions the database is at (its version rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<Vec<String>>,
}

/// One pending operation of `check`.
#[derive(Debug, Serialize)]
pub struct OperationDoc {
    pub description: String,
}

/// `check`.
#[derive(Debug, Serialize)]
pub struct CheckDoc {
    /// True when the database is at head and matches the schema.
    pub matches: bool,
    pub operations: Vec<OperationDoc>,
}

/// One line of `upgrade`/`downgrade`: a revision applied.
#[derive(Debug, Serialize)]
pub struct AppliedDoc<'a> {
    pub id: &'a str,
    /// `upgrade` or `downgrade`.
    pub direction: &'static str,
    /// The duration the history table records for it, in milliseconds.
    pub duration_ms: u64,
}

impl<'a> AppliedDoc<'a> {
    /// The line of `applied`.
    pub fn of(applied: &Applied<'a>) -> AppliedDoc<'a> {
        AppliedDoc {
            id: applied.revision.as_str(),
            direction: Operation::from(applied.direction).as_str(),
            duration_ms: millis(applied.duration),
        }
    }
}

/// Prints `document` as one line of JSON on stdout.
pub fn emit_json<T: Serialize>(document: &T) -> anyhow::Result<()> {
    let mut text = serde_json::to_string(document)?;
    text.push('\n');
    emit(&text);
    Ok(())
}
