//! Databases of their own on the real servers: each test creates a uniquely named
//! database through `MIGRATE_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`)
//! or `MIGRATE_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306/test`) and drops it
//! when done, so tests run in parallel. Without a reachable server a test says
//! that it skipped; under `CI=true` an unreachable server fails the test.

use crate::project::TestProject;
use migrate::dialect::Driver;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU32, Ordering};

/// The URL of the PostgreSQL server the tests use.
pub fn postgres_admin_url() -> String {
    admin_url::<Pg>()
}

/// The URL of the MySQL/MariaDB server the tests use.
pub fn mysql_admin_url() -> String {
    admin_url::<My>()
}

/// The URL of `E`'s server: its variable's value, or the default.
fn admin_url<E: Engine>() -> String {
    std::env::var(E::URL_VARIABLE)
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| E::DEFAULT_URL.into())
}

/// Whether an unreachable server fails the test rather than skipping it.
fn server_required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// `url` with its database (the path) replaced by `database`; the query is kept.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{database}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// A database name no other test of any process uses: `mt_<label>_<pid>_<n>`, lower case,
/// at most 63 bytes (PostgreSQL's identifier limit).
pub fn unique_name(label: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let label: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    format!(
        "mt_{label}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Why a statement on the server did not run.
pub enum Failure {
    /// No connection to the server.
    Unreachable(String),
    /// The server refused the statement.
    Refused(String),
}

/// A server engine the tests make databases on: what differs between PostgreSQL and
/// MariaDB/MySQL in reaching the server and reading from it. Test modules add their own
/// engine traits (`Connecting`, `Scratching`, `Racing`, ...) for scenarios written once
/// for both engines, generic over `E` and run on a `Database<E>`.
pub trait Engine {
    /// The engine's name in the messages of a skipped or failed test.
    const NAME: &'static str;
    /// The environment variable with the server's URL, and the URL without it.
    const URL_VARIABLE: &'static str;
    const DEFAULT_URL: &'static str;
    /// The statements that create and drop database `name`.
    fn create_database(name: &str) -> String;
    fn drop_database(name: &str) -> String;
    /// Runs `sql` (one or more statements) on the database of `url`.
    fn execute(url: &str, sql: &str) -> Result<(), Failure>;
    /// The first column of every row of `sql` on the database of `url`, as text.
    fn strings(url: &str, sql: &str) -> Vec<String>;
    /// The query of the tables of the database, in the order of their names' bytes.
    const TABLES: &'static str;
    /// The tool's own driver on `url` (PostgreSQL: on schema public), or the error's text.
    fn connect(url: &str) -> Result<Box<dyn Driver>, String>;
}

/// PostgreSQL.
pub struct Pg;

/// MariaDB/MySQL.
pub struct My;

/// A database of its own on `E`'s server, dropped (with its connections) on drop.
pub struct Database<E: Engine> {
    admin_url: String,
    /// The database's name.
    pub name: String,
    engine: PhantomData<E>,
}

/// A database of its own on the PostgreSQL server.
pub type PgDatabase = Database<Pg>;

/// A database of its own on the MySQL/MariaDB server (utf8mb4).
pub type MyDatabase = Database<My>;

impl<E: Engine> Database<E> {
    /// A fresh, empty database for the test `label`; `None` (after saying so on stderr)
    /// when the server is unreachable and `CI` is not `true`.
    pub fn create(label: &str) -> Option<Database<E>> {
        let admin_url = admin_url::<E>();
        let name = unique_name(label);
        match E::execute(&admin_url, &E::create_database(&name)) {
            Ok(()) => {}
            Err(Failure::Unreachable(e)) if !server_required() => {
                eprintln!(
                    "skipped: {} at {admin_url} is unreachable ({e}); set {}",
                    E::NAME,
                    E::URL_VARIABLE
                );
                return None;
            }
            Err(Failure::Unreachable(e)) => panic!(
                "{} at {admin_url} is unreachable under CI=true: {e}",
                E::NAME
            ),
            Err(Failure::Refused(e)) => panic!("cannot create test database {name}: {e}"),
        }
        Some(Database {
            admin_url,
            name,
            engine: PhantomData,
        })
    }

    /// The database's URL, for config.toml.
    pub fn url(&self) -> String {
        with_database(&self.admin_url, &self.name)
    }

    /// The database's URL with `query` appended.
    pub fn url_with(&self, query: &str) -> String {
        let url = self.url();
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}{query}")
    }

    /// The first column of every row of `sql`, as text (NULL: PostgreSQL "", MySQL "NULL").
    pub fn strings(&self, sql: &str) -> Vec<String> {
        E::strings(&self.url(), sql)
    }

    /// Runs `sql` (one or more statements) outside the tool.
    pub fn execute(&self, sql: &str) {
        match E::execute(&self.url(), sql) {
            Ok(()) => {}
            Err(Failure::Unreachable(e) | Failure::Refused(e)) => panic!("{sql}: {e}"),
        }
    }

    /// The tables of the database (PostgreSQL: of schema public) in the order of their
    /// names' bytes.
    pub fn tables(&self) -> Vec<String> {
        self.strings(E::TABLES)
    }

    /// The version table's rows.
    pub fn versions(&self) -> Vec<String> {
        self.strings("SELECT version_num FROM migrate_version ORDER BY 1")
    }

    /// A project on the database with a 20 s lock_timeout.
    pub fn project(&self) -> TestProject {
        TestProject::on_url(&self.url())
    }

    /// A project on the database with `extra` lines in `[database]`.
    pub fn project_with(&self, extra: &str) -> TestProject {
        TestProject::with_config(&format!("[database]\nurl = \"{}\"\n{extra}\n", self.url()))
    }
}

impl<E: Engine> Drop for Database<E> {
    fn drop(&mut self) {
        let _ = E::execute(&self.admin_url, &E::drop_database(&self.name));
    }
}

impl Engine for Pg {
    const NAME: &'static str = "PostgreSQL";
    const URL_VARIABLE: &'static str = "MIGRATE_TEST_POSTGRES_URL";
    const DEFAULT_URL: &'static str = "postgres://postgres@127.0.0.1:5432/test";
    fn create_database(name: &str) -> String {
        format!("CREATE DATABASE \"{name}\"")
    }
    fn drop_database(name: &str) -> String {
        format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")
    }
    fn execute(url: &str, sql: &str) -> Result<(), Failure> {
        let mut client = postgres::Client::connect(url, postgres::NoTls)
            .map_err(|e| Failure::Unreachable(e.to_string()))?;
        client
            .batch_execute(sql)
            .map_err(|e| Failure::Refused(e.to_string()))
    }
    fn strings(url: &str, sql: &str) -> Vec<String> {
        connect_pg(url)
            .simple_query(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .into_iter()
            .filter_map(|message| match message {
                postgres::SimpleQueryMessage::Row(row) => {
                    Some(row.get(0).unwrap_or("").to_string())
                }
                _ => None,
            })
            .collect()
    }
    const TABLES: &'static str = "SELECT relname FROM pg_class c \
        JOIN pg_namespace n ON n.oid = c.relnamespace \
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY relname";
    /// On schema public, under the advisory lock.
    fn connect(url: &str) -> Result<Box<dyn Driver>, String> {
        use migrate::dialect::postgres::{ConnectSettings, LockMode, PgDriver};
        let DatabaseUrl::Postgres(server) = parse(url) else {
            panic!("not a PostgreSQL URL: {url}");
        };
        let settings = ConnectSettings::from_url(&server).map_err(|e| format!("{e:#}"))?;
        PgDriver::connect(&settings, LockMode::Advisory, vec!["public".into()])
            .map(|driver| Box::new(driver) as Box<dyn Driver>)
            .map_err(|e| format!("{e:#}"))
    }
}

impl Engine for My {
    const NAME: &'static str = "MySQL";
    const URL_VARIABLE: &'static str = "MIGRATE_TEST_MYSQL_URL";
    const DEFAULT_URL: &'static str = "mysql://root@127.0.0.1:3306/test";
    fn create_database(name: &str) -> String {
        format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
    }
    fn drop_database(name: &str) -> String {
        format!("DROP DATABASE IF EXISTS `{name}`")
    }
    /// Statement by statement (split at each `;`).
    fn execute(url: &str, sql: &str) -> Result<(), Failure> {
        use mysql::prelude::Queryable;
        let mut conn = mysql::Conn::new(mysql::Opts::from_url(url).unwrap())
            .map_err(|e| Failure::Unreachable(e.to_string()))?;
        for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
            conn.query_drop(statement)
                .map_err(|e| Failure::Refused(format!("{statement}: {e}")))?;
        }
        Ok(())
    }
    fn strings(url: &str, sql: &str) -> Vec<String> {
        use mysql::prelude::Queryable;
        let rows: Vec<mysql::Row> = connect_my(url)
            .query(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.into_iter()
            .map(|row| match row.as_ref(0) {
                Some(mysql::Value::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
                Some(mysql::Value::NULL) | None => "NULL".to_string(),
                Some(other) => other.as_sql(true),
            })
            .collect()
    }
    /// As SHOW TABLES lists them.
    const TABLES: &'static str = "SHOW TABLES";
    fn connect(url: &str) -> Result<Box<dyn Driver>, String> {
        use migrate::dialect::mysql::{ConnectSettings, MysqlDriver};
        let DatabaseUrl::Mysql(server) = parse(url) else {
            panic!("not a MySQL URL: {url}");
        };
        let settings = ConnectSettings::from_url(&server).map_err(|e| format!("{e:#}"))?;
        MysqlDriver::connect(&settings)
            .map(|driver| Box::new(driver) as Box<dyn Driver>)
            .map_err(|e| format!("{e:#}"))
    }
}

use migrate::url::DatabaseUrl;

fn parse(url: &str) -> DatabaseUrl {
    DatabaseUrl::parse(url, std::path::Path::new("/")).unwrap_or_else(|e| panic!("{url}: {e:#}"))
}

fn connect_pg(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"))
}

fn connect_my(url: &str) -> mysql::Conn {
    mysql::Conn::new(mysql::Opts::from_url(url).unwrap())
        .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"))
}

impl PgDatabase {
    /// A new connection to the database.
    pub fn client(&self) -> postgres::Client {
        connect_pg(&self.url())
    }
}

impl MyDatabase {
    /// A new connection to the database.
    pub fn conn(&self) -> mysql::Conn {
        connect_my(&self.url())
    }
}

#[test]
fn a_mysql_database_of_its_own_is_made_and_dropped() {
    use mysql::prelude::Queryable;
    let Some(db) = MyDatabase::create("servers self test") else {
        return;
    };
    let name = db.name.clone();
    let mut conn = db.conn();
    let current: Option<String> = conn.query_first("SELECT DATABASE()").unwrap();
    assert_eq!(current.as_deref(), Some(name.as_str()));
    drop(conn);
    drop(db);
    let mut admin = mysql::Conn::new(mysql::Opts::from_url(&mysql_admin_url()).unwrap()).unwrap();
    let left: Vec<String> = admin
        .exec(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name = ?",
            (name.clone(),),
        )
        .unwrap();
    assert!(left.is_empty(), "database {name} was not dropped");
}

#[test]
fn a_database_of_its_own_is_made_and_dropped() {
    let Some(db) = PgDatabase::create("servers self test") else {
        return;
    };
    let name = db.name.clone();
    let mut client = db.client();
    let row = client.query_one("SELECT current_database()", &[]).unwrap();
    assert_eq!(row.get::<_, String>(0), name);
    drop(client);
    drop(db);
    let mut admin = postgres::Client::connect(&postgres_admin_url(), postgres::NoTls).unwrap();
    let left = admin
        .query("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .unwrap();
    assert!(left.is_empty(), "database {name} was not dropped");
}

#[test]
fn urls_get_their_database_replaced() {
    assert_eq!(
        with_database("postgres://u:p@h:5432/test?sslmode=disable", "x"),
        "postgres://u:p@h:5432/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}
