//! Engines: the pure `Dialect` (quoting, lexing, capabilities) and the `Driver` that talks to
//! a live database.

pub mod clauses;
pub mod mysql;
pub mod password;
pub mod postgres;
pub mod reason;
pub mod scratch;
pub mod server;
pub mod sqlite;

use crate::diff::{Op, TableChange};
use crate::schema::filter::Filter;
use crate::schema::{Column, Schema, Table};
use crate::sql::lex::LexOptions;
use std::sync::Arc;
use std::time::Duration;

/// A dialect as a value: it knows the server's version and flavour (see [`ServerVersion`]),
/// shared by the driver that read them and everything that renders for it.
pub type DialectRef = Arc<dyn Dialect>;

/// The database engines `migrate` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Engine {
    Sqlite,
    Postgres,
    Mysql,
}

impl Engine {
    /// The engine's name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
            Engine::Mysql => "MySQL",
        }
    }

    /// The engine's dialect where no server says which version it runs (offline `--sql`
    /// scripts, tests): the oldest version `migrate` supports, so what it renders runs on
    /// every supported server.
    pub fn dialect(self) -> DialectRef {
        match self {
            Engine::Sqlite => Arc::new(sqlite::SqliteDialect),
            Engine::Postgres => Arc::new(postgres::PostgresDialect::default()),
            Engine::Mysql => Arc::new(mysql::MysqlDialect::default()),
        }
    }
}

/// What an engine can do, as data: code outside `dialect/` branches on these, never on the
/// engine itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caps {
    /// DDL runs inside a transaction and rolls back with it (false for MySQL/MariaDB,
    /// which commit DDL implicitly).
    pub transactional_ddl: bool,
    /// A foreign key needs an index whose leading columns are its own, on its table and
    /// on the referenced one, and the engine refuses to drop such an index while the key
    /// exists (MySQL/MariaDB, error 1553): the differ then drops the key first and adds
    /// it back last around any change of such an index.
    pub foreign_key_indexes: bool,
    /// The engine can put a table's columns in any order (SQLite rebuilds the table,
    /// MySQL has `AFTER`), so the differ asks for a `ReorderColumns` when the order
    /// differs from drop-then-append; false where columns can only be appended
    /// (PostgreSQL), whose differ then leaves the order as appending gives it.
    pub reorders_columns: bool,
    /// Primary keys, foreign keys and checks can be renamed in place (PostgreSQL's
    /// `RENAME CONSTRAINT`): a constraint of a renamed table or column whose name follows
    /// it (`old_pkey` to `new_pkey`) is renamed rather than dropped and added.
    pub renames_constraints: bool,
    /// Indexes and unique keys can be renamed in place (PostgreSQL's `ALTER INDEX ...
    /// RENAME`, `RENAME CONSTRAINT`; MySQL 5.7 and MariaDB 10.5.2's `RENAME INDEX`).
    pub renames_indexes: bool,
}

/// Which server a dialect speaks to: the flavour (MariaDB is a flavour of MySQL) and the
/// version, so that behaviour can depend on them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerVersion {
    /// `SQLite`, `PostgreSQL`, `MySQL` or `MariaDB`.
    pub flavour: &'static str,
    /// The version as numbers (`[15, 4]`, `[10, 11, 6]`, `[3, 46, 0]`).
    pub numbers: Vec<u32>,
}

impl ServerVersion {
    /// Whether the version is at least `numbers` (`at_least(&[16])`).
    pub fn at_least(&self, numbers: &[u32]) -> bool {
        self.numbers.as_slice() >= numbers
    }
}

impl std::fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let numbers: Vec<String> = self.numbers.iter().map(u32::to_string).collect();
        write!(f, "{} {}", self.flavour, numbers.join("."))
    }
}

/// The pure half of an engine: everything about its SQL text, nothing about connections.
pub trait Dialect: Send + Sync {
    /// Which engine this is.
    fn engine(&self) -> Engine;

    /// The server flavour and version this dialect renders for.
    fn server(&self) -> ServerVersion;

    /// Capability flags.
    fn caps(&self) -> Caps;

    /// How the statement splitter lexes this engine's SQL.
    fn lex_options(&self) -> LexOptions;

    /// An identifier quoted for this engine, embedded quote characters doubled.
    fn quote_ident(&self, name: &str) -> String {
        format!("\"{}\"", name.replace('"', "\"\""))
    }

    /// A string literal, embedded quotes doubled (and backslashes where the engine treats
    /// them as escapes).
    fn quote_literal(&self, value: &str) -> String {
        format!("'{}'", value.replace('\'', "''"))
    }

    /// Column definition of an auto-incrementing integer primary key named `name`.
    fn serial_primary_key(&self, name: &str) -> String;

    /// The type for unbounded text (the SQL of an applied revision).
    fn long_text_type(&self) -> &'static str {
        "TEXT"
    }

    /// An expression giving the current UTC time as `YYYY-MM-DD HH:MM:SS.ffffff+00:00` text,
    /// for offline scripts where the time is not known in advance.
    fn now_text_expression(&self) -> &'static str;

    /// Statements that configure a session before any revision runs (live connections
    /// and the top of `--sql` scripts).
    fn session_setup(&self) -> &'static [&'static str] {
        &[]
    }

    /// Whether a statement of a revision applied statement by statement may run in one
    /// transaction with the record of its completion, so that the two land together: true
    /// only where the statement commits nothing implicitly and rolls back. Default: no
    /// statement (such revisions run without transactions by the user's choice).
    fn joins_bookkeeping_transaction(&self, _sql: &str) -> bool {
        false
    }

    /// The statement that starts a transaction in an offline script.
    fn begin_statement(&self) -> &'static str {
        "BEGIN"
    }

    /// A column type in the form the differ compares (equal forms mean the same type).
    /// Default: upper case with whitespace collapsed.
    fn normalize_type(&self, type_text: &str) -> String {
        collapse_whitespace(type_text).to_ascii_uppercase()
    }

    /// An identifier in the form that decides whether two names are the same object
    /// (default: case-sensitive, the name itself).
    fn fold_identifier(&self, name: &str) -> String {
        name.to_string()
    }

    /// The name a constraint called `name` of table `old_table` has once the engine
    /// renamed the table to `new_table`, where the engine renames it along (MySQL's
    /// generated foreign key names, `<table>_ibfk_<n>`); `None` where it keeps the name
    /// (the default).
    fn renamed_with_table(&self, name: &str, old_table: &str, new_table: &str) -> Option<String> {
        let _ = (name, old_table, new_table);
        None
    }

    /// An expression (default, check, index key, predicate) in the form the differ
    /// compares. Default: whitespace outside quotes collapsed.
    fn normalize_expression(&self, expression: &str) -> String {
        collapse_whitespace(expression)
    }

    /// Whether two expressions are the same by [`Dialect::normalize_expression`]; equal
    /// texts are, without normalising either (the common case when nothing changed).
    fn same_expression(&self, a: &str, b: &str) -> bool {
        a == b || self.normalize_expression(a) == self.normalize_expression(b)
    }

    /// Whether two column types are the same by [`Dialect::normalize_type`]; equal texts
    /// are, without normalising either.
    fn same_type(&self, a: &str, b: &str) -> bool {
        a == b || self.normalize_type(a) == self.normalize_type(b)
    }

    /// Whether `change` to `table` can be done in place (`ALTER TABLE`); when any change
    /// of a table cannot, the differ drops and recreates its indexes, triggers and
    /// dependent views around the change and the renderer rebuilds the table.
    fn alter_in_place(&self, table: &Table, change: &TableChange) -> bool {
        let _ = (table, change);
        true
    }

    /// Whether changing a column of `table` (as the change leaves it) from declared type
    /// `from` to `to` keeps every value the column holds, so that the change can neither
    /// lose data nor fail on rows. Only asked when the types differ by
    /// [`Dialect::normalize_type`]. Default: no, any type change may convert values.
    fn type_change_keeps_values(&self, table: &Table, from: &str, to: &str) -> bool {
        let _ = (table, from, to);
        false
    }

    /// Whether values a column's collation `from` tells apart stay apart under collation
    /// `to` (`None`: the engine's default), so that its unique keys still hold. Only
    /// asked when the two differ. Default: no.
    fn collation_keeps_distinct(&self, from: Option<&str>, to: Option<&str>) -> bool {
        let _ = (from, to);
        false
    }

    /// Whether `column` of `table` can hold NULL, so that making it NOT NULL may fail on
    /// rows. Default: whenever it is nullable.
    fn holds_null(&self, table: &Table, column: &Column) -> bool {
        let _ = table;
        column.nullable
    }

    /// Why turning table `from`'s options into those of `to` may fail on its rows, if it
    /// may: the text of a warning. Default: table options constrain no values.
    fn options_risk(&self, from: &Table, to: &Table) -> Option<String> {
        let _ = (from, to);
        None
    }

    /// Why rebuilding (or altering) table `from` into `to` may change or refuse its
    /// existing rows in a way no neutral change announces (the engine's own column facts,
    /// as MySQL's charset), if it may: the text of a warning. Default: none.
    fn rebuild_risk(&self, from: &Table, to: &Table) -> Option<String> {
        let _ = (from, to);
        None
    }

    /// Why the desired schema may not run `sql` in its scratch database (a statement that
    /// acts outside it: other databases, roles, server settings, files), if it may not.
    /// Default: every statement may run (SQLite confines its scratch database itself).
    fn scratch_refusal(&self, sql: &str) -> Option<String> {
        let _ = sql;
        None
    }

    /// The statements (without terminators; comment lines allowed before a statement)
    /// that perform one op. An error when the engine cannot render it.
    fn render_op(&self, op: &Op) -> anyhow::Result<Vec<String>>;

    /// The statements of each op of one section (the upgrade or the downgrade), parallel
    /// to `ops`. Default: [`Dialect::render_op`] of each; an engine overrides it when a
    /// statement of one op must wait for later ops (SQLite: the foreign key checks of
    /// rebuilt tables wait until every table and index of the section exists).
    fn render_ops(&self, ops: &[Op]) -> anyhow::Result<Vec<Vec<String>>> {
        ops.iter().map(|op| self.render_op(op)).collect()
    }

    /// Whether a section (the upgrade or the downgrade) must run outside a transaction
    /// (`-- transaction: none`) because a statement of it needs an earlier one committed
    /// (PostgreSQL: an enum label added, then used). Default: no.
    fn runs_outside_transaction(&self, ops: &[Op]) -> anyhow::Result<bool> {
        let _ = ops;
        Ok(false)
    }
}

/// `text` with runs of whitespace outside quotes ('...', "...", `...`, [...]) replaced by
/// one space, and trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut pending_space = false;
    for ch in text.trim().chars() {
        match quote {
            Some(close) => {
                out.push(ch);
                if ch == close {
                    quote = None;
                }
            }
            None if ch.is_whitespace() => pending_space = true,
            None => {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                quote = match ch {
                    '\'' | '"' | '`' => Some(ch),
                    '[' => Some(']'),
                    _ => None,
                };
                out.push(ch);
            }
        }
    }
    out
}

/// A live connection. Object safe, so commands hold a `Box<dyn Driver>` whatever the engine.
pub trait Driver {
    /// The dialect of the connected server, with its version and flavour.
    fn dialect(&self) -> DialectRef;

    /// Runs one statement that returns no rows.
    fn execute(&mut self, sql: &str) -> anyhow::Result<()>;

    /// Runs statements of the tool's own (the version update of a revision) that return
    /// no rows, in order; an engine that can send them in one round trip does (a
    /// revision's bookkeeping then costs one round trip, not three). Default: one
    /// [`Driver::execute`] each.
    fn execute_many(&mut self, statements: &[String]) -> anyhow::Result<()> {
        statements.iter().try_for_each(|sql| self.execute(sql))
    }

    /// Runs a query and returns every row, each value as text (NULL as `None`).
    fn query(&mut self, sql: &str) -> anyhow::Result<Vec<Vec<Option<String>>>>;

    /// Runs a query of the tool's own on its version tables, between revisions, under the
    /// session settings [`Driver::execute_many`] uses (a revision may have changed them).
    /// Default: [`Driver::query`].
    fn query_own(&mut self, sql: &str) -> anyhow::Result<Vec<Vec<Option<String>>>> {
        self.query(sql)
    }

    /// Whether a table of this name exists in the connected database/schema.
    fn table_exists(&mut self, name: &str) -> anyhow::Result<bool>;

    /// Starts a transaction (taking the write lock up front where the engine has one).
    fn begin(&mut self) -> anyhow::Result<()>;

    /// Commits the open transaction. Default: `COMMIT`.
    fn commit(&mut self) -> anyhow::Result<()> {
        self.execute("COMMIT")
    }

    /// Rolls back the open transaction. Default: `ROLLBACK`, safe after a failed begin
    /// (outside a transaction PostgreSQL only warns, and MySQL does nothing).
    fn rollback(&mut self) -> anyhow::Result<()> {
        self.execute("ROLLBACK")
    }

    /// The key of the run-wide migration lock of the project whose version table is
    /// `version_table`: two runs contend exactly when they migrate the same database with
    /// the same version table.
    fn lock_key(&self, version_table: &str) -> LockKey;

    /// Tries once to take the run-wide migration lock `key`; `Ok(false)` when another run
    /// holds it. Never blocks inside the server (PostgreSQL: a waiter blocked in
    /// `pg_advisory_lock` holds a snapshot that a holder's CREATE INDEX CONCURRENTLY waits
    /// for).
    fn try_lock(&mut self, key: &LockKey) -> anyhow::Result<bool>;

    /// Releases the run-wide migration lock `key`.
    fn unlock(&mut self, key: &LockKey) -> anyhow::Result<()>;

    /// Who holds lock `key`, for the message of a waiting run (`pid 4242,
    /// application_name "migrate"`); `None` when the engine cannot tell.
    fn lock_holder(&mut self, key: &LockKey) -> anyhow::Result<Option<String>> {
        let _ = key;
        Ok(None)
    }

    /// The namespaces `inspect` reads, in order (PostgreSQL: the configured schemas;
    /// SQLite and MySQL: the connected database alone, as `""`).
    fn namespaces(&self) -> Vec<String> {
        vec![String::new()]
    }

    /// Sets how long a statement waits for a lock held by another connection.
    fn set_busy_timeout(&mut self, timeout: Duration) -> anyhow::Result<()>;

    /// Reads the connected database's schema (its [`Driver::namespaces`]) into the
    /// neutral model, leaving out what `filter` excludes.
    fn inspect(&mut self, filter: &Filter) -> anyhow::Result<Schema>;

    /// Creates an empty scratch database on the same server (or, for SQLite, in memory)
    /// and connects to it: autogenerate and `check` load the desired schema there. It is
    /// dropped when the returned value is dropped, and by the interrupt handler if the
    /// command is interrupted first.
    fn create_scratch(&mut self) -> anyhow::Result<Box<dyn ScratchDatabase + Send>>;
}

/// A scratch database: a connection to it, and the database dropped on `Drop`.
pub trait ScratchDatabase {
    /// The connection to the scratch database.
    fn driver(&mut self) -> &mut dyn Driver;
}

/// The run-wide migration lock of one database and version table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockKey {
    /// A description for messages (`app.db`, `database shop, table migrate_version`).
    pub resource: String,
    /// A name for engines that lock by name (MySQL `GET_LOCK`, the lock table's row).
    pub name: String,
    /// A 64-bit number for engines that lock by number (PostgreSQL advisory locks),
    /// derived from `name`.
    pub number: i64,
    /// The version table the lock guards (PostgreSQL's `lock = "table"` keeps its lease
    /// rows in `<version_table>_lock`).
    pub version_table: String,
}

impl LockKey {
    /// The key of database `database` on the server at `address` (`host:port`) and
    /// `version_table`, described as `database shop on db.example:5432`.
    pub fn on_server(database: &str, address: &str, version_table: &str) -> LockKey {
        LockKey::new(
            format!("database {database} on {address}"),
            database,
            version_table,
        )
    }

    /// The key of `database` (however the engine names it) and `version_table`.
    pub fn new(resource: String, database: &str, version_table: &str) -> LockKey {
        use sha2::{Digest, Sha256};
        let name = format!("migrate:{database}:{version_table}");
        let digest = Sha256::digest(name.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        LockKey {
            resource,
            name,
            number: i64::from_be_bytes(first),
            version_table: version_table.to_string(),
        }
    }
}

/// `host:port` of a server reached over TCP, an IPv6 address in brackets
/// (`[2001:db8::7]:5432`), for messages and lock keys.
pub fn tcp_address(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}
