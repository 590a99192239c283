//! The run-wide migration lock: taken once, released on every path.

use crate::dialect::{Driver, LockKey};
use anyhow::Result;
use std::time::{Duration, Instant};

/// How often a waiting run asks for the lock again.
const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// The longest pause between two tries.
const MAX_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Another run held the lock for longer than `lock_timeout`.
#[derive(Debug, thiserror::Error)]
#[error("timed out after {} waiting for the migration lock on {resource} (another migrate run holds it; raise lock_timeout in config.toml to wait longer)", humanize(*.timeout))]
pub struct LockTimeout {
    pub resource: String,
    /// The `lock_timeout` waited (the time measured is a hair longer: it is not shown).
    pub timeout: Duration,
}

/// A duration as config.toml writes it: `60s`, `2s`, `1500ms`.
pub fn humanize(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{}s", duration.as_secs())
    } else {
        format!("{}ms", duration.as_millis())
    }
}

/// Runs `work` while holding the migration lock `key`. `on_wait` is called once if the
/// lock is busy, with the locked resource and who holds it (when the engine can tell), so
/// the run can say it is waiting. The lock is released whether `work` succeeds,
/// fails or panics... (a panic unwinds through the guard's Drop).
pub fn with_lock<T>(
    driver: &mut dyn Driver,
    key: &LockKey,
    timeout: Duration,
    on_wait: &mut dyn FnMut(&str, Option<&str>),
    work: impl FnOnce(&mut dyn Driver) -> Result<T>,
) -> Result<T> {
    acquire(driver, key, timeout, on_wait)?;
    let result = work(driver);
    let released = driver.unlock(key);
    let value = result?;
    released?;
    Ok(value)
}

/// Polls `try_lock` with a growing pause (25 ms doubling up to 1 s), never blocking in
/// the server: a waiter blocked inside the server can hold up the holder's work
/// (PostgreSQL's CREATE INDEX CONCURRENTLY waits for every snapshot, a blocked
/// `pg_advisory_lock` call's included).
fn acquire(
    driver: &mut dyn Driver,
    key: &LockKey,
    timeout: Duration,
    on_wait: &mut dyn FnMut(&str, Option<&str>),
) -> Result<()> {
    let start = Instant::now();
    let mut announced = false;
    let mut pause = POLL_INTERVAL;
    loop {
        if driver.try_lock(key)? {
            return Ok(());
        }
        if !announced {
            // Who holds it is for the message only: a failure to tell is no reason to stop.
            let holder = driver.lock_holder(key).ok().flatten();
            on_wait(&key.resource, holder.as_deref());
            announced = true;
        }
        let waited = start.elapsed();
        if waited >= timeout {
            return Err(LockTimeout {
                resource: key.resource.clone(),
                timeout,
            }
            .into());
        }
        std::thread::sleep(pause.min(timeout - waited));
        pause = (pause * 2).min(MAX_POLL_INTERVAL);
    }
}
