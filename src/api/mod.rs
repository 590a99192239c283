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

mod embed;
mod error;

pub use embed::check_embedded;
pub use error::{Error, Source};

use crate::dialect::Driver;
use crate::engine::migrator::{self, Applied, RunOptions};
use crate::engine::{Access, ConnectOptions};
use crate::revision::file;
use crate::revision::graph::RevisionGraph;
use crate::revision::plan::{Current, Direction};
use crate::revision::target::Target;
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
        Migrator {
            settings: self.settings.clone(),
            migrations: self.clone(),
        }
    }

    /// A migrator for the database at `url` (`sqlite:///path`, `postgres://...`,
    /// `mysql://...`; a relative SQLite path is relative to the config file's directory,
    /// or to the current directory for embedded migrations).
    pub fn migrator_for(&self, url: &str) -> Result<Migrator, Error> {
        let mut settings = self.settings.clone();
        settings.database = DatabaseUrl::parse(url, &settings.base_dir)?;
        Ok(Migrator {
            settings,
            migrations: self.clone(),
        })
    }
}

/// Applies the revisions of a [`Migrations`] source to one database.
pub struct Migrator {
    settings: Settings,
    migrations: Migrations,
}

impl Migrator {
    /// The settings of the runs (database, lock timeout and mode, version table).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Upgrades the database to `target` (`head`, `heads`, an id, `+N`, `LABEL@head`...)
    /// under the run-wide lock; returns the ids applied, in order (none when it was
    /// already there).
    pub fn upgrade(&self, target: &str) -> Result<Vec<String>, Error> {
        self.apply(Direction::Upgrade, target)
    }

    /// Downgrades the database to `target` (`base`, an id, `-N`...) under the run-wide
    /// lock; returns the ids reverted, in order.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let url = format!("sqlite:///{}", dir.path().join("app.db").display());
    /// let file = "-- revision: 0001\n-- revises:\n\n-- migrate:upgrade\nCREATE TABLE t (id INTEGER);\n\n-- migrate:downgrade\nDROP TABLE t;\n";
    /// let migrator = migrate::Migrations::embedded(&[("0001.sql", file)]).migrator_for(&url)?;
    /// migrator.upgrade("head")?;
    /// assert_eq!(migrator.downgrade("base")?, ["0001"]);
    /// assert!(migrator.current()?.is_empty());
    /// // A failing target is a typed error.
    /// assert!(matches!(migrator.upgrade("nope@@"), Err(migrate::Error::Target(_))));
    /// # Ok::<(), migrate::Error>(())
    /// ```
    pub fn downgrade(&self, target: &str) -> Result<Vec<String>, Error> {
        self.apply(Direction::Downgrade, target)
    }

    /// The version rows of the database (its current revisions), read without creating
    /// it or its version table.
    pub fn current(&self) -> Result<Vec<String>, Error> {
        let graph = self.migrations.graph()?;
        let mut driver = self.connect(Access::ReadOnly).map_err(Error::connection)?;
        let current = self
            .read_current(&graph, driver.as_mut())
            .map_err(Error::from_engine)?;
        Ok(current.rows.iter().map(|r| r.to_string()).collect())
    }

    /// The head revisions of the migrations.
    pub fn heads(&self) -> Result<Vec<String>, Error> {
        let graph = self.migrations.graph()?;
        Ok(graph
            .heads()
            .into_iter()
            .map(|n| graph.id(n).to_string())
            .collect())
    }

    fn apply(&self, direction: Direction, raw: &str) -> Result<Vec<String>, Error> {
        let graph = self.migrations.graph()?;
        let target: Target = raw.parse()?;
        let mut driver = self.connect(Access::ReadWrite).map_err(Error::connection)?;
        let mut applied = Vec::new();
        self.run(
            &graph,
            driver.as_mut(),
            direction,
            &target,
            false,
            &mut |_| {},
            &mut |a| applied.push(a.revision.to_string()),
        )
        .map_err(Error::from_engine)?;
        Ok(applied)
    }

    /// The engine's live run, as `migrate upgrade`/`downgrade` makes it: `log` receives
    /// the progress lines, `on_applied` each revision once it landed; returns the steps'
    /// count.
    #[allow(clippy::too_many_arguments)]
    pub fn run(
        &self,
        graph: &RevisionGraph,
        driver: &mut dyn Driver,
        direction: Direction,
        target: &Target,
        allow_changed: bool,
        log: &mut dyn FnMut(&str),
        on_applied: &mut dyn FnMut(&Applied<'_>),
    ) -> anyhow::Result<usize> {
        let options = RunOptions {
            lock_timeout: self.settings.lock_timeout,
            allow_changed,
        };
        self.engine(graph)
            .run(driver, direction, target, options, log, on_applied)
    }

    /// The version rows of a live database.
    pub fn read_current(
        &self,
        graph: &RevisionGraph,
        driver: &mut dyn Driver,
    ) -> anyhow::Result<Current> {
        self.engine(graph).current(driver)
    }

    /// The engine's migrator for `graph` on the configured database's dialect.
    pub fn engine<'g>(&self, graph: &'g RevisionGraph) -> migrator::Migrator<'g> {
        engine(&self.settings, graph)
    }

    /// Opens the database (`Access::ReadOnly` never creates it) with the configured lock
    /// mode and schemas; statements wait up to the lock timeout for locks other
    /// connections hold.
    pub fn connect(&self, access: Access) -> anyhow::Result<Box<dyn Driver>> {
        connect(&self.settings, access)
    }
}

/// The engine's migrator for `graph` on the dialect and version table of `settings`.
pub fn engine<'g>(settings: &Settings, graph: &'g RevisionGraph) -> migrator::Migrator<'g> {
    let dialect = settings.database.engine().dialect();
    migrator::Migrator::new(graph, dialect, &settings.version_table)
}

/// How runs connect with `access`: the configured lock mode and schemas.
pub fn connect_options(settings: &Settings, access: Access) -> ConnectOptions {
    ConnectOptions {
        access,
        lock: settings.lock,
        schemas: settings.schemas.clone(),
    }
}

/// Opens the database of `settings` (see [`Migrator::connect`]).
pub fn connect(settings: &Settings, access: Access) -> anyhow::Result<Box<dyn Driver>> {
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
