//! Applying plans: the run-wide lock, the version bookkeeping, the sinks that run or print
//! SQL, and the migrator that ties them together.

pub mod dirty;
pub mod lock;
pub mod migrator;
pub mod resume;
pub mod sink;
pub mod version_table;

use crate::dialect::mysql::{self, MysqlDriver};
use crate::dialect::postgres::{self, LockMode, PgDriver};
use crate::dialect::sqlite::SqliteDriver;
use crate::dialect::Driver;
use crate::url::DatabaseUrl;
use anyhow::Result;

/// How a command uses the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads and writes; a missing SQLite file is created.
    ReadWrite,
    /// Reads only; a missing database reads as empty and is not created.
    ReadOnly,
}

/// How a command connects: its access and the PostgreSQL session's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Whether the command writes.
    pub access: Access,
    /// How the run-wide lock is held (PostgreSQL).
    pub lock: LockMode,
    /// The schemas `inspect` reads (PostgreSQL).
    pub schemas: Vec<String>,
}

impl ConnectOptions {
    /// `access` with the default lock and the `public` schema.
    pub fn new(access: Access) -> ConnectOptions {
        ConnectOptions {
            access,
            lock: LockMode::default(),
            schemas: vec!["public".to_string()],
        }
    }
}

/// Opens a live connection to `url`. PostgreSQL and MySQL errors already name the server
/// and user (`cannot connect to PostgreSQL at h:5432 as user u: …`).
pub fn connect(url: &DatabaseUrl, options: &ConnectOptions) -> Result<Box<dyn Driver>> {
    match url {
        DatabaseUrl::Sqlite(location) => Ok(Box::new(match options.access {
            Access::ReadWrite => SqliteDriver::open(location)?,
            Access::ReadOnly => SqliteDriver::open_read_only(location)?,
        })),
        DatabaseUrl::Postgres(server) => {
            let settings = postgres::ConnectSettings::from_url(server)?;
            Ok(Box::new(PgDriver::connect(
                &settings,
                options.lock,
                options.schemas.clone(),
            )?))
        }
        DatabaseUrl::Mysql(server) => {
            let settings = mysql::ConnectSettings::from_url(server)?;
            Ok(Box::new(MysqlDriver::connect(&settings)?))
        }
    }
}
