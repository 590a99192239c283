//! The run-wide migration lock on PostgreSQL: a session advisory lock (the default) or a
//! lease row in a table (`lock = "table"`). Both are taken by polling, never by waiting
//! inside the server: a waiter blocked in `pg_advisory_lock` holds a snapshot that the
//! holder's CREATE INDEX CONCURRENTLY waits for, a deadlock other tools shipped.

mod advisory;
mod lease;

pub use lease::DEFAULT_LEASE;

use crate::dialect::LockKey;
use anyhow::Result;
use postgres::Client;
use std::sync::Arc;
use std::time::Duration;

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

/// Opens another connection to the run's database with the run's connection options. The
/// table lease's heartbeat runs on one, so a long statement on the main connection does
/// not let the lease lapse.
pub type Connector = Arc<dyn Fn() -> Result<Client> + Send + Sync>;

/// The migration lock of one connection: its mode and, for a table lease, the owner name
/// and the heartbeat of the lease it holds.
pub struct PgLock {
    inner: Inner,
}

enum Inner {
    Advisory,
    Table(Box<lease::Lease>),
}

impl PgLock {
    /// A lock in `mode`; a table lease lasts [`DEFAULT_LEASE`] and its heartbeat connects
    /// through `connect`.
    pub fn new(mode: LockMode, connect: Connector) -> PgLock {
        match mode {
            LockMode::Advisory => PgLock::advisory(),
            LockMode::Table => PgLock::table(connect, DEFAULT_LEASE),
        }
    }

    /// A session advisory lock.
    pub fn advisory() -> PgLock {
        PgLock {
            inner: Inner::Advisory,
        }
    }

    /// A lease row lasting `lease`, extended every third of it by a heartbeat that
    /// connects through `connect`.
    pub fn table(connect: Connector, lease: Duration) -> PgLock {
        PgLock {
            inner: Inner::Table(Box::new(lease::Lease::new(connect, lease))),
        }
    }

    /// The lock's mode.
    pub fn mode(&self) -> LockMode {
        match self.inner {
            Inner::Advisory => LockMode::Advisory,
            Inner::Table(_) => LockMode::Table,
        }
    }

    /// The owner name a table lease records (`host pid 4242 #1a2b3c4d`); `None` for an
    /// advisory lock, whose owner is the session.
    pub fn owner(&self) -> Option<&str> {
        match &self.inner {
            Inner::Advisory => None,
            Inner::Table(lease) => Some(lease.owner()),
        }
    }

    /// Tries once to take lock `key`; `false` when another run holds it.
    pub fn try_lock(&mut self, client: &mut Client, key: &LockKey) -> Result<bool> {
        match &mut self.inner {
            Inner::Advisory => advisory::try_lock(client, key),
            Inner::Table(lease) => lease.try_lock(client, key),
        }
    }

    /// Releases lock `key`.
    pub fn unlock(&mut self, client: &mut Client, key: &LockKey) -> Result<()> {
        match &mut self.inner {
            Inner::Advisory => advisory::unlock(client, key),
            Inner::Table(lease) => lease.unlock(client, key),
        }
    }

    /// Who holds lock `key`, for the message of a waiting run; `None` when nobody does.
    pub fn holder(&mut self, client: &mut Client, key: &LockKey) -> Result<Option<String>> {
        match &mut self.inner {
            Inner::Advisory => advisory::holder(client, key),
            Inner::Table(lease) => lease.holder(client, key),
        }
    }

    /// Called inside each transaction that applies a revision, right after BEGIN: with a
    /// table lease it locks the lease row and fails ("lost the migration lock") when this
    /// run no longer owns it, so a run that stalled past its lease cannot apply a revision
    /// the run that took the lease over applies too. Nothing to do for an advisory lock,
    /// which the server holds for the session, or when no lock is held.
    pub fn fence(&mut self, client: &mut Client) -> Result<()> {
        match &mut self.inner {
            Inner::Advisory => Ok(()),
            Inner::Table(lease) => lease.fence(client),
        }
    }
}
