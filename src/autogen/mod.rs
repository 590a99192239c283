//! Autogenerate: the desired schema (schema.sql in a scratch database) and the live one,
//! both inspected into the neutral model, diffed, and rendered as upgrade SQL plus its
//! exact inverse.

pub mod cache;
pub mod scratch;
mod unmanaged;

use crate::dialect::{Dialect, Driver};
use crate::diff::{self, Op, TableChange};
use crate::echo;
use crate::schema::filter::Filter;
use crate::schema::Schema;
use crate::sql::hints::RenameHint;
use crate::sql::lex::LexOptions;
use crate::url::DatabaseUrl;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// The result of comparing the live database with the desired schema.
pub struct Comparison {
    pub ops: Vec<Op>,
    /// Objects seen in either schema that autogenerate does not manage.
    pub unmanaged: Vec<String>,
}

/// Where the desired schema comes from.
pub struct Desired<'a> {
    /// schema.sql, or a directory of `.sql` files.
    pub schema_path: &'a Path,
    /// The model cache file (see `cache::path`).
    pub cache_file: &'a Path,
    /// Where scratch databases are made: `dev_url` if set, else the live database's URL
    /// (its server; SQLite scratch databases are in memory either way).
    pub scratch_url: &'a DatabaseUrl,
    /// How to connect there (the lock mode and schemas of the project).
    pub connect: &'a crate::engine::ConnectOptions,
}

/// Compares the live database behind `live` with the desired schema, ignoring the tool's
/// own tables `exclude`. The desired model is built (or read from the cache) on a second
/// thread while the live database is inspected, and a freshly built model is written to
/// the cache while the two are diffed. `log` hears about a cache that could not be
/// written (a warning, not a failure).
pub fn compare(
    live: &mut dyn Driver,
    desired: &Desired<'_>,
    filter: &Filter,
    log: &mut dyn FnMut(&str),
) -> Result<Comparison> {
    let dialect = live.dialect();
    let server = dialect.server().to_string();
    let namespaces = live.namespaces();
    let lex = dialect.lex_options();
    let (model, current) = std::thread::scope(|scope| {
        let model = scope.spawn(|| desired_model(&server, &namespaces, desired, filter, &lex));
        let current = live.inspect(filter);
        (join(model), current)
    });
    let (model, current) = (model?, current?);
    unmanaged::refuse_clashes(&current, &model.schema)?;
    let (ops, stored) = std::thread::scope(|scope| {
        let stored = model
            .unsaved
            .as_ref()
            .map(|key| scope.spawn(|| cache::store(desired.cache_file, key, &model.schema)));
        let ops = diff::diff_renaming(&current, &model.schema, &model.hints, &*dialect);
        (ops, stored.map(join))
    });
    let ops = ops?;
    if let Some(Err(error)) = stored {
        log(&format!("warning: schema cache not written: {error:#}"));
    }
    Ok(Comparison {
        ops,
        unmanaged: unmanaged(&current, &model.schema),
    })
}

/// The desired schema's model, and the cache key to store it under when it was just
/// built rather than read from the cache.
pub struct DesiredModel {
    pub schema: Schema,
    pub unsaved: Option<String>,
    /// The rename hints of the schema files (read from their text, cached or not).
    pub hints: Vec<RenameHint>,
}

/// The desired schema's model: from the cache when its key matches, else loaded into a
/// scratch database; with the files' rename hints, lexed as `lex` says.
pub fn desired_model(
    server: &str,
    namespaces: &[String],
    desired: &Desired<'_>,
    filter: &Filter,
    lex: &LexOptions,
) -> Result<DesiredModel> {
    let files = scratch::read_schema_files(desired.schema_path)?;
    let hints = rename_hints(&files, lex)?;
    let key = cache::key(&cache::Inputs {
        files: &files,
        server,
        scratch: &desired.scratch_url.to_string(),
        namespaces,
        exclude: filter.own_tables(),
    });
    if let Some(schema) = cache::load(desired.cache_file, &key) {
        return Ok(DesiredModel {
            schema,
            unsaved: None,
            hints,
        });
    }
    Ok(DesiredModel {
        schema: scratch::desired_schema(desired.scratch_url, desired.connect, &files, filter)?,
        unsaved: Some(key),
        hints,
    })
}

/// The rename hints of every schema file (`sql::hints`). A file that is not UTF-8 has
/// none (loading it reports what is wrong with it).
fn rename_hints(files: &[(PathBuf, Vec<u8>)], lex: &LexOptions) -> Result<Vec<RenameHint>> {
    let mut hints = Vec::new();
    for (path, bytes) in files {
        if let Ok(text) = std::str::from_utf8(bytes) {
            hints.extend(crate::sql::hints::parse(path, text, lex)?);
        }
    }
    Ok(hints)
}

/// The result of a scoped thread, its panic resumed on this one.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn unmanaged(current: &Schema, desired: &Schema) -> Vec<String> {
    let mut all: Vec<String> = current
        .unmanaged
        .iter()
        .chain(&desired.unmanaged)
        .cloned()
        .collect();
    all.sort();
    all.dedup();
    all
}

/// The upgrade and downgrade sections for `comparison`.
pub fn render(dialect: &dyn Dialect, comparison: &Comparison) -> Result<(String, String)> {
    let inverse: Vec<Op> = comparison.ops.iter().rev().map(Op::invert).collect();
    let mut notes = Vec::new();
    if !comparison.unmanaged.is_empty() {
        notes.push(format!(
            "-- NOTE: not managed by autogenerate and left alone: {}",
            echo::escape(&comparison.unmanaged.join(", "))
        ));
    }
    if looks_like_rename(&comparison.ops) {
        notes.push(
            "-- NOTE: a rename shows as a drop plus an add (the dropped data is lost); \
             if you meant a rename, end the new column's definition (or the new table's \
             CREATE TABLE line) in schema.sql with `-- migrate:renamed-from OLD` and \
             generate again"
                .to_string(),
        );
    }
    let upgrade = section(dialect, &comparison.ops, &notes)?;
    let downgrade = section(dialect, &inverse, &notes)?;
    Ok((upgrade, downgrade))
}

/// Whether the revision can run in a transaction: not when either section needs a
/// statement committed before a later one runs (see `Dialect::runs_outside_transaction`).
pub fn transactional(dialect: &dyn Dialect, comparison: &Comparison) -> Result<bool> {
    let inverse: Vec<Op> = comparison.ops.iter().rev().map(Op::invert).collect();
    Ok(!dialect.runs_outside_transaction(&comparison.ops)?
        && !dialect.runs_outside_transaction(&inverse)?)
}

/// One section: per op, its `-- WARNING:` line if it may lose data, then its statements.
fn section(dialect: &dyn Dialect, ops: &[Op], notes: &[String]) -> Result<String> {
    let mut blocks: Vec<String> = notes.iter().map(|n| format!("{n}\n")).collect();
    let statements = dialect.render_ops(ops)?;
    for (warning, statements) in diff::warnings(ops, dialect).into_iter().zip(statements) {
        let mut block = String::new();
        if let Some(warning) = warning {
            // Names may hold line breaks: the comment stays one line.
            block.push_str(&format!("-- WARNING: {}\n", echo::escape(&warning)));
        }
        for statement in statements {
            block.push_str(&statement);
            block.push_str(";\n");
        }
        // An op another op's statement performs leaves no block (nor a blank line).
        if !block.is_empty() {
            blocks.push(block);
        }
    }
    Ok(blocks.join("\n").trim_end().to_string())
}

/// Whether the ops drop and add objects of one kind, as a rename would.
fn looks_like_rename(ops: &[Op]) -> bool {
    let has = |f: &dyn Fn(&Op) -> bool| ops.iter().any(f);
    let table_swap =
        has(&|op| matches!(op, Op::DropTable(_))) && has(&|op| matches!(op, Op::CreateTable(_)));
    let column_swap = ops.iter().any(|op| match op {
        Op::AlterTable { changes, .. } => {
            changes
                .iter()
                .any(|c| matches!(c, TableChange::DropColumn(_)))
                && changes
                    .iter()
                    .any(|c| matches!(c, TableChange::AddColumn(_)))
        }
        _ => false,
    });
    table_swap || column_swap
}
