//! `CREATE TABLE`, with what cannot be said inside it in statements after: a nullable
//! serial, `NOT VALID` constraints (added with `ALTER TABLE ... ADD ... NOT VALID`) and
//! comments.

use super::super::super::PostgresDialect;
use super::{column, comment_on, constraint, qualified};
use crate::dialect::Dialect;
use crate::schema::Table;
use anyhow::Result;

/// `CREATE [UNLOGGED] TABLE` with the columns in order, then the primary key, uniques,
/// checks, exclusion constraints and foreign keys; then the `NOT VALID` checks and
/// foreign keys, the table's comment and the columns' comments.
pub fn create_table(dialect: &PostgresDialect, table: &Table) -> Result<Vec<String>> {
    let name = qualified(dialect, &table.namespace, &table.name);
    let ext = &table.ext.postgres;
    let mut items = Vec::new();
    for c in &table.columns {
        items.push(column::definition(dialect, c)?);
    }
    if let Some(pk) = &table.primary_key {
        items.push(constraint::primary_key(dialect, pk));
    }
    for u in &table.uniques {
        items.push(constraint::unique(dialect, u));
    }
    let (not_valid_checks, checks): (Vec<_>, Vec<_>) =
        table.checks.iter().partition(|c| c.ext.postgres.not_valid);
    for c in checks {
        items.push(constraint::check(dialect, c, false));
    }
    for x in &ext.exclusions {
        items.push(format!(
            "CONSTRAINT {} {}",
            dialect.quote_ident(&x.name),
            x.definition
        ));
    }
    let (not_valid_fks, fks): (Vec<_>, Vec<_>) = table
        .foreign_keys
        .iter()
        .partition(|f| f.ext.postgres.not_valid);
    for f in fks {
        items.push(constraint::foreign_key(dialect, f, false));
    }
    let body = if items.is_empty() {
        String::new()
    } else {
        format!("\n    {}\n", items.join(",\n    "))
    };
    let unlogged = if ext.unlogged { "UNLOGGED " } else { "" };
    let mut out = vec![format!("CREATE {unlogged}TABLE {name} ({body})")];
    for c in table.columns.iter().filter(|c| column::nullable_serial(c)) {
        out.push(column::drop_not_null(dialect, &name, c));
    }
    for c in not_valid_checks {
        let clause = constraint::check(dialect, c, true);
        out.push(format!("ALTER TABLE {name} ADD {clause}"));
    }
    for f in not_valid_fks {
        let clause = constraint::foreign_key(dialect, f, true);
        out.push(format!("ALTER TABLE {name} ADD {clause}"));
    }
    if table.comment.is_some() {
        out.push(comment_on(
            dialect,
            &format!("TABLE {name}"),
            table.comment.as_deref(),
        ));
    }
    for c in table.columns.iter().filter(|c| c.comment.is_some()) {
        let what = format!("COLUMN {name}.{}", dialect.quote_ident(&c.name));
        out.push(comment_on(dialect, &what, c.comment.as_deref()));
    }
    Ok(out)
}
