//! The run-wide migration lock on PostgreSQL, as a session advisory lock on the key's
//! number: taken by polling `pg_try_advisory_lock` (never the blocking form), freed by the
//! server when the session ends, however it ends.

use crate::dialect::LockKey;
use anyhow::{Context, Result};
use postgres::Client;

/// How the run-wide lock is held (`[database] lock` in config.toml).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LockMode {
    /// A session advisory lock (the default).
    #[default]
    Advisory,
    /// A lock row with an owner and a lease, for poolers and servers without advisory
    /// locks.
    Table,
}

impl LockMode {
    /// The mode's name in config.toml.
    pub fn name(self) -> &'static str {
        match self {
            LockMode::Advisory => "advisory",
            LockMode::Table => "table",
        }
    }

    /// The mode named `name` in config.toml.
    pub fn parse(name: &str) -> Option<LockMode> {
        match name {
            "advisory" => Some(LockMode::Advisory),
            "table" => Some(LockMode::Table),
            _ => None,
        }
    }
}

/// Refuses the modes this build cannot hold yet.
fn advisory_only(mode: &LockMode) -> Result<()> {
    match mode {
        LockMode::Advisory => Ok(()),
        LockMode::Table => anyhow::bail!("lock = \"table\" is not supported yet by this build"),
    }
}

/// Tries once to take lock `key`; `false` when another session holds it.
pub fn try_lock(client: &mut Client, mode: &LockMode, key: &LockKey) -> Result<bool> {
    advisory_only(mode)?;
    let row = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&key.number])
        .with_context(|| format!("cannot take the migration lock on {}", key.resource))?;
    Ok(row.get(0))
}

/// Releases lock `key`.
pub fn unlock(client: &mut Client, mode: &LockMode, key: &LockKey) -> Result<()> {
    advisory_only(mode)?;
    client
        .query_one("SELECT pg_advisory_unlock($1)", &[&key.number])
        .with_context(|| format!("cannot release the migration lock on {}", key.resource))?;
    Ok(())
}

/// Who holds lock `key` (`pid 4242, application_name 'migrate'`), if anyone.
pub fn lock_holder(client: &mut Client, mode: &LockMode, key: &LockKey) -> Result<Option<String>> {
    advisory_only(mode)?;
    // A bigint advisory lock is stored as classid = high 32 bits, objid = low 32 bits.
    let rows = client
        .query(
            "SELECT l.pid, coalesce(a.application_name, '') \
             FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
               AND l.classid::bigint = ($1::bigint >> 32) & 4294967295 \
               AND l.objid::bigint = $1::bigint & 4294967295 \
             LIMIT 1",
            &[&key.number],
        )
        .context("cannot tell who holds the migration lock")?;
    Ok(rows.first().map(|row| {
        let pid: i32 = row.get(0);
        let application: String = row.get(1);
        format!(
            "pid {pid}, application_name {}",
            crate::echo::quote(&application)
        )
    }))
}
