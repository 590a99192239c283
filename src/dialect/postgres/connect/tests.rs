use super::*;
use crate::url::DatabaseUrl;
use std::path::Path;

fn settings(raw: &str) -> Result<ConnectSettings> {
    let DatabaseUrl::Postgres(url) = DatabaseUrl::parse(raw, Path::new("/")).unwrap() else {
        panic!("not a PostgreSQL URL: {raw}");
    };
    ConnectSettings::from_url(&url)
}

fn error(raw: &str) -> String {
    format!("{:#}", settings(raw).unwrap_err())
}

#[test]
fn url_parts_become_the_settings() {
    let s = settings("postgresql://bob:s3cret@db.example:6543/shop").unwrap();
    assert_eq!(s.host, Host::Tcp("db.example".into()));
    assert_eq!(s.port, 6543);
    assert_eq!(s.user, "bob");
    assert_eq!(s.password.as_ref().map(Password::expose), Some("s3cret"));
    assert_eq!(s.database, "shop");
    assert_eq!(s.ssl_mode, SslMode::Prefer);
    assert_eq!(s.root_cert, None);
    assert_eq!(s.application_name, "migrate");
    assert_eq!(s.connect_timeout, None);
    assert_eq!(s.describe(), "PostgreSQL at db.example:6543 as user bob");
    let debug = format!("{s:?}");
    assert!(!debug.contains("s3cret"), "{debug}");
    assert!(debug.contains("***"), "{debug}");
}

#[test]
fn the_default_port_is_5432() {
    let s = settings("postgres://bob@h/d").unwrap();
    assert_eq!(s.port, 5432);
    assert_eq!(s.address(), "h:5432");
    assert_eq!(
        settings("postgres://bob@[::1]/d").unwrap().address(),
        "[::1]:5432"
    );
}

#[test]
fn query_parameters_set_tls_name_and_timeout() {
    let s = settings(
        "postgres://bob@h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem\
         &application_name=deploy+job&connect_timeout=5",
    )
    .unwrap();
    assert_eq!(s.ssl_mode, SslMode::VerifyFull);
    assert_eq!(s.root_cert, Some(PathBuf::from("/etc/ca.pem")));
    assert_eq!(s.application_name, "deploy job");
    assert_eq!(s.connect_timeout, Some(Duration::from_secs(5)));
    for (value, mode) in [
        ("disable", SslMode::Disable),
        ("prefer", SslMode::Prefer),
        ("require", SslMode::Require),
        ("verify-ca", SslMode::VerifyCa),
        ("verify-full", SslMode::VerifyFull),
    ] {
        let s = settings(&format!("postgres://h/d?sslmode={value}")).unwrap();
        assert_eq!(s.ssl_mode, mode);
        assert_eq!(mode.name(), value);
    }
    // libpq: 0 waits forever, and less than 2 seconds is taken as 2.
    assert_eq!(
        settings("postgres://h/d?connect_timeout=0")
            .unwrap()
            .connect_timeout,
        None
    );
    assert_eq!(
        settings("postgres://h/d?connect_timeout=1")
            .unwrap()
            .connect_timeout,
        Some(Duration::from_secs(2))
    );
}

#[test]
fn query_parameters_override_the_url_parts() {
    let s = settings("postgres://bob:pw@h:1/d?user=carol&password=pw2&port=7&dbname=e").unwrap();
    assert_eq!(
        (s.user.as_str(), s.port, s.database.as_str()),
        ("carol", 7, "e")
    );
    assert_eq!(s.password.as_ref().map(Password::expose), Some("pw2"));
}

#[test]
fn a_socket_directory_is_a_unix_socket_host() {
    let s = settings("postgres://bob@%2Fvar%2Frun%2Fpostgresql/d").unwrap();
    assert_eq!(s.host, Host::Socket(PathBuf::from("/var/run/postgresql")));
    assert_eq!(s.address(), "/var/run/postgresql/.s.PGSQL.5432");
    let s = settings("postgres:///d?host=/tmp&port=5433").unwrap();
    assert_eq!(s.host, Host::Socket(PathBuf::from("/tmp")));
    assert_eq!(s.address(), "/tmp/.s.PGSQL.5433");
    assert_eq!(
        error("postgres:///d?host=/tmp&sslmode=require"),
        "sslmode=require cannot be used with a Unix socket host (TLS runs over TCP only)"
    );
}

#[test]
fn unknown_and_malformed_parameters_are_named() {
    assert_eq!(
        error("postgres://h/d?sslmode=on"),
        "invalid value 'on' for PostgreSQL URL parameter sslmode \
         (expected disable, prefer, require, verify-ca or verify-full)"
    );
    let unknown = error("postgres://h/d?ssl_mode=require");
    assert!(
        unknown.starts_with("unknown PostgreSQL URL parameter 'ssl_mode' (known: host, port,"),
        "{unknown}"
    );
    assert!(error("postgres://h/d?port=x").contains("parameter port"));
    assert!(error("postgres://h/d?connect_timeout=soon").contains("parameter connect_timeout"));
}

#[test]
fn the_tls_configuration_follows_the_sslmode() {
    // Every mode builds a configuration with the ring provider; verify modes without
    // sslrootcert use the compiled-in roots.
    for mode in ["prefer", "require", "verify-ca", "verify-full"] {
        let s = settings(&format!("postgres://h/d?sslmode={mode}")).unwrap();
        s.tls_config().unwrap();
    }
    assert!(!settings("postgres://h/d?sslmode=verify-full")
        .unwrap()
        .roots()
        .unwrap()
        .is_empty());
    let missing = settings("postgres://h/d?sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem")
        .unwrap()
        .tls_config()
        .unwrap_err();
    assert!(
        format!("{missing:#}").starts_with("cannot read sslrootcert file /nonexistent/ca.pem"),
        "{missing:#}"
    );
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let url = format!(
        "postgres://h/d?sslmode=verify-ca&sslrootcert={}",
        empty.display()
    );
    assert_eq!(
        format!("{:#}", settings(&url).unwrap().tls_config().unwrap_err()),
        format!(
            "sslrootcert file {} holds no PEM certificate",
            empty.display()
        )
    );
}

#[test]
fn reasons_drop_the_os_error_suffix() {
    let Err(refused) = postgres::Config::new()
        .host("127.0.0.1")
        .port(1)
        .user("postgres")
        .dbname("d")
        .connect(postgres::NoTls)
    else {
        panic!("something listens on port 1");
    };
    assert_eq!(reason(&refused), "connection refused");
}
