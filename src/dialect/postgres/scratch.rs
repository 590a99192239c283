//! Scratch databases on a PostgreSQL server for autogenerate and `check`: created from
//! template0 under a unique name and dropped when the value is dropped, or by the
//! interrupt handler when the run is stopped first (see [`crate::dialect::scratch`]).

use super::connect::ConnectSettings;
use super::driver::PgDriver;
use crate::dialect::scratch::{unique_name, ScratchGuard, ServerScratch};
use crate::dialect::server::ServerSettings;
use crate::dialect::{Dialect, Driver};
use anyhow::{Context, Result};
use std::sync::Arc;

/// A scratch database on the server and a session on it.
pub type PgScratch = ServerScratch<PgDriver>;

/// Creates an empty scratch database on `server`'s server and connects to it with the
/// same settings, lock mode and namespaces.
pub fn create(server: &mut PgDriver) -> Result<PgScratch> {
    let name = unique_name();
    let dialect = server.dialect();
    let admin = server.settings.clone();
    // Whether the server has `DROP DATABASE … WITH (FORCE)` (PostgreSQL 13+).
    let force = dialect.server().at_least(&[13]);
    let dropped = name.clone();
    let create = format!(
        "CREATE DATABASE {} TEMPLATE template0",
        dialect.quote_ident(&name)
    );
    let describe = server.settings.describe();
    let guard = ScratchGuard::create(
        &name,
        Arc::new(move || drop_database(&admin, &dropped, force)),
        || server.execute(&create),
        &describe,
        "the user needs the CREATEDB privilege; or set dev_url in config.toml to a server \
         where it has it",
    )?;
    let scratch_settings = server.settings.with_database(&name);
    // On failure the guard drops the database it registered.
    let driver = PgDriver::connect(
        &scratch_settings,
        server.lock.mode(),
        server.namespaces.clone(),
    )
    .context("cannot connect to the scratch database")?;
    Ok(PgScratch::new(driver, guard))
}

/// Drops scratch database `name` through a new session with `admin`'s settings, ending
/// the sessions still connected to it.
fn drop_database(admin: &ConnectSettings, name: &str, force: bool) -> Result<()> {
    let mut client = admin.connect()?;
    let dialect = super::PostgresDialect::default();
    let quoted = dialect.quote_ident(name);
    if force {
        client.batch_execute(&format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))?;
    } else {
        // PostgreSQL 12 has no FORCE: end the sessions first.
        client.batch_execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = {} AND pid <> pg_backend_pid()",
            dialect.quote_literal(name)
        ))?;
        client.batch_execute(&format!("DROP DATABASE IF EXISTS {quoted}"))?;
    }
    Ok(())
}
