//! The session advisory lock on the key's number: taken with `pg_try_advisory_lock`
//! (polled by the caller), released with `pg_advisory_unlock`, and freed by the server when
//! the session ends, however it ends.

use crate::dialect::LockKey;
use anyhow::{Context, Result};
use postgres::Client;

/// Tries once to take lock `key`; `false` when another session holds it.
pub fn try_lock(client: &mut Client, key: &LockKey) -> Result<bool> {
    let row = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&key.number])
        .with_context(|| format!("cannot take the migration lock on {}", key.resource))?;
    Ok(row.get(0))
}

/// Releases lock `key`. The server answers `false` when this session did not hold it:
/// the lock was taken on another server session, as behind a pooler in transaction mode.
pub fn unlock(client: &mut Client, key: &LockKey) -> Result<()> {
    let row = client
        .query_one("SELECT pg_advisory_unlock($1)", &[&key.number])
        .with_context(|| format!("cannot release the migration lock on {}", key.resource))?;
    if !row.get::<_, bool>(0) {
        anyhow::bail!(
            "the migration lock on {} was not held by this session when released (a \
             connection pooler in transaction mode hands each transaction another server \
             session: set lock = \"table\" in config.toml)",
            key.resource
        );
    }
    Ok(())
}

/// Who holds lock `key`: `pid 4242, application_name 'migrate', client 10.0.0.7,
/// connected since 2026-01-31 12:00:01 UTC`.
pub fn holder(client: &mut Client, key: &LockKey) -> Result<Option<String>> {
    // A bigint advisory lock shows in pg_locks as classid = its high 32 bits, objid = its
    // low 32 bits and objsubid = 1, in the current database.
    let bits = key.number as u64;
    let high = (bits >> 32) as i64;
    let low = (bits & 0xffff_ffff) as i64;
    let rows = client
        .query(
            "SELECT l.pid, coalesce(a.application_name, ''), \
                    coalesce(host(a.client_addr), 'local socket'), \
                    to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') \
             FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
               AND l.database = (SELECT oid FROM pg_database \
                                 WHERE datname = current_database()) \
               AND l.classid::bigint = $1 AND l.objid::bigint = $2 \
             LIMIT 1",
            &[&high, &low],
        )
        .with_context(|| {
            format!(
                "cannot tell who holds the migration lock on {}",
                key.resource
            )
        })?;
    Ok(rows.first().map(|row| {
        let pid: i32 = row.get(0);
        let application: String = row.get(1);
        let client_addr: String = row.get(2);
        let since: Option<String> = row.get(3);
        let mut who = format!(
            "pid {pid}, application_name {}, client {client_addr}",
            crate::echo::quote(&application)
        );
        if let Some(since) = since {
            who.push_str(&format!(", connected since {since} UTC"));
        }
        who
    }))
}
