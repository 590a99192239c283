//! Applying: all-or-nothing revisions, `transaction: none`, changed files, triggers; and
//! the scenarios written once for several engines (the failing statement on SQLite and
//! PostgreSQL, every command on PostgreSQL and MariaDB/MySQL).

use crate::engines::{sqlite, Catalog};
use crate::project::TestProject;
use crate::servers::{Database, Engine};

/// The engine's side of applying two revisions: `account`, then a table named `Order`
/// (a reserved word, mixed case) with a foreign key to it.
pub trait Applying: Engine {
    /// The upgrade and downgrade of the second revision.
    const ORDER: (&'static str, &'static str);
}

/// Revisions a1 (`account`) and b2 (`Order`).
pub fn two_revisions<E: Applying>(p: &TestProject) {
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE account (id BIGINT PRIMARY KEY, name VARCHAR(80) NOT NULL);",
        "DROP TABLE account;",
    );
    p.revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", E::ORDER.0, E::ORDER.1);
}

/// upgrade, current, history, downgrade (by steps and to base), stamp and upgrade by
/// steps on a server, judged by its tables and the version and history tables' rows;
/// leaves the database at b2, the project returned.
pub fn every_command_runs<E: Applying>(db: &Database<E>) -> TestProject {
    let p = db.project();
    two_revisions::<E>(&p);
    assert_eq!(p.run(&["current"]).ok().stdout, "");
    let run = p.run(&["upgrade", "head"]).ok();
    assert!(
        run.stderr
            .contains("Running upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2"),
        "{run:?}"
    );
    let bookkeeping = ["migrate_version", "migrate_version_history"];
    assert_eq!(
        db.tables(),
        [&["Order", "account"][..], &bookkeeping].concat()
    );
    assert_eq!(db.versions(), ["b2b2b2b2b2b2"]);
    assert_eq!(p.run(&["current"]).ok().stdout, "b2b2b2b2b2b2 (head)\n");
    let history = p.run(&["history"]).ok().stdout;
    assert!(
        history.contains("a1a1a1a1a1a1 -> b2b2b2b2b2b2 (head), rev b2b2b2b2b2b2"),
        "{history}"
    );
    // The history table records both steps with their checksums.
    assert_eq!(
        db.strings(
            "SELECT concat_ws(' ', version_num, operation, length(checksum)) \
             FROM migrate_version_history ORDER BY id"
        ),
        ["a1a1a1a1a1a1 upgrade 64", "b2b2b2b2b2b2 upgrade 64"]
    );

    p.run(&["downgrade", "-1"]).ok();
    assert_eq!(db.tables(), [&["account"][..], &bookkeeping].concat());
    assert_eq!(db.versions(), ["a1a1a1a1a1a1"]);
    p.run(&["downgrade", "base"]).ok();
    assert_eq!(db.tables(), bookkeeping);
    assert_eq!(db.versions(), Vec::<String>::new());
    assert_eq!(p.run(&["current"]).ok().stdout, "");

    // stamp writes the version table only.
    p.run(&["stamp", "b2b2b2b2b2b2"]).ok();
    assert_eq!(db.versions(), ["b2b2b2b2b2b2"]);
    assert_eq!(db.tables(), bookkeeping);
    assert_eq!(
        db.strings("SELECT operation FROM migrate_version_history ORDER BY id DESC LIMIT 1"),
        ["stamp"]
    );
    p.run(&["stamp", "base"]).ok();
    assert_eq!(db.versions(), Vec::<String>::new());
    p.run(&["upgrade", "a1a1a1a1a1a1"]).ok();
    p.run(&["upgrade", "+1"]).ok();
    assert_eq!(db.versions(), ["b2b2b2b2b2b2"]);
    assert_eq!(
        db.tables(),
        [&["Order", "account"][..], &bookkeeping].concat()
    );
    p
}

/// In one transaction per revision (SQLite, PostgreSQL), a failing statement rolls its
/// revision back: the error names file, line, statement and the engine's reason; the
/// revision before it landed, and nothing of the failing one (its table, its row, its
/// version, its history row).
pub fn a_failing_statement_rolls_its_revision_back(db: &dyn Catalog) {
    let p = db.project();
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);",
        "DROP TABLE t;",
    );
    p.revision(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        "CREATE TABLE u (id INTEGER);\nINSERT INTO t VALUES (1);\n\nINSERT INTO nope VALUES (1);\nCREATE TABLE v (id INTEGER);",
        "DROP TABLE u;",
    );
    let run = p
        .run(&["upgrade", "head"])
        .fails(1, "revision b2b2b2b2b2b2 (");
    // Line 4 of the upgrade section; the section starts on line 6 of the file.
    for needle in [
        "b2b2b2b2b2b2_rev.sql:9): statement 3 failed: ",
        &db.no_such_table(),
        "statement: INSERT INTO nope VALUES (1)",
    ] {
        assert!(run.stderr.contains(needle), "{needle:?} in {}", run.stderr);
    }
    assert_eq!(db.versions(), ["a1a1a1a1a1a1"]);
    assert_eq!(db.tables(), ["t"]);
    assert_eq!(db.strings("SELECT CAST(count(*) AS TEXT) FROM t"), ["0"]);
    assert_eq!(
        db.strings("SELECT version_num FROM migrate_version_history ORDER BY id"),
        ["a1a1a1a1a1a1"]
    );
    assert_eq!(p.run(&["current"]).ok().stdout, "a1a1a1a1a1a1\n");
}

#[test]
fn a_failing_statement_rolls_its_revision_back_and_names_file_line_and_statement() {
    a_failing_statement_rolls_its_revision_back(&sqlite());
}

#[test]
fn transaction_none_runs_outside_a_transaction() {
    let p = TestProject::new();
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);",
        "DROP TABLE t;",
    );
    // VACUUM fails inside a transaction, so this only works outside one.
    p.revision_with(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        "-- transaction: none\n",
        "INSERT INTO t VALUES (1);\nVACUUM;",
        "DELETE FROM t;",
    );
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(p.version_rows(), ["b2b2b2b2b2b2"]);
    assert_eq!(p.count("SELECT count(*) FROM t"), 1);
    let show = p.run(&["show", "b2b2"]).ok().stdout;
    assert!(show.contains("Transaction: none\n"));
    let script = p
        .run(&["upgrade", "a1a1a1a1a1a1:head", "--sql"])
        .ok()
        .stdout;
    assert!(
        script.contains(
            "rev b2b2b2b2b2b2\n\nPRAGMA foreign_keys = OFF;\n\nINSERT INTO t VALUES (1);\n\nVACUUM;\n\nBEGIN;\n\nDELETE FROM"
        ),
        "{script}"
    );

    // A failure part way says what stayed applied.
    p.revision_with(
        "c3c3c3c3c3c3",
        "b2b2b2b2b2b2",
        "-- transaction: none\n",
        "INSERT INTO t VALUES (2);\nINSERT INTO missing VALUES (1);",
        "SELECT 1;",
    );
    let run = p.run(&["upgrade", "head"]).fails(1, "statement 2 failed");
    assert!(
        run.stderr
            .contains("statement 1 was applied and stays applied (it ran without a transaction"),
        "{}",
        run.stderr
    );
    assert_eq!(p.version_rows(), ["b2b2b2b2b2b2"]);
}

#[test]
fn a_changed_applied_revision_stops_upgrade_with_a_diff_unless_allowed() {
    let p = TestProject::new();
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);",
        "DROP TABLE t;",
    );
    p.run(&["upgrade", "head"]).ok();
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);",
        "DROP TABLE t;",
    );
    p.revision(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        "CREATE TABLE u (id INTEGER);",
        "DROP TABLE u;",
    );
    let run = p
        .run(&["upgrade", "head"])
        .fails(1, "1 applied revision(s) changed since they were applied");
    assert!(run.stderr.contains("revision a1a1a1a1a1a1:"));
    assert!(run.stderr.contains("\n-CREATE TABLE t (id INTEGER PRIMARY KEY);\n+CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\n"), "{}", run.stderr);
    assert!(run.stderr.contains("--allow-changed"));
    assert_eq!(p.version_rows(), ["a1a1a1a1a1a1"]);

    let run = p.run(&["upgrade", "head", "--allow-changed"]).ok();
    assert!(run
        .stderr
        .contains("warning: 1 applied revision(s) changed since they were applied (--allow-changed): a1a1a1a1a1a1 ("));
    assert!(
        run.stderr
            .contains("\n+CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\n"),
        "{}",
        run.stderr
    );
    assert_eq!(p.version_rows(), ["b2b2b2b2b2b2"]);

    // CRLF line endings alone are not a change.
    let path = p.path("migrations/b2b2b2b2b2b2_rev.sql");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace('\n', "\r\n")).expect("write");
    let run = p
        .run(&["downgrade", "a1a1a1a1a1a1", "--allow-changed"])
        .ok();
    assert!(!run.stderr.contains("b2b2b2b2b2b2:\n"), "{}", run.stderr);
}

#[test]
fn triggers_with_semicolons_in_their_bodies_apply_as_one_statement() {
    let p = TestProject::new();
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, log TEXT);\n\
         CREATE TRIGGER t_log AFTER INSERT ON t BEGIN\n  UPDATE t SET log = CASE WHEN NEW.n > 1 THEN 'big;' ELSE 'small;' END WHERE id = NEW.id;\n  SELECT 1;\nEND;\n\
         INSERT INTO t (n) VALUES (5);",
        "DROP TABLE t;",
    );
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(p.count("SELECT count(*) FROM t WHERE log = 'big;'"), 1);
}
