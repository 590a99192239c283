//! Autogenerate: the desired schema (schema.sql in a scratch database) and the live one,
//! both inspected into the neutral model, diffed, and rendered as upgrade SQL plus its
//! exact inverse.

pub mod scratch;

use crate::dialect::{Dialect, Driver};
use crate::diff::{self, Op, TableChange};
use crate::schema::Schema;
use anyhow::Result;
use std::path::Path;

/// The result of comparing the live database with the desired schema.
pub struct Comparison {
    pub ops: Vec<Op>,
    /// Objects seen in either schema that autogenerate does not manage.
    pub unmanaged: Vec<String>,
}

/// Compares the live database behind `live` with the schema at `schema_path`, ignoring the
/// tool's own tables `exclude`.
pub fn compare(live: &mut dyn Driver, schema_path: &Path, exclude: &[&str]) -> Result<Comparison> {
    let dialect = live.dialect();
    let desired = scratch::desired_schema(dialect.engine(), schema_path, exclude)?;
    let current = live.inspect(exclude)?;
    Ok(Comparison {
        ops: diff::diff(&current, &desired, dialect),
        unmanaged: unmanaged(&current, &desired),
    })
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
            comparison.unmanaged.join(", ")
        ));
    }
    if looks_like_rename(&comparison.ops) {
        notes.push(
            "-- NOTE: a rename shows as a drop plus an add (the dropped data is lost); \
             edit this revision if you meant a rename"
                .to_string(),
        );
    }
    let upgrade = section(dialect, &comparison.ops, &notes)?;
    let downgrade = section(dialect, &inverse, &notes)?;
    Ok((upgrade, downgrade))
}

/// One section: per op, its `-- WARNING:` line if it may lose data, then its statements.
fn section(dialect: &dyn Dialect, ops: &[Op], notes: &[String]) -> Result<String> {
    let mut blocks: Vec<String> = notes.iter().map(|n| format!("{n}\n")).collect();
    let statements = dialect.render_ops(ops)?;
    for (warning, statements) in diff::warnings(ops, dialect).into_iter().zip(statements) {
        let mut block = String::new();
        if let Some(warning) = warning {
            block.push_str(&format!("-- WARNING: {warning}\n"));
        }
        for statement in statements {
            block.push_str(&statement);
            block.push_str(";\n");
        }
        blocks.push(block);
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
