//! Every command's happy path and output format, on SQLite files.

use crate::project::TestProject;

const EXAMPLE_HEAD: &str = "f19b3d8c6e27";

#[test]
fn example_project_upgrades_downgrades_and_upgrades_again() {
    let p = TestProject::example();
    let run = p.run(&["upgrade", "head"]).ok();
    assert_eq!(run.stdout, "", "progress goes to stderr only");
    assert!(
        run.stderr
            .contains("Running upgrade  -> 8f3a1c2e9b70, create py_orm ("),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("Running upgrade e7c04f9d2a15 -> f19b3d8c6e27, add users name index ("));
    assert_eq!(run.stderr.matches(" ms)\n").count(), 5, "{}", run.stderr);
    assert_eq!(
        p.tables(),
        [
            "categories",
            "departments",
            "employees",
            "migrate_version",
            "migrate_version_history",
            "notes",
            "py_orm",
            "users"
        ]
    );
    assert_eq!(
        p.run(&["current"]).ok().stdout,
        format!("{EXAMPLE_HEAD} (head)\n")
    );
    assert_eq!(
        p.count("SELECT count(*) FROM migrate_version_history WHERE operation = 'upgrade' AND length(checksum) = 64 AND duration_ms >= 0 AND applied_at LIKE '20%+00:00'"),
        5
    );

    // The index revision downgrades alone.
    let run = p.run(&["downgrade", "-1"]).ok();
    assert!(run
        .stderr
        .contains("Running downgrade f19b3d8c6e27 -> e7c04f9d2a15, add users name index ("));
    assert_eq!(
        p.count("SELECT count(*) FROM sqlite_master WHERE name = 'ix_users_name'"),
        0
    );
    assert_eq!(p.run(&["current"]).ok().stdout, "e7c04f9d2a15\n");

    p.run(&["downgrade", "base"]).ok();
    assert_eq!(p.tables(), ["migrate_version", "migrate_version_history"]);
    assert_eq!(p.run(&["current"]).ok().stdout, "");

    // Rows inserted between runs survive the next upgrade.
    p.run(&["upgrade", "d2e95a6b18f4"]).ok();
    p.db()
        .execute_batch("INSERT INTO departments (name) VALUES ('ops'); INSERT INTO employees (department_id, name) VALUES (1, 'ada');")
        .expect("seed");
    p.run(&["upgrade"]).ok();
    assert_eq!(p.count("SELECT count(*) FROM employees"), 1);
    assert_eq!(p.version_rows(), [EXAMPLE_HEAD]);
}

#[test]
fn heads_history_show_and_verbose_forms() {
    let p = TestProject::example();
    assert_eq!(
        p.run(&["heads"]).ok().stdout,
        format!("{EXAMPLE_HEAD} (head)\n")
    );
    let history = p.run(&["history"]).ok().stdout;
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(
        lines[0],
        "e7c04f9d2a15 -> f19b3d8c6e27 (head), add users name index"
    );
    assert_eq!(lines[4], "<base> -> 8f3a1c2e9b70, create py_orm");

    let range = p
        .run(&["history", "-r", "b41d07e5c3a2:e7c04f9d2a15"])
        .ok()
        .stdout;
    assert_eq!(
        range,
        "d2e95a6b18f4 -> e7c04f9d2a15, create users\n\
         b41d07e5c3a2 -> d2e95a6b18f4, categories and notes\n\
         8f3a1c2e9b70 -> b41d07e5c3a2, departments and employees\n"
    );
    let open_end = p.run(&["history", "-r", "e7c0:"]).ok().stdout;
    assert_eq!(open_end.lines().count(), 2);

    let verbose = p.run(&["history", "-v"]).ok().stdout;
    assert!(
        verbose.starts_with("Rev: f19b3d8c6e27 (head)\nParent: e7c04f9d2a15\nPath: "),
        "{verbose}"
    );
    assert!(verbose.contains("    Create Date: 2026-11-22 18:00:00+00:00\n"));

    let show = p.run(&["show", "f19b"]).ok().stdout;
    assert!(show.contains("Rev: f19b3d8c6e27 (head)"));
    assert!(show.contains("-- migrate:upgrade\nCREATE INDEX ix_users_name ON users (name);\n"));
    assert!(show.contains("-- migrate:downgrade\nDROP INDEX ix_users_name;\n"));

    // -v on current names the database (on stderr) and prints the full entry.
    p.run(&["upgrade", "head"]).ok();
    let current = p.run(&["current", "-v"]).ok();
    assert!(current
        .stderr
        .contains("Current revision(s) for sqlite:///"));
    assert!(current.stdout.starts_with("Rev: f19b3d8c6e27 (head)\n"));
}

#[test]
fn init_writes_a_project_that_works_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = std::process::Command::new(crate::project::binary())
        .args(["init", "proj"])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert!(run.status.success(), "{run:?}");
    let proj = dir.path().join("proj");
    assert!(proj.join("config.toml").is_file());
    assert!(proj.join("schema.sql").is_file());
    assert!(proj.join("migrations").is_dir());
    let again = std::process::Command::new(crate::project::binary())
        .args(["init", "proj"])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("refusing to overwrite"));

    // The new project takes a revision and upgrades.
    let config = proj.join("config.toml");
    let config = config.to_str().expect("utf-8 path");
    let run = std::process::Command::new(crate::project::binary())
        .args(["--config", config, "revision", "-m", "First one!"])
        .output()
        .expect("run");
    assert!(run.status.success(), "{run:?}");
    let path = String::from_utf8_lossy(&run.stdout).trim().to_string();
    assert!(path.ends_with("_first_one.sql"), "{path}");
    // The generated id: 12 lowercase hex characters, also the file name's prefix.
    let name = std::path::Path::new(&path)
        .file_name()
        .expect("name")
        .to_string_lossy()
        .to_string();
    let id = &name[..12];
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "{name}"
    );
    assert_eq!(&name[12..], "_first_one.sql");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        text.starts_with(&format!(
            "-- revision: {id}\n-- revises:\n-- message: First one!\n"
        )),
        "{text}"
    );
    let up = std::process::Command::new(crate::project::binary())
        .args(["--config", config, "upgrade", "head"])
        .output()
        .expect("run");
    assert!(up.status.success(), "{up:?}");
    assert!(proj.join("app.db").is_file());
    let quiet = std::process::Command::new(crate::project::binary())
        .args(["--config", config, "-q", "downgrade", "base"])
        .output()
        .expect("run");
    assert!(quiet.status.success(), "{quiet:?}");
    assert!(
        quiet.stderr.is_empty() && quiet.stdout.is_empty(),
        "{quiet:?}"
    );
}

fn new_revision(p: &TestProject, args: &[&str]) -> String {
    let mut all = vec!["revision"];
    all.extend_from_slice(args);
    let run = p.run(&all).ok();
    let path = run.stdout.trim().to_string();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn revision_options_build_branches_labels_dependencies_and_merges() {
    let p = TestProject::new();
    let first = new_revision(&p, &["-m", "create users", "--rev-id", "aaaa0001"]);
    assert!(
        first.starts_with(
            "-- revision: aaaa0001\n-- revises:\n-- message: create users\n-- created: 20"
        ),
        "{first}"
    );
    assert!(first.contains("\n\n-- migrate:upgrade\n"));
    assert!(p.path("migrations/aaaa0001_create_users.sql").is_file());

    let second = new_revision(&p, &["-m", "second", "--rev-id", "bbbb0002"]);
    assert!(second.contains("-- revises: aaaa0001\n"), "{second}");

    // --head on a non-head needs --splice.
    p.run(&["revision", "-m", "branch", "--head", "aaaa0001"])
        .fails(1, "revision aaaa0001 is not a head; pass --splice");
    let branch = new_revision(
        &p,
        &[
            "-m",
            "branch",
            "--rev-id",
            "cccc0003",
            "--head",
            "aaaa",
            "--splice",
            "--branch-label",
            "feature",
        ],
    );
    assert!(
        branch.contains("-- revises: aaaa0001\n-- branch_labels: feature\n"),
        "{branch}"
    );

    // Two heads now: a plain revision must say so.
    p.run(&["revision", "-m", "x"])
        .fails(1, "multiple heads: bbbb0002, cccc0003");
    let heads = p.run(&["heads"]).ok().stdout;
    assert_eq!(heads, "bbbb0002 (head)\ncccc0003 (feature) (head)\n");
    let branches = p.run(&["branches"]).ok().stdout;
    assert_eq!(
        branches,
        "<base> -> aaaa0001 (branchpoint), create users\n    -> bbbb0002 (head), second\n    -> cccc0003 (feature) (head), branch\n"
    );

    let dep = new_revision(
        &p,
        &[
            "-m",
            "dep",
            "--rev-id",
            "dddd0004",
            "--head",
            "feature@head",
            "--depends-on",
            "bbbb0002",
        ],
    );
    assert!(
        dep.contains("-- revises: cccc0003\n-- depends_on: bbbb0002\n"),
        "{dep}"
    );

    p.run(&["upgrade", "head"])
        .fails(1, "multiple heads: bbbb0002, dddd0004");
    p.run(&["upgrade", "feature@head"]).ok();
    // depends_on pulled bbbb0002 in as well, and (as in Alembic) absorbed it: one row.
    assert_eq!(p.version_rows(), ["dddd0004"]);

    let merge = p
        .run(&["merge", "-m", "merge them", "heads", "--rev-id", "eeee0005"])
        .ok();
    let merge = std::fs::read_to_string(merge.stdout.trim()).expect("merge file");
    assert!(
        merge.contains("-- revises: bbbb0002, dddd0004\n"),
        "{merge}"
    );
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(p.version_rows(), ["eeee0005"]);
    let history = p.run(&["history"]).ok().stdout;
    assert!(
        history.starts_with("bbbb0002, dddd0004 -> eeee0005 (head) (mergepoint), merge them\n"),
        "{history}"
    );

    // As in Alembic, one step down from a merge is ambiguous; naming the revision is not.
    p.run(&["downgrade", "-1"]).fails(1, "is ambiguous");
    p.run(&["downgrade", "dddd0004"]).ok();
    assert_eq!(p.version_rows(), ["dddd0004"]);
    // The labelled branch down to its base, and what depends on it: everything here.
    p.run(&["downgrade", "feature@base"]).ok();
    assert!(p.version_rows().is_empty());
}

#[test]
fn stamp_sets_rows_without_running_sql_and_purge_clears_unknown_rows() {
    let p = TestProject::example();
    p.run(&["stamp", "e7c04f9d2a15"]).ok();
    assert_eq!(p.version_rows(), ["e7c04f9d2a15"]);
    assert_eq!(p.tables(), ["migrate_version", "migrate_version_history"]);
    // Only the index revision runs now; it fails since users was never created.
    p.run(&["upgrade", "head"])
        .fails(1, "statement 1 failed: no such table: main.users");
    p.run(&["stamp", "base"]).ok();
    assert!(p.version_rows().is_empty());

    p.db()
        .execute("INSERT INTO migrate_version VALUES ('0123456789ab')", [])
        .expect("insert");
    p.run(&["upgrade", "head"]).fails(1, "0123456789ab");
    p.run(&["stamp", "head", "--purge"]).ok();
    assert_eq!(p.version_rows(), [EXAMPLE_HEAD]);
}

#[test]
fn offline_sql_scripts_touch_no_database_and_run_in_sqlite3() {
    let p = TestProject::example();
    let script = p.run(&["upgrade", "head", "--sql"]).ok().stdout;
    assert!(
        !p.path("app.db").exists(),
        "--sql must not create the database"
    );
    assert!(script.starts_with(
        "PRAGMA foreign_keys = OFF;\n\nCREATE TABLE IF NOT EXISTS \"migrate_version\""
    ));
    assert!(script.contains(
        "-- Running upgrade  -> 8f3a1c2e9b70, create py_orm\n\nPRAGMA foreign_keys = OFF;\n\nBEGIN;\n\nCREATE TABLE py_orm ("
    ));
    assert!(
        script.contains("INSERT INTO \"migrate_version\" (version_num) VALUES ('f19b3d8c6e27');")
    );
    assert_eq!(script.matches("COMMIT;").count(), 5);

    // The script is valid SQL that leaves the database at head.
    let conn = p.db();
    conn.execute_batch(&script).expect("script runs");
    drop(conn);
    assert_eq!(p.version_rows(), [EXAMPLE_HEAD]);
    assert_eq!(
        p.run(&["current"]).ok().stdout,
        format!("{EXAMPLE_HEAD} (head)\n")
    );

    let part = p
        .run(&["upgrade", "d2e95a6b18f4:head", "--sql"])
        .ok()
        .stdout;
    assert_eq!(part.matches("-- Running upgrade").count(), 2, "{part}");
    let down = p.run(&["downgrade", "e7c04f9d2a15", "--sql"]).ok().stdout;
    assert!(down.contains("-- Running downgrade f19b3d8c6e27 -> e7c04f9d2a15, add users name index\n\nPRAGMA foreign_keys = OFF;\n\nBEGIN;\n\nDROP INDEX ix_users_name;"), "{down}");
    assert!(down.contains("DELETE FROM \"migrate_version\" WHERE version_num = 'f19b3d8c6e27';"));
    let down_range = p
        .run(&["downgrade", "e7c04f9d2a15:base", "--sql"])
        .ok()
        .stdout;
    assert_eq!(down_range.matches("-- Running downgrade").count(), 4);
}

#[test]
fn database_url_env_and_config_flag_pick_the_database() {
    let p = TestProject::example();
    let other = p.path("other.db");
    let url = format!("sqlite:///{}", other.display());
    p.run_env(&["upgrade", "head"], &[("DATABASE_URL", url.as_str())])
        .ok();
    assert!(other.is_file());
    assert!(!p.path("app.db").exists());

    std::fs::create_dir(p.path("conf")).expect("dir");
    std::fs::write(
        p.path("conf/alt.toml"),
        "[database]\nurl = \"sqlite:///${DB_NAME}.db\"\n[migrations]\ndir = \"../migrations\"\n",
    )
    .expect("write");
    p.run_env(
        &["--config", "conf/alt.toml", "upgrade", "+2"],
        &[("DB_NAME", "alt")],
    )
    .ok();
    let conn = rusqlite::Connection::open(p.path("conf/alt.db")).expect("open");
    let rows: i64 = conn
        .query_row(
            "SELECT count(*) FROM migrate_version WHERE version_num = 'b41d07e5c3a2'",
            [],
            |r| r.get(0),
        )
        .expect("query");
    assert_eq!(rows, 1);
}
