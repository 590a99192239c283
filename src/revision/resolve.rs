//! What a target names, as Alembic resolves it: `REV`, `head`, `heads`, labels, and the
//! relative forms walked one `revises` edge at a time (Alembic's `_walk`).
//!
//! `REV` is an exact id, else a branch label, else a unique id prefix of 4 or more
//! characters. `REV-N` whose whole text is a branch label (`release-2`) names that label.
//! A walk up from nowhere starts at the single base; a walk down that leaves a base
//! reaches `base`, one more step goes past it; a fork up or a merge down is ambiguous.

use super::graph::{Node, RevisionGraph};
use super::plan::{Current, PlanError};
use super::target::Target;
use super::RevisionId;

/// Where a walk stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Spot {
    /// Below every base, before anything (an empty database).
    Nothing,
    /// The `base` a walk down reaches from a base revision.
    Base,
    At(Node),
}

pub(crate) fn fail<T>(message: String) -> Result<T, PlanError> {
    Err(PlanError(message))
}

impl RevisionGraph {
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
        let short = if name.len() < 4 && !self.with_prefix(name).is_empty() {
            "; a revision prefix needs at least 4 characters"
        } else {
            ""
        };
        let known = self.revisions().iter().map(|r| r.id.as_str());
        let symbols = ["head", "heads", "base"];
        let hint =
            super::suggest::did_you_mean(name, known.chain(self.label_names()).chain(symbols));
        fail(format!("unknown revision '{name}'{short}{hint}"))
    }
    /// `a, b, c` for messages.
    pub(crate) fn names(&self, nodes: &[Node]) -> String {
        let ids: Vec<&str> = nodes.iter().map(|&x| self.id(x).as_str()).collect();
        ids.join(", ")
    }
    /// The only head; `None` for an empty graph.
    pub(crate) fn single_head(&self) -> Result<Option<Node>, PlanError> {
        match self.heads().as_slice() {
            [] => Ok(None),
            [head] => Ok(Some(*head)),
            many => fail(format!(
                "multiple heads: {}; upgrade to `heads` or create a merge revision with `migrate merge heads`",
                self.names(many)
            )),
        }
    }
    /// The revision one symbol names (Alembic's `get_revision`): `head` and `heads` must be
    /// single, `base` names none.
    pub(crate) fn symbol(&self, name: &str) -> Result<Option<Node>, PlanError> {
        match name {
            "head" => self.single_head(),
            "heads" => match self.real_heads() {
                [] => Ok(None),
                [head] => Ok(Some(*head)),
                many => fail(format!(
                    "'heads' names several revisions here ({}); name one of them",
                    self.names(&self.sorted(many))
                )),
            },
            "base" => Ok(None),
            _ => self.resolve_rev(name).map(Some),
        }
    }
    /// The revision a `LABEL@` target starts from: a branch label, else a revision.
    pub(crate) fn label_root(&self, label: &str) -> Result<Node, PlanError> {
        if let Some(node) = self.label(label) {
            return Ok(node);
        }
        self.resolve_rev(label).map_err(|_| {
            let hint = super::suggest::did_you_mean(label, self.label_names());
            PlanError(format!("unknown branch label '{label}'{hint}"))
        })
    }
    /// `LABEL@head`: the unique head reached from the labelled revision through children.
    pub(crate) fn label_head(&self, label: &str) -> Result<Node, PlanError> {
        let reach = self.lineage_up(&[self.label_root(label)?]);
        let heads: Vec<Node> = self.heads().into_iter().filter(|&h| reach[h]).collect();
        match heads.as_slice() {
            [head] => Ok(*head),
            many => fail(format!(
                "branch '{label}' has several heads: {}; name one of them",
                self.names(many)
            )),
        }
    }
    /// The label a `REV-N` text names when the whole text is a branch label.
    pub(crate) fn relative_label(&self, target: &Target) -> Option<Node> {
        match target {
            Target::RevRelative(_, n) if *n < 0 => self.label(&target.to_string()),
            _ => None,
        }
    }
    /// `nodes` sorted by id.
    pub(crate) fn sorted(&self, nodes: &[Node]) -> Vec<Node> {
        let mut nodes = nodes.to_vec();
        nodes.sort_by(|&a, &b| self.id(a).cmp(self.id(b)));
        nodes
    }
    /// Walks `steps` `revises` edges up (positive) or down (negative) from `start`; `None`
    /// when the walk runs off the graph.
    pub(crate) fn walk(
        &self,
        start: Spot,
        steps: i64,
        target: &Target,
    ) -> Result<Option<Spot>, PlanError> {
        let mut at = start;
        for _ in 0..steps.unsigned_abs() {
            let next: Vec<Spot> = match (steps > 0, at) {
                (true, Spot::Nothing) => self.bases().into_iter().map(Spot::At).collect(),
                (true, Spot::At(x)) => self.children(x).iter().map(|&c| Spot::At(c)).collect(),
                (false, Spot::Nothing) => self.heads().into_iter().map(Spot::At).collect(),
                (false, Spot::At(x)) => match self.parents(x) {
                    [] => vec![Spot::Base],
                    parents => parents.iter().map(|&p| Spot::At(p)).collect(),
                },
                (_, Spot::Base) => Vec::new(),
            };
            at = match next.as_slice() {
                [] => return Ok(None),
                [one] => *one,
                many => {
                    let nodes: Vec<Node> = many
                        .iter()
                        .filter_map(|s| match s {
                            Spot::At(x) => Some(*x),
                            _ => None,
                        })
                        .collect();
                    let names = self.names(&nodes);
                    let why = match (steps > 0, at) {
                        (true, Spot::At(x)) => {
                            format!("revision {} has several children ({names})", self.id(x))
                        }
                        (true, _) => format!("there are several bases ({names})"),
                        (false, Spot::At(x)) => {
                            format!("revision {} is a merge of {names}", self.id(x))
                        }
                        (false, _) => format!("there are several heads ({names})"),
                    };
                    return fail(format!(
                        "relative target {target} is ambiguous: {why}; name a revision instead"
                    ));
                }
            };
        }
        Ok(Some(at))
    }
    /// A walk that must end on a revision.
    pub(crate) fn walk_to_revision(
        &self,
        start: Spot,
        steps: i64,
        target: &Target,
    ) -> Result<Node, PlanError> {
        match self.walk(start, steps, target)? {
            Some(Spot::At(x)) => Ok(x),
            _ if steps > 0 => fail(format!("relative target {target} goes past head")),
            _ => fail(format!("relative target {target} goes past base")),
        }
    }
    /// Where `REV±N` starts.
    pub(crate) fn start_of(&self, name: &str) -> Result<Spot, PlanError> {
        if name == "head" && self.is_empty() {
            return fail("there are no revisions".to_string());
        }
        Ok(self.symbol(name)?.map_or(Spot::Nothing, Spot::At))
    }
    /// The revisions an upgrade to `target` from `rows` aims at (Alembic's
    /// `_parse_upgrade_target`).
    pub fn upgrade_targets(&self, rows: &[Node], target: &Target) -> Result<Vec<Node>, PlanError> {
        if let Some(label) = self.relative_label(target) {
            return Ok(vec![label]);
        }
        Ok(match target {
            Target::Head => self.single_head()?.into_iter().collect(),
            Target::Heads => self.real_heads().to_vec(),
            Target::Base => Vec::new(),
            Target::Rev(name) => vec![self.resolve_rev(name)?],
            Target::LabelHead(label) => vec![self.label_head(label)?],
            Target::LabelBase(label) => {
                // Alembic reads `LABEL@base` as no revision: nothing to upgrade
                self.label_root(label)?;
                Vec::new()
            }
            Target::Relative(n) if *n > 0 => {
                let start = match rows {
                    [] => Spot::Nothing,
                    [row] => Spot::At(*row),
                    many => {
                        return fail(format!(
                            "relative target {target} is ambiguous: the database is at several revisions ({}); name a revision instead",
                            self.names(&self.sorted(many))
                        ))
                    }
                };
                vec![self.walk_to_revision(start, *n, target)?]
            }
            Target::RevRelative(name, n) => {
                vec![self.walk_to_revision(self.start_of(name)?, *n, target)?]
            }
            Target::Relative(_) => {
                return fail(format!(
                    "target '{target}' is not an upgrade target (use downgrade)"
                ))
            }
        })
    }
    /// Where an offline `FROM:TO` script starts: the one revision FROM names (none for
    /// `base`), as Alembic's `get_revision`.
    pub fn offline_start(&self, from: &Target) -> Result<Vec<Node>, PlanError> {
        if let Some(label) = self.relative_label(from) {
            return Ok(vec![label]);
        }
        let node = match from {
            Target::Base => None,
            Target::Head | Target::Heads => self.symbol(&from.to_string())?,
            Target::Rev(name) => Some(self.resolve_rev(name)?),
            Target::LabelHead(label) => Some(self.label_head(label)?),
            _ => {
                return fail(format!(
                    "'{from}' cannot start an offline script: name a revision, head or base"
                ))
            }
        };
        Ok(node.into_iter().collect())
    }
    /// The warning a downgrade to `target` from `current` deserves: `-N` from several
    /// version rows walks down from the first row only, as Alembic does after its own
    /// warning ("downgrade -1 from multiple heads is ambiguous; this usage will be
    /// disallowed in a future release", `RevisionMap._parse_downgrade_target`).
    pub fn downgrade_warning(&self, current: &Current, target: &Target) -> Option<String> {
        let Target::Relative(n) = target else {
            return None;
        };
        let mut rows: Vec<&RevisionId> = current.rows.iter().collect();
        rows.sort();
        rows.dedup();
        match rows.as_slice() {
            [first, _, ..] if *n < 0 => Some(format!(
                "warning: downgrade {target} from several version rows ({}) is ambiguous: it walks down from {first}, the first; name a revision (REV-N) or a branch (LABEL@base) instead",
                rows.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
            )),
            _ => None,
        }
    }
    /// What a downgrade to `target` from `rows` goes down to (Alembic's
    /// `_parse_downgrade_target`): the branch it keeps to, if any, and the revision it
    /// stops at (`None`: base).
    pub(crate) fn downgrade_target(
        &self,
        rows: &[Node],
        target: &Target,
    ) -> Result<(Option<Node>, Option<Node>), PlanError> {
        if let Some(label) = self.relative_label(target) {
            return Ok((None, Some(label)));
        }
        let spot = |s: Option<Spot>| match s {
            Some(Spot::At(x)) => Ok(Some(x)),
            Some(_) => Ok(None),
            None => fail(format!("relative target {target} goes past base")),
        };
        match target {
            Target::Base => Ok((None, None)),
            Target::Head | Target::Heads => Ok((None, self.symbol(&target.to_string())?)),
            Target::Rev(name) => Ok((None, Some(self.resolve_rev(name)?))),
            Target::LabelHead(label) => Ok((Some(self.label_root(label)?), self.single_head()?)),
            Target::LabelBase(label) => Ok((Some(self.label_root(label)?), None)),
            Target::Relative(n) if *n > 0 => fail(format!(
                "target '{target}' is not a downgrade target (use upgrade)"
            )),
            Target::Relative(n) => {
                // Alembic walks down from the first row and keeps to its branch
                let Some(&first) = self.sorted(rows).first() else {
                    return fail(format!("relative target {target} goes past base"));
                };
                Ok((Some(first), spot(self.walk(Spot::At(first), *n, target)?)?))
            }
            Target::RevRelative(name, n) if *n > 0 => Ok((
                None,
                Some(self.walk_to_revision(self.start_of(name)?, *n, target)?),
            )),
            Target::RevRelative(name, n) => {
                Ok((None, spot(self.walk(self.start_of(name)?, *n, target)?)?))
            }
        }
    }
}
