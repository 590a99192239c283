//! The MySQL/MariaDB judge of the autogenerate round trips: the server's own account of a
//! database (`SHOW CREATE TABLE`, `SHOW CREATE VIEW`, `SHOW CREATE TRIGGER`) and its rows
//! as the server gives them, never our inspector.
//!
//! A table's text is normalised in two ways only: its `AUTO_INCREMENT=N` counter is left
//! out (rows move it, see docs/mysql.md), and its index lines are sorted (the server
//! lists them in creation order). A view's loses its `DEFINER` (the connecting account)
//! and the database's name where the server qualifies tables with it, and the charset
//! introducers of its string literals (`_utf8mb3' '`: MariaDB writes them or not
//! depending on the loading session, the same SQL loaded by the mysql crate and by the
//! binary differing), so that two databases loaded with the same SQL print the same. A trigger is what
//! `information_schema.TRIGGERS` says of it: table, timing, event and body (`SHOW CREATE
//! TRIGGER` repeats the statement as typed, quotes and all).

use crate::servers::MyDatabase;
use mysql::prelude::Queryable;
use std::collections::BTreeMap;

/// What the server prints of each table, view and trigger of a database, by kind and name.
#[derive(Debug, PartialEq, Eq)]
pub struct Shown(pub BTreeMap<String, String>);

/// `name` quoted as the server writes it.
fn quoted(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// `text` without ` AUTO_INCREMENT=<digits>` (the table option, not the column word).
fn without_counter(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(" AUTO_INCREMENT=") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " AUTO_INCREMENT=".len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// `SHOW CREATE TABLE` text with its index lines (`KEY`, `UNIQUE KEY`, `FULLTEXT KEY`,
/// `SPATIAL KEY`) sorted among themselves: the server lists them in the order they were
/// made, which says nothing of the table (and the model keeps indexes by name).
fn keys_sorted(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() < 3 {
        return text.to_string();
    }
    let mut body: Vec<String> = lines[1..lines.len() - 1]
        .iter()
        .map(|l| l.trim_end_matches(',').to_string())
        .collect();
    let is_key = |l: &str| {
        let l = l.trim_start();
        ["KEY ", "UNIQUE KEY ", "FULLTEXT KEY ", "SPATIAL KEY "]
            .iter()
            .any(|k| l.starts_with(k))
    };
    let at: Vec<usize> = (0..body.len()).filter(|i| is_key(&body[*i])).collect();
    let mut keys: Vec<String> = at.iter().map(|i| body[*i].clone()).collect();
    keys.sort();
    for (i, key) in at.into_iter().zip(keys) {
        body[i] = key;
    }
    format!(
        "{}\n{}\n{}",
        lines[0],
        body.join(",\n"),
        lines[lines.len() - 1]
    )
}

/// `text` without ``DEFINER=`user`@`host` ``, `` `db`. `` qualifiers and charset
/// introducers.
fn without_definer(text: &str, database: &str) -> String {
    let mut text = text.replace(&format!("{}.", quoted(database)), "");
    if let Some(at) = text.find("DEFINER=") {
        let end = text[at..]
            .find(" SQL SECURITY")
            .or_else(|| text[at..].find(" TRIGGER"))
            .or_else(|| text[at..].find(" VIEW"))
            .map_or(text.len(), |e| at + e);
        text.replace_range(at..end, "");
    }
    for introducer in ["_utf8mb3'", "_utf8mb4'", "_latin1'"] {
        text = text.replace(introducer, "'");
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Shown {
    /// What the server shows of `db` (the tool's `migrate_version*` tables left out).
    pub fn read(db: &MyDatabase) -> Shown {
        let mut conn = db.conn();
        let mut shown = BTreeMap::new();
        let tables: Vec<(String, String)> = conn
            .exec(
                "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = ? ORDER BY 1",
                (db.name.as_str(),),
            )
            .expect("list tables");
        for (name, kind) in tables {
            if name.starts_with("migrate_version") {
                continue;
            }
            if kind == "VIEW" {
                let row: mysql::Row = conn
                    .query_first(format!("SHOW CREATE VIEW {}", quoted(&name)))
                    .expect("show create view")
                    .expect("a row");
                let text: String = row.get(1).expect("view text");
                shown.insert(format!("view {name}"), without_definer(&text, &db.name));
            } else {
                let row: (String, String) = conn
                    .query_first(format!("SHOW CREATE TABLE {}", quoted(&name)))
                    .expect("show create table")
                    .expect("a row");
                shown.insert(
                    format!("table {name}"),
                    keys_sorted(&without_counter(&row.1)),
                );
            }
        }
        let triggers: Vec<(String, String, String, String, String)> = conn
            .exec(
                "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, \
                 ACTION_STATEMENT FROM information_schema.TRIGGERS \
                 WHERE TRIGGER_SCHEMA = ? ORDER BY 1",
                (db.name.as_str(),),
            )
            .expect("list triggers");
        for (name, table, timing, event, body) in triggers {
            shown.insert(
                format!("trigger {name}"),
                format!("{timing} {event} ON {table}: {body}"),
            );
        }
        Shown(shown)
    }

    /// A report of what differs from `expected`, or `None` when nothing does.
    pub fn difference(&self, expected: &Shown) -> Option<String> {
        let mut report = String::new();
        let names: std::collections::BTreeSet<&String> =
            self.0.keys().chain(expected.0.keys()).collect();
        for name in names {
            match (self.0.get(name), expected.0.get(name)) {
                (Some(a), Some(b)) if a == b => {}
                (a, b) => report.push_str(&format!(
                    "{name}:\n  got:      {}\n  expected: {}\n",
                    a.map_or("(none)".into(), |t| t.replace('\n', "\n            ")),
                    b.map_or("(none)".into(), |t| t.replace('\n', "\n            "))
                )),
            }
        }
        (!report.is_empty()).then_some(report)
    }
}

/// Runs `sql` (several statements) in `db`, in a `utf8mb4` session as the binary's (the
/// server writes a view's string literals with an introducer, `_utf8mb3' '`, where the
/// session's character set is not the column's).
pub fn load(db: &MyDatabase, sql: &str) -> Result<(), String> {
    if sql.trim().is_empty() {
        return Ok(());
    }
    let mut conn = db.conn();
    conn.query_drop("SET NAMES utf8mb4")
        .map_err(|e| e.to_string())?;
    conn.query_drop(sql).map_err(|e| e.to_string())
}

/// What the server shows of a fresh database loaded with `sql`.
pub fn shown_of_sql(label: &str, sql: &str) -> Option<Result<Shown, String>> {
    let db = MyDatabase::create(label)?;
    Some(load(&db, sql).map(|()| Shown::read(&db)))
}

/// Every table's rows, each column as the server's SQL literal of its value, by table and
/// column name; rows sorted.
#[derive(Debug, Default)]
pub struct Rows(pub BTreeMap<String, (Vec<String>, Vec<Vec<String>>)>);

impl Rows {
    /// The rows of every base table of `db` but the tool's `migrate_version*` tables.
    pub fn read(db: &MyDatabase) -> Rows {
        let mut conn = db.conn();
        let tables: Vec<String> = conn
            .exec(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? \
                 AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME NOT LIKE 'migrate\\_version%'",
                (db.name.as_str(),),
            )
            .expect("list tables");
        let mut rows = BTreeMap::new();
        for table in tables {
            let result: Vec<mysql::Row> = conn
                .query(format!("SELECT * FROM {}", quoted(&table)))
                .expect("select rows");
            let columns: Vec<String> = match result.first() {
                Some(row) => row
                    .columns_ref()
                    .iter()
                    .map(|c| c.name_str().to_string())
                    .collect(),
                None => Vec::new(),
            };
            let mut values: Vec<Vec<String>> = result
                .into_iter()
                .map(|row| row.unwrap().iter().map(|v| v.as_sql(false)).collect())
                .collect();
            values.sort();
            rows.insert(table, (columns, values));
        }
        Rows(rows)
    }

    /// `self`'s rows of `table` over `columns` (in that order), sorted; `None` when a
    /// column or the table is missing.
    fn project(&self, table: &str, columns: &[String]) -> Option<Vec<Vec<String>>> {
        let (names, values) = self.0.get(table)?;
        let at: Option<Vec<usize>> = columns
            .iter()
            .map(|c| names.iter().position(|n| n == c))
            .collect();
        let at = at?;
        let mut out: Vec<Vec<String>> = values
            .iter()
            .map(|row| at.iter().map(|i| row[*i].clone()).collect())
            .collect();
        out.sort();
        Some(out)
    }

    /// Fails with a report unless, for every table with rows in `self` that `other` also
    /// has, the rows over the columns both hold are equal.
    pub fn kept_in(&self, other: &Rows, state: &str) -> Result<(), String> {
        for (table, (columns, values)) in &self.0 {
            if values.is_empty() {
                continue;
            }
            let Some((other_columns, _)) = other.0.get(table) else {
                continue;
            };
            let common: Vec<String> = columns
                .iter()
                .filter(|c| other_columns.contains(c) || other_columns.is_empty())
                .cloned()
                .collect();
            let mine = self.project(table, &common);
            let theirs = other.project(table, &common);
            if other_columns.is_empty() || mine != theirs {
                return Err(format!(
                    "{state}: rows of {table} over {common:?} changed\n  before: {mine:?}\n  after:  {theirs:?}"
                ));
            }
        }
        Ok(())
    }
}

#[test]
fn the_mysql_judge_tells_a_changed_table_and_agrees_on_the_same_sql() {
    let sql = "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10) DEFAULT 'a');\n\
               CREATE VIEW w AS SELECT id FROM t;\n\
               CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.v = 'b';\n\
               INSERT INTO t (v) VALUES ('x'), ('y');";
    let Some(first) = shown_of_sql("my judge a", sql) else {
        return;
    };
    let first = first.expect("load");
    let second = shown_of_sql(
        "my judge b",
        &sql.replace("INSERT INTO t (v) VALUES ('x'), ('y');", ""),
    )
    .expect("server")
    .expect("load");
    // Two databases, other counters: the same.
    assert_eq!(first.difference(&second), None);
    assert_eq!(first.0.len(), 3, "{first:?}");
    let changed = shown_of_sql("my judge c", &sql.replace("DEFAULT 'a'", "DEFAULT 'c'"))
        .expect("server")
        .expect("load");
    let report = first.difference(&changed).expect("a difference");
    assert!(report.contains("table t"), "{report}");
}
