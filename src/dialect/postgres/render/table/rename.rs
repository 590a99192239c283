//! Renames (`-- migrate:renamed-from` hints): tables, columns, constraints and indexes,
//! each with `ALTER ... RENAME`. A `serial` column's sequence follows the table or column
//! name (`<table>_<column>_seq`): it is renamed along, so the column still reads back as
//! a `serial`.

use super::super::super::PostgresDialect;
use super::column::serial_base;
use super::qualified;
use crate::dialect::Dialect;
use crate::schema::{Column, Index, Table};

/// The longest identifier PostgreSQL keeps (longer sequence names it shortens, and the
/// inspector then takes any name: nothing to rename).
const NAME_MAX: usize = 63;

/// `ALTER TABLE ... RENAME TO`, and the renames of its serial columns' sequences.
pub fn rename_table(dialect: &PostgresDialect, from: &Table, to: &Table) -> Vec<String> {
    let mut out = vec![format!(
        "ALTER TABLE {} RENAME TO {}",
        qualified(dialect, &from.namespace, &from.name),
        dialect.quote_ident(&to.name)
    )];
    for column in from.columns.iter().filter(|c| is_serial(c)) {
        out.extend(rename_sequence(
            dialect,
            &from.namespace,
            (&from.name, &column.name),
            (&to.name, &column.name),
        ));
    }
    out
}

/// `ALTER TABLE ... RENAME COLUMN` of `table`, and the rename of a serial's sequence.
pub fn rename_column(
    dialect: &PostgresDialect,
    table: &Table,
    from: &Column,
    to: &Column,
) -> Vec<String> {
    let mut out = vec![format!(
        "ALTER TABLE {} RENAME COLUMN {} TO {}",
        qualified(dialect, &table.namespace, &table.name),
        dialect.quote_ident(&from.name),
        dialect.quote_ident(&to.name)
    )];
    if is_serial(from) {
        out.extend(rename_sequence(
            dialect,
            &table.namespace,
            (&table.name, &from.name),
            (&table.name, &to.name),
        ));
    }
    out
}

/// `ALTER TABLE ... RENAME CONSTRAINT` (the index of a key follows its constraint).
pub fn rename_constraint(dialect: &PostgresDialect, table: &Table, from: &str, to: &str) -> String {
    format!(
        "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
        qualified(dialect, &table.namespace, &table.name),
        dialect.quote_ident(from),
        dialect.quote_ident(to)
    )
}

/// `ALTER INDEX ... RENAME TO`.
pub fn rename_index(dialect: &PostgresDialect, from: &Index, to: &Index) -> String {
    format!(
        "ALTER INDEX {} RENAME TO {}",
        qualified(dialect, &from.namespace, &from.name),
        dialect.quote_ident(&to.name)
    )
}

fn is_serial(column: &Column) -> bool {
    serial_base(&column.type_text).is_some()
}

/// `ALTER SEQUENCE` renaming the sequence PostgreSQL named after (table, column) `from`
/// to the name it gives (table, column) `to`; none when either name is too long to be
/// the one PostgreSQL gives.
fn rename_sequence(
    dialect: &PostgresDialect,
    namespace: &str,
    from: (&str, &str),
    to: (&str, &str),
) -> Option<String> {
    let name = |(table, column): (&str, &str)| format!("{table}_{column}_seq");
    let (old, new) = (name(from), name(to));
    (old.len() <= NAME_MAX && new.len() <= NAME_MAX && old != new).then(|| {
        format!(
            "ALTER SEQUENCE {} RENAME TO {}",
            qualified(dialect, namespace, &old),
            dialect.quote_ident(&new)
        )
    })
}
