//! Upgrade, downgrade and stamp plans, as Alembic computes them: ordered steps, each with
//! its version-table update as data.
//!
//! # State
//!
//! The database is at its version rows ([`Current`]). Its *applied set* is every row and
//! everything the rows require, transitively (parents and `depends_on`); a row that is not
//! in the graph is an error.
//!
//! # Upgrade
//!
//! The targets ([`RevisionGraph::upgrade_targets`]) and all they require, minus the
//! applied set, run in Alembic's order ([`super::order`]). The rows must not require one
//! another (Alembic refuses such a table). Each step's rows follow [`super::rows`].
//!
//! # Downgrade
//!
//! To `REV`: revert every applied revision that requires (transitively) a child of REV;
//! `base`: everything applied that requires a base. With a branch (`LABEL@base`, or the
//! first row for `-N`), only the roots that are ancestors of that branch count when there
//! are several. A target that is neither a row nor below an applied revision is an error.
//!
//! # Stamp
//!
//! Alembic's `StampStep`s: each destination moves the rows sharing a line with the
//! target (ancestors or descendants, dependencies included) to it, or starts a new row.
//! `base` and `LABEL@base` delete those rows. `purge` starts from an empty table.

use super::graph::{Node, RevisionGraph};
use super::resolve::{fail, Spot};
use super::rows::Rows;
use super::target::Target;
use super::RevisionId;

/// Which way a step goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Upgrade,
    Downgrade,
}

/// The version-table rows a step deletes and inserts (Alembic's `update_to_step` as data).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionUpdate {
    pub delete: Vec<RevisionId>,
    pub insert: Vec<RevisionId>,
}

/// Apply or revert one revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub node: Node,
    pub direction: Direction,
    pub version: VersionUpdate,
}

/// A target that cannot be resolved or planned against the current state (exit 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PlanError(pub String);

/// What the database is at: the rows of the version table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Current {
    pub rows: Vec<RevisionId>,
}

impl RevisionGraph {
    /// Steps that take `current` up to `target`.
    pub fn plan_upgrade(&self, current: &Current, target: &Target) -> Result<Vec<Step>, PlanError> {
        let rows = self.row_nodes(current)?;
        let targets = self.upgrade_targets(&rows, target)?;
        self.check_rows_independent(&rows)?;
        let applied = self.ancestors_or_self(&rows);
        let wanted = self.ancestors_or_self(&targets);
        let needed: Vec<bool> = wanted
            .iter()
            .zip(&applied)
            .map(|(&w, &a)| w && !a)
            .collect();
        let mut order = self.alembic_order(&needed, &targets)?;
        order.reverse();
        self.steps(&rows, &order, Direction::Upgrade)
    }
    /// Steps that take `current` down to `target`.
    pub fn plan_downgrade(
        &self,
        current: &Current,
        target: &Target,
    ) -> Result<Vec<Step>, PlanError> {
        let rows = self.row_nodes(current)?;
        let (branch, stop) = self.downgrade_target(&rows, target)?;
        let mut roots: Vec<Node> = match stop {
            None => self.bases(),
            Some(node) => self.children(node).to_vec(),
        };
        if let (Some(branch), true) = (branch, roots.len() > 1) {
            let line = self.lineage_down(&[branch]);
            roots.retain(|&r| line[r]);
            if roots.is_empty() {
                return fail(format!(
                    "target '{target}' is not a valid downgrade target from the current revisions"
                ));
            }
        }
        let applied = self.ancestors_or_self(&rows);
        let above = self.descendants_or_self(&roots);
        let revert: Vec<bool> = above.iter().zip(&applied).map(|(&r, &a)| r && a).collect();
        if let Some(node) = stop {
            if !revert.contains(&true) && !rows.contains(&node) {
                return fail(format!(
                    "revision {} is not applied; nothing to downgrade to (use upgrade)",
                    self.id(node)
                ));
            }
        }
        let order = self.alembic_order(&revert, &rows)?;
        self.steps(&rows, &order, Direction::Downgrade)
    }
    /// The version rows after stamping `target` (without running SQL); `purge` ignores `current`.
    pub fn plan_stamp(
        &self,
        current: &Current,
        target: &Target,
        purge: bool,
    ) -> Result<Vec<RevisionId>, PlanError> {
        let rows = if purge {
            Vec::new()
        } else {
            self.row_nodes(current)?
        };
        let (lines, dests) = self.stamp_destinations(&rows, target)?;
        let mut table = Rows::new(self, &rows);
        let lineage: Vec<Vec<bool>> = lines.iter().map(|&x| self.shares_line(x)).collect();
        let moved: Vec<Node> = rows
            .iter()
            .copied()
            .filter(|&r| lines.is_empty() || lineage.iter().any(|l| l[r]))
            .collect();
        for dest in dests {
            let Some(dest) = dest else {
                table.stamp(&moved, None, false, true)?;
                continue;
            };
            if moved.contains(&dest) {
                continue;
            }
            let above = self.descendants_or_self(&[dest]);
            let below = self.ancestors_or_self(&[dest]);
            if moved.iter().any(|&m| above[m]) {
                table.stamp(&moved, Some(dest), false, false)?;
            } else if moved.iter().any(|&m| below[m]) {
                table.stamp(&moved, Some(dest), true, false)?;
            } else {
                table.stamp(&[], Some(dest), true, true)?;
            }
        }
        Ok(self.ids(&table.nodes()))
    }
    /// Resolves a target naming revisions (for `show`, `history -r`, `revision --head`):
    /// `head`/`heads`/ids/prefixes/labels/`LABEL@head`/`LABEL@base`/`REV+N`/`REV-N`;
    /// `base` gives none.
    pub fn resolve(&self, target: &Target, current: &Current) -> Result<Vec<Node>, PlanError> {
        if let Some(label) = self.relative_label(target) {
            return Ok(vec![label]);
        }
        match target {
            Target::Heads => Ok(self.heads()),
            Target::LabelBase(label) => {
                let chain = self.branch_chain(self.label_root(label)?);
                Ok(vec![*chain
                    .last()
                    .expect("a branch chain holds its own revision")])
            }
            Target::Relative(0) => self.row_nodes(current),
            Target::Relative(n) if *n < 0 => {
                let rows = self.row_nodes(current)?;
                let row = match rows.as_slice() {
                    [] => return fail(format!("relative target {target} goes past base")),
                    [row] => *row,
                    many => return fail(format!(
                        "relative target {target} is ambiguous: the database is at several revisions ({}); name a revision (REV or REV-N) or a branch (LABEL@base) instead",
                        self.names(&self.sorted(many))
                    )),
                };
                Ok(vec![self.walk_to_revision(Spot::At(row), *n, target)?])
            }
            _ => self.upgrade_targets(&self.row_nodes(current)?, target),
        }
    }
    /// The revisions `history -r LOWER:UPPER` shows, newest first (Alembic's inclusive
    /// `walk_revisions`): what `upper` requires and `lower` does not, plus `lower`, kept to
    /// the descendants of `lower` through `revises`. `lower` empty means base.
    pub fn history_range(&self, lower: &[Node], upper: &[Node]) -> Result<Vec<Node>, PlanError> {
        // Alembic refuses ends that require one another (version rows it left so, too)
        for end in [lower, upper] {
            for &x in end {
                let below = self.ancestors_or_self(&[x]);
                if let Some(&other) = end.iter().find(|&&o| o != x && below[o]) {
                    return fail(format!(
                        "revision {} overlaps with revision {}, which it requires; name one of them",
                        self.id(x),
                        self.id(other)
                    ));
                }
            }
        }
        let wanted = self.ancestors_or_self(upper);
        if let Some(&outside) = lower.iter().find(|&&x| !wanted[x]) {
            return fail(format!(
                "revision {} is not an ancestor of {}",
                self.id(outside),
                if upper.is_empty() {
                    "base".to_string()
                } else {
                    self.names(upper)
                }
            ));
        }
        let below = self.ancestors_or_self(lower);
        let line = self.lineage_up(lower);
        let shown: Vec<bool> = (0..self.len())
            .map(|x| {
                let inside = (wanted[x] && !below[x]) || lower.contains(&x);
                inside && (lower.is_empty() || line[x])
            })
            .collect();
        self.alembic_order(&shown, upper)
    }

    /// The applied set of `current`: its rows and all they require (parents and
    /// dependencies), as flags indexed by node.
    pub fn applied(&self, current: &Current) -> Result<Vec<bool>, PlanError> {
        Ok(self.ancestors_or_self(&self.row_nodes(current)?))
    }
    /// The version rows describing an applied set: the applied revisions no other applied
    /// revision requires, sorted by id.
    pub fn rows_for(&self, applied: &[bool]) -> Vec<RevisionId> {
        let tips: Vec<Node> = (0..self.len())
            .filter(|&x| applied[x] && !self.required_by(x).iter().any(|&c| applied[c]))
            .collect();
        self.ids(&self.sorted(&tips))
    }

    fn row_nodes(&self, current: &Current) -> Result<Vec<Node>, PlanError> {
        current
            .rows
            .iter()
            .map(|id| {
                self.node(id).ok_or_else(|| {
                    PlanError(format!(
                        "the database is at revision {id}, which is not in the migrations directory"
                    ))
                })
            })
            .collect()
    }
    /// Alembic refuses to upgrade from rows one of which requires another.
    fn check_rows_independent(&self, rows: &[Node]) -> Result<(), PlanError> {
        for &row in rows {
            let below = self.ancestors_or_self(&[row]);
            if let Some(&other) = rows.iter().find(|&&o| o != row && below[o]) {
                return fail(format!(
                    "the version table holds both {} and {}, which {} requires; stamp the database to fix it",
                    self.id(other),
                    self.id(row),
                    self.id(row)
                ));
            }
        }
        Ok(())
    }
    /// Runs `order` through the version rows, one step each.
    fn steps(
        &self,
        rows: &[Node],
        order: &[Node],
        direction: Direction,
    ) -> Result<Vec<Step>, PlanError> {
        let mut table = Rows::new(self, rows);
        order
            .iter()
            .map(|&node| {
                let version = match direction {
                    Direction::Upgrade => table.upgrade(node)?,
                    Direction::Downgrade => table.downgrade(node)?,
                };
                Ok(Step {
                    node,
                    direction,
                    version,
                })
            })
            .collect()
    }
    /// For a stamp: the revisions whose lines select the rows that move (none: every row)
    /// and the destinations (`None`: base).
    fn stamp_destinations(
        &self,
        rows: &[Node],
        target: &Target,
    ) -> Result<(Vec<Node>, Vec<Option<Node>>), PlanError> {
        if let Some(label) = self.relative_label(target) {
            return Ok((vec![label], vec![Some(label)]));
        }
        let some = |nodes: Vec<Node>| -> Vec<Option<Node>> {
            if nodes.is_empty() {
                vec![None]
            } else {
                nodes.into_iter().map(Some).collect()
            }
        };
        Ok(match target {
            Target::Base => (Vec::new(), vec![None]),
            Target::Heads => (self.real_heads().to_vec(), some(self.real_heads().to_vec())),
            Target::Head => {
                let head: Vec<Node> = self.single_head()?.into_iter().collect();
                (head.clone(), some(head))
            }
            Target::Rev(name) => {
                let node = self.resolve_rev(name)?;
                (vec![node], vec![Some(node)])
            }
            Target::LabelHead(label) => {
                let head = self.label_head(label)?;
                (vec![self.label_root(label)?, head], vec![Some(head)])
            }
            Target::LabelBase(label) => (vec![self.label_root(label)?], vec![None]),
            Target::Relative(n) if *n < 0 && rows.is_empty() => {
                let mut dests = Vec::new();
                for &head in self.real_heads() {
                    match self.walk(Spot::At(head), *n, target)? {
                        Some(Spot::At(x)) => dests.push(Some(x)),
                        Some(_) => {
                            return fail(format!("relative target {target} goes past base"))
                        }
                        None => dests.push(None),
                    }
                }
                (Vec::new(), dests)
            }
            Target::Relative(_) | Target::RevRelative(..) => {
                return fail(format!(
                    "target '{target}' cannot be stamped: name a revision, head, heads, base or a branch"
                ))
            }
        })
    }
    /// Flags of what shares a line with `node`: its ancestors and descendants, dependencies
    /// included.
    fn shares_line(&self, node: Node) -> Vec<bool> {
        let below = self.ancestors_or_self(&[node]);
        let above = self.descendants_or_self(&[node]);
        below.iter().zip(&above).map(|(&b, &a)| b || a).collect()
    }
    fn ids(&self, nodes: &[Node]) -> Vec<RevisionId> {
        nodes.iter().map(|&x| self.id(x).clone()).collect()
    }
    /// `node`, then its ancestors down a single-parent, single-child chain, base-most last.
    fn branch_chain(&self, node: Node) -> Vec<Node> {
        let mut chain = vec![node];
        let mut x = node;
        while let [parent] = self.parents(x) {
            if self.children(*parent).len() != 1 {
                break;
            }
            x = *parent;
            chain.push(x);
        }
        chain
    }
}

#[cfg(test)]
mod tests;
