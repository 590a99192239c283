//! Revisions applied statement by statement (`-- transaction: none`): the dirty state in
//! the history table, the report of a failed statement, resuming and refusing, `current`,
//! `check` and `stamp`, an earlier build's history table, and a run killed mid-revision.
//! Each scenario runs on SQLite, PostgreSQL and MariaDB/MySQL (where every revision runs
//! statement by statement), judged by the engine's own catalog (sqlite_master and
//! pragma_table_info, pg_class and information_schema, information_schema).

use crate::engines::{postgres, sqlite, Catalog};
use crate::on_every_engine;
use crate::project::{Run, TestProject};

/// Asserts that stderr of `run` says each of `needles`.
#[track_caller]
fn assert_says(run: &Run, needles: &[&str]) {
    for needle in needles {
        assert!(run.stderr.contains(needle), "{needle:?} in {}", run.stderr);
    }
}

const BASE: &str = "a1a1a1a1a1a1";
const FOUR: &str = "b2b2b2b2b2b2";

/// The four statements of revision b2's upgrade, one per line from line 7 of its file;
/// `third` is the third.
fn upgrade_section(first: &str, third: &str) -> String {
    format!("{first}\nCREATE TABLE two (id INTEGER);\n{third}\nCREATE TABLE four (id INTEGER);")
}

const FIRST: &str = "CREATE TABLE one (id INTEGER);";
const FAILING: &str = "INSERT INTO missing VALUES (1);";
const FIXED: &str = "INSERT INTO base VALUES (1);";

/// Revision a1 (table `base`, in a transaction) and b2: four statements without one.
fn write_revisions(p: &TestProject, upgrade: &str, downgrade: &str) {
    p.revision(
        BASE,
        "",
        "CREATE TABLE base (id INTEGER);",
        "DROP TABLE base;",
    );
    p.revision_with(FOUR, BASE, "-- transaction: none\n", upgrade, downgrade);
}

/// Writes a1 and b2 with a failing statement 3 and runs `upgrade head`: b2 is dirty with
/// statements 1 and 2 applied.
fn fail_at_statement_3(p: &TestProject) -> Run {
    write_revisions(p, &upgrade_section(FIRST, FAILING), DOWNGRADE);
    p.run(&["upgrade", "head"]).fails(1, "statement 3 failed")
}

const DOWNGRADE: &str = "DROP TABLE four;\nDROP TABLE two;\nDROP TABLE one;\nDELETE FROM base;";

/// Statement 3 of b2 fails: the report, the version table, the schema, `current`,
/// `check`; an edited statement 1 is refused; restored, the run resumes at statement 3.
fn failed_upgrade_resumes(db: &dyn Catalog) {
    let p = db.project();
    let run = fail_at_statement_3(p);
    let file = format!("{FOUR}_rev.sql");
    assert_says(
        &run,
        &[
            &format!("{file}:9): statement 3 failed"),
            "missing",
            "statements 1 to 2 were applied and stay applied",
            &format!("{file}:7) CREATE TABLE one (id INTEGER)\n"),
            &format!("{file}:8) CREATE TABLE two (id INTEGER)\n"),
            "resumes at statement 3",
            &format!("`migrate stamp {BASE}`"),
        ],
    );
    assert!(!run.stderr.contains("  3 ("), "{}", run.stderr);
    assert_eq!(db.versions(), [BASE]);
    assert_eq!(db.tables(), ["base", "one", "two"]);
    let dirty = format!("{FOUR} (head) (dirty: 2 of 4 upgrade statements applied)\n");
    assert_eq!(p.run(&["current"]).ok().stdout, format!("{BASE}\n{dirty}"));
    p.run(&["check"])
        .fails(1, &format!("revision {FOUR} is dirty"));

    // Statement 1 edited (and 3 fixed): the applied statement 1 is not the file's.
    write_revisions(
        p,
        &upgrade_section("CREATE TABLE one (id INTEGER, extra INTEGER);", FIXED),
        DOWNGRADE,
    );
    let run = p.run(&["upgrade", "head"]).fails(1, "is dirty");
    assert_says(
        &run,
        &[
            "cannot resume it: statement(s) 1 changed since they were applied",
            "(changed in the file since it was applied)",
            "restore statement(s) 1 in the file as they were applied",
            &format!("`migrate stamp {FOUR}` once the upgrade is complete"),
            &format!("`migrate stamp {BASE}` once statements 1 to 2 are undone"),
        ],
    );
    assert_eq!(db.tables(), ["base", "one", "two"]);
    assert_eq!(db.versions(), [BASE]);

    // Restored statement 1, fixed statement 3: statements 1 and 2 do not run again (a
    // second CREATE TABLE one would fail).
    write_revisions(p, &upgrade_section(FIRST, FIXED), DOWNGRADE);
    let run = p.run(&["upgrade", "head"]).ok();
    assert_says(
        &run,
        &[&format!(
            "resuming the upgrade of revision {FOUR} at statement 3 of 4"
        )],
    );
    assert_eq!(db.versions(), [FOUR]);
    assert_eq!(db.tables(), ["base", "four", "one", "two"]);
    assert_eq!(db.strings("SELECT CAST(count(*) AS TEXT) FROM base"), ["1"]);
    assert_eq!(p.run(&["current"]).ok().stdout, format!("{FOUR} (head)\n"));
    // The completed row is an ordinary upgrade record: an edit of the file is caught.
    assert_eq!(
        db.strings(
            "SELECT state FROM migrate_version_history WHERE checksum IS NOT NULL \
             AND version_num = 'b2b2b2b2b2b2'"
        ),
        ["complete"]
    );
}

on_every_engine!(
    failed_upgrade_resumes,
    a_failed_upgrade_leaves_a_dirty_revision_that_resumes_on_sqlite,
    a_failed_upgrade_leaves_a_dirty_revision_that_resumes_on_postgres,
    a_failed_upgrade_leaves_a_dirty_revision_that_resumes_on_mysql,
    "dirty upgrade"
);

/// A downgrade whose statement 3 fails: dirty with the revision still in the version
/// table; an upgrade is refused; the fixed downgrade resumes.
fn failed_downgrade_resumes(db: &dyn Catalog) {
    let p = db.project();
    let failing = "DROP TABLE four;\nDROP TABLE two;\nDROP TABLE nope;\nDROP TABLE one;";
    write_revisions(p, &upgrade_section(FIRST, FIXED), failing);
    p.run(&["upgrade", "head"]).ok();
    let run = p.run(&["downgrade", "-1"]).fails(1, "statement 3 failed");
    assert_says(
        &run,
        &[
            "statements 1 to 2 were applied and stay applied",
            "the version table still shows it as still applied",
        ],
    );
    assert_eq!(db.versions(), [FOUR]);
    assert_eq!(db.tables(), ["base", "one"]);
    assert_eq!(
        p.run(&["current"]).ok().stdout,
        format!("{FOUR} (head) (dirty: 2 of 4 downgrade statements applied)\n")
    );
    // Going up instead is refused: the database is neither at b2 nor at a1.
    let run = p.run(&["upgrade", "head"]).fails(1, "is dirty");
    assert_says(
        &run,
        &[&format!("finish it first with `migrate downgrade {BASE}`")],
    );
    let fixed = "DROP TABLE four;\nDROP TABLE two;\nDELETE FROM base;\nDROP TABLE one;";
    write_revisions(p, &upgrade_section(FIRST, FIXED), fixed);
    let run = p.run(&["downgrade", "-1"]).ok();
    assert_says(
        &run,
        &[&format!(
            "resuming the downgrade of revision {FOUR} at statement 3 of 4"
        )],
    );
    assert_eq!(db.versions(), [BASE]);
    assert_eq!(db.tables(), ["base"]);
    assert_eq!(db.strings("SELECT CAST(count(*) AS TEXT) FROM base"), ["0"]);
    assert_eq!(p.run(&["current"]).ok().stdout, format!("{BASE}\n"));
}

on_every_engine!(
    failed_downgrade_resumes,
    a_failed_downgrade_leaves_a_dirty_revision_that_resumes_on_sqlite,
    a_failed_downgrade_leaves_a_dirty_revision_that_resumes_on_postgres,
    a_failed_downgrade_leaves_a_dirty_revision_that_resumes_on_mysql,
    "dirty downgrade"
);

/// A dirty upgrade whose statement 1 was edited since, met by a downgrade: the way on is
/// to restore the statement and finish the upgrade (which an upgrade would also say), not
/// to finish the upgrade as the file stands, which it refuses.
fn dirty_upgrade_edited_then_downgraded(db: &dyn Catalog) {
    let p = db.project();
    fail_at_statement_3(p);
    let edited = "CREATE TABLE one (id INTEGER, x INTEGER);";
    write_revisions(p, &upgrade_section(edited, FIXED), DOWNGRADE);
    let run = p.run(&["downgrade", "base"]).fails(1, "is dirty");
    assert_says(
        &run,
        &[&format!(
            "restore statement(s) 1 in the file as they were applied and finish it with \
             `migrate upgrade {FOUR}`, which resumes at statement 3"
        )],
    );
    assert!(!run.stderr.contains("finish it first"), "{}", run.stderr);
    // The advice works.
    write_revisions(p, &upgrade_section(FIRST, FIXED), DOWNGRADE);
    p.run(&["upgrade", FOUR]).ok();
    assert_eq!(db.versions(), [FOUR]);
    assert_eq!(db.tables(), ["base", "four", "one", "two"]);
}

on_every_engine!(
    dirty_upgrade_edited_then_downgraded,
    a_dirty_upgrade_edited_since_is_restored_before_it_is_finished_on_sqlite,
    a_dirty_upgrade_edited_since_is_restored_before_it_is_finished_on_postgres,
    a_dirty_upgrade_edited_since_is_restored_before_it_is_finished_on_mysql,
    "dirty edited"
);

/// The user undoes statements 1-2 by hand and stamps the parent: the dirty state is gone
/// and the next upgrade runs the revision from its first statement.
fn stamp_clears_the_dirty_state(db: &dyn Catalog) {
    let p = db.project();
    fail_at_statement_3(p);
    db.execute("DROP TABLE one; DROP TABLE two;");
    let run = p.run(&["stamp", BASE]).ok();
    assert_says(
        &run,
        &[&format!(
            "Cleared the dirty state of revision {FOUR} (2 of 4 upgrade statements applied)"
        )],
    );
    assert_eq!(p.run(&["current"]).ok().stdout, format!("{BASE}\n"));
    write_revisions(p, &upgrade_section(FIRST, FIXED), DOWNGRADE);
    let run = p.run(&["upgrade", "head"]).ok();
    assert!(!run.stderr.contains("resuming"), "{}", run.stderr);
    assert_eq!(db.tables(), ["base", "four", "one", "two"]);
    assert_eq!(db.versions(), [FOUR]);
    // (On MySQL the base revision ran statement by statement too: its own row is left out.)
    assert_eq!(
        db.strings(&format!(
            "SELECT state FROM migrate_version_history \
             WHERE version_num = '{FOUR}' AND state IS NOT NULL ORDER BY id"
        )),
        ["cleared", "complete"]
    );
}

on_every_engine!(
    stamp_clears_the_dirty_state,
    stamp_clears_the_dirty_state_on_sqlite,
    stamp_clears_the_dirty_state_on_postgres,
    stamp_clears_the_dirty_state_on_mysql,
    "dirty stamp"
);

const OLD_COLUMNS: [&str; 7] = [
    "id",
    "version_num",
    "operation",
    "checksum",
    "upgrade_sql",
    "applied_at",
    "duration_ms",
];

/// A database at a1 whose bookkeeping tables an earlier build created: read-only commands
/// leave the history table alone, the first run that writes adds the step columns, and
/// the dirty state works in it.
fn an_old_history_table_gets_the_step_columns(db: &dyn Catalog) {
    let p = db.project();
    write_revisions(p, &upgrade_section(FIRST, FAILING), DOWNGRADE);
    db.execute(&format!(
        "CREATE TABLE migrate_version (version_num VARCHAR(32) NOT NULL, \
         CONSTRAINT migrate_version_pkc PRIMARY KEY (version_num)); {}; \
         CREATE TABLE base (id INTEGER); \
         INSERT INTO migrate_version (version_num) VALUES ('{BASE}'); \
         INSERT INTO migrate_version_history (version_num, operation, applied_at) \
         VALUES ('{BASE}', 'stamp', '2026-01-01 00:00:00+00:00');",
        db.old_history_table()
    ));
    assert_eq!(p.run(&["current"]).ok().stdout, format!("{BASE}\n"));
    assert_eq!(db.history_columns(), OLD_COLUMNS);

    p.run(&["upgrade", "head"]).fails(1, "statement 3 failed");
    let mut columns: Vec<String> = OLD_COLUMNS.iter().map(|c| c.to_string()).collect();
    columns.extend(
        [
            "state",
            "statements_done",
            "statements_total",
            "statement_checksums",
        ]
        .map(String::from),
    );
    assert_eq!(db.history_columns(), columns);
    assert_eq!(
        p.run(&["current"]).ok().stdout,
        format!("{BASE}\n{FOUR} (head) (dirty: 2 of 4 upgrade statements applied)\n")
    );
    write_revisions(p, &upgrade_section(FIRST, FIXED), DOWNGRADE);
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(db.versions(), [FOUR]);
    assert_eq!(db.tables(), ["base", "four", "one", "two"]);
}

on_every_engine!(
    an_old_history_table_gets_the_step_columns,
    an_old_history_table_gets_the_step_columns_on_sqlite,
    an_old_history_table_gets_the_step_columns_on_postgres,
    an_old_history_table_gets_the_step_columns_on_mysql,
    "dirty old history"
);

/// What a reader sees of a SQLite database another process migrates.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    /// The dirty row's `statements_done`.
    Done(i64),
    /// The writer's lock keeps readers out: a long statement is running.
    Locked,
    /// No dirty row (or no history table) yet.
    Nothing,
}

fn seen(p: &TestProject) -> Seen {
    let Ok(conn) = rusqlite::Connection::open(p.path("app.db")) else {
        return Seen::Nothing;
    };
    conn.busy_timeout(std::time::Duration::ZERO)
        .expect("no busy timeout");
    match conn.query_row(
        "SELECT statements_done FROM migrate_version_history WHERE state = 'dirty'",
        [],
        |row| row.get::<_, i64>(0),
    ) {
        Ok(done) => Seen::Done(done),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy =>
        {
            Seen::Locked
        }
        Err(_) => Seen::Nothing,
    }
}

#[test]
fn a_run_killed_mid_revision_leaves_it_dirty_and_the_next_run_resumes_it() {
    let p = TestProject::new();
    let slow = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c \
                WHERE n < 200000000) INSERT INTO big SELECT n FROM c;";
    let section = |second: &str| {
        format!("CREATE TABLE big (n INTEGER);\n{second}\nCREATE INDEX big_n ON big (n);")
    };
    p.revision(
        BASE,
        "",
        "CREATE TABLE base (id INTEGER);",
        "DROP TABLE base;",
    );
    p.revision_with(
        FOUR,
        BASE,
        "-- transaction: none\n",
        &section(slow),
        "DROP TABLE big;",
    );
    let mut child = p
        .command(&["upgrade", "head"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn migrate");
    // Statement 1 completed, or readers have been locked out for a while: only statement
    // 2 (seconds of work) holds the write lock that long.
    let start = std::time::Instant::now();
    let mut locked_since: Option<std::time::Instant> = None;
    loop {
        match seen(&p) {
            Seen::Done(1) => break,
            Seen::Locked => {
                let since = *locked_since.get_or_insert_with(std::time::Instant::now);
                if since.elapsed() > std::time::Duration::from_millis(300) {
                    break;
                }
            }
            _ => locked_since = None,
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "statement 2 never started"
        );
        assert!(
            child.try_wait().expect("child status").is_none(),
            "migrate ended before it was killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        child.try_wait().expect("child status").is_none(),
        "statement 2 ended before the kill: make it slower"
    );
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    assert_eq!(
        p.run(&["current"]).ok().stdout,
        format!("{BASE}\n{FOUR} (head) (dirty: 1 of 3 upgrade statements applied)\n")
    );
    // SQLite rolled statement 2 back: table big exists, empty.
    assert_eq!(p.count("SELECT count(*) FROM big"), 0);
    // Statement 2 may change (it did not complete): a smaller insert, then resume.
    p.revision_with(
        FOUR,
        BASE,
        "-- transaction: none\n",
        &section(&slow.replace("200000000", "1000")),
        "DROP TABLE big;",
    );
    let run: Run = p.run(&["upgrade", "head"]).ok();
    assert_says(
        &run,
        &[&format!(
            "resuming the upgrade of revision {FOUR} at statement 2 of 3"
        )],
    );
    assert_eq!(p.count("SELECT count(*) FROM big"), 1000);
    assert_eq!(p.version_rows(), [FOUR]);
}

#[test]
fn a_failed_first_statement_leaves_nothing_dirty() {
    let db = sqlite();
    let p = db.project();
    write_revisions(
        p,
        &upgrade_section("INSERT INTO missing VALUES (1);", FIXED),
        DOWNGRADE,
    );
    let run = p.run(&["upgrade", "head"]).fails(1, "statement 1 failed");
    assert!(!run.stderr.contains("stay applied"), "{}", run.stderr);
    assert_eq!(p.run(&["current"]).ok().stdout, format!("{BASE}\n"));
    assert_eq!(
        db.strings(
            "SELECT CAST(count(*) AS TEXT) FROM migrate_version_history WHERE state IS NOT NULL"
        ),
        ["0"]
    );
    // Nothing to resume: a fixed file runs from statement 1, and a downgrade is not refused.
    p.run(&["downgrade", "base"]).ok();
    assert_eq!(db.tables(), Vec::<String>::new());
}

#[test]
fn a_dirty_revision_that_lost_its_transaction_header_resumes_in_one_transaction() {
    let db = sqlite();
    let p = db.project();
    fail_at_statement_3(p);
    // Statements 3 and 4 now run in one transaction with the version update: a failing
    // statement 4 leaves statement 3's row out too.
    p.revision(
        FOUR,
        BASE,
        &format!("{FIRST}\nCREATE TABLE two (id INTEGER);\n{FIXED}\nINSERT INTO nope VALUES (1);"),
        DOWNGRADE,
    );
    let run = p.run(&["upgrade", "head"]).fails(1, "statement 4 failed");
    assert_says(&run, &["resuming the upgrade"]);
    assert_eq!(db.strings("SELECT CAST(count(*) AS TEXT) FROM base"), ["0"]);
    assert_eq!(
        p.run(&["current"]).ok().stdout,
        format!("{BASE}\n{FOUR} (head) (dirty: 2 of 4 upgrade statements applied)\n")
    );
    p.revision(FOUR, BASE, &upgrade_section(FIRST, FIXED), DOWNGRADE);
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(db.strings("SELECT CAST(count(*) AS TEXT) FROM base"), ["1"]);
    assert_eq!(db.versions(), [FOUR]);
    assert_eq!(db.tables(), ["base", "four", "one", "two"]);
}

#[test]
fn the_progress_is_recorded_after_a_statement_empties_the_search_path_on_postgres() {
    let Some(db) = postgres("dirty search_path") else {
        return;
    };
    let p = db.project();
    let section = |third: &str| {
        format!(
            "SELECT pg_catalog.set_config('search_path', '', false);\n\
             CREATE TABLE public.one (id int);\n{third}"
        )
    };
    p.revision_with(
        FOUR,
        "",
        "-- transaction: none\n",
        &section("INSERT INTO public.missing VALUES (1);"),
        "DROP TABLE public.one;",
    );
    p.run(&["upgrade", "head"]).fails(1, "statement 3 failed");
    assert_eq!(
        p.run(&["current"]).ok().stdout,
        format!("{FOUR} (head) (dirty: 2 of 3 upgrade statements applied)\n")
    );
    p.revision_with(
        FOUR,
        "",
        "-- transaction: none\n",
        &section("INSERT INTO public.one VALUES (1);"),
        "DROP TABLE public.one;",
    );
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(db.versions(), [FOUR]);
    assert_eq!(db.strings("SELECT count(*)::text FROM public.one"), ["1"]);
}

#[test]
fn a_dirty_revision_whose_file_is_gone_or_a_second_dirty_row_is_refused_until_stamped() {
    let db = sqlite();
    let p = db.project();
    fail_at_statement_3(p);
    let file = p.path(&format!("migrations/{FOUR}_rev.sql"));
    let kept = std::fs::read_to_string(&file).expect("the revision file");
    std::fs::remove_file(&file).expect("file removed");
    let run = p.run(&["upgrade", "head"]).fails(1, "is dirty");
    assert_says(
        &run,
        &[
            "statements 1 to 2 (no migration file defines the revision",
            &format!("restore the file of revision {FOUR} to the migrations directory"),
            "`migrate stamp PARENT` once statements 1 to 2 are undone",
        ],
    );
    std::fs::write(&file, kept).expect("file restored");
    // A second dirty row (no run writes one: only a run that crashed around a bug could).
    db.execute(
        "INSERT INTO migrate_version_history (version_num, operation, applied_at, state, \
         statements_done, statements_total) VALUES ('c3c3c3c3c3c3', 'upgrade', 'now', \
         'dirty', 1, 2)",
    );
    let run = p
        .run(&["upgrade", "head"])
        .fails(1, "several dirty revisions");
    assert_says(
        &run,
        &[&format!("{FOUR} (2 of 4 upgrade statements applied)")],
    );
    db.execute("DROP TABLE one; DROP TABLE two;");
    p.run(&["stamp", BASE]).ok();
    assert_eq!(p.run(&["current"]).ok().stdout, format!("{BASE}\n"));
    write_revisions(p, &upgrade_section(FIRST, FIXED), DOWNGRADE);
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(db.versions(), [FOUR]);
}
