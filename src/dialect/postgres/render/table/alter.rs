//! `ALTER TABLE`: each change of an `AlterTable` op as statements, in the op's order,
//! except that exclusion constraints that go are dropped first (a dropped column takes
//! its constraints with it) and the table options come last.

use super::super::super::equivalence::readds_column;
use super::super::super::PostgresDialect;
use super::{alter_column, column, comment_on, constraint, qualified};
use crate::dialect::Dialect;
use crate::diff::TableChange;
use crate::schema::{Column, Table};
use anyhow::Result;

/// The statements turning table `from` into `to` by `changes`.
pub fn alter_table(
    dialect: &PostgresDialect,
    from: &Table,
    to: &Table,
    changes: &[TableChange],
) -> Result<Vec<String>> {
    let name = qualified(dialect, &to.namespace, &to.name);
    let alter = |action: String| format!("ALTER TABLE {name} {action}");
    let options = changes.iter().any(|c| matches!(c, TableChange::SetOptions));
    let mut out = Vec::new();
    if options {
        for x in &from.ext.postgres.exclusions {
            if !to.ext.postgres.exclusions.contains(x) {
                out.push(alter(format!(
                    "DROP CONSTRAINT {}",
                    dialect.quote_ident(&x.name)
                )));
            }
        }
    }
    for change in changes {
        match change {
            TableChange::AddColumn(c) => out.extend(add_column(dialect, to, c)?),
            TableChange::DropColumn(c) => out.push(alter(format!(
                "DROP COLUMN {}",
                dialect.quote_ident(&c.name)
            ))),
            TableChange::AlterColumn {
                from: old,
                to: new,
                delta,
            } => {
                if readds_column(&dialect.server, old, new, delta) {
                    out.extend(readd_column(dialect, to, new, changes)?);
                } else {
                    out.extend(alter_column::alter_column(dialect, to, old, new, delta)?);
                }
            }
            TableChange::SetPrimaryKey { from: old, to: new } => {
                if let Some(pk) = old {
                    let pk_name = constraint::primary_key_name(from, pk)?;
                    out.push(alter(drop_constraint(dialect, &pk_name)));
                }
                if let Some(pk) = new {
                    out.push(alter(format!(
                        "ADD {}",
                        constraint::primary_key(dialect, pk)
                    )));
                }
            }
            TableChange::AddUnique(u) => {
                out.push(alter(format!("ADD {}", constraint::unique(dialect, u))));
            }
            TableChange::DropUnique(u) => {
                let unique_name = constraint::unique_name(from, u)?;
                out.push(alter(drop_constraint(dialect, &unique_name)));
            }
            TableChange::AddForeignKey(f) => out.push(alter(format!(
                "ADD {}",
                constraint::foreign_key(dialect, f, true)
            ))),
            TableChange::DropForeignKey(f) => {
                let fk_name = constraint::foreign_key_name(from, f)?;
                out.push(alter(drop_constraint(dialect, &fk_name)));
            }
            TableChange::AddCheck(c) => {
                out.push(alter(format!(
                    "ADD {}",
                    constraint::check(dialect, c, true)
                )));
            }
            TableChange::DropCheck(c) => {
                let check_name = constraint::check_name(from, c)?;
                out.push(alter(drop_constraint(dialect, &check_name)));
            }
            TableChange::RenameColumn { from: old, to: new } => {
                out.extend(super::rename_column(dialect, to, old, new));
            }
            TableChange::RenameKey {
                from: old, to: new, ..
            } => {
                out.push(super::rename_constraint(dialect, to, old, new));
            }
            TableChange::ReorderColumns { .. } => anyhow::bail!(
                "PostgreSQL cannot reorder the columns of table {}",
                to.display_name()
            ),
            TableChange::SetOptions => {}
        }
    }
    if options {
        out.extend(set_options(dialect, from, to));
    }
    Ok(out)
}

fn drop_constraint(dialect: &PostgresDialect, name: &str) -> String {
    format!("DROP CONSTRAINT {}", dialect.quote_ident(name))
}

/// `ADD COLUMN` with the column's whole definition, and its comment.
fn add_column(dialect: &PostgresDialect, table: &Table, c: &Column) -> Result<Vec<String>> {
    let name = qualified(dialect, &table.namespace, &table.name);
    let mut out = vec![format!(
        "ALTER TABLE {name} ADD COLUMN {}",
        column::definition(dialect, c)?
    )];
    if column::nullable_serial(c) {
        out.push(column::drop_not_null(dialect, &name, c));
    }
    if c.comment.is_some() {
        let what = format!("COLUMN {name}.{}", dialect.quote_ident(&c.name));
        out.push(comment_on(dialect, &what, c.comment.as_deref()));
    }
    Ok(out)
}

/// Drops column `old` and adds it again as `new` (PostgreSQL cannot add or change a
/// generation expression in place), then adds back the constraints of `table` that name
/// it and that `changes` does not add anyway: dropping the column dropped them. The
/// column moves to the end of the table. Its indexes the differ re-creates (it does not
/// call this change in place).
fn readd_column(
    dialect: &PostgresDialect,
    table: &Table,
    new: &Column,
    changes: &[TableChange],
) -> Result<Vec<String>> {
    let name = qualified(dialect, &table.namespace, &table.name);
    let col = dialect.quote_ident(&new.name);
    let alter = |action: String| format!("ALTER TABLE {name} {action}");
    let why = if new.generated.is_some() {
        "PostgreSQL cannot add or change a generation expression in place"
    } else {
        "this PostgreSQL cannot drop a generation expression in place"
    };
    let mut out = vec![format!(
        "-- column {} of {} is dropped and added again at the end of the table: {why}\n{}",
        new.name,
        table.display_name(),
        alter(format!("DROP COLUMN {col}"))
    )];
    out.extend(add_column(dialect, table, new)?);
    let names_it = |columns: &[String]| columns.contains(&new.name);
    let kept = |c: &TableChange| !changes.contains(c);
    if let Some(pk) = table
        .primary_key
        .as_ref()
        .filter(|pk| names_it(&pk.columns))
    {
        let set = TableChange::SetPrimaryKey {
            from: None,
            to: Some(pk.clone()),
        };
        if kept(&set) {
            out.push(alter(format!(
                "ADD {}",
                constraint::primary_key(dialect, pk)
            )));
        }
    }
    for u in table.uniques.iter().filter(|u| names_it(&u.columns)) {
        if kept(&TableChange::AddUnique(u.clone())) {
            out.push(alter(format!("ADD {}", constraint::unique(dialect, u))));
        }
    }
    for c in &table.checks {
        if reads_column(&c.expression, &new.name) && kept(&TableChange::AddCheck(c.clone())) {
            out.push(alter(format!(
                "ADD {}",
                constraint::check(dialect, c, true)
            )));
        }
    }
    for f in table.foreign_keys.iter().filter(|f| names_it(&f.columns)) {
        if kept(&TableChange::AddForeignKey(f.clone())) {
            let clause = constraint::foreign_key(dialect, f, true);
            out.push(alter(format!("ADD {clause}")));
        }
    }
    Ok(out)
}

/// Whether `expression` names column `column` (as a bare word, folded to lower case, or
/// double-quoted).
fn reads_column(expression: &str, column: &str) -> bool {
    let quoted = format!("\"{}\"", column.replace('"', "\"\""));
    if expression.contains(&quoted) {
        return true;
    }
    expression
        .split(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$'))
        .any(|word| word.to_lowercase() == column)
}

/// The table options of `to` that differ from `from`'s: logging, the exclusion
/// constraints it adds (those it drops went first), the comment.
fn set_options(dialect: &PostgresDialect, from: &Table, to: &Table) -> Vec<String> {
    let name = qualified(dialect, &to.namespace, &to.name);
    let (old, new) = (&from.ext.postgres, &to.ext.postgres);
    let mut out = Vec::new();
    if old.unlogged != new.unlogged {
        let logging = if new.unlogged { "UNLOGGED" } else { "LOGGED" };
        out.push(format!("ALTER TABLE {name} SET {logging}"));
    }
    for x in &new.exclusions {
        if !old.exclusions.contains(x) {
            out.push(format!(
                "ALTER TABLE {name} ADD CONSTRAINT {} {}",
                dialect.quote_ident(&x.name),
                x.definition
            ));
        }
    }
    if from.comment != to.comment {
        out.push(comment_on(
            dialect,
            &format!("TABLE {name}"),
            to.comment.as_deref(),
        ));
    }
    out
}
