use super::*;
use crate::url::SqliteLocation;
use std::collections::HashMap;

fn no_env(_: &str) -> Option<String> {
    None
}

fn parse(text: &str) -> Result<Settings, ConfigError> {
    parse_settings(text, Path::new("config.toml"), Path::new("/proj"), &no_env)
}

fn parse_env(text: &str, vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    parse_settings(
        text,
        Path::new("config.toml"),
        Path::new("/proj"),
        &move |k: &str| vars.get(k).cloned(),
    )
}

fn error(text: &str) -> String {
    parse(text).unwrap_err().0
}

fn sqlite_file(path: &str) -> DatabaseUrl {
    DatabaseUrl::Sqlite(SqliteLocation::File(PathBuf::from(path)))
}

fn assert_defaults(s: &Settings) {
    assert_eq!(s.lock, LockMode::Advisory);
    assert_eq!(s.schemas, ["public"]);
    assert_eq!(s.database, sqlite_file("/proj/app.db"));
    assert_eq!(s.dev_url, None);
    assert_eq!(s.lock_timeout, Duration::from_secs(60));
    assert_eq!(s.migrations_dirs, [PathBuf::from("/proj/migrations")]);
    assert_eq!(s.version_table, "migrate_version");
    assert_eq!(s.schema_path, PathBuf::from("/proj/schema.sql"));
    assert_eq!(s.base_dir, PathBuf::from("/proj"));
    assert_eq!(s.config_path, PathBuf::from("config.toml"));
}

#[test]
fn empty_file_takes_every_default() {
    assert_defaults(&parse("").unwrap());
    assert_defaults(&parse("# nothing\n\n").unwrap());
    assert_defaults(&parse("[database]\n[migrations]\n[schema]\n").unwrap());
}

#[test]
fn default_config_loads_to_the_defaults() {
    assert_defaults(&parse(DEFAULT_CONFIG).unwrap());
    assert!(DEFAULT_CONFIG.contains("\n# dev_url = \"postgres://localhost/scratch\""));
    assert!(DEFAULT_CONFIG.starts_with("[database]\nurl = \"sqlite:///app.db\""));
}

#[test]
fn each_key_is_read() {
    let s = parse(
        r#"
[database]
url = "postgres://bob:pw@db:5432/shop?sslmode=require"
dev_url = "sqlite:///:memory:"
lock_timeout = "5m"

[migrations]
dir = "db/migrations"
version_table = "alembic_version"

[schema]
path = "db/schema"
"#,
    )
    .unwrap();
    assert_eq!(
        s.database.to_string(),
        "postgres://bob:***@db:5432/shop?sslmode=require"
    );
    assert_eq!(s.database.server().unwrap().password.as_deref(), Some("pw"));
    assert_eq!(s.dev_url, Some(DatabaseUrl::Sqlite(SqliteLocation::Memory)));
    assert_eq!(s.lock_timeout, Duration::from_secs(300));
    assert_eq!(s.migrations_dirs, [PathBuf::from("/proj/db/migrations")]);
    assert_eq!(s.version_table, "alembic_version");
    assert_eq!(s.schema_path, PathBuf::from("/proj/db/schema"));
}

#[test]
fn dotted_keys_and_inline_tables_work() {
    let s = parse("database.url = \"sqlite:///x.db\"\nmigrations = { dir = \"m\" }\n").unwrap();
    assert_eq!(s.database, sqlite_file("/proj/x.db"));
    assert_eq!(s.migrations_dirs, [PathBuf::from("/proj/m")]);
}

#[test]
fn paths_are_relative_to_the_config_directory() {
    let s = parse(
        "[database]\nurl = \"sqlite:///./data/app.db\"\n[migrations]\ndir = \"./m\"\n\
         [schema]\npath = \"/abs/schema.sql\"\n",
    )
    .unwrap();
    assert_eq!(s.database, sqlite_file("/proj/data/app.db"));
    assert_eq!(s.migrations_dirs, [PathBuf::from("/proj/m")]);
    assert_eq!(s.schema_path, PathBuf::from("/abs/schema.sql"));
    let s = parse("[database]\nurl = \"sqlite:////var/app.db\"\n").unwrap();
    assert_eq!(s.database, sqlite_file("/var/app.db"));
}

#[test]
fn lock_timeout_forms() {
    let timeout = |v: &str| {
        parse(&format!("[database]\nlock_timeout = {v}\n"))
            .unwrap()
            .lock_timeout
    };
    assert_eq!(timeout("\"500ms\""), Duration::from_millis(500));
    assert_eq!(timeout("\"60s\""), Duration::from_secs(60));
    assert_eq!(timeout("\"5m\""), Duration::from_secs(300));
    assert_eq!(timeout("\"1h\""), Duration::from_secs(3600));
    assert_eq!(timeout("\"90\""), Duration::from_secs(90));
    assert_eq!(timeout("30"), Duration::from_secs(30));
    assert_eq!(timeout("0"), Duration::ZERO);
}

#[test]
fn a_float_lock_timeout_is_echoed_short() {
    let error = |v: &str| {
        parse(&format!("[database]\nlock_timeout = {v}\n"))
            .unwrap_err()
            .to_string()
    };
    let huge = error("1e300");
    assert!(huge.ends_with("got 1e300"), "{huge}");
    assert!(error("1.5").ends_with("got 1.5"));
    assert!(error("-0.0").ends_with("got -0.0"));
}

#[test]
fn parse_duration_accepts_and_rejects() {
    assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
    assert_eq!(parse_duration("60s"), Some(Duration::from_secs(60)));
    assert_eq!(parse_duration(" 60 s "), Some(Duration::from_secs(60)));
    assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
    assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
    assert_eq!(parse_duration("42"), Some(Duration::from_secs(42)));
    assert_eq!(parse_duration("0s"), Some(Duration::ZERO));
    for bad in [
        "",
        "s",
        "1.5s",
        "-1s",
        "60sec",
        "1d",
        "ms",
        "5 m s",
        "abc",
        "1h30m",
        "+5s",
        "99999999999999999999s",
        "18446744073709551615h",
    ] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
}

#[test]
fn database_url_env_overrides_the_file() {
    let text = "[database]\nurl = \"sqlite:///app.db\"\n";
    let s = parse_env(text, &[("DATABASE_URL", "mysql://root:pw@h/app")]).unwrap();
    assert_eq!(s.database.to_string(), "mysql://root:***@h/app");
    // Also when the file has no url.
    let s = parse_env("", &[(DATABASE_URL_VAR, "sqlite:///other.db")]).unwrap();
    assert_eq!(s.database, sqlite_file("/proj/other.db"));
    // An empty DATABASE_URL does not override.
    let s = parse_env(text, &[("DATABASE_URL", "")]).unwrap();
    assert_eq!(s.database, sqlite_file("/proj/app.db"));
    // The file's url is not expanded when overridden: its unset variable is no error.
    let s = parse_env(
        "[database]\nurl = \"${NOT_SET}\"\n",
        &[("DATABASE_URL", "sqlite://")],
    )
    .unwrap();
    assert_eq!(s.database, DatabaseUrl::Sqlite(SqliteLocation::Memory));
}

#[test]
fn bad_database_url_env_is_an_error_without_the_password() {
    let e = parse_env("", &[("DATABASE_URL", "oracle://scott:tiger@h/d")])
        .unwrap_err()
        .0;
    assert_eq!(
        e,
        "environment variable DATABASE_URL: unsupported database URL scheme 'oracle' \
         (expected sqlite, postgres or mysql)"
    );
}

#[test]
fn vars_are_expanded_in_every_string() {
    let s = parse_env(
        r#"[database]
url = "postgres://${DB_USER}:${DB_PASS}@${DB_HOST}:5432/${DB_NAME}"
dev_url = "${DEV}"
lock_timeout = "${TIMEOUT}s"
[migrations]
dir = "${ROOT}/migrations"
version_table = "${TABLE}"
[schema]
path = "${ROOT}/schema.sql"
"#,
        &[
            ("DB_USER", "bob"),
            ("DB_PASS", "p@ss/w:rd"),
            ("DB_HOST", "db"),
            ("DB_NAME", "shop"),
            ("DEV", "sqlite://"),
            ("TIMEOUT", "15"),
            ("ROOT", "sub"),
            ("TABLE", "my_versions"),
        ],
    )
    .unwrap();
    let server = s.database.server().unwrap();
    assert_eq!(server.user.as_deref(), Some("bob"));
    assert_eq!(server.password.as_deref(), Some("p@ss/w:rd"));
    assert_eq!(server.host, "db");
    assert_eq!(server.database, "shop");
    assert_eq!(s.dev_url, Some(DatabaseUrl::Sqlite(SqliteLocation::Memory)));
    assert_eq!(s.lock_timeout, Duration::from_secs(15));
    assert_eq!(s.migrations_dirs, [PathBuf::from("/proj/sub/migrations")]);
    assert_eq!(s.version_table, "my_versions");
    assert_eq!(s.schema_path, PathBuf::from("/proj/sub/schema.sql"));
}

#[test]
fn empty_dev_url_is_no_dev_url() {
    let s = parse_env("[database]\ndev_url = \"${DEV}\"\n", &[("DEV", "")]).unwrap();
    assert_eq!(s.dev_url, None);
}

#[test]
fn expand_vars_rules() {
    let env = |k: &str| match k {
        "A" => Some("1".to_string()),
        "B_2" => Some("${A}".to_string()),
        _ => None,
    };
    assert_eq!(expand_vars("x${A}y${A}", &env).unwrap(), "x1y1");
    // Values are not expanded again.
    assert_eq!(expand_vars("${B_2}", &env).unwrap(), "${A}");
    // `$${` is a literal `${`; other dollars are left alone.
    assert_eq!(expand_vars("$${A}", &env).unwrap(), "${A}");
    assert_eq!(expand_vars("a$b $$ $ $A $", &env).unwrap(), "a$b $$ $ $A $");
    assert_eq!(
        expand_vars("${MISSING}", &env).unwrap_err(),
        "environment variable MISSING is not set"
    );
    assert_eq!(
        expand_vars("x${A", &env).unwrap_err(),
        "'${' without a closing '}' (write '$${' for a literal '${')"
    );
    assert_eq!(
        expand_vars("${A-B}", &env).unwrap_err(),
        "'${A-B}' is not a valid variable reference (names are letters, digits and \
         underscores; write '$${' for a literal '${')"
    );
}

#[test]
fn unset_variable_names_variable_key_and_line() {
    let e = parse("\n[database]\nurl = \"postgres://bob:${DB_PASS}@db/shop\"\n")
        .unwrap_err()
        .0;
    assert_eq!(
        e,
        "config.toml:3: database.url: environment variable DB_PASS is not set"
    );
    let e = parse("[schema]\npath = \"${SCHEMA}\"\n").unwrap_err().0;
    assert_eq!(
        e,
        "config.toml:2: schema.path: environment variable SCHEMA is not set"
    );
}

#[test]
fn unknown_keys_name_key_table_and_line() {
    assert_eq!(
        error("[database]\nurl = \"sqlite://\"\n\n[migrations]\ndirr = \"m\"\n"),
        "config.toml:5: unknown key 'dirr' in [migrations]"
    );
    // The first in file order, not in name order.
    assert_eq!(
        error("[database]\nzz = 1\naa = 2\n"),
        "config.toml:2: unknown key 'zz' in [database]"
    );
    // Dotted keys and sub-tables.
    assert_eq!(
        error("\ndatabase.urll = \"x\"\n"),
        "config.toml:2: unknown key 'urll' in [database]"
    );
    assert_eq!(
        error("[database]\n\n[database.pool]\nsize = 5\n"),
        "config.toml:3: unknown key 'pool' in [database]"
    );
    assert_eq!(
        error("[migrations]\ndir = \"m\"\n\ndatabase.pool.size = 1\n"),
        "config.toml:4: unknown key 'database' in [migrations]"
    );
    assert_eq!(
        error("# top\n\ndatabase.pool.size = 1\n[migrations]\n"),
        "config.toml:3: unknown key 'pool' in [database]"
    );
    assert_eq!(
        error("[schema]\npath = \"s.sql\"\nextra.x = 1\n"),
        "config.toml:3: unknown key 'extra' in [schema]"
    );
}

#[test]
fn unknown_top_level_tables_and_keys() {
    assert_eq!(
        error("[database]\n\n[alembic]\nscript_location = \"x\"\n"),
        "config.toml:3: unknown table [alembic] (expected [database], [migrations] or [schema])"
    );
    assert_eq!(
        error("\n\n[tool.migrate]\nx = 1\n"),
        "config.toml:3: unknown table [tool] (expected [database], [migrations] or [schema])"
    );
    assert_eq!(
        error("url = \"sqlite://\"\n"),
        "config.toml:1: unknown top-level key 'url' (expected [database], [migrations] or [schema])"
    );
    assert_eq!(
        error("# c\ndatabase = \"sqlite://\"\n"),
        "config.toml:2: [database] must be a table"
    );
}

#[test]
fn wrong_types_name_key_value_and_line() {
    assert_eq!(
        error("[database]\nlock_timeout = 12.5\n"),
        "config.toml:2: database.lock_timeout must be a duration like \"60s\", got 12.5"
    );
    assert_eq!(
        error("[database]\nlock_timeout = \"soon\"\n"),
        "config.toml:2: database.lock_timeout must be a duration like \"60s\", got 'soon'"
    );
    assert_eq!(
        error("[database]\n\nlock_timeout = -5\n"),
        "config.toml:3: database.lock_timeout must be a duration like \"60s\", got -5"
    );
    assert_eq!(
        error("[database]\nlock_timeout = true\n"),
        "config.toml:2: database.lock_timeout must be a duration like \"60s\", got true"
    );
    assert_eq!(
        error("[database]\nurl = 5\n"),
        "config.toml:2: database.url must be a string, got 5"
    );
    assert_eq!(
        error("[migrations]\ndir = [\"a\"]\n"),
        "config.toml:2: migrations.dir must be a string, got an array"
    );
    assert_eq!(
        error("[schema]\npath = { a = 1 }\n"),
        "config.toml:2: schema.path must be a string, got a table"
    );
    assert_eq!(
        error("[migrations]\ndir = \"\"\n"),
        "config.toml:2: migrations.dir must not be empty"
    );
    // Type-checked even when DATABASE_URL overrides it.
    assert_eq!(
        parse_env("[database]\nurl = 1\n", &[("DATABASE_URL", "sqlite://")])
            .unwrap_err()
            .0,
        "config.toml:2: database.url must be a string, got 1"
    );
}

#[test]
fn version_table_must_be_an_identifier_of_at_most_60_characters() {
    assert_eq!(
        error("[migrations]\nversion_table = \"my-versions\"\n"),
        "config.toml:2: migrations.version_table must be a table name of letters, digits and \
         underscores, not starting with a digit, got 'my-versions'"
    );
    assert_eq!(
        error("[migrations]\nversion_table = \"1v\"\n"),
        "config.toml:2: migrations.version_table must be a table name of letters, digits and \
         underscores, not starting with a digit, got '1v'"
    );
    assert_eq!(
        error("[migrations]\nversion_table = \"\"\n"),
        "config.toml:2: migrations.version_table must be a table name of letters, digits and \
         underscores, not starting with a digit, got ''"
    );
    let sixty = "v".repeat(60);
    assert_eq!(
        parse(&format!("[migrations]\nversion_table = \"{sixty}\"\n"))
            .unwrap()
            .version_table,
        sixty
    );
    assert_eq!(
        error(&format!("[migrations]\nversion_table = \"_{sixty}\"\n")),
        "config.toml:2: migrations.version_table must be at most 60 characters, got 61 characters"
    );
    assert_eq!(
        parse("[migrations]\nversion_table = \"_V9\"\n")
            .unwrap()
            .version_table,
        "_V9"
    );
}

#[test]
fn bad_urls_name_key_and_line() {
    assert_eq!(
        error("[database]\nurl = \"oracle://scott:tiger@h/d\"\n"),
        "config.toml:2: database.url: unsupported database URL scheme 'oracle' \
         (expected sqlite, postgres or mysql)"
    );
    assert_eq!(
        error("[database]\nurl = \"sqlite:///a.db\"\ndev_url = \"postgres://bob:tiger@h\"\n"),
        "config.toml:3: database.dev_url: database URL has no database name \
         (e.g. postgres://user@localhost:5432/mydb)"
    );
    assert_eq!(
        error("[database]\nurl = \"\"\n"),
        "config.toml:2: database.url: database URL is empty"
    );
}

#[test]
fn toml_syntax_errors_have_the_line() {
    assert_eq!(
        error("[database]\nurl = \n"),
        "config.toml:2: invalid string, expected `\"`, `'`"
    );
    assert_eq!(
        error("[database]\nurl = \"a\"\nurl = \"b\"\n"),
        "config.toml:3: duplicate key `url` in table `database`"
    );
    let e = error("[database\n");
    assert!(e.starts_with("config.toml:1: "), "{e}");
    let e = error("[database]\n\n\nurl = \"sqlite:///a.db\n");
    assert!(e.starts_with("config.toml:4: "), "{e}");
}

#[test]
fn passwords_never_appear_in_errors() {
    let secret = "hunter2";
    for text in [
        "[database]\nurl = \"postgres://bob:hunter2@h:99999/d\"\n",
        "[database]\nurl = \"postgres://bob:hunter2@h\"\n",
        "[database]\nurl = \"postgres://bob:hunter2/d\"\n",
        "[database]\nurl = \"oracle://bob:hunter2@h/d\"\n",
        "[database]\ndev_url = \"mysql://bob:hunter2@/d\"\n",
        "[database]\nurl = \"postgres://bob:hunter2@h/d\"\nurl = \"x\"\n",
        "[database]\nurl = \"postgres://bob:hunter2@h/d\"\nlock_timeout = \"postgres://bob:hunter2@h/d\"\n",
        "[migrations]\nversion_table = \"postgres://bob:hunter2@h/d\"\n",
        "[database]\nurl = \"postgres://bob:hunter2@h/d\" junk\n",
        "[database]\nurl = \"postgres://bob:${P}@h:x/d\"\n",
    ] {
        let e = parse_env(text, &[("P", secret)]).unwrap_err().0;
        assert!(!e.contains(secret), "{text:?} -> {e}");
    }
    let e = parse_env("", &[("DATABASE_URL", "postgres://bob:hunter2@h:0/d")])
        .unwrap_err()
        .0;
    assert!(!e.contains(secret), "{e}");
}

#[test]
fn load_reads_the_file_and_resolves_the_base_dir() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("proj");
    std::fs::create_dir(&sub).unwrap();
    let path = sub.join("config.toml");
    std::fs::write(&path, DEFAULT_CONFIG).unwrap();
    let s = load(&path, &no_env).unwrap();
    assert_eq!(s.config_path, path);
    assert_eq!(s.base_dir, sub);
    assert_eq!(
        s.database,
        sqlite_file(sub.join("app.db").to_str().unwrap())
    );
    assert_eq!(s.migrations_dirs, [sub.join("migrations")]);
    assert_eq!(s.schema_path, sub.join("schema.sql"));
    // Errors carry the path as given.
    std::fs::write(&path, "[database]\nurl = 1\n").unwrap();
    assert_eq!(
        load(&path, &no_env).unwrap_err().0,
        format!("{}:2: database.url must be a string, got 1", path.display())
    );
}

#[test]
fn load_a_relative_path_resolves_against_the_current_directory() {
    // No chdir (tests run in parallel): a path relative to the crate root.
    let rel = Path::new("target/settings-test-relative/config.toml");
    std::fs::create_dir_all(rel.parent().unwrap()).unwrap();
    std::fs::write(rel, "").unwrap();
    let s = load(rel, &no_env).unwrap();
    let expected = std::env::current_dir()
        .unwrap()
        .join("target/settings-test-relative");
    assert_eq!(s.base_dir, expected);
    assert_eq!(s.migrations_dirs, [expected.join("migrations")]);
    assert_eq!(s.config_path, rel);
}

#[test]
fn settings_debug_hides_the_password() {
    let s = parse(
        "[database]\nurl = \"postgres://bob:hunter2@db/shop\"\n\
         dev_url = \"mysql://root:hunter3@db/scratch\"\n",
    )
    .unwrap();
    let debug = format!("{s:?}");
    assert!(!debug.contains("hunter"), "{debug}");
    assert!(debug.contains("postgres://bob:***@db/shop"), "{debug}");
    assert!(debug.contains("mysql://root:***@db/scratch"), "{debug}");
}

#[test]
fn load_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    assert_eq!(
        load(&path, &no_env).unwrap_err().0,
        format!(
            "config file {} not found (run `migrate init` to create one)",
            path.display()
        )
    );
}

#[test]
fn every_key_has_the_line_it_is_written_on() {
    // Spans come from a parsed ImDocument (a DocumentMut drops them), for every form of
    // key, also those of tables made by dotted keys, which have no span of their own.
    let text =
        "a.b = 1\n\n[c . d]\n[[e]]\n\"f\" = { g = [\n 1,\n ] }\nh = \"\"\"\nx\"\"\"\ni = 2\n";
    let doc = toml_edit::ImDocument::parse(text).unwrap();
    let root = entries(doc.as_table());
    let lines = |t: &RawTable| -> Vec<(String, usize)> {
        t.iter()
            .map(|(k, (pos, _))| (k.clone(), text[..*pos].matches('\n').count() + 1))
            .collect()
    };
    let owned = |v: &[(&str, usize)]| -> Vec<(String, usize)> {
        v.iter().map(|(k, l)| (k.to_string(), *l)).collect()
    };
    assert_eq!(lines(&root), owned(&[("a", 1), ("c", 3), ("e", 4)]));
    assert_eq!(root["a"].1, Raw::Table);
    assert_eq!(root["e"].1, Raw::Array);
    let a = entries(doc["a"].as_table_like().unwrap());
    assert_eq!(lines(&a), owned(&[("b", 1)]));
    let c = entries(doc["c"].as_table_like().unwrap());
    assert_eq!(lines(&c), owned(&[("d", 3)]));
    let e = entries(doc["e"].as_array_of_tables().unwrap().get(0).unwrap());
    assert_eq!(lines(&e), owned(&[("f", 5), ("h", 8), ("i", 10)]));
    assert_eq!(e["h"].1, Raw::String("x".into()));
    let f = entries(doc["e"][0]["f"].as_table_like().unwrap());
    assert_eq!(lines(&f), owned(&[("g", 5)]));
}

#[test]
fn lock_timeout_is_bounded_where_engines_would_overflow() {
    // rusqlite's busy timeout panicked at 2147484s (i32::MAX milliseconds); found by fuzzing.
    for written in [
        "\"2147484s\"",
        "\"86401\"",
        "\"25h\"",
        "86401",
        "9223372036854775807",
    ] {
        let text = format!("[database]\nlock_timeout = {written}\n");
        let message = error(&text);
        assert!(
            message
                .starts_with("config.toml:2: database.lock_timeout must be at most 86400s, got "),
            "{message}"
        );
    }
    for written in ["\"86400s\"", "\"24h\"", "\"1440m\"", "86400"] {
        let text = format!("[database]\nlock_timeout = {written}\n");
        assert_eq!(parse(&text).unwrap().lock_timeout, MAX_LOCK_TIMEOUT);
    }
}

#[test]
fn echoed_values_are_escaped_and_cut() {
    let long = "x".repeat(200_000);
    let message = error(&format!("[database]\nlock_timeout = \"{long}\"\n"));
    assert!(message.len() < 200, "{message}");
    assert!(message.ends_with("...' (200000 characters)"), "{message}");
    let message = error("[migrations]\nversion_table = \"a\\r\\u0000b\"\n");
    assert!(message.ends_with(r"got 'a\r\0b'"), "{message}");
    let message = error("[database]\n\"k\\u001b[2J\" = 1\n");
    assert_eq!(
        message,
        r"config.toml:2: unknown key 'k\x1b[2J' in [database]"
    );
    let message = error(&format!("[{long}]\n"));
    assert!(message.len() < 200, "{message}");
}

const PG: &str = "[database]\nurl = \"postgres://u@h/d\"\n";

#[test]
fn postgres_takes_a_lock_mode_and_schemas() {
    let s = parse(&format!(
        "{PG}lock = \"table\"\nschemas = [\"app\", \"audit\"]\n"
    ))
    .unwrap();
    assert_eq!(s.lock, LockMode::Table);
    assert_eq!(s.schemas, ["app", "audit"]);
    let s = parse(&format!("{PG}lock = \"advisory\"\n")).unwrap();
    assert_eq!(s.lock, LockMode::Advisory);
    assert_eq!(s.schemas, ["public"]);
}

#[test]
fn a_wrong_lock_mode_names_the_key_and_the_modes() {
    assert_eq!(
        error(&format!("{PG}lock = \"row\"\n")),
        "config.toml:3: database.lock must be \"advisory\" or \"table\", got 'row'"
    );
    assert_eq!(
        error(&format!("{PG}lock = 1\n")),
        "config.toml:3: database.lock must be a string, got 1"
    );
}

#[test]
fn schemas_must_be_a_non_empty_list_of_names() {
    let expected = "config.toml:3: database.schemas must be a non-empty array of names, \
                    like [\"public\"]";
    assert_eq!(
        error(&format!("{PG}schemas = []\n")),
        format!("{expected}, got an empty array")
    );
    assert_eq!(
        error(&format!("{PG}schemas = \"public\"\n")),
        format!("{expected}, got 'public'")
    );
    assert_eq!(
        error(&format!("{PG}schemas = [\"a\", 2]\n")),
        format!("{expected}, got an element 2")
    );
    assert_eq!(
        error(&format!("{PG}schemas = [\"\"]\n")),
        "config.toml:3: database.schemas must not hold an empty name"
    );
    assert_eq!(
        error(&format!("{PG}schemas = [\"a\", \"a\"]\n")),
        "config.toml:3: database.schemas names 'a' twice"
    );
}

#[test]
fn lock_and_schemas_are_refused_for_other_engines() {
    assert_eq!(
        error("[database]\nurl = \"sqlite:///a.db\"\nlock = \"table\"\n"),
        "config.toml:3: database.lock is for PostgreSQL only, but the database is SQLite"
    );
    assert_eq!(
        error("[database]\nurl = \"mysql://u@h/d\"\nschemas = [\"x\"]\n"),
        "config.toml:3: database.schemas is for PostgreSQL only, but the database is MySQL"
    );
}
