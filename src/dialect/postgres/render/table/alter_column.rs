//! `ALTER COLUMN`: one column's changes in place, in an order PostgreSQL accepts: what
//! goes away first (identity, a serial's sequence, the default), then type and collation,
//! nullability, the new default, what comes (a serial's sequence, identity), the comment.
//! A generation expression PostgreSQL cannot change in place: `alter.rs` drops and adds
//! such a column again (see `equivalence::readds_column`).

use super::super::super::PostgresDialect;
use super::{cast, column, comment_on, qualified};
use crate::dialect::Dialect;
use crate::diff::{ColumnDelta, ColumnPart};
use crate::schema::{Column, Table};
use anyhow::Result;

/// The statements changing column `from` of `table` (as the change leaves it) into `to`
/// in place; `delta` says what differs.
pub fn alter_column(
    dialect: &PostgresDialect,
    table: &Table,
    from: &Column,
    to: &Column,
    delta: &ColumnDelta,
) -> Result<Vec<String>> {
    if delta.has(ColumnPart::OnUpdate) {
        anyhow::bail!("PostgreSQL has no ON UPDATE clause (column {})", to.name);
    }
    let name = qualified(dialect, &table.namespace, &table.name);
    let col = dialect.quote_ident(&to.name);
    let alter = |action: String| format!("ALTER TABLE {name} ALTER COLUMN {col} {action}");
    let (from_identity, to_identity) = (&from.ext.postgres.identity, &to.ext.postgres.identity);
    let from_serial = column::serial_base(&from.type_text).is_some();
    let to_serial = column::serial_base(&to.type_text).is_some();
    let retyped = delta.has(ColumnPart::Type) || delta.has(ColumnPart::Collation);
    let mut out = Vec::new();

    // What goes away.
    if from.generated.is_some() && to.generated.is_none() {
        out.push(alter("DROP EXPRESSION".into()));
    }
    if from_identity.is_some() && to_identity.is_none() {
        out.push(alter("DROP IDENTITY".into()));
    }
    if from_serial && !to_serial {
        out.push(alter("DROP DEFAULT".into()));
        out.push(drop_serial_sequence(dialect, &name, &to.name));
    }
    // The old default may not convert to the new type: dropped, and set again after.
    let default_changes = delta.has(ColumnPart::Default) || retyped;
    if from.default.is_some() && default_changes {
        out.push(alter("DROP DEFAULT".into()));
    }

    // Type and collation.
    let (old_type, new_type) = (
        column::real_type(&from.type_text),
        column::real_type(&to.type_text),
    );
    if retyped && (old_type != new_type || delta.has(ColumnPart::Collation)) {
        let mut action = format!("TYPE {new_type}");
        match &to.collation {
            Some(collation) => action.push_str(&format!(" COLLATE {collation}")),
            None if delta.has(ColumnPart::Collation) => action.push_str(" COLLATE \"default\""),
            None => {}
        }
        if let Some(using) = cast::using(&col, old_type, new_type) {
            action.push_str(&format!(" USING {using}"));
        }
        out.push(alter(action));
    }

    if from_serial && to_serial && old_type != new_type {
        // A serial's sequence has its column's type (`bigserial`: `AS bigint`).
        let sequence = serial_sequence(dialect, &name, &to.name);
        out.push(format!(
            "DO $migrate$BEGIN EXECUTE 'ALTER SEQUENCE ' || {sequence} || ' AS {new_type}'; END$migrate$"
        ));
    }

    // Nullability and the new default.
    if delta.has(ColumnPart::Nullability) {
        out.push(alter(
            if to.nullable {
                "DROP NOT NULL"
            } else {
                "SET NOT NULL"
            }
            .into(),
        ));
    }
    if let Some(default) = to.default.as_ref().filter(|_| default_changes) {
        out.push(alter(format!("SET DEFAULT {default}")));
    }

    // What comes.
    if to_serial && !from_serial {
        out.extend(add_serial_sequence(dialect, table, to));
    }
    match (from_identity, to_identity) {
        (None, Some(identity)) => {
            out.push(alter(format!("ADD {}", column::identity_clause(identity))));
            out.extend(catch_up(dialect, table, to, identity.options.increment));
        }
        (Some(old), Some(new)) if old != new => {
            if old.always != new.always {
                out.push(alter(format!("SET GENERATED {}", column::generation(new))));
            }
            let changes = column::sequence_changes(&old.options, &new.options);
            if !changes.is_empty() {
                out.push(alter(changes.join(" ")));
            }
        }
        _ => {}
    }
    if delta.has(ColumnPart::Comment) {
        let what = format!("COLUMN {name}.{col}");
        out.push(comment_on(dialect, &what, to.comment.as_deref()));
    }
    Ok(out)
}

/// The expression naming the sequence a serial column owns: its name is PostgreSQL's
/// choice (`<table>_<column>_seq`, shortened or numbered when taken), so the server says.
fn serial_sequence(dialect: &PostgresDialect, table: &str, column: &str) -> String {
    format!(
        "pg_get_serial_sequence({}, {})",
        dialect.quote_literal(table),
        dialect.quote_literal(column)
    )
}

/// Drops the sequence serial column `column` of `table` owns.
fn drop_serial_sequence(dialect: &PostgresDialect, table: &str, column: &str) -> String {
    let sequence = serial_sequence(dialect, table, column);
    format!("DO $migrate$BEGIN EXECUTE 'DROP SEQUENCE ' || {sequence}; END$migrate$")
}

/// Makes integer column `column` of `table` a serial: a sequence of its type owned by
/// it, its default, and the sequence moved past the values the rows hold.
fn add_serial_sequence(dialect: &PostgresDialect, table: &Table, column: &Column) -> Vec<String> {
    let base = column::real_type(&column.type_text);
    let mut sequence_name = format!("{}_{}_seq", table.name, column.name);
    while sequence_name.len() > 63 {
        sequence_name.pop();
    }
    let sequence = qualified(dialect, &table.namespace, &sequence_name);
    let name = qualified(dialect, &table.namespace, &table.name);
    let col = dialect.quote_ident(&column.name);
    let mut out = vec![
        format!("CREATE SEQUENCE {sequence} AS {base} OWNED BY {name}.{col}"),
        format!(
            "ALTER TABLE {name} ALTER COLUMN {col} SET DEFAULT nextval({}::regclass)",
            dialect.quote_literal(&sequence)
        ),
    ];
    out.extend(catch_up(dialect, table, column, None));
    out
}

/// Moves the sequence of serial or identity column `column` of `table` past the largest
/// value its rows hold, so that the next row does not collide (ascending sequences only;
/// nothing when no row holds a value from the sequence's start on).
pub fn catch_up(
    dialect: &PostgresDialect,
    table: &Table,
    column: &Column,
    increment: Option<i64>,
) -> Option<String> {
    if increment.unwrap_or(1) < 0 {
        return None;
    }
    let name = qualified(dialect, &table.namespace, &table.name);
    let col = dialect.quote_ident(&column.name);
    let start = column
        .ext
        .postgres
        .identity
        .as_ref()
        .and_then(|i| i.options.start.or(i.options.min_value))
        .unwrap_or(1);
    Some(format!(
        "SELECT setval({}, max({col})) FROM {name} HAVING max({col}) >= {start}",
        serial_sequence(dialect, &name, &column.name)
    ))
}
