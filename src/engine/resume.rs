//! Whether a run may go on with a dirty revision ([`super::dirty`]): it resumes when the
//! step it would run first is the dirty one (same revision, same direction) and the
//! statements recorded as applied are those of the file now (a checksum per statement);
//! otherwise it refuses with what was applied and what to do. The words of a failed
//! statement's report on what stays applied live here too.

use super::dirty::{statement_checksums, DirtyStep};
use super::sink::PreparedStep;
use super::version_table::Operation;
use crate::dialect::Dialect;
use crate::revision::graph::RevisionGraph;
use crate::revision::plan::{Direction, Step, VersionUpdate};
use crate::revision::RevisionId;
use anyhow::Result;

/// A run found a dirty revision it may not resume: the message says why and what to do.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct DirtyRevision {
    pub message: String,
    /// The applied statements, one per line (number, file line, first line): the binary
    /// prints them above its one error line.
    pub applied: String,
}

/// The 0-based index of the statement at which `next` (the first step of the run)
/// resumes the dirty revision in `dirty`, or the refusal.
pub fn decide(
    graph: &RevisionGraph,
    dialect: &dyn Dialect,
    dirty: &[DirtyStep],
    next: Option<&PreparedStep<'_>>,
) -> Result<usize> {
    let dirty = match dirty {
        [] => return Ok(0),
        [one] => one,
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|d| format!("{} ({})", d.revision, d.progress()))
                .collect();
            return Err(DirtyRevision {
                message: format!(
                    "the history table holds several dirty revisions: {}; fix the database \
                     by hand and `migrate stamp` the revision it is at, which clears the dirty \
                     state",
                    listed.join(", ")
                ),
                applied: String::new(),
            }
            .into());
        }
    };
    let matches = next.filter(|step| {
        step.revision.id.as_str() == dirty.revision && step.step.direction == dirty.direction
    });
    // The dirty revision's section as the file has it now, to list what was applied.
    let own = match (matches, graph_step(graph, dirty)) {
        (None, Some((node, step))) => {
            let parents: Vec<&RevisionId> =
                graph.parents(node).iter().map(|&p| graph.id(p)).collect();
            Some((step, node, parents))
        }
        _ => None,
    };
    let own = match &own {
        Some((step, node, parents)) => Some(PreparedStep::new(
            graph.revision(*node),
            step,
            parents,
            dialect,
        )?),
        None => None,
    };
    let prepared = matches.or(own.as_ref());
    let parents = prepared
        .map(|step| step.parents.clone())
        .unwrap_or_default();
    let now = prepared
        .map(|step| statement_checksums(&step.statements))
        .unwrap_or_default();
    let changed: Vec<usize> = (0..dirty.done)
        .filter(|&i| now.get(i) != dirty.checksums.get(i))
        .collect();
    let reason = match next {
        _ if matches.is_some() && changed.is_empty() => return Ok(dirty.done),
        _ if matches.is_some() && now.len() < dirty.done => format!(
            "its {} section now has {} statement(s), fewer than the {} applied",
            dirty.verb(),
            now.len(),
            dirty.done
        ),
        _ if matches.is_some() => format!(
            "statement(s) {} changed since they were applied (a checksum per statement)",
            numbers(&changed)
        ),
        None => "this run has nothing to run".to_string(),
        Some(step) if step.revision.id.as_str() == dirty.revision => {
            format!("this run would {} it instead", verb(step.step.direction))
        }
        Some(step) => format!(
            "this run would {} revision {} first",
            verb(step.step.direction),
            step.revision.id
        ),
    };
    let target = match dirty.direction {
        Direction::Upgrade => dirty.revision.clone(),
        Direction::Downgrade => parent_target(&parents),
    };
    let way_on = if prepared.is_none() {
        format!(
            "restore the file of revision {} to the migrations directory",
            dirty.revision
        )
    } else if !changed.is_empty() {
        // Whichever run comes next, resuming needs the applied statements as they were.
        let run = match matches {
            Some(_) => format!("run `migrate {}` again", dirty.verb()),
            None => format!("finish it with `migrate {} {target}`", dirty.verb()),
        };
        format!(
            "restore statement(s) {} in the file as they were applied and {run}, which \
             resumes at statement {}",
            numbers(&changed),
            dirty.done + 1
        )
    } else {
        format!(
            "finish it first with `migrate {} {target}`, which resumes it",
            dirty.verb()
        )
    };
    // Without the file the parent is unknown too.
    let parent = match prepared {
        Some(_) => parent_target(&parents),
        None => "PARENT".to_string(),
    };
    let file = prepared
        .map(|step| format!(" ({})", step.revision.path.display()))
        .unwrap_or_default();
    let applied = match (prepared, dirty.done) {
        (_, 0) => "none".to_string(),
        (Some(_), done) => format!("{}, listed above", first_statements(done).0),
        (None, done) => match first_statements(done) {
            (statements, true) => format!(
                "{statements} (no migration file defines the revision, so they cannot be \
                 listed)"
            ),
            (statement, false) => format!(
                "{statement} (no migration file defines the revision, so it cannot be listed)"
            ),
        },
    };
    Err(DirtyRevision {
        message: format!(
            "revision {}{file} is dirty: a run (started {}) stopped during its {} after {} of \
             {} statements; applied and still in place: {applied}; cannot resume it: \
             {reason}; to go on: {way_on}; or {}",
            dirty.revision,
            dirty.started_at,
            dirty.verb(),
            dirty.done,
            dirty.total,
            stamp_choices(&dirty.revision, &parent, dirty.direction, dirty.done)
        ),
        applied: prepared
            .map(|step| applied_lines(step, dirty.done, &changed))
            .unwrap_or_default(),
    }
    .into())
}

/// The dirty revision's node and a step in its direction, when the graph has it.
fn graph_step(graph: &RevisionGraph, dirty: &DirtyStep) -> Option<(usize, Step)> {
    let id = RevisionId::parse(&dirty.revision).ok()?;
    let node = graph.node(&id)?;
    Some((
        node,
        Step {
            node,
            direction: dirty.direction,
            version: VersionUpdate::default(),
        },
    ))
}

/// The first `count` statements of `step` under a heading, one line each: number, file
/// line, first line; those in `changed` marked. Empty when `count` is 0.
pub fn applied_lines(step: &PreparedStep<'_>, count: usize, changed: &[usize]) -> String {
    if count == 0 {
        return String::new();
    }
    let mut text = format!(
        "applied statements of revision {} ({}), which stay applied:",
        step.revision.id,
        verb(step.step.direction)
    );
    for (index, statement) in step.statements.iter().enumerate().take(count) {
        let mark = if changed.contains(&index) {
            " (changed in the file since it was applied)"
        } else {
            ""
        };
        text.push_str(&format!(
            "\n  {} ({}) {}{mark}",
            index + 1,
            step.statement_location(statement),
            super::sink::excerpt(&statement.sql)
        ));
    }
    text
}

/// The note of a failed statement on what stays applied (the first `applied` statements,
/// which [`applied_lines`] lists) and how to go on; empty when nothing does.
pub fn applied_note(step: &PreparedStep<'_>, applied: usize) -> String {
    if applied == 0 {
        return String::new();
    }
    let failed = applied + 1;
    let (statements, several) = first_statements(applied);
    let (were, stay, they, they_are) = if several {
        ("were", "stay", "they", "they are")
    } else {
        ("was", "stays", "it", "it is")
    };
    let version = match step.step.direction {
        Direction::Upgrade => "not applied",
        Direction::Downgrade => "still applied",
    };
    format!(
        "\n  {statements} {were} applied and {stay} applied ({they} ran without a \
         transaction; listed above); the version table still shows it as {version}, and \
         the revision is dirty (`migrate current` shows it)\n  to go on: fix statement \
         {failed} in the file and run `migrate {}` again, which resumes at statement {failed} \
         ({statements} must stay as {they_are}); or {}",
        verb(step.step.direction),
        stamp_choices(
            step.revision.id.as_str(),
            &parent_target(&step.parents),
            step.step.direction,
            applied
        )
    )
}

/// The stderr line of a run that resumes a dirty revision at the 0-based `from`.
pub fn resuming_line(step: &PreparedStep<'_>, dirty: &DirtyStep, from: usize) -> String {
    let before = if from == 0 {
        "it stopped before completing any statement".to_string()
    } else {
        match first_statements(from) {
            (statements, true) => format!("{statements} were applied then and are unchanged"),
            (statement, false) => format!("{statement} was applied then and is unchanged"),
        }
    };
    format!(
        "resuming the {} of revision {} at statement {} of {}: an earlier run (started {}) \
         stopped part way; {before}",
        verb(step.step.direction),
        step.revision.id,
        from + 1,
        step.statements.len(),
        dirty.started_at
    )
}

/// The way out through `stamp`, in either direction.
fn stamp_choices(revision: &str, parent: &str, direction: Direction, applied: usize) -> String {
    let (complete, undone) = match direction {
        Direction::Upgrade => (revision, parent),
        Direction::Downgrade => (parent, revision),
    };
    let statements = match first_statements(applied) {
        _ if applied == 0 => "its statements are".to_string(),
        (statements, true) => format!("{statements} are"),
        (statement, false) => format!("{statement} is"),
    };
    format!(
        "fix the database by hand and run `migrate stamp {complete}` once the {} is complete, \
         or `migrate stamp {undone}` once {statements} undone; stamp clears the dirty state",
        verb(direction)
    )
}

/// The first `count` statements of a revision in words (`statement 1`, `statements 1 to
/// 3`), and whether they are several (for the verbs that follow).
fn first_statements(count: usize) -> (String, bool) {
    if count == 1 {
        ("statement 1".to_string(), false)
    } else {
        (format!("statements 1 to {count}"), true)
    }
}

/// The stamp target of a revision's parents: `base`, the parent, or them all (a merge).
fn parent_target(parents: &[String]) -> String {
    match parents {
        [] => "base".to_string(),
        [one] => one.clone(),
        several => several.join(" and "),
    }
}

fn verb(direction: Direction) -> &'static str {
    Operation::from(direction).as_str()
}

/// `1, 3`: 1-based numbers of 0-based indexes.
fn numbers(indexes: &[usize]) -> String {
    indexes
        .iter()
        .map(|i| (i + 1).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
