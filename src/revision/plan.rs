//! Upgrade and downgrade plans: ordered steps, each with its version-table update as data.

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

impl RevisionGraph {
    /// Steps that take `current` up to `target`.
    pub fn plan_upgrade(&self, current: &Current, target: &Target) -> Result<Vec<Step>, PlanError> {
        let _ = (current, target);
        todo!("helper: plan")
    }
    /// Steps that take `current` down to `target`.
    pub fn plan_downgrade(
        &self,
        current: &Current,
        target: &Target,
    ) -> Result<Vec<Step>, PlanError> {
        let _ = (current, target);
        todo!("helper: plan")
    }
    /// The version rows after stamping `target` (without running SQL); `purge` ignores `current`.
    pub fn plan_stamp(
        &self,
        current: &Current,
        target: &Target,
        purge: bool,
    ) -> Result<Vec<RevisionId>, PlanError> {
        let _ = (current, target, purge);
        todo!("helper: plan")
    }
    /// Resolves a target naming revisions (for `show`, `history -r`, `revision --head`):
    /// `head`/`heads`/ids/prefixes/labels/`LABEL@head`/`REV+N`/`REV-N`; `base` gives none.
    pub fn resolve(&self, target: &Target, current: &Current) -> Result<Vec<Node>, PlanError> {
        let _ = (target, current);
        todo!("helper: plan")
    }
}
