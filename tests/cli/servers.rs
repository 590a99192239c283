//! Databases of their own on the real servers: each test creates a uniquely named
//! database through `MIGRATE_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`)
//! or `MIGRATE_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306/test`) and drops it
//! when done, so tests run in parallel. Without a reachable server a test says
//! that it skipped; under `CI=true` an unreachable server fails the test.

use std::sync::atomic::{AtomicU32, Ordering};

/// The URL of the PostgreSQL server the tests use.
pub fn postgres_admin_url() -> String {
    std::env::var("MIGRATE_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".into())
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

/// A database of its own on the PostgreSQL server, dropped (with its connections) on drop.
pub struct PgDatabase {
    admin_url: String,
    /// The database's name.
    pub name: String,
}

impl PgDatabase {
    /// A fresh, empty database for the test `label`; `None` (after saying so on stderr)
    /// when the server is unreachable and `CI` is not `true`.
    pub fn create(label: &str) -> Option<PgDatabase> {
        let admin_url = postgres_admin_url();
        let mut admin = match postgres::Client::connect(&admin_url, postgres::NoTls) {
            Ok(client) => client,
            Err(e) if !server_required() => {
                eprintln!("skipped: PostgreSQL at {admin_url} is unreachable ({e}); set MIGRATE_TEST_POSTGRES_URL");
                return None;
            }
            Err(e) => panic!("PostgreSQL at {admin_url} is unreachable under CI=true: {e}"),
        };
        let name = unique_name(label);
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        Some(PgDatabase { admin_url, name })
    }

    /// The database's URL, for config.toml.
    pub fn url(&self) -> String {
        with_database(&self.admin_url, &self.name)
    }

    /// A new connection to the database.
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url(), postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to {}: {e}", self.name))
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The URL of the MySQL/MariaDB server the tests use.
pub fn mysql_admin_url() -> String {
    std::env::var("MIGRATE_TEST_MYSQL_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "mysql://root@127.0.0.1:3306/test".into())
}

/// A database of its own on the MySQL/MariaDB server, dropped on drop.
pub struct MyDatabase {
    admin_url: String,
    /// The database's name.
    pub name: String,
}

impl MyDatabase {
    /// A fresh, empty database (utf8mb4) for the test `label`; `None` (after saying so on
    /// stderr) when the server is unreachable and `CI` is not `true`.
    pub fn create(label: &str) -> Option<MyDatabase> {
        let admin_url = mysql_admin_url();
        let mut admin = match mysql::Conn::new(mysql::Opts::from_url(&admin_url).unwrap()) {
            Ok(conn) => conn,
            Err(e) if !server_required() => {
                eprintln!("skipped: MySQL at {admin_url} is unreachable ({e}); set MIGRATE_TEST_MYSQL_URL");
                return None;
            }
            Err(e) => panic!("MySQL at {admin_url} is unreachable under CI=true: {e}"),
        };
        let name = unique_name(label);
        use mysql::prelude::Queryable;
        admin
            .query_drop(format!(
                "CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
            ))
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        Some(MyDatabase { admin_url, name })
    }

    /// The database's URL, for config.toml.
    pub fn url(&self) -> String {
        with_database(&self.admin_url, &self.name)
    }

    /// A new connection to the database.
    pub fn conn(&self) -> mysql::Conn {
        mysql::Conn::new(mysql::Opts::from_url(&self.url()).unwrap())
            .unwrap_or_else(|e| panic!("cannot connect to {}: {e}", self.name))
    }
}

impl Drop for MyDatabase {
    fn drop(&mut self) {
        use mysql::prelude::Queryable;
        if let Ok(mut admin) = mysql::Conn::new(mysql::Opts::from_url(&self.admin_url).unwrap()) {
            let _ = admin.query_drop(format!("DROP DATABASE IF EXISTS `{}`", self.name));
        }
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
