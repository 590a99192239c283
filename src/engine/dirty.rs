//! The dirty state of a revision applied statement by statement (`-- transaction: none`,
//! or any revision on an engine whose DDL commits implicitly): the columns of its row in
//! `<version_table>_history`, the SQL that records its progress, and reading it back.
//!
//! Life of such a row (SPEC "Applying": "records each completed statement in the history
//! table (the revision is "dirty" until it completes)"):
//! 1. before the first statement: inserted with `state = 'dirty'`, `statements_done = 0`,
//!    the section's statement count and the checksum of every statement;
//! 2. after each statement but the last: `statements_done` updated;
//! 3. with the version update, in its transaction: `state = 'complete'`, and the checksum,
//!    upgrade SQL, time and duration a history row of an atomic revision carries.
//!
//! A `stamp` sets a dirty row's state to `cleared`. Rows of atomic revisions, of stamps and
//! of earlier builds leave these columns NULL. While dirty, a row has no checksum, so the
//! checksum verification of applied revisions ([`super::version_table`]'s `read_applied`)
//! never takes it for an applied upgrade.

use super::version_table::{HistoryRecord, Operation, VersionTable};
use crate::dialect::{Dialect, Driver};
use crate::revision::plan::Direction;
use crate::sql::lex::Statement;
use anyhow::{Context, Result};

/// `state` of a row whose revision is running or stopped part way.
const DIRTY: &str = "dirty";
/// `state` of a row whose stepwise revision landed with its version update.
const COMPLETE: &str = "complete";
/// `state` of a dirty row that `stamp` cleared.
const CLEARED: &str = "cleared";

/// The columns a stepwise revision's row needs beyond those of the first builds, with
/// their types (`None`: the dialect's long text type). A history table created by an
/// earlier build gets the missing ones added ([`read`] with `may_alter`).
const STEP_COLUMNS: [(&str, Option<&str>); 4] = [
    ("state", Some("VARCHAR(10)")),
    ("statements_done", Some("INTEGER")),
    ("statements_total", Some("INTEGER")),
    ("statement_checksums", None),
];

/// One step column's definition, `"name" TYPE`.
fn column_definition(dialect: &dyn Dialect, (name, sql_type): (&str, Option<&str>)) -> String {
    let sql_type = sql_type.unwrap_or_else(|| dialect.long_text_type());
    format!("{} {sql_type}", dialect.quote_ident(name))
}

/// The step columns' definitions for the history table's `CREATE TABLE`.
pub fn step_column_definitions(dialect: &dyn Dialect) -> String {
    STEP_COLUMNS
        .iter()
        .map(|&column| column_definition(dialect, column))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A revision a run left part way: some of its statements applied, its version update not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirtyStep {
    /// The key of its history row.
    pub row: DirtyRow,
    /// The revision id as recorded (the file may be gone).
    pub revision: String,
    /// Whether it was being upgraded or downgraded.
    pub direction: Direction,
    /// How many statements completed (the first `done` of the section).
    pub done: usize,
    /// How many statements the section had when it ran.
    pub total: usize,
    /// The checksum of each statement of the section when it ran.
    pub checksums: Vec<String>,
    /// When the run that left it started (UTC).
    pub started_at: String,
}

impl DirtyStep {
    /// `upgrade` or `downgrade`.
    pub fn verb(&self) -> &'static str {
        Operation::from(self.direction).as_str()
    }

    /// `2 of 5 upgrade statements applied`.
    pub fn progress(&self) -> String {
        format!(
            "{} of {} {} statements applied",
            self.done,
            self.total,
            self.verb()
        )
    }

    /// The one-line error of a command that needs a clean database (`check`,
    /// autogenerate): what is dirty and how to get out of it.
    pub fn refusal(&self) -> String {
        format!(
            "revision {} is dirty: a run stopped during its {} ({}, started {}): run \
             `migrate {}` to resume it (see `migrate current`), or fix the database by hand \
             and `migrate stamp` the revision or its parent, which clears the dirty state",
            self.revision,
            self.verb(),
            self.progress(),
            self.started_at,
            self.verb()
        )
    }
}

/// The checksum of each statement: SHA-256 of its text under the revision checksum's
/// newline policy, so re-saving a file with other line endings changes none.
pub fn statement_checksums(statements: &[Statement]) -> Vec<String> {
    statements
        .iter()
        .map(|statement| crate::revision::checksum::checksum(&statement.sql))
        .collect()
}

/// The key (`id`) of the history row of the revision a run is applying statement by
/// statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DirtyRow(pub i64);

impl DirtyRow {
    /// The key read by [`StepRecord::newest_row`].
    pub fn read(driver: &mut dyn Driver, select: &str) -> Result<DirtyRow> {
        let rows = driver.query_own(select)?;
        let value = rows
            .into_iter()
            .next()
            .and_then(|row| row.into_iter().next().flatten());
        value
            .and_then(|v| v.trim().parse().ok())
            .map(DirtyRow)
            .with_context(|| format!("no dirty row found by `{select}`"))
    }
}

/// The SQL of a stepwise revision's bookkeeping in one history table.
pub struct StepRecord<'a> {
    table: &'a VersionTable,
}

impl<'a> StepRecord<'a> {
    /// The statements for `table`'s history table.
    pub fn new(table: &'a VersionTable) -> Self {
        StepRecord { table }
    }

    fn dialect(&self) -> &dyn Dialect {
        &**self.table.dialect()
    }

    fn literal(&self, value: &str) -> String {
        self.dialect().quote_literal(value)
    }

    /// `UPDATE <history> SET <assignments> WHERE state = 'dirty'`: every dirty row (there
    /// is at most one, as a run refuses to start another revision while one is dirty).
    fn update_dirty(&self, assignments: &str) -> String {
        format!(
            "UPDATE {} SET {assignments} WHERE state = {}",
            self.table.history_table(),
            self.literal(DIRTY)
        )
    }

    /// `UPDATE <history> SET <assignments> WHERE id = <row>`: the running revision's row,
    /// found by its key, so that recording a statement's completion reads one row however
    /// long the history is (`state` has no index: on MySQL an UPDATE by `state` scans, and
    /// locks, every row of the history).
    fn update_row(&self, row: DirtyRow, assignments: &str) -> String {
        format!(
            "UPDATE {} SET {assignments} WHERE id = {}",
            self.table.history_table(),
            row.0
        )
    }

    /// The key of the newest history row: the dirty row just inserted by [`Self::begin`]
    /// (the run holds the lock, so no other row came after it). A maximum of the key reads
    /// one index entry on every engine.
    pub fn newest_row(&self) -> String {
        format!("SELECT max(id) FROM {}", self.table.history_table())
    }

    /// Inserts the dirty row of `revision` before its first statement runs.
    pub fn begin(
        &self,
        revision: &str,
        direction: Direction,
        checksums: &[String],
        at: &str,
    ) -> String {
        let operation = Operation::from(direction);
        format!(
            "INSERT INTO {} (version_num, operation, applied_at, state, statements_done, \
             statements_total, statement_checksums) VALUES ({}, {}, {}, {}, 0, {}, {})",
            self.table.history_table(),
            self.literal(revision),
            self.literal(operation.as_str()),
            self.literal(at),
            self.literal(DIRTY),
            checksums.len(),
            self.literal(&checksums.join(","))
        )
    }

    /// Records the section as it is now when a run resumes (the statements after the
    /// applied ones may have been edited, the failed one fixed).
    pub fn restart(&self, row: DirtyRow, checksums: &[String]) -> String {
        self.update_row(
            row,
            &format!(
                "statements_total = {}, statement_checksums = {}",
                checksums.len(),
                self.literal(&checksums.join(","))
            ),
        )
    }

    /// Records that the first `done` statements completed.
    pub fn progress(&self, row: DirtyRow, done: usize) -> String {
        self.update_row(row, &format!("statements_done = {done}"))
    }

    /// Completes the dirty row (in the version update's transaction) with what a history
    /// row of an atomic revision records.
    pub fn finish(&self, row: DirtyRow, record: &HistoryRecord<'_>, total: usize) -> String {
        let values = self.table.history_values(record);
        self.update_row(
            row,
            &format!(
                "state = {}, statements_done = {total}, checksum = {}, upgrade_sql = {}, \
             applied_at = {}, duration_ms = {}",
                self.literal(COMPLETE),
                values.checksum,
                values.upgrade_sql,
                values.applied_at,
                values.duration_ms
            ),
        )
    }

    /// Removes the dirty row of a revision that failed before any statement completed:
    /// nothing of it is applied, so nothing is dirty.
    pub fn discard(&self, row: DirtyRow) -> String {
        format!(
            "DELETE FROM {} WHERE id = {}",
            self.table.history_table(),
            row.0
        )
    }

    /// Clears every dirty row (`stamp`: the user says which revision the database is at).
    pub fn clear(&self) -> String {
        self.update_dirty(&format!("state = {}", self.literal(CLEARED)))
    }

    /// Adds a missing step column to a history table of an earlier build.
    fn add_column(&self, column: (&str, Option<&str>)) -> String {
        format!(
            "ALTER TABLE {} ADD COLUMN {}",
            self.table.history_table(),
            column_definition(self.dialect(), column)
        )
    }

    fn select_dirty(&self) -> String {
        format!(
            "SELECT id, version_num, operation, statements_done, statements_total, \
             statement_checksums, applied_at FROM {} WHERE state = {} ORDER BY id",
            self.table.history_table(),
            self.literal(DIRTY)
        )
    }
}

/// What [`read`] does with a history table of an earlier build that lacks the step
/// columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OldShape {
    /// Adds the missing columns (commands that write, under the run-wide lock).
    Upgrade,
    /// Leaves it: no earlier build wrote a dirty row, so there is none (read-only commands).
    Leave,
}

/// The dirty rows of `table`'s history, oldest first (normally none or one).
pub fn read(
    table: &VersionTable,
    driver: &mut dyn Driver,
    old: OldShape,
) -> Result<Vec<DirtyStep>> {
    let record = StepRecord::new(table);
    let history = table.history_name();
    if old == OldShape::Leave && !driver.table_exists(history)? {
        return Ok(Vec::new());
    }
    let select = record.select_dirty();
    let rows = match driver.query(&select) {
        Ok(rows) => rows,
        Err(error) => {
            let missing = missing_columns(table, driver);
            if missing.is_empty() {
                return Err(error)
                    .with_context(|| format!("cannot read the history table {history}"));
            }
            if old == OldShape::Leave {
                return Ok(Vec::new());
            }
            for column in missing {
                driver
                    .execute(&record.add_column(column))
                    .with_context(|| {
                        format!(
                            "cannot add column {} to the history table {history} (created by an \
                         earlier version of migrate)",
                            column.0
                        )
                    })?;
            }
            driver
                .query(&select)
                .with_context(|| format!("cannot read the history table {history}"))?
        }
    };
    Ok(rows.into_iter().filter_map(parse_row).collect())
}

/// The step columns the history table lacks, each found by selecting it alone (a
/// portable probe: SQLite, PostgreSQL and MySQL list columns in three different ways).
fn missing_columns(
    table: &VersionTable,
    driver: &mut dyn Driver,
) -> Vec<(&'static str, Option<&'static str>)> {
    STEP_COLUMNS
        .iter()
        .copied()
        .filter(|(name, _)| {
            // The column name is not quoted: SQLite reads an unknown double-quoted name in
            // a SELECT as a string literal, and the probe would always succeed. The names
            // are this file's constants, plain lower-case words on every engine.
            let probe = format!("SELECT {name} FROM {} WHERE 1 = 0", table.history_table());
            driver.query(&probe).is_err()
        })
        .collect()
}

/// A dirty row, or `None` when it is not one this build wrote (unknown operation).
fn parse_row(row: Vec<Option<String>>) -> Option<DirtyStep> {
    let mut values = row.into_iter();
    let mut next = || values.next().flatten();
    let row = DirtyRow(next()?.trim().parse().ok()?);
    let revision = next()?;
    let direction = match next()?.as_str() {
        "upgrade" => Direction::Upgrade,
        "downgrade" => Direction::Downgrade,
        _ => return None,
    };
    let number = |value: Option<String>| value.and_then(|v| v.trim().parse::<usize>().ok());
    let done = number(next()).unwrap_or(0);
    let total = number(next()).unwrap_or(0);
    let checksums = next()
        .map(|list| {
            list.split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let started_at = next().unwrap_or_default();
    Some(DirtyStep {
        row,
        revision,
        direction,
        done,
        total,
        checksums,
        started_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Engine;

    #[test]
    fn step_columns_are_quoted_for_each_engine() {
        let mysql = VersionTable::new(Engine::Mysql.dialect(), "my`versions");
        assert_eq!(
            StepRecord::new(&mysql).add_column(STEP_COLUMNS[3]),
            "ALTER TABLE `my``versions_history` ADD COLUMN `statement_checksums` LONGTEXT"
        );
        let sqlite = VersionTable::new(Engine::Sqlite.dialect(), "v");
        assert_eq!(
            StepRecord::new(&sqlite).add_column(STEP_COLUMNS[0]),
            "ALTER TABLE \"v_history\" ADD COLUMN \"state\" VARCHAR(10)"
        );
    }

    #[test]
    fn a_dirty_row_reads_back_as_written() {
        let row = vec![
            Some("12".to_string()),
            Some("c3c3".to_string()),
            Some("downgrade".to_string()),
            Some("2".to_string()),
            Some("4".to_string()),
            Some("aa,bb,cc,dd".to_string()),
            Some("2026-01-01 00:00:00+00:00".to_string()),
        ];
        let dirty = parse_row(row).expect("a dirty row");
        assert_eq!(dirty.row, DirtyRow(12));
        assert_eq!(dirty.direction, Direction::Downgrade);
        assert_eq!((dirty.done, dirty.total), (2, 4));
        assert_eq!(dirty.checksums, ["aa", "bb", "cc", "dd"]);
        assert_eq!(dirty.progress(), "2 of 4 downgrade statements applied");
    }

    #[test]
    fn the_progress_statements_touch_only_the_dirty_row() {
        let table = VersionTable::new(Engine::Postgres.dialect(), "migrate_version");
        let record = StepRecord::new(&table);
        assert_eq!(
            record.progress(DirtyRow(7), 2),
            "UPDATE \"migrate_version_history\" SET statements_done = 2 WHERE id = 7"
        );
        assert_eq!(
            record.begin("it's", Direction::Upgrade, &["a".into(), "b".into()], "t"),
            "INSERT INTO \"migrate_version_history\" (version_num, operation, applied_at, state, \
             statements_done, statements_total, statement_checksums) VALUES ('it''s', 'upgrade', \
             't', 'dirty', 0, 2, 'a,b')"
        );
    }
}
