//! File-based autogenerate round trips: `tests/cases/sqlite/<NN-name>/{current,desired,seed}.sql`.
//! For each case: load current (and seed rows) into app.db, autogenerate, upgrade, and
//! require that introspection equals a fresh database loaded with desired, that `check`
//! passes, that rows survive, and that downgrade returns to current.

use crate::cases;
use crate::project::{memory_db, run_sql, TestProject};
use migrate::dialect::sqlite::SqliteDriver;
use migrate::dialect::Driver;
use migrate::schema::Schema;
use migrate::url::SqliteLocation;
use std::collections::BTreeMap;
use std::path::Path;

const EXCLUDE: &[&str] = &["migrate_version", "migrate_version_history"];
const AUTOGENERATE: &[&str] = &[
    "revision",
    "--autogenerate",
    "-m",
    "auto",
    "--rev-id",
    "auto1",
];

/// The schema a fresh in-memory database gets from `sql`.
fn fresh_schema(sql: &str) -> Schema {
    memory_db(sql).inspect(EXCLUDE).expect("inspect fresh")
}

fn live_schema(p: &TestProject) -> Schema {
    let mut driver =
        SqliteDriver::open(&SqliteLocation::File(p.path("app.db"))).expect("open app.db");
    driver.inspect(EXCLUDE).expect("inspect app.db")
}

/// Row counts of every table of `schema` in app.db.
fn row_counts(p: &TestProject, schema: &Schema) -> BTreeMap<String, i64> {
    let conn = p.db();
    schema
        .tables
        .keys()
        .map(|name| {
            let sql = format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\""));
            let count = conn.query_row(&sql, [], |r| r.get(0)).expect("count");
            (name.clone(), count)
        })
        .collect()
}

/// One case; returns the generated revision text (empty when no changes).
fn run_case(dir: &Path) -> String {
    let name = cases::name(dir);
    let current_sql = cases::sql(dir, "current.sql");
    let desired_sql = cases::sql(dir, "desired.sql");
    let seed_sql = cases::sql(dir, "seed.sql");

    let p = TestProject::new();
    p.write("schema.sql", &desired_sql);
    {
        let mut driver =
            SqliteDriver::open(&SqliteLocation::File(p.path("app.db"))).expect("open app.db");
        run_sql(&mut driver, &current_sql).expect("current.sql loads");
        run_sql(&mut driver, &seed_sql).expect("seed.sql loads");
    }
    let current = fresh_schema(&current_sql);
    let desired = fresh_schema(&desired_sql);
    assert_eq!(live_schema(&p), current, "{name}: loading current");
    let before = row_counts(&p, &current);

    let run = p.run(AUTOGENERATE).ok();
    // Equal schemas, or ones that differ only in formatting (marked expect-no-changes).
    if current == desired || dir.join("expect-no-changes").exists() {
        assert!(
            run.stderr.contains("No changes detected"),
            "{name}: {run:?}"
        );
        assert!(
            run.stdout.is_empty(),
            "{name}: no file when nothing changed"
        );
        p.run(&["check"]).ok();
        return String::new();
    }
    let path = p.path("migrations/auto1_auto.sql");
    let generated = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        !generated.is_empty(),
        "{name}: no revision written: {run:?}"
    );

    // Deterministic: generating again gives the same file, byte for byte (but the date).
    std::fs::remove_file(&path).expect("remove");
    p.run(AUTOGENERATE).ok();
    let without_date = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("-- created:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        without_date(&std::fs::read_to_string(&path).unwrap_or_default()),
        without_date(&generated),
        "{name}: not deterministic"
    );

    p.run(&["check"]).fails(1, "the database is not at head");
    let up = p.run(&["upgrade", "head"]);
    assert_eq!(up.code, 0, "{name}: upgrade failed: {up:?}\n{generated}");
    assert_eq!(
        live_schema(&p),
        desired,
        "{name}: after upgrade\n{generated}"
    );
    let check = p.run(&["check"]);
    assert_eq!(
        check.code, 0,
        "{name}: check after upgrade: {check:?}\n{generated}"
    );
    let after = row_counts(&p, &desired);
    for (table, count) in &before {
        if let Some(now) = after.get(table) {
            assert_eq!(
                now, count,
                "{name}: rows of {table} after upgrade\n{generated}"
            );
        }
    }

    let down = p.run(&["downgrade", "base"]);
    assert_eq!(
        down.code, 0,
        "{name}: downgrade failed: {down:?}\n{generated}"
    );
    assert_eq!(
        live_schema(&p),
        current,
        "{name}: after downgrade\n{generated}"
    );
    let restored = row_counts(&p, &current);
    for (table, count) in &before {
        if after.contains_key(table) {
            assert_eq!(
                restored.get(table),
                Some(count),
                "{name}: rows of {table} after downgrade"
            );
        }
    }
    generated
}

#[test]
fn every_sqlite_case_round_trips() {
    let dirs = cases::dirs();
    assert!(dirs.len() >= 40, "the corpus should hold at least 40 cases");
    // MIGRATE_CASE=substring runs the matching cases only.
    let only = std::env::var("MIGRATE_CASE").ok();
    let mut failed = Vec::new();
    for dir in dirs {
        let name = cases::name(&dir);
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let outcome = std::panic::catch_unwind(|| {
            let generated = run_case(&dir);
            if dir.join("expect-warning").exists() {
                assert!(
                    generated.contains("-- WARNING: "),
                    "{name}: expected a warning\n{generated}"
                );
            }
        });
        if outcome.is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "failing cases: {failed:?}");
}
