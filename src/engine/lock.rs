//! The run-wide migration lock: taken once, released on every path.

use crate::dialect::Driver;
use anyhow::Result;
use std::time::{Duration, Instant};

/// How often a waiting run asks for the lock again.
const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// Another run held the lock for longer than `lock_timeout`.
#[derive(Debug, thiserror::Error)]
#[error("timed out after {waited:?} waiting for the migration lock on {resource} (another migrate run holds it; raise lock_timeout in config.toml to wait longer)")]
pub struct LockTimeout {
    pub resource: String,
    pub waited: Duration,
}

/// Runs `work` while holding the migration lock. `on_wait` is called once if the lock is
/// busy, so the run can say it is waiting. The lock is released whether `work` succeeds,
/// fails or panics... (a panic unwinds through the guard's Drop).
pub fn with_lock<T>(
    driver: &mut dyn Driver,
    timeout: Duration,
    on_wait: &mut dyn FnMut(&str),
    work: impl FnOnce(&mut dyn Driver) -> Result<T>,
) -> Result<T> {
    acquire(driver, timeout, on_wait)?;
    let result = work(driver);
    let released = driver.unlock();
    let value = result?;
    released?;
    Ok(value)
}

fn acquire(
    driver: &mut dyn Driver,
    timeout: Duration,
    on_wait: &mut dyn FnMut(&str),
) -> Result<()> {
    let start = Instant::now();
    let mut announced = false;
    loop {
        if driver.try_lock()? {
            return Ok(());
        }
        if !announced {
            on_wait(&driver.lock_name());
            announced = true;
        }
        let waited = start.elapsed();
        if waited >= timeout {
            return Err(LockTimeout {
                resource: driver.lock_name(),
                waited,
            }
            .into());
        }
        std::thread::sleep(POLL_INTERVAL.min(timeout - waited));
    }
}
