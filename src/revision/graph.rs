//! The revision graph, indexed once: parents, dependencies, children, labels, heads.

use super::{Revision, RevisionId};

/// Index of a revision inside a [`RevisionGraph`].
pub type Node = usize;

/// A set of revision files that do not form a valid graph. Messages name file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("{location}: duplicate revision id {id} (also in {other})")]
    Duplicate {
        id: RevisionId,
        location: String,
        other: String,
    },
    #[error("{location}: revision {id} {header} unknown revision {missing}")]
    Unknown {
        id: RevisionId,
        location: String,
        header: &'static str,
        missing: RevisionId,
    },
    #[error("{location}: revision {id} is part of a cycle: {cycle}")]
    Cycle {
        id: RevisionId,
        location: String,
        cycle: String,
    },
    #[error("{location}: branch label '{label}' is already used by revision {other}")]
    DuplicateLabel {
        label: String,
        location: String,
        other: RevisionId,
    },
}

/// The revision graph: revisions in a vector plus indexes, built once.
#[derive(Debug)]
pub struct RevisionGraph {
    revisions: Vec<Revision>,
}

impl RevisionGraph {
    /// Validates and indexes `revisions` (as loaded, sorted by file name).
    pub fn build(revisions: Vec<Revision>) -> Result<Self, GraphError> {
        let _ = revisions;
        todo!("helper: graph")
    }
    pub fn len(&self) -> usize {
        self.revisions.len()
    }
    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty()
    }
    /// The revision at `node`.
    pub fn revision(&self, node: Node) -> &Revision {
        &self.revisions[node]
    }
    /// The node of an exact id.
    pub fn node(&self, id: &RevisionId) -> Option<Node> {
        let _ = id;
        todo!("helper: graph")
    }
    /// Heads: revisions no other revision `revises`, sorted by id.
    pub fn heads(&self) -> Vec<Node> {
        todo!("helper: graph")
    }
    /// Bases: revisions with an empty `revises`, sorted by id.
    pub fn bases(&self) -> Vec<Node> {
        todo!("helper: graph")
    }
    /// Branch points: revisions that two or more revisions `revises`, sorted by id.
    pub fn branch_points(&self) -> Vec<Node> {
        todo!("helper: graph")
    }
    /// Children of `node` through `revises` only, sorted by id.
    pub fn children(&self, node: Node) -> &[Node] {
        let _ = node;
        todo!("helper: graph")
    }
    /// Parents of `node` through `revises` only, in header order.
    pub fn parents(&self, node: Node) -> &[Node] {
        let _ = node;
        todo!("helper: graph")
    }
    /// Every node, newest first: a reverse topological order (children and dependents before
    /// parents), deterministic.
    pub fn newest_first(&self) -> Vec<Node> {
        todo!("helper: graph")
    }
}
