//! Read-only commands: `current`, `heads`, `branches`, `history`, `show`.

use super::json::{
    emit_json, BranchesDoc, CurrentDoc, CurrentRowDoc, DirtyDoc, HeadsDoc, HistoryDoc, RevisionDoc,
    RevisionsDoc, ShownDoc,
};
use super::report::{self, Flags};
use super::{cli_error, emit, parse_target, Project};
use crate::engine::dirty::DirtyStep;
use crate::revision::graph::{Node, RevisionGraph};
use crate::revision::plan::Current;
use crate::revision::RevisionId;
use crate::style;
use anyhow::Result;

/// `migrate current [-v]`: the version rows, one per line, and a revision a run left
/// part way marked `(dirty: 2 of 5 upgrade statements applied)`.
pub fn current(project: &Project) -> Result<()> {
    let graph = project.graph()?;
    let status = project.migrator().status().map_err(cli_error)?;
    let (current, dirty) = (Current { rows: status.rows }, status.dirty);
    if project.out.verbose && !project.out.json {
        project.out.log(&format!(
            "Current revision(s) for {}:",
            project.settings.database
        ));
    }
    // A dirty downgrade's revision is still a version row; a dirty upgrade's is not yet.
    let mut shown: Vec<(String, Option<&DirtyStep>)> = current
        .rows
        .iter()
        .map(|row| {
            let marked = dirty.iter().find(|d| d.revision == row.as_str());
            (row.to_string(), marked)
        })
        .collect();
    for step in &dirty {
        if !shown.iter().any(|(row, _)| *row == step.revision) {
            shown.push((step.revision.clone(), Some(step)));
        }
    }
    if project.out.json {
        return current_json(project, &graph, &shown, &dirty);
    }
    let mut text = String::new();
    for (row, marked) in shown {
        let node = RevisionId::parse(&row).ok().and_then(|id| graph.node(&id));
        let progress = marked.map(DirtyStep::progress);
        let mark = progress
            .as_ref()
            .map_or_else(String::new, |p| format!(" (dirty: {p})"));
        match node {
            Some(node) if project.out.verbose => {
                text.push_str(&report::verbose(&graph, node, Flags::default()));
                if let Some(progress) = &progress {
                    text.push_str(&format!("Dirty: {progress}\n"));
                }
            }
            Some(node) => {
                text.push_str(&report::line(&graph, node, Flags::default()));
                text.push_str(&mark);
                text.push('\n');
            }
            None => {
                text.push_str(&format!("{row}{mark}\n"));
                warn_unknown(project, &row);
            }
        }
    }
    warn_dirty(project, &dirty);
    emit(&style::headings(&text));
    Ok(())
}

/// The warning `current` gives about a revision a run left part way.
fn warn_dirty(project: &Project, dirty: &[DirtyStep]) {
    if let Some(step) = dirty.first() {
        project.out.log(&format!("warning: {}", step.refusal()));
    }
}

/// `current --format json`: the rows of `shown`, with the same warnings on stderr.
fn current_json(
    project: &Project,
    graph: &RevisionGraph,
    shown: &[(String, Option<&DirtyStep>)],
    dirty: &[DirtyStep],
) -> Result<()> {
    let revisions = shown
        .iter()
        .map(|(row, marked)| {
            let node = RevisionId::parse(row).ok().and_then(|id| graph.node(&id));
            if node.is_none() {
                warn_unknown(project, row);
            }
            CurrentRowDoc {
                id: row.clone(),
                revision: node.map(|node| RevisionDoc::of(graph, node)),
                dirty: marked.map(DirtyDoc::of),
            }
        })
        .collect();
    warn_dirty(project, dirty);
    emit_json(&CurrentDoc {
        database: project.settings.database.to_string(),
        revisions,
    })
}

/// The warning about a version row that no migration file defines.
fn warn_unknown(project: &Project, row: &str) {
    project.out.log(&format!(
        "warning: the database is at revision {row}, which is not in {}",
        project.settings.migrations_shown()
    ));
}

/// Prints `nodes` one per line (verbose: one block each), those among `current`'s rows
/// marked `(current)`.
fn print_nodes(
    project: &Project,
    graph: &RevisionGraph,
    nodes: &[Node],
    flags: Flags,
    current: &Current,
) {
    let mut text = String::new();
    for (i, &node) in nodes.iter().enumerate() {
        let flags = Flags {
            current: current.rows.contains(graph.id(node)),
            ..flags
        };
        if project.out.verbose {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(&report::verbose(graph, node, flags));
        } else {
            text.push_str(&report::line(graph, node, flags));
            text.push('\n');
        }
    }
    emit(&style::headings(&text));
}

/// `migrate heads [-v] [--resolve-dependencies]`: the revisions no other revises; with
/// `--resolve-dependencies` also leaving out those another depends on (Alembic's
/// `heads` symbol, what `upgrade heads` aims at).
pub fn heads(project: &Project, resolve_dependencies: bool) -> Result<()> {
    let graph = project.graph()?;
    let heads = if resolve_dependencies {
        graph.real_heads().to_vec()
    } else {
        graph.heads()
    };
    if project.out.json {
        return emit_json(&HeadsDoc {
            heads: RevisionDoc::list(&graph, &heads),
        });
    }
    print_nodes(
        project,
        &graph,
        &heads,
        Flags::default(),
        &Current::default(),
    );
    Ok(())
}

/// `migrate branches [-v]`: each branch point and the revisions it branches into.
pub fn branches(project: &Project) -> Result<()> {
    let graph = project.graph()?;
    if project.out.json {
        return emit_json(&BranchesDoc {
            branch_points: RevisionDoc::list(&graph, &graph.branch_points()),
        });
    }
    let full = Flags {
        parents: true,
        message: true,
        tree: true,
        current: false,
    };
    let mut text = String::new();
    for node in graph.branch_points() {
        if project.out.verbose {
            text.push_str(&report::verbose(&graph, node, full));
        } else {
            text.push_str(&report::line(&graph, node, full));
            text.push('\n');
        }
        for &child in graph.children(node) {
            let child_flags = Flags {
                parents: false,
                ..full
            };
            text.push_str(&format!(
                "    -> {}\n",
                report::line(&graph, child, child_flags)
            ));
        }
    }
    emit(&style::headings(&text));
    Ok(())
}

/// `migrate history [-r A:B] [-i] [-v]`: newest first; with `-i` the revisions the
/// database is at are marked `(current)`.
pub fn history(project: &Project, range: Option<&str>, indicate_current: bool) -> Result<()> {
    let graph = project.graph()?;
    let shown = match range {
        None => graph.history_range(&[], graph.real_heads())?,
        Some(range) => in_range(project, &graph, range)?,
    };
    let current = match indicate_current {
        true => project.read_current()?,
        false => Current::default(),
    };
    if project.out.json {
        return emit_json(&HistoryDoc {
            revisions: RevisionDoc::list(&graph, &shown),
            current: indicate_current
                .then(|| current.rows.iter().map(|row| row.to_string()).collect()),
        });
    }
    let flags = Flags {
        parents: true,
        message: true,
        tree: true,
        current: false,
    };
    print_nodes(project, &graph, &shown, flags, &current);
    Ok(())
}

/// The nodes of `A:B`, newest first, as Alembic's inclusive ranges: what B requires and A
/// does not, plus A, kept to A's descendants. An empty A is base, an empty B the heads;
/// `current` is the version rows.
fn in_range(project: &Project, graph: &RevisionGraph, range: &str) -> Result<Vec<Node>> {
    let (lower, upper) = range.split_once(':').ok_or_else(|| {
        super::UsageError(format!(
            "invalid history range '{range}': expected A:B, A: or :B"
        ))
    })?;
    let needs_db = [lower, upper]
        .iter()
        .any(|side| *side == "current" || side.starts_with(['+', '-']));
    let current = if needs_db {
        project.read_current()?
    } else {
        Current::default()
    };
    let rows = || -> Vec<Node> { current.rows.iter().filter_map(|r| graph.node(r)).collect() };
    let lower = match lower {
        "" => Vec::new(),
        "current" => rows(),
        side => graph.resolve(&parse_target(side)?, &current)?,
    };
    let upper = match upper {
        "current" if !current.rows.is_empty() => rows(),
        "" | "current" => graph.real_heads().to_vec(),
        side => graph.upgrade_targets(&lower, &parse_target(side)?)?,
    };
    Ok(graph.history_range(&lower, &upper)?)
}

/// The revisions `show` and `edit` take: `current` (the database's version rows, none for
/// an empty database), else a target naming at least one revision.
pub(super) fn named(project: &Project, graph: &RevisionGraph, raw: &str) -> Result<Vec<Node>> {
    if raw == "current" {
        let current = project.read_current()?;
        return current
            .rows
            .iter()
            .map(|row| {
                graph.node(row).ok_or_else(|| {
                    anyhow::anyhow!(
                        "the database is at revision {row}, which is not in {}",
                        project.settings.migrations_shown()
                    )
                })
            })
            .collect();
    }
    let nodes = graph.resolve(&parse_target(raw)?, &Current::default())?;
    if nodes.is_empty() {
        anyhow::bail!("'{raw}' names no revision");
    }
    Ok(nodes)
}

/// `migrate show REV`: headers, path, and both sections.
pub fn show(project: &Project, raw: &str) -> Result<()> {
    let graph = project.graph()?;
    let nodes = named(project, &graph, raw)?;
    if project.out.json {
        let revisions = nodes.iter().map(|&n| ShownDoc::of(&graph, n)).collect();
        return emit_json(&RevisionsDoc { revisions });
    }
    let mut text = String::new();
    for (i, node) in nodes.into_iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        let revision = graph.revision(node);
        text.push_str(&report::verbose(&graph, node, Flags::default()));
        text.push_str(&format!(
            "\n-- migrate:upgrade\n{}\n\n-- migrate:downgrade\n{}\n",
            revision.upgrade.sql, revision.downgrade.sql
        ));
    }
    emit(&style::headings(&text));
    Ok(())
}
