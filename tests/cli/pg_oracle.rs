//! The PostgreSQL test oracle: a database's schema as `pg_dump --schema-only --no-owner
//! --no-privileges` prints it, and its rows as the server prints them, read with psql,
//! pg_dump and the `postgres` crate alone (nothing of src/dialect/postgres/), so that a
//! blind spot of our inspector cannot hide a difference.
//!
//! A dump is normalised only for what carries no schema: comment lines (the dump's header,
//! its `-- Name:` lines are kept as entry headers), `SET`/`set_config` lines, psql's
//! `\restrict` lines (a random key per run) and blank lines; and for the order of its
//! entries, which pg_dump takes from type, name and then dependencies: entries are compared
//! as a sorted list, each entry kept whole (a table's columns stay in their order). The
//! tool's own tables (`migrate_version`, `migrate_version_history`, `migrate_version_lock`)
//! and whatever belongs to them are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// The tool's own tables, which are not part of a user's schema.
const TOOL_TABLES: &[&str] = &[
    "migrate_version",
    "migrate_version_history",
    "migrate_version_lock",
];

/// The PostgreSQL client program `name` (`psql`, `pg_dump`): from PATH, else the newest
/// `/usr/lib/postgresql/*/bin`.
pub fn program(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|dir| dir.join(name))
        .find(|p| p.is_file());
    if let Some(found) = on_path {
        return found;
    }
    let mut installed: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
                    let path = e.path().join("bin").join(name);
                    path.is_file().then_some((version, path))
                })
                .collect()
        })
        .unwrap_or_default();
    installed.sort();
    installed
        .pop()
        .map(|(_, path)| path)
        .unwrap_or_else(|| panic!("{name} is neither on PATH nor in /usr/lib/postgresql/*/bin"))
}

/// Runs `sql` on the database at `url` with `psql -v ON_ERROR_STOP=1` (one session,
/// statements committed one by one); the error is psql's message (with its line number).
pub fn load(url: &str, sql: &str) -> Result<(), String> {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(sql.as_bytes()).expect("write the SQL");
    let output = Command::new(program("psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f"])
        .arg(file.path())
        .output()
        .unwrap_or_else(|e| panic!("cannot run psql: {e}"));
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "psql: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// A schema as pg_dump prints it: its entries (header line and statements), sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dump {
    entries: Vec<String>,
}

impl Dump {
    /// The schema of the database at `url`.
    pub fn read(url: &str) -> Dump {
        let output = Command::new(program("pg_dump"))
            .args([
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                "--dbname",
                url,
            ])
            .output()
            .unwrap_or_else(|e| panic!("cannot run pg_dump: {e}"));
        assert!(
            output.status.success(),
            "pg_dump failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Dump::parse(&String::from_utf8_lossy(&output.stdout))
    }

    /// The entries of a pg_dump text, normalised (see the module documentation).
    pub fn parse(text: &str) -> Dump {
        let mut entries: Vec<(String, Vec<&str>)> = Vec::new();
        let mut preamble: Vec<&str> = Vec::new();
        for line in text.lines() {
            if let Some(header) = line.strip_prefix("-- Name: ") {
                entries.push((header.to_string(), Vec::new()));
                continue;
            }
            let noise = line.trim().is_empty()
                || line.starts_with("--")
                || line.starts_with("SET ")
                || line.starts_with("SELECT pg_catalog.set_config(")
                || line.starts_with("\\restrict ")
                || line.starts_with("\\unrestrict ");
            if noise {
                continue;
            }
            match entries.last_mut() {
                Some((_, body)) => body.push(line),
                None => preamble.push(line),
            }
        }
        assert!(
            preamble.is_empty(),
            "pg_dump printed statements before its first entry: {preamble:?}"
        );
        let mut entries: Vec<String> = entries
            .into_iter()
            .filter(|(header, body)| !is_tool_entry(header, body))
            .map(|(header, body)| format!("{header}\n{}", body.join("\n")))
            .collect();
        entries.sort();
        Dump { entries }
    }
}

/// Whether the entry (`header`: `NAME; Type: ...`, and its statements) is one of the
/// tool's own tables or belongs to one: a word of its name starts with a tool table's name
/// (`migrate_version_pkey`, `migrate_version_history id`), or its statements name a tool
/// table qualified (an index `ON public.migrate_version_history`).
fn is_tool_entry(header: &str, body: &[&str]) -> bool {
    let name = header.split(';').next().unwrap_or_default();
    let named = name
        .split_whitespace()
        .map(|word| word.trim_matches('"'))
        .any(|word| TOOL_TABLES.iter().any(|table| word.starts_with(table)));
    let on_tool_table = body
        .iter()
        .flat_map(|line| line.split(|c: char| c.is_whitespace() || c == '(' || c == ';'))
        .filter_map(|word| word.rsplit_once('.'))
        .any(|(_, table)| TOOL_TABLES.contains(&table.trim_matches('"')));
    named || on_tool_table
}

/// The entries only one side holds, as `- expected:` / `+ actual:` blocks; `None` when equal.
pub fn difference(actual: &Dump, expected: &Dump) -> Option<String> {
    if actual == expected {
        return None;
    }
    let a: BTreeSet<&String> = actual.entries.iter().collect();
    let e: BTreeSet<&String> = expected.entries.iter().collect();
    let mut report = String::new();
    for entry in e.difference(&a) {
        report.push_str(&format!(
            "- expected: {}\n",
            entry.replace('\n', "\n-           ")
        ));
    }
    for entry in a.difference(&e) {
        report.push_str(&format!(
            "+ actual:   {}\n",
            entry.replace('\n', "\n+           ")
        ));
    }
    if report.is_empty() {
        report.push_str("(the same entries, a different number of times)\n");
    }
    Some(report)
}

/// `name` as a PostgreSQL identifier: double-quoted, embedded quotes doubled.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// One table's stored columns (name, `format_type`) and rows, each value as the server's
/// text output (`NULL` as `None`).
#[derive(Clone, Debug)]
struct TableRows {
    columns: Vec<(String, String)>,
    rows: Vec<Vec<Option<String>>>,
}

/// Every row of every user table (ordinary and partitioned tables, not their partitions,
/// not the tool's tables nor extensions' tables), keyed by `schema.table`. Generated
/// columns are left out: they compute themselves.
#[derive(Clone, Debug)]
pub struct Rows {
    tables: BTreeMap<String, TableRows>,
}

impl Rows {
    /// The rows of the database `client` is connected to.
    pub fn read(client: &mut postgres::Client) -> Rows {
        let columns = client
            .query(
                "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod) \
                 FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_attribute a ON a.attrelid = c.oid \
                      AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' \
                 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition \
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
                   AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
                   AND NOT (c.relname = ANY ($1)) \
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d \
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid \
                          AND d.deptype = 'e') \
                 ORDER BY n.nspname, c.relname, a.attnum",
                &[&TOOL_TABLES.to_vec()],
            )
            .unwrap_or_else(|e| panic!("listing the tables' columns: {e}"));
        let mut tables: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
        for row in columns {
            tables
                .entry((row.get(0), row.get(1)))
                .or_default()
                .push((row.get(2), row.get(3)));
        }
        let tables = tables
            .into_iter()
            .map(|((schema, table), columns)| {
                let list: Vec<String> = columns
                    .iter()
                    .map(|(c, _)| format!("{}::text", quoted(c)))
                    .collect();
                let sql = format!(
                    "SELECT {} FROM {}.{}",
                    list.join(", "),
                    quoted(&schema),
                    quoted(&table)
                );
                let rows = client
                    .query(&sql, &[])
                    .unwrap_or_else(|e| panic!("{sql}: {e}"))
                    .iter()
                    .map(|row| (0..columns.len()).map(|i| row.get(i)).collect())
                    .collect();
                (format!("{schema}.{table}"), TableRows { columns, rows })
            })
            .collect();
        Rows { tables }
    }

    /// Each table's rows as sorted lines `column=value ...` over the columns named in
    /// `keep` for that table (in that order); tables absent from `keep` are left out.
    fn lines(&self, keep: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
        keep.iter()
            .filter_map(|(name, columns)| {
                let table = self.tables.get(name)?;
                let at: Vec<usize> = columns
                    .iter()
                    .filter_map(|c| table.columns.iter().position(|(n, _)| n == c))
                    .collect();
                let mut lines: Vec<String> = table
                    .rows
                    .iter()
                    .map(|row| {
                        at.iter()
                            .map(|&i| format!("{}={}", table.columns[i].0, shown(&row[i])))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                lines.sort();
                Some((name.clone(), lines))
            })
            .collect()
    }

    /// The tables of both and, per table, the names of the columns both hold, sorted.
    fn shared_columns(&self, other: &Rows) -> BTreeMap<String, Vec<String>> {
        self.tables
            .iter()
            .filter_map(|(name, table)| {
                let theirs = other.tables.get(name)?;
                let mut columns: Vec<String> = table
                    .columns
                    .iter()
                    .filter(|(c, _)| theirs.columns.iter().any(|(t, _)| t == c))
                    .map(|(c, _)| c.clone())
                    .collect();
                columns.sort();
                Some((name.clone(), columns))
            })
            .collect()
    }

    /// These rows with each value of a column whose type differs in `target` converted
    /// to that type by the server (`value::text::type`, then as text): what the rows must
    /// read once the columns have `target`'s types, if no value is lost or changed.
    fn converted_to(&self, target: &Rows, client: &mut postgres::Client) -> Rows {
        let mut out = self.clone();
        for (name, table) in &mut out.tables {
            let Some(theirs) = target.tables.get(name) else {
                continue;
            };
            for i in 0..table.columns.len() {
                let (column, ty) = table.columns[i].clone();
                let Some((_, to)) = theirs.columns.iter().find(|(c, _)| *c == column) else {
                    continue;
                };
                if *to == ty {
                    continue;
                }
                // `to` is format_type's output: a type name the server itself printed.
                let sql = format!("SELECT $1::text::{to}::text");
                for row in &mut table.rows {
                    if let Some(value) = &row[i] {
                        let converted = client.query_one(&sql, &[value]).unwrap_or_else(|e| {
                            panic!("{name}.{column}: {value:?} as {to} (was {ty}): {e}")
                        });
                        row[i] = converted.get(0);
                    }
                }
                table.columns[i].1 = to.clone();
            }
        }
        out
    }
}

fn shown(value: &Option<String>) -> String {
    match value {
        Some(text) => format!("{text:?}"),
        None => "NULL".to_string(),
    }
}

/// Panics unless every row `before` holds is in `after` with the same values, over the
/// tables and columns both hold; a column whose type changed must hold each old value
/// converted to the new type by the server (`client`: any connection, for the casts).
/// Rows are compared as sorted multisets of `column=value` lines, so a lost, added,
/// duplicated or changed row shows.
#[track_caller]
pub fn assert_rows_kept(before: &Rows, after: &Rows, client: &mut postgres::Client, context: &str) {
    let keep = before.shared_columns(after);
    let expected = before.converted_to(after, client).lines(&keep);
    let actual = after.lines(&keep);
    assert_eq!(
        actual, expected,
        "{context}: rows changed (left: now, right: expected from the rows before)"
    );
}

/// The rows of `before` and `restored` over what `middle` (the state in between) kept:
/// the values that went through the round trip must come back unchanged.
#[track_caller]
pub fn assert_rows_restored(before: &Rows, middle: &Rows, restored: &Rows, context: &str) {
    let keep: BTreeMap<String, Vec<String>> = before
        .shared_columns(middle)
        .into_iter()
        .filter_map(|(name, columns)| {
            let back = restored.tables.get(&name)?;
            let columns = columns
                .into_iter()
                .filter(|c| back.columns.iter().any(|(n, _)| n == c))
                .collect();
            Some((name, columns))
        })
        .collect();
    assert_eq!(
        restored.lines(&keep),
        before.lines(&keep),
        "{context}: rows not restored (left: now, right: before the upgrade)"
    );
}

/// A fresh database of its own loaded with `sql`, and its dump.
pub fn dump_of_sql(label: &str, sql: &str) -> Option<Dump> {
    let db = crate::servers::PgDatabase::create(label)?;
    load(&db.url(), sql).unwrap_or_else(|e| panic!("{label}: {e}"));
    Some(Dump::read(&db.url()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases;
    use crate::servers::PgDatabase;

    #[test]
    fn dumps_are_normalised_for_noise_and_order_only() {
        let a = "--\n-- PostgreSQL database dump\n--\n\n\\restrict abc\nSET x = 0;\n\
                 SELECT pg_catalog.set_config('search_path', '', false);\n\
                 --\n-- Name: b; Type: TABLE; Schema: public; Owner: -\n--\n\n\
                 CREATE TABLE public.b (\n    y integer,\n    x integer\n);\n\n\n\
                 --\n-- Name: a; Type: TABLE; Schema: public; Owner: -\n--\n\n\
                 CREATE TABLE public.a (\n    x integer\n);\n\\unrestrict abc\n";
        let b = "\\restrict other\n\
                 --\n-- Name: a; Type: TABLE; Schema: public; Owner: -\n--\n\
                 CREATE TABLE public.a (\n    x integer\n);\n\
                 --\n-- Name: b; Type: TABLE; Schema: public; Owner: -\n--\n\
                 CREATE TABLE public.b (\n    y integer,\n    x integer\n);\n";
        assert_eq!(Dump::parse(a), Dump::parse(b));
        // Column order inside an entry is kept.
        let swapped = b.replace(
            "    y integer,\n    x integer",
            "    x integer,\n    y integer",
        );
        assert_ne!(Dump::parse(a), Dump::parse(&swapped));
        // The tool's tables and what belongs to them are left out; a user's are not.
        let tool = format!(
            "{b}--\n-- Name: migrate_version; Type: TABLE; Schema: public; Owner: -\n--\n\
             CREATE TABLE public.migrate_version (\n    version_num text\n);\n\
             --\n-- Name: migrate_version migrate_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -\n--\n\
             ALTER TABLE ONLY public.migrate_version ADD CONSTRAINT migrate_version_pkc PRIMARY KEY (version_num);\n"
        );
        assert_eq!(Dump::parse(&tool), Dump::parse(b));
        let index = format!(
            "{b}--\n-- Name: ix_history_at; Type: INDEX; Schema: public; Owner: -\n--\n\
             CREATE INDEX ix_history_at ON public.migrate_version_history USING btree (at);\n"
        );
        assert_eq!(Dump::parse(&index), Dump::parse(b));
        let user = b.replace("Name: a;", "Name: migrations;");
        assert_ne!(Dump::parse(&user), Dump::parse(b));
    }

    /// Every case loads on the server (current with its seed rows, desired), the same file
    /// loaded twice dumps the same, and current and desired dump differently (the oracle
    /// sees each case's change) except where the case says there is no change.
    #[test]
    fn every_postgres_case_loads_and_the_oracle_sees_its_change() {
        let dirs = cases::dirs("postgres");
        assert!(dirs.len() >= 64, "the corpus should hold at least 64 cases");
        let Some(probe) = PgDatabase::create("oracle probe") else {
            return;
        };
        drop(probe);
        let only = std::env::var("MIGRATE_CASE").ok();
        let dirs: Vec<PathBuf> = dirs
            .into_iter()
            .filter(|d| only.as_deref().is_none_or(|o| cases::name(d).contains(o)))
            .collect();
        let failures = crate::postgres_cases::in_parallel(&dirs, |dir| {
            let name = cases::name(dir);
            let current = cases::sql(dir, "current.sql");
            let seed = cases::sql(dir, "seed.sql");
            let db = PgDatabase::create(&name).expect("server reachable");
            load(&db.url(), &current).map_err(|e| format!("current.sql: {e}"))?;
            load(&db.url(), &seed).map_err(|e| format!("seed.sql: {e}"))?;
            let loaded = Dump::read(&db.url());
            let again = dump_of_sql(&name, &current).expect("server reachable");
            if let Some(report) = difference(&again, &loaded) {
                return Err(format!(
                    "current.sql loaded twice dumps differently\n{report}"
                ));
            }
            let desired =
                dump_of_sql(&name, &cases::sql(dir, "desired.sql")).expect("server reachable");
            let no_change = dir.join("expect-no-changes").exists();
            match (difference(&desired, &loaded), no_change) {
                (None, false) => Err("current and desired dump the same".to_string()),
                (Some(report), true) => Err(format!("expect-no-changes, yet\n{report}")),
                _ => Ok(()),
            }
        });
        assert!(failures.is_empty(), "failing cases: {failures:?}");
    }

    #[test]
    fn rows_are_compared_by_value_through_type_changes() {
        let Some(db) = PgDatabase::create("oracle rows") else {
            return;
        };
        let mut client = db.client();
        client
            .batch_execute(
                "CREATE TABLE t (id integer, a numeric(10,2), b text, g integer GENERATED ALWAYS AS (id * 2) STORED);
                 INSERT INTO t VALUES (1, 1.5, 'x'), (2, NULL, 'ü ''q''')",
            )
            .expect("load");
        let before = Rows::read(&mut client);
        client
            .batch_execute("ALTER TABLE t ALTER a TYPE numeric(14,4), ADD c text")
            .expect("widen");
        let after = Rows::read(&mut client);
        assert_rows_kept(&before, &after, &mut client, "a widened numeric");
        client
            .batch_execute("UPDATE t SET b = 'y' WHERE id = 1")
            .expect("update");
        let changed = Rows::read(&mut client);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            assert_rows_kept(&before, &changed, &mut client, "a changed value")
        }));
        assert!(caught.is_err(), "a changed value must be seen");
        client
            .batch_execute("UPDATE t SET b = 'x' WHERE id = 1; DELETE FROM t WHERE id = 2")
            .expect("delete");
        let lost = Rows::read(&mut client);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            assert_rows_kept(&before, &lost, &mut client, "a lost row")
        }));
        assert!(caught.is_err(), "a lost row must be seen");
        client
            .batch_execute(
                "INSERT INTO t VALUES (2, NULL, 'ü ''q'''); ALTER TABLE t DROP c, ALTER a TYPE numeric(10,2)",
            )
            .expect("restore");
        assert_rows_restored(&before, &after, &Rows::read(&mut client), "restored");
    }
}
