//! Scratch databases on a server engine, written once for PostgreSQL and MariaDB/MySQL:
//! made on the server (or dev_url's), dropped when done, when schema.sql fails, and when
//! the command is interrupted, judged by the server's own list of databases and sessions.
//! The thin `#[test]`s are in postgres_scratch.rs and mysql_scratch.rs; what differs
//! between the engines (catalog queries, messages, the sleeping statement) is the data
//! of [`Scratching`].

use crate::project::TestProject;
use crate::server_connect::value;
use crate::servers::{Database, Engine};
use migrate::dialect::Driver;

/// The engine's side of scratch databases.
pub trait Scratching: Engine {
    /// The query of the connected database's name.
    const CURRENT_DATABASE: &'static str;
    /// The query of the names of the scratch databases of the process `pid`.
    fn scratch_databases(pid: u32) -> String;
    /// The query of how many sessions are connected to a scratch database of `pid`.
    fn scratch_sessions(pid: u32) -> String;
    /// A statement that sleeps 20 s, and the condition (to add to the query of the
    /// sessions) that a session runs it.
    const SLEEP: &'static str;
    const SLEEPING: &'static str;
    /// The server's reason when schema.sql creates table `a` twice.
    const DUPLICATE_TABLE: &'static str;
    /// The test server's URL with a port nothing listens on, and the error for it.
    fn dev_url() -> String;
    const DEV_REFUSED: &'static str;
}

/// A project on `db` at head of one revision, with `schema` as schema.sql.
pub fn checked_project<E: Scratching>(db: &Database<E>, schema: &str) -> TestProject {
    let p = db.project();
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

/// `server` (a driver on `db`) makes a scratch database of this process on its server,
/// connected to it; `check` then judges it (by its connection and name) as the engine
/// has it made; the value's drop drops it.
pub fn a_scratch_database_is_made_and_dropped_with_its_value<E: Scratching>(
    db: &Database<E>,
    mut server: Box<dyn Driver>,
    check: impl FnOnce(&mut dyn Driver, &str),
) {
    let mut scratch = server.create_scratch().unwrap();
    let driver = scratch.driver();
    let name = value(driver, E::CURRENT_DATABASE);
    let pid = std::process::id();
    assert!(
        name.starts_with(&format!("migrate_scratch_{pid}_")),
        "{name}"
    );
    driver
        .execute("CREATE TABLE x (id INT, s VARCHAR(5))")
        .unwrap();
    assert!(driver.table_exists("x").unwrap());
    check(driver, &name);
    assert!(db.strings(&E::scratch_databases(pid)).contains(&name));
    drop(scratch);
    assert!(!db.strings(&E::scratch_databases(pid)).contains(&name));
}

pub fn a_failing_schema_leaves_no_scratch_database<E: Scratching>(label: &str) {
    let Some(db) = Database::<E>::create(label) else {
        return;
    };
    let p = checked_project(&db, "CREATE TABLE a (id INT);\nCREATE TABLE a (id INT);\n");
    let (pid, run) = p.run_with_pid(&["check"]);
    run.fails(
        1,
        &format!(
            "schema.sql:2: statement 2 of the desired schema failed: {}",
            E::DUPLICATE_TABLE
        ),
    );
    assert_eq!(db.strings(&E::scratch_databases(pid)), Vec::<String>::new());
}

pub fn an_interrupted_check_drops_its_scratch_database<E: Scratching>(label: &str) {
    let Some(db) = Database::<E>::create(label) else {
        return;
    };
    let p = checked_project(&db, &format!("CREATE TABLE a (id INT);\n{}\n", E::SLEEP));
    // Interrupted while schema.sql sleeps in the scratch database.
    let (pid, run) = p.interrupt_when(&["check"], |pid| {
        db.strings(&format!("{}{}", E::scratch_sessions(pid), E::SLEEPING)) == ["1"]
    });
    assert_eq!(run.code, 130, "{run:?}");
    assert_eq!(db.strings(&E::scratch_databases(pid)), Vec::<String>::new());
    // Its session was ended, not left sleeping.
    assert_eq!(db.strings(&E::scratch_sessions(pid)), ["0"]);
}

pub fn dev_url_is_where_the_scratch_database_is_made<E: Scratching>(label: &str) {
    let Some(db) = Database::<E>::create(label) else {
        return;
    };
    let p = checked_project(&db, "CREATE TABLE a (id INT);\n");
    let config = std::fs::read_to_string(p.path("config.toml")).unwrap();
    p.write(
        "config.toml",
        &config.replace(
            "[database]\n",
            &format!("[database]\ndev_url = \"{}\"\n", E::dev_url()),
        ),
    );
    p.run(&["check"]).fails(1, E::DEV_REFUSED);
}
