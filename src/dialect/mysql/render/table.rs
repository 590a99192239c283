//! `CREATE TABLE` (with its keys, indexes and options), `DROP TABLE`, and `ALTER TABLE`
//! with one clause per change, in the differ's order.

use super::super::MysqlDialect;
use super::column::{self, word};
use super::keys::named;
use super::{auto_key, keys};
use crate::dialect::clauses::qualified;
use crate::dialect::Dialect;
use crate::diff::{describe, KeyKind, Op, TableChange};
use crate::schema::ext::MysqlTable;
use crate::schema::{Check, Table};
use anyhow::Result;
use std::collections::BTreeSet;

/// The statements performing a table op; an `ALTER TABLE` also performs the index ops
/// `indexes` (see `auto_key::folded_indexes`) in its one statement.
pub fn render(dialect: &MysqlDialect, op: &Op, indexes: &[&Op]) -> Result<Vec<String>> {
    match op {
        Op::CreateTable(table) => Ok(vec![create_table(dialect, table)?]),
        Op::DropTable(table) => Ok(vec![format!("DROP TABLE {}", name(dialect, table))]),
        Op::AlterTable { from, to, changes } => alter_table(dialect, from, to, changes, indexes),
        Op::RenameTable { from, to } => Ok(vec![format!(
            "RENAME TABLE {} TO {}",
            name(dialect, from),
            name(dialect, to)
        )]),
        _ => anyhow::bail!("{} is not a table change", describe(op)),
    }
}

/// The table's quoted name.
fn name(dialect: &MysqlDialect, table: &Table) -> String {
    qualified(dialect, &table.namespace, &table.name)
}

/// `CREATE TABLE` with the columns in order (each with its column-level check), the
/// primary key, unique keys, indexes, foreign keys and table checks, then the options.
fn create_table(dialect: &MysqlDialect, table: &Table) -> Result<String> {
    let mut items = table
        .columns
        .iter()
        .map(|c| column::definition(dialect, table, c))
        .collect::<Result<Vec<_>>>()?;
    items.extend(
        table
            .primary_key
            .iter()
            .map(|pk| keys::primary_key(dialect, pk)),
    );
    items.extend(table.uniques.iter().map(|u| keys::unique(dialect, u)));
    items.extend(table.indexes.values().map(|i| keys::index_item(dialect, i)));
    items.extend(
        table
            .foreign_keys
            .iter()
            .map(|f| keys::foreign_key(dialect, f)),
    );
    items.extend(
        table
            .checks
            .iter()
            .filter(|k| k.ext.mysql.column.is_none())
            .map(|k| keys::check(dialect, k)),
    );
    let options = create_options(dialect, table)?;
    Ok(format!(
        "CREATE TABLE {} (\n    {}\n){}",
        name(dialect, table),
        items.join(",\n    "),
        options
    ))
}

/// The table options of `CREATE TABLE`, each after a space.
fn create_options(dialect: &MysqlDialect, table: &Table) -> Result<String> {
    let ext = &table.ext.mysql;
    let mut out = String::new();
    if let Some(engine) = &ext.engine {
        out.push_str(&format!(" ENGINE={}", word(engine)?));
    }
    if let Some(counter) = ext.auto_increment.0 {
        out.push_str(&format!(" AUTO_INCREMENT={counter}"));
    }
    if let Some(charset) = &ext.charset {
        out.push_str(&format!(" DEFAULT CHARSET={}", word(charset)?));
    }
    if let Some(collation) = &ext.collation {
        out.push_str(&format!(" COLLATE={}", word(collation)?));
    }
    for (key, value) in other_options(ext)? {
        out.push_str(&format!(" {key}={value}"));
    }
    if let Some(comment) = &table.comment {
        out.push_str(&format!(" COMMENT={}", dialect.quote_literal(comment)));
    }
    Ok(out)
}

/// The other options (`row_format=DYNAMIC stats_persistent=1`) as (KEY, value) pairs.
fn other_options(ext: &MysqlTable) -> Result<Vec<(String, String)>> {
    let Some(options) = &ext.options else {
        return Ok(Vec::new());
    };
    options
        .split_whitespace()
        .map(|option| {
            let (key, value) = option.split_once('=').unwrap_or((option, "1"));
            Ok((word(key)?.to_ascii_uppercase(), word(value)?.to_string()))
        })
        .collect()
}

/// `ALTER TABLE` with one clause per change: columns added in their place (`FIRST`,
/// `AFTER`), changed with their whole new definition (`MODIFY`), reordered by moving
/// each out-of-place column once all are there; keys added and dropped by name; options
/// set. A MariaDB column check is part of its column's definition, see [`column_check`].
fn alter_table(
    dialect: &MysqlDialect,
    from: &Table,
    to: &Table,
    changes: &[TableChange],
    indexes: &[&Op],
) -> Result<Vec<String>> {
    let table = name(dialect, to);
    let mut clauses = Vec::new();
    for op in indexes {
        if let Op::DropIndex(index) = op {
            clauses.push(format!("DROP INDEX {}", dialect.quote_ident(&index.name)));
        }
    }
    // The column order as the changes so far leave it.
    let mut order: Vec<String> = from.columns.iter().map(|c| c.name.clone()).collect();
    let wanted: Vec<String> = to.columns.iter().map(|c| c.name.clone()).collect();
    let mut reorder = None;
    // Columns whose whole `to` definition (their column check with it) this ALTER states.
    let mut restated: BTreeSet<&str> = changes
        .iter()
        .filter_map(|change| match change {
            TableChange::AddColumn(c) | TableChange::AlterColumn { to: c, .. } => {
                Some(c.name.as_str())
            }
            _ => None,
        })
        .collect();
    // Which clauses join one statement: see `auto_key`.
    let together = auto_key::together(from, to, changes);
    let mut joined = vec![true; clauses.len()];
    for (change, together) in changes.iter().zip(together) {
        match change {
            TableChange::AddCheck(k) | TableChange::DropCheck(k)
                if k.ext.mysql.column.is_some() =>
            {
                clauses.extend(column_check(dialect, to, k, &mut restated)?)
            }
            TableChange::AddColumn(c) => {
                let kept: Vec<String> = wanted
                    .iter()
                    .filter(|n| order.contains(n) || **n == c.name)
                    .cloned()
                    .collect();
                clauses.push(format!(
                    "ADD COLUMN {}{}",
                    column::definition(dialect, to, c)?,
                    column::position(dialect, &kept, &c.name)
                ));
                let at = kept.iter().position(|n| *n == c.name).unwrap_or(0);
                let after = at.checked_sub(1).map(|i| kept[i].clone());
                let index = after
                    .and_then(|a| order.iter().position(|n| *n == a).map(|i| i + 1))
                    .unwrap_or(0);
                order.insert(index, c.name.clone());
            }
            TableChange::DropColumn(c) => {
                clauses.push(format!("DROP COLUMN {}", dialect.quote_ident(&c.name)));
                order.retain(|n| *n != c.name);
            }
            TableChange::AlterColumn {
                from: old, to: c, ..
            } if column::modify_refused(old, c) => {
                clauses.extend(column::readd(dialect, to, old, c, &order)?)
            }
            TableChange::AlterColumn { to: c, .. } => clauses.push(format!(
                "MODIFY COLUMN {}",
                column::definition(dialect, to, c)?
            )),
            // Applied once every column is there, whichever side of the adds it sits.
            TableChange::ReorderColumns { to: names, .. } => reorder = Some(names),
            TableChange::SetPrimaryKey { to: None, .. } => {
                clauses.push("DROP PRIMARY KEY".to_string())
            }
            TableChange::SetPrimaryKey { to: Some(pk), .. } => {
                clauses.push(format!("ADD {}", keys::primary_key(dialect, pk)))
            }
            TableChange::AddUnique(u) => clauses.push(format!("ADD {}", keys::unique(dialect, u))),
            TableChange::DropUnique(u) => clauses.push(format!(
                "DROP INDEX {}",
                named(dialect, to, u.name.as_deref(), "unique key")?
            )),
            TableChange::AddForeignKey(f) => {
                clauses.push(format!("ADD {}", keys::foreign_key(dialect, f)))
            }
            TableChange::DropForeignKey(f) => clauses.push(format!(
                "DROP FOREIGN KEY {}",
                named(dialect, to, f.name.as_deref(), "foreign key")?
            )),
            TableChange::AddCheck(k) => clauses.push(format!("ADD {}", keys::check(dialect, k))),
            TableChange::DropCheck(k) => clauses.push(format!(
                "DROP CONSTRAINT {}",
                named(dialect, to, k.name.as_deref(), "check")?
            )),
            TableChange::SetOptions => clauses.extend(set_options(dialect, from, to)?),
            TableChange::RenameColumn { from: old, to: new } => {
                clauses.push(column::rename(dialect, to, old, new)?);
                for name in order.iter_mut().filter(|n| **n == old.name) {
                    name.clone_from(&new.name);
                }
            }
            TableChange::RenameKey {
                kind: KeyKind::Unique,
                from: old,
                to: new,
            } => clauses.push(format!(
                "RENAME INDEX {} TO {}",
                dialect.quote_ident(old),
                dialect.quote_ident(new)
            )),
            TableChange::RenameKey { kind, .. } => anyhow::bail!(
                "MySQL cannot rename a {} of table {}",
                kind.label(),
                to.display_name()
            ),
        }
        joined.resize(clauses.len(), together);
    }
    if let Some(names) = reorder {
        clauses.extend(column::reorder(dialect, to, order, names)?);
    }
    joined.resize(clauses.len(), false);
    for op in indexes {
        if let Op::CreateIndex(index) = op {
            clauses.push(format!("ADD {}", keys::index_item(dialect, index)));
            joined.push(true);
        }
    }
    Ok(auto_key::statements(
        &table,
        clauses.into_iter().zip(joined).collect(),
    ))
}

/// The clause adding or dropping MariaDB column check `check`: its column's `MODIFY` with
/// `to`'s definition, which states the check `to` gives the column, if any. The server
/// keeps a column check in its column (`DROP CONSTRAINT` does not find it, a `MODIFY`
/// without it drops it, one with it replaces the old), so a column this ALTER adds,
/// modifies or already restated needs no clause, nor does one it drops (the check goes
/// with it).
fn column_check<'a>(
    dialect: &MysqlDialect,
    to: &'a Table,
    check: &Check,
    restated: &mut BTreeSet<&'a str>,
) -> Result<Option<String>> {
    let Some(column) = check
        .ext
        .mysql
        .column
        .as_deref()
        .and_then(|name| to.column(name))
    else {
        return Ok(None);
    };
    if !restated.insert(column.name.as_str()) {
        return Ok(None);
    }
    Ok(Some(format!(
        "MODIFY COLUMN {}",
        column::definition(dialect, to, column)?
    )))
}

/// The clauses turning `from`'s options into `to`'s: a changed charset or collation
/// converts the table's text columns (`CONVERT TO`; `DEFAULT`: the database's), and the
/// columns `to` gives their own charset or collation get it back; an option `to` no
/// longer sets goes back to its `DEFAULT` (Aria's implicit `PAGE_CHECKSUM` too, when the
/// engine changes from Aria); a comment `to` drops becomes `''`.
fn set_options(dialect: &MysqlDialect, from: &Table, to: &Table) -> Result<Vec<String>> {
    let (old, new) = (&from.ext.mysql, &to.ext.mysql);
    let mut clauses = Vec::new();
    if old.engine != new.engine {
        if let Some(engine) = &new.engine {
            clauses.push(format!("ENGINE={}", word(engine)?));
        }
        // MariaDB keeps Aria's implicit PAGE_CHECKSUM=1 as an option of the table it
        // converts to another engine (shown by SHOW CREATE TABLE, reported in
        // CREATE_OPTIONS); only a statement of its own after the change takes it away.
        let aria =
            |e: &Option<String>| e.as_deref().is_some_and(|e| e.eq_ignore_ascii_case("Aria"));
        let checksum =
            |o: &Option<String>| o.as_deref().is_some_and(|o| o.contains("page_checksum"));
        if aria(&old.engine) && !aria(&new.engine) && !checksum(&new.options) {
            clauses.push("PAGE_CHECKSUM=DEFAULT".to_string());
        }
    }
    if old.charset != new.charset || old.collation != new.collation {
        let charset = new.charset.as_deref().map_or(Ok("DEFAULT"), word)?;
        let mut convert = format!("CONVERT TO CHARACTER SET {charset}");
        if let Some(collation) = &new.collation {
            convert.push_str(&format!(" COLLATE {}", word(collation)?));
        }
        clauses.push(convert);
        for c in to
            .columns
            .iter()
            .filter(|c| c.ext.mysql.charset.is_some() || c.collation.is_some())
        {
            clauses.push(format!(
                "MODIFY COLUMN {}",
                column::definition(dialect, to, c)?
            ));
        }
    }
    if old.options != new.options {
        let kept = other_options(new)?;
        let mut set: Vec<String> = kept.iter().map(|(k, v)| format!("{k}={v}")).collect();
        for (key, _) in other_options(old)? {
            if !kept.iter().any(|(k, _)| *k == key) {
                set.push(format!("{key}=DEFAULT"));
            }
        }
        clauses.push(set.join(" "));
    }
    if from.comment != to.comment {
        let comment = to.comment.as_deref().unwrap_or("");
        clauses.push(format!("COMMENT={}", dialect.quote_literal(comment)));
    }
    Ok(clauses)
}
