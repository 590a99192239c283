//! Every error path through the binary: exit status, a message naming the problem and
//! where, no panic, and never a password.

use crate::project::{Run, TestProject};
use migrate::echo::LINE_MAX_CHARS;

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
    p.run(&["revision", "-m"]).fails(2, "--message <MESSAGE>");
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
        // PostgreSQL's errors name the server and the user, not the URL.
        assert!(
            run.stderr
                .contains("cannot connect to PostgreSQL at 127.0.0.1:1 as user alice"),
            "{run:?}"
        );
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

/// The one `error:` line of a failed run: asserts it is the last line of stderr, the only
/// one starting `error:`, free of raw control characters and bounded in length.
#[track_caller]
fn error_line(run: &Run) -> &str {
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    let errors: Vec<&&str> = lines.iter().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{run:?}");
    let line = lines.last().copied().unwrap_or_default();
    assert!(
        line.starts_with("error: "),
        "the error line comes last: {run:?}"
    );
    assert!(
        !line.chars().any(char::is_control),
        "raw control character in {line:?}"
    );
    assert!(
        line.chars().count() <= 7 + LINE_MAX_CHARS,
        "{} characters",
        line.len()
    );
    line
}

#[test]
fn raw_cr_and_nul_in_input_are_escaped() {
    let p = TestProject::new();
    p.write(
        "migrations/a1.sql",
        "-- revision: a1\r\n-- revises: zz\rqq\0x\n-- migrate:upgrade\n-- migrate:downgrade\n",
    );
    let run = p.run(&["heads"]);
    let line = error_line(&run);
    assert!(
        line.contains("a1.sql:2: invalid revision id 'zz\\rqq\\0x'"),
        "{line}"
    );
    assert!(!run.stderr.contains(['\r', '\0']), "{run:?}");
}

#[test]
fn a_huge_header_value_is_cut_where_it_is_echoed() {
    let p = TestProject::new();
    let long = "b".repeat(200_000);
    p.write(
        "migrations/a1.sql",
        &format!("-- revision: a1\n-- revises: {long}\n-- migrate:upgrade\n-- migrate:downgrade\n"),
    );
    let run = p.run(&["upgrade", "head"]);
    let line = error_line(&run);
    assert!(line.len() < 400, "{line}");
    assert!(
        line.contains("a1.sql:2: invalid revision id 'bbbb"),
        "{line}"
    );
    assert!(line.contains("...' (200000 characters)"), "{line}");
    assert!(run.stderr.len() < 400, "{run:?}");
}

#[test]
fn sqlite_messages_spanning_lines_are_flattened() {
    let p = TestProject::new();
    p.revision(
        "c1c1",
        "",
        "CREATE TABLE t (\n  id INT,\n  x TEXT NOTNULL KEY KEY\n);",
        "DROP TABLE t;",
    );
    let run = p.run(&["upgrade", "head"]);
    let line = error_line(&run);
    assert!(
        line.contains("c1c1_rev.sql:6): statement 1 failed: near \"NOTNULL\": syntax error"),
        "{line}"
    );
    assert!(line.contains("; statement: CREATE TABLE t ("), "{line}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");

    // A statement of many long lines is cut, keeping the location and SQLite's last words.
    let columns: String = (0..1_500)
        .map(|i| format!("  a_long_column_name_{i} INT,\n"))
        .collect();
    let long_lines = columns + &format!("  d {} NOTNULL KEY\n", "x".repeat(5_000));
    p.revision("d2d2", "c1c1", "SELECT 1;", "SELECT 1;");
    p.revision(
        "c1c1",
        "",
        &format!("CREATE TABLE t (\n{long_lines});"),
        "DROP TABLE t;",
    );
    let run = p.run(&["upgrade", "head"]);
    let line = error_line(&run);
    assert!(
        line.contains("c1c1_rev.sql:6): statement 1 failed"),
        "{line}"
    );
    assert!(line.contains("characters cut)..."), "{line}");
    assert!(
        line.ends_with("; statement: CREATE TABLE t ( ..."),
        "{line}"
    );
}

#[test]
fn a_schema_path_pointing_at_a_text_file_fails_on_one_line() {
    let p = TestProject::with_config(
        "[database]\nurl = \"sqlite:///app.db\"\n[schema]\npath = \"notes.txt\"\n",
    );
    p.write(
        "notes.txt",
        "Hello world,\nthese are notes\n\tnot SQL;\nmore notes\n",
    );
    let run = p.run(&["revision", "-m", "x", "--autogenerate"]);
    let line = error_line(&run);
    assert!(
        line.contains("notes.txt:1: statement 1 of the desired schema failed: near \"Hello\""),
        "{line}"
    );
    assert!(line.ends_with("; statement: Hello world,"), "{line}");
}

#[test]
fn files_in_migrations_that_are_not_revisions() {
    let p = TestProject::new();
    base_revision(&p);
    // Not `.sql`, hidden, or editor leftovers: skipped, as Alembic skips what is not `.py`.
    for name in [
        "README.md",
        "notes.txt",
        "a1_rev.sql~",
        ".#a1_rev.sql",
        "#a1_rev.sql#",
        "a1_rev.sql.orig",
        ".hidden.sql",
    ] {
        p.write(&format!("migrations/{name}"), "# not a revision\n");
    }
    p.run(&["heads"]).ok();
    // A `.sql` file with no revision header is named, with what to do.
    for text in ["SELECT 1;\n", "", "-- notes about the schema\n"] {
        p.write("migrations/notes.sql", text);
        for command in [&["heads"][..], &["upgrade", "head"]] {
            let run = p.run(command);
            let line = error_line(&run);
            assert!(
                line.contains(
                    "migrations/notes.sql: not a revision file (no `-- revision:` header"
                ),
                "{line}"
            );
            assert!(
                line.contains("move it out of the migrations directory"),
                "{line}"
            );
            assert!(line.contains("`migrate revision`"), "{line}");
        }
    }
}

#[test]
fn a_lock_timeout_past_what_engines_take_is_an_error_not_a_panic() {
    for written in ["\"2147484s\"", "\"9999999999h\"", "2147484"] {
        let p = TestProject::with_config(&format!(
            "[database]\nurl = \"sqlite:///app.db\"\nlock_timeout = {written}\n"
        ));
        base_revision(&p);
        for command in [&["upgrade", "head"][..], &["current"]] {
            let run = p.run(command);
            let line = error_line(&run);
            assert!(
                line.contains("config.toml:3: database.lock_timeout must be at most 86400s"),
                "{line}"
            );
        }
    }
    let p = TestProject::with_config(
        "[database]\nurl = \"sqlite:///app.db\"\nlock_timeout = \"24h\"\n",
    );
    base_revision(&p);
    p.run(&["upgrade", "head"]).ok();
}

#[test]
fn a_changed_revision_diff_goes_above_the_one_error_line() {
    let p = TestProject::new();
    base_revision(&p);
    p.run(&["upgrade", "head"]).ok();
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id INTEGER, x\x1bTEXT);",
        "DROP TABLE t;",
    );
    let run = p.run(&["upgrade", "head"]);
    let line = error_line(&run);
    assert!(
        line.starts_with(
            "error: 1 applied revision(s) changed since they were applied: a1a1a1a1a1a1 ("
        ) && line.ends_with(
            "a1a1a1a1a1a1_rev.sql) (diff above); restore the file(s), or run again with \
             --allow-changed to proceed anyway"
        ),
        "{run:?}"
    );
    assert!(
        run.stderr.contains(
            "\n-CREATE TABLE t (id INTEGER);\n+CREATE TABLE t (id INTEGER, x\\x1bTEXT);\n"
        ),
        "{run:?}"
    );
}

#[test]
fn the_sqlite_busy_timeout_is_clamped_for_library_callers() {
    use migrate::dialect::Driver;
    let mut driver = crate::project::memory_db("CREATE TABLE t (id INTEGER);");
    for timeout in [
        std::time::Duration::MAX,
        std::time::Duration::from_secs(2_147_484),
    ] {
        driver
            .set_busy_timeout(timeout)
            .expect("clamped, not a panic");
    }
}

#[test]
fn command_line_echoes_are_escaped_and_bounded() {
    let p = TestProject::new();
    let run = p.run(&["upgrade", "--frob\r\tz"]).fails(2, "");
    assert_eq!(
        run.stderr.lines().next(),
        Some(r"error: unexpected argument '--frob\r\tz' found")
    );
    assert!(!run.stderr.contains(['\r', '\t']), "{run:?}");
    let long = format!("--{}", "x".repeat(100_000));
    let run = p
        .run(&["upgrade", &long])
        .fails(2, "error: unexpected argument '--xxx");
    assert!(
        run.stderr.lines().all(|l| l.len() <= LINE_MAX_CHARS),
        "{run:?}"
    );
    // Help and version still print as clap writes them, with exit status 0.
    let run = p.run(&["--help"]).ok();
    assert!(run.stdout.contains("Usage: migrate"), "{run:?}");
}

#[test]
fn a_file_that_is_not_a_database_is_named() {
    let p = TestProject::new();
    base_revision(&p);
    std::fs::write(
        p.path("app.db"),
        "not a database, just some text ".repeat(10),
    )
    .unwrap();
    let needle = "app.db: the file is not a database";
    for args in [&["current"][..], &["upgrade", "head"], &["check"]] {
        let run = p.run(args).fails(1, needle);
        assert!(!run.stderr.contains("Error code"), "{run:?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    }
}

#[test]
fn a_message_with_a_control_character_is_refused() {
    let p = TestProject::new();
    p.run(&["revision", "-m", "a\x1b[31mb"])
        .fails(2, r"--message: 'a\x1b[31mb' holds a control character");
    assert_eq!(
        std::fs::read_dir(p.path("migrations")).map_or(0, |d| d.count()),
        0
    );
    p.run(&["revision", "-m", "two\nlines"]).ok();
}
