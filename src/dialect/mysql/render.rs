//! MySQL/MariaDB DDL for each op: tables and their keys in `table.rs` (key clauses in
//! `keys.rs`, a key change of an AUTO_INCREMENT column made one statement in
//! `auto_key.rs`), a column's definition and place in `column.rs`, indexes, views and
//! triggers in `objects.rs`.
//!
//! A created table carries its indexes in its `CREATE TABLE`: a foreign key there needs
//! an index on its columns, and the server makes one of its own (named after the key)
//! when none exists yet, which a later `CREATE INDEX` of that name would then meet. The
//! section's `CreateIndex` ops of created tables, and the `DropIndex` ops of dropped ones
//! (`DROP TABLE` takes its indexes, and the server refuses to drop one a foreign key
//! still needs), render no statement.

mod auto_key;
mod column;
mod keys;
mod objects;
mod table;
#[cfg(test)]
mod tests;

use super::MysqlDialect;
use crate::diff::{describe, Op};
use anyhow::Result;
use std::collections::BTreeSet;

/// The statements (without terminators) that perform `op` on MySQL/MariaDB.
pub fn render_op(dialect: &MysqlDialect, op: &Op) -> Result<Vec<String>> {
    match op {
        Op::CreateTable(_) | Op::DropTable(_) | Op::AlterTable { .. } | Op::RenameTable { .. } => {
            table::render(dialect, op, &[])
        }
        Op::CreateIndex(_)
        | Op::DropIndex(_)
        | Op::RenameIndex { .. }
        | Op::CreateView(_)
        | Op::DropView(_)
        | Op::CreateTrigger(_)
        | Op::DropTrigger(_) => objects::render(dialect, op),
        _ => anyhow::bail!("MySQL has no {}", describe(op)),
    }
}

/// The statements of each op of a section, parallel to `ops`: [`render_op`] of each,
/// except the index ops a created or dropped table's statement already performs, and those
/// an `ALTER TABLE` changing the key of an AUTO_INCREMENT column performs in its one
/// statement (`auto_key.rs`).
pub fn render_ops(dialect: &MysqlDialect, ops: &[Op]) -> Result<Vec<Vec<String>>> {
    let created: BTreeSet<String> = ops
        .iter()
        .filter_map(|op| match op {
            Op::CreateTable(t) => Some(t.key()),
            _ => None,
        })
        .collect();
    let dropped: BTreeSet<String> = ops
        .iter()
        .filter_map(|op| match op {
            Op::DropTable(t) => Some(t.key()),
            _ => None,
        })
        .collect();
    let folded = auto_key::folded_indexes(ops);
    let swapped = auto_key::swapped_indexes(ops);
    let performed: BTreeSet<usize> = folded
        .values()
        .flatten()
        .chain(swapped.values())
        .copied()
        .collect();
    ops.iter()
        .enumerate()
        .map(|(at, op)| match op {
            Op::CreateIndex(i) if created.contains(&i.table_key()) => Ok(Vec::new()),
            Op::DropIndex(i) if dropped.contains(&i.table_key()) => Ok(Vec::new()),
            _ if performed.contains(&at) => Ok(Vec::new()),
            Op::CreateIndex(created) if swapped.contains_key(&at) => {
                let Op::DropIndex(replaced) = &ops[swapped[&at]] else {
                    unreachable!("swapped_indexes pairs a CreateIndex with a DropIndex")
                };
                Ok(vec![keys::replace_index(dialect, replaced, created)])
            }
            Op::AlterTable { .. } if folded.contains_key(&at) => {
                let indexes: Vec<&Op> = folded[&at].iter().map(|&i| &ops[i]).collect();
                table::render(dialect, op, &indexes)
            }
            _ => render_op(dialect, op),
        })
        .collect()
}
