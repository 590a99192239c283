//! The table lease (`lock = "table"`): one row per lock key in `<version_table>_lock`, with
//! an owner and an expiry that a heartbeat on a second connection pushes forward. Every
//! operation is one short transaction and nothing lives in the session, so it works through
//! a pooler in transaction mode and on engines whose advisory locks are absent or stubbed.
//! An expired lease is taken over; the fence in each revision transaction keeps a run that
//! stalled past its lease from applying anything after it was taken over.

use super::Connector;
use crate::dialect::postgres::PostgresDialect;
use crate::dialect::{Dialect, LockKey};
use anyhow::{Context, Result};
use postgres::error::SqlState;
use postgres::{Client, SimpleQueryMessage};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long a lease lasts without a heartbeat.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// How long a take waits for the lease row while another transaction has it locked (a
/// heartbeat, or the holder's revision transaction behind its fence) before answering
/// "busy": the caller polls again rather than waiting inside the server.
const TAKE_LOCK_TIMEOUT: &str = "250ms";

/// How long releasing waits for the heartbeat thread to finish its beat.
const HEARTBEAT_STOP_WAIT: Duration = Duration::from_secs(5);

/// A table lease: who we are, how long a lease lasts, and the lease we hold.
pub struct Lease {
    owner: String,
    length: Duration,
    connect: Connector,
    /// Lock tables known to exist (created on first use).
    created: Vec<String>,
    held: Option<Held>,
}

/// The lease this run holds.
struct Held {
    row: Row,
    resource: String,
    heartbeat: Heartbeat,
}

/// One lease row: its table (quoted) and name, and the owner this run writes.
#[derive(Clone)]
struct Row {
    table: String,
    name: String,
    owner: String,
}

impl Row {
    fn new(key: &LockKey, owner: &str) -> Row {
        Row {
            table: lock_table(key),
            name: literal(&key.name),
            owner: literal(owner),
        }
    }
}

impl Lease {
    /// A lease of `length` under a fresh owner name, its heartbeat connecting through
    /// `connect`.
    pub fn new(connect: Connector, length: Duration) -> Lease {
        Lease {
            owner: owner_name(),
            length,
            connect,
            created: Vec::new(),
            held: None,
        }
    }

    /// The owner name this run writes in lease rows.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Tries once to take the lease of `key`: inserts the row, or takes over one whose
    /// lease expired. `false` when a live lease of another run holds it.
    pub fn try_lock(&mut self, client: &mut Client, key: &LockKey) -> Result<bool> {
        self.create_table(client, key)?;
        let row = Row::new(key, &self.owner);
        if !take(client, &row, self.length)
            .with_context(|| format!("cannot take the migration lock on {}", key.resource))?
        {
            return Ok(false);
        }
        let row = Row {
            table: qualified_table(client, &row.table),
            ..row
        };
        if let Some(old) = self.held.take() {
            old.heartbeat.stop();
        }
        let heartbeat = match (self.connect)() {
            Ok(beat_client) => {
                Heartbeat::start(beat_client, self.connect.clone(), row.clone(), self.length)
            }
            Err(e) => {
                let _ = release(client, &row);
                return Err(e.context(format!(
                    "cannot open the heartbeat connection of the migration lock on {}",
                    key.resource
                )));
            }
        };
        self.held = Some(Held {
            row,
            resource: key.resource.clone(),
            heartbeat,
        });
        Ok(true)
    }

    /// Stops the heartbeat and deletes the lease row if this run still owns it.
    pub fn unlock(&mut self, client: &mut Client, key: &LockKey) -> Result<()> {
        let row = match self.held.take() {
            Some(held) => {
                held.heartbeat.stop();
                held.row
            }
            None => Row::new(key, &self.owner),
        };
        release(client, &row)
            .with_context(|| format!("cannot release the migration lock on {}", key.resource))
    }

    /// The owner of `key`'s lease and its times: `owner 'ci-3 pid 4242 #1a2b3c4d',
    /// acquired 2026-01-31 12:00:01 UTC, lease expires 12:00:31 UTC`.
    pub fn holder(&mut self, client: &mut Client, key: &LockKey) -> Result<Option<String>> {
        let row = Row::new(key, &self.owner);
        let sql = format!(
            "SELECT owner, \
                    to_char(acquired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), \
                    to_char(expires_at AT TIME ZONE 'UTC', 'HH24:MI:SS'), \
                    CASE WHEN expires_at < now() THEN 'expired' ELSE 'expires' END \
             FROM {} WHERE name = {}",
            row.table, row.name
        );
        let rows = rows(client.simple_query(&sql).with_context(|| {
            format!(
                "cannot tell who holds the migration lock on {}",
                key.resource
            )
        })?);
        Ok(rows.first().map(|r| {
            format!(
                "owner {}, acquired {} UTC, lease {} {} UTC",
                crate::echo::quote(text(r, 0)),
                text(r, 1),
                text(r, 3),
                text(r, 2)
            )
        }))
    }

    /// Locks the lease row inside the caller's transaction and fails when this run no
    /// longer owns it. Holding the row lock until the transaction ends makes a takeover
    /// wait for it: the run that takes over then reads the version table this transaction
    /// committed. The lock is FOR KEY SHARE: a takeover changes the key column `name` (see
    /// [`take`]) and so conflicts with it, while the heartbeat's update of the expiry does
    /// not, so a revision transaction longer than the lease does not let the lease lapse.
    /// (Locked FOR UPDATE, the heartbeat would wait behind it, and on commit a taker can
    /// get the free row before the waiting heartbeat does.)
    pub fn fence(&mut self, client: &mut Client) -> Result<()> {
        let Some(held) = &self.held else {
            return Ok(());
        };
        let row = &held.row;
        let sql = format!(
            "SELECT owner FROM {} WHERE name = {} FOR KEY SHARE",
            row.table, row.name
        );
        let found = rows(client.simple_query(&sql).with_context(|| {
            format!(
                "cannot verify the migration lock on {} (lease table {})",
                held.resource, row.table
            )
        })?);
        match found.first().map(|r| text(r, 0).to_string()) {
            Some(owner) if owner == self.owner => Ok(()),
            Some(owner) => anyhow::bail!(
                "lost the migration lock on {}: the lease expired while this run stalled and \
                 {} took it over; stopping before the next revision (the version table shows \
                 what was applied)",
                held.resource,
                crate::echo::quote(&owner)
            ),
            None => anyhow::bail!(
                "lost the migration lock on {}: its lease row in {} is gone; stopping before \
                 the next revision (the version table shows what was applied)",
                held.resource,
                row.table
            ),
        }
    }

    /// Creates the lock table once per run. Two runs creating it at once can collide in
    /// the catalogs even with IF NOT EXISTS; the loser finds it made on the retry.
    fn create_table(&mut self, client: &mut Client, key: &LockKey) -> Result<()> {
        let table = lock_table(key);
        if self.created.contains(&table) {
            return Ok(());
        }
        let sql = format!(
            "CREATE TABLE IF NOT EXISTS {table} (name TEXT PRIMARY KEY, owner TEXT NOT NULL, \
             acquired_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL, \
             heartbeat_at TIMESTAMPTZ NOT NULL)"
        );
        let mut result = client.batch_execute(&sql);
        if let Err(e) = &result {
            // The loser's error depends on where it met the winner's row: the unique
            // index of pg_type or pg_class, or the row type's name
            // (`type "…_lock" already exists`).
            if e.code() == Some(&SqlState::UNIQUE_VIOLATION)
                || e.code() == Some(&SqlState::DUPLICATE_TABLE)
                || e.code() == Some(&SqlState::DUPLICATE_OBJECT)
            {
                result = client.batch_execute(&sql);
            }
        }
        result.with_context(|| format!("cannot create the migration lock table {table}"))?;
        self.created.push(table);
        Ok(())
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        // Without a connection the row cannot be deleted here: it expires after its lease.
        if let Some(held) = self.held.take() {
            held.heartbeat.stop();
        }
    }
}

/// Inserts the lease row or takes over an expired one (or one this owner already holds),
/// in one transaction; `true` when the row is this owner's now. A row locked by another
/// transaction for longer than [`TAKE_LOCK_TIMEOUT`] reads as busy. The update sets the
/// key column `name` (to itself) so that it locks the row FOR UPDATE, which conflicts with
/// the holder's fence (FOR KEY SHARE); without a key column it would lock FOR NO KEY
/// UPDATE and pass the fence.
fn take(client: &mut Client, row: &Row, length: Duration) -> Result<bool, postgres::Error> {
    let sql = format!(
        "INSERT INTO {table} AS l (name, owner, acquired_at, expires_at, heartbeat_at) \
         VALUES ({name}, {owner}, clock_timestamp(), clock_timestamp() + {interval}, \
                 clock_timestamp()) \
         ON CONFLICT (name) DO UPDATE SET name = excluded.name, owner = excluded.owner, \
             acquired_at = excluded.acquired_at, expires_at = excluded.expires_at, \
             heartbeat_at = excluded.heartbeat_at \
         WHERE l.expires_at < now() OR l.owner = excluded.owner \
         RETURNING l.owner",
        table = row.table,
        name = row.name,
        owner = row.owner,
        interval = interval(length),
    );
    let mut transaction = client.transaction()?;
    transaction.batch_execute(&format!(
        "SET LOCAL lock_timeout = {}",
        literal(TAKE_LOCK_TIMEOUT)
    ))?;
    match transaction.simple_query(&sql) {
        Ok(messages) => {
            let taken = !rows(messages).is_empty();
            transaction.commit()?;
            Ok(taken)
        }
        // Another transaction holds the row (or, under SERIALIZABLE, raced us): busy.
        Err(e)
            if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE)
                || e.code() == Some(&SqlState::T_R_SERIALIZATION_FAILURE) =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// Deletes the lease row if this owner holds it.
fn release(client: &mut Client, row: &Row) -> Result<(), postgres::Error> {
    client.batch_execute(&format!(
        "DELETE FROM {} WHERE name = {} AND owner = {}",
        row.table, row.name, row.owner
    ))
}

/// One beat: extends the lease if this owner still holds it; `false` when it does not.
/// The row is locked first, in its own statement, so the expiry is computed after any
/// wait for the row (an UPDATE that waits keeps the values it computed before). The lock
/// is FOR NO KEY UPDATE, which the holder's own fence (FOR KEY SHARE) does not block.
fn beat(client: &mut Client, row: &Row, length: Duration) -> Result<bool, postgres::Error> {
    let mut transaction = client.transaction()?;
    let held = !rows(transaction.simple_query(&format!(
        "SELECT 1 FROM {} WHERE name = {} AND owner = {} FOR NO KEY UPDATE",
        row.table, row.name, row.owner
    ))?)
    .is_empty();
    if held {
        transaction.batch_execute(&format!(
            "UPDATE {} SET expires_at = clock_timestamp() + {}, \
             heartbeat_at = clock_timestamp() WHERE name = {}",
            row.table,
            interval(length),
            row.name
        ))?;
    }
    transaction.commit()?;
    Ok(held)
}

/// The thread that extends the lease every third of it, on a connection of its own.
struct Heartbeat {
    stop: mpsc::Sender<()>,
    done: mpsc::Receiver<()>,
}

impl Heartbeat {
    /// Starts extending `row`'s lease by `length` every third of it on `client`; a failed
    /// beat reconnects through `connect` at the next one, and a beat that finds the lease
    /// gone stops the thread.
    fn start(client: Client, connect: Connector, row: Row, length: Duration) -> Heartbeat {
        let (stop, stopped) = mpsc::channel::<()>();
        let (finished, done) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            let mut client = Some(client);
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(length / 3) {
                if client.is_none() {
                    client = connect().ok();
                }
                let Some(connection) = client.as_mut() else {
                    continue;
                };
                match beat(connection, &row, length) {
                    Ok(true) => {}
                    // The lease is another run's now: the next fence says so.
                    Ok(false) => break,
                    Err(_) => client = None,
                }
            }
            drop(client);
            let _ = finished.send(());
        });
        Heartbeat { stop, done }
    }

    /// Stops the thread, waiting a little for a beat in progress.
    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.done.recv_timeout(HEARTBEAT_STOP_WAIT);
    }
}

/// `<version_table>_lock`, quoted.
fn lock_table(key: &LockKey) -> String {
    PostgresDialect::default().quote_ident(&format!("{}_lock", key.version_table))
}

fn literal(value: &str) -> String {
    PostgresDialect::default().quote_literal(value)
}

/// Lease table `table` (quoted) qualified by its schema as the session finds it now,
/// before any revision ran: each revision's fence then finds it whatever search_path an
/// earlier revision left (pg_dump's output empties it). `table` as it is if not found.
fn qualified_table(client: &mut Client, table: &str) -> String {
    let sql = format!(
        "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.oid = pg_catalog.to_regclass({})",
        literal(table)
    );
    client
        .simple_query(&sql)
        .ok()
        .and_then(|messages| rows(messages).first().map(|row| text(row, 0).to_string()))
        .unwrap_or_else(|| table.to_string())
}

/// `interval '30000 milliseconds'`.
fn interval(length: Duration) -> String {
    format!("interval '{} milliseconds'", length.as_millis())
}

/// The data rows of a simple query's answer.
fn rows(messages: Vec<SimpleQueryMessage>) -> Vec<postgres::SimpleQueryRow> {
    messages
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(row),
            _ => None,
        })
        .collect()
}

/// Column `i` of a simple-query row as text (`""` for NULL).
fn text(row: &postgres::SimpleQueryRow, i: usize) -> &str {
    row.get(i).unwrap_or("")
}

/// `host pid 4242 #1a2b3c4d`: the host and process for people, and a token that tells
/// apart two runs of one process or two containers that share a host name and pid.
fn owner_name() -> String {
    use sha2::{Digest, Sha256};
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".to_string());
    let pid = std::process::id();
    let seed = format!(
        "{host}:{pid}:{:?}:{:?}:{:p}",
        std::time::SystemTime::now(),
        std::thread::current().id(),
        &host
    );
    let digest = Sha256::digest(seed.as_bytes());
    let token: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{host} pid {pid} #{token}")
}
