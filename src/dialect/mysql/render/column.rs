//! A column's full definition (MySQL's `ADD`, `MODIFY` and `CREATE TABLE` all take the
//! whole of it) and its place among the table's columns (`FIRST`, `AFTER`).

use super::super::MysqlDialect;
use super::keys;
use crate::dialect::Dialect;
use crate::schema::{Check, Column, Generated, Table};
use anyhow::Result;

/// The clause renaming column `from` of `table` to `to` (the same column otherwise):
/// `RENAME COLUMN` where the server has it, else `CHANGE`, which restates the whole
/// definition, so that nothing of the column is lost.
pub fn rename(dialect: &MysqlDialect, table: &Table, from: &Column, to: &Column) -> Result<String> {
    Ok(if dialect.has_rename_column() {
        format!(
            "RENAME COLUMN {} TO {}",
            dialect.quote_ident(&from.name),
            dialect.quote_ident(&to.name)
        )
    } else {
        format!(
            "CHANGE COLUMN {} {}",
            dialect.quote_ident(&from.name),
            definition(dialect, table, to)?
        )
    })
}

/// `` `name` type [CHARACTER SET cs] [COLLATE co] `` then either `[GENERATED ALWAYS] AS
/// (e) VIRTUAL|STORED` or `NULL|NOT NULL [DEFAULT d] [ON UPDATE u] [AUTO_INCREMENT]`,
/// then `[INVISIBLE] [COMMENT '...']`, then the column's own check in `table` (MariaDB
/// `CHECK (e)`: the server keeps it in the column, so each `ADD` or `MODIFY` restates it).
/// `table` names the column in messages.
pub fn definition(dialect: &MysqlDialect, table: &Table, column: &Column) -> Result<String> {
    if column.type_text.trim().is_empty() {
        anyhow::bail!(
            "column {} of table {} has no type",
            column.name,
            table.display_name()
        );
    }
    let mut out = format!("{} {}", dialect.quote_ident(&column.name), column.type_text);
    if let Some(charset) = &column.ext.mysql.charset {
        out.push_str(&format!(" CHARACTER SET {}", word(charset)?));
    }
    if let Some(collation) = &column.collation {
        out.push_str(&format!(" COLLATE {}", word(collation)?));
    }
    if let Some(generated) = &column.generated {
        out.push_str(&crate::dialect::clauses::generated(generated));
    } else {
        out.push_str(if column.nullable {
            " NULL"
        } else {
            " NOT NULL"
        });
        if let Some(default) = &column.default {
            out.push_str(&format!(" DEFAULT {default}"));
        }
        if let Some(on_update) = &column.on_update {
            out.push_str(&format!(" ON UPDATE {on_update}"));
        }
        if column.auto_increment {
            out.push_str(" AUTO_INCREMENT");
        }
    }
    if column.ext.mysql.invisible {
        out.push_str(" INVISIBLE");
    }
    if let Some(comment) = &column.comment {
        out.push_str(&format!(" COMMENT {}", dialect.quote_literal(comment)));
    }
    for check in table
        .checks
        .iter()
        .filter(|k| k.ext.mysql.column.as_deref() == Some(column.name.as_str()))
    {
        out.push_str(&format!(" CHECK ({})", check.expression));
    }
    Ok(out)
}

/// ` FIRST` or `` AFTER `previous` ``: where column `name` stands in `order`.
pub fn position(dialect: &MysqlDialect, order: &[String], name: &str) -> String {
    match order.iter().position(|n| n == name) {
        Some(0) | None => " FIRST".to_string(),
        Some(at) => format!(" AFTER {}", dialect.quote_ident(&order[at - 1])),
    }
}

/// Whether the server refuses to `MODIFY` column `from` into `to`: MariaDB (error 1907,
/// "not yet supported for generated columns") and MySQL (error 3106) change neither a
/// VIRTUAL column into anything but a VIRTUAL one nor anything into a VIRTUAL one
/// (<https://mariadb.com/kb/en/generated-columns/>); see [`readd`].
pub fn modify_refused(from: &Column, to: &Column) -> bool {
    let is_virtual = |c: &Column| c.generated.as_ref().is_some_and(|g| !g.stored);
    is_virtual(from) != is_virtual(to)
}

/// The clauses turning column `old` into `new` of `table` (as the change leaves it) where
/// `MODIFY` is refused ([`modify_refused`]): the column dropped and added again in its
/// place in `order`, in one clause, so that the server keeps the indexes naming it (it
/// resolves them by name at the end of the statement). The table checks naming it are
/// dropped and added again in the same clause, since the server refuses to drop a column
/// a check names. A VIRTUAL column made plain comes back STORED (its values computed
/// into it), then a second clause makes it plain, keeping them.
pub fn readd(
    dialect: &MysqlDialect,
    table: &Table,
    old: &Column,
    new: &Column,
    order: &[String],
) -> Result<Vec<String>> {
    let quoted = dialect.quote_ident(&new.name);
    let checks: Vec<&Check> = table
        .checks
        .iter()
        .filter(|k| k.ext.mysql.column.is_none() && k.expression.contains(&quoted))
        .collect();
    let mut parts = Vec::new();
    for check in &checks {
        let name = keys::named(dialect, table, check.name.as_deref(), "check")?;
        parts.push(format!("DROP CONSTRAINT {name}"));
    }
    parts.push(format!("DROP COLUMN {quoted}"));
    let added = match (&old.generated, &new.generated) {
        (Some(g), None) => Column {
            generated: Some(Generated {
                expression: g.expression.clone(),
                stored: true,
            }),
            ..new.clone()
        },
        _ => new.clone(),
    };
    parts.push(format!(
        "ADD COLUMN {}{}",
        definition(dialect, table, &added)?,
        position(dialect, order, &new.name)
    ));
    parts.extend(
        checks
            .iter()
            .map(|k| format!("ADD {}", keys::check(dialect, k))),
    );
    let mut clauses = vec![parts.join(", ")];
    if added != *new {
        clauses.push(format!(
            "MODIFY COLUMN {}",
            definition(dialect, table, new)?
        ));
    }
    Ok(clauses)
}

/// The clauses (`MODIFY COLUMN ... AFTER ...`) that turn the column order `current` into
/// `wanted` (the same names), moving one column at a time into its place from the left,
/// each with its definition in `table`.
pub fn reorder(
    dialect: &MysqlDialect,
    table: &Table,
    mut current: Vec<String>,
    wanted: &[String],
) -> Result<Vec<String>> {
    let mut clauses = Vec::new();
    for (at, name) in wanted.iter().enumerate() {
        if current.get(at) == Some(name) {
            continue;
        }
        let Some(column) = table.column(name) else {
            anyhow::bail!(
                "table {} has no column {name} to move",
                table.display_name()
            );
        };
        current.retain(|n| n != name);
        current.insert(at.min(current.len()), name.clone());
        clauses.push(format!(
            "MODIFY COLUMN {}{}",
            definition(dialect, table, column)?,
            position(dialect, &current, name)
        ));
    }
    Ok(clauses)
}

/// A charset, collation, engine or option name, which MySQL takes as a bare word: one of
/// letters, digits and `_` only, so that no text of the model becomes SQL of its own.
pub fn word(name: &str) -> Result<&str> {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(name)
    } else {
        anyhow::bail!("{name:?} is not a MySQL charset, collation or option name")
    }
}
