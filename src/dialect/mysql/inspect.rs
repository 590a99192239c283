//! MySQL/MariaDB introspection through information_schema: one query per object kind over
//! the whole database (the server's version with the database's default collation,
//! tables, columns, checks, statistics, foreign key actions and columns, views, triggers,
//! routines and events), joined in Rust, so the number of queries is fixed
//! whatever the number of tables (see [`inspect_counting`]).
//!
//! The model is compared between the live database and `schema.sql` loaded into a scratch
//! database on the same server, and rendered back into SQL, so its texts are the
//! server's own and ready to paste. Normal forms (so that equivalent SQL gives equal
//! models):
//! - types are `COLUMN_TYPE` (`int(10) unsigned zerofill`, `enum('a','b')`); on MariaDB a
//!   `longtext` column in `utf8mb4_bin` with the column check `json_valid(col)` named
//!   after it is what `JSON` makes: it reads as `json`, without that check, charset or
//!   collation (MySQL reports `json` itself);
//! - defaults are SQL ready to paste: literals quoted (`'it''s'`, MariaDB's own form;
//!   MySQL's unquoted `COLUMN_DEFAULT` is quoted the same way), numbers and bit literals
//!   bare, expressions in parentheses (`(1 + 2)`), `current_timestamp()` and
//!   `current_timestamp(3)` in MariaDB's spelling whichever server wrote them, for
//!   defaults and `ON UPDATE` alike; `DEFAULT NULL` is no default (the server makes no
//!   difference: `SHOW CREATE TABLE` writes `DEFAULT NULL` for a nullable column either
//!   way), while the string `'NULL'` stays a literal;
//! - a column's charset and collation are set where they differ from its table's, a
//!   table's where they differ from the database's (so that a scratch database and the
//!   live one compare equal table by table);
//! - a table's `AUTO_INCREMENT` is its counter where above 1, rendered but not compared
//!   (see [`MysqlTable::auto_increment`](crate::schema::ext::MysqlTable));
//! - unique keys over plain columns are [`Unique`](crate::schema::Unique)s (MySQL makes
//!   no difference between `UNIQUE KEY` and `CREATE UNIQUE INDEX`), sorted; other
//!   indexes, and unique ones with an expression part, are indexes; the primary key has
//!   no name (it is always `PRIMARY`);
//! - view definitions are the server's rewrite with the database's own qualifier
//!   (`` `db`. ``) taken out, so the same view reads the same in any database; triggers
//!   are the `CREATE TRIGGER` statement rebuilt from their parts, body as written;
//! - the tool's version tables are left out ([`Filter`]); sequences, system-versioned
//!   tables, procedures, functions and events are `unmanaged` lines.

mod columns;
mod constraints;
mod indexes;
mod objects;
mod tables;

use crate::dialect::ServerVersion;
use crate::schema::filter::Filter;
use crate::schema::Schema;
use anyhow::{Context, Result};
use mysql::prelude::Queryable;
use mysql::{Conn, Row, Value};

/// Reads the schema of `database` on `conn`, leaving out what `filter` excludes.
pub fn inspect(conn: &mut Conn, database: &str, filter: &Filter) -> Result<Schema> {
    inspect_counting(conn, database, filter).map(|(schema, _)| schema)
}

/// [`inspect`], also giving the number of queries it ran (the same for any number of
/// objects on a given server).
pub fn inspect_counting(
    conn: &mut Conn,
    database: &str,
    filter: &Filter,
) -> Result<(Schema, usize)> {
    let mut catalog = Catalog {
        conn,
        database: database.to_string(),
        queries: 0,
        server: ServerVersion {
            flavour: "MySQL",
            numbers: Vec::new(),
        },
    };
    let rows = catalog.rows(
        "server version and database",
        "SELECT VERSION(), (SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA \
         WHERE SCHEMA_NAME = ?)",
    )?;
    let row = rows.first().context("the server did not say its version")?;
    catalog.server = server_version(&text_or_empty(row, 0));
    let collation = text(row, 1).with_context(|| {
        format!("database {database} does not exist (or this account cannot see it)")
    })?;
    if catalog.mysql_at_least(&[8]) {
        // MySQL 8 caches table statistics (AUTO_INCREMENT among them) for a day.
        catalog.run(
            "statistics expiry",
            "SET SESSION information_schema_stats_expiry = 0",
            0,
        )?;
    }
    let mut schema = Schema::default();
    let mut tables = tables::read(&mut catalog, &collation, filter, &mut schema)?;
    let checks = constraints::read_checks(&mut catalog)?;
    let json = columns::read(&mut catalog, &mut tables, &checks)?;
    constraints::place_checks(checks, &json, &mut tables);
    indexes::read(&mut catalog, &mut tables)?;
    constraints::read_foreign_keys(&mut catalog, &mut tables)?;
    objects::read_views(&mut catalog, filter, &tables, &mut schema)?;
    objects::read_triggers(&mut catalog, filter, &tables, &mut schema)?;
    objects::read_routines(&mut catalog, &mut schema)?;
    tables::finish(tables, &mut schema);
    schema.unmanaged.sort();
    schema.unmanaged.dedup();
    let queries = catalog.queries;
    Ok((schema, queries))
}

/// The flavour and version `SELECT VERSION()` gives: `10.11.6-MariaDB-0+deb12u1` is
/// MariaDB 10.11.6, `8.0.36` (or `8.0.36-log`) MySQL 8.0.36.
pub fn server_version(version: &str) -> ServerVersion {
    let flavour = if version.to_ascii_lowercase().contains("mariadb") {
        "MariaDB"
    } else {
        "MySQL"
    };
    let numbers = version
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .next()
        .unwrap_or("")
        .split('.')
        .map_while(|n| n.parse().ok())
        .collect();
    ServerVersion { flavour, numbers }
}

/// The connection and the database to read; every query goes through here, so they can
/// be counted.
struct Catalog<'a> {
    conn: &'a mut Conn,
    database: String,
    queries: usize,
    server: ServerVersion,
}

impl Catalog<'_> {
    /// The rows of `sql`, whose one `?` is the database's name.
    fn rows(&mut self, what: &str, sql: &str) -> Result<Vec<Row>> {
        self.run(what, sql, 1)
    }

    /// The rows of `sql`, whose `placeholders` `?` are each the database's name.
    fn run(&mut self, what: &str, sql: &str, placeholders: usize) -> Result<Vec<Row>> {
        self.queries += 1;
        let params: Vec<Value> = (0..placeholders)
            .map(|_| Value::from(self.database.as_str()))
            .collect();
        let params = if params.is_empty() {
            mysql::Params::Empty
        } else {
            mysql::Params::Positional(params)
        };
        self.conn.exec(sql, params).with_context(|| {
            format!(
                "reading the {what} of database {} from information_schema",
                self.database
            )
        })
    }

    /// Whether the server is MySQL (not MariaDB).
    fn is_mysql(&self) -> bool {
        self.server.flavour == "MySQL"
    }

    /// Whether the server is MySQL at least `numbers`.
    fn mysql_at_least(&self, numbers: &[u32]) -> bool {
        self.is_mysql() && self.server.at_least(numbers)
    }

    /// Whether the server is MariaDB at least `numbers`.
    fn mariadb_at_least(&self, numbers: &[u32]) -> bool {
        !self.is_mysql() && self.server.at_least(numbers)
    }
}

/// Column `index` of `row` as text (`None` for SQL NULL); bytes that are not UTF-8 are
/// replaced, numbers written in decimal.
fn text(row: &Row, index: usize) -> Option<String> {
    match row.as_ref(index)? {
        Value::NULL => None,
        Value::Bytes(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
        Value::Int(n) => Some(n.to_string()),
        Value::UInt(n) => Some(n.to_string()),
        other => Some(other.as_sql(true)),
    }
}

/// Column `index` of `row` as text, `""` for SQL NULL.
fn text_or_empty(row: &Row, index: usize) -> String {
    text(row, index).unwrap_or_default()
}

/// Column `index` of `row` as a number, `None` for SQL NULL or what is not one.
fn number(row: &Row, index: usize) -> Option<u64> {
    text(row, index)?.trim().parse().ok()
}

/// `text` where it is not empty (information_schema writes no comment as `''`).
fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_say_the_flavour_and_numbers() {
        let mariadb = server_version("10.11.19-MariaDB-0+deb12u1");
        assert_eq!(
            (mariadb.flavour, mariadb.numbers),
            ("MariaDB", vec![10, 11, 19])
        );
        let mysql = server_version("8.0.36-log");
        assert_eq!((mysql.flavour, mysql.numbers), ("MySQL", vec![8, 0, 36]));
        assert_eq!(server_version("9.1.0").numbers, vec![9, 1, 0]);
    }
}
