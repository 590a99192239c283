//! The version rows as a plan moves them: Alembic's `HeadMaintainer.update_to_step`
//! as a pure function of (step, rows) that returns the change as data ([`VersionUpdate`]).
//!
//! Upgrading R looks at its *down* revisions D (parents, then normalized dependencies,
//! see [`RevisionGraph::down`]): with no row in D it inserts R; with several rows in D it
//! merges them into R (so a dependency that is a row is absorbed: one row, not two);
//! otherwise it moves the one row of D to R. Reverting R deletes its row, or moves it
//! to the revisions of D no other row already covers. Where Alembic's bookkeeping would
//! fail half-way (a row to move is missing, a row to add is present), the plan fails
//! before anything runs.

use super::graph::{Node, RevisionGraph};
use super::plan::{PlanError, VersionUpdate};
use std::collections::BTreeSet;

/// The version rows while a plan is computed.
pub(crate) struct Rows<'g> {
    graph: &'g RevisionGraph,
    set: BTreeSet<Node>,
    /// The rows and all they require.
    applied: Vec<bool>,
    update: VersionUpdate,
}

impl<'g> Rows<'g> {
    /// Rows holding `nodes`.
    pub(crate) fn new(graph: &'g RevisionGraph, nodes: &[Node]) -> Self {
        Rows {
            graph,
            set: nodes.iter().copied().collect(),
            applied: graph.ancestors_or_self(nodes),
            update: VersionUpdate::default(),
        }
    }
    /// The rows, sorted by id.
    pub(crate) fn nodes(&self) -> Vec<Node> {
        let mut nodes: Vec<Node> = self.set.iter().copied().collect();
        nodes.sort_by(|&a, &b| self.graph.id(a).cmp(self.graph.id(b)));
        nodes
    }
    pub(crate) fn contains(&self, node: Node) -> bool {
        self.set.contains(&node)
    }

    /// The update of applying `node`.
    pub(crate) fn upgrade(&mut self, node: Node) -> Result<VersionUpdate, PlanError> {
        let down = self.graph.down(node);
        let present: Vec<Node> = down.iter().copied().filter(|d| self.contains(*d)).collect();
        if present.is_empty() {
            self.insert(node)?;
        } else if present.len() > 1 {
            // Alembic merges the members of D that no other row covers into R. When one
            // of them is no row (it is below another member of D), Alembic fails half-way
            // through the run; the plan refuses before anything runs.
            let merged: Vec<Node> = down
                .iter()
                .copied()
                .filter(|&d| !self.covered(d, down))
                .collect();
            if let Some(&missing) = merged.iter().find(|&&d| !self.contains(d)) {
                return Err(PlanError(format!(
                    "cannot apply revision {}: it merges {} while {} is below another of them, which Alembic's version bookkeeping cannot record; make {} depend on fewer revisions",
                    self.graph.id(node),
                    self.graph.names(down),
                    self.graph.id(missing),
                    self.graph.id(node)
                )));
            }
            for d in merged {
                self.delete(d, node, "apply")?;
            }
            self.insert(node)?;
        } else {
            self.delete(present[0], node, "apply")?;
            self.insert(node)?;
        }
        self.applied[node] = true;
        Ok(std::mem::take(&mut self.update))
    }

    /// The update of reverting `node`.
    pub(crate) fn downgrade(&mut self, node: Node) -> Result<VersionUpdate, PlanError> {
        let down = self.graph.down(node);
        if !self.contains(node) {
            return Err(self.conflict("revert", node));
        }
        let g = self.graph;
        self.applied[node] = false;
        let restored: Vec<Node> = if self.set.len() == 1 {
            // D minus what another member of D requires
            let required = |e: Node, d: Node| g.ancestors_above(&[e], g.topo_rank(d))[d];
            down.iter()
                .copied()
                .filter(|&d| !down.iter().any(|&e| e != d && required(e, d)))
                .collect()
        } else {
            down.iter()
                .copied()
                .filter(|&d| !self.covered(d, &[node]))
                .collect()
        };
        self.delete(node, node, "revert")?;
        for d in restored {
            self.insert(d)?;
        }
        Ok(std::mem::take(&mut self.update))
    }

    /// Alembic's `StampStep`: moves the rows `from` to `to` (none: delete `from`).
    pub(crate) fn stamp(
        &mut self,
        from: &[Node],
        to: Option<Node>,
        upgrade: bool,
        branch_move: bool,
    ) -> Result<(), PlanError> {
        match to {
            // a move to base deletes the rows it is about
            None => {
                for &f in from {
                    self.delete(f, f, "stamp")?;
                }
            }
            Some(to) => {
                let missing_from = from.iter().any(|f| !self.contains(*f));
                if upgrade && (branch_move || missing_from) && !self.contains(to) {
                    self.insert(to)?;
                } else {
                    if from.is_empty() {
                        return Err(self.conflict("stamp", to));
                    }
                    for &f in from {
                        self.delete(f, to, "stamp")?;
                    }
                    self.insert(to)?;
                }
            }
        }
        self.update = VersionUpdate::default();
        self.applied = self.graph.ancestors_or_self(&self.nodes());
        Ok(())
    }

    /// Whether a row other than `excluded` ones is `node` or requires it: a walk up from
    /// `node` through applied revisions only (every revision between a row and what it
    /// requires is applied), stopping at the first such row.
    fn covered(&self, node: Node, excluded: &[Node]) -> bool {
        let is_other = |x: Node| self.set.contains(&x) && !excluded.contains(&x);
        let mut seen = std::collections::HashSet::from([node]);
        let mut stack = vec![node];
        while let Some(x) = stack.pop() {
            if is_other(x) {
                return true;
            }
            for &up in self.graph.required_by(x) {
                if self.applied[up] && seen.insert(up) {
                    stack.push(up);
                }
            }
        }
        false
    }

    fn insert(&mut self, node: Node) -> Result<(), PlanError> {
        if !self.set.insert(node) {
            return Err(PlanError(format!(
                "the version table would hold revision {} twice",
                self.graph.id(node)
            )));
        }
        self.update.insert.push(self.graph.id(node).clone());
        Ok(())
    }
    fn delete(&mut self, row: Node, node: Node, verb: &str) -> Result<(), PlanError> {
        if !self.set.remove(&row) {
            return Err(self.conflict(verb, node));
        }
        self.update.delete.push(self.graph.id(row).clone());
        Ok(())
    }
    fn conflict(&self, verb: &str, node: Node) -> PlanError {
        let rows: Vec<&str> = self
            .nodes()
            .iter()
            .map(|&x| self.graph.id(x).as_str())
            .collect();
        let rows = if rows.is_empty() {
            "none".to_string()
        } else {
            rows.join(", ")
        };
        PlanError(format!(
            "cannot {verb} revision {} from the version rows ({rows}): they do not match its parents and dependencies; stamp the database first",
            self.graph.id(node)
        ))
    }
}
