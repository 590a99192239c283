//! Connecting to MySQL/MariaDB: errors that name the server but never the password,
//! ssl-mode judged by the server's own `Ssl_cipher`, Unix sockets, the session's setup
//! (charset, sql_mode and time_zone as the server has them, lock waits), and GET_LOCK
//! judged by IS_USED_LOCK. The scenarios both engines share are in server_connect.rs;
//! here is MySQL's data for them.

use crate::project::TestProject;
use crate::server_connect::{self as shared, value, Connecting, Verified};
use crate::servers::{Engine, My, MyDatabase};
use crate::thin_tests;
use migrate::dialect::{Driver, LockKey};
use std::path::Path;
use std::time::Duration;

impl Connecting for My {
    const CANNOT_CONNECT: &'static str = "cannot connect to MySQL/MariaDB at ";
    const REFUSED_URL: &'static str = "mysql://root:Sup3rS3cret@127.0.0.1:3999/test";
    const REFUSED: &'static str =
        "cannot connect to MySQL/MariaDB at 127.0.0.1:3999 as user root: connection refused";
    const UNKNOWN_DATABASE: &'static str = "Unknown database 'no_such_database_here' (error 1049)";
    const BAD_PARAMETERS: &'static [(&'static str, &'static str)] = &[
        ("sslrootcert=/ca.pem", "unknown MySQL URL key 'sslrootcert'"),
        ("charset=klingon", "charset 'klingon'"),
    ];

    const TLS_KEY: &'static str = "ssl-mode";
    const DISABLE: &'static str = "disabled";
    const PREFER: &'static str = "preferred";
    const REQUIRE: &'static str = "required";
    const VERIFY_CA: &'static str = "verify_ca";
    const REFUSED_WITHOUT_TLS: &'static [&'static str] = &["required", "VERIFY_IDENTITY"];
    fn without_tls(mode: &str) -> String {
        format!(
            ": the server does not support TLS, which ssl-mode={} requires",
            mode.to_uppercase()
        )
    }
    const UNKNOWN_ISSUER: &'static [&'static str] = &[": invalid peer certificate: UnknownIssuer"];
    /// The server's own CA: the chain verifies; only a certificate for another name may
    /// fail (see the guide's known limit).
    const SERVER_CERTIFICATE: &'static str = "SELECT @@ssl_ca";
    const ROOT_KEY: &'static str = "ssl-ca";
    const VERIFIED: &'static [(&'static str, Verified)] = &[
        ("verify_ca", Verified::Either),
        ("verify_identity", Verified::Either),
    ];
    fn uses_tls(driver: &mut dyn Driver) -> bool {
        let rows = driver
            .query("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
            .unwrap();
        !rows[0][1].clone().unwrap_or_default().is_empty()
    }
    fn server_has_tls(driver: &mut dyn Driver) -> bool {
        let have_ssl = driver.query("SHOW VARIABLES LIKE 'have_ssl'").unwrap();
        have_ssl
            .first()
            .and_then(|row| row[1].clone())
            .is_some_and(|v| v == "YES")
    }

    /// Whole seconds, rounded up.
    const BUSY_TIMEOUT: (Duration, &'static str, &'static str) = (
        Duration::from_millis(2500),
        "SELECT concat(@@lock_wait_timeout, ' ', @@innodb_lock_wait_timeout)",
        "3 3",
    );
    const CREATE_MIXED_CASE: &'static str = "CREATE TABLE `Mixed Case` (id int)";
    fn case_sensitive_names(driver: &mut dyn Driver) -> bool {
        value(driver, "SELECT @@lower_case_table_names") == "0"
    }
    const ELSEWHERE: &'static str = "TABLES";
    const VALUES: (&'static str, &'static [Option<&'static str>]) = (
        "SELECT 1, NULL, 'x', 2.50",
        &[Some("1"), None, Some("x"), Some("2.50")],
    );
    const NAMESPACES: &'static [&'static str] = &[""];

    const SESSION_ID: &'static str = "SELECT CONNECTION_ID()";
    fn holder_starts(id: &str) -> String {
        format!("connection {id}, user ")
    }
    const HOLDER_IDLE: &'static str = ", idle for ";
    fn held_by(key: &LockKey) -> String {
        let name = migrate::dialect::mysql::lock::lock_name(key);
        format!("SELECT IS_USED_LOCK('{name}')")
    }
}

fn connect(url: &str) -> Result<Box<dyn Driver>, String> {
    My::connect(url)
}

/// `db`'s URL with the password `password` (and the user it has).
fn with_password(db: &MyDatabase, password: &str) -> String {
    let url = db.url();
    let (scheme, rest) = url.split_once("://").unwrap();
    let (userinfo, host) = rest.rsplit_once('@').unwrap_or(("root", rest));
    let user = userinfo.split(':').next().unwrap();
    format!("{scheme}://{user}:{password}@{host}")
}

#[test]
fn a_wrong_password_gives_the_servers_reason_and_never_the_password() {
    let Some(db) = MyDatabase::create("my connect password") else {
        return;
    };
    let url = with_password(&db, "Sup3rS3cret");
    let p = TestProject::with_config(&format!("[database]\nurl = \"{url}\"\n"));
    let run = p
        .run(&["current"])
        .fails(1, "cannot connect to MySQL/MariaDB at ");
    assert!(
        run.stderr.contains("Access denied for user ")
            && run.stderr.contains("(using password: YES) (error 1045)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Sup3rS3cret"), "{}", run.stderr);
    assert!(!run.stdout.contains("Sup3rS3cret"), "{}", run.stdout);
}

thin_tests! {
    an_unreachable_port_is_named =>
        shared::a_refused_connection_names_the_server_but_not_the_password::<My>();
    an_unknown_database_and_an_unknown_key_are_named =>
        shared::an_unknown_database_and_an_unknown_parameter_are_named::<My>("my connect reason");
    ssl_modes_do_what_the_mysql_client_does =>
        shared::tls_modes_do_what_the_engines_client_does::<My>("my connect tls");
    the_session_waits_finds_tables_and_reads_as_text =>
        shared::the_session_waits_finds_and_reads_as_text::<My>("my connect driver");
    get_lock_is_exclusive_per_database_and_says_who_holds_it =>
        shared::the_lock_is_exclusive_and_says_who_holds_it::<My>("my connect lock");
}

#[test]
fn the_session_keeps_the_servers_modes_and_speaks_utf8mb4() {
    let Some(db) = MyDatabase::create("my connect session") else {
        return;
    };
    let mut driver = connect(&db.url()).unwrap();
    assert_eq!(
        value(
            &mut *driver,
            "SELECT concat_ws(',', @@character_set_client, @@character_set_connection, \
             @@character_set_results)"
        ),
        "utf8mb4,utf8mb4,utf8mb4"
    );
    assert_eq!(
        value(
            &mut *driver,
            "SELECT @@SESSION.sql_mode = @@GLOBAL.sql_mode AND @@SESSION.time_zone = @@GLOBAL.time_zone"
        ),
        "1"
    );
    let mut latin = connect(&db.url_with("charset=latin1")).unwrap();
    assert_eq!(
        value(&mut *latin, "SELECT @@character_set_client"),
        "latin1"
    );

    let version = value(&mut *driver, "SELECT VERSION()");
    let server = driver.dialect().server();
    assert_eq!(
        server.flavour,
        if version.contains("MariaDB") {
            "MariaDB"
        } else {
            "MySQL"
        }
    );
    let numbers: Vec<String> = server.numbers.iter().map(u32::to_string).collect();
    assert!(
        version.starts_with(&numbers.join(".")),
        "{version} {server:?}"
    );

    driver
        .execute("CREATE TABLE `Mixed Case` (id int)")
        .unwrap();
    // execute_many sends its statements in order and stops at the first failure.
    let many = [
        "INSERT INTO `Mixed Case` VALUES (1) -- a trailing comment".to_string(),
        "INSERT INTO `Mixed Case` VALUES (2)".to_string(),
    ];
    driver.execute_many(&many).unwrap();
    assert_eq!(
        value(&mut *driver, "SELECT count(*) FROM `Mixed Case`"),
        "2"
    );
    let failing = [
        "INSERT INTO `Mixed Case` VALUES (3)".to_string(),
        "INSERT INTO no_such_table VALUES (4)".to_string(),
        "INSERT INTO `Mixed Case` VALUES (5)".to_string(),
    ];
    let error = format!("{:#}", driver.execute_many(&failing).unwrap_err());
    assert!(
        error.contains("no_such_table' doesn't exist (error 1146)"),
        "{error}"
    );
    assert_eq!(
        value(
            &mut *driver,
            "SELECT group_concat(id ORDER BY id) FROM `Mixed Case`"
        ),
        "1,2,3"
    );
}

#[test]
fn a_unix_socket_is_a_host() {
    let Some(db) = MyDatabase::create("my connect socket") else {
        return;
    };
    let mut tcp = connect(&db.url()).unwrap();
    let socket = value(&mut *tcp, "SELECT @@socket");
    let tcp_host = value(
        &mut *tcp,
        "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()",
    );
    assert!(tcp_host.contains(':'), "{tcp_host}");
    if !Path::new(&socket).exists() {
        eprintln!("skipped: the server's socket {socket} is not on this machine");
        return;
    }
    for key in ["socket", "unix_socket"] {
        let url = db.url_with(&format!("{key}={socket}"));
        let mut driver = connect(&url).unwrap_or_else(|e| panic!("{url}: {e}"));
        // The server sees a local session, without a port.
        assert_eq!(
            value(
                &mut *driver,
                "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()"
            ),
            "localhost",
            "{url}"
        );
        assert_eq!(value(&mut *driver, "SELECT DATABASE()"), db.name);
    }
    let p = TestProject::with_config(&format!(
        "[database]\nurl = \"{}\"\n",
        db.url_with(&format!("unix_socket={socket}"))
    ));
    p.run(&["current"]).ok();
}
