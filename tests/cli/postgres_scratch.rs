//! Scratch databases on PostgreSQL: made on the server (or dev_url's), dropped when done,
//! when schema.sql fails, and when the command is interrupted.

use crate::postgres_apply::{project, strings};
use crate::servers::{postgres_admin_url, PgDatabase};
use migrate::dialect::postgres::{ConnectSettings, LockMode, PgDriver};
use migrate::dialect::Driver;
use migrate::url::DatabaseUrl;
use std::path::Path;

/// The scratch databases of the process `pid` left on the server.
fn scratch_databases(db: &PgDatabase, pid: u32) -> Vec<String> {
    strings(
        db,
        &format!(
            "SELECT datname FROM pg_database WHERE datname LIKE 'migrate\\_scratch\\_{pid}\\_%'"
        ),
    )
}

/// A project on `db` at head of one revision, with `schema` as schema.sql.
fn checked_project(db: &PgDatabase, schema: &str) -> crate::project::TestProject {
    let p = project(db);
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id int);",
        "DROP TABLE t;",
    );
    p.run(&["upgrade", "head"]).ok();
    p.write("schema.sql", schema);
    p
}

#[test]
fn a_scratch_database_is_made_on_the_server_and_dropped_with_its_value() {
    let Some(db) = PgDatabase::create("pg scratch value") else {
        return;
    };
    let DatabaseUrl::Postgres(url) = DatabaseUrl::parse(&db.url(), Path::new("/")).unwrap() else {
        unreachable!()
    };
    let settings = ConnectSettings::from_url(&url).unwrap();
    let mut server = PgDriver::connect(&settings, LockMode::Advisory, vec!["app".into()]).unwrap();
    let mut scratch = server.create_scratch().unwrap();
    let driver = scratch.driver();
    let name = driver.query("SELECT current_database()").unwrap()[0][0]
        .clone()
        .unwrap();
    let prefix = format!("migrate_scratch_{}_", std::process::id());
    assert!(name.starts_with(&prefix), "{name}");
    assert_eq!(driver.namespaces(), ["app"]);
    driver.execute("CREATE TABLE x (id int)").unwrap();
    assert!(driver.table_exists("x").unwrap());
    assert_eq!(
        strings(
            &db,
            &format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'")
        ),
        ["1"]
    );
    drop(scratch);
    assert_eq!(
        strings(
            &db,
            &format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'")
        ),
        ["0"]
    );
}

#[test]
fn a_failing_schema_leaves_no_scratch_database() {
    let Some(db) = PgDatabase::create("pg scratch failing") else {
        return;
    };
    let p = checked_project(&db, "CREATE TABLE a (id int);\nCREATE TABLE a (id int);\n");
    let (pid, run) = p.run_with_pid(&["check"]);
    run.fails(
        1,
        "schema.sql:2: statement 2 of the desired schema failed: relation \"a\" already exists",
    );
    assert_eq!(scratch_databases(&db, pid), Vec::<String>::new());
}

#[test]
fn an_interrupted_check_drops_its_scratch_database() {
    let Some(db) = PgDatabase::create("pg scratch sigint") else {
        return;
    };
    let p = checked_project(&db, "CREATE TABLE a (id int);\nSELECT pg_sleep(20);\n");
    // Interrupted while schema.sql sleeps in the scratch database.
    let sleeping = |pid: u32| {
        format!(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname LIKE 'migrate\\_scratch\\_{pid}\\_%' AND query LIKE '%pg_sleep%'"
        )
    };
    let (pid, run) = p.interrupt_when(&["check"], |pid| {
        strings(&db, &format!("{} AND state = 'active'", sleeping(pid))) == ["1"]
    });
    assert_eq!(run.code, 130, "{run:?}");
    assert_eq!(scratch_databases(&db, pid), Vec::<String>::new());
    assert_eq!(strings(&db, &sleeping(pid)), ["0"]);
}

#[test]
fn dev_url_is_where_the_scratch_database_is_made() {
    let Some(db) = PgDatabase::create("pg scratch dev url") else {
        return;
    };
    let p = checked_project(&db, "CREATE TABLE a (id int);\n");
    let dev = postgres_admin_url().replace("127.0.0.1:5432", "127.0.0.1:5998");
    let config = std::fs::read_to_string(p.path("config.toml")).unwrap();
    p.write(
        "config.toml",
        &config.replace(
            "[database]\n",
            &format!("[database]\ndev_url = \"{dev}\"\n"),
        ),
    );
    p.run(&["check"]).fails(
        1,
        "cannot connect to PostgreSQL at 127.0.0.1:5998 as user postgres: connection refused",
    );
}

/// schema.sql is first sent whole, in one implicit transaction; a schema that only loads
/// statement by statement (a label added to an enum and then used, which PostgreSQL
/// refuses inside one transaction) still loads, through the second, careful pass.
#[test]
fn a_schema_that_cannot_load_in_one_transaction_loads_statement_by_statement() {
    let Some(db) = PgDatabase::create("pg scratch one by one") else {
        return;
    };
    let schema = "CREATE TYPE mood AS ENUM ('sad');\n\
                  ALTER TYPE mood ADD VALUE 'happy';\n\
                  CREATE TABLE people (id int PRIMARY KEY, m mood DEFAULT 'happy');\n";
    // The oracle: PostgreSQL refuses this schema as one transaction.
    let mut client = db.client();
    let refused = client
        .batch_execute(&format!("BEGIN;\n{schema}COMMIT;"))
        .expect_err("one transaction refuses the new label");
    assert!(
        format!("{refused:?}").contains("unsafe use of new value"),
        "{refused:?}"
    );
    let _ = client.batch_execute("ROLLBACK");
    drop(client);
    let p = checked_project(&db, schema);
    let run = p.run(&["revision", "--autogenerate", "-m", "people"]).ok();
    assert!(
        run.stderr.contains("Detected create table public.people"),
        "{run:?}"
    );
}

/// A desired schema that would act outside its scratch database (here: drop the live
/// database) is refused before anything is sent, naming file, line and statement; the
/// live database is untouched.
#[test]
fn a_schema_reaching_outside_its_scratch_database_is_refused() {
    let Some(db) = PgDatabase::create("pg scratch confined") else {
        return;
    };
    let schema = format!("CREATE TABLE a (id int);\nDROP DATABASE \"{}\";\n", db.name);
    let p = checked_project(&db, &schema);
    p.run(&["check"]).fails(
        1,
        "schema.sql:2: statement 2 of the desired schema is refused: DROP DATABASE acts outside the scratch database",
    );
    let mut client = db.client();
    let row = client.query_one("SELECT current_database()", &[]).unwrap();
    assert_eq!(row.get::<_, String>(0), db.name);
}
