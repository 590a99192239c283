//! Upgrade and downgrade plans: ordered steps, each with its version-table update as data.
//!
//! # State
//!
//! The database is at its version rows ([`Current`]). Its *applied set* is every row and
//! everything the rows require, transitively (parents and `depends_on`); a row that is not
//! in the graph is an error. The rows that describe an applied set are
//! [`RevisionGraph::rows_for`]: the applied revisions none of whose children (`revises`
//! only) is applied, sorted by id. A revision that is only a dependency of an applied one
//! stays a row, as in Alembic. Every plan keeps `rows == rows_for(applied)` after each step.
//!
//! # Naming revisions
//!
//! `REV` is an exact id, else a branch label, else a unique id prefix of 4 or more
//! characters. `REV-N` whose whole text is a branch label (`release-2`) names that label.
//! In `REV+N`/`REV-N`, `REV` may be `head` (the single head). `LABEL@head` is the unique
//! head reached from the labelled revision through children; `LABEL@base` the base-most
//! revision of the branch. `LABEL` may also be a revision id or prefix.
//!
//! The *branch* of a revision R is R, its descendants, and the ancestors reached from R
//! through single parents whose only child leads to R (the walk stops before a branch
//! point or a merge, and ends at a base).
//!
//! Relative targets walk `revises` edges one at a time and fail when a step is ambiguous
//! (a fork going up, a merge going down) or runs off the graph. `+N` starts at the single
//! row (or, from an empty database, counts the single base as step 1); `-N` in a
//! downgrade reverts N revisions down the parent chain of the single row; `-N` in
//! `resolve` names the revision N parents below the single row.
//!
//! # Upgrade
//!
//! The targets (`head`: the single head; `heads`: all heads; `base`: none; otherwise the
//! one revision named) and all they require, minus the applied set, applied in the graph's
//! topological order (see [`super::graph`]). A target already applied gives no steps.
//! Upgrading R deletes the parents of R that are rows and inserts R.
//!
//! # Downgrade
//!
//! To `REV` (applied, or it is an error): revert every applied strict descendant of it
//! through children and dependents; unrelated branches stay. `base`: revert everything.
//! `LABEL@base`: revert the applied part of the branch and whatever requires it. Steps run
//! in the reverse topological order. Reverting R deletes R and inserts each parent of R
//! that has no other applied child.
//!
//! Step updates are computed against the actual rows: a row deleted is always present,
//! and a row inserted never is, even if the table held redundant rows.
//!
//! # Stamp
//!
//! The rows after stamping: `base` none, `heads` all heads, `head` the single head,
//! `REV`: the applied set minus the strict descendants of REV plus REV and all it
//! requires. `LABEL@base` and `-N` drop what a downgrade would revert. `purge` starts from
//! an empty database.

use super::graph::{Node, RevisionGraph};
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

fn fail<T>(message: String) -> Result<T, PlanError> {
    Err(PlanError(message))
}

/// The database as the planner sees it.
struct State {
    /// The applied set.
    applied: Vec<bool>,
    /// The actual rows.
    rows: Vec<bool>,
    /// `rows_for(applied)` as nodes.
    tips: Vec<Node>,
}

impl RevisionGraph {
    /// Steps that take `current` up to `target`.
    pub fn plan_upgrade(&self, current: &Current, target: &Target) -> Result<Vec<Step>, PlanError> {
        let State {
            mut applied,
            mut rows,
            tips,
        } = self.state(current)?;
        let targets: Vec<Node> = match target {
            Target::Head => self.single_head()?.into_iter().collect(),
            Target::Heads => self.heads(),
            Target::Base => Vec::new(),
            Target::Relative(n) if *n <= 0 => {
                return fail(format!(
                    "target '{target}' is not an upgrade target (use downgrade)"
                ))
            }
            Target::Relative(n) => vec![self.relative_up(&tips, *n, target)?],
            _ => vec![self.named(target)?],
        };
        let wanted = self.ancestors_or_self(&targets);
        let mut steps = Vec::new();
        for &node in self.oldest_first() {
            if !wanted[node] || applied[node] {
                continue;
            }
            let mut delete = Vec::new();
            for &parent in self.parents(node) {
                if rows[parent] {
                    rows[parent] = false;
                    delete.push(self.id(parent).clone());
                }
            }
            rows[node] = true;
            applied[node] = true;
            let insert = vec![self.id(node).clone()];
            steps.push(Step {
                node,
                direction: Direction::Upgrade,
                version: VersionUpdate { delete, insert },
            });
        }
        Ok(steps)
    }
    /// Steps that take `current` down to `target`.
    pub fn plan_downgrade(
        &self,
        current: &Current,
        target: &Target,
    ) -> Result<Vec<Step>, PlanError> {
        let State {
            mut applied,
            mut rows,
            tips,
        } = self.state(current)?;
        let revert = self.reverted(&applied, &tips, target)?;
        let mut steps = Vec::new();
        for &node in self.oldest_first().iter().rev() {
            if !revert[node] || !applied[node] {
                continue;
            }
            applied[node] = false;
            let mut delete = Vec::new();
            if rows[node] {
                rows[node] = false;
                delete.push(self.id(node).clone());
            }
            let mut insert = Vec::new();
            for &parent in self.parents(node) {
                let uncovered = !self.children(parent).iter().any(|&c| applied[c]);
                if uncovered && !rows[parent] {
                    rows[parent] = true;
                    insert.push(self.id(parent).clone());
                }
            }
            steps.push(Step {
                node,
                direction: Direction::Downgrade,
                version: VersionUpdate { delete, insert },
            });
        }
        Ok(steps)
    }
    /// The version rows after stamping `target` (without running SQL); `purge` ignores `current`.
    pub fn plan_stamp(
        &self,
        current: &Current,
        target: &Target,
        purge: bool,
    ) -> Result<Vec<RevisionId>, PlanError> {
        let State { applied, tips, .. } = if purge {
            self.state(&Current::default())?
        } else {
            self.state(current)?
        };
        let node = match target {
            Target::Base => return Ok(Vec::new()),
            Target::Heads => return Ok(self.ids(&self.heads())),
            Target::Head => return Ok(self.ids(&Vec::from_iter(self.single_head()?))),
            Target::Relative(0) => return Ok(self.rows_for(&applied)),
            Target::Relative(n) if *n > 0 => self.relative_up(&tips, *n, target)?,
            Target::Relative(_) | Target::LabelBase(_) => {
                let revert = self.reverted(&applied, &tips, target)?;
                let kept: Vec<bool> = applied
                    .iter()
                    .zip(&revert)
                    .map(|(&a, &r)| a && !r)
                    .collect();
                return Ok(self.rows_for(&kept));
            }
            _ => self.named(target)?,
        };
        let above = self.descendants_or_self(&[node]);
        let below = self.ancestors_or_self(&[node]);
        let stamped: Vec<bool> = (0..self.len())
            .map(|x| below[x] || (applied[x] && !above[x]))
            .collect();
        Ok(self.rows_for(&stamped))
    }
    /// Resolves a target naming revisions (for `show`, `history -r`, `revision --head`):
    /// `head`/`heads`/ids/prefixes/labels/`LABEL@head`/`REV+N`/`REV-N`; `base` gives none.
    pub fn resolve(&self, target: &Target, current: &Current) -> Result<Vec<Node>, PlanError> {
        match target {
            Target::Head => Ok(self.single_head()?.into_iter().collect()),
            Target::Heads => Ok(self.heads()),
            Target::Base => Ok(Vec::new()),
            Target::Relative(n) => {
                let tips = self.state(current)?.tips;
                match *n {
                    0 => Ok(tips),
                    n if n > 0 => Ok(vec![self.relative_up(&tips, n, target)?]),
                    n => {
                        let row = self.single_row(&tips, target)?;
                        Ok(vec![self.walk(row, n.unsigned_abs(), false, target)?])
                    }
                }
            }
            _ => Ok(vec![self.named(target)?]),
        }
    }

    /// The applied set of `current`: its rows and all they require (parents and
    /// dependencies), as flags indexed by node.
    pub fn applied(&self, current: &Current) -> Result<Vec<bool>, PlanError> {
        Ok(self.ancestors_or_self(&self.row_nodes(current)?))
    }
    /// The version rows describing an applied set: the applied revisions none of whose
    /// children (`revises` only) is applied, sorted by id.
    pub fn rows_for(&self, applied: &[bool]) -> Vec<RevisionId> {
        self.ids(&self.tips(applied))
    }
    /// The revision a `REV` names: an exact id, else a branch label, else a unique id prefix
    /// of at least 4 characters.
    pub fn resolve_rev(&self, name: &str) -> Result<Node, PlanError> {
        if let Some(node) = RevisionId::parse(name).ok().and_then(|id| self.node(&id)) {
            return Ok(node);
        }
        if let Some(node) = self.label(name) {
            return Ok(node);
        }
        if name.len() >= 4 {
            match self.with_prefix(name).as_slice() {
                [] => {}
                [node] => return Ok(*node),
                many => {
                    return fail(format!(
                        "ambiguous revision prefix '{name}': matches {}",
                        self.names(many)
                    ))
                }
            }
        }
        fail(format!("unknown revision '{name}'"))
    }
}

/// Helpers shared by the plans.
impl RevisionGraph {
    fn state(&self, current: &Current) -> Result<State, PlanError> {
        let nodes = self.row_nodes(current)?;
        let applied = self.ancestors_or_self(&nodes);
        let mut rows = vec![false; self.len()];
        for node in nodes {
            rows[node] = true;
        }
        let tips = self.tips(&applied);
        Ok(State {
            applied,
            rows,
            tips,
        })
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
    fn tips(&self, applied: &[bool]) -> Vec<Node> {
        let mut tips: Vec<Node> = (0..self.len())
            .filter(|&x| applied[x] && !self.children(x).iter().any(|&c| applied[c]))
            .collect();
        tips.sort_by(|&a, &b| self.id(a).cmp(self.id(b)));
        tips
    }
    fn ids(&self, nodes: &[Node]) -> Vec<RevisionId> {
        nodes.iter().map(|&x| self.id(x).clone()).collect()
    }
    /// `a, b, c` for messages.
    fn names(&self, nodes: &[Node]) -> String {
        let ids: Vec<&str> = nodes.iter().map(|&x| self.id(x).as_str()).collect();
        ids.join(", ")
    }
    /// The only head; `None` for an empty graph.
    fn single_head(&self) -> Result<Option<Node>, PlanError> {
        match self.heads().as_slice() {
            [] => Ok(None),
            [head] => Ok(Some(*head)),
            many => fail(format!(
                "multiple heads: {}; upgrade to `heads` or create a merge revision with `migrate merge heads`",
                self.names(many)
            )),
        }
    }
    /// The one revision a `REV`, `REV±N`, `LABEL@head` or `LABEL@base` target names.
    fn named(&self, target: &Target) -> Result<Node, PlanError> {
        match target {
            Target::Rev(name) => self.resolve_rev(name),
            Target::RevRelative(name, n) => {
                if *n < 0 {
                    if let Some(node) = self.label(&target.to_string()) {
                        return Ok(node);
                    }
                }
                let start = if name == "head" {
                    match self.single_head()? {
                        Some(head) => head,
                        None => return fail("there are no revisions".to_string()),
                    }
                } else {
                    self.resolve_rev(name)?
                };
                self.walk(start, n.unsigned_abs(), *n > 0, target)
            }
            Target::LabelHead(label) => {
                let root = self.label_root(label)?;
                match self.heads_above(root).as_slice() {
                    [head] => Ok(*head),
                    many => fail(format!(
                        "branch '{label}' has several heads: {}; name one of them",
                        self.names(many)
                    )),
                }
            }
            Target::LabelBase(label) => {
                let chain = self.branch_chain(self.label_root(label)?);
                Ok(*chain.last().expect("a branch chain holds its own revision"))
            }
            _ => unreachable!("named() is only called for REV, REV±N and LABEL@ targets"),
        }
    }
    /// The revision a `LABEL@` target starts from: a branch label, else a revision.
    fn label_root(&self, label: &str) -> Result<Node, PlanError> {
        if let Some(node) = self.label(label) {
            return Ok(node);
        }
        self.resolve_rev(label)
            .map_err(|_| PlanError(format!("unknown branch label '{label}'")))
    }
    /// The heads reached from `node` through children, sorted by id.
    fn heads_above(&self, node: Node) -> Vec<Node> {
        let mut seen = vec![false; self.len()];
        let mut stack = vec![node];
        seen[node] = true;
        let mut heads = Vec::new();
        while let Some(x) = stack.pop() {
            if self.children(x).is_empty() {
                heads.push(x);
            }
            for &c in self.children(x) {
                if !seen[c] {
                    seen[c] = true;
                    stack.push(c);
                }
            }
        }
        heads.sort_by(|&a, &b| self.id(a).cmp(self.id(b)));
        heads
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
    /// `steps` revises-edges up (children) or down (parents) from `from`, each unique.
    fn walk(&self, from: Node, steps: u64, up: bool, target: &Target) -> Result<Node, PlanError> {
        let mut x = from;
        for _ in 0..steps {
            let next = if up {
                self.children(x)
            } else {
                self.parents(x)
            };
            x = match next {
                [one] => *one,
                [] if up => return fail(format!("relative target {target} goes past head")),
                [] => return fail(format!("relative target {target} goes past base")),
                many if up => {
                    return fail(format!(
                        "relative target {target} is ambiguous: revision {} has several children ({}); name a revision instead",
                        self.id(x),
                        self.names(many)
                    ))
                }
                many => {
                    return fail(format!(
                        "relative target {target} is ambiguous: revision {} is a merge of {}; name a revision instead",
                        self.id(x),
                        self.names(many)
                    ))
                }
            };
        }
        Ok(x)
    }
    /// `+N` from the rows: N steps up from the single row, or from an empty database the
    /// single base and N-1 steps up.
    fn relative_up(&self, tips: &[Node], n: i64, target: &Target) -> Result<Node, PlanError> {
        let n = n.unsigned_abs();
        match tips {
            [] => match self.bases().as_slice() {
                [] => fail(format!("relative target {target} goes past head")),
                [base] => self.walk(*base, n - 1, true, target),
                many => fail(format!(
                    "relative target {target} is ambiguous: there are several bases ({}); name a revision instead",
                    self.names(many)
                )),
            },
            [row] => self.walk(*row, n, true, target),
            many => fail(format!(
                "relative target {target} is ambiguous: the database is at several revisions ({}); name a revision instead",
                self.names(many)
            )),
        }
    }
    /// The single row, for `-N`.
    fn single_row(&self, tips: &[Node], target: &Target) -> Result<Node, PlanError> {
        match tips {
            [] => fail(format!("relative target {target} goes past base")),
            [row] => Ok(*row),
            many => fail(format!(
                "relative target {target} is ambiguous: the database is at several revisions ({}); name a revision (REV or REV-N) or a branch (LABEL@base) instead",
                self.names(many)
            )),
        }
    }
    /// Flags of the revisions a downgrade to `target` reverts (the caller keeps only the
    /// applied ones).
    fn reverted(
        &self,
        applied: &[bool],
        tips: &[Node],
        target: &Target,
    ) -> Result<Vec<bool>, PlanError> {
        match target {
            Target::Base => Ok(applied.to_vec()),
            Target::Head | Target::Heads | Target::Relative(0..) => fail(format!(
                "target '{target}' is not a downgrade target (use upgrade)"
            )),
            Target::Relative(n) => {
                let row = self.single_row(tips, target)?;
                let last = self.walk(row, n.unsigned_abs() - 1, false, target)?;
                Ok(self.descendants_or_self(&[last]))
            }
            Target::LabelBase(label) => {
                let chain = self.branch_chain(self.label_root(label)?);
                Ok(self.descendants_or_self(&chain))
            }
            _ => {
                let node = self.named(target)?;
                if !applied[node] {
                    return fail(format!(
                        "revision {} is not applied; nothing to downgrade to (use upgrade)",
                        self.id(node)
                    ));
                }
                let mut above = self.descendants_or_self(&[node]);
                above[node] = false;
                Ok(above)
            }
        }
    }
}

#[cfg(test)]
mod tests;
