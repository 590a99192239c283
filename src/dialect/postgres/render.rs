//! PostgreSQL DDL for each op: tables and what hangs off them in `table.rs`, the
//! schema-level objects (schemas, extensions, types, sequences, functions), views and
//! triggers in `objects.rs`.

mod objects;
mod table;

use super::PostgresDialect;
use crate::dialect::Dialect;
use crate::diff::Op;
use anyhow::Result;

pub(crate) use crate::dialect::clauses::qualified;

/// `COMMENT ON <what> IS '...'` (or `IS NULL`).
pub(crate) fn comment_on(dialect: &PostgresDialect, what: &str, comment: Option<&str>) -> String {
    let text = comment.map_or_else(|| "NULL".to_string(), |c| dialect.quote_literal(c));
    format!("COMMENT ON {what} IS {text}")
}

/// The statements (without terminators) that perform `op` on PostgreSQL.
pub fn render_op(dialect: &PostgresDialect, op: &Op) -> Result<Vec<String>> {
    match op {
        Op::CreateTable(_)
        | Op::DropTable(_)
        | Op::AlterTable { .. }
        | Op::RenameTable { .. }
        | Op::CreateIndex(_)
        | Op::DropIndex(_)
        | Op::RenameIndex { .. } => table::render(dialect, op),
        Op::CreateView(_)
        | Op::DropView(_)
        | Op::CreateTrigger(_)
        | Op::DropTrigger(_)
        | Op::CreateNamespace(_)
        | Op::DropNamespace(_)
        | Op::CreateExtension(_)
        | Op::DropExtension(_)
        | Op::CreateEnum(_)
        | Op::DropEnum(_)
        | Op::AlterEnum { .. }
        | Op::CreateSequence(_)
        | Op::DropSequence(_)
        | Op::AlterSequence { .. }
        | Op::CreateFunction(_)
        | Op::DropFunction(_)
        | Op::ReplaceFunction { .. } => objects::render(dialect, op),
    }
}

/// The statements of each op of a section, parallel to `ops`: [`render_op`] of each, with
/// what the section as a whole needs added by `objects::complete_section`.
pub fn render_ops(dialect: &PostgresDialect, ops: &[Op]) -> Result<Vec<Vec<String>>> {
    let mut rendered = ops
        .iter()
        .map(|op| render_op(dialect, op))
        .collect::<Result<Vec<_>>>()?;
    objects::complete_section(dialect, ops, &mut rendered);
    Ok(rendered)
}

/// Whether a section must run outside a transaction: it adds an enum label and then
/// uses it, which PostgreSQL refuses before the addition is committed ("unsafe use of
/// new value"); outside a transaction each statement commits before the next runs.
pub fn runs_outside_transaction(dialect: &PostgresDialect, ops: &[Op]) -> Result<bool> {
    let rendered = ops
        .iter()
        .map(|op| render_op(dialect, op))
        .collect::<Result<Vec<_>>>()?;
    Ok(!objects::new_labels_used_later(dialect, ops, &rendered).is_empty())
}
