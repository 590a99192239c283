//! File-based autogenerate round trips: `tests/cases/sqlite/<NN-name>/{current,desired,seed}.sql`.
//! For each case: load current (and seed rows) into app.db, autogenerate, upgrade, and
//! require that the database has, as SQLite reports it (the [`oracle`]), the schema of a
//! fresh database loaded with desired, that `check` passes and that every value survives;
//! then downgrade and require the schema of current and the values again.
//!
//! Markers in a case directory:
//! - `expect-warning`: the exact `-- WARNING:` lines of the generated file (both
//!   sections, in order), one a line, `#` lines being notes; without it the file must
//!   hold no warning at all;
//! - `expect-no-changes`: current and desired differ only in spelling SQLite ignores
//!   (formatting, ASCII case, quoting), so autogenerate finds nothing to do.

use crate::cases;
use crate::oracle::{self, Catalog, Data};
use crate::project::TestProject;
use std::path::Path;

/// `revision --autogenerate` with a fixed id, so generated files can be compared.
pub const AUTOGENERATE: &[&str] = &[
    "revision",
    "--autogenerate",
    "-m",
    "auto",
    "--rev-id",
    "auto1",
];

/// The `-- WARNING:` lines of a generated revision, in order.
pub fn warnings(generated: &str) -> Vec<&str> {
    generated
        .lines()
        .filter(|l| l.starts_with("-- WARNING:"))
        .collect()
}

/// A revision's text without its `-- created:` line, for comparing two runs.
pub fn without_date(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("-- created:"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One case; returns the generated revision text (empty when no changes).
fn run_case(dir: &Path) -> String {
    let name = cases::name(dir);
    let current_sql = cases::sql(dir, "current.sql");
    let desired_sql = cases::sql(dir, "desired.sql");
    let seed_sql = cases::sql(dir, "seed.sql");
    let current = Catalog::of_sql(&current_sql);
    let desired = Catalog::of_sql(&desired_sql);

    let p = TestProject::new();
    p.write("schema.sql", &desired_sql);
    p.db()
        .execute_batch(&format!("{current_sql};\n{seed_sql}"))
        .unwrap_or_else(|e| panic!("{name}: loading current.sql and seed.sql: {e}"));
    oracle::assert_same(&Catalog::read(&p.db()), &current, &name);
    let before = Data::read(&p.db());

    let run = p.run(AUTOGENERATE).ok();
    let spelling_only = dir.join("expect-no-changes").exists();
    if spelling_only {
        oracle::assert_same(&current.folded(), &desired.folded(), &name);
    }
    if current == desired || spelling_only {
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
    assert_eq!(
        without_date(&std::fs::read_to_string(&path).unwrap_or_default()),
        without_date(&generated),
        "{name}: not deterministic"
    );

    p.run(&["check"]).fails(1, "the database is not at head");
    let up = p.run(&["upgrade", "head"]);
    assert_eq!(up.code, 0, "{name}: upgrade failed: {up:?}\n{generated}");
    let context = format!("{name}: after upgrade\n{generated}");
    oracle::assert_same(&Catalog::read(&p.db()), &desired, &context);
    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "{context}\ncheck: {check:?}");
    let after = Data::read(&p.db());
    oracle::assert_values_kept(&before, &after, &context);

    let down = p.run(&["downgrade", "base"]);
    assert_eq!(
        down.code, 0,
        "{name}: downgrade failed: {down:?}\n{generated}"
    );
    let context = format!("{name}: after downgrade\n{generated}");
    oracle::assert_same(&Catalog::read(&p.db()), &current, &context);
    // What the upgrade kept must come back unchanged.
    let restored = Data::read(&p.db());
    oracle::assert_values_kept(&before.within(&after), &restored.within(&after), &context);
    generated
}

/// The warnings case `dir` expects, from its `expect-warning` file (`#` lines are notes).
fn expected_warnings(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("expect-warning"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// `MIGRATE_BLESS=1` rewrites a case's expect-warning file with the warnings generated,
/// keeping its `#` comment lines; review the change with `git diff` before committing.
fn bless_warnings(dir: &Path, generated: &[&str]) {
    let path = dir.join("expect-warning");
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(str::to_string)
        .collect();
    lines.extend(generated.iter().map(|l| l.to_string()));
    if lines.is_empty() {
        let _ = std::fs::remove_file(&path);
    } else {
        std::fs::write(&path, lines.join("\n") + "\n").expect("write expect-warning");
    }
}

#[test]
fn every_sqlite_case_round_trips() {
    let dirs = cases::dirs("sqlite");
    assert!(dirs.len() >= 60, "the corpus should hold at least 60 cases");
    // MIGRATE_CASE=substring runs the matching cases only.
    let only = std::env::var("MIGRATE_CASE").ok();
    let mut failed = Vec::new();
    let mut judged = 0;
    for dir in dirs {
        let name = cases::name(&dir);
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let outcome = std::panic::catch_unwind(|| {
            let generated = run_case(&dir);
            if std::env::var_os("MIGRATE_BLESS").is_some() {
                bless_warnings(&dir, &warnings(&generated));
            }
            assert_eq!(
                warnings(&generated),
                expected_warnings(&dir),
                "{name}: the warnings (expect-warning lists them)\n{generated}"
            );
        });
        judged += 1;
        if outcome.is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "failing cases: {failed:?}");
    eprintln!("{judged} cases judged by the oracle");
}
