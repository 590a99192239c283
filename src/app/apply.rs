//! `upgrade`, `downgrade` (live or `--sql`) and `stamp`.

use super::json::AppliedDoc;
use super::{cli_error, emit, Project, UsageError};
use crate::cli::ApplyArgs;
use crate::revision::plan::Direction;
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
    let migrator = project.migrator().allow_changed(args.allow_changed);
    if args.sql {
        emit(&migrator.script(direction, raw).map_err(cli_error)?);
        return Ok(());
    }
    refuse_range(raw)?;
    let out = project.out;
    let mut printed = Ok(());
    let count = migrator
        .apply(direction, raw, &mut |applied| {
            if out.json && printed.is_ok() {
                printed = super::json::emit_json(&AppliedDoc::of(applied));
            }
        })
        .map_err(cli_error)?;
    printed?;
    if count == 0 && out.verbose {
        out.log(&format!("nothing to do: the database is already at {raw}"));
    }
    Ok(())
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

/// `migrate stamp TARGET [--purge] [--sql]`; with `--sql` the script, from base unless
/// FROM is given (as Alembic's offline stamp); `--purge` reads a database, which a
/// script cannot.
pub fn stamp(project: &Project, raw: &str, purge: bool, sql: bool) -> Result<()> {
    let migrator = project.migrator();
    if sql {
        if purge {
            return Err(UsageError(
                "--purge cannot be used with --sql: a script cannot read the version rows it would erase".into(),
            )
            .into());
        }
        emit(&migrator.stamp_script(raw).map_err(cli_error)?);
        return Ok(());
    }
    refuse_range(raw)?;
    let rows = migrator.stamp(raw, purge).map_err(cli_error)?;
    let shown = if rows.is_empty() {
        "base".to_string()
    } else {
        rows.join(", ")
    };
    project.out.log(&format!("Stamped the database at {shown}"));
    Ok(())
}

/// `migrate ensure-version [--sql]`: the version tables, created if missing (or their
/// `CREATE TABLE IF NOT EXISTS` statements printed); no version row is written.
pub fn ensure_version(project: &Project, sql: bool) -> Result<()> {
    let migrator = project.migrator();
    if sql {
        emit(&migrator.ensure_version_script());
        return Ok(());
    }
    let (table, history) = migrator.ensure_version().map_err(cli_error)?;
    project
        .out
        .log(&format!("The version tables {table} and {history} exist"));
    Ok(())
}
