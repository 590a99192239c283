//! Scratch databases on a PostgreSQL server for autogenerate and `check`:
//! `migrate_scratch_<pid>_<random>`, created from template0 and dropped when the value
//! is dropped, or by the interrupt handler (Ctrl-C, SIGTERM) when the run is stopped first.

use super::connect::ConnectSettings;
use super::driver::PgDriver;
use crate::dialect::{Dialect, Driver, ScratchDatabase};
use anyhow::{Context, Result};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::time::Duration;

/// The exit status after an interrupt (128 + SIGINT), as shells report it.
const INTERRUPTED_STATUS: i32 = 130;

/// A scratch database registered for the interrupt handler: where it is and how to drop
/// it.
#[derive(Clone)]
struct Entry {
    name: String,
    /// The settings of the connection that made it (its own database, not the scratch).
    admin: ConnectSettings,
    /// Whether the server has `DROP DATABASE … WITH (FORCE)` (PostgreSQL 13+).
    force: bool,
}

/// The live scratch databases of this process.
static REGISTRY: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// Set by the interrupt handler once it starts dropping: scratch values dropped after that
/// leave the work to it.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// A scratch database and a session on it.
pub struct PgScratch {
    driver: PgDriver,
    entry: Entry,
}

impl ScratchDatabase for PgScratch {
    fn driver(&mut self) -> &mut dyn Driver {
        &mut self.driver
    }
}

impl Drop for PgScratch {
    fn drop(&mut self) {
        if INTERRUPTED.load(Ordering::SeqCst) {
            // The handler drops every registered database and ends the process; this
            // thread waits for that rather than report errors of the killed sessions.
            loop {
                std::thread::sleep(Duration::from_secs(1));
            }
        }
        unregister(&self.entry.name);
        if let Err(error) = drop_database(&self.entry) {
            eprintln!(
                "warning: cannot drop scratch database {}: {error:#}",
                self.entry.name
            );
        }
    }
}

/// Creates an empty scratch database on `server`'s server and connects to it with the
/// same settings, lock mode and namespaces.
pub fn create(server: &mut PgDriver) -> Result<PgScratch> {
    install_handler();
    let name = format!(
        "migrate_scratch_{}_{:08x}",
        std::process::id(),
        random() & 0xffff_ffff
    );
    let dialect = server.dialect();
    let entry = Entry {
        name: name.clone(),
        admin: server.settings.clone(),
        force: dialect.server().at_least(&[13]),
    };
    // Registered before it exists, so that an interrupt during CREATE still drops it.
    register(entry.clone());
    let created = server.execute(&format!(
        "CREATE DATABASE {} TEMPLATE template0",
        dialect.quote_ident(&name)
    ));
    if let Err(error) = created {
        unregister(&name);
        return Err(error).with_context(|| {
            format!(
                "cannot create a scratch database on {} (the user needs the CREATEDB \
                 privilege; or set dev_url in config.toml to a server where it has it)",
                server.settings.describe()
            )
        });
    }
    let scratch_settings = server.settings.with_database(&name);
    match PgDriver::connect(
        &scratch_settings,
        server.lock.mode(),
        server.namespaces.clone(),
    ) {
        Ok(driver) => Ok(PgScratch { driver, entry }),
        Err(error) => {
            unregister(&name);
            let _ = drop_database(&entry);
            Err(error).context("cannot connect to the scratch database")
        }
    }
}

/// Drops the scratch database of `entry` through a new session on its server, ending
/// the sessions still connected to it.
fn drop_database(entry: &Entry) -> Result<()> {
    let mut admin = entry.admin.connect()?;
    let dialect = super::PostgresDialect::default();
    let name = dialect.quote_ident(&entry.name);
    if entry.force {
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    } else {
        // PostgreSQL 12 has no FORCE: end the sessions first.
        admin.batch_execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = {} AND pid <> pg_backend_pid()",
            dialect.quote_literal(&entry.name)
        ))?;
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))?;
    }
    Ok(())
}

fn register(entry: Entry) {
    if let Ok(mut registry) = REGISTRY.lock() {
        registry.push(entry);
    }
}

fn unregister(name: &str) {
    if let Ok(mut registry) = REGISTRY.lock() {
        registry.retain(|entry| entry.name != name);
    }
}

/// Installs, once per process, the SIGINT/SIGTERM/SIGHUP handler that drops every
/// registered scratch database and exits with status 130.
fn install_handler() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let installed = ctrlc::set_handler(|| {
            INTERRUPTED.store(true, Ordering::SeqCst);
            let entries = REGISTRY
                .lock()
                .map(|mut registry| std::mem::take(&mut *registry))
                .unwrap_or_default();
            for entry in &entries {
                if let Err(error) = drop_database(entry) {
                    eprintln!(
                        "warning: cannot drop scratch database {}: {error:#}",
                        entry.name
                    );
                }
            }
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
