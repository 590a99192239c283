//! Key clauses as `CREATE TABLE` and `ALTER TABLE ... ADD` write them: primary key,
//! unique keys, indexes (`KEY`), foreign keys and checks, with their key parts.

use super::super::MysqlDialect;
use crate::dialect::clauses::{qualified, quoted_list};
use crate::dialect::Dialect;
use crate::schema::{
    Check, ForeignKey, Index, IndexKey, IndexPart, PrimaryKey, RefAction, Table, Unique,
};
use anyhow::Result;

/// One key part: `` `col`(prefix) [DESC] `` or `(expression) [DESC]`.
fn part(dialect: &MysqlDialect, key: &IndexKey, prefix: Option<u32>, descending: bool) -> String {
    let mut out = match key {
        IndexKey::Column(c) => dialect.quote_ident(c),
        IndexKey::Expression(e) => format!("({e})"),
    };
    if let Some(length) = prefix {
        out.push_str(&format!("({length})"));
    }
    if descending {
        out.push_str(" DESC");
    }
    out
}

/// The key parts of a primary or unique key over `columns`, with their prefixes and
/// directions (each list empty when none has one).
fn column_parts(
    dialect: &MysqlDialect,
    columns: &[String],
    prefixes: &[Option<u32>],
    descending: &[bool],
) -> String {
    let parts: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            part(
                dialect,
                &IndexKey::Column(c.clone()),
                prefixes.get(i).copied().flatten(),
                descending.get(i).copied().unwrap_or(false),
            )
        })
        .collect();
    parts.join(", ")
}

/// ` COMMENT '...'` and the word that hides a key from the optimizer (MariaDB `IGNORED`,
/// MySQL `INVISIBLE`), each where set.
fn key_options(dialect: &MysqlDialect, comment: Option<&str>, ignored: bool) -> String {
    let mut out = String::new();
    if let Some(comment) = comment {
        out.push_str(&format!(" COMMENT {}", dialect.quote_literal(comment)));
    }
    if ignored {
        out.push_str(if dialect.server.flavour == "MariaDB" {
            " IGNORED"
        } else {
            " INVISIBLE"
        });
    }
    out
}

/// `PRIMARY KEY (...)`.
pub fn primary_key(dialect: &MysqlDialect, pk: &PrimaryKey) -> String {
    let ext = &pk.ext.mysql;
    format!(
        "PRIMARY KEY ({}){}",
        column_parts(dialect, &pk.columns, &ext.prefix_lengths, &pk.descending),
        key_options(dialect, ext.comment.as_deref(), ext.ignored)
    )
}

/// ``UNIQUE KEY `name` (...)``.
pub fn unique(dialect: &MysqlDialect, unique: &Unique) -> String {
    let ext = &unique.ext.mysql;
    let name = unique
        .name
        .as_ref()
        .map_or_else(String::new, |n| format!(" {}", dialect.quote_ident(n)));
    format!(
        "UNIQUE KEY{name} ({}){}",
        column_parts(
            dialect,
            &unique.columns,
            &ext.prefix_lengths,
            &unique.descending
        ),
        key_options(dialect, ext.comment.as_deref(), ext.ignored)
    )
}

/// The kind words of an index (`UNIQUE`, `FULLTEXT`, `SPATIAL`, or none) followed by a
/// space, and its parts in parentheses.
fn index_kind_and_parts(dialect: &MysqlDialect, index: &Index) -> (String, String) {
    let ext = &index.ext.mysql;
    let kind = match (&ext.kind, index.unique) {
        (Some(kind), _) => format!("{kind} "),
        (None, true) => "UNIQUE ".to_string(),
        (None, false) => String::new(),
    };
    let parts: Vec<String> = index
        .parts
        .iter()
        .enumerate()
        .map(
            |(
                i,
                IndexPart {
                    key, descending, ..
                },
            )| {
                part(
                    dialect,
                    key,
                    ext.prefix_lengths.get(i).copied().flatten(),
                    *descending,
                )
            },
        )
        .collect();
    (kind, parts.join(", "))
}

/// An index as a `CREATE TABLE` item: ``[UNIQUE|FULLTEXT|SPATIAL] KEY `name` (...)``.
pub fn index_item(dialect: &MysqlDialect, index: &Index) -> String {
    let (kind, parts) = index_kind_and_parts(dialect, index);
    let ext = &index.ext.mysql;
    format!(
        "{kind}KEY {} ({parts}){}",
        dialect.quote_ident(&index.name),
        key_options(dialect, ext.comment.as_deref(), ext.ignored)
    )
}

/// ``CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX `name` ON `table` (...)``.
pub fn create_index(dialect: &MysqlDialect, index: &Index) -> String {
    let (kind, parts) = index_kind_and_parts(dialect, index);
    let ext = &index.ext.mysql;
    format!(
        "CREATE {kind}INDEX {} ON {} ({parts}){}",
        dialect.quote_ident(&index.name),
        qualified(dialect, &index.namespace, &index.table),
        key_options(dialect, ext.comment.as_deref(), ext.ignored)
    )
}

/// ``ALTER TABLE `table` DROP INDEX `old`, ADD [UNIQUE] KEY `new` (...)``: one statement,
/// so that a column that must lead some key (AUTO_INCREMENT) always does.
pub fn replace_index(dialect: &MysqlDialect, old: &Index, new: &Index) -> String {
    format!(
        "ALTER TABLE {} DROP INDEX {}, ADD {}",
        qualified(dialect, &new.namespace, &new.table),
        dialect.quote_ident(&old.name),
        index_item(dialect, new)
    )
}

/// ``[CONSTRAINT `name`] FOREIGN KEY (...) REFERENCES `t` (...) [ON DELETE ...] [ON
/// UPDATE ...]``; the actions as the server reports them, written unless the one an
/// unwritten action reads as: `RESTRICT` on MariaDB (which reports a written `NO ACTION`
/// as such, and `SHOW CREATE TABLE` shows it), `NO ACTION` on MySQL.
pub fn foreign_key(dialect: &MysqlDialect, fk: &ForeignKey) -> String {
    let unwritten = if dialect.server.flavour == "MariaDB" {
        RefAction::Restrict
    } else {
        RefAction::NoAction
    };
    let mut out = format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({})",
        constraint_name(dialect, fk.name.as_deref()),
        quoted_list(dialect, &fk.columns),
        qualified(dialect, &fk.ref_namespace, &fk.ref_table),
        quoted_list(dialect, &fk.ref_columns)
    );
    for (event, action) in [("DELETE", fk.on_delete), ("UPDATE", fk.on_update)] {
        if action != unwritten {
            out.push_str(&format!(" ON {event} {}", action.sql()));
        }
    }
    out
}

/// ``[CONSTRAINT `name`] CHECK (...)``, and ` NOT ENFORCED` where MySQL 8 says so.
pub fn check(dialect: &MysqlDialect, check: &Check) -> String {
    format!(
        "{}CHECK ({}){}",
        constraint_name(dialect, check.name.as_deref()),
        check.expression,
        if check.ext.mysql.not_enforced {
            " NOT ENFORCED"
        } else {
            ""
        }
    )
}

/// ``CONSTRAINT `name` `` where the model names the constraint, else nothing.
fn constraint_name(dialect: &MysqlDialect, name: Option<&str>) -> String {
    name.map_or_else(String::new, |n| {
        format!("CONSTRAINT {} ", dialect.quote_ident(n))
    })
}

/// A constraint's quoted name, or an error naming what has none (the server names every
/// key and constraint, so a model read from it always has them).
pub fn named(
    dialect: &MysqlDialect,
    table: &Table,
    name: Option<&str>,
    what: &str,
) -> Result<String> {
    name.map(|n| dialect.quote_ident(n)).ok_or_else(|| {
        anyhow::anyhow!(
            "a {what} of table {} has no name to drop it by",
            table.display_name()
        )
    })
}
