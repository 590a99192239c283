//! Tables (`information_schema.TABLES`):
//! engine, charset and collation where they differ from the database's, comment, the
//! `AUTO_INCREMENT` counter and the other create options. Views are read with their
//! definitions (objects.rs); sequences and system-versioned tables are unmanaged lines.

use super::{non_empty, number, text, text_or_empty, Catalog};
use crate::schema::ext::MysqlTable;
use crate::schema::filter::Filter;
use crate::schema::{Schema, Table, Uncompared};
use anyhow::Result;
use std::collections::BTreeMap;

/// A table being read, with the charset and collation its columns inherit.
pub(super) struct TableRead {
    pub table: Table,
    /// The table's default character set (whether the model keeps it or not).
    pub charset: String,
    /// The table's default collation (whether the model keeps it or not).
    pub collation: String,
}

/// The tables the model keeps, by name, and the names of the views (for view
/// dependencies).
#[derive(Default)]
pub(super) struct Tables {
    pub tables: BTreeMap<String, TableRead>,
    pub views: Vec<String>,
}

/// Reads the tables of the database, whose default collation is `database_collation`;
/// the views' names go into [`Tables::views`].
pub(super) fn read(
    catalog: &mut Catalog<'_>,
    database_collation: &str,
    filter: &Filter,
    schema: &mut Schema,
) -> Result<Tables> {
    let rows = catalog.rows(
        "tables",
        "SELECT t.TABLE_NAME, t.TABLE_TYPE, t.ENGINE, t.TABLE_COLLATION, t.AUTO_INCREMENT, \
         t.CREATE_OPTIONS, t.TABLE_COMMENT FROM information_schema.TABLES t \
         WHERE t.TABLE_SCHEMA = ? ORDER BY t.TABLE_NAME",
    )?;
    let mut tables = Tables::default();
    for row in rows {
        let name = text_or_empty(&row, 0);
        if !filter.keeps_table(&name) {
            continue;
        }
        match text_or_empty(&row, 1).as_str() {
            "VIEW" => {
                tables.views.push(name);
                continue;
            }
            "SEQUENCE" => {
                schema.unmanaged.push(format!("sequence {name}"));
                continue;
            }
            "SYSTEM VERSIONED" => {
                schema
                    .unmanaged
                    .push(format!("system versioned table {name}"));
                continue;
            }
            _ => {}
        }
        let collation = text_or_empty(&row, 3);
        let charset = charset_of(&collation).to_string();
        let database_charset = charset_of(database_collation);
        let ext = MysqlTable {
            engine: text(&row, 2),
            charset: (charset != database_charset).then(|| charset.clone()),
            collation: (collation != database_collation).then(|| collation.clone()),
            auto_increment: Uncompared(number(&row, 4).filter(|n| *n > 1)),
            options: options(&text_or_empty(&row, 5), text(&row, 2).as_deref()),
            column_charset: Uncompared(Some(charset.clone())),
        };
        let mut table = Table {
            name: name.clone(),
            comment: non_empty(text_or_empty(&row, 6)),
            ..Table::default()
        };
        table.ext.mysql = ext;
        tables.tables.insert(
            name,
            TableRead {
                table,
                charset,
                collation,
            },
        );
    }
    Ok(tables)
}

/// The character set of a collation: its name up to the first `_` (every collation's name
/// starts with its charset's and an underscore; `binary` is its own).
pub(super) fn charset_of(collation: &str) -> &str {
    collation.split('_').next().unwrap_or(collation)
}

/// `CREATE_OPTIONS` of a table of `engine` in model form: sorted, space-separated,
/// without `partitioned` (a fact of the partitioning, not an option) and, on Aria, without
/// `transactional=1` (MariaDB reports its default as if written); `None` when nothing is
/// left.
fn options(create_options: &str, engine: Option<&str>) -> Option<String> {
    let aria = engine.is_some_and(|e| e.eq_ignore_ascii_case("Aria"));
    let mut options: Vec<&str> = create_options
        .split_whitespace()
        .filter(|o| !o.eq_ignore_ascii_case("partitioned"))
        .filter(|o| !(aria && o.eq_ignore_ascii_case("transactional=1")))
        .collect();
    options.sort_unstable();
    non_empty(options.join(" "))
}

/// Moves the tables into `schema`, by key.
pub(super) fn finish(tables: Tables, schema: &mut Schema) {
    for (_, read) in tables.tables {
        let mut table = read.table;
        table.checks.sort();
        table.uniques.sort();
        table.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        schema.tables.insert(table.key(), table);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collations_name_their_charset() {
        assert_eq!(charset_of("utf8mb4_unicode_ci"), "utf8mb4");
        assert_eq!(charset_of("latin1_bin"), "latin1");
        assert_eq!(charset_of("binary"), "binary");
    }

    #[test]
    fn create_options_are_sorted_without_partitioned() {
        assert_eq!(
            options("stats_persistent=1 row_format=DYNAMIC partitioned", None).as_deref(),
            Some("row_format=DYNAMIC stats_persistent=1")
        );
        assert_eq!(options("", None), None);
        assert_eq!(options("partitioned", Some("InnoDB")), None);
    }

    #[test]
    fn the_aria_default_transactional_is_no_option() {
        assert_eq!(options("transactional=1", Some("Aria")), None);
        assert_eq!(
            options("transactional=0", Some("Aria")).as_deref(),
            Some("transactional=0")
        );
        assert_eq!(
            options("transactional=1", Some("MyISAM")).as_deref(),
            Some("transactional=1")
        );
    }
}
