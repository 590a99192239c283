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

/// Opens a live connection to `url`.
pub fn connect(url: &DatabaseUrl) -> Result<Box<dyn Driver>> {
    match url {
        DatabaseUrl::Sqlite(location) => Ok(Box::new(SqliteDriver::open(location)?)),
        DatabaseUrl::Postgres(_) | DatabaseUrl::Mysql(_) => anyhow::bail!(
            "{} databases are not supported yet by this build of migrate (database {url})",
            url.engine().name()
        ),
    }
}
