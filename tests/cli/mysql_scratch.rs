//! Scratch databases on MariaDB/MySQL: made on the server (or dev_url's) with the live
//! database's character set, dropped when done, when schema.sql fails, and when the
//! command is interrupted. The scenarios are shared with PostgreSQL (server_scratch.rs);
//! here is MySQL's data for them. The server's information_schema judges.

use crate::mysql_apply::address;
use crate::server_scratch::{self as shared, Scratching};
use crate::servers::{mysql_admin_url, Engine, My, MyDatabase};
use crate::thin_tests;
use mysql::prelude::Queryable;

impl Scratching for My {
    const CURRENT_DATABASE: &'static str = "SELECT DATABASE()";
    fn scratch_databases(pid: u32) -> String {
        format!(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA \
             WHERE SCHEMA_NAME LIKE 'migrate\\_scratch\\_{pid}\\_%'"
        )
    }
    fn scratch_sessions(pid: u32) -> String {
        format!(
            "SELECT count(*) FROM information_schema.PROCESSLIST \
             WHERE DB LIKE 'migrate\\_scratch\\_{pid}\\_%'"
        )
    }
    const SLEEP: &'static str = "DO SLEEP(20);";
    const SLEEPING: &'static str = " AND INFO LIKE '%SLEEP(20)%'";
    const DUPLICATE_TABLE: &'static str = "Table 'a' already exists (error 1050)";
    fn dev_url() -> String {
        let admin = mysql_admin_url();
        let dev = admin.replace(&address(&admin), "127.0.0.1:3998");
        assert_ne!(dev, admin);
        dev
    }
    const DEV_REFUSED: &'static str =
        "cannot connect to MySQL/MariaDB at 127.0.0.1:3998 as user root: connection refused";
}

/// Of a database whose defaults differ from the server's: the scratch database has the
/// live one's character set and collation.
#[test]
fn a_scratch_database_is_made_like_the_live_one_and_dropped_with_its_value() {
    let Some(db) = MyDatabase::create("my scratch value") else {
        return;
    };
    db.conn()
        .query_drop(format!(
            "ALTER DATABASE `{}` CHARACTER SET latin1 COLLATE latin1_swedish_ci",
            db.name
        ))
        .unwrap();
    let server = My::connect(&db.url()).unwrap();
    shared::a_scratch_database_is_made_and_dropped_with_its_value(&db, server, |_, name| {
        let defaults = format!(
            "SELECT concat(DEFAULT_CHARACTER_SET_NAME, ' ', DEFAULT_COLLATION_NAME) \
             FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{name}'"
        );
        assert_eq!(db.strings(&defaults), ["latin1 latin1_swedish_ci"]);
    });
}

thin_tests! {
    a_failing_schema_leaves_no_scratch_database =>
        shared::a_failing_schema_leaves_no_scratch_database::<My>("my scratch failing");
    an_interrupted_check_drops_its_scratch_database =>
        shared::an_interrupted_check_drops_its_scratch_database::<My>("my scratch sigint");
    dev_url_is_where_the_scratch_database_is_made =>
        shared::dev_url_is_where_the_scratch_database_is_made::<My>("my scratch dev url");
}
