//! The three engines behind one trait, for a scenario written once and run on SQLite,
//! PostgreSQL and MariaDB/MySQL: each engine's project on a database of its own, judged
//! through the engine's own catalog (sqlite_master and pragma_table_info, pg_class and
//! information_schema, information_schema).

use crate::project::TestProject;
use crate::servers::{Database, Engine, My, Pg};

/// The database a scenario migrates, read through its engine's catalog.
pub trait Catalog {
    /// The project whose config.toml points at the database.
    fn project(&self) -> &TestProject;
    /// The user tables (not the tool's), sorted.
    fn tables(&self) -> Vec<String>;
    /// The version table's rows, sorted.
    fn versions(&self) -> Vec<String>;
    /// The columns of the history table, in order.
    fn history_columns(&self) -> Vec<String>;
    /// The first column of each row of `sql`, as text.
    fn strings(&self, sql: &str) -> Vec<String>;
    /// Runs statements outside the tool (the user fixing the database by hand).
    fn execute(&self, sql: &str);
    /// The history table as an earlier build created it (before the step columns).
    fn old_history_table(&self) -> &'static str;
    /// The engine's reason for a statement on a table `nope` that does not exist.
    fn no_such_table(&self) -> String;
}

pub struct Sqlite(pub TestProject);

impl Catalog for Sqlite {
    fn project(&self) -> &TestProject {
        &self.0
    }
    fn tables(&self) -> Vec<String> {
        self.0
            .tables()
            .into_iter()
            .filter(|t| !t.starts_with("migrate_"))
            .collect()
    }
    fn versions(&self) -> Vec<String> {
        self.0.version_rows()
    }
    fn history_columns(&self) -> Vec<String> {
        self.0
            .strings("SELECT name FROM pragma_table_info('migrate_version_history') ORDER BY cid")
    }
    fn strings(&self, sql: &str) -> Vec<String> {
        self.0.strings(sql)
    }
    fn execute(&self, sql: &str) {
        self.0.db().execute_batch(sql).expect(sql);
    }
    fn old_history_table(&self) -> &'static str {
        "CREATE TABLE migrate_version_history (id INTEGER PRIMARY KEY AUTOINCREMENT, \
         version_num VARCHAR(32) NOT NULL, operation VARCHAR(10) NOT NULL, \
         checksum VARCHAR(64), upgrade_sql TEXT, applied_at VARCHAR(40) NOT NULL, \
         duration_ms BIGINT)"
    }
    fn no_such_table(&self) -> String {
        "no such table: nope".into()
    }
}

/// What a server engine's catalog needs beyond [`Engine`]'s.
pub trait Cataloged: Engine {
    /// The SQL expression of the schema the tool's tables are in.
    const SCHEMA: &'static str;
    /// The engine's spelling of `sql` written for SQLite and PostgreSQL.
    fn spelled(sql: &str) -> String {
        sql.to_string()
    }
    /// The history table as an earlier build created it (before the step columns).
    const OLD_HISTORY_TABLE: &'static str;
    /// The engine's reason for a statement on a table `nope` of database `database`.
    fn no_such_table(database: &str) -> String;
}

impl Cataloged for Pg {
    const SCHEMA: &'static str = "'public'";
    const OLD_HISTORY_TABLE: &'static str = "CREATE TABLE migrate_version_history (\
         id BIGSERIAL PRIMARY KEY, \
         version_num VARCHAR(32) NOT NULL, operation VARCHAR(10) NOT NULL, \
         checksum VARCHAR(64), upgrade_sql TEXT, applied_at VARCHAR(40) NOT NULL, \
         duration_ms BIGINT)";
    fn no_such_table(_database: &str) -> String {
        "relation \"nope\" does not exist".into()
    }
}

impl Cataloged for My {
    const SCHEMA: &'static str = "DATABASE()";
    /// `CAST(... AS TEXT)` is spelled `AS CHAR` here.
    fn spelled(sql: &str) -> String {
        sql.replace(" AS TEXT)", " AS CHAR)")
    }
    const OLD_HISTORY_TABLE: &'static str = "CREATE TABLE migrate_version_history (\
         id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, \
         version_num VARCHAR(32) NOT NULL, operation VARCHAR(10) NOT NULL, \
         checksum VARCHAR(64), upgrade_sql LONGTEXT, applied_at VARCHAR(40) NOT NULL, \
         duration_ms BIGINT)";
    fn no_such_table(database: &str) -> String {
        format!("Table '{database}.nope' doesn't exist (error 1146)")
    }
}

/// A project on a database of its own on `E`'s server.
pub struct OnServer<E: Engine> {
    pub project: TestProject,
    pub db: Database<E>,
}

pub type Postgres = OnServer<Pg>;
pub type Mysql = OnServer<My>;

impl<E: Cataloged> Catalog for OnServer<E> {
    fn project(&self) -> &TestProject {
        &self.project
    }
    fn tables(&self) -> Vec<String> {
        let mut tables = self.db.tables();
        tables.retain(|t| !t.starts_with("migrate_"));
        tables
    }
    fn versions(&self) -> Vec<String> {
        self.db.versions()
    }
    fn history_columns(&self) -> Vec<String> {
        self.db.strings(&format!(
            "SELECT column_name FROM information_schema.columns \
             WHERE table_schema = {} AND table_name = 'migrate_version_history' \
             ORDER BY ordinal_position",
            E::SCHEMA
        ))
    }
    fn strings(&self, sql: &str) -> Vec<String> {
        self.db.strings(&E::spelled(sql))
    }
    fn execute(&self, sql: &str) {
        self.db.execute(sql);
    }
    fn old_history_table(&self) -> &'static str {
        E::OLD_HISTORY_TABLE
    }
    fn no_such_table(&self) -> String {
        E::no_such_table(&self.db.name)
    }
}

/// A project on a database of its own on `E`'s server (`None` when skipped).
pub fn on_server<E: Engine>(label: &str) -> Option<OnServer<E>> {
    let db = Database::<E>::create(label)?;
    let project = db.project();
    Some(OnServer { project, db })
}

pub fn mysql(label: &str) -> Option<Mysql> {
    on_server(label)
}

pub fn sqlite() -> Sqlite {
    Sqlite(TestProject::new())
}

pub fn postgres(label: &str) -> Option<Postgres> {
    on_server(label)
}

/// A test on SQLite, one on PostgreSQL and one on MariaDB/MySQL (skipped without a
/// server) of one scenario.
#[macro_export]
macro_rules! on_every_engine {
    ($scenario:ident, $sqlite:ident, $postgres:ident, $mysql:ident, $label:literal) => {
        #[test]
        fn $sqlite() {
            $scenario(&$crate::engines::sqlite());
        }

        #[test]
        fn $postgres() {
            let Some(db) = $crate::engines::postgres($label) else {
                return;
            };
            $scenario(&db);
        }

        #[test]
        fn $mysql() {
            let Some(db) = $crate::engines::mysql($label) else {
                return;
            };
            $scenario(&db);
        }
    };
}

/// `#[test]`s that each run, on one engine, a scenario written once for several:
/// `name => scenario(...);`, each with its doc comment.
#[macro_export]
macro_rules! thin_tests {
    ($($(#[$meta:meta])* $test:ident => $scenario:expr;)*) => {
        $(
            $(#[$meta])*
            #[test]
            fn $test() {
                $scenario;
            }
        )*
    };
}
