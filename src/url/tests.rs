use super::*;

fn base() -> PathBuf {
    PathBuf::from("/proj")
}

fn parse(raw: &str) -> Result<DatabaseUrl, UrlError> {
    DatabaseUrl::parse(raw, &base())
}

fn server(raw: &str) -> ServerUrl {
    match parse(raw).unwrap() {
        DatabaseUrl::Postgres(s) | DatabaseUrl::Mysql(s) => s,
        other => panic!("not a server URL: {other}"),
    }
}

fn error(raw: &str) -> String {
    parse(raw).unwrap_err().0
}

#[test]
fn sqlite_relative_path_is_relative_to_base_dir() {
    assert_eq!(
        parse("sqlite:///app.db").unwrap(),
        DatabaseUrl::Sqlite(SqliteLocation::File(PathBuf::from("/proj/app.db")))
    );
    assert_eq!(
        parse("sqlite:///data/sub/app.db").unwrap(),
        DatabaseUrl::Sqlite(SqliteLocation::File(PathBuf::from("/proj/data/sub/app.db")))
    );
    assert_eq!(
        parse("sqlite:///./app.db").unwrap(),
        DatabaseUrl::Sqlite(SqliteLocation::File(PathBuf::from("/proj/app.db")))
    );
}

#[test]
fn sqlite_absolute_path() {
    assert_eq!(
        parse("sqlite:////var/lib/app.db").unwrap(),
        DatabaseUrl::Sqlite(SqliteLocation::File(PathBuf::from("/var/lib/app.db")))
    );
}

#[test]
fn sqlite_memory_forms() {
    for raw in [
        "sqlite:///:memory:",
        "sqlite://",
        "sqlite:///",
        "sqlite+pysqlite:///:memory:",
        "SQLITE:///:memory:",
    ] {
        assert_eq!(
            parse(raw).unwrap(),
            DatabaseUrl::Sqlite(SqliteLocation::Memory),
            "{raw}"
        );
    }
}

#[test]
fn sqlite_driver_suffix_and_percent_decoding() {
    assert_eq!(
        parse("sqlite+pysqlite:///my%20app.db").unwrap(),
        DatabaseUrl::Sqlite(SqliteLocation::File(PathBuf::from("/proj/my app.db")))
    );
}

#[test]
fn sqlite_errors() {
    assert_eq!(
        error("sqlite://app.db"),
        "sqlite URL must have three slashes: sqlite:///relative/path.db, \
         sqlite:////absolute/path.db or sqlite:///:memory:"
    );
    assert_eq!(
        error("sqlite:///app.db?mode=ro"),
        "sqlite URL query parameters are not supported (remove the '?...' part)"
    );
}

#[test]
fn sqlite_display_shows_resolved_path() {
    assert_eq!(
        parse("sqlite:///app.db").unwrap().to_string(),
        "sqlite:////proj/app.db"
    );
    assert_eq!(
        parse("sqlite:////abs/x.db").unwrap().to_string(),
        "sqlite:////abs/x.db"
    );
    assert_eq!(
        parse("sqlite://").unwrap().to_string(),
        "sqlite:///:memory:"
    );
    assert_eq!(
        format!("{:?}", parse("sqlite:///:memory:").unwrap()),
        "sqlite:///:memory:"
    );
}

#[test]
fn postgres_full_url() {
    let url = parse(
        "postgres://bob:s3cret@db.example.com:5432/shop?sslmode=require&application_name=mig",
    )
    .unwrap();
    assert_eq!(url.engine(), Engine::Postgres);
    assert_eq!(
        url,
        DatabaseUrl::Postgres(ServerUrl {
            user: Some("bob".into()),
            password: Some("s3cret".into()),
            host: "db.example.com".into(),
            port: Some(5432),
            database: "shop".into(),
            params: vec![
                ("sslmode".into(), "require".into()),
                ("application_name".into(), "mig".into()),
            ],
        })
    );
    assert_eq!(url.server().unwrap().param("sslmode"), Some("require"));
    assert_eq!(url.server().unwrap().param("nope"), None);
}

#[test]
fn postgres_scheme_aliases_and_driver_suffixes() {
    for raw in [
        "postgres://h/d",
        "postgresql://h/d",
        "postgresql+psycopg2://h/d",
        "postgresql+asyncpg://h/d",
        "POSTGRES://h/d",
    ] {
        let url = parse(raw).unwrap();
        assert_eq!(url.engine(), Engine::Postgres, "{raw}");
        assert_eq!(url.to_string(), "postgres://h/d", "{raw}");
    }
}

#[test]
fn mysql_scheme_aliases_and_driver_suffixes() {
    for raw in [
        "mysql://u:p@h:3306/d",
        "mariadb://u:p@h:3306/d",
        "mysql+pymysql://u:p@h:3306/d",
        "mariadb+mariadbconnector://u:p@h:3306/d",
        "mysql+mysqldb://u:p@h:3306/d",
    ] {
        let url = parse(raw).unwrap();
        assert_eq!(url.engine(), Engine::Mysql, "{raw}");
        assert_eq!(url.to_string(), "mysql://u:***@h:3306/d", "{raw}");
        assert_eq!(url.server().unwrap().password.as_deref(), Some("p"));
    }
    assert_eq!(parse("sqlite://").unwrap().server(), None);
}

#[test]
fn minimal_server_url() {
    assert_eq!(
        server("postgres://localhost/db"),
        ServerUrl {
            user: None,
            password: None,
            host: "localhost".into(),
            port: None,
            database: "db".into(),
            params: vec![],
        }
    );
}

#[test]
fn user_without_password_and_empty_password() {
    let s = server("postgres://bob@h/d");
    assert_eq!(
        (s.user.as_deref(), s.password.as_deref()),
        (Some("bob"), None)
    );
    let s = server("postgres://bob:@h/d");
    assert_eq!(
        (s.user.as_deref(), s.password.as_deref()),
        (Some("bob"), Some(""))
    );
    let s = server("postgres://:pw@h/d");
    assert_eq!(
        (s.user.as_deref(), s.password.as_deref()),
        (None, Some("pw"))
    );
}

#[test]
fn percent_decoding_of_user_password_database_and_params() {
    let s = server("postgres://b%40b:p%40ss%2Fw%3Ard%25@h/my%20db?opt=a%3Db&x=1+2&flag");
    assert_eq!(s.user.as_deref(), Some("b@b"));
    assert_eq!(s.password.as_deref(), Some("p@ss/w:rd%"));
    assert_eq!(s.database, "my db");
    assert_eq!(
        s.params,
        vec![
            ("opt".to_string(), "a=b".to_string()),
            ("x".to_string(), "1 2".to_string()),
            ("flag".to_string(), String::new()),
        ]
    );
}

#[test]
fn unencoded_special_characters_in_password() {
    // An '@' in the password: the last '@' of the authority ends the userinfo.
    let s = server("postgres://bob:p@ss@h:5432/d");
    assert_eq!(s.password.as_deref(), Some("p@ss"));
    assert_eq!(s.host, "h");
    // A '/' or '?' in the password, as SQLAlchemy accepts it.
    let s = server("postgresql://bob:pa/ss?w#rd@h:5432/d?sslmode=disable");
    assert_eq!(s.user.as_deref(), Some("bob"));
    assert_eq!(s.password.as_deref(), Some("pa/ss?w#rd"));
    assert_eq!(s.host, "h");
    assert_eq!(s.port, Some(5432));
    assert_eq!(s.database, "d");
    assert_eq!(s.params, vec![("sslmode".into(), "disable".into())]);
    // An '@' in a query value is not a userinfo.
    let s = server("postgres://h:5432/d?email=a@b");
    assert_eq!((s.user, s.password), (None, None));
    assert_eq!(s.host, "h");
    assert_eq!(s.params, vec![("email".into(), "a@b".into())]);
}

#[test]
fn ipv6_hosts() {
    let s = server("postgres://bob:pw@[::1]:5433/d");
    assert_eq!(s.host, "::1");
    assert_eq!(s.port, Some(5433));
    let s = server("mysql://[2001:db8::7]/d");
    assert_eq!(s.host, "2001:db8::7");
    assert_eq!(s.port, None);
    assert_eq!(
        parse("postgres://bob:pw@[::1]:5433/d").unwrap().to_string(),
        "postgres://bob:***@[::1]:5433/d"
    );
    assert_eq!(
        error("postgres://[::1/d"),
        "database URL has an IPv6 host without its closing ']'"
    );
    assert_eq!(
        error("postgres://[::1]x/d"),
        "database URL has unexpected text after the IPv6 host's ']'"
    );
}

#[test]
fn display_masks_password() {
    assert_eq!(
        parse("postgres://bob:hunter2@db:5432/shop?sslmode=require")
            .unwrap()
            .to_string(),
        "postgres://bob:***@db:5432/shop?sslmode=require"
    );
    assert_eq!(
        parse("postgresql+psycopg2://bob@db/shop")
            .unwrap()
            .to_string(),
        "postgres://bob@db/shop"
    );
    assert_eq!(
        parse("postgres://:hunter2@db/shop").unwrap().to_string(),
        "postgres://:***@db/shop"
    );
    assert_eq!(
        parse("mysql://root:hunter2@127.0.0.1/app?password=hunter2&charset=utf8mb4")
            .unwrap()
            .to_string(),
        "mysql://root:***@127.0.0.1/app?password=***&charset=utf8mb4"
    );
    // Debug is the display.
    assert_eq!(
        format!("{:?}", parse("postgres://bob:hunter2@db/shop").unwrap()),
        "postgres://bob:***@db/shop"
    );
}

#[test]
fn display_reencodes_and_reparses() {
    let raw = "postgres://b%40b:p%40ss@%2Ftmp%2Fsock/my%20db?opt=a%3Db&x=1+2";
    let url = parse(raw).unwrap();
    let shown = url.to_string();
    assert_eq!(
        shown,
        "postgres://b%40b:***@%2Ftmp%2Fsock/my%20db?opt=a%3Db&x=1%202"
    );
    let mut again = server(&shown);
    assert_eq!(again.password.as_deref(), Some("***"));
    again.password = Some("p@ss".into());
    assert_eq!(DatabaseUrl::Postgres(again), url);
}

#[test]
fn server_debug_hides_password() {
    let s = server("postgres://bob:hunter2@db:5432/shop?sslmode=require&password=hunter2");
    let debug = format!("{s:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert_eq!(
        debug,
        r#"ServerUrl { user: Some("bob"), password: Some("***"), host: "db", port: Some(5432), database: "shop", params: [("sslmode", "require"), ("password", "***")] }"#
    );
    let s = server("postgres://db/shop");
    assert_eq!(
        format!("{s:?}"),
        r#"ServerUrl { user: None, password: None, host: "db", port: None, database: "shop", params: [] }"#
    );
}

#[test]
fn scheme_errors() {
    assert_eq!(
        error("oracle://scott:tiger@h/d"),
        "unsupported database URL scheme 'oracle' (expected sqlite, postgres or mysql)"
    );
    assert_eq!(
        error("oracle+cx_oracle://scott:tiger@h/d"),
        "unsupported database URL scheme 'oracle' (expected sqlite, postgres or mysql)"
    );
    let no_scheme = "database URL must start with a scheme: sqlite://, postgres:// or mysql://";
    assert_eq!(error("app.db"), no_scheme);
    assert_eq!(error("bob:tiger@h/d"), no_scheme);
    assert_eq!(error("://h/d"), no_scheme);
    assert_eq!(error("1x://h/d"), no_scheme);
    assert_eq!(error(""), "database URL is empty");
    assert_eq!(error("   "), "database URL is empty");
}

#[test]
fn server_errors() {
    assert_eq!(
        error("postgres://bob:pw@h:5432"),
        "database URL has no database name (e.g. postgres://user@localhost:5432/mydb)"
    );
    assert_eq!(
        error("postgres://bob:pw@h:5432/"),
        "database URL has no database name (e.g. postgres://user@localhost:5432/mydb)"
    );
    assert_eq!(
        error("postgres://h/?sslmode=require"),
        "database URL has no database name (e.g. postgres://user@localhost:5432/mydb)"
    );
    assert_eq!(
        error("postgres:///d"),
        "database URL has no host (e.g. postgres://user@localhost:5432/mydb)"
    );
    assert_eq!(
        error("postgres://bob:pw@/d"),
        "database URL has no host (e.g. postgres://user@localhost:5432/mydb)"
    );
    let bad_port = "invalid port in database URL (expected a number from 1 to 65535)";
    assert_eq!(error("postgres://h:abc/d"), bad_port);
    assert_eq!(error("postgres://h:70000/d"), bad_port);
    assert_eq!(error("postgres://h:0/d"), bad_port);
    assert_eq!(error("postgres://h:-1/d"), bad_port);
    assert_eq!(error("mysql://h:+33/d"), bad_port);
    // An empty port is no port.
    assert_eq!(server("postgres://h:/d").port, None);
}

#[test]
fn errors_never_hold_the_password() {
    for raw in [
        "oracle://bob:tops3cret@h/d",
        "postgres://bob:tops3cret@h:99999/d",
        "postgres://bob:tops3cret@h",
        "postgres://bob:tops3cret@/d",
        "postgres://bob:tops3cret/d", // forgot the host: "tops3cret" is in the port place
        "postgres://bob:tops3cret",   // same without a database
        "mysql://bob:tops3cret@[::1/d",
        "mysql://bob:tops3cret@[::1]x/d",
        "tops3cret",
        "bob:tops3cret@h/d",
        "sqlite://bob:tops3cret@h/d",
        "postgres://bob:tops3cret@h:5432",
        "postgres://bob:top@s3cret@h:5432",
        "postgres://bob:top/s3cret@h:5432",
        "postgres://bob:top/s3cret@h:5432?x=1",
        "postgres://bob:to@p/s3cret@h",
        "postgres://bob:top@s3cret@h:x/d",
        "postgres://bob:top@s3cret@h:99999/d",
        "postgres://bob:tops3cret@h:99999",
    ] {
        let e = error(raw);
        assert!(!e.contains("tops3cret"), "{raw} -> {e}");
    }
}

#[test]
fn redact_userinfo_passwords_in_free_text() {
    assert_eq!(
        redact("could not connect to postgres://bob:hunter2@db:5432/shop: timeout"),
        "could not connect to postgres://bob:***@db:5432/shop: timeout"
    );
    assert_eq!(
        redact("a mysql+pymysql://root:pw@h/d and postgresql://u:x@h2/e."),
        "a mysql+pymysql://root:***@h/d and postgresql://u:***@h2/e."
    );
    assert_eq!(
        redact("url = \"postgres://bob:p@ss/w?rd@db/shop\""),
        "url = \"postgres://bob:***@db/shop\""
    );
    assert_eq!(redact("x postgres://:pw@h/d"), "x postgres://:***@h/d");
    assert_eq!(
        redact("postgres://bob:pw@h/d?sslmode=require&password=pw2"),
        "postgres://bob:***@h/d?sslmode=require&password=***"
    );
}

#[test]
fn redact_leaves_text_without_passwords_alone() {
    for text in [
        "",
        "no urls here",
        "postgres://bob@h/d",
        "postgres://h:5432/d",
        "see https://example.com:8080/path for details",
        "sqlite:////abs/app.db",
        "a ratio 3:2 and mail bob@example.com",
        ":// at the start",
        "trailing ://",
    ] {
        assert_eq!(redact(text), text, "{text}");
    }
}

#[test]
fn redact_masks_what_display_masks() {
    let raw = "postgres://bob:hunter2@db:5432/shop?sslmode=require";
    assert_eq!(redact(raw), parse(raw).unwrap().to_string());
}

#[test]
fn unencoded_password_with_every_special_character() {
    let s = server("postgres://bob:p@ss/w:rd?#x@db:5432/shop?sslmode=require");
    assert_eq!(s.user.as_deref(), Some("bob"));
    assert_eq!(s.password.as_deref(), Some("p@ss/w:rd?#x"));
    assert_eq!(s.host, "db");
    assert_eq!(s.port, Some(5432));
    assert_eq!(s.database, "shop");
    assert_eq!(s.params, vec![("sslmode".into(), "require".into())]);
    // A user name holding an '@' (Azure's user@server).
    let s = server("postgres://me@srv:pw@db/shop");
    assert_eq!(s.user.as_deref(), Some("me@srv"));
    assert_eq!(s.password.as_deref(), Some("pw"));
    assert_eq!(s.host, "db");
    // An '@' in the database name or the query, no userinfo.
    let s = server("postgres://db/a@b?x=c@d/e");
    assert_eq!((s.user, s.password), (None, None));
    assert_eq!(s.host, "db");
    assert_eq!(s.database, "a@b");
    assert_eq!(s.params, vec![("x".into(), "c@d/e".into())]);
    // With userinfo.
    let s = server("postgres://bob:pw@db/a@b?x=c@d");
    assert_eq!(s.password.as_deref(), Some("pw"));
    assert_eq!(s.database, "a@b");
    assert_eq!(s.params, vec![("x".into(), "c@d".into())]);
}

#[test]
fn missing_database_after_an_unencoded_password() {
    for raw in [
        "postgres://bob:p@ss/w:rd@db",
        "postgres://bob:p@ss/w:rd@db:5432",
        "postgres://bob:pw@db",
        "postgres://bob:pw@db?sslmode=require",
    ] {
        assert_eq!(
            error(raw),
            "database URL has no database name (e.g. postgres://user@localhost:5432/mydb)",
            "{raw}"
        );
    }
}

#[test]
fn postgres_urls_take_every_libpq_scheme_and_a_socket_host() {
    for scheme in ["postgres", "postgresql", "postgresql+psycopg2"] {
        let url = parse(&format!("{scheme}://u@h/d")).unwrap();
        assert_eq!(url.engine(), Engine::Postgres, "{scheme}");
    }
    let s = server("postgres:///d?host=/var/run/postgresql");
    assert_eq!(s.host, "");
    assert_eq!(s.param("host"), Some("/var/run/postgresql"));
    assert_eq!(
        server("postgres://%2Fvar%2Frun%2Fpostgresql/d").host,
        "/var/run/postgresql"
    );
    assert_eq!(
        error("postgres:///d?host="),
        "database URL has no host (e.g. postgres://user@localhost:5432/mydb)"
    );
}
