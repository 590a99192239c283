//! What every server engine's scratch database shares: a name no other run uses
//! (`migrate_scratch_<pid>_<random>`), a registry of this process's live scratch databases,
//! the interrupt handler (Ctrl-C, SIGTERM, SIGHUP) that drops them before the process
//! exits, the guard that drops one when its value is dropped, and the scratch value
//! holding the guard and the session.

use anyhow::Result;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

/// A scratch database on a server and a session on it (the engine's driver). The session
/// is declared first, so it closes before the guard drops the database.
pub struct ServerScratch<D> {
    driver: D,
    _guard: ScratchGuard,
}

impl<D> ServerScratch<D> {
    /// The scratch database `guard` registered, and `driver`'s session on it.
    pub fn new(driver: D, guard: ScratchGuard) -> Self {
        ServerScratch {
            driver,
            _guard: guard,
        }
    }
}

impl<D: super::Driver> super::ScratchDatabase for ServerScratch<D> {
    fn driver(&mut self) -> &mut dyn super::Driver {
        &mut self.driver
    }
}

/// The exit status after an interrupt (128 + SIGINT), as shells report it.
const INTERRUPTED_STATUS: i32 = 130;

/// Drops one scratch database through a new session on its server (the session that made
/// it may be busy or gone), ending the sessions still connected to it.
pub type DropDatabase = Arc<dyn Fn() -> Result<()> + Send + Sync>;

/// A registered scratch database: its name and how to drop it.
struct Entry {
    name: String,
    drop: DropDatabase,
}

/// The live scratch databases of this process.
static REGISTRY: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// Set by the interrupt handler once it starts dropping: scratch values dropped after that
/// leave the work to it.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// How many scratch databases are being created right now. The server finishes a
/// `CREATE DATABASE` whose client went away, so the interrupt handler waits for these
/// (up to [`CREATION_WAIT`]) before it drops: a drop sent earlier finds nothing yet.
static CREATING: AtomicUsize = AtomicUsize::new(0);

/// How long the interrupt handler waits for creations in flight.
const CREATION_WAIT: Duration = Duration::from_secs(10);

/// A scratch database name no other run uses: `migrate_scratch_<pid>_<8 hex digits>`
/// (at most 40 characters, within every engine's identifier limit).
pub fn unique_name() -> String {
    format!(
        "migrate_scratch_{}_{:08x}",
        std::process::id(),
        random() & 0xffff_ffff
    )
}

/// One registered scratch database: dropped (through its [`DropDatabase`]) when the guard
/// is dropped, or by the interrupt handler if the process is interrupted first. Hold it
/// after the session on the scratch database, so that the session closes first.
pub struct ScratchGuard {
    name: String,
}

impl ScratchGuard {
    /// Registers scratch database `name`, dropped by `drop`, and installs the interrupt
    /// handler (once per process). Register before creating the database, so that an
    /// interrupt during its creation still drops it.
    pub fn register(name: &str, drop: DropDatabase) -> ScratchGuard {
        install_handler();
        if let Ok(mut registry) = REGISTRY.lock() {
            registry.push(Entry {
                name: name.to_string(),
                drop,
            });
        }
        ScratchGuard {
            name: name.to_string(),
        }
    }

    /// Registers scratch database `name` (dropped by `drop`) and runs `create`, which
    /// creates it. When that fails nothing stays registered, and the error says that no
    /// scratch database could be made on `server` and, in parentheses, `hint` (what the
    /// user needs, or how to do without).
    pub fn create(
        name: &str,
        drop: DropDatabase,
        create: impl FnOnce() -> Result<()>,
        server: &str,
        hint: &str,
    ) -> Result<ScratchGuard> {
        let guard = ScratchGuard::register(name, drop);
        CREATING.fetch_add(1, Ordering::SeqCst);
        let created = create();
        CREATING.fetch_sub(1, Ordering::SeqCst);
        if let Err(error) = created {
            guard.forget();
            return Err(error.context(format!(
                "cannot create a scratch database on {server} ({hint})"
            )));
        }
        Ok(guard)
    }

    /// The scratch database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Forgets the database without dropping it (its creation failed: there is nothing
    /// to drop).
    pub fn forget(self) {
        let _ = take(&self.name);
    }
}

impl Drop for ScratchGuard {
    fn drop(&mut self) {
        if INTERRUPTED.load(Ordering::SeqCst) {
            // The handler drops every registered database and ends the process; this
            // thread waits for that rather than report errors of the killed sessions.
            loop {
                std::thread::sleep(Duration::from_secs(1));
            }
        }
        if let Some(entry) = take(&self.name) {
            drop_or_warn(&entry);
        }
    }
}

/// Removes `name` from the registry and returns its entry, if it is registered.
fn take(name: &str) -> Option<Entry> {
    let mut registry = REGISTRY.lock().ok()?;
    let at = registry.iter().position(|entry| entry.name == name)?;
    Some(registry.remove(at))
}

fn drop_or_warn(entry: &Entry) {
    if let Err(error) = (entry.drop)() {
        eprintln!(
            "warning: cannot drop scratch database {}: {error:#}",
            entry.name
        );
    }
}

/// Installs, once per process, the SIGINT/SIGTERM/SIGHUP handler that drops every
/// registered scratch database and exits with status 130.
fn install_handler() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let installed = ctrlc::set_handler(|| {
            INTERRUPTED.store(true, Ordering::SeqCst);
            let waited = std::time::Instant::now();
            while CREATING.load(Ordering::SeqCst) > 0 && waited.elapsed() < CREATION_WAIT {
                std::thread::sleep(Duration::from_millis(10));
            }
            let entries = REGISTRY
                .lock()
                .map(|mut registry| std::mem::take(&mut *registry))
                .unwrap_or_default();
            entries.iter().for_each(drop_or_warn);
            eprintln!("interrupted");
            std::process::exit(INTERRUPTED_STATUS);
        });
        if let Err(error) = installed {
            eprintln!("warning: scratch databases will not be dropped on Ctrl-C: {error}");
        }
    });
}

/// A random number from the standard library's randomly seeded hasher.
fn random() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    );
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn names_are_unique_and_carry_the_pid() {
        let (a, b) = (unique_name(), unique_name());
        assert_ne!(a, b);
        assert!(a.starts_with(&format!("migrate_scratch_{}_", std::process::id())));
        assert!(a.len() <= 40, "{a}");
    }

    #[test]
    fn a_guard_drops_its_database_once_and_a_forgotten_one_never() {
        let drops = Arc::new(AtomicUsize::new(0));
        let counter = drops.clone();
        let dropper: DropDatabase = Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(())
        });
        let guard = ScratchGuard::register(&unique_name(), dropper.clone());
        drop(guard);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        let forgotten = ScratchGuard::register(&unique_name(), dropper);
        let name = forgotten.name().to_string();
        forgotten.forget();
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        assert!(take(&name).is_none());
    }
}
