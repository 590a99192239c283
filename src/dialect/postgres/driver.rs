//! The PostgreSQL driver: one session through the `postgres` crate, statements sent with
//! the simple query protocol (so `CREATE INDEX CONCURRENTLY` runs outside a transaction
//! and results come back as text), the run-wide lock delegated to `lock.rs`.

use super::connect::{reason, ConnectSettings};
use super::lock::{LockMode, PgLock};
use super::PostgresDialect;
use crate::dialect::server::ServerSettings;
use crate::dialect::{Dialect, DialectRef, Driver, LockKey, ScratchDatabase};
use crate::schema::filter::Filter;
use crate::schema::Schema;
use anyhow::{Context, Result};
use postgres::{Client, SimpleQueryMessage};
use std::sync::Arc;
use std::time::Duration;

/// The search_path while inspecting. The server writes the names in types, defaults,
/// views, triggers and functions qualified unless the search_path finds them, so the
/// live database and the scratch one must be read under the same one, whatever the
/// session had: schema.sql may change it (pg_dump's output starts with
/// `set_config('search_path', '', false)`), and `ALTER DATABASE … SET search_path` is
/// not carried to a scratch database. Generated revisions then name objects of `public`
/// unqualified, and the others qualified.
const INSPECT_SEARCH_PATH: &str = "public";

/// A live PostgreSQL session.
pub struct PgDriver {
    pub(super) client: Client,
    pub(super) settings: ConnectSettings,
    dialect: Arc<PostgresDialect>,
    /// The run-wide lock: its mode and, for a table lease, its heartbeat.
    pub(super) lock: PgLock,
    pub(super) namespaces: Vec<String>,
}

impl PgDriver {
    /// Connects with `settings`, reads the server's version and prepares the session.
    /// `namespaces` are the schemas `inspect` reads; `lock_mode` how the run-wide lock is
    /// held.
    pub fn connect(
        settings: &ConnectSettings,
        lock_mode: LockMode,
        namespaces: Vec<String>,
    ) -> Result<PgDriver> {
        let mut client = settings.connect()?;
        let describe = || format!("cannot set up the session on {}", settings.describe());
        let version = client
            .simple_query("SHOW server_version_num")
            .map_err(pg_error)
            .with_context(describe)?;
        let numbers = first_value(&version)
            .and_then(|text| text.parse::<u32>().ok())
            .map(|num| vec![num / 10000, num % 10000])
            .ok_or_else(|| anyhow::anyhow!("the server did not report server_version_num"))
            .with_context(describe)?;
        let dialect = Arc::new(PostgresDialect::new(numbers));
        if dialect.server().at_least(&[14]) {
            // A killed client's backend then notices within a second, even in the middle
            // of a statement, and ends its session, which frees the session lock.
            client
                .batch_execute("SET client_connection_check_interval = '1s'")
                .map_err(pg_error)
                .with_context(describe)?;
        }
        // The table lease's heartbeat connects as this session did.
        let heartbeat_settings = settings.clone();
        let lock = PgLock::new(lock_mode, Arc::new(move || heartbeat_settings.connect()));
        Ok(PgDriver {
            client,
            settings: settings.clone(),
            dialect,
            lock,
            namespaces,
        })
    }

    /// The underlying client (for introspection).
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// The first value of the first row of a simple query's result.
fn first_value(messages: &[SimpleQueryMessage]) -> Option<&str> {
    messages.iter().find_map(|message| match message {
        SimpleQueryMessage::Row(row) => row.get(0),
        _ => None,
    })
}

/// The server's message with its detail and hint, for errors it sent.
pub fn server_message(db: &postgres::error::DbError) -> String {
    let mut text = db.message().to_string();
    if let Some(detail) = db.detail() {
        text.push_str(&format!(" (detail: {detail})"));
    }
    if let Some(hint) = db.hint() {
        text.push_str(&format!(" (hint: {hint})"));
    }
    text
}

/// A client error as the server (or the connection) worded it.
fn pg_error(error: postgres::Error) -> anyhow::Error {
    anyhow::anyhow!(reason(&error))
}

impl Driver for PgDriver {
    fn dialect(&self) -> DialectRef {
        self.dialect.clone()
    }

    fn execute(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).map_err(pg_error)
    }

    /// One simple-query message holding every statement: inside the revision's
    /// transaction they run in order, and outside one PostgreSQL runs the message as one
    /// implicit transaction, so they land together either way. They run under the
    /// session's default search_path (`SET LOCAL`, for that transaction only), which finds
    /// the version tables: the revision may have changed it (pg_dump's output empties it).
    fn execute_many(&mut self, statements: &[String]) -> Result<()> {
        let mut batch = vec!["SET LOCAL search_path TO DEFAULT".to_string()];
        batch.extend(statements.iter().cloned());
        self.client
            .batch_execute(&batch.join(";\n"))
            .map_err(pg_error)
    }

    /// Under the default search_path, as [`Driver::execute_many`]: the `SET LOCAL` and the
    /// query go in one message, one implicit transaction.
    fn query_own(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        self.query(&format!("SET LOCAL search_path TO DEFAULT;\n{sql}"))
    }

    fn query(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        let messages = self.client.simple_query(sql).map_err(pg_error)?;
        Ok(messages
            .iter()
            .filter_map(|message| match message {
                SimpleQueryMessage::Row(row) => Some(
                    (0..row.len())
                        .map(|i| row.get(i).map(str::to_string))
                        .collect(),
                ),
                _ => None,
            })
            .collect())
    }

    /// Whether `name` resolves to a table through the search_path.
    fn table_exists(&mut self, name: &str) -> Result<bool> {
        let d = &self.dialect;
        let sql = format!(
            "SELECT to_regclass({}) IS NOT NULL",
            d.quote_literal(&d.quote_ident(name))
        );
        let messages = self.client.simple_query(&sql).map_err(pg_error)?;
        Ok(first_value(&messages) == Some("t"))
    }

    /// BEGIN, then the lock's fence: with `lock = "table"` the transaction locks the lease
    /// row and stops here if this run lost the lease (see `PgLock::fence`).
    fn begin(&mut self) -> Result<()> {
        self.execute("BEGIN")?;
        if let Err(error) = self.lock.fence(&mut self.client) {
            let _ = self.execute("ROLLBACK");
            return Err(error);
        }
        Ok(())
    }

    fn lock_key(&self, version_table: &str) -> LockKey {
        self.settings.lock_key(version_table)
    }

    fn try_lock(&mut self, key: &LockKey) -> Result<bool> {
        self.lock.try_lock(&mut self.client, key)
    }

    /// Releases the lock under the session's default search_path, which finds the lease
    /// table (a revision may have changed it; the run is over).
    fn unlock(&mut self, key: &LockKey) -> Result<()> {
        let _ = self.execute("RESET search_path");
        self.lock.unlock(&mut self.client, key)
    }

    fn lock_holder(&mut self, key: &LockKey) -> Result<Option<String>> {
        self.lock.holder(&mut self.client, key)
    }

    fn namespaces(&self) -> Vec<String> {
        self.namespaces.clone()
    }

    /// `SET lock_timeout` for the session (0 would mean no limit, so at least 1 ms).
    fn set_busy_timeout(&mut self, timeout: Duration) -> Result<()> {
        let millis = timeout.as_millis().clamp(1, i32::MAX as u128);
        self.execute(&format!("SET lock_timeout = {millis}"))
            .context("cannot set lock_timeout")
    }

    /// Inspects with the search_path pinned to `public` (see [`INSPECT_SEARCH_PATH`]),
    /// then gives the session its own back.
    fn inspect(&mut self, filter: &Filter) -> Result<Schema> {
        let saved = self
            .client
            .simple_query("SELECT pg_catalog.current_setting('search_path')")
            .map_err(pg_error)
            .context("cannot read the session's search_path")?;
        let saved = first_value(&saved).unwrap_or_default().to_string();
        self.client
            .batch_execute(&format!("SET search_path = {INSPECT_SEARCH_PATH}"))
            .map_err(pg_error)
            .context("cannot set the search_path for inspection")?;
        let settings = &self.settings;
        let second = move || {
            let mut client = settings.connect()?;
            client
                .batch_execute(&format!("SET search_path = {INSPECT_SEARCH_PATH}"))
                .map_err(pg_error)?;
            Ok(client)
        };
        let inspected =
            super::inspect::inspect(&mut self.client, Some(&second), &self.namespaces, filter);
        let restore = format!(
            "SELECT pg_catalog.set_config('search_path', {}, false)",
            self.dialect.quote_literal(&saved)
        );
        let restored = self
            .client
            .batch_execute(&restore)
            .map_err(pg_error)
            .context("cannot restore the session's search_path after inspection");
        let schema = inspected?;
        restored?;
        Ok(schema)
    }

    fn create_scratch(&mut self) -> Result<Box<dyn ScratchDatabase + Send>> {
        Ok(Box::new(super::scratch::create(self)?))
    }
}
