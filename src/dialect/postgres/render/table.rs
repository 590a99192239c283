//! PostgreSQL DDL for tables, their columns and constraints, and indexes: `CREATE TABLE`
//! in `create.rs`, `ALTER TABLE` in `alter.rs` (a column's own changes in
//! `alter_column.rs`, the casts they need in `cast.rs`), column and constraint clauses in
//! `column.rs` and `constraint.rs`, indexes in `index.rs`.

mod alter;
mod alter_column;
mod cast;
mod column;
mod constraint;
mod create;
mod index;
mod rename;
#[cfg(test)]
mod tests;

use super::super::PostgresDialect;
pub(super) use super::{comment_on, qualified};
use crate::dialect::clauses::quoted_list;
use crate::diff::{describe, Op};
use anyhow::Result;

pub use rename::{rename_column, rename_constraint};

/// The statements performing a table or index op.
pub fn render(dialect: &PostgresDialect, op: &Op) -> Result<Vec<String>> {
    match op {
        Op::CreateTable(table) => create::create_table(dialect, table),
        Op::DropTable(table) => Ok(vec![format!(
            "DROP TABLE {}",
            qualified(dialect, &table.namespace, &table.name)
        )]),
        Op::AlterTable { from, to, changes } => alter::alter_table(dialect, from, to, changes),
        Op::RenameTable { from, to } => Ok(rename::rename_table(dialect, from, to)),
        Op::CreateIndex(index) => {
            let mut statements = vec![index::create_index(dialect, index)];
            if let Some(comment) = &index.ext.postgres.comment {
                let what = format!(
                    "INDEX {}",
                    qualified(dialect, &index.namespace, &index.name)
                );
                statements.push(comment_on(dialect, &what, Some(comment)));
            }
            Ok(statements)
        }
        Op::RenameIndex { from, to } => Ok(vec![rename::rename_index(dialect, from, to)]),
        Op::DropIndex(index) => Ok(vec![format!(
            "DROP INDEX {}",
            qualified(dialect, &index.namespace, &index.name)
        )]),
        _ => anyhow::bail!("{} is not a table or index change", describe(op)),
    }
}
