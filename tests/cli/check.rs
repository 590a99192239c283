//! `check` as CI uses it, through the binary: changed revisions, a database behind or
//! ahead of head, read-only commands that never create a database, the desired-schema
//! cache in `.migrate/`, and the .gitignore lines `init` writes for it.

use crate::project::TestProject;
use sha2::{Digest, Sha256};

const TABLE_A: &str = "CREATE TABLE a (id INTEGER PRIMARY KEY);";

/// A project with revisions a1 (creates a) and b2 (creates b) and a schema.sql matching
/// both.
fn two_revisions() -> TestProject {
    let p = TestProject::new();
    p.write(
        "schema.sql",
        &format!("{TABLE_A}\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n"),
    );
    p.revision("a1a1a1a1a1a1", "", TABLE_A, "DROP TABLE a;");
    p.revision(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        "CREATE TABLE b (id INTEGER PRIMARY KEY);",
        "DROP TABLE b;",
    );
    p
}

#[test]
fn check_fails_naming_an_applied_revision_whose_file_changed() {
    let p = two_revisions();
    p.run(&["upgrade", "head"]).ok();
    p.run(&["check"]).ok();
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE a (id INTEGER PRIMARY KEY, note TEXT);",
        "DROP TABLE a;",
    );
    let first_line = "error: 1 applied revision(s) changed since they were applied: a1a1a1a1a1a1 (";
    let check = p.run(&["check"]).fails(1, first_line);
    assert!(
        check
            .stderr
            .lines()
            .last()
            .is_some_and(|line| line.starts_with(first_line)
                && line.contains("a1a1a1a1a1a1_rev.sql) (diff above); restore the file(s)")),
        "{check:?}"
    );
    assert!(check
        .stderr
        .contains("+CREATE TABLE a (id INTEGER PRIMARY KEY, note TEXT);"));
    assert!(!check.stderr.contains("No changes detected"), "{check:?}");
    // upgrade refuses with the same verification.
    let upgrade = p.run(&["upgrade", "head"]).fails(1, first_line);
    assert_eq!(upgrade.stderr, check.stderr.replace("check", "upgrade"));
}

#[test]
fn check_fails_when_the_database_is_behind_head_saying_where_it_is() {
    let p = two_revisions();
    p.run(&["check"]).fails(
        1,
        "error: the database is not at head: it is behind, at base; head is b2b2b2b2b2b2",
    );
    assert!(!p.path("app.db").exists(), "check created the database");
    p.run(&["upgrade", "a1a1"]).ok();
    p.run(&["check"]).fails(
        1,
        "the database is not at head: it is behind, at a1a1a1a1a1a1; head is b2b2b2b2b2b2: \
         run `migrate upgrade head` first",
    );
    // Two heads, one applied.
    p.revision("c3c3c3c3c3c3", "a1a1a1a1a1a1", "SELECT 1;", "SELECT 1;");
    p.run(&["upgrade", "b2b2"]).ok();
    p.run(&["check"]).fails(
        1,
        "it is behind, at b2b2b2b2b2b2; head is b2b2b2b2b2b2, c3c3c3c3c3c3: run `migrate \
         upgrade heads` first",
    );
    p.run(&["upgrade", "heads"]).ok();
    p.run(&["check"]).ok();
}

#[test]
fn check_fails_when_the_database_is_ahead_of_head() {
    let p = two_revisions();
    p.run(&["upgrade", "head"]).ok();
    // A checkout that does not have b2 yet (or lost its file).
    std::fs::remove_file(p.path("migrations/b2b2b2b2b2b2_rev.sql")).expect("rm");
    let run = p.run(&["check"]).fails(
        1,
        "error: the database is not at head: it is ahead, at b2b2b2b2b2b2 (b2b2b2b2b2b2 not in ",
    );
    assert!(
        run.stderr.contains("migrations); head is a1a1a1a1a1a1\n"),
        "{run:?}"
    );
    p.run(&["revision", "--autogenerate", "-m", "x"])
        .fails(1, "it is ahead, at b2b2b2b2b2b2");
}

#[test]
fn read_only_commands_never_create_the_database() {
    let p = two_revisions();
    for args in [
        &["current"][..],
        &["current", "-v"],
        &["heads"],
        &["branches"],
        &["history"],
        &["history", "-r", "current:"],
        &["show", "head"],
        &["show", "a1a1"],
        &["check"],
        &["revision", "--autogenerate", "-m", "x"],
    ] {
        let run = p.run(args);
        assert!(
            !p.path("app.db").exists() && !p.path("app.db-migrate-lock").exists(),
            "{args:?} created the database: {run:?}"
        );
    }
    let current = p.run(&["current"]).ok();
    assert_eq!(current.stdout, "");
    // A database in a directory that does not exist reads as empty too.
    let q = TestProject::with_config("[database]\nurl = \"sqlite:///nowhere/app.db\"\n");
    q.run(&["current"]).ok();
    assert!(!q.path("nowhere").exists());
    // Commands that write still create it.
    p.run(&["stamp", "a1a1"]).ok();
    assert!(p.path("app.db").exists());
    p.run(&["current"]).ok();
    assert_eq!(p.version_rows(), vec!["a1a1a1a1a1a1"]);
}

/// The cache file of `p`.
fn cache(p: &TestProject) -> Vec<u8> {
    std::fs::read(p.path(".migrate/desired-schema.json")).expect("cache file")
}

/// Writes a cache file with the header (key) of `good` around `payload`, with a correct
/// digest, as a well-formed but different file would look.
fn write_cache(p: &TestProject, good: &[u8], payload: &[u8]) {
    let key_line = good.split(|&b| b == b'\n').next().expect("header");
    let digest: String = Sha256::digest(payload)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut bytes = key_line.to_vec();
    bytes.extend_from_slice(format!("\n{digest}\n").as_bytes());
    bytes.extend_from_slice(payload);
    std::fs::write(p.path(".migrate/desired-schema.json"), bytes).expect("write cache");
}

#[test]
fn a_corrupt_or_stale_cache_is_rebuilt_never_trusted() {
    let p = TestProject::new();
    p.write("schema.sql", &format!("{TABLE_A}\n"));
    let expect_pending = |p: &TestProject, listing: &str| {
        let run = p.run(&["check"]).fails(1, "pending operation(s)");
        assert_eq!(run.stdout, listing, "{run:?}");
    };
    expect_pending(&p, "create table a\n");
    let fresh = cache(&p);
    assert!(fresh.starts_with(b"migrate-desired-schema-v1 "));

    // A well-formed file under the right key is what a warm run reads: an empty model in
    // it makes check agree with the empty database.
    write_cache(
        &p,
        &fresh,
        br#"{"tables":{},"views":{},"triggers":{},"unmanaged":[]}"#,
    );
    p.run(&["check"]).ok();

    let truncated = fresh[..fresh.len() / 2].to_vec();
    let garbage = b"\x00\xff not a cache \n\n\n".to_vec();
    let mut edited = fresh.clone();
    let last = edited.len() - 2;
    edited[last] ^= 0x20; // one byte of the payload
    for (what, bytes) in [
        ("truncated", truncated),
        ("garbage", garbage),
        ("edited", edited),
        ("empty", Vec::new()),
    ] {
        std::fs::write(p.path(".migrate/desired-schema.json"), bytes).expect("corrupt");
        expect_pending(&p, "create table a\n");
        assert!(cache(&p) == fresh, "{what}: the cache was not rebuilt");
    }
    // Valid JSON of the wrong shape, with a correct digest.
    for payload in [&br#"{"tables": [1, 2]}"#[..], b"[]", b"{}"] {
        write_cache(&p, &fresh, payload);
        expect_pending(&p, "create table a\n");
        assert!(cache(&p) == fresh, "wrong shape: the cache was not rebuilt");
    }
    // An edited schema.sql makes the cache stale.
    p.write(
        "schema.sql",
        &format!("{TABLE_A}\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n"),
    );
    expect_pending(&p, "create table a\ncreate table b\n");
    assert!(cache(&p) != fresh, "the stale cache was kept");
    expect_pending(&p, "create table a\ncreate table b\n");
    // A cache directory that cannot be written is a warning, not a failure.
    std::fs::remove_dir_all(p.path(".migrate")).expect("rm");
    std::fs::write(p.path(".migrate"), "a file in the way").expect("block");
    let run = p
        .run(&["check"])
        .fails(1, "warning: schema cache not written: cannot create");
    assert_eq!(run.stdout, "create table a\ncreate table b\n");
}

#[test]
fn concurrent_first_runs_each_see_a_whole_cache_or_none() {
    let p = two_revisions();
    p.run(&["upgrade", "head"]).ok();
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(p.path(".migrate"));
        let children: Vec<_> = (0..4)
            .map(|_| {
                p.command(&["check"])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().expect("wait");
            assert!(output.status.success(), "{output:?}");
        }
        let leftovers = std::fs::read_dir(p.path(".migrate"))
            .expect(".migrate")
            .count();
        assert_eq!(leftovers, 1, "only the cache file remains");
        let after = p.run(&["check"]).ok();
        assert!(after.stderr.contains("No changes detected"), "{after:?}");
    }
}

#[test]
fn init_adds_the_cache_and_lock_file_to_gitignore_keeping_existing_lines() {
    let dir = tempfile::tempdir().expect("tmp");
    let init = |sub: &str| {
        let run = std::process::Command::new(crate::project::binary())
            .args(["init", sub])
            .current_dir(dir.path())
            .output()
            .expect("run");
        assert!(run.status.success(), "{run:?}");
        std::fs::read_to_string(dir.path().join(sub).join(".gitignore")).expect(".gitignore")
    };
    assert_eq!(init("fresh"), ".migrate/\n*-migrate-lock\n");
    for written in ["config.toml", "schema.sql"] {
        let text = std::fs::read_to_string(dir.path().join("fresh").join(written)).expect("read");
        assert!(
            text.ends_with('\n'),
            "{written} has no final newline: {text:?}"
        );
    }
    let existing = dir.path().join("existing");
    std::fs::create_dir(&existing).expect("dir");
    std::fs::write(existing.join(".gitignore"), "node_modules/\n*-migrate-lock").expect("write");
    assert_eq!(
        init("existing"),
        "node_modules/\n*-migrate-lock\n.migrate/\n"
    );
}

#[test]
fn schema_sql_cannot_reach_outside_the_scratch_database() {
    let p = two_revisions();
    p.run(&["upgrade", "head"]).ok();
    p.db()
        .execute_batch("INSERT INTO a (id) VALUES (1)")
        .expect("seed");
    let live = p.path("app.db").display().to_string().replace('\'', "''");
    let copy = p.path("copy.db").display().to_string().replace('\'', "''");
    for (statement, line) in [
        (format!("ATTACH '{live}' AS live"), "ATTACH"),
        (format!("VACUUM INTO '{copy}'"), "VACUUM INTO"),
    ] {
        p.write(
            "schema.sql",
            &format!("{TABLE_A}\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n{statement};\nDELETE FROM live.a;\n"),
        );
        let run = p.run(&["check"]).fails(1, "schema.sql:3: statement 3");
        assert!(
            run.stderr.contains("not authorized") || run.stderr.contains("authorization denied"),
            "{run:?}"
        );
        assert!(run.stderr.contains(line), "{run:?}");
        assert!(
            run.stderr
                .contains("may not reach outside its scratch database"),
            "{run:?}"
        );
    }
    assert_eq!(p.count("SELECT count(*) FROM a"), 1);
    assert!(!p.path("copy.db").exists());
}

#[test]
fn an_unwritable_cache_is_one_warning_naming_it_once() {
    let p = two_revisions();
    p.run(&["upgrade", "head"]).ok();
    std::fs::create_dir_all(p.path(".migrate/desired-schema.json")).unwrap();
    let run = p.run(&["check"]).ok();
    let warning = run
        .stderr
        .lines()
        .find(|l| l.starts_with("warning: schema cache not written: cannot write "))
        .unwrap_or_else(|| panic!("{run:?}"));
    assert!(
        warning.ends_with(".migrate/desired-schema.json: Is a directory (os error 21)"),
        "{warning}"
    );
}
