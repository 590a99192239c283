//! `revision --autogenerate` and `check` through the binary: the flow around the diff.

use crate::project::TestProject;

#[test]
fn the_example_project_at_head_matches_its_schema() {
    let p = TestProject::example();
    p.run(&["check"]).fails(
        1,
        "the database is not at head: it is behind, at base; head is f19b3d8c6e27",
    );
    p.run(&["revision", "--autogenerate", "-m", "x"])
        .fails(1, "run `migrate upgrade head` first");
    p.run(&["upgrade", "head"]).ok();
    let check = p.run(&["check"]).ok();
    assert!(check.stderr.contains("No changes detected"));
    let run = p.run(&["revision", "--autogenerate", "-m", "nothing"]).ok();
    assert!(run.stderr.contains("No changes detected"), "{run:?}");
    assert_eq!(run.stdout, "");
    assert_eq!(
        std::fs::read_dir(p.path("migrations"))
            .expect("dir")
            .count(),
        5
    );
}

#[test]
fn autogenerate_writes_a_revision_that_check_then_accepts() {
    let p = TestProject::example();
    p.run(&["upgrade", "head"]).ok();
    let schema = std::fs::read_to_string(p.path("schema.sql")).expect("schema");
    p.write(
        "schema.sql",
        &format!("{schema}\nCREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE);\nCREATE INDEX ix_notes_title ON notes (title);\n"),
    );
    let check = p.run(&["check"]).fails(1, "2 pending operation(s)");
    assert_eq!(
        check.stdout,
        "create index ix_notes_title on notes\ncreate table tags\n"
    );

    let run = p
        .run(&["revision", "--autogenerate", "-m", "add tags"])
        .ok();
    assert!(run.stderr.contains("Detected create table tags"), "{run:?}");
    let text = std::fs::read_to_string(run.stdout.trim()).expect("revision file");
    assert!(
        text.contains("-- revises: f19b3d8c6e27\n-- message: add tags\n"),
        "{text}"
    );
    assert!(
        text.contains("-- migrate:upgrade\nCREATE INDEX ix_notes_title ON notes (title);\n\nCREATE TABLE \"tags\" (\n"),
        "{text}"
    );
    assert!(text.contains("-- migrate:downgrade\n-- WARNING: drops table tags and all its rows\nDROP TABLE \"tags\";\n\nDROP INDEX \"ix_notes_title\";\n"), "{text}");
    p.run(&["upgrade", "head"]).ok();
    p.run(&["check"]).ok();
    p.run(&["downgrade", "-1"]).ok();
    p.run(&["check"]).fails(1, "it is behind, at ");
}

#[test]
fn schema_errors_name_the_file_line_and_statement() {
    let p = TestProject::new();
    p.write(
        "schema.sql",
        "CREATE TABLE a (id INTEGER);\n\nCREATE TABLE b (id INTEGER REFERENCES);\n",
    );
    p.run(&["check"])
        .fails(1, "schema.sql:3: statement 2 of the desired schema failed");
    p.write("schema.sql", "CREATE TABLE a (note TEXT DEFAULT 'open);\n");
    p.run(&["check"])
        .fails(1, "schema.sql:1: unterminated string literal");
    std::fs::remove_file(p.path("schema.sql")).expect("rm");
    p.run(&["revision", "--autogenerate", "-m", "x"])
        .fails(1, "schema.sql not found");
}

#[test]
fn a_schema_directory_loads_in_name_order() {
    let p = TestProject::with_config(
        "[database]\nurl = \"sqlite:///app.db\"\n[schema]\npath = \"schema\"\n",
    );
    std::fs::create_dir(p.path("schema")).expect("dir");
    p.write("schema/02_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\nCREATE VIEW order_users AS SELECT o.id, u.id AS uid FROM orders o JOIN users u ON u.id = o.user_id;\n");
    p.write(
        "schema/01_users.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
    );
    p.write("schema/notes.txt", "not sql");
    let run = p
        .run(&[
            "revision",
            "--autogenerate",
            "-m",
            "init",
            "--rev-id",
            "init",
        ])
        .ok();
    assert!(run.stderr.contains("Detected create view order_users"));
    p.run(&["upgrade", "head"]).ok();
    p.run(&["check"]).ok();
}

#[test]
fn unmanaged_objects_are_named_in_a_note_and_left_alone() {
    let p = TestProject::new();
    p.write("schema.sql", "CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT);\nCREATE VIRTUAL TABLE docs_fts USING fts5(body);\n");
    let run = p
        .run(&[
            "revision",
            "--autogenerate",
            "-m",
            "docs",
            "--rev-id",
            "docs",
        ])
        .ok();
    let text = std::fs::read_to_string(run.stdout.trim()).expect("file");
    assert!(
        text.contains(
            "-- NOTE: not managed by autogenerate and left alone: virtual table docs_fts"
        ),
        "{text}"
    );
    assert!(
        !text.contains("docs_fts_"),
        "shadow tables must not appear: {text}"
    );
    p.run(&["upgrade", "head"]).ok();
    p.run(&["check"]).ok();
}

#[test]
fn renames_are_flagged_and_warnings_precede_data_loss() {
    let p = TestProject::new();
    p.write(
        "schema.sql",
        "CREATE TABLE people (id INTEGER PRIMARY KEY, full_name TEXT);\n",
    );
    p.run(&[
        "revision",
        "--autogenerate",
        "-m",
        "people",
        "--rev-id",
        "r1",
    ])
    .ok();
    p.run(&["upgrade", "head"]).ok();
    p.db()
        .execute("INSERT INTO people (full_name) VALUES ('Ada')", [])
        .expect("seed");
    p.write(
        "schema.sql",
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);\n",
    );
    let run = p
        .run(&[
            "revision",
            "--autogenerate",
            "-m",
            "rename",
            "--rev-id",
            "r2",
        ])
        .ok();
    let text = std::fs::read_to_string(run.stdout.trim()).expect("file");
    assert!(
        text.contains("-- NOTE: a rename shows as a drop plus an add"),
        "{text}"
    );
    assert!(
        text.contains("-- WARNING: drops column people.full_name and its data\n"),
        "{text}"
    );
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(p.count("SELECT count(*) FROM people"), 1);
}

#[test]
fn a_type_spelled_another_way_plus_a_default_is_a_default_change_only() {
    let p = TestProject::new();
    p.write(
        "schema.sql",
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(10));\n",
    );
    p.run(&[
        "revision",
        "--autogenerate",
        "-m",
        "items",
        "--rev-id",
        "r1",
    ])
    .ok();
    p.run(&["upgrade", "head"]).ok();
    p.db()
        .execute("INSERT INTO items (name) VALUES ('kept')", [])
        .expect("seed");
    p.write(
        "schema.sql",
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name varchar(10) DEFAULT 'x');\n",
    );
    let check = p.run(&["check"]).fails(1, "1 pending operation(s)");
    assert_eq!(
        check.stdout,
        "alter table items: alter column items.name (default)\n"
    );
    let run = p
        .run(&[
            "revision",
            "--autogenerate",
            "-m",
            "default",
            "--rev-id",
            "r2",
        ])
        .ok();
    let text = std::fs::read_to_string(run.stdout.trim()).expect("file");
    assert!(!text.contains("WARNING"), "{text}");
    assert!(!text.contains("type"), "{text}");
    // SQLite has no ALTER COLUMN: a default change rebuilds, and says why.
    assert!(
        text.contains("cannot change the default of column \"name\""),
        "{text}"
    );
    p.run(&["upgrade", "head"]).ok();
    p.run(&["check"]).ok();
    assert_eq!(p.strings("SELECT name FROM items"), ["kept"]);
    p.run(&["downgrade", "-1"]).ok();
    assert_eq!(p.strings("SELECT name FROM items"), ["kept"]);
}

#[test]
fn names_with_line_breaks_stay_on_their_comment_line() {
    let p = TestProject::new();
    p.write(
        "schema.sql",
        "CREATE TABLE \"t\n3\" (id INTEGER PRIMARY KEY);\n",
    );
    let run = p.run(&["revision", "--autogenerate", "-m", "x"]).ok();
    assert!(
        run.stderr.contains("Detected create table t\\n3\n"),
        "{run:?}"
    );
    p.run(&["upgrade", "head"]).ok();
    // The downgrade's WARNING names the table on one line; a line `3 and all its rows`
    // would run as SQL and fail.
    p.run(&["downgrade", "base"]).ok();
    assert!(p.tables().iter().all(|t| t != "t\n3"));
}
