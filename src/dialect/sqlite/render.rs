//! SQLite rendering: DDL for each op, with the documented table-rebuild procedure for what
//! ALTER TABLE cannot do.

use crate::diff::{Op, TableChange};
use crate::schema::Table;

/// Whether SQLite's ALTER TABLE can make `change` to `table` in place.
pub fn alter_in_place(table: &Table, change: &TableChange) -> bool {
    let _ = (table, change);
    todo!("helper: SQLite render")
}

/// The statements performing `op` on SQLite.
pub fn render_op(op: &Op) -> Vec<String> {
    let _ = op;
    todo!("helper: SQLite render")
}
