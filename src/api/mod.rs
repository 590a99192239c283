//! The library API: apply migrations from a Rust service at start-up, without the CLI.
//!
//! A [`Migrations`] source (a config file, or revision files embedded in the binary with
//! [`embed_migrations!`](crate::embed_migrations)) gives a [`Migrator`] for one database,
//! which runs the very engine the `migrate` command runs: the same run-wide lock, plan,
//! checksum verification and dirty-revision handling. Failures are typed ([`Error`]).
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let url = format!("sqlite:///{}", dir.path().join("app.db").display());
//! let migrator = migrate::Migrations::embedded(&[(
//!     "migrations/0001_users.sql",
//!     "-- revision: 0001\n-- revises:\n\n-- migrate:upgrade\nCREATE TABLE users (id INTEGER);\n\n-- migrate:downgrade\nDROP TABLE users;\n",
//! )])
//! .migrator_for(&url)?;
//! assert_eq!(migrator.upgrade("head")?, ["0001"]);
//! assert_eq!(migrator.current()?, ["0001"]);
//! assert!(migrator.upgrade("head")?.is_empty());
//! # Ok::<(), migrate::Error>(())
//! ```

mod compare;
mod embed;
mod error;
mod migrator;
mod offline;
mod position;

/// A revision that landed, as [`Migrator::apply`] hands it over.
pub use crate::engine::migrator::Applied;
/// Upgrade or downgrade, as [`Migrator::apply`] and [`Migrator::script`] take it.
pub use crate::revision::plan::Direction;
pub use compare::{Check, Generated};
pub use embed::check_embedded;
pub use error::{Error, Failure};
pub use migrator::{Migrator, Status};

use crate::dialect::Driver;
use crate::engine::migrator as engine_migrator;
use crate::engine::{Access, ConnectOptions};
use crate::revision::file;
use crate::revision::graph::RevisionGraph;
use crate::settings::{self, Settings};
use crate::url::DatabaseUrl;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the revision files come from, with the settings of the runs.
#[derive(Clone, Debug)]
pub struct Migrations {
    settings: Settings,
    /// `None`: the migrations directories of the settings; else the embedded files
    /// (path as written in messages, contents).
    embedded: Option<Vec<(PathBuf, String)>>,
}

impl Migrations {
    /// The project of a config file, read as the CLI reads it (`DATABASE_URL` and
    /// `${VAR}` from the environment): its migrations directories, database URL, version
    /// table and lock settings.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("config.toml"), "[database]\nurl = \"sqlite:///app.db\"\n").unwrap();
    /// std::fs::create_dir(dir.path().join("migrations")).unwrap();
    /// # std::env::remove_var("DATABASE_URL");
    /// let migrator = migrate::Migrations::from_config(dir.path().join("config.toml"))?.migrator();
    /// assert!(migrator.current()?.is_empty());
    /// assert!(migrator.upgrade("head")?.is_empty());
    /// # Ok::<(), migrate::Error>(())
    /// ```
    pub fn from_config(path: impl AsRef<Path>) -> Result<Migrations, Error> {
        let env = |name: &str| std::env::var(name).ok();
        Ok(Migrations::from_settings(settings::load(
            path.as_ref(),
            &env,
        )?))
    }

    /// The project of already loaded settings (the CLI's way in).
    pub fn from_settings(settings: Settings) -> Migrations {
        Migrations {
            settings,
            embedded: None,
        }
    }

    /// Revision files embedded in the binary, each as (path, contents), usually filled
    /// by [`embed_migrations!`](crate::embed_migrations); the settings are the defaults
    /// of config.toml (version table `migrate_version`, lock timeout 60 s).
    pub fn embedded(files: &[(&str, &str)]) -> Migrations {
        let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let settings = settings::parse_settings("", Path::new("<embedded>"), &base, &|_| None)
            .expect("the empty config is valid");
        Migrations {
            settings,
            embedded: Some(
                files
                    .iter()
                    .map(|(path, text)| (PathBuf::from(path), text.to_string()))
                    .collect(),
            ),
        }
    }

    /// Waits up to `timeout` for the migration lock and for locks other connections hold.
    pub fn lock_timeout(mut self, timeout: Duration) -> Migrations {
        self.settings.lock_timeout = timeout;
        self
    }

    /// Keeps the bookkeeping in `name` and `name_history` instead of `migrate_version`.
    pub fn version_table(mut self, name: &str) -> Migrations {
        self.settings.version_table = name.to_string();
        self
    }

    /// Loads and validates every revision into one graph.
    pub fn graph(&self) -> Result<RevisionGraph, Error> {
        let mut revisions = Vec::new();
        match &self.embedded {
            Some(files) => {
                for (path, text) in files {
                    revisions.push(file::parse(path, text.as_bytes())?);
                }
            }
            None => {
                for dir in &self.settings.migrations_dirs {
                    revisions.extend(file::load_dir(dir)?);
                }
            }
        }
        Ok(RevisionGraph::build(revisions)?)
    }

    /// A migrator for the configured database (config file, `DATABASE_URL`; for
    /// embedded migrations the default `sqlite:///app.db`).
    pub fn migrator(&self) -> Migrator {
        Migrator::new(self.settings.clone(), self.clone())
    }

    /// A migrator for the database at `url` (`sqlite:///path`, `postgres://...`,
    /// `mysql://...`; a relative SQLite path is relative to the config file's directory,
    /// or to the current directory for embedded migrations).
    pub fn migrator_for(&self, url: &str) -> Result<Migrator, Error> {
        let mut settings = self.settings.clone();
        settings.database = DatabaseUrl::parse(url, &settings.base_dir)?;
        Ok(Migrator::new(settings, self.clone()))
    }
}

/// The engine's migrator for `graph` on the dialect and version table of `settings`.
pub(crate) fn engine<'g>(
    settings: &Settings,
    graph: &'g RevisionGraph,
) -> engine_migrator::Migrator<'g> {
    let dialect = settings.database.engine().dialect();
    engine_migrator::Migrator::new(graph, dialect, &settings.version_table)
}

/// How runs connect with `access`: the configured lock mode and schemas.
pub(crate) fn connect_options(settings: &Settings, access: Access) -> ConnectOptions {
    ConnectOptions {
        access,
        lock: settings.lock,
        schemas: settings.schemas.clone(),
    }
}

/// Opens the database of `settings` (see [`Migrator::connect`]).
pub(crate) fn connect(settings: &Settings, access: Access) -> anyhow::Result<Box<dyn Driver>> {
    let database = &settings.database;
    let connected = crate::engine::connect(database, &connect_options(settings, access));
    // PostgreSQL's and MySQL's errors name the server already.
    let mut driver = match database {
        DatabaseUrl::Sqlite(_) => {
            connected.with_context(|| format!("cannot connect to {database}"))?
        }
        _ => connected?,
    };
    driver.set_busy_timeout(settings.lock_timeout)?;
    Ok(driver)
}
