//! Scratch databases on a MySQL/MariaDB server for autogenerate and `check`: created
//! under a unique name with the connected database's character set and collation (so
//! that tables schema.sql creates without them get the live database's defaults), and
//! dropped when the value is dropped, or by the interrupt handler when the run is stopped
//! first (see [`crate::dialect::scratch`]).

use super::connect::{reason, ConnectSettings};
use super::driver::MysqlDriver;
use super::MysqlDialect;
use crate::dialect::scratch::{unique_name, ScratchGuard, ServerScratch};
use crate::dialect::server::ServerSettings;
use crate::dialect::{Dialect, Driver};
use anyhow::{Context, Result};
use mysql::prelude::Queryable;
use std::sync::Arc;

/// A scratch database on the server and a session on it.
pub type MysqlScratch = ServerScratch<MysqlDriver>;

/// Creates an empty scratch database on `server`'s server and connects to it with the
/// same settings.
pub fn create(server: &mut MysqlDriver) -> Result<MysqlScratch> {
    let name = unique_name();
    let describe = server.settings.describe();
    let defaults: Option<(String, String)> = server
        .conn
        .query_first(
            "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME \
             FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()",
        )
        .map_err(|e| anyhow::anyhow!(reason(&e)))
        .with_context(|| format!("cannot read the database's character set on {describe}"))?;
    let dialect = server.dialect();
    let options = defaults
        .map(|(charset, collation)| {
            format!(
                " CHARACTER SET {} COLLATE {}",
                dialect.quote_ident(&charset),
                dialect.quote_ident(&collation)
            )
        })
        .unwrap_or_default();
    let admin = server.settings.clone();
    let dropped = name.clone();
    let create = format!("CREATE DATABASE {}{options}", dialect.quote_ident(&name));
    let guard = ScratchGuard::create(
        &name,
        Arc::new(move || drop_database(&admin, &dropped)),
        || server.execute(&create),
        &describe,
        "the user needs the CREATE and DROP privileges on databases named \
         migrate_scratch_%; or set dev_url in config.toml to a server where it has them",
    )?;
    // On failure the guard drops the database it registered.
    let driver = MysqlDriver::connect(&server.settings.with_database(&name))
        .context("cannot connect to the scratch database")?;
    Ok(MysqlScratch::new(driver, guard))
}

/// Drops scratch database `name` through a new session with `admin`'s settings, first
/// ending the sessions still in it (an interrupted run's, in the middle of a statement:
/// DROP DATABASE would wait for their metadata locks).
fn drop_database(admin: &ConnectSettings, name: &str) -> Result<()> {
    let mut conn = admin.connect()?;
    let sessions: Vec<u64> = conn
        .exec(
            "SELECT ID FROM information_schema.PROCESSLIST \
             WHERE DB = ? AND ID <> CONNECTION_ID()",
            (name,),
        )
        .map_err(|e| anyhow::anyhow!(reason(&e)))?;
    for id in sessions {
        // Gone already, or another user's: the DROP below says what is in the way.
        let _ = conn.query_drop(format!("KILL CONNECTION {id}"));
    }
    let dialect = MysqlDialect::default();
    conn.query_drop(format!(
        "DROP DATABASE IF EXISTS {}",
        dialect.quote_ident(name)
    ))
    .map_err(|e| anyhow::anyhow!(reason(&e)))
}
