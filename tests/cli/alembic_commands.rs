//! Alembic's command-line items where they fit SQL revisions: `-c`/`MIGRATE_CONFIG`,
//! `history -i`, `stamp --sql`, `heads --resolve-dependencies`, `show current|head`,
//! `revision` without `-m`, `edit`, `ensure-version`, several migration directories,
//! "did you mean", short prefixes and `stamp` over an unknown revision. SQLite judges
//! (sqlite_master, the version tables' rows).

use crate::project::TestProject;
use std::path::Path;

const HEAD: &str = "f19b3d8c6e27";

#[test]
fn config_comes_from_dash_c_or_migrate_config() {
    let p = TestProject::example();
    std::fs::create_dir(p.path("conf")).expect("dir");
    // Relative paths are relative to the config file's directory: ../app.db.
    p.write(
        "conf/other.toml",
        "[database]\nurl = \"sqlite:///other.db\"\n[migrations]\ndir = \"../migrations\"\n",
    );
    std::fs::remove_file(p.path("config.toml")).expect("rm");
    p.run(&["-c", "conf/other.toml", "upgrade", "head"]).ok();
    assert!(p.path("conf/other.db").exists());
    let env = [("MIGRATE_CONFIG", "conf/other.toml")];
    assert_eq!(
        p.run_env(&["current"], &env).ok().stdout,
        format!("{HEAD} (head)\n")
    );
    // --config wins over the environment.
    p.run_env(&["current", "--config", "nowhere.toml"], &env)
        .fails(1, "config file nowhere.toml not found");
    p.run_env(&["current"], &[("MIGRATE_CONFIG", "missing.toml")])
        .fails(1, "config file missing.toml not found");
    // An empty MIGRATE_CONFIG is no MIGRATE_CONFIG: config.toml.
    p.run_env(&["current"], &[("MIGRATE_CONFIG", "")])
        .fails(1, "config file config.toml not found");
    let help = p.run(&["--help"]).ok().stdout;
    assert!(help.contains("-c, --config <PATH>"), "{help}");
    assert!(help.contains("MIGRATE_CONFIG"), "{help}");
}

#[test]
fn history_indicate_current_marks_the_version_rows() {
    let p = TestProject::example();
    // Without a database nothing is current, and none is created.
    let before = p.run(&["history", "-i"]).ok().stdout;
    assert!(!before.contains("(current)"), "{before}");
    assert!(!p.path("app.db").exists());
    p.run(&["upgrade", "e7c04f9d2a15"]).ok();
    let history = p.run(&["history", "--indicate-current"]).ok().stdout;
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(
        lines[0],
        "e7c04f9d2a15 -> f19b3d8c6e27 (head), add users name index"
    );
    assert_eq!(
        lines[1],
        "d2e95a6b18f4 -> e7c04f9d2a15 (current), create users"
    );
    assert_eq!(history.matches("(current)").count(), 1);
    // At head the marker follows `(head)`, as Alembic prints it.
    p.run(&["upgrade"]).ok();
    let history = p.run(&["history", "-i", "-r", "e7c0:"]).ok().stdout;
    assert_eq!(
        history,
        "e7c04f9d2a15 -> f19b3d8c6e27 (head) (current), add users name index\n\
         d2e95a6b18f4 -> e7c04f9d2a15, create users\n"
    );
    let verbose = p.run(&["history", "-i", "-v"]).ok().stdout;
    assert!(verbose.starts_with("Rev: f19b3d8c6e27 (head) (current)\n"));
}

#[test]
fn stamp_sql_prints_a_script_that_sqlite_runs() {
    let p = TestProject::example();
    let script = p.run(&["stamp", "head", "--sql"]).ok().stdout;
    assert!(!p.path("app.db").exists(), "--sql touches no database");
    assert!(script.contains("CREATE TABLE IF NOT EXISTS \"migrate_version\""));
    p.db().execute_batch(&script).expect("the script runs");
    assert_eq!(p.version_rows(), [HEAD]);
    assert_eq!(
        p.strings("SELECT operation || ' ' || version_num FROM migrate_version_history"),
        [format!("stamp {HEAD}")]
    );
    assert_eq!(p.tables(), ["migrate_version", "migrate_version_history"]);

    // FROM:TO moves the row from FROM, as Alembic's offline stamp.
    let back = p.run(&["stamp", "f19b:d2e9", "--sql"]).ok().stdout;
    assert!(back.contains("DELETE FROM \"migrate_version\" WHERE version_num = 'f19b3d8c6e27'"));
    p.db().execute_batch(&back).expect("the script runs");
    assert_eq!(p.version_rows(), ["d2e95a6b18f4"]);
    assert_eq!(p.run(&["current"]).ok().stdout, "d2e95a6b18f4\n");

    p.run(&["stamp", "head", "--sql", "--purge"])
        .fails(2, "--purge cannot be used with --sql");
    p.run(&["stamp", "base:head"])
        .fails(2, "only valid with --sql");
}

#[test]
fn heads_resolve_dependencies_leaves_out_revisions_depended_on() {
    let p = TestProject::new();
    p.revision(
        "aaaa0001",
        "",
        "CREATE TABLE a (id INTEGER);",
        "DROP TABLE a;",
    );
    p.revision_with(
        "bbbb0001",
        "",
        "-- depends_on: aaaa0001\n",
        "CREATE TABLE b (id INTEGER);",
        "DROP TABLE b;",
    );
    assert_eq!(
        p.run(&["heads"]).ok().stdout,
        "aaaa0001 (head)\nbbbb0001 (head)\n"
    );
    assert_eq!(
        p.run(&["heads", "--resolve-dependencies"]).ok().stdout,
        "bbbb0001 (head)\n"
    );
    // What `upgrade heads` aims at: both run, one version row.
    p.run(&["upgrade", "heads"]).ok();
    assert_eq!(p.version_rows(), ["bbbb0001"]);
}

#[test]
fn show_current_and_show_head() {
    let p = TestProject::example();
    assert_eq!(p.run(&["show", "current"]).ok().stdout, "");
    assert!(
        !p.path("app.db").exists(),
        "show current creates no database"
    );
    p.run(&["upgrade", "e7c04f9d2a15"]).ok();
    let current = p.run(&["show", "current"]).ok().stdout;
    assert!(current.starts_with("Rev: e7c04f9d2a15\n"), "{current}");
    assert!(current.contains("-- migrate:upgrade\nCREATE TABLE users ("));
    let head = p.run(&["show", "head"]).ok().stdout;
    assert!(head.starts_with("Rev: f19b3d8c6e27 (head)\n"), "{head}");
    // A version row no file defines is named.
    p.db()
        .execute_batch("UPDATE migrate_version SET version_num = 'dead0000beef'")
        .expect("update");
    p.run(&["show", "current"]).fails(
        1,
        "the database is at revision dead0000beef, which is not in ",
    );
}

#[test]
fn revision_without_a_message() {
    let p = TestProject::new();
    let run = p.run(&["revision", "--rev-id", "abcd0001"]).ok();
    assert!(run.stdout.trim_end().ends_with("abcd0001.sql"), "{run:?}");
    let text = std::fs::read_to_string(p.path("migrations/abcd0001.sql")).expect("file");
    assert!(text.contains("-- message: empty message\n"), "{text}");
    assert_eq!(
        p.run(&["history"]).ok().stdout,
        "<base> -> abcd0001 (head), empty message\n"
    );
}

/// A shell script that appends its arguments, prefixed by `tag`, to `log`.
fn recording_editor(p: &TestProject, name: &str, tag: &str, status: i32) -> String {
    let path = p.path(name);
    let log = p.path("editor.log");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\necho \"{tag} $*\" >> '{}'\nexit {status}\n",
            log.display()
        ),
    )
    .expect("editor");
    make_executable(&path);
    path.display().to_string()
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn edit_opens_the_file_in_visual_else_editor() {
    let p = TestProject::example();
    let visual = recording_editor(&p, "visual.sh", "visual", 0);
    let editor = recording_editor(&p, "editor.sh", "editor", 0);
    let file = p.path("migrations/f19b3d8c6e27_add_users_name_index.sql");
    p.run_env(
        &["edit", "f19b"],
        &[("VISUAL", &visual), ("EDITOR", &editor)],
    )
    .ok();
    let mut command = p.command(&["edit", "head"]);
    command.env_remove("VISUAL").env("EDITOR", &editor);
    assert!(command.status().expect("run").success());
    // An editor with arguments is a command line, as git runs it.
    let with_flag = format!("{editor} --wait");
    let mut command = p.command(&["edit", "e7c0"]);
    command.env_remove("VISUAL").env("EDITOR", &with_flag);
    assert!(command.status().expect("run").success());
    let users = p.path("migrations/e7c04f9d2a15_create_users.sql");
    assert_eq!(
        std::fs::read_to_string(p.path("editor.log")).expect("log"),
        format!(
            "visual {}\neditor {}\neditor --wait {}\n",
            file.display(),
            file.display(),
            users.display()
        )
    );
    // A failing editor is an error; an unknown revision is one before any editor runs.
    let failing = recording_editor(&p, "failing.sh", "failing", 3);
    p.run_env(&["edit", "head"], &[("VISUAL", &failing)])
        .fails(1, "exited with exit status: 3");
    p.run_env(&["edit", "zzzz"], &[("VISUAL", &visual)])
        .fails(1, "unknown revision 'zzzz'");
    // Neither variable: Alembic's fallbacks on PATH, else a message naming both.
    let bin = p.path("bin");
    std::fs::create_dir(&bin).expect("bin");
    std::fs::copy(p.path("editor.sh"), bin.join("nano")).expect("nano");
    make_executable(&bin.join("nano"));
    let mut command = p.command(&["edit", "head"]);
    command
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .env("PATH", &bin);
    assert!(command.status().expect("run").success());
    assert!(std::fs::read_to_string(p.path("editor.log"))
        .expect("log")
        .ends_with(&format!("editor {}\n", file.display())));
    let empty = p.path("empty");
    std::fs::create_dir(&empty).expect("empty");
    let mut command = p.command(&["edit", "head"]);
    command
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .env("PATH", &empty);
    let output = command.output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("set VISUAL or EDITOR"));
    // `edit current` on a database with no version rows.
    p.run_env(&["edit", "current"], &[("VISUAL", &visual)])
        .fails(1, "names no revision");
}

#[test]
fn ensure_version_creates_the_tables_and_stamps_nothing() {
    let p = TestProject::example();
    let script = p.run(&["ensure-version", "--sql"]).ok().stdout;
    assert!(!p.path("app.db").exists());
    p.run(&["ensure-version"]).ok();
    assert_eq!(p.tables(), ["migrate_version", "migrate_version_history"]);
    assert_eq!(p.count("SELECT count(*) FROM migrate_version"), 0);
    assert_eq!(p.count("SELECT count(*) FROM migrate_version_history"), 0);
    assert_eq!(p.run(&["current"]).ok().stdout, "");
    // Again: nothing changes; the printed statements are the ones run.
    p.run(&["ensure-version"]).ok();
    let sql = p.strings(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'migrate%' ORDER BY name",
    );
    for statement in sql {
        let printed = statement.replacen("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1);
        assert!(script.contains(&printed), "{printed} not in {script}");
    }
    p.run(&["upgrade"]).ok();
    assert_eq!(p.version_rows(), [HEAD]);
}

fn two_dir_project() -> TestProject {
    let p = TestProject::with_config(
        "[database]\nurl = \"sqlite:///app.db\"\n[migrations]\ndirs = [\"migrations\", \"billing/migrations\"]\n",
    );
    std::fs::create_dir_all(p.path("billing/migrations")).expect("dir");
    p.revision(
        "aaaa0001",
        "",
        "CREATE TABLE a (id INTEGER);",
        "DROP TABLE a;",
    );
    p.write(
        "billing/migrations/bbbb0001_b.sql",
        "-- revision: bbbb0001\n-- revises: aaaa0001\n-- message: b\n\n\
         -- migrate:upgrade\nCREATE TABLE b (id INTEGER);\n\n-- migrate:downgrade\nDROP TABLE b;\n",
    );
    p
}

#[test]
fn several_migration_directories_form_one_graph() {
    let p = two_dir_project();
    assert_eq!(
        p.run(&["history"]).ok().stdout,
        "aaaa0001 -> bbbb0001 (head), b\n<base> -> aaaa0001, rev aaaa0001\n"
    );
    p.run(&["upgrade"]).ok();
    assert_eq!(
        p.tables(),
        ["a", "b", "migrate_version", "migrate_version_history"]
    );

    // A new revision goes beside its parent, or where --version-path says.
    let run = p.run(&["revision", "-m", "c", "--rev-id", "cccc0001"]).ok();
    assert!(
        p.path("billing/migrations/cccc0001_c.sql").exists(),
        "{run:?}"
    );
    p.run(&[
        "revision",
        "-m",
        "d",
        "--rev-id",
        "dddd0001",
        "--version-path",
        "migrations",
    ])
    .ok();
    assert!(p.path("migrations/dddd0001_d.sql").exists());
    assert_eq!(p.run(&["heads"]).ok().stdout, "dddd0001 (head)\n");
    // An absolute path names the directory too.
    let abs = p.path("billing/migrations").display().to_string();
    p.run(&["revision", "--rev-id", "eeee0001", "--version-path", &abs])
        .ok();
    assert!(p.path("billing/migrations/eeee0001.sql").exists());

    p.run(&["revision", "-m", "x", "--version-path", "elsewhere"])
        .fails(
            2,
            "--version-path 'elsewhere' is not one of the migrations directories",
        );
    p.run(&["revision", "-m", "x", "--head", "base"])
        .fails(2, "pass --version-path DIR");
    // One id in two directories is an error naming both files.
    p.write(
        "billing/migrations/aaaa0001_again.sql",
        "-- revision: aaaa0001\n-- revises:\n-- message: again\n\n-- migrate:upgrade\n\n-- migrate:downgrade\n",
    );
    let run = p.run(&["heads"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("aaaa0001"), "{run:?}");
}

#[test]
fn dir_and_dirs_together_are_refused() {
    let p = TestProject::with_config(
        "[database]\nurl = \"sqlite:///app.db\"\n[migrations]\ndir = \"m\"\ndirs = [\"a\"]\n",
    );
    p.run(&["heads"]).fails(
        1,
        "config.toml:5: migrations.dirs and migrations.dir are both set",
    );
    let p = TestProject::with_config("[migrations]\ndirs = []\n");
    p.run(&["heads"]).fails(
        1,
        "migrations.dirs must be a non-empty array of directories",
    );
}

#[test]
fn mistyped_targets_get_suggestions_and_short_prefixes_say_why() {
    let p = TestProject::example();
    p.run(&["upgrade", "f19c"])
        .fails(1, "unknown revision 'f19c' (did you mean 'f19b3d8c6e27'?)");
    p.run(&["upgrade", "haed"])
        .fails(1, "unknown revision 'haed' (did you mean 'head'?)");
    p.run(&["show", "e7c04f9d2a1x"])
        .fails(1, "(did you mean 'e7c04f9d2a15'?)");
    p.run(&["show", "f19"]).fails(
        1,
        "unknown revision 'f19'; a revision prefix needs at least 4 characters",
    );
    let run = p
        .run(&["show", "zzzzzz"])
        .fails(1, "unknown revision 'zzzzzz'");
    assert!(!run.stderr.contains("did you mean"), "{run:?}");

    let p = TestProject::new();
    p.revision_with(
        "aaaa0001",
        "",
        "-- branch_labels: billing\n",
        "CREATE TABLE a (id INTEGER);",
        "DROP TABLE a;",
    );
    p.run(&["upgrade", "biling@head"])
        .fails(1, "unknown branch label 'biling' (did you mean 'billing'?)");
}

#[test]
fn stamp_over_an_unknown_revision_suggests_purge() {
    let p = TestProject::example();
    p.run(&["upgrade"]).ok();
    p.db()
        .execute_batch("UPDATE migrate_version SET version_num = 'dead0000beef'")
        .expect("update");
    p.run(&["stamp", "head"]).fails(
        1,
        "the database is at revision dead0000beef, which no revision file defines; run `migrate stamp head --purge`",
    );
    p.run(&["stamp", "head", "--purge"]).ok();
    assert_eq!(p.version_rows(), [HEAD]);
}

#[test]
fn the_duration_printed_is_the_one_recorded() {
    let p = TestProject::new();
    // Enough rows that the work takes whole milliseconds.
    for (i, parent) in [(1, ""), (2, "aaaa0001"), (3, "aaaa0002")] {
        p.revision(
            &format!("aaaa000{i}"),
            parent,
            &format!(
                "CREATE TABLE t{i} (id INTEGER PRIMARY KEY, v TEXT);\n\
                 WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 20000)\n\
                 INSERT INTO t{i} (v) SELECT printf('%0100d', x) FROM n;"
            ),
            &format!("DROP TABLE t{i};"),
        );
    }
    let run = p.run(&["upgrade"]).ok();
    let printed: Vec<String> = run
        .stderr
        .lines()
        .filter_map(|line| {
            let (_, tail) = line.rsplit_once(" (")?;
            Some(tail.strip_suffix(" ms)")?.to_string())
        })
        .collect();
    let recorded =
        p.strings("SELECT CAST(duration_ms AS TEXT) FROM migrate_version_history ORDER BY id");
    assert_eq!(printed.len(), 3, "{}", run.stderr);
    assert_eq!(printed, recorded, "{}", run.stderr);
}
