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
    if raw.contains(':') {
        return Err(UsageError(format!(
            "a FROM:TO range ('{raw}') is only valid with --sql"
        ))
        .into());
    }
    let target = parse_target(raw)?;
    let migrator = project.migrator(&graph);
    let mut driver = project.connect(Access::ReadWrite)?;
    let out = project.out;
    let mut printed = Ok(());
    let count = migrator.run(
        driver.as_mut(),
        direction,
        &target,
        project.run_options(args.allow_changed),
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
    let (from, to) = match raw.split_once(':') {
        Some((from, to)) => (Some(from), to),
        None => (None, raw),
    };
    let target = parse_target(to)?;
    let current = match from {
        Some(from) => {
            let from = parse_target(from)?;
            let nodes = graph.offline_start(&from)?;
            Current {
                rows: nodes.into_iter().map(|n| graph.id(n).clone()).collect(),
            }
        }
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

/// `migrate stamp TARGET [--purge]`.
pub fn stamp(project: &Project, raw: &str, purge: bool) -> Result<()> {
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
