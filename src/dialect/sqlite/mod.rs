//! SQLite: its dialect and its driver (a file, or an in-memory database).

mod affinity;
mod ddl;
mod driver;
mod inspect;
mod normalize;
mod render;
mod sandbox;

pub use driver::SqliteDriver;

use super::{Caps, Dialect, Engine, ServerVersion};
use crate::diff::{Op, TableChange};
use crate::schema::{Column, Table};
use crate::sql::lex::LexOptions;

/// SQLite's dialect.
pub struct SqliteDialect;

impl Dialect for SqliteDialect {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }
    /// The bundled SQLite this binary links.
    fn server(&self) -> ServerVersion {
        ServerVersion {
            flavour: "SQLite",
            numbers: rusqlite::version()
                .split('.')
                .filter_map(|n| n.parse().ok())
                .collect(),
        }
    }
    fn caps(&self) -> Caps {
        Caps {
            transactional_ddl: true,
            foreign_key_indexes: false,
            reorders_columns: true,
            renames_constraints: false,
            renames_indexes: false,
        }
    }
    fn lex_options(&self) -> LexOptions {
        LexOptions::SQLITE
    }
    fn serial_primary_key(&self, name: &str) -> String {
        format!(
            "{} INTEGER PRIMARY KEY AUTOINCREMENT",
            self.quote_ident(name)
        )
    }
    fn now_text_expression(&self) -> &'static str {
        "strftime('%Y-%m-%d %H:%M:%f', 'now') || '+00:00'"
    }
    /// Foreign key enforcement off, as in the sqlite3 shell and under Alembic: with it on,
    /// the DROP TABLE of a table rebuild would cascade deletes into child tables
    /// (<https://www.sqlite.org/lang_altertable.html#otheralter>), and it cannot be switched
    /// inside a revision's transaction. Rebuilds verify with `PRAGMA foreign_key_check`.
    fn session_setup(&self) -> &'static [&'static str] {
        &["PRAGMA foreign_keys = OFF"]
    }
    /// SQLite identifiers are case-insensitive for ASCII letters.
    fn fold_identifier(&self, name: &str) -> String {
        name.to_ascii_lowercase()
    }
    /// Token by token, case-insensitively outside string literals (see `normalize.rs`).
    fn normalize_expression(&self, expression: &str) -> String {
        normalize::normalize(expression)
    }
    /// Same affinity, same values: a rebuild copies the rows with `INSERT ... SELECT`,
    /// which applies the new column's affinity, and that leaves a value already stored
    /// under the same affinity as it is (STRICT tables included). BLOB affinity (`BLOB`,
    /// or no type) converts nothing, so outside STRICT tables (whose BLOB column refuses
    /// text) it keeps any value. Another change of affinity may convert values (`'007'`
    /// into 7).
    fn type_change_keeps_values(&self, table: &Table, from: &str, to: &str) -> bool {
        let to = affinity::affinity(to);
        affinity::affinity(from) == to || to == affinity::Affinity::Blob && !table.ext.sqlite.strict
    }
    /// BINARY (the default) compares byte by byte, so nothing it makes equal was apart
    /// before; NOCASE and RTRIM make some distinct values equal
    /// (<https://www.sqlite.org/datatype3.html#collation>).
    fn collation_keeps_distinct(&self, _from: Option<&str>, to: Option<&str>) -> bool {
        to.is_none_or(|c| c.eq_ignore_ascii_case("BINARY"))
    }
    /// The rowid alias never holds NULL, though SQLite reports it nullable.
    fn holds_null(&self, table: &Table, column: &Column) -> bool {
        column.nullable && !affinity::is_rowid_alias(table, &column.name)
    }
    /// A rebuild into a STRICT table refuses values that do not fit a column's type
    /// (`'abc'` in an INT column: <https://www.sqlite.org/stricttables.html>). (WITHOUT
    /// ROWID makes the key columns NOT NULL, which their own column change announces.)
    fn options_risk(&self, from: &Table, to: &Table) -> Option<String> {
        (to.ext.sqlite.strict && !from.ext.sqlite.strict).then(|| {
            format!(
                "makes {} STRICT: fails if a value does not fit its column's type",
                to.name
            )
        })
    }
    /// A column that becomes the rowid alias (`INT PRIMARY KEY` to `INTEGER PRIMARY KEY`,
    /// or a descending key made ascending) takes the rowid's values: the copy gives a
    /// NULL key a new number and fails on a key that is not an integer
    /// (<https://www.sqlite.org/lang_createtable.html#rowid>).
    fn rebuild_risk(&self, from: &Table, to: &Table) -> Option<String> {
        let column = to.columns.iter().find(|c| {
            affinity::is_rowid_alias(to, &c.name)
                && from.column(&c.name).is_some()
                && !affinity::is_rowid_alias(from, &c.name)
        })?;
        Some(format!(
            "makes {}.{} the rowid: NULL keys get new numbers, non-integer keys fail",
            to.name, column.name
        ))
    }
    fn alter_in_place(&self, table: &Table, change: &TableChange) -> bool {
        render::alter_in_place(table, change)
    }
    fn render_op(&self, op: &Op) -> anyhow::Result<Vec<String>> {
        refuse_unsupported(std::slice::from_ref(op))?;
        Ok(render::render_op(op))
    }
    fn render_ops(&self, ops: &[Op]) -> anyhow::Result<Vec<Vec<String>>> {
        refuse_unsupported(ops)?;
        Ok(render::render_ops(ops))
    }
}

/// An error for the first op about an object SQLite does not have.
fn refuse_unsupported(ops: &[Op]) -> anyhow::Result<()> {
    match ops.iter().find(|op| !render::supported(op)) {
        Some(op) => anyhow::bail!("SQLite cannot {}", crate::diff::describe(op)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_doubles_embedded_quotes() {
        assert_eq!(SqliteDialect.quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(SqliteDialect.quote_literal("it's"), "'it''s'");
        assert_eq!(Engine::Mysql.dialect().quote_ident("we`ird"), "`we``ird`");
        assert_eq!(Engine::Mysql.dialect().quote_literal("a\\'"), "'a\\\\'''");
        assert_eq!(Engine::Postgres.dialect().quote_ident("Mixed"), "\"Mixed\"");
    }
}
