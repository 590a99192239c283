//! Applying plans: the run-wide lock, the version bookkeeping, the sinks that run or print
//! SQL, and the migrator that ties them together.

pub mod lock;
pub mod migrator;
pub mod sink;
pub mod version_table;

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

/// Opens a live connection to `url`.
pub fn connect(url: &DatabaseUrl, access: Access) -> Result<Box<dyn Driver>> {
    match url {
        DatabaseUrl::Sqlite(location) => Ok(Box::new(match access {
            Access::ReadWrite => SqliteDriver::open(location)?,
            Access::ReadOnly => SqliteDriver::open_read_only(location)?,
        })),
        DatabaseUrl::Postgres(_) | DatabaseUrl::Mysql(_) => anyhow::bail!(
            "{} databases are not supported yet by this build of migrate (database {url})",
            url.engine().name()
        ),
    }
}
