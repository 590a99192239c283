//! Connecting to PostgreSQL: errors that name the server but never the password, libpq's
//! sslmode judged by the server's own `pg_stat_ssl`, Unix sockets, the session's setup,
//! and the advisory lock judged by `pg_locks`. The scenarios both engines share are in
//! server_connect.rs; here is PostgreSQL's data for them.

use crate::project::TestProject;
use crate::server_connect::{self as shared, value, Connecting, Verified};
use crate::servers::{postgres_admin_url, Engine, Pg, PgDatabase};
use crate::thin_tests;
use migrate::dialect::{Driver, LockKey};
use std::path::Path;
use std::time::Duration;

impl Connecting for Pg {
    const CANNOT_CONNECT: &'static str = "cannot connect to PostgreSQL at ";
    const REFUSED_URL: &'static str = "postgres://postgres:Sup3rS3cret@127.0.0.1:5999/test";
    const REFUSED: &'static str =
        "cannot connect to PostgreSQL at 127.0.0.1:5999 as user postgres: connection refused";
    const UNKNOWN_DATABASE: &'static str = "database \"no_such_database_here\" does not exist";
    const BAD_PARAMETERS: &'static [(&'static str, &'static str)] = &[(
        "ssl_mode=require",
        "unknown PostgreSQL URL parameter 'ssl_mode'",
    )];

    const TLS_KEY: &'static str = "sslmode";
    const DISABLE: &'static str = "disable";
    const PREFER: &'static str = "prefer";
    const REQUIRE: &'static str = "require";
    const VERIFY_CA: &'static str = "verify-ca";
    const REFUSED_WITHOUT_TLS: &'static [&'static str] = &["require"];
    fn without_tls(_mode: &str) -> String {
        "server does not support TLS".into()
    }
    const UNKNOWN_ISSUER: &'static [&'static str] =
        &["invalid peer certificate", "as user postgres"];
    /// The server's own (self-signed) certificate: verify-ca passes whatever the host
    /// name, verify-full only for a name in the certificate.
    const SERVER_CERTIFICATE: &'static str = "SHOW ssl_cert_file";
    const ROOT_KEY: &'static str = "sslrootcert";
    const VERIFIED: &'static [(&'static str, Verified)] = &[
        ("verify-ca", Verified::Connects),
        ("verify-full", Verified::NotValidForName),
    ];
    fn uses_tls(driver: &mut dyn Driver) -> bool {
        let ssl = value(
            driver,
            "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        );
        match ssl.as_str() {
            "true" => true,
            "false" => false,
            other => panic!("pg_stat_ssl.ssl is {other:?}"),
        }
    }
    fn server_has_tls(driver: &mut dyn Driver) -> bool {
        value(driver, "SHOW ssl") == "on"
    }

    const BUSY_TIMEOUT: (Duration, &'static str, &'static str) =
        (Duration::from_secs(3), "SHOW lock_timeout", "3s");
    const CREATE_MIXED_CASE: &'static str = "CREATE TABLE \"Mixed Case\" (id int)";
    fn case_sensitive_names(_driver: &mut dyn Driver) -> bool {
        true
    }
    /// information_schema is not on the search_path.
    const ELSEWHERE: &'static str = "tables";
    const VALUES: (&'static str, &'static [Option<&'static str>]) =
        ("SELECT 1, NULL::text, 'x'", &[Some("1"), None, Some("x")]);
    const NAMESPACES: &'static [&'static str] = &["public"];

    const SESSION_ID: &'static str = "SELECT pg_backend_pid()";
    fn holder_starts(id: &str) -> String {
        format!("pid {id}, application_name 'migrate', client ")
    }
    const HOLDER_IDLE: &'static str = ", connected since ";
    fn held_by(_key: &LockKey) -> String {
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted \
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            .into()
    }
}

thin_tests! {
    a_refused_connection_names_host_port_and_user_but_not_the_password =>
        shared::a_refused_connection_names_the_server_but_not_the_password::<Pg>();
    the_servers_reason_is_given =>
        shared::an_unknown_database_and_an_unknown_parameter_are_named::<Pg>("pg connect reason");
    sslmodes_do_what_libpq_does =>
        shared::tls_modes_do_what_the_engines_client_does::<Pg>("pg connect tls");
    the_session_waits_finds_tables_and_reads_as_text =>
        shared::the_session_waits_finds_and_reads_as_text::<Pg>("pg connect driver");
    the_advisory_lock_is_exclusive_and_says_who_holds_it =>
        shared::the_lock_is_exclusive_and_says_who_holds_it::<Pg>("pg connect lock");
}

#[test]
fn the_session_is_named_and_checks_its_client() {
    let Some(db) = PgDatabase::create("pg connect session") else {
        return;
    };
    let mut driver = connect(&db.url()).unwrap();
    assert_eq!(value(&mut *driver, "SHOW application_name"), "migrate");
    let version: u32 = value(&mut *driver, "SHOW server_version_num")
        .parse()
        .unwrap();
    assert_eq!(driver.dialect().server().numbers[0], version / 10000);
    if version >= 140000 {
        assert_eq!(
            value(&mut *driver, "SHOW client_connection_check_interval"),
            "1s"
        );
    }
    let mut named = connect(&db.url_with("application_name=deploy")).unwrap();
    assert_eq!(value(&mut *named, "SHOW application_name"), "deploy");
}

fn connect(url: &str) -> Result<Box<dyn Driver>, String> {
    Pg::connect(url)
}

#[test]
fn a_unix_socket_directory_is_a_host() {
    let Some(db) = PgDatabase::create("pg connect socket") else {
        return;
    };
    let mut tcp = connect(&db.url()).unwrap();
    let dir = value(&mut *tcp, "SHOW unix_socket_directories");
    let dir = dir.split(',').next().unwrap_or_default().trim().to_string();
    if !Path::new(&dir).join(".s.PGSQL.5432").exists() || !postgres_admin_url().contains(":5432/") {
        eprintln!("skipped: no socket of this server in {dir:?}");
        return;
    }
    for url in [
        format!("postgres:///{}?host={dir}&user=postgres", db.name),
        format!(
            "postgresql://postgres@{}/{}",
            dir.replace('/', "%2F"),
            db.name
        ),
    ] {
        let mut driver = connect(&url).unwrap_or_else(|e| panic!("{url}: {e}"));
        // No server address: the session came over the socket.
        assert_eq!(
            value(&mut *driver, "SELECT inet_server_addr() IS NULL"),
            "t",
            "{url}"
        );
        assert_eq!(value(&mut *driver, "SELECT current_database()"), db.name);
    }
    let p = TestProject::with_config(&format!(
        "[database]\nurl = \"postgres:///{}?host={dir}&user=postgres\"\n",
        db.name
    ));
    p.run(&["current"]).ok();
}
