//! Scratch databases on PostgreSQL: made on the server (or dev_url's), dropped when done,
//! when schema.sql fails, and when the command is interrupted (the scenarios shared with
//! MySQL are in server_scratch.rs; here is PostgreSQL's data for them); a schema that
//! loads only statement by statement, and one that reaches outside its scratch database.

use crate::server_scratch::{self as shared, Scratching};
use crate::servers::{postgres_admin_url, Pg, PgDatabase};
use crate::thin_tests;
use migrate::dialect::postgres::{ConnectSettings, LockMode, PgDriver};
use migrate::url::DatabaseUrl;
use std::path::Path;

impl Scratching for Pg {
    const CURRENT_DATABASE: &'static str = "SELECT current_database()";
    fn scratch_databases(pid: u32) -> String {
        format!(
            "SELECT datname FROM pg_database WHERE datname LIKE 'migrate\\_scratch\\_{pid}\\_%'"
        )
    }
    fn scratch_sessions(pid: u32) -> String {
        format!(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname LIKE 'migrate\\_scratch\\_{pid}\\_%'"
        )
    }
    const SLEEP: &'static str = "SELECT pg_sleep(20);";
    const SLEEPING: &'static str = " AND query LIKE '%pg_sleep%' AND state = 'active'";
    const DUPLICATE_TABLE: &'static str = "relation \"a\" already exists";
    fn dev_url() -> String {
        let admin = postgres_admin_url();
        let dev = admin.replace("127.0.0.1:5432", "127.0.0.1:5998");
        assert_ne!(dev, admin);
        dev
    }
    const DEV_REFUSED: &'static str =
        "cannot connect to PostgreSQL at 127.0.0.1:5998 as user postgres: connection refused";
}

/// On schema `app`: the scratch database's connection reads that schema.
#[test]
fn a_scratch_database_is_made_on_the_server_and_dropped_with_its_value() {
    let Some(db) = PgDatabase::create("pg scratch value") else {
        return;
    };
    let DatabaseUrl::Postgres(url) = DatabaseUrl::parse(&db.url(), Path::new("/")).unwrap() else {
        unreachable!()
    };
    let settings = ConnectSettings::from_url(&url).unwrap();
    let server = PgDriver::connect(&settings, LockMode::Advisory, vec!["app".into()]).unwrap();
    shared::a_scratch_database_is_made_and_dropped_with_its_value(
        &db,
        Box::new(server),
        |driver, _| assert_eq!(driver.namespaces(), ["app"]),
    );
}

thin_tests! {
    a_failing_schema_leaves_no_scratch_database =>
        shared::a_failing_schema_leaves_no_scratch_database::<Pg>("pg scratch failing");
    an_interrupted_check_drops_its_scratch_database =>
        shared::an_interrupted_check_drops_its_scratch_database::<Pg>("pg scratch sigint");
    dev_url_is_where_the_scratch_database_is_made =>
        shared::dev_url_is_where_the_scratch_database_is_made::<Pg>("pg scratch dev url");
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
    let p = shared::checked_project(&db, schema);
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
    let p = shared::checked_project(&db, &schema);
    p.run(&["check"]).fails(
        1,
        "schema.sql:2: statement 2 of the desired schema is refused: DROP DATABASE acts outside the scratch database",
    );
    let mut client = db.client();
    let row = client.query_one("SELECT current_database()", &[]).unwrap();
    assert_eq!(row.get::<_, String>(0), db.name);
}
