//! Table constraint clauses (`PRIMARY KEY`, `UNIQUE`, `CHECK`, `FOREIGN KEY`), as written
//! in `CREATE TABLE` and after `ALTER TABLE ... ADD`, and the names to drop them by.

use super::super::super::PostgresDialect;
use super::{qualified, quoted_list};
use crate::dialect::Dialect;
use crate::schema::{Check, Deferrable, ForeignKey, PrimaryKey, RefAction, Table, Unique};
use anyhow::Result;

/// PostgreSQL's identifier limit, in bytes (`NAMEDATALEN - 1`).
const MAX_NAME: usize = 63;

/// `CONSTRAINT "name" ` where the model names the constraint; empty (PostgreSQL chooses
/// the name) where it does not.
fn named(dialect: &PostgresDialect, name: Option<&str>) -> String {
    name.map_or_else(String::new, |n| {
        format!("CONSTRAINT {} ", dialect.quote_ident(n))
    })
}

/// ` DEFERRABLE [INITIALLY DEFERRED]`, or nothing.
fn deferrable(deferrable: Deferrable) -> &'static str {
    match deferrable {
        Deferrable::NotDeferrable => "",
        Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE",
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    }
}

/// ` INCLUDE (...)`, or nothing.
fn include(dialect: &PostgresDialect, columns: &[String]) -> String {
    if columns.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", quoted_list(dialect, columns))
    }
}

/// `[CONSTRAINT n] PRIMARY KEY (...) [INCLUDE (...)] [DEFERRABLE ...]`.
pub fn primary_key(dialect: &PostgresDialect, pk: &PrimaryKey) -> String {
    let ext = &pk.ext.postgres;
    format!(
        "{}PRIMARY KEY ({}){}{}",
        named(dialect, pk.name.as_deref()),
        quoted_list(dialect, &pk.columns),
        include(dialect, &ext.include),
        deferrable(ext.deferrable)
    )
}

/// `[CONSTRAINT n] UNIQUE [NULLS NOT DISTINCT] (...) [INCLUDE (...)] [DEFERRABLE ...]`.
pub fn unique(dialect: &PostgresDialect, unique: &Unique) -> String {
    let ext = &unique.ext.postgres;
    format!(
        "{}UNIQUE{} ({}){}{}",
        named(dialect, unique.name.as_deref()),
        if ext.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        quoted_list(dialect, &unique.columns),
        include(dialect, &ext.include),
        deferrable(ext.deferrable)
    )
}

/// `[CONSTRAINT n] CHECK (...) [NO INHERIT]`, and ` NOT VALID` when asked (only `ALTER
/// TABLE ... ADD` takes it).
pub fn check(dialect: &PostgresDialect, check: &Check, with_not_valid: bool) -> String {
    let ext = &check.ext.postgres;
    format!(
        "{}CHECK ({}){}{}",
        named(dialect, check.name.as_deref()),
        check.expression,
        if ext.no_inherit { " NO INHERIT" } else { "" },
        if with_not_valid && ext.not_valid {
            " NOT VALID"
        } else {
            ""
        }
    )
}

/// `[CONSTRAINT n] FOREIGN KEY (...) REFERENCES "ns"."t" [(...)] [MATCH FULL] [ON DELETE
/// ...] [ON UPDATE ...] [DEFERRABLE ...]`, and ` NOT VALID` when asked.
pub fn foreign_key(dialect: &PostgresDialect, fk: &ForeignKey, with_not_valid: bool) -> String {
    let mut out = format!(
        "{}FOREIGN KEY ({}) REFERENCES {}",
        named(dialect, fk.name.as_deref()),
        quoted_list(dialect, &fk.columns),
        qualified(dialect, &fk.ref_namespace, &fk.ref_table)
    );
    if !fk.ref_columns.is_empty() {
        out.push_str(&format!(" ({})", quoted_list(dialect, &fk.ref_columns)));
    }
    if fk.ext.postgres.match_full {
        out.push_str(" MATCH FULL");
    }
    if fk.on_update != RefAction::NoAction {
        out.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    if fk.on_delete != RefAction::NoAction {
        out.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    out.push_str(deferrable(fk.deferrable));
    if with_not_valid && fk.ext.postgres.not_valid {
        out.push_str(" NOT VALID");
    }
    out
}

/// The name PostgreSQL gave a constraint the model leaves unnamed: `<table>_pkey`,
/// `<table>_<columns>_key`, `<table>_<columns>_fkey` (where that fits in 63 bytes; longer
/// names PostgreSQL shortens in ways not worth guessing).
fn default_name(table: &Table, columns: &[String], suffix: &str) -> Result<String> {
    let mut parts = vec![table.name.clone()];
    parts.extend(columns.iter().cloned());
    parts.push(suffix.to_string());
    let name = parts.join("_");
    if name.len() > MAX_NAME {
        anyhow::bail!(
            "a {suffix} constraint of table {} has no name, and PostgreSQL's own is too long to tell",
            table.display_name()
        );
    }
    Ok(name)
}

/// The name to drop primary key `pk` of `table` by.
pub fn primary_key_name(table: &Table, pk: &PrimaryKey) -> Result<String> {
    pk.name
        .clone()
        .map_or_else(|| default_name(table, &[], "pkey"), Ok)
}

/// The name to drop unique constraint `unique` of `table` by.
pub fn unique_name(table: &Table, unique: &Unique) -> Result<String> {
    unique
        .name
        .clone()
        .map_or_else(|| default_name(table, &unique.columns, "key"), Ok)
}

/// The name to drop foreign key `fk` of `table` by.
pub fn foreign_key_name(table: &Table, fk: &ForeignKey) -> Result<String> {
    fk.name
        .clone()
        .map_or_else(|| default_name(table, &fk.columns, "fkey"), Ok)
}

/// The name to drop check `check` of `table` by: PostgreSQL names an unnamed check after
/// the first column its expression reads, which the model does not know.
pub fn check_name(table: &Table, check: &Check) -> Result<String> {
    check.name.clone().ok_or_else(|| {
        anyhow::anyhow!(
            "check ({}) of table {} has no name to drop it by",
            check.expression,
            table.display_name()
        )
    })
}
