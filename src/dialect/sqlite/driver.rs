//! The SQLite driver: rusqlite on a file (or `:memory:`), with the run-wide lock held as an
//! OS file lock on a sidecar file so it spans the run's many transactions.

use crate::dialect::{Dialect, DialectRef, Driver, LockKey, ScratchDatabase};
use crate::schema::filter::Filter;
use crate::schema::Schema;
use crate::url::SqliteLocation;
use anyhow::{Context, Result};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;
use std::time::Duration;

/// A live SQLite connection.
pub struct SqliteDriver {
    conn: Connection,
    /// The sidecar lock file (`<db>-migrate-lock`); `None` for in-memory databases.
    lock_path: Option<PathBuf>,
    lock_file: Option<File>,
    name: String,
}

impl SqliteDriver {
    /// Opens (creating if needed) the database at `location`.
    pub fn open(location: &SqliteLocation) -> Result<Self> {
        match location {
            SqliteLocation::Memory => {
                let conn = Connection::open_in_memory().context("cannot open in-memory SQLite")?;
                configure(&conn)?;
                Ok(SqliteDriver {
                    conn,
                    lock_path: None,
                    lock_file: None,
                    name: ":memory:".to_string(),
                })
            }
            SqliteLocation::File(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    if !dir.is_dir() {
                        anyhow::bail!(
                            "cannot open SQLite database {}: directory {} does not exist",
                            path.display(),
                            dir.display()
                        );
                    }
                }
                let conn = Connection::open(path)
                    .with_context(|| format!("cannot open SQLite database {}", path.display()))?;
                configure(&conn)?;
                refuse_non_database(&conn, &path.display().to_string())?;
                let mut lock_path = path.clone().into_os_string();
                lock_path.push("-migrate-lock");
                Ok(SqliteDriver {
                    conn,
                    lock_path: Some(PathBuf::from(lock_path)),
                    lock_file: None,
                    name: path.display().to_string(),
                })
            }
        }
    }

    /// Opens the database at `location` for reading only, never creating it: a missing
    /// file reads as an empty database, so read-only commands leave no file behind.
    /// Writes are refused (`PRAGMA query_only`), and no lock file is made.
    pub fn open_read_only(location: &SqliteLocation) -> Result<Self> {
        let SqliteLocation::File(path) = location else {
            return Self::open(location);
        };
        let name = path.display().to_string();
        let conn = if path.exists() {
            // READ_WRITE without CREATE: SQLite may still need to roll back a hot journal,
            // and falls back to read-only on a file it cannot write.
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(path, flags)
                .with_context(|| format!("cannot open SQLite database {name}"))?
        } else {
            Connection::open_in_memory().context("cannot open in-memory SQLite")?
        };
        configure(&conn)?;
        refuse_non_database(&conn, &name)?;
        conn.execute_batch("PRAGMA query_only = ON")
            .map_err(sqlite_error)
            .with_context(|| format!("cannot open SQLite database {name} read-only"))?;
        Ok(SqliteDriver {
            conn,
            lock_path: None,
            lock_file: None,
            name,
        })
    }

    /// Runs `PRAGMA foreign_key_check[(table)]` and fails when it reports violations: the
    /// sqlite3 shell would only print them, but a revision that breaks a foreign key (for
    /// example a table rebuild copying orphaned rows) must not land.
    fn foreign_key_check(&mut self, sql: &str) -> Result<()> {
        let rows = self.query(sql)?;
        if rows.is_empty() {
            return Ok(());
        }
        let shown: Vec<String> = rows
            .iter()
            .take(5)
            .map(|row| {
                let text = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
                format!("{} rowid {} -> {}", text(0), text(1), text(2))
            })
            .collect();
        anyhow::bail!(
            "foreign key check failed: {} row(s) violate foreign keys ({}{})",
            rows.len(),
            shown.join(", "),
            if rows.len() > 5 { ", ..." } else { "" }
        )
    }

    /// Confines this connection to its own database (see `sandbox.rs`): for the scratch
    /// database that runs schema.sql.
    pub fn confine(&mut self) -> Result<()> {
        super::sandbox::confine(&mut self.conn).context("cannot confine the scratch database")
    }

    /// The underlying connection (for introspection).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// SQLite's own message (`no such table: users`) without rusqlite's code suffix.
fn sqlite_error(error: rusqlite::Error) -> anyhow::Error {
    match error {
        rusqlite::Error::SqliteFailure(_, Some(message)) => anyhow::anyhow!(message),
        other => other.into(),
    }
}

/// Fails, naming the file, when `conn` is open on a file that is not an SQLite database
/// (SQLite reads the header only at the first statement, and its own message names no
/// file). Any other failure (a busy database) is left to the statements that follow.
fn refuse_non_database(conn: &Connection, name: &str) -> Result<()> {
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())) {
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            anyhow::bail!("cannot open SQLite database {name}: the file is not a database")
        }
        _ => Ok(()),
    }
}

/// Whether `sql` is a `PRAGMA foreign_key_check` statement, or a `SELECT` from
/// `pragma_foreign_key_check` (a rebuild's check of the tables referencing it), after any
/// leading `--` comment lines.
fn is_foreign_key_check(sql: &str) -> bool {
    let words: String = sql
        .lines()
        .skip_while(|line| line.trim_start().starts_with("--"))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    words.starts_with("pragma foreign_key_check")
        || words.starts_with("pragma main.foreign_key_check")
        || (words.starts_with("select ") && words.contains("pragma_foreign_key_check("))
}

/// Runs the dialect's session setup on a new connection (foreign key enforcement off; see
/// [`Dialect::session_setup`] of [`super::SqliteDialect`] for why). The sinks run it again
/// before every revision, since a revision may change the session.
fn configure(conn: &Connection) -> Result<()> {
    super::SqliteDialect
        .session_setup()
        .iter()
        .try_for_each(|sql| conn.execute_batch(sql))
        .map_err(sqlite_error)
        .context("cannot configure the SQLite connection")
}

fn value_text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
    }
}

impl ScratchDatabase for SqliteDriver {
    fn driver(&mut self) -> &mut dyn Driver {
        self
    }
}

impl Driver for SqliteDriver {
    fn dialect(&self) -> DialectRef {
        std::sync::Arc::new(super::SqliteDialect)
    }

    fn execute(&mut self, sql: &str) -> Result<()> {
        if is_foreign_key_check(sql) {
            return self.foreign_key_check(sql);
        }
        // execute_batch accepts any statement, including ones that return rows (PRAGMA).
        self.conn.execute_batch(sql).map_err(sqlite_error)
    }

    fn query(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        let mut stmt = self.conn.prepare(sql).map_err(sqlite_error)?;
        let width = stmt.column_count();
        let mut rows = stmt.query([]).map_err(sqlite_error)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(sqlite_error)? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(value_text(row.get_ref(i)?));
            }
            out.push(values);
        }
        Ok(out)
    }

    fn table_exists(&mut self, name: &str) -> Result<bool> {
        let found: i64 = self.conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |row| row.get(0),
        )?;
        Ok(found > 0)
    }

    fn begin(&mut self) -> Result<()> {
        // IMMEDIATE takes SQLite's write lock now, so a revision never fails half way on
        // SQLITE_BUSY when another writer appears.
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(sqlite_error)
    }

    fn commit(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT").map_err(sqlite_error)
    }

    fn rollback(&mut self) -> Result<()> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK").map_err(sqlite_error)?;
        }
        Ok(())
    }

    /// The lock file sits beside the database, so the key is the database alone: two
    /// projects with different version tables on one SQLite file still take turns (a
    /// SQLite database has one writer at a time anyway).
    fn lock_key(&self, version_table: &str) -> LockKey {
        LockKey::new(self.name.clone(), &self.name, version_table)
    }

    fn try_lock(&mut self, _key: &LockKey) -> Result<bool> {
        let Some(path) = &self.lock_path else {
            return Ok(true); // nobody else can see an in-memory database
        };
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {
                self.lock_file = Some(file);
                Ok(true)
            }
            Err(TryLockError::WouldBlock) => Ok(false),
            Err(TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
    }

    fn unlock(&mut self, _key: &LockKey) -> Result<()> {
        if let Some(file) = self.lock_file.take() {
            file.unlock().context("cannot release the migration lock")?;
        }
        Ok(())
    }

    fn set_busy_timeout(&mut self, timeout: Duration) -> Result<()> {
        // rusqlite panics past i32::MAX ms; settings stop far below, library callers may not.
        self.conn
            .busy_timeout(timeout.min(Duration::from_millis(i32::MAX as u64)))?;
        Ok(())
    }

    fn inspect(&mut self, filter: &Filter) -> Result<Schema> {
        super::inspect::inspect(&self.conn, filter)
    }

    /// An in-memory database, confined so that schema.sql cannot reach outside it (see
    /// `sandbox.rs`); it goes with its connection.
    fn create_scratch(&mut self) -> Result<Box<dyn ScratchDatabase + Send>> {
        let mut driver = SqliteDriver::open(&SqliteLocation::Memory)?;
        driver.confine()?;
        Ok(Box::new(driver))
    }
}
