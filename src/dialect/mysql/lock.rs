//! The run-wide migration lock on MySQL/MariaDB: a user-level lock (`GET_LOCK`) named
//! after the database and the version table, tried with a zero timeout (the engine's
//! lock loop polls, never blocking inside the server), released with `RELEASE_LOCK`, and
//! freed by the server when the session ends, however it ends.

use super::connect::reason;
use crate::dialect::LockKey;
use anyhow::{Context, Result};
use mysql::prelude::Queryable;
use mysql::Conn;

/// The longest lock name the server takes (MySQL 5.7+: 64 characters).
const MAX_NAME: usize = 64;

/// The `GET_LOCK` name of `key`: its name when it fits in 64 characters, else its first
/// characters and the hex of its number (a hash of the whole name). Lock names are
/// server-wide, so the name carries the database.
pub fn lock_name(key: &LockKey) -> String {
    if key.name.chars().count() <= MAX_NAME {
        return key.name.clone();
    }
    let hash = format!(":{:016x}", key.number as u64);
    let kept: String = key.name.chars().take(MAX_NAME - hash.len()).collect();
    kept + &hash
}

/// Tries once to take lock `key`; `false` when another session holds it.
pub fn try_lock(conn: &mut Conn, key: &LockKey) -> Result<bool> {
    let taken: Option<Option<i64>> = conn
        .exec_first("SELECT GET_LOCK(?, 0)", (lock_name(key),))
        .map_err(|e| anyhow::anyhow!(reason(&e)))
        .with_context(|| format!("cannot take the migration lock on {}", key.resource))?;
    match taken.flatten() {
        Some(got) => Ok(got == 1),
        None => anyhow::bail!(
            "cannot take the migration lock on {}: GET_LOCK returned NULL",
            key.resource
        ),
    }
}

/// Releases lock `key`; an error when this session did not hold it.
pub fn unlock(conn: &mut Conn, key: &LockKey) -> Result<()> {
    let released: Option<Option<i64>> = conn
        .exec_first("SELECT RELEASE_LOCK(?)", (lock_name(key),))
        .map_err(|e| anyhow::anyhow!(reason(&e)))
        .with_context(|| format!("cannot release the migration lock on {}", key.resource))?;
    if released.flatten() != Some(1) {
        anyhow::bail!(
            "the migration lock on {} was not held by this session when released",
            key.resource
        );
    }
    Ok(())
}

/// Who holds lock `key`: `connection 42, user 'deploy', host '10.0.0.7:51234', idle for
/// 3 s` (the process list tells how long the session has been in its current state, not
/// since when it holds the lock). The process list shows other users' sessions only with the PROCESS privilege;
/// without it, the connection id alone.
pub fn holder(conn: &mut Conn, key: &LockKey) -> Result<Option<String>> {
    type Row = (
        Option<u64>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
    );
    let row: Option<Row> = conn
        .exec_first(
            "SELECT l.id, p.USER, p.HOST, p.COMMAND, p.TIME \
             FROM (SELECT IS_USED_LOCK(?) AS id) l \
             LEFT JOIN information_schema.PROCESSLIST p ON p.ID = l.id",
            (lock_name(key),),
        )
        .map_err(|e| anyhow::anyhow!(reason(&e)))
        .with_context(|| {
            format!(
                "cannot tell who holds the migration lock on {}",
                key.resource
            )
        })?;
    let Some((Some(id), user, host, command, time)) = row else {
        return Ok(None);
    };
    let mut who = format!("connection {id}");
    if let (Some(user), Some(host)) = (user, host) {
        who.push_str(&format!(
            ", user {}, host {}",
            crate::echo::quote(&user),
            crate::echo::quote(&host)
        ));
    }
    if let (Some(command), Some(time)) = (command, time) {
        let state = if command == "Sleep" {
            "idle"
        } else {
            "running a statement"
        };
        who.push_str(&format!(", {state} for {time} s"));
    }
    Ok(Some(who))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_the_servers_limit_and_stay_apart() {
        let short = LockKey::new("r".into(), "shop", "migrate_version");
        assert_eq!(lock_name(&short), "migrate:shop:migrate_version");
        let long_db = "d".repeat(64);
        let a = LockKey::new("r".into(), &long_db, "migrate_version");
        let b = LockKey::new("r".into(), &long_db, "other_version");
        assert_eq!(lock_name(&a).chars().count(), 64);
        assert_ne!(lock_name(&a), lock_name(&b));
        assert!(lock_name(&a).starts_with("migrate:ddd"));
        let wide = LockKey::new("r".into(), &"é".repeat(64), "v");
        assert_eq!(lock_name(&wide).chars().count(), 64);
    }
}
