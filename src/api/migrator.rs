//! [`Migrator`]: one database and the revisions of a [`Migrations`] source; live runs,
//! the version rows, `stamp` and the version tables.

use super::{connect, engine, Error, Migrations};
use crate::dialect::Driver;
use crate::engine::dirty::DirtyStep;
use crate::engine::migrator::{self as engine_migrator, Applied, RunOptions};
use crate::engine::Access;
use crate::revision::graph::RevisionGraph;
use crate::revision::plan::{Current, Direction};
use crate::revision::target::Target;
use crate::revision::RevisionId;
use crate::settings::Settings;
use std::sync::{Arc, OnceLock};

/// Where progress lines go (`Running upgrade 0001 -> 0002`, lock waits, warnings).
pub(super) type Progress = Arc<dyn Fn(&str) + Send + Sync>;

/// Applies the revisions of a [`Migrations`] source to one database.
///
/// The revision files are read once, by the first call that needs them; every call
/// connects anew, so a `Migrator` may be kept for the life of a service.
pub struct Migrator {
    settings: Settings,
    migrations: Migrations,
    graph: OnceLock<RevisionGraph>,
    progress: Progress,
    allow_changed: bool,
}

/// What the database is at: its version rows and the revisions a run left part way.
#[derive(Clone, Debug, Default)]
pub struct Status {
    /// The version rows, as the version table holds them.
    pub rows: Vec<RevisionId>,
    /// The revisions an interrupted run left part way (normally none, at most one per
    /// branch), with how many statements of their section landed.
    pub dirty: Vec<DirtyStep>,
}

impl Migrator {
    pub(super) fn new(settings: Settings, migrations: Migrations) -> Migrator {
        Migrator {
            settings,
            migrations,
            graph: OnceLock::new(),
            progress: Arc::new(|_| {}),
            allow_changed: false,
        }
    }

    /// Sends the progress lines a CLI run prints on stderr (`Running upgrade ...`, lock
    /// waits, the warnings of a downgrade) to `progress`; by default they are dropped.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let url = format!("sqlite:///{}", dir.path().join("app.db").display());
    /// let file = "-- revision: 0001\n-- revises:\n\n-- migrate:upgrade\nCREATE TABLE t (id INTEGER);\n\n-- migrate:downgrade\nDROP TABLE t;\n";
    /// let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    /// let sink = lines.clone();
    /// let migrator = migrate::Migrations::embedded(&[("0001.sql", file)])
    ///     .migrator_for(&url)?
    ///     .with_progress(move |line| sink.lock().unwrap().push(line.to_string()));
    /// migrator.upgrade("head")?;
    /// assert!(lines.lock().unwrap().iter().any(|l| l.contains("Running upgrade  -> 0001")));
    /// # Ok::<(), migrate::Error>(())
    /// ```
    pub fn with_progress(mut self, progress: impl Fn(&str) + Send + Sync + 'static) -> Migrator {
        self.progress = Arc::new(progress);
        self
    }

    /// Lets runs go on although applied revisions changed since they were applied (the
    /// CLI's `--allow-changed`); the changes are then reported as progress lines.
    pub fn allow_changed(mut self, allow: bool) -> Migrator {
        self.allow_changed = allow;
        self
    }

    /// The settings of the runs (database, lock timeout and mode, version table).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The revision graph, loaded and validated at the first call.
    pub fn graph(&self) -> Result<&RevisionGraph, Error> {
        if let Some(graph) = self.graph.get() {
            return Ok(graph);
        }
        let graph = self.migrations.graph()?;
        Ok(self.graph.get_or_init(|| graph))
    }

    /// Upgrades the database to `target` (`head`, `heads`, an id, `+N`, `LABEL@head`...)
    /// under the run-wide lock; returns the ids applied, in order (none when it was
    /// already there).
    pub fn upgrade(&self, target: &str) -> Result<Vec<String>, Error> {
        self.collect(Direction::Upgrade, target)
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
        self.collect(Direction::Downgrade, target)
    }

    fn collect(&self, direction: Direction, target: &str) -> Result<Vec<String>, Error> {
        let mut applied = Vec::new();
        self.apply(direction, target, &mut |a| {
            applied.push(a.revision.to_string())
        })?;
        Ok(applied)
    }

    /// Upgrades or downgrades to `target` under the run-wide lock, handing each revision
    /// to `on_applied` as soon as it landed (with the duration its history row records);
    /// returns how many landed.
    pub fn apply(
        &self,
        direction: Direction,
        target: &str,
        on_applied: &mut dyn FnMut(&Applied<'_>),
    ) -> Result<usize, Error> {
        let graph = self.graph()?;
        let target: Target = target.parse()?;
        let mut driver = self.connect(Access::ReadWrite)?;
        let options = self.run_options();
        self.engine(graph)
            .run(
                driver.as_mut(),
                direction,
                &target,
                options,
                &mut |line| (self.progress)(line),
                on_applied,
            )
            .map_err(Error::from_engine)
    }

    /// The version rows of the database (its current revisions), read without creating
    /// it or its version table (and without reading the revision files).
    pub fn current(&self) -> Result<Vec<String>, Error> {
        let (_, current) = self.read_current()?;
        Ok(current.rows.iter().map(|r| r.to_string()).collect())
    }

    /// The version rows and the revisions a run left part way, in one connection.
    pub fn status(&self) -> Result<Status, Error> {
        let (mut driver, current) = self.read_current()?;
        let dirty = self
            .tables()
            .dirty(driver.as_mut())
            .map_err(Error::from_engine)?;
        Ok(Status {
            rows: current.rows,
            dirty,
        })
    }

    /// The head revisions of the migrations.
    pub fn heads(&self) -> Result<Vec<String>, Error> {
        let graph = self.graph()?;
        Ok(graph
            .heads()
            .into_iter()
            .map(|n| graph.id(n).to_string())
            .collect())
    }

    /// Sets the version rows to `target` without running a revision (`purge`: whatever
    /// rows the table holds, even unknown ones, are replaced) under the run-wide lock;
    /// returns the rows now held. A revision left dirty is taken to be at the stamp.
    pub fn stamp(&self, target: &str, purge: bool) -> Result<Vec<String>, Error> {
        let graph = self.graph()?;
        let target: Target = target.parse()?;
        let mut driver = self.connect(Access::ReadWrite)?;
        let rows = self
            .engine(graph)
            .stamp(
                driver.as_mut(),
                &target,
                purge,
                self.run_options(),
                &mut |line| (self.progress)(line),
            )
            .map_err(Error::from_engine)?;
        Ok(rows.iter().map(|r| r.to_string()).collect())
    }

    /// Creates the version table and its history table if missing, under the run-wide
    /// lock; writes no version row. Returns their names.
    pub fn ensure_version(&self) -> Result<(String, String), Error> {
        let migrator = self.tables();
        let mut driver = self.connect(Access::ReadWrite)?;
        migrator
            .ensure_version(driver.as_mut(), self.run_options(), &mut |line| {
                (self.progress)(line)
            })
            .map_err(Error::from_engine)?;
        Ok((
            migrator.table.name().to_string(),
            migrator.table.history_name().to_string(),
        ))
    }

    /// The version rows, as the CLI's `history -i` and `show current` read them.
    pub(crate) fn version_rows(&self) -> Result<Current, Error> {
        Ok(self.read_current()?.1)
    }

    /// Opens the database and reads its version rows (read-only: nothing is created).
    pub(super) fn read_current(&self) -> Result<(Box<dyn Driver>, Current), Error> {
        let mut driver = self.connect(Access::ReadOnly)?;
        let current = self
            .tables()
            .current(driver.as_mut())
            .map_err(Error::from_engine)?;
        Ok((driver, current))
    }

    /// The engine's migrator for the version tables alone: reading the rows, the dirty
    /// state, creating the tables need no revision.
    pub(super) fn tables(&self) -> engine_migrator::Migrator<'static> {
        static NO_REVISIONS: OnceLock<RevisionGraph> = OnceLock::new();
        let empty = NO_REVISIONS.get_or_init(|| {
            RevisionGraph::build(Vec::new()).expect("no revisions is a valid graph")
        });
        self.engine(empty)
    }

    pub(super) fn engine<'g>(&self, graph: &'g RevisionGraph) -> engine_migrator::Migrator<'g> {
        engine(&self.settings, graph)
    }

    pub(super) fn connect(&self, access: Access) -> Result<Box<dyn Driver>, Error> {
        connect(&self.settings, access).map_err(Error::connection)
    }

    pub(super) fn log(&self, line: &str) {
        (self.progress)(line)
    }

    fn run_options(&self) -> RunOptions {
        RunOptions {
            lock_timeout: self.settings.lock_timeout,
            allow_changed: self.allow_changed,
        }
    }
}
