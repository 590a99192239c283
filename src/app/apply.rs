//! `upgrade`, `downgrade` (live or `--sql`) and `stamp`.

use super::json::AppliedDoc;
use super::{emit, parse_target, Project, UsageError};
use crate::cli::ApplyArgs;
use crate::engine::Access;
use crate::revision::graph::RevisionGraph;
use crate::revision::plan::{Current, Direction};
use crate::revision::target::Target;
use anyhow::Result;

/// `migrate upgrade [TARGET] [--sql] [--allow-changed]`.
pub fn upgrade(project: &Project, args: &ApplyArgs) -> Result<()> {
    let target = args.target.as_deref().unwrap_or("head");
    apply(project, Direction::Upgrade, target, args)
}

/// `migrate downgrade TARGET [--sql] [--allow-changed]`.
pub fn downgrade(project: &Project, args: &ApplyArgs) -> Result<()> {
    let Some(target) = args.target.as_deref() else {
        return Err(UsageError(
            "downgrade needs a TARGET, e.g. `migrate downgrade -1` or `migrate downgrade base`"
                .into(),
        )
        .into());
    };
    apply(project, Direction::Downgrade, target, args)
}

fn apply(project: &Project, direction: Direction, raw: &str, args: &ApplyArgs) -> Result<()> {
    let graph = project.graph()?;
    if args.sql {
        let script = offline_script(project, &graph, direction, raw)?;
        emit(&script);
        return Ok(());
    }
    refuse_range(raw)?;
    let target = parse_target(raw)?;
    let migrator = project.api().migrator();
    let mut driver = migrator.connect(Access::ReadWrite)?;
    let out = project.out;
    let mut printed = Ok(());
    let count = migrator.run(
        &graph,
        driver.as_mut(),
        direction,
        &target,
        args.allow_changed,
        &mut |line| out.log(line),
        &mut |applied| {
            if out.json && printed.is_ok() {
                printed = super::json::emit_json(&AppliedDoc::of(applied));
            }
        },
    )?;
    printed?;
    if count == 0 && out.verbose {
        out.log(&format!(
            "nothing to do: the database is already at {target}"
        ));
    }
    Ok(())
}

/// The `--sql` script: from base (upgrade) or the heads (downgrade), or from `FROM` in
/// `FROM:TO`; nothing connects to a database.
fn offline_script(
    project: &Project,
    graph: &RevisionGraph,
    direction: Direction,
    raw: &str,
) -> Result<String> {
    let (from, target) = offline_range(graph, raw)?;
    let current = match from {
        Some(from) => from,
        None => match direction {
            Direction::Upgrade => Current::default(),
            Direction::Downgrade => Current {
                rows: graph
                    .heads()
                    .into_iter()
                    .map(|n| graph.id(n).clone())
                    .collect(),
            },
        },
    };
    if let (Direction::Downgrade, Some(line)) =
        (direction, graph.downgrade_warning(&current, &target))
    {
        project.out.log(&line);
    }
    let dialect = project.settings.database.engine().dialect();
    project
        .migrator(graph)
        .script(dialect, &current, direction, &target)
}

/// A live run takes no `FROM:TO`: the database says where it starts.
fn refuse_range(raw: &str) -> Result<()> {
    if raw.contains(':') {
        return Err(UsageError(format!(
            "a FROM:TO range ('{raw}') is only valid with --sql"
        ))
        .into());
    }
    Ok(())
}

/// An offline script's `[FROM:]TO`: the version rows FROM stands for (`None` without
/// FROM) and the target.
fn offline_range(graph: &RevisionGraph, raw: &str) -> Result<(Option<Current>, Target)> {
    let Some((from, to)) = raw.split_once(':') else {
        return Ok((None, parse_target(raw)?));
    };
    let target = parse_target(to)?;
    let nodes = graph.offline_start(&parse_target(from)?)?;
    let rows = nodes.into_iter().map(|n| graph.id(n).clone()).collect();
    Ok((Some(Current { rows }), target))
}

/// `migrate stamp TARGET [--purge] [--sql]`.
pub fn stamp(project: &Project, raw: &str, purge: bool, sql: bool) -> Result<()> {
    if sql {
        return stamp_script(project, raw, purge);
    }
    refuse_range(raw)?;
    let target: Target = parse_target(raw)?;
    let graph = project.graph()?;
    let migrator = project.migrator(&graph);
    let mut driver = project.connect(Access::ReadWrite)?;
    let out = project.out;
    let rows = migrator.stamp(
        driver.as_mut(),
        &target,
        purge,
        project.run_options(false),
        &mut |line| out.log(line),
    )?;
    let shown = if rows.is_empty() {
        "base".to_string()
    } else {
        rows.iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.log(&format!("Stamped the database at {shown}"));
    Ok(())
}

/// `migrate stamp [FROM:]TO --sql`: the script, from base unless FROM is given (as
/// Alembic's offline stamp); `--purge` reads a database, which a script cannot.
fn stamp_script(project: &Project, raw: &str, purge: bool) -> Result<()> {
    if purge {
        return Err(UsageError(
            "--purge cannot be used with --sql: a script cannot read the version rows it would erase".into(),
        )
        .into());
    }
    let graph = project.graph()?;
    let (from, target) = offline_range(&graph, raw)?;
    let current = from.unwrap_or_default();
    let dialect = project.settings.database.engine().dialect();
    emit(
        &project
            .migrator(&graph)
            .stamp_script(dialect, &current, &target)?,
    );
    Ok(())
}

/// `migrate ensure-version [--sql]`: the version tables, created if missing (or their
/// `CREATE TABLE IF NOT EXISTS` statements printed); no version row is written.
pub fn ensure_version(project: &Project, sql: bool) -> Result<()> {
    let graph = RevisionGraph::build(Vec::new())?;
    let migrator = project.migrator(&graph);
    if sql {
        let mut script = String::new();
        for statement in migrator.table.create_statements() {
            script.push_str(&format!("{statement};\n\n"));
        }
        emit(&script);
        return Ok(());
    }
    let mut driver = project.connect(Access::ReadWrite)?;
    let out = project.out;
    migrator.ensure_version(driver.as_mut(), project.run_options(false), &mut |line| {
        out.log(line)
    })?;
    out.log(&format!(
        "The version tables {} and {} exist",
        migrator.table.name(),
        migrator.table.history_name()
    ));
    Ok(())
}
