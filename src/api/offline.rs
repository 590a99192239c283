//! Offline SQL scripts (`--sql`): what a run would execute, printed for a DBA to review
//! or run; nothing connects to a database.

use super::{Error, Migrator};
use crate::revision::graph::RevisionGraph;
use crate::revision::plan::{Current, Direction};
use crate::revision::target::Target;

impl Migrator {
    /// The script of an upgrade or downgrade to `range`'s target: from base (upgrade) or
    /// the heads (downgrade), or from `FROM` in `FROM:TO`. Each revision's statements are
    /// followed by its version-table update, inside a transaction where the revision
    /// runs in one.
    ///
    /// ```
    /// let file = "-- revision: 0001\n-- revises:\n\n-- migrate:upgrade\nCREATE TABLE t (id INTEGER);\n\n-- migrate:downgrade\nDROP TABLE t;\n";
    /// let migrator = migrate::Migrations::embedded(&[("0001.sql", file)])
    ///     .migrator_for("postgres://localhost/app")?;
    /// let script = migrator.script(migrate::Direction::Upgrade, "head")?;
    /// assert!(script.contains("CREATE TABLE t (id INTEGER);"));
    /// # Ok::<(), migrate::Error>(())
    /// ```
    pub fn script(&self, direction: Direction, range: &str) -> Result<String, Error> {
        let graph = self.graph()?;
        let (from, target) = offline_range(graph, range)?;
        let current = from.unwrap_or_else(|| match direction {
            Direction::Upgrade => Current::default(),
            Direction::Downgrade => Current {
                rows: graph
                    .heads()
                    .into_iter()
                    .map(|n| graph.id(n).clone())
                    .collect(),
            },
        });
        if let (Direction::Downgrade, Some(line)) =
            (direction, graph.downgrade_warning(&current, &target))
        {
            self.log(&line);
        }
        let dialect = self.settings().database.engine().dialect();
        self.engine(graph)
            .script(dialect, &current, direction, &target)
            .map_err(Error::from_engine)
    }

    /// The script of a stamp to `range`'s target, from base unless `FROM:` is given (as
    /// Alembic's offline stamp).
    pub fn stamp_script(&self, range: &str) -> Result<String, Error> {
        let graph = self.graph()?;
        let (from, target) = offline_range(graph, range)?;
        let dialect = self.settings().database.engine().dialect();
        self.engine(graph)
            .stamp_script(dialect, &from.unwrap_or_default(), &target)
            .map_err(Error::from_engine)
    }

    /// The `CREATE TABLE IF NOT EXISTS` statements of the version table and its history
    /// table, each ended by `;`.
    pub fn ensure_version_script(&self) -> String {
        self.tables()
            .table
            .create_statements()
            .iter()
            .map(|statement| format!("{statement};\n\n"))
            .collect()
    }
}

/// An offline script's `[FROM:]TO`: the version rows FROM stands for (`None` without
/// FROM) and the target.
fn offline_range(graph: &RevisionGraph, raw: &str) -> Result<(Option<Current>, Target), Error> {
    let Some((from, to)) = raw.split_once(':') else {
        return Ok((None, raw.parse()?));
    };
    let target = to.parse()?;
    let nodes = graph.offline_start(&from.parse()?)?;
    let rows = nodes.into_iter().map(|n| graph.id(n).clone()).collect();
    Ok((Some(Current { rows }), target))
}
