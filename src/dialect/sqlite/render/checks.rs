//! The foreign key checks of SQLite table rebuilds: which a rebuild needs, and how the
//! section moves them to its end (see [`super::render_ops`]).

use super::{q, SqliteDialect};
use crate::dialect::Dialect;
use crate::schema::Table;

/// Whether `statement` is one of the checks [`super::rebuild`] renders.
pub(super) fn is_check(statement: &str) -> bool {
    statement.starts_with(CHECK_PREFIX) || statement.starts_with(REFERENCES_CHECK_PREFIX)
}

const CHECK_PREFIX: &str = "PRAGMA foreign_key_check(";
pub(super) const REFERENCES_CHECK_PREFIX: &str = "-- rows of other tables that reference ";

/// The check that a rebuilt table's rows still match their foreign keys (the driver
/// fails a revision on any violation it reports).
fn foreign_key_check(table: &str) -> String {
    format!("{CHECK_PREFIX}{})", q(table))
}

/// The check that the rows of every table referencing `parent` still match it, after a
/// rebuild that changed `parent`'s keys or key columns. Only tables with a foreign key
/// to `parent` are checked (`name = tbl_name` leaves out indexes and triggers, views have
/// no foreign keys) (`pragma_foreign_key_check` of the others is never called, so
/// their own orphans or mismatched keys do not fail the revision); the driver fails the
/// revision on any row.
fn references_check(parent: &str) -> String {
    let name = SqliteDialect.quote_literal(parent);
    format!(
        "{REFERENCES_CHECK_PREFIX}{}\n\
         SELECT c.\"table\", c.rowid, c.parent, c.fkid\n\
         FROM sqlite_master AS s, pragma_foreign_key_check(s.name) AS c\n\
         WHERE s.name = s.tbl_name\n  \
         AND EXISTS (SELECT 1 FROM pragma_foreign_key_list(s.name) AS f\n              \
         WHERE f.\"table\" = {name} COLLATE NOCASE)\n  \
         AND c.parent = {name} COLLATE NOCASE",
        crate::echo::escape(&q(parent))
    )
}

/// The checks a rebuild from `from` to `to` needs. The copy keeps every row or fails, so
/// a violation can only come from what changed: the table's own foreign keys (added or
/// changed, or their columns retyped or recollated: these carry a WARNING), or its keys
/// as a parent (primary key, unique constraints, a column's type or collation, a dropped
/// column). A rebuild changing neither checks nothing, so pre-existing orphan rows (SQLite
/// enforces no foreign keys by default) do not fail it.
pub(super) fn rebuild_checks(from: &Table, to: &Table) -> Vec<String> {
    let mut checks = Vec::new();
    if child_keys_changed(from, to) {
        checks.push(foreign_key_check(&to.name));
    }
    if parent_keys_changed(from, to) {
        checks.push(references_check(&to.name));
    }
    checks
}

/// Whether a column keeps its name, type and collation from `from` to `to`.
fn column_kept(from: &Table, to: &Table, name: &str) -> bool {
    match (from.column(name), to.column(name)) {
        (Some(old), Some(new)) => {
            SqliteDialect.same_type(&old.type_text, &new.type_text)
                && old.collation.as_deref().map(str::to_ascii_lowercase)
                    == new.collation.as_deref().map(str::to_ascii_lowercase)
        }
        _ => false,
    }
}

fn child_keys_changed(from: &Table, to: &Table) -> bool {
    to.foreign_keys.iter().any(|fk| {
        !from.foreign_keys.contains(fk) || fk.columns.iter().any(|c| !column_kept(from, to, c))
    })
}

fn parent_keys_changed(from: &Table, to: &Table) -> bool {
    let keys = |table: &Table| -> Vec<Vec<String>> {
        let pk = table.primary_key.iter().map(|pk| pk.columns.clone());
        pk.chain(table.uniques.iter().map(|u| u.columns.clone()))
            .collect()
    };
    keys(from) != keys(to) || from.columns.iter().any(|c| !column_kept(from, to, &c.name))
}
