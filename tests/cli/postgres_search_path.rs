//! The search_path does not leak into what the tool compares or records: a schema.sql
//! that changes it (as pg_dump's output does), a database whose default differs from a
//! scratch database's, and a revision that changes it for its session.

use crate::servers::PgDatabase;

/// A schema in `app` whose server renderings name a type, a table and a function: each
/// written qualified or not depending on the search_path.
const SCHEMA: &str = "CREATE TYPE app.mood AS ENUM ('ok', 'sad');
CREATE TABLE app.t (id integer PRIMARY KEY, m app.mood DEFAULT 'ok');
CREATE VIEW app.v AS SELECT t.id, t.m FROM app.t;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER tr BEFORE UPDATE ON app.t FOR EACH ROW EXECUTE FUNCTION app.touch();
";

/// Autogenerates from `db` (empty) to `schema` (managing the schema `namespace`),
/// upgrades, and expects `check` to pass.
fn round_trip(db: &PgDatabase, namespace: &str, schema: &str) {
    let p = db.project();
    let config = std::fs::read_to_string(p.path("config.toml")).unwrap();
    p.write(
        "config.toml",
        &config.replace(
            "[database]\n",
            &format!("[database]\nschemas = [\"{namespace}\"]\n"),
        ),
    );
    p.write("schema.sql", schema);
    p.run(&["revision", "--autogenerate", "-m", "init"]).ok();
    p.run(&["upgrade", "head"]).ok();
    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "check after upgrade: {check:?}");
    assert_eq!(
        db.strings(&format!("SELECT count(*) FROM {namespace}.v")),
        ["0"]
    );
}

#[test]
fn a_schema_file_emptying_the_search_path_passes_check_once_applied() {
    let Some(db) = PgDatabase::create("pg search_path schema") else {
        return;
    };
    // pg_dump's first statements; the objects in `public`, which the live database's
    // search_path finds and the scratch session's (emptied) does not.
    round_trip(
        &db,
        "public",
        &format!(
            "SELECT pg_catalog.set_config('search_path', '', false);\n{}",
            SCHEMA.replace("app.", "public.")
        ),
    );
}

#[test]
fn a_database_search_path_passes_check_once_applied() {
    let Some(db) = PgDatabase::create("pg search_path database") else {
        return;
    };
    db.client()
        .batch_execute(&format!(
            "ALTER DATABASE \"{}\" SET search_path = app, public",
            db.name
        ))
        .unwrap();
    round_trip(&db, "app", &format!("CREATE SCHEMA app;\n{SCHEMA}"));
}

#[test]
fn a_revision_emptying_the_search_path_is_still_recorded() {
    revision_emptying_the_search_path("");
}

#[test]
fn a_revision_emptying_the_search_path_is_still_recorded_under_the_table_lease() {
    revision_emptying_the_search_path("lock = \"table\"\n");
}

/// Two revisions, the first emptying the session's search_path, applied and reverted with
/// `lock` (a line of `[database]`).
fn revision_emptying_the_search_path(lock: &str) {
    let Some(db) = PgDatabase::create("pg search_path revision") else {
        return;
    };
    let p = db.project();
    let config = std::fs::read_to_string(p.path("config.toml")).unwrap();
    p.write(
        "config.toml",
        &config.replace("[database]\n", &format!("[database]\n{lock}")),
    );
    // A baseline pasted from pg_dump's output starts with this line.
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.t (id int);",
        "DROP TABLE public.t;",
    );
    // Outside a transaction, after the search_path the first one left.
    p.revision_with(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        "-- transaction: none\n",
        "CREATE TABLE public.u (id int);",
        "DROP TABLE public.u;",
    );
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(
        db.strings("SELECT version_num FROM public.migrate_version"),
        ["b2b2b2b2b2b2"]
    );
    assert_eq!(
        db.strings("SELECT version_num || ' ' || operation FROM public.migrate_version_history ORDER BY id"
        ),
        ["a1a1a1a1a1a1 upgrade", "b2b2b2b2b2b2 upgrade"]
    );
    p.run(&["downgrade", "base"]).ok();
    assert_eq!(
        db.strings("SELECT count(*) FROM public.migrate_version"),
        ["0"]
    );
}
