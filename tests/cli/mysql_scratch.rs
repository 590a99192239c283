//! Scratch databases on MariaDB/MySQL: made on the server (or dev_url's) with the live
//! database's character set, dropped when done, when schema.sql fails, and when the
//! command is interrupted. The server's information_schema judges.

use crate::mysql_apply::{address, project, strings};
use crate::project::TestProject;
use crate::servers::{mysql_admin_url, MyDatabase};
use migrate::dialect::mysql::{ConnectSettings, MysqlDriver};
use migrate::dialect::Driver;
use migrate::url::DatabaseUrl;
use mysql::prelude::Queryable;
use std::path::Path;

/// The scratch databases of the process `pid` left on the server.
fn scratch_databases(db: &MyDatabase, pid: u32) -> Vec<String> {
    strings(
        db,
        &format!(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA \
             WHERE SCHEMA_NAME LIKE 'migrate\\_scratch\\_{pid}\\_%'"
        ),
    )
}

/// A project on `db` at head of one revision, with `schema` as schema.sql.
fn checked_project(db: &MyDatabase, schema: &str) -> TestProject {
    let p = project(db);
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id INT);",
        "DROP TABLE t;",
    );
    p.run(&["upgrade", "head"]).ok();
    p.write("schema.sql", schema);
    p
}

#[test]
fn a_scratch_database_is_made_like_the_live_one_and_dropped_with_its_value() {
    let Some(db) = MyDatabase::create("my scratch value") else {
        return;
    };
    // A database whose defaults differ from the server's.
    db.conn()
        .query_drop(format!(
            "ALTER DATABASE `{}` CHARACTER SET latin1 COLLATE latin1_swedish_ci",
            db.name
        ))
        .unwrap();
    let DatabaseUrl::Mysql(url) = DatabaseUrl::parse(&db.url(), Path::new("/")).unwrap() else {
        unreachable!()
    };
    let mut server = MysqlDriver::connect(&ConnectSettings::from_url(&url).unwrap()).unwrap();
    let mut scratch = server.create_scratch().unwrap();
    let driver = scratch.driver();
    let name = driver.query("SELECT DATABASE()").unwrap()[0][0]
        .clone()
        .unwrap();
    let prefix = format!("migrate_scratch_{}_", std::process::id());
    assert!(name.starts_with(&prefix), "{name}");
    driver
        .execute("CREATE TABLE x (id INT, s VARCHAR(5))")
        .unwrap();
    assert!(driver.table_exists("x").unwrap());
    let defaults = format!(
        "SELECT concat(DEFAULT_CHARACTER_SET_NAME, ' ', DEFAULT_COLLATION_NAME) \
         FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{name}'"
    );
    assert_eq!(strings(&db, &defaults), ["latin1 latin1_swedish_ci"]);
    drop(scratch);
    assert_eq!(strings(&db, &defaults), Vec::<String>::new());
}

#[test]
fn a_failing_schema_leaves_no_scratch_database() {
    let Some(db) = MyDatabase::create("my scratch failing") else {
        return;
    };
    let p = checked_project(&db, "CREATE TABLE a (id INT);\nCREATE TABLE a (id INT);\n");
    let (pid, run) = p.run_with_pid(&["check"]);
    run.fails(
        1,
        "schema.sql:2: statement 2 of the desired schema failed: Table 'a' already exists (error 1050)",
    );
    assert_eq!(scratch_databases(&db, pid), Vec::<String>::new());
}

#[test]
fn an_interrupted_check_drops_its_scratch_database() {
    let Some(db) = MyDatabase::create("my scratch sigint") else {
        return;
    };
    let p = checked_project(&db, "CREATE TABLE a (id INT);\nDO SLEEP(20);\n");
    // Interrupted while schema.sql sleeps in the scratch database.
    let sessions = |pid: u32| {
        format!(
            "SELECT count(*) FROM information_schema.PROCESSLIST \
             WHERE DB LIKE 'migrate\\_scratch\\_{pid}\\_%'"
        )
    };
    let (pid, run) = p.interrupt_when(&["check"], |pid| {
        strings(
            &db,
            &format!("{} AND INFO LIKE '%SLEEP(20)%'", sessions(pid)),
        ) == ["1"]
    });
    assert_eq!(run.code, 130, "{run:?}");
    assert_eq!(scratch_databases(&db, pid), Vec::<String>::new());
    // Its session was ended, not left sleeping.
    assert_eq!(strings(&db, &sessions(pid)), ["0"]);
}

#[test]
fn dev_url_is_where_the_scratch_database_is_made() {
    let Some(db) = MyDatabase::create("my scratch dev url") else {
        return;
    };
    let p = checked_project(&db, "CREATE TABLE a (id INT);\n");
    let admin = mysql_admin_url();
    let dev = admin.replace(&address(&admin), "127.0.0.1:3998");
    assert_ne!(dev, admin);
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
        "cannot connect to MySQL/MariaDB at 127.0.0.1:3998 as user root: connection refused",
    );
}
