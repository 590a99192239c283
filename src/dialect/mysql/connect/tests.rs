use super::*;
use crate::url::DatabaseUrl;
use std::path::Path;

fn settings(raw: &str) -> Result<ConnectSettings> {
    let DatabaseUrl::Mysql(url) = DatabaseUrl::parse(raw, Path::new("/")).unwrap() else {
        panic!("not a MySQL URL: {raw}");
    };
    ConnectSettings::from_url(&url)
}

fn error(raw: &str) -> String {
    format!("{:#}", settings(raw).unwrap_err())
}

#[test]
fn url_parts_become_the_settings() {
    for scheme in ["mysql", "mariadb", "mysql+pymysql"] {
        let s = settings(&format!("{scheme}://bob:s3cret@db.example:3307/shop")).unwrap();
        assert_eq!(s.host, Host::Tcp("db.example".into()));
        assert_eq!(s.port, 3307);
        assert_eq!(s.user, "bob");
        assert_eq!(s.password.as_ref().map(Password::expose), Some("s3cret"));
        assert_eq!(s.database, "shop");
        assert_eq!(s.charset, "utf8mb4");
        assert_eq!(s.ssl_mode, SslMode::Preferred);
        assert_eq!(s.root_cert, None);
        assert_eq!(s.connect_timeout, None);
        assert_eq!(s.describe(), "MySQL/MariaDB at db.example:3307 as user bob");
        let debug = format!("{s:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        assert!(debug.contains("***"), "{debug}");
    }
}

#[test]
fn the_default_port_is_3306() {
    let s = settings("mysql://bob@h/d").unwrap();
    assert_eq!(s.port, 3306);
    assert_eq!(s.address(), "h:3306");
    assert_eq!(
        settings("mysql://bob@[::1]/d").unwrap().address(),
        "[::1]:3306"
    );
}

#[test]
fn query_keys_set_charset_tls_socket_and_timeout() {
    let s = settings("mysql://bob@h/d?charset=latin1&ssl-mode=REQUIRED&connect_timeout=5").unwrap();
    assert_eq!(s.charset, "latin1");
    assert_eq!(s.ssl_mode, SslMode::Required);
    assert_eq!(s.connect_timeout, Some(Duration::from_secs(5)));
    for (key, value, mode) in [
        ("ssl-mode", "disabled", SslMode::Disabled),
        ("ssl_mode", "Preferred", SslMode::Preferred),
        ("sslmode", "required", SslMode::Required),
        ("ssl-mode", "VERIFY_CA", SslMode::VerifyCa),
        ("ssl-mode", "verify_identity", SslMode::VerifyIdentity),
    ] {
        let s = settings(&format!("mysql://u@h/d?{key}={value}")).unwrap();
        assert_eq!(s.ssl_mode, mode, "{key}={value}");
    }
    let socket = settings("mysql://u@localhost/d?unix_socket=/run/mysqld/mysqld.sock").unwrap();
    assert_eq!(socket.host, Host::Socket("/run/mysqld/mysqld.sock".into()));
    assert_eq!(socket.address(), "/run/mysqld/mysqld.sock");
    let socket = settings("mysql://u@localhost/d?socket=%2Ftmp%2Fm.sock").unwrap();
    assert_eq!(socket.host, Host::Socket("/tmp/m.sock".into()));
    assert_eq!(
        settings("mysql://u@h/d?connect_timeout=0")
            .unwrap()
            .connect_timeout,
        None
    );
}

#[test]
fn a_ca_without_a_mode_verifies_the_chain_as_the_mysql_client_does() {
    let s = settings("mysql://u@h/d?ssl-ca=/etc/ca.pem").unwrap();
    assert_eq!(s.root_cert, Some(PathBuf::from("/etc/ca.pem")));
    assert_eq!(s.ssl_mode, SslMode::VerifyCa);
    let s = settings("mysql://u@h/d?ssl_ca=/etc/ca.pem&ssl-mode=required").unwrap();
    assert_eq!(s.ssl_mode, SslMode::Required);
}

#[test]
fn tls_options_follow_the_mode() {
    let opts = |raw: &str| settings(raw).unwrap().ssl_opts();
    assert_eq!(opts("mysql://u@h/d?ssl-mode=disabled"), None);
    let preferred = opts("mysql://u@h/d").unwrap();
    assert!(preferred.accept_invalid_certs());
    let required = opts("mysql://u@h/d?ssl-mode=required").unwrap();
    assert!(required.accept_invalid_certs());
    let ca = opts("mysql://u@h/d?ssl-mode=verify_ca&ssl-ca=/ca.pem").unwrap();
    assert!(!ca.accept_invalid_certs());
    assert!(ca.skip_domain_validation());
    assert_eq!(ca.root_cert_path(), Some(Path::new("/ca.pem")));
    let identity = opts("mysql://u@h/d?ssl-mode=verify_identity").unwrap();
    assert!(!identity.accept_invalid_certs());
    assert!(!identity.skip_domain_validation());
    // A socket is never encrypted by the client library, and needs no TLS.
    assert_eq!(opts("mysql://u@h/d?socket=/s&ssl-mode=required"), None);
}

#[test]
fn bad_keys_and_values_are_named() {
    assert_eq!(
        error("mysql://u@h/d?sslrootcert=/x"),
        "unknown MySQL URL key 'sslrootcert' (known: charset, ssl-mode, ssl_mode, sslmode, \
         ssl-ca, ssl_ca, socket, unix_socket, connect_timeout)"
    );
    assert_eq!(
        error("mysql://u@h/d?ssl-mode=verify-full"),
        "invalid value 'verify-full' for MySQL URL key ssl-mode (expected disabled, \
         preferred, required, verify_ca or verify_identity)"
    );
    assert!(error("mysql://u@h/d?charset=utf8;DROP").contains("key charset"));
    assert!(error("mysql://u@h/d?connect_timeout=soon").contains("a number of seconds"));
    assert!(error("mysql://u@h/d?socket=/s&ssl-mode=verify_identity")
        .contains("ssl-mode=VERIFY_IDENTITY cannot be used with a Unix socket"));
}

#[test]
fn an_unreachable_server_is_named_without_the_password() {
    let s = settings("mysql://bob:Sup3rS3cret@127.0.0.1:1/d?connect_timeout=5").unwrap();
    let message = format!("{:#}", s.connect().unwrap_err());
    assert_eq!(
        message,
        "cannot connect to MySQL/MariaDB at 127.0.0.1:1 as user bob: connection refused"
    );
}

#[test]
fn a_missing_ca_file_is_named() {
    let s = settings("mysql://bob@127.0.0.1:1/d?ssl-ca=/no/such/ca.pem").unwrap();
    let message = format!("{:#}", s.connect().unwrap_err());
    assert!(
        message.contains("cannot read ssl-ca file '/no/such/ca.pem': no such file"),
        "{message}"
    );
}
