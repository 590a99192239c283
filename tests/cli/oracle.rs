//! The test oracle: a database's schema as SQLite itself reports it, and its rows, read
//! with rusqlite alone (nothing of src/dialect/sqlite/), so that a blind spot of our
//! inspector cannot hide a difference.
//!
//! A schema is a sorted list of fact lines:
//! - per table: `PRAGMA table_list` (type, ncol, wr, strict); per column `PRAGMA
//!   table_xinfo` (cid, name, type, notnull, dflt_value, pk, hidden) and
//!   `sqlite3_table_column_metadata` (collation, autoincrement); per index `PRAGMA
//!   index_list` (unique, origin, partial) and the key rows of `PRAGMA index_xinfo` (cid,
//!   name, desc, coll), under the index's name (`sqlite_autoindex_*` ones as `automatic N`:
//!   N numbers the UNIQUE and PRIMARY KEY constraints in declaration order, the table
//!   name being compared elsewhere); per foreign key `PRAGMA foreign_key_list` (id, which
//!   runs in reverse declaration order, table, from, to, on_update, on_delete, match); and,
//!   from the
//!   table's `sqlite_schema.sql`, its CHECK clauses and its constraint names (unquoted),
//!   which no pragma reports;
//! - per index, view and trigger: its `sqlite_schema.sql`.
//!
//! SQL texts are compared normalised for whitespace and comments only ([`text::squeezed`]).
//! A table's whole `CREATE TABLE` text is not compared: SQLite rewrites it itself (a
//! rename writes the new name quoted, ADD COLUMN splices the column in), so no tool that
//! alters tables could reproduce it; what it holds is compared through the facts above.

mod text;

use rusqlite::{types::Value, Connection};
use std::collections::{BTreeMap, BTreeSet};

/// The tool's own tables, which are not part of a user's schema.
const TOOL_TABLES: &[&str] = &["migrate_version", "migrate_version_history"];

/// A schema as SQLite reports it: fact lines, sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    lines: Vec<String>,
}

/// The rows of `sql` with the parameters `args`.
fn query(conn: &Connection, sql: &str, args: &[&str]) -> Vec<Vec<Value>> {
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let width = stmt.column_count();
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args), |row| {
            (0..width)
                .map(|i| row.get::<_, Value>(i))
                .collect::<rusqlite::Result<Vec<Value>>>()
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
    rows.unwrap_or_else(|e| panic!("{sql} {args:?}: {e}"))
}

/// A value as a fact shows it: its storage class is visible (`1`, `1.0`, `"1"`).
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => format!("{r:?}"),
        Value::Text(t) => format!("{t:?}"),
        Value::Blob(b) => format!("x{b:02x?}"),
    }
}

fn shown_all(values: &[Value]) -> String {
    values.iter().map(shown).collect::<Vec<_>>().join(" ")
}

/// A text value as it is (NULL and other classes as [`shown`]).
fn text_of(value: &Value) -> String {
    match value {
        Value::Text(t) => t.clone(),
        other => shown(other),
    }
}

fn is_user_object(name: &str) -> bool {
    !name.to_ascii_lowercase().starts_with("sqlite_")
        && !TOOL_TABLES.iter().any(|t| t.eq_ignore_ascii_case(name))
}

impl Catalog {
    /// The schema of `conn`'s main database.
    pub fn read(conn: &Connection) -> Catalog {
        let objects = query(
            conn,
            "SELECT type, name, tbl_name, sql FROM main.sqlite_schema",
            &[],
        );
        let mut lines = Vec::new();
        for object in &objects {
            let [kind, name, table, sql] = &object[..] else {
                unreachable!("four columns were selected")
            };
            let (kind, name, table) = (text_of(kind), text_of(name), text_of(table));
            if !is_user_object(&name) || !is_user_object(&table) {
                continue;
            }
            let sql = match sql {
                Value::Text(sql) => text::squeezed(sql),
                _ => continue,
            };
            match kind.as_str() {
                "table" => lines.extend(table_facts(conn, &name, &sql)),
                "index" => lines.push(format!("index {name} on {table}: {sql}")),
                "view" => lines.push(format!("view {name}: {sql}")),
                "trigger" => lines.push(format!("trigger {name} on {table}: {sql}")),
                _ => {}
            }
        }
        lines.sort();
        Catalog { lines }
    }

    /// The schema a fresh in-memory database gets from `sql`, run by SQLite as one batch.
    pub fn of_sql(sql: &str) -> Catalog {
        let conn = Connection::open_in_memory().expect("in-memory database");
        conn.execute_batch(sql)
            .unwrap_or_else(|e| panic!("loading a test schema: {e}"));
        Catalog::read(&conn)
    }

    /// The same facts with names compared as SQLite compares them: ASCII case and quoting
    /// that changes nothing are ignored (for schemas that differ only in spelling).
    pub fn folded(&self) -> Catalog {
        let mut lines: Vec<String> = self.lines.iter().map(|l| text::folded(l)).collect();
        lines.sort();
        Catalog { lines }
    }
}

/// Panics, showing the differing lines, unless `actual` equals `expected`.
#[track_caller]
pub fn assert_same(actual: &Catalog, expected: &Catalog, context: &str) {
    if actual == expected {
        return;
    }
    let (a, e): (BTreeSet<&String>, BTreeSet<&String>) = (
        actual.lines.iter().collect(),
        expected.lines.iter().collect(),
    );
    let mut report = String::new();
    for line in e.difference(&a) {
        report.push_str(&format!("- expected: {line}\n"));
    }
    for line in a.difference(&e) {
        report.push_str(&format!("+ actual:   {line}\n"));
    }
    panic!("{context}: the schema differs from the expected one as SQLite reports it\n{report}");
}

/// The facts of table `name` whose `CREATE TABLE` text (squeezed) is `sql`.
fn table_facts(conn: &Connection, name: &str, sql: &str) -> Vec<String> {
    let at = format!("table {name}");
    let mut lines = Vec::new();
    for row in query(
        conn,
        "SELECT type, ncol, wr, strict FROM pragma_table_list WHERE schema = 'main' AND name = ?1",
        &[name],
    ) {
        lines.push(format!("{at}: type ncol wr strict = {}", shown_all(&row)));
    }
    for row in query(
        conn,
        "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden \
         FROM pragma_table_xinfo(?1) ORDER BY cid",
        &[name],
    ) {
        let column = text_of(&row[1]);
        let (collation, autoincrement) = conn
            .column_metadata(None::<&str>, name, &column)
            .map(|(_, collation, _, _, autoinc)| {
                let collation = collation.map(|c| c.to_string_lossy().into_owned());
                (collation.unwrap_or_default(), autoinc)
            })
            .unwrap_or_else(|e| panic!("column metadata of {name}.{column}: {e}"));
        lines.push(format!(
            "{at} column: cid name type notnull dflt_value pk hidden = {}; \
             collation {collation}, autoincrement {autoincrement}",
            shown_all(&row)
        ));
    }
    for index in query(
        conn,
        "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1)",
        &[name],
    ) {
        let index_name = text_of(&index[0]);
        let shown_name = if index_name.starts_with("sqlite_autoindex_") {
            let number = index_name.rsplit('_').next().unwrap_or_default();
            format!("(automatic {number})")
        } else {
            index_name.clone()
        };
        let keys: Vec<String> = query(
            conn,
            "SELECT cid, name, \"desc\", coll FROM pragma_index_xinfo(?1) WHERE key ORDER BY seqno",
            &[&index_name],
        )
        .iter()
        .map(|k| shown_all(k))
        .collect();
        lines.push(format!(
            "{at} index {shown_name}: unique origin partial = {}; keys (cid name desc coll) = {}",
            shown_all(&index[1..]),
            keys.join(", ")
        ));
    }
    let mut keys: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for row in query(
        conn,
        "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete, \"match\" \
         FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
        &[name],
    ) {
        let Value::Integer(id) = row[0] else {
            unreachable!("foreign key ids are integers")
        };
        keys.entry(id).or_default().push(shown_all(&row[1..]));
    }
    for (id, parts) in &keys {
        lines.push(format!(
            "{at} foreign key {id}: (table from to on_update on_delete match) = {}",
            parts.join(", ")
        ));
    }
    for clause in text::table_clauses(sql) {
        lines.push(format!("{at} {clause}"));
    }
    lines
}

/// Every row of every user table, with its columns' names and declared types.
pub struct Data {
    tables: BTreeMap<String, TableData>,
}

struct TableData {
    /// (name, declared type) of the stored columns, in order.
    columns: Vec<(String, String)>,
    rows: Vec<Vec<Value>>,
}

impl Data {
    /// The rows of `conn`'s user tables (stored columns: generated ones compute themselves).
    pub fn read(conn: &Connection) -> Data {
        let names = query(
            conn,
            "SELECT name FROM main.sqlite_schema WHERE type = 'table'",
            &[],
        );
        let mut tables = BTreeMap::new();
        for name in names.iter().map(|row| text_of(&row[0])) {
            if !is_user_object(&name) {
                continue;
            }
            let columns: Vec<(String, String)> = query(
                conn,
                "SELECT name, type FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid",
                &[&name],
            )
            .iter()
            .map(|row| (text_of(&row[0]), text_of(&row[1])))
            .collect();
            let list: Vec<String> = columns.iter().map(|(c, _)| quoted(c)).collect();
            let sql = format!("SELECT {} FROM {}", list.join(", "), quoted(&name));
            let rows = query(conn, &sql, &[]);
            tables.insert(name, TableData { columns, rows });
        }
        Data { tables }
    }

    /// The values of what this and `other` both hold: the tables of both, the columns of
    /// the same name and declared type in both (by name), the rows sorted. Equal results
    /// both ways mean that no value of those columns was lost or changed.
    pub fn shared(&self, other: &Data) -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        for (name, table) in &self.tables {
            let Some(theirs) = other.tables.get(name) else {
                continue;
            };
            let mut kept: Vec<(usize, &String)> = table
                .columns
                .iter()
                .enumerate()
                .filter(|(_, column)| theirs.columns.contains(column))
                .map(|(i, (column, _))| (i, column))
                .collect();
            kept.sort_by_key(|&(_, column)| column);
            let mut rows: Vec<String> = table
                .rows
                .iter()
                .map(|row| {
                    let values: Vec<String> = kept
                        .iter()
                        .map(|&(i, column)| format!("{column}={}", shown(&row[i])))
                        .collect();
                    values.join(" ")
                })
                .collect();
            rows.sort();
            out.insert(name.clone(), rows);
        }
        out
    }

    /// Only what this and `other` share (see [`Data::shared`]), for a chain of states.
    pub fn within(&self, other: &Data) -> Data {
        let tables = self
            .tables
            .iter()
            .filter_map(|(name, table)| {
                let theirs = other.tables.get(name)?;
                let keep: Vec<usize> = (0..table.columns.len())
                    .filter(|&i| theirs.columns.contains(&table.columns[i]))
                    .collect();
                let data = TableData {
                    columns: keep.iter().map(|&i| table.columns[i].clone()).collect(),
                    rows: table
                        .rows
                        .iter()
                        .map(|row| keep.iter().map(|&i| row[i].clone()).collect())
                        .collect(),
                };
                Some((name.clone(), data))
            })
            .collect();
        Data { tables }
    }
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Panics unless every value `before` and `after` share is unchanged.
#[track_caller]
pub fn assert_values_kept(before: &Data, after: &Data, context: &str) {
    assert_eq!(
        after.shared(before),
        before.shared(after),
        "{context}: values changed (left: now, right: before)"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The oracle sees each difference the issue names, and what no pragma reports.
    #[test]
    fn the_oracle_tells_apart_what_sqlite_reports_differently() {
        let differ = |a: &str, b: &str| assert_ne!(Catalog::of_sql(a), Catalog::of_sql(b), "{a}");
        differ(
            "CREATE TABLE t (id INTEGER PRIMARY KEY)",
            "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY)",
        );
        differ(
            "CREATE TABLE t (a TEXT DEFAULT NULL)",
            "CREATE TABLE t (a TEXT)",
        );
        differ(
            "CREATE TABLE t (e TEXT); CREATE INDEX i ON t (lower(e))",
            "CREATE TABLE t (e TEXT); CREATE INDEX i ON t ((lower(e)))",
        );
        differ(
            "CREATE TABLE t (a CHECK (a > 0))",
            "CREATE TABLE t (a CHECK (a >= 0))",
        );
        differ("CREATE TABLE t (a COLLATE NOCASE)", "CREATE TABLE t (a)");
        differ(
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)",
            "CREATE TABLE t (id INTEGER PRIMARY KEY)",
        );
        differ(
            "CREATE TABLE t (a UNIQUE ON CONFLICT REPLACE)",
            "CREATE TABLE t (a UNIQUE)",
        );
        differ(
            "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p REFERENCES p DEFERRABLE INITIALLY DEFERRED)",
            "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p REFERENCES p)",
        );
        differ(
            "CREATE TABLE t (a, CONSTRAINT x UNIQUE (a))",
            "CREATE TABLE t (a, UNIQUE (a))",
        );
        // Collation and order of a key constraint's columns (its automatic index).
        differ(
            "CREATE TABLE t (a, UNIQUE (a COLLATE NOCASE))",
            "CREATE TABLE t (a, UNIQUE (a))",
        );
        differ(
            "CREATE TABLE t (a, UNIQUE (a DESC))",
            "CREATE TABLE t (a, UNIQUE (a))",
        );
        // Declaration order: foreign_key_list ids and automatic index numbers.
        differ(
            "CREATE TABLE c (a, b, FOREIGN KEY (a) REFERENCES p (x), FOREIGN KEY (b) REFERENCES p (y))",
            "CREATE TABLE c (a, b, FOREIGN KEY (b) REFERENCES p (y), FOREIGN KEY (a) REFERENCES p (x))",
        );
        differ(
            "CREATE TABLE t (a TEXT, b TEXT, UNIQUE (a), PRIMARY KEY (b))",
            "CREATE TABLE t (a TEXT, b TEXT, PRIMARY KEY (b), UNIQUE (a))",
        );
        // Whitespace and comments alone are no difference.
        assert_eq!(
            Catalog::of_sql("CREATE TABLE t (a CHECK (a>0)); CREATE VIEW v AS SELECT a FROM t"),
            Catalog::of_sql(
                "CREATE TABLE t (a CHECK ( a > 0 ) /* x */);\nCREATE VIEW v AS\n  SELECT a FROM t"
            )
        );
    }

    #[test]
    fn values_are_compared_with_their_storage_class() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch("CREATE TABLE t (a, b); INSERT INTO t VALUES (1, 'x'), (2, NULL)")
            .expect("load");
        let before = Data::read(&conn);
        conn.execute_batch("UPDATE t SET a = '1' WHERE a = 1")
            .expect("update");
        assert_ne!(Data::read(&conn).shared(&before), before.shared(&before));
        conn.execute_batch("UPDATE t SET a = 1 WHERE a = '1'; ALTER TABLE t ADD COLUMN c")
            .expect("alter");
        assert_values_kept(&before, &Data::read(&conn), "an added column");
    }
}
