//! The MySQL/MariaDB driver: one session through the `mysql` crate, statements and
//! queries sent with the text protocol (results come back as text, as the `mysql` client
//! shows them), the run-wide lock delegated to `lock.rs`.
//!
//! Session setup: `SET NAMES <charset>` (utf8mb4 unless the URL says otherwise). The
//! session keeps the server's `sql_mode` and `time_zone`: revisions run as they would in
//! the `mysql` client on the same server (a silently changed sql_mode would accept or
//! refuse other statements, and a changed time_zone would move the values that NOW() and
//! TIMESTAMP literals give), and the tool's own times do not depend on them (the history
//! table's times are written by the client in UTC).

use super::connect::{reason, ConnectSettings};
use super::MysqlDialect;
use crate::dialect::server::ServerSettings;
use crate::dialect::{Dialect, DialectRef, Driver, LockKey, ScratchDatabase};
use crate::schema::filter::Filter;
use crate::schema::Schema;
use anyhow::{Context, Result};
use mysql::prelude::Queryable;
use mysql::{Conn, Value};
use std::sync::Arc;
use std::time::Duration;

/// The longest lock wait the server takes (`lock_wait_timeout`'s maximum: one year).
const MAX_WAIT_SECONDS: u64 = 31_536_000;

/// A live MySQL/MariaDB session.
pub struct MysqlDriver {
    pub(super) conn: Conn,
    pub(super) settings: ConnectSettings,
    dialect: Arc<MysqlDialect>,
    /// Whether the server stores table names lower-cased and compares them without case
    /// (`lower_case_table_names` 1 or 2: Windows, macOS).
    folds_names: bool,
}

impl MysqlDriver {
    /// Connects with `settings`, reads the server's flavour and version, and sets up the
    /// session.
    pub fn connect(settings: &ConnectSettings) -> Result<MysqlDriver> {
        let mut conn = settings.connect()?;
        let describe = || format!("cannot set up the session on {}", settings.describe());
        conn.query_drop(format!(
            "SET NAMES {}",
            MysqlDialect::default().quote_literal(&settings.charset)
        ))
        .map_err(|e| anyhow::anyhow!(reason(&e)))
        .with_context(|| format!("charset {}", crate::echo::quote(&settings.charset)))
        .with_context(describe)?;
        let row: Option<(String, u32)> = conn
            .query_first("SELECT VERSION(), @@lower_case_table_names")
            .map_err(|e| anyhow::anyhow!(reason(&e)))
            .with_context(describe)?;
        let (version, lower_case) = row
            .ok_or_else(|| anyhow::anyhow!("the server did not report its version"))
            .with_context(describe)?;
        let super::ServerVersion { flavour, numbers } = super::inspect::server_version(&version);
        Ok(MysqlDriver {
            conn,
            settings: settings.clone(),
            dialect: Arc::new(MysqlDialect::new(flavour, numbers)),
            folds_names: lower_case != 0,
        })
    }

    /// The underlying connection (for introspection).
    pub fn conn(&mut self) -> &mut Conn {
        &mut self.conn
    }

    /// The connection settings.
    pub fn settings(&self) -> &ConnectSettings {
        &self.settings
    }
}

/// A value of a text-protocol result as text (NULL as `None`).
fn text(value: Value) -> Option<String> {
    match value {
        Value::NULL => None,
        Value::Bytes(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        // Only the binary protocol gives typed values; written as the server would.
        other => Some(other.as_sql(true)),
    }
}

/// Runs `sql` (one or several statements) and reads every result; the error of any
/// statement is returned (the client library's `query_drop` drops the errors of the
/// statements after the first).
fn run(conn: &mut Conn, sql: &str) -> mysql::Result<()> {
    let mut result = conn.query_iter(sql)?;
    while let Some(set) = result.iter() {
        for row in set {
            row?;
        }
    }
    Ok(())
}

/// A client error as the server (or the connection) worded it.
fn my_error(error: mysql::Error) -> anyhow::Error {
    anyhow::anyhow!(reason(&error))
}

impl Driver for MysqlDriver {
    fn dialect(&self) -> DialectRef {
        self.dialect.clone()
    }

    fn execute(&mut self, sql: &str) -> Result<()> {
        run(&mut self.conn, sql).map_err(my_error)
    }

    /// One message holding every statement (the session allows several per message):
    /// the server runs them in order and stops at the first that fails. Each statement
    /// ends on a line of its own, so a trailing `-- comment` cannot swallow the `;`.
    fn execute_many(&mut self, statements: &[String]) -> Result<()> {
        match statements {
            [] => Ok(()),
            [one] => self.execute(one),
            many => self.execute(&many.join("\n;\n")),
        }
    }

    fn query(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        let rows: Vec<mysql::Row> = self.conn.query(sql).map_err(my_error)?;
        Ok(rows
            .into_iter()
            .map(|row| row.unwrap().into_iter().map(text).collect())
            .collect())
    }

    /// Whether a table (or view) `name` exists in the connected database, compared as
    /// the server compares table names.
    fn table_exists(&mut self, name: &str) -> Result<bool> {
        // information_schema compares names without case on some servers: compare here.
        let names: Vec<String> = self
            .conn
            .exec(
                "SELECT TABLE_NAME FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
                (name,),
            )
            .map_err(my_error)?;
        Ok(names
            .iter()
            .any(|found| found == name || (self.folds_names && found.eq_ignore_ascii_case(name))))
    }

    fn begin(&mut self) -> Result<()> {
        self.execute("START TRANSACTION")
    }

    fn lock_key(&self, version_table: &str) -> LockKey {
        self.settings.lock_key(version_table)
    }

    fn try_lock(&mut self, key: &LockKey) -> Result<bool> {
        super::lock::try_lock(&mut self.conn, key)
    }

    fn unlock(&mut self, key: &LockKey) -> Result<()> {
        super::lock::unlock(&mut self.conn, key)
    }

    fn lock_holder(&mut self, key: &LockKey) -> Result<Option<String>> {
        super::lock::holder(&mut self.conn, key)
    }

    /// `lock_wait_timeout` (metadata locks: a DDL statement waiting for another session's
    /// open transaction on the table) and `innodb_lock_wait_timeout` (row locks), in
    /// whole seconds rounded up, at least 1.
    fn set_busy_timeout(&mut self, timeout: Duration) -> Result<()> {
        let seconds = timeout
            .as_secs()
            .saturating_add(u64::from(timeout.subsec_nanos() > 0))
            .clamp(1, MAX_WAIT_SECONDS);
        self.execute(&format!(
            "SET SESSION lock_wait_timeout = {seconds}, \
             SESSION innodb_lock_wait_timeout = {seconds}"
        ))
        .context("cannot set lock_wait_timeout")
    }

    fn inspect(&mut self, filter: &Filter) -> Result<Schema> {
        super::inspect::inspect(&mut self.conn, &self.settings.database, filter)
    }

    fn create_scratch(&mut self) -> Result<Box<dyn ScratchDatabase + Send>> {
        Ok(Box::new(super::scratch::create(self)?))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn versions_tell_the_flavour_and_numbers() {
        let parse_version = |text: &str| {
            let version = crate::dialect::mysql::inspect::server_version(text);
            (version.flavour, version.numbers)
        };
        assert_eq!(
            parse_version("10.11.19-MariaDB-0+deb12u1"),
            ("MariaDB", vec![10, 11, 19])
        );
        assert_eq!(parse_version("8.0.36"), ("MySQL", vec![8, 0, 36]));
        assert_eq!(
            parse_version("8.4.2-0ubuntu0.24.04.1"),
            ("MySQL", vec![8, 4, 2])
        );
        assert_eq!(
            parse_version("11.4.2-MariaDB-log"),
            ("MariaDB", vec![11, 4, 2])
        );
    }
}
