//! Connecting to PostgreSQL: errors that name the server but never the password, libpq's
//! sslmode judged by the server's own `pg_stat_ssl`, Unix sockets, the session's setup,
//! and the advisory lock.

use crate::project::TestProject;
use crate::servers::{postgres_admin_url, PgDatabase};
use migrate::dialect::postgres::{ConnectSettings, LockMode, PgDriver};
use migrate::dialect::Driver;
use migrate::url::DatabaseUrl;
use std::path::Path;

/// A driver on `url`, or the error's text.
fn connect(url: &str) -> Result<PgDriver, String> {
    let DatabaseUrl::Postgres(server) = DatabaseUrl::parse(url, Path::new("/")).unwrap() else {
        panic!("not a PostgreSQL URL: {url}");
    };
    let settings = ConnectSettings::from_url(&server).map_err(|e| format!("{e:#}"))?;
    PgDriver::connect(&settings, LockMode::Advisory, vec!["public".into()])
        .map_err(|e| format!("{e:#}"))
}

fn value(driver: &mut PgDriver, sql: &str) -> String {
    let rows = driver.query(sql).unwrap_or_else(|e| panic!("{sql}: {e:#}"));
    rows[0][0].clone().unwrap_or_default()
}

/// `db`'s URL with `query` appended.
fn with_query(db: &PgDatabase, query: &str) -> String {
    let url = db.url();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{query}")
}

#[test]
fn a_refused_connection_names_host_port_and_user_but_not_the_password() {
    let p = TestProject::with_config(
        "[database]\nurl = \"postgres://postgres:Sup3rS3cret@127.0.0.1:5999/test\"\n",
    );
    let run = p.run(&["current"]).fails(
        1,
        "cannot connect to PostgreSQL at 127.0.0.1:5999 as user postgres: connection refused",
    );
    assert!(!run.stderr.contains("Sup3rS3cret"), "{}", run.stderr);
    assert!(!run.stdout.contains("Sup3rS3cret"), "{}", run.stdout);
}

#[test]
fn the_servers_reason_is_given() {
    let Some(db) = PgDatabase::create("pg connect reason") else {
        return;
    };
    let url = db.url().replace(&db.name, "no_such_database_here");
    let p = TestProject::with_config(&format!("[database]\nurl = \"{url}\"\n"));
    p.run(&["current"])
        .fails(1, "database \"no_such_database_here\" does not exist");
    let p = TestProject::with_config(&format!(
        "[database]\nurl = \"{}\"\n",
        with_query(&db, "ssl_mode=require")
    ));
    p.run(&["current"])
        .fails(1, "unknown PostgreSQL URL parameter 'ssl_mode'");
}

#[test]
fn the_session_is_named_and_checks_its_client() {
    let Some(db) = PgDatabase::create("pg connect session") else {
        return;
    };
    let mut driver = connect(&db.url()).unwrap();
    assert_eq!(value(&mut driver, "SHOW application_name"), "migrate");
    let version: u32 = value(&mut driver, "SHOW server_version_num")
        .parse()
        .unwrap();
    assert_eq!(driver.dialect().server().numbers[0], version / 10000);
    if version >= 140000 {
        assert_eq!(
            value(&mut driver, "SHOW client_connection_check_interval"),
            "1s"
        );
    }
    driver
        .set_busy_timeout(std::time::Duration::from_secs(3))
        .unwrap();
    assert_eq!(value(&mut driver, "SHOW lock_timeout"), "3s");
    let mut named = connect(&with_query(&db, "application_name=deploy")).unwrap();
    assert_eq!(value(&mut named, "SHOW application_name"), "deploy");

    assert!(!driver.table_exists("Mixed Case").unwrap());
    driver
        .execute("CREATE TABLE \"Mixed Case\" (id int)")
        .unwrap();
    assert!(driver.table_exists("Mixed Case").unwrap());
    assert!(!driver.table_exists("mixed case").unwrap());
    // query gives every value as text, NULL as None.
    assert_eq!(
        driver.query("SELECT 1, NULL::text, 'x'").unwrap(),
        [[Some("1".to_string()), None, Some("x".to_string())]]
    );
    assert_eq!(driver.namespaces(), ["public"]);
}

#[test]
fn sslmodes_do_what_libpq_does() {
    let Some(db) = PgDatabase::create("pg connect tls") else {
        return;
    };
    let uses_tls = |driver: &mut PgDriver| {
        value(
            driver,
            "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        )
    };
    let mut plain = connect(&with_query(&db, "sslmode=disable")).unwrap();
    assert_eq!(uses_tls(&mut plain), "false");
    let ssl_on = value(&mut plain, "SHOW ssl") == "on";
    if !ssl_on {
        // Without TLS on the server: prefer falls back, require says why it cannot.
        let mut preferred = connect(&with_query(&db, "sslmode=prefer")).unwrap();
        assert_eq!(uses_tls(&mut preferred), "false");
        let error = connect(&with_query(&db, "sslmode=require")).err().unwrap();
        assert!(error.contains("server does not support TLS"), "{error}");
        return;
    }
    // The default (prefer) and require encrypt; require checks no certificate.
    let mut preferred = connect(&db.url()).unwrap();
    assert_eq!(uses_tls(&mut preferred), "true");
    let mut required = connect(&with_query(&db, "sslmode=require")).unwrap();
    assert_eq!(uses_tls(&mut required), "true");
    // verify-ca against the compiled-in public roots: a local certificate is not theirs.
    let error = connect(&with_query(&db, "sslmode=verify-ca"))
        .err()
        .unwrap();
    assert!(error.contains("invalid peer certificate"), "{error}");
    assert!(error.contains("as user postgres"), "{error}");

    // With the server's own (self-signed) certificate as the root: verify-ca passes
    // whatever the host name, verify-full only for a name in the certificate.
    let cert = value(&mut plain, "SHOW ssl_cert_file");
    if std::fs::read(&cert).is_err() {
        eprintln!("skipped the verify-* part: cannot read the server's certificate {cert}");
        return;
    }
    let root = format!("sslrootcert={cert}");
    let mut verified = connect(&with_query(&db, &format!("sslmode=verify-ca&{root}"))).unwrap();
    assert_eq!(uses_tls(&mut verified), "true");
    let error = connect(&with_query(&db, &format!("sslmode=verify-full&{root}")))
        .err()
        .unwrap();
    assert!(error.contains("not valid for name"), "{error}");
}

#[test]
fn a_unix_socket_directory_is_a_host() {
    let Some(db) = PgDatabase::create("pg connect socket") else {
        return;
    };
    let mut tcp = connect(&db.url()).unwrap();
    let dir = value(&mut tcp, "SHOW unix_socket_directories");
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
            value(&mut driver, "SELECT inet_server_addr() IS NULL"),
            "t",
            "{url}"
        );
        assert_eq!(value(&mut driver, "SELECT current_database()"), db.name);
    }
    let p = TestProject::with_config(&format!(
        "[database]\nurl = \"postgres:///{}?host={dir}&user=postgres\"\n",
        db.name
    ));
    p.run(&["current"]).ok();
}

#[test]
fn the_advisory_lock_is_exclusive_and_says_who_holds_it() {
    let Some(db) = PgDatabase::create("pg connect lock") else {
        return;
    };
    let mut first = connect(&db.url()).unwrap();
    let mut second = connect(&db.url()).unwrap();
    let key = first.lock_key("migrate_version");
    assert_eq!(key, second.lock_key("migrate_version"));
    assert!(
        key.resource
            .starts_with(&format!("database {} on ", db.name)),
        "{key:?}"
    );
    assert_ne!(key, first.lock_key("other_version"));
    assert!(first.try_lock(&key).unwrap());
    assert!(!second.try_lock(&key).unwrap());
    let pid = value(&mut first, "SELECT pg_backend_pid()");
    let holder = second.lock_holder(&key).unwrap().expect("a holder");
    assert!(
        holder.starts_with(&format!("pid {pid}, application_name 'migrate', client ")),
        "{holder}"
    );
    first.unlock(&key).unwrap();
    assert_eq!(second.lock_holder(&key).unwrap(), None);
    assert!(second.try_lock(&key).unwrap());
    // The session's end frees it.
    drop(second);
    let mut third = connect(&db.url()).unwrap();
    let mut waited = 0;
    while !third.try_lock(&key).unwrap() {
        assert!(waited < 50, "the lock outlived its session");
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
}
