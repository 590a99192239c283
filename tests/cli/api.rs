//! The library API (`migrate::Migrations`): the engine the CLI runs, called from Rust,
//! with typed errors; judged by SQLite's and PostgreSQL's own catalogs and by the CLI.

use crate::oracle::{assert_same, Catalog};
use crate::project::TestProject;
use crate::servers::PgDatabase;
use migrate::engine::{Access, ConnectOptions};
use migrate::{Direction, Error, Migrations};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A revision file's text.
fn revision(id: &str, revises: &str, upgrade: &str, downgrade: &str) -> String {
    format!(
        "-- revision: {id}\n-- revises: {revises}\n\n-- migrate:upgrade\n{upgrade}\n\n\
         -- migrate:downgrade\n{downgrade}\n"
    )
}

fn sqlite_url(p: &TestProject) -> String {
    format!("sqlite:///{}", p.path("app.db").display())
}

#[test]
fn embedded_upgrade_is_read_back_by_the_cli_and_sqlite_catalog() {
    let p = TestProject::new();
    let one = revision(
        "a1",
        "",
        "CREATE TABLE users (id INTEGER);",
        "DROP TABLE users;",
    );
    let two = revision(
        "a2",
        "a1",
        "CREATE INDEX ix_users_id ON users (id);",
        "DROP INDEX ix_users_id;",
    );
    let files = [("m/a1.sql", one.as_str()), ("m/a2.sql", two.as_str())];
    let migrator = Migrations::embedded(&files)
        .migrator_for(&sqlite_url(&p))
        .unwrap();
    assert_eq!(migrator.upgrade("head").unwrap(), ["a1", "a2"]);
    assert_eq!(
        p.strings("SELECT name FROM sqlite_master WHERE name NOT LIKE 'migrate%' AND name NOT LIKE 'sqlite%' ORDER BY name"),
        ["ix_users_id", "users"]
    );
    // The CLI sees the same version table (same files, so the same checksums).
    p.write("migrations/a1.sql", &one);
    p.write("migrations/a2.sql", &two);
    assert_eq!(p.run(&["current"]).ok().stdout.trim(), "a2 (head)");
    assert_eq!(migrator.downgrade("-1").unwrap(), ["a2"]);
    assert_eq!(p.version_rows(), ["a1"]);
    assert_eq!(migrator.current().unwrap(), ["a1"]);
}

#[test]
fn from_config_reads_the_project_as_the_cli_does() {
    let p = TestProject::new();
    p.revision("c1", "", "CREATE TABLE t (id INTEGER);", "DROP TABLE t;");
    let migrations = Migrations::from_config(p.path("config.toml")).unwrap();
    assert_eq!(
        migrations.migrator().settings().lock_timeout,
        Duration::from_secs(20)
    );
    assert_eq!(migrations.migrator().upgrade("head").unwrap(), ["c1"]);
    assert_eq!(
        p.tables(),
        ["migrate_version", "migrate_version_history", "t"]
    );
    p.run(&["downgrade", "base"]).ok();
    assert!(migrations.migrator().current().unwrap().is_empty());
}

#[test]
fn a_failed_statement_is_a_typed_error_naming_revision_file_and_line() {
    let p = TestProject::new();
    let bad = revision(
        "b1",
        "",
        "CREATE TABLE t (id INTEGER);\nINSERT INTO nope VALUES (1);",
        "DROP TABLE t;",
    );
    let migrator = Migrations::embedded(&[("m/b1.sql", &bad)])
        .migrator_for(&sqlite_url(&p))
        .unwrap();
    match migrator.upgrade("head") {
        Err(Error::Statement(e)) => {
            assert_eq!(e.revision.as_str(), "b1");
            // Line 6: two headers, a blank line, the marker, then the statements.
            assert_eq!(e.location, "m/b1.sql:6");
            assert_eq!(e.number, 2);
            assert!(e.cause.contains("no such table: nope"), "{e}");
        }
        other => panic!("expected Error::Statement, got {other:?}"),
    }
    // The transaction rolled back: SQLite's catalog has neither t nor a version row.
    assert!(!p.tables().contains(&"t".to_string()));
    assert!(p.version_rows().is_empty());
}

#[test]
fn config_graph_target_and_connection_errors_are_typed() {
    let p = TestProject::new();
    assert!(matches!(
        Migrations::from_config(p.path("missing.toml")),
        Err(Error::Config(_))
    ));
    let orphan = revision("o2", "o1", "SELECT 1;", "SELECT 1;");
    let graph = Migrations::embedded(&[("m/o2.sql", &orphan)])
        .migrator_for(&sqlite_url(&p))
        .unwrap();
    assert!(matches!(
        graph.upgrade("head"),
        Err(Error::RevisionGraph(_))
    ));
    let broken = Migrations::embedded(&[("m/x.sql", "-- revision: x\n")]).migrator();
    match broken.upgrade("head") {
        Err(Error::RevisionFile(e)) => assert!(e.to_string().starts_with("m/x.sql"), "{e}"),
        other => panic!("expected Error::RevisionFile, got {other:?}"),
    }
    let ok = revision("k1", "", "SELECT 1;", "SELECT 1;");
    let migrations = Migrations::embedded(&[("m/k1.sql", &ok)]);
    assert!(matches!(
        migrations
            .migrator_for(&sqlite_url(&p))
            .unwrap()
            .upgrade("x@y@z"),
        Err(Error::Target(_))
    ));
    assert!(matches!(
        migrations.migrator_for("nosuch"),
        Err(Error::Url(_))
    ));
    // A read-only run never creates the database: a missing file cannot be opened.
    let missing = format!("sqlite:///{}", p.path("no/such/dir/app.db").display());
    let missing = migrations.migrator_for(&missing).unwrap();
    assert!(matches!(missing.upgrade("head"), Err(Error::Connection(_))));
    // Nothing listens on port 1: the server cannot be reached.
    let unreachable = migrations
        .migrator_for("postgres://postgres@127.0.0.1:1/test?connect_timeout=2")
        .unwrap();
    match unreachable.current() {
        Err(Error::Connection(failure)) => {
            let message = failure.to_string();
            assert!(message.contains("127.0.0.1"), "{message}");
            // The message carries the driver's reason once: no source repeats it.
            assert!(std::error::Error::source(&failure).is_none());
        }
        other => panic!("expected Error::Connection, got {other:?}"),
    }
}

#[test]
fn a_changed_applied_revision_is_refused() {
    let p = TestProject::new();
    let url = sqlite_url(&p);
    let v1 = revision("h1", "", "CREATE TABLE t (id INTEGER);", "DROP TABLE t;");
    let v2 = revision(
        "h1",
        "",
        "CREATE TABLE t (id INTEGER, x TEXT);",
        "DROP TABLE t;",
    );
    let first = Migrations::embedded(&[("m/h1.sql", &v1)])
        .migrator_for(&url)
        .unwrap();
    first.upgrade("head").unwrap();
    let changed = Migrations::embedded(&[("m/h1.sql", &v2)])
        .migrator_for(&url)
        .unwrap();
    match changed.upgrade("head") {
        Err(Error::ChangedRevision(e)) => assert_eq!(e.revisions, ["h1 (m/h1.sql)"]),
        other => panic!("expected Error::ChangedRevision, got {other:?}"),
    }
}

#[test]
fn a_held_migration_lock_times_out_with_a_typed_error() {
    let p = TestProject::new();
    let ok = revision("l1", "", "CREATE TABLE t (id INTEGER);", "DROP TABLE t;");
    let migrations =
        Migrations::embedded(&[("m/l1.sql", &ok)]).lock_timeout(Duration::from_millis(300));
    let migrator = migrations.migrator_for(&sqlite_url(&p)).unwrap();
    // Another connection holds the run-wide lock, as a concurrent run would.
    let mut holder = migrate::engine::connect(
        &migrator.settings().database,
        &ConnectOptions::new(Access::ReadWrite),
    )
    .unwrap();
    let key = holder.lock_key("migrate_version");
    assert!(holder.try_lock(&key).unwrap());
    assert!(matches!(
        migrator.upgrade("head"),
        Err(Error::LockTimeout(_))
    ));
    holder.unlock(&key).unwrap();
    assert_eq!(migrator.upgrade("head").unwrap(), ["l1"]);
    assert!(p.tables().contains(&"t".to_string()));
}

#[test]
fn postgres_embedded_upgrade_lands_in_the_catalog() {
    let Some(db) = PgDatabase::create("api_upgrade") else {
        return;
    };
    let one = revision(
        "p1",
        "",
        "CREATE TABLE \"Users\" (id integer);",
        "DROP TABLE \"Users\";",
    );
    let migrator = Migrations::embedded(&[("m/p1.sql", &one)])
        .migrator_for(&db.url())
        .unwrap();
    assert_eq!(migrator.upgrade("head").unwrap(), ["p1"]);
    let mut client = db.client();
    let tables: Vec<String> = client
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(
        tables,
        ["Users", "migrate_version", "migrate_version_history"]
    );
    assert_eq!(migrator.current().unwrap(), ["p1"]);
}

#[test]
fn check_embedded_names_a_file_left_off_the_list() {
    let p = TestProject::new();
    let one = revision("e1", "", "SELECT 1;", "SELECT 1;");
    let two = revision("e2", "e1", "SELECT 2;", "SELECT 2;");
    p.write("migrations/e1.sql", &one);
    p.write("migrations/e2.sql", &two);
    let listed = [("migrations/e1.sql", one.as_str())];
    match migrate::check_embedded(p.path("migrations"), &listed) {
        Err(Error::RevisionFile(e)) => {
            assert!(e.path.ends_with("migrations/e2.sql"), "{e}");
            assert!(e.message.contains("not embedded"), "{e}");
        }
        other => panic!("expected Error::RevisionFile, got {other:?}"),
    }
    let all = [
        ("migrations/e1.sql", one.as_str()),
        ("migrations/e2.sql", two.as_str()),
    ];
    migrate::check_embedded(p.path("migrations"), &all).unwrap();
}

/// A revision run without a transaction stops at statement 2 (a typed `Statement`
/// error); with statement 1 edited since, the next run refuses to resume it with a typed
/// `DirtyRevision` whose message names the change; restored and fixed, it resumes.
#[test]
fn a_dirty_revision_whose_applied_statement_changed_is_a_typed_refusal() {
    let p = TestProject::new();
    let url = sqlite_url(&p);
    let file = |first: &str, second: &str| {
        format!(
            "-- revision: d1\n-- revises:\n-- transaction: none\n\n-- migrate:upgrade\n\
             {first}\n{second}\nCREATE TABLE three (id INTEGER);\n\n-- migrate:downgrade\n\
             DROP TABLE three;\nDROP TABLE one;\n"
        )
    };
    let run = |text: &str| {
        Migrations::embedded(&[("m/d1.sql", text)])
            .migrator_for(&url)
            .unwrap()
            .upgrade("head")
    };
    let one = "CREATE TABLE one (id INTEGER);";
    let failing = "INSERT INTO missing VALUES (1);";
    assert!(matches!(run(&file(one, failing)), Err(Error::Statement(_))));
    match run(&file("CREATE TABLE one (id INTEGER, x TEXT);", "SELECT 1;")) {
        Err(Error::DirtyRevision(e)) => {
            let message = e.to_string();
            assert!(
                message.contains("cannot resume it: statement(s) 1 changed"),
                "{message}"
            );
        }
        other => panic!("expected Error::DirtyRevision, got {other:?}"),
    }
    assert_eq!(run(&file(one, "SELECT 1;")).unwrap(), ["d1"]);
    let tables = p.tables();
    assert!(
        tables.contains(&"one".to_string()) && tables.contains(&"three".to_string()),
        "{tables:?}"
    );
}

/// `stamp`, `ensure_version`, `status` and the offline scripts of the API (the CLI's
/// `stamp`, `ensure-version`, `current` and `--sql` go through them), judged by SQLite's
/// own catalog, with the scripts run by SQLite itself.
#[test]
fn stamp_ensure_version_status_and_offline_scripts() {
    let p = TestProject::new();
    let url = sqlite_url(&p);
    let one = revision("s1", "", "CREATE TABLE a (id INTEGER);", "DROP TABLE a;");
    let two = revision("s2", "s1", "CREATE TABLE b (id INTEGER);", "DROP TABLE b;");
    let files = [("m/s1.sql", one.as_str()), ("m/s2.sql", two.as_str())];
    let migrator = Migrations::embedded(&files).migrator_for(&url).unwrap();

    assert_eq!(
        migrator.ensure_version().unwrap(),
        (
            "migrate_version".to_string(),
            "migrate_version_history".to_string()
        )
    );
    assert_eq!(p.tables(), ["migrate_version", "migrate_version_history"]);
    assert!(p.version_rows().is_empty());

    assert_eq!(migrator.stamp("s1", false).unwrap(), ["s1"]);
    assert_eq!(p.version_rows(), ["s1"]);
    // Stamping runs no revision: table a was never made.
    assert_eq!(p.tables(), ["migrate_version", "migrate_version_history"]);
    let status = migrator.status().unwrap();
    assert_eq!(status.rows.len(), 1);
    assert_eq!(status.rows[0].as_str(), "s1");
    assert!(status.dirty.is_empty());
    assert!(matches!(migrator.stamp("nope", false), Err(Error::Plan(_))));

    // The offline upgrade from s1 to head, run by SQLite on the stamped database.
    let script = migrator.script(Direction::Upgrade, "s1:head").unwrap();
    p.db().execute_batch(&script).unwrap();
    assert_eq!(
        p.tables(),
        ["b", "migrate_version", "migrate_version_history"]
    );
    assert_eq!(p.version_rows(), ["s2"]);
    assert_eq!(migrator.current().unwrap(), ["s2"]);

    // The stamp script and the version tables' script, on a fresh database.
    let fresh = rusqlite::Connection::open_in_memory().unwrap();
    fresh
        .execute_batch(&migrator.ensure_version_script())
        .unwrap();
    fresh
        .execute_batch(&migrator.stamp_script("s1").unwrap())
        .unwrap();
    let rows: Vec<String> = fresh
        .prepare("SELECT version_num FROM migrate_version")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows, ["s1"]);
    assert!(matches!(
        migrator.script(Direction::Upgrade, "zz:head"),
        Err(Error::Plan(_))
    ));
}

/// `check`, `autogenerate` and `dump` of the API (the CLI's `check`, `revision
/// --autogenerate` and `dump` go through them): the generated revision takes the database
/// to exactly what SQLite makes of schema.sql, and the dump loads back to it.
#[test]
fn check_autogenerate_and_dump_reach_what_sqlite_makes_of_schema_sql() {
    let p = TestProject::new();
    let schema = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n\
                  CREATE INDEX ix_users_email ON users (email);\n";
    p.write("schema.sql", schema);
    p.revision(
        "r1",
        "",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);",
        "DROP TABLE users;",
    );
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let migrator = |lines: &Arc<Mutex<Vec<String>>>| {
        let sink = lines.clone();
        Migrations::from_config(p.path("config.toml"))
            .unwrap()
            .migrator()
            .with_progress(move |line| sink.lock().unwrap().push(line.to_string()))
    };
    let first = migrator(&lines);
    match first.check() {
        Err(Error::Other(failure)) => {
            let message = failure.to_string();
            assert!(
                message.contains("it is behind, at base; head is r1"),
                "{message}"
            );
        }
        other => panic!("expected the database to be behind head, got {other:?}"),
    }
    assert_eq!(first.upgrade("head").unwrap(), ["r1"]);
    let check = first.check().unwrap();
    assert!(!check.matches());
    assert_eq!(check.operations.len(), 2, "{:?}", check.operations);

    lines.lock().unwrap().clear();
    let generated = first.autogenerate().unwrap().expect("changes to generate");
    assert_eq!(generated.operations, check.operations);
    let detected: Vec<String> = lines
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("Detected "))
        .cloned()
        .collect();
    assert_eq!(
        detected,
        check
            .operations
            .iter()
            .map(|op| format!("Detected {op}"))
            .collect::<Vec<_>>()
    );
    p.revision("r2", "r1", &generated.upgrade, &generated.downgrade);

    // A new migrator reads the new file (one reads the revision files once).
    let second = migrator(&lines);
    assert_eq!(second.upgrade("head").unwrap(), ["r2"]);
    assert_same(
        &Catalog::read(&p.db()),
        &Catalog::of_sql(schema),
        "upgraded",
    );
    assert!(second.check().unwrap().matches());
    assert_eq!(second.autogenerate().unwrap(), None);
    let dumped = second.dump().unwrap();
    assert_same(&Catalog::of_sql(&dumped), &Catalog::of_sql(schema), "dump");

    assert_eq!(second.downgrade("-1").unwrap(), ["r2"]);
    // `first` still has the graph of r1 alone, at whose head the database is again.
    assert_eq!(first.check().unwrap(), check);
    assert!(matches!(second.check(), Err(Error::Other(_))));
}
