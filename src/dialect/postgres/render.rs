//! PostgreSQL DDL for each op: tables and what hangs off them in `table.rs`, the
//! schema-level objects (schemas, extensions, types, sequences, functions), views and
//! triggers in `objects.rs`.

mod objects;
mod table;

use super::PostgresDialect;
use crate::diff::Op;
use anyhow::Result;

/// The statements (without terminators) that perform `op` on PostgreSQL.
pub fn render_op(dialect: &PostgresDialect, op: &Op) -> Result<Vec<String>> {
    match op {
        Op::CreateTable(_)
        | Op::DropTable(_)
        | Op::AlterTable { .. }
        | Op::CreateIndex(_)
        | Op::DropIndex(_) => table::render(dialect, op),
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
