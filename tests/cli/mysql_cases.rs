//! File-based autogenerate round trips on MariaDB/MySQL: `tests/cases/mysql/<NNN-name>/
//! {current,desired,seed}.sql`, each case in a database of its own, judged by
//! [`my_oracle`] (the server's `SHOW CREATE ...` and rows, not our inspector).
//!
//! For each case: load current.sql and seed.sql; `revision --autogenerate` against a
//! project whose schema.sql is desired.sql (twice: the same file but for its date);
//! `check` fails before and passes after `upgrade head`; the server then shows every
//! table, view and trigger as it shows them in a fresh database loaded with desired.sql,
//! and the seeded rows keep their values over the columns both states hold; `downgrade
//! -1` brings back current.sql's account and the seeded rows. The generated revision (its
//! date line removed) is an insta snapshot under tests/cli/snapshots/ (`mysql__<case>`).
//!
//! A case directory may hold `expect-warning` (a warning the revision must
//! hold). `MIGRATE_CASE=substring` runs the matching cases; `MIGRATE_TEST_THREADS`
//! (default 2) how many at once.

use crate::cases;
use crate::my_oracle::{self, Rows, Shown};
use crate::postgres_cases::{expect_code, in_parallel};
use crate::project::TestProject;
use crate::roundtrip::{without_date, AUTOGENERATE};
use crate::servers::MyDatabase;
use std::path::Path;

/// The revision file `--rev-id auto1 -m auto` writes.
const GENERATED: &str = "migrations/auto1_auto.sql";

/// Fails with a report unless `db` shows as `expected` after `state`.
fn same_schema(db: &MyDatabase, expected: &Shown, state: &str, file: &str) -> Result<(), String> {
    match Shown::read(db).difference(expected) {
        None => Ok(()),
        Some(report) => Err(format!(
            "after {state}, the server does not show {file}'s schema\n{report}"
        )),
    }
}

/// One case; returns the revision text.
fn run_case(dir: &Path) -> Result<String, String> {
    let name = cases::name(dir);
    let db = MyDatabase::create(&name).ok_or("the server is unreachable")?;
    my_oracle::load(&db, &cases::sql(dir, "current.sql"))
        .map_err(|e| format!("loading current.sql: {e}"))?;
    my_oracle::load(&db, &cases::sql(dir, "seed.sql"))
        .map_err(|e| format!("loading seed.sql: {e}"))?;
    let current = Shown::read(&db);
    let desired_sql = cases::sql(dir, "desired.sql");
    let desired = my_oracle::shown_of_sql(&format!("{name} desired"), &desired_sql)
        .ok_or("the server is unreachable")?
        .map_err(|e| format!("loading desired.sql: {e}"))?;
    let before = Rows::read(&db);

    let p = TestProject::on_url(&db.url());
    p.write("schema.sql", &desired_sql);
    let run = p.run(AUTOGENERATE);
    expect_code(&run, 0, "revision --autogenerate")?;
    let revision = std::fs::read_to_string(p.path(GENERATED))
        .map_err(|e| format!("no revision written ({e}): {run:?}"))?;
    if let Ok(warning) = std::fs::read_to_string(dir.join("expect-warning")) {
        if !revision.contains(&format!("-- WARNING: {}", warning.trim())) {
            return Err(format!("no warning {:?} in\n{revision}", warning.trim()));
        }
    }
    std::fs::remove_file(p.path(GENERATED)).map_err(|e| e.to_string())?;
    expect_code(&p.run(AUTOGENERATE), 0, "revision --autogenerate again")?;
    let again = std::fs::read_to_string(p.path(GENERATED)).unwrap_or_default();
    if without_date(&again) != without_date(&revision) {
        return Err(format!(
            "not deterministic\nfirst:\n{revision}\nsecond:\n{again}"
        ));
    }
    let with_revision = |what: String| format!("{what}\n--- the revision ---\n{revision}");
    expect_code(&p.run(&["check"]), 1, "check before the upgrade").map_err(with_revision)?;

    expect_code(&p.run(&["upgrade", "head"]), 0, "upgrade head").map_err(with_revision)?;
    same_schema(&db, &desired, "upgrade", "desired.sql").map_err(with_revision)?;
    expect_code(&p.run(&["check"]), 0, "check after the upgrade").map_err(with_revision)?;
    let after = Rows::read(&db);
    before
        .kept_in(&after, "after upgrade")
        .map_err(with_revision)?;

    expect_code(&p.run(&["downgrade", "-1"]), 0, "downgrade -1").map_err(with_revision)?;
    same_schema(&db, &current, "downgrade", "current.sql").map_err(with_revision)?;
    let restored = Rows::read(&db);
    after
        .kept_in(&restored, "after downgrade")
        .map_err(with_revision)?;
    Ok(revision)
}

#[test]
fn every_mysql_case_round_trips() {
    let dirs = cases::dirs("mysql");
    assert!(dirs.len() >= 60, "the corpus should hold at least 60 cases");
    let Some(probe) = MyDatabase::create("mysql cases probe") else {
        return;
    };
    drop(probe);
    let only = std::env::var("MIGRATE_CASE").ok();
    let dirs: Vec<_> = dirs
        .into_iter()
        .filter(|d| only.as_deref().is_none_or(|o| cases::name(d).contains(o)))
        .collect();
    let failed = in_parallel(&dirs, |dir| {
        let revision = run_case(dir)?;
        let name = cases::name(dir);
        let snapshot = std::panic::catch_unwind(|| {
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path("snapshots");
            settings.set_prepend_module_to_snapshot(false);
            settings.bind(|| {
                insta::assert_snapshot!(format!("mysql__{name}"), without_date(&revision))
            });
        });
        snapshot.map_err(|_| "the revision differs from its snapshot".to_string())
    });
    assert!(failed.is_empty(), "failing cases: {failed:?}");
}
