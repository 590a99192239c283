//! Every error path through the binary: exit status, a message naming the problem and
//! where, no panic, and never a password.

use crate::project::TestProject;

fn base_revision(p: &TestProject) {
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id INTEGER);",
        "DROP TABLE t;",
    );
}

#[test]
fn command_line_mistakes_exit_2() {
    let p = TestProject::new();
    base_revision(&p);
    p.run(&["frobnicate"])
        .fails(2, "unrecognized subcommand 'frobnicate'");
    p.run(&["upgrade", "--frob"])
        .fails(2, "unexpected argument '--frob'");
    p.run(&["revision"]).fails(2, "--message <MESSAGE>");
    p.run(&["downgrade"]).fails(2, "downgrade needs a TARGET");
    p.run(&["upgrade", "he ad"])
        .fails(2, "invalid target 'he ad'");
    p.run(&["upgrade", "+x"]).fails(2, "invalid target '+x'");
    p.run(&["upgrade", "a:b"]).fails(2, "only valid with --sql");
    p.run(&["revision", "-m", "x", "--rev-id", "not-valid!"])
        .fails(2, "--rev-id: invalid revision id 'not-valid!'");
    p.run(&["revision", "-m", "x", "--branch-label", "base"])
        .fails(2, "reserved target names");
    p.run(&["history", "-r", "nocolon"])
        .fails(2, "invalid history range 'nocolon'");
}

#[test]
fn unknown_and_ambiguous_revisions_exit_1() {
    let p = TestProject::new();
    p.revision("abcd1111", "", "SELECT 1;", "SELECT 1;");
    p.revision("abcd2222", "abcd1111", "SELECT 1;", "SELECT 1;");
    p.run(&["upgrade", "ffff9999"])
        .fails(1, "unknown revision 'ffff9999'");
    p.run(&["upgrade", "abcd"])
        .fails(1, "ambiguous revision prefix 'abcd'");
    p.run(&["show", "abc"]).fails(1, "unknown revision 'abc'");
    p.run(&["upgrade", "nolabel@head"]).fails(1, "nolabel");
    p.run(&["upgrade", "abcd1111"]).ok();
    p.run(&["downgrade", "abcd2222"]).fails(1, "abcd2222");
    p.run(&["downgrade", "-2"]).fails(1, "-2");
    p.run(&["upgrade", "+5"]).fails(1, "+5");
}

#[test]
fn config_errors_name_the_key_and_line() {
    let missing = TestProject::new();
    missing
        .run(&["--config", "nope.toml", "heads"])
        .fails(1, "nope.toml not found");

    let p = TestProject::with_config(
        "[database]\nurl = \"sqlite:///app.db\"\n\n[migrations]\ndirr = \"x\"\n",
    );
    p.run(&["heads"]).fails(1, "config.toml:5");
    let p = TestProject::with_config("[database]\nurl = \"oracle://x/y\"\n");
    p.run(&["current"]).fails(1, "config.toml:2");
    let p = TestProject::with_config("[database]\nlock_timeout = 12.5\n");
    p.run(&["heads"]).fails(1, "lock_timeout");
    let p = TestProject::with_config("[database\n");
    p.run(&["heads"]).fails(1, "config.toml:1");
    let p = TestProject::with_config("[database]\nurl = \"sqlite:///${NOT_SET_ANYWHERE_42}.db\"\n");
    p.run(&["heads"]).fails(1, "NOT_SET_ANYWHERE_42");
    let p = TestProject::with_config("[migrations]\ndir = \"elsewhere\"\n");
    p.run(&["heads"]).fails(1, "elsewhere");
}

#[test]
fn revision_file_errors_name_the_file_and_line() {
    let cases: &[(&str, &str, &str)] = &[
        ("m_missing.sql", "-- revises:\n\n-- migrate:upgrade\n\n-- migrate:downgrade\n", "m_missing.sql"),
        ("m_dup.sql", "-- revision: a1\n-- revises:\n-- revision: a2\n-- migrate:upgrade\n-- migrate:downgrade\n", "m_dup.sql:3"),
        ("m_unknown.sql", "-- revision: a1\n-- revises: zz99\n-- migrate:upgrade\n-- migrate:downgrade\n", "m_unknown.sql:2"),
        ("m_nomarker.sql", "-- revision: a1\n-- revises:\nCREATE TABLE t (id INT);\n", "m_nomarker.sql:3"),
    ];
    for (name, text, needle) in cases {
        let p = TestProject::new();
        p.write(&format!("migrations/{name}"), text);
        for command in [&["heads"][..], &["history"], &["upgrade", "head"]] {
            p.run(command).fails(1, needle);
        }
    }

    // Duplicate ids across files, and a cycle.
    let p = TestProject::new();
    p.revision("a1a1", "", "SELECT 1;", "SELECT 1;");
    p.write(
        "migrations/zz_copy.sql",
        "-- revision: a1a1\n-- revises:\n\n-- migrate:upgrade\n\n-- migrate:downgrade\n",
    );
    p.run(&["heads"]).fails(1, "duplicate revision id a1a1");
    let p = TestProject::new();
    p.revision("c1c1", "c2c2", "SELECT 1;", "SELECT 1;");
    p.revision("c2c2", "c1c1", "SELECT 1;", "SELECT 1;");
    p.run(&["history"]).fails(1, "cycle");

    // Not UTF-8.
    let p = TestProject::new();
    std::fs::write(
        p.path("migrations/bad.sql"),
        b"-- revision: b1\n-- revises:\n-- message: caf\xe9\n-- migrate:upgrade\n-- migrate:downgrade\n",
    )
    .expect("write");
    p.run(&["heads"]).fails(1, "bad.sql:3");

    // An unterminated string names the revision and the line it starts on.
    let p = TestProject::new();
    p.revision("a1a1a1", "", "SELECT 1;\nSELECT 'oops;", "SELECT 1;");
    p.run(&["upgrade", "head"]).fails(1, "a1a1a1_rev.sql:7");
}

#[test]
fn passwords_never_appear_in_any_output() {
    let p = TestProject::with_config(
        "[database]\nurl = \"postgres://alice:s3cr3t-pw@127.0.0.1:1/shop\"\n",
    );
    base_revision(&p);
    for command in [
        &["upgrade", "head"][..],
        &["current", "-v"],
        &["stamp", "head"],
        &["downgrade", "base"],
    ] {
        let run = p.run(command);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(!run.stderr.contains("s3cr3t"), "{run:?}");
        assert!(!run.stdout.contains("s3cr3t"), "{run:?}");
        assert!(run.stderr.contains("alice:***@"), "{run:?}");
    }
    let run = p.run_env(
        &["current", "-v"],
        &[("DATABASE_URL", "mysql://bob:hunter2@127.0.0.1:1/x")],
    );
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("hunter2"), "{run:?}");

    let p = TestProject::with_config(
        "[database]\nurl = \"postgres://alice:s3cr3t@host:notaport/db\"\n",
    );
    let run = p.run(&["current"]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("s3cr3t"), "{run:?}");
}
