//! Sinks: where a planned step goes. `LiveSink` runs it on a database (statements, version
//! update and history row in one transaction where the engine's DDL is transactional,
//! statement by statement otherwise, with its progress recorded: see [`super::dirty`]);
//! `ScriptSink` prints the same SQL for `--sql`.

use super::dirty::{statement_checksums, DirtyRow, StepRecord};
use super::version_table::{AppliedAt, HistoryRecord, Operation, VersionTable};
use crate::dialect::{Caps, Dialect, DialectRef, Driver};
use crate::revision::plan::{Direction, Step};
use crate::revision::{Revision, RevisionId};
use crate::sql::lex::{self, Statement};
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// One step ready to run: the revision, the step, and its section split into statements.
pub struct PreparedStep<'a> {
    pub revision: &'a Revision,
    pub step: &'a Step,
    /// The statements of the section this step runs (upgrade or downgrade).
    pub statements: Vec<Statement>,
    /// 1-based file line of the section's first line.
    pub section_line: usize,
    /// `ae10 -> 27c6, add email index` (upgrade) or `27c6 -> ae10, ...` (downgrade).
    pub title: String,
    /// The ids of the revision's parents (none for a first revision).
    pub parents: Vec<String>,
    /// Checksum of the upgrade section, recorded with upgrades.
    pub checksum: String,
}

impl<'a> PreparedStep<'a> {
    /// Splits the step's section with the dialect's lexer; a lex error names file and line.
    pub fn new(
        revision: &'a Revision,
        step: &'a Step,
        parents: &[&RevisionId],
        dialect: &dyn Dialect,
    ) -> Result<Self> {
        let section = match step.direction {
            Direction::Upgrade => &revision.upgrade,
            Direction::Downgrade => &revision.downgrade,
        };
        let statements = lex::split(&section.sql, &dialect.lex_options()).map_err(|e| {
            anyhow::anyhow!(
                "revision {} ({}): {}",
                revision.id,
                revision.location(section.line + e.line.saturating_sub(1)),
                e.message
            )
        })?;
        let parents: Vec<String> = parents.iter().map(|p| p.to_string()).collect();
        let joined = parents.join(", ");
        let title = match step.direction {
            Direction::Upgrade => format!("{joined} -> {}, {}", revision.id, revision.message),
            Direction::Downgrade => format!("{} -> {joined}, {}", revision.id, revision.message),
        };
        Ok(PreparedStep {
            revision,
            step,
            statements,
            section_line: section.line,
            title,
            parents,
            checksum: crate::revision::checksum::checksum(&revision.upgrade.sql),
        })
    }

    /// `path:line` of a statement of this step.
    pub fn statement_location(&self, statement: &Statement) -> String {
        self.revision
            .location(self.section_line + statement.line.saturating_sub(1))
    }

    /// Whether the step's statements run in one transaction with its version update: the
    /// revision allows it (no `-- transaction: none`) and the engine's DDL is
    /// transactional. MySQL/MariaDB commit implicitly before and after each DDL
    /// statement, so a transaction around them would promise an atomicity the engine
    /// does not give: there the revision runs statement by statement.
    fn atomic(&self, caps: Caps) -> bool {
        self.revision.transactional && caps.transactional_ddl
    }

    fn operation(&self) -> Operation {
        self.step.direction.into()
    }

    fn history_record(&self, applied_at: AppliedAt) -> HistoryRecord<'_> {
        let upgrading = self.step.direction == Direction::Upgrade;
        HistoryRecord {
            revision: &self.revision.id,
            operation: self.operation(),
            checksum: upgrading.then_some(self.checksum.as_str()),
            upgrade_sql: upgrading.then_some(self.revision.upgrade.sql.as_str()),
            applied_at,
        }
    }
}

/// A statement of a revision failed; nothing of that revision was kept unless it ran
/// without a transaction (or resumed a dirty revision), which `partial` then lists.
#[derive(Debug, thiserror::Error)]
#[error("revision {revision} ({location}): statement {number} failed: {cause}\n  statement: {excerpt}{partial}")]
pub struct ApplyError {
    pub revision: RevisionId,
    /// `path:line` of the failing statement.
    pub location: String,
    /// 1-based number of the statement within its section.
    pub number: usize,
    /// The first line of the statement (shortened).
    pub excerpt: String,
    pub cause: String,
    /// Empty, or a note on what was left applied and how to go on (revisions without a
    /// transaction).
    pub partial: String,
    /// The statements left applied, one per line (empty when none): the binary prints
    /// them above its one error line.
    pub applied: String,
}

/// Where steps go.
pub trait Sink {
    /// Runs (or prints) one step with its version update; returns how long it took, as
    /// the history table records it (zero for a script).
    fn apply(&mut self, step: &PreparedStep<'_>) -> Result<Duration>;
}

/// Runs steps on a live database.
pub struct LiveSink<'a> {
    pub driver: &'a mut dyn Driver,
    pub table: &'a VersionTable,
    /// Where the first step resumes a dirty revision (set by the migrator once it has
    /// checked that the first step is the dirty one and its applied statements are
    /// unchanged).
    pub resume: Option<Resume>,
}

/// Where a run goes on with a dirty revision.
#[derive(Clone, Copy, Debug)]
pub struct Resume {
    /// The 0-based index of its first statement that did not complete.
    pub from: usize,
    /// Its history row.
    pub row: DirtyRow,
}

/// Runs a step's statements from the 0-based `from` up to (not including) `end`; a
/// failure names the revision, file line and statement, and what stays applied. With
/// `progress` (a revision applied statement by statement) each completed statement but the
/// step's last is recorded in the dirty history row, in one transaction with the statement
/// where the dialect allows ([`crate::dialect::Dialect::joins_bookkeeping_transaction`]),
/// and a failure before any statement completed removes that row. The bookkeeping goes
/// through `execute_many`, the path of the tool's own statements (PostgreSQL: under the
/// default search_path, which a revision may have emptied).
fn run_statements(
    driver: &mut dyn Driver,
    step: &PreparedStep<'_>,
    (from, end): (usize, usize),
    progress: Option<(&StepRecord<'_>, DirtyRow)>,
) -> Result<()> {
    let last = step.statements.len();
    let dialect = driver.dialect();
    for (index, statement) in step.statements.iter().enumerate().take(end).skip(from) {
        let recorded = progress.filter(|_| index + 1 < last);
        let joined = recorded.is_some() && dialect.joins_bookkeeping_transaction(&statement.sql);
        if joined {
            driver.begin()?;
        }
        if let Err(error) = driver.execute(&statement.sql) {
            if joined {
                let _ = driver.rollback();
            }
            // In one transaction the failure rolls back what this run did; what an earlier
            // run applied stays either way.
            let applied = if progress.is_some() { index } else { from };
            if let (Some((record, row)), 0) = (progress, applied) {
                // Nothing applied, nothing dirty. Should this fail too, the row stays
                // dirty with no statement applied and the next run resumes at statement 1.
                let _ = driver.execute_many(&[record.discard(row)]);
            }
            return Err(ApplyError {
                revision: step.revision.id.clone(),
                location: step.statement_location(statement),
                number: index + 1,
                excerpt: excerpt(&statement.sql),
                cause: crate::url::redact(&format!("{error:#}")),
                partial: super::resume::applied_note(step, applied),
                applied: super::resume::applied_lines(step, applied, &[]),
            }
            .into());
        }
        if let Some((record, row)) = recorded {
            let recording = driver
                .execute_many(&[record.progress(row, index + 1)])
                .and_then(|()| if joined { driver.commit() } else { Ok(()) });
            if let Err(error) = recording {
                let outcome = match joined {
                    true => {
                        let _ = driver.rollback();
                        "was rolled back: it cannot be recorded in the history table"
                    }
                    false => "was applied but cannot be recorded in the history table",
                };
                return Err(error.context(format!(
                    "revision {}: statement {} {outcome} (which shows {index} statement(s) \
                     applied)",
                    step.revision.id,
                    index + 1
                )));
            }
        }
    }
    Ok(())
}

/// Writes a step's version update and its history row: a new row, or with `finish_dirty`
/// the completion of the step's dirty row. Returns the duration recorded (from `started`
/// to now), which is also the one the run prints.
fn record(
    driver: &mut dyn Driver,
    table: &VersionTable,
    step: &PreparedStep<'_>,
    started: Instant,
    finish_dirty: Option<DirtyRow>,
) -> Result<Duration> {
    let mut statements = table.update_statements(&step.step.version);
    let took = started.elapsed();
    let applied_at = AppliedAt::Known {
        at: now_text(),
        duration_ms: millis(took),
    };
    let history = step.history_record(applied_at);
    statements.push(match finish_dirty {
        Some(row) => StepRecord::new(table).finish(row, &history, step.statements.len()),
        None => table.history_statement(&history),
    });
    driver.execute_many(&statements).map_err(|e| {
        anyhow::anyhow!(
            "revision {}: cannot update the version table {}: {e:#}",
            step.revision.id,
            table.name()
        )
    })?;
    Ok(took)
}

/// Runs a step statement by statement: its history row is dirty from before the first
/// statement (or, resuming, already is) until the version update lands with its
/// completion in one transaction.
fn apply_stepwise(
    driver: &mut dyn Driver,
    table: &VersionTable,
    step: &PreparedStep<'_>,
    resume: Option<Resume>,
    started: Instant,
) -> Result<Duration> {
    let bookkeeping = StepRecord::new(table);
    let checksums = statement_checksums(&step.statements);
    let row = open_dirty_row(
        driver,
        &bookkeeping,
        step,
        &checksums,
        resume.map(|r| r.row),
    )
    .with_context(|| {
        format!(
            "revision {}: cannot record its start in the history table {}",
            step.revision.id,
            table.history_name()
        )
    })?;
    let from = resume.map_or(0, |r| r.from);
    let last = step.statements.len();
    // A last statement that can share a transaction lands with the version update: one
    // commit less. Not when it is the first to run on a new dirty row, whose removal on
    // failure must not roll back with it.
    let joins_record = last > from
        && last > 1
        && driver
            .dialect()
            .joins_bookkeeping_transaction(&step.statements[last - 1].sql);
    let end = if joins_record { last - 1 } else { last };
    run_statements(driver, step, (from, end), Some((&bookkeeping, row)))?;
    in_transaction(driver, |driver| {
        run_statements(driver, step, (end, last), Some((&bookkeeping, row)))?;
        record(driver, table, step, started, Some(row))
    })
}

/// The dirty history row of a stepwise step: inserted before its first statement, or,
/// resuming, the one an earlier run left, brought up to date with the file's statements.
fn open_dirty_row(
    driver: &mut dyn Driver,
    bookkeeping: &StepRecord<'_>,
    step: &PreparedStep<'_>,
    checksums: &[String],
    resuming: Option<DirtyRow>,
) -> Result<DirtyRow> {
    if let Some(row) = resuming {
        driver.execute_many(&[bookkeeping.restart(row, checksums)])?;
        return Ok(row);
    }
    let begin = bookkeeping.begin(
        step.revision.id.as_str(),
        step.step.direction,
        checksums,
        &now_text(),
    );
    driver.execute_many(&[begin])?;
    DirtyRow::read(driver, &bookkeeping.newest_row())
}

/// Runs the dialect's session setup before a revision, outside any transaction: an
/// earlier revision of the run may have changed the session (SQLite: a revision without
/// a transaction running `PRAGMA foreign_keys = ON`, after which a rebuild's DROP TABLE
/// would cascade into child rows), and every revision is documented to start from it.
fn set_up_session(driver: &mut dyn Driver, step: &PreparedStep<'_>) -> Result<()> {
    for sql in driver.dialect().session_setup() {
        driver.execute(sql).map_err(|e| {
            anyhow::anyhow!(
                "revision {}: cannot set up the session ({sql}): {e:#}",
                step.revision.id
            )
        })?;
    }
    Ok(())
}

impl Sink for LiveSink<'_> {
    fn apply(&mut self, step: &PreparedStep<'_>) -> Result<Duration> {
        let started = Instant::now();
        let table = self.table;
        let resume = self.resume.take();
        set_up_session(self.driver, step)?;
        // The duration returned (and printed) is the one recorded in the history row: up
        // to the version update, the commit after it left out.
        if step.atomic(self.driver.dialect().caps()) {
            // A dirty revision whose file now allows a transaction resumes in one: the
            // rest of its statements land with its version update, or none of them.
            in_transaction(self.driver, |driver| {
                let from = resume.map_or(0, |r| r.from);
                run_statements(driver, step, (from, step.statements.len()), None)?;
                record(driver, table, step, started, resume.map(|r| r.row))
            })
        } else {
            apply_stepwise(self.driver, table, step, resume, started)
        }
    }
}

/// Runs `work` in a transaction: committed when it succeeds, rolled back when it fails.
pub fn in_transaction<T>(
    driver: &mut dyn Driver,
    work: impl FnOnce(&mut dyn Driver) -> Result<T>,
) -> Result<T> {
    driver.begin()?;
    match work(driver) {
        Ok(value) => {
            driver.commit()?;
            Ok(value)
        }
        Err(error) => {
            // The work's error matters more than a failed rollback; the connection closes
            // right after, which rolls back anyway.
            let _ = driver.rollback();
            Err(error)
        }
    }
}

/// Why a script for an engine whose DDL commits implicitly has no BEGIN before a
/// revision's statements.
const IMPLICIT_COMMIT_NOTE: &str = "-- No transaction around these statements: this engine \
     commits each DDL statement implicitly,\n-- so a BEGIN would not hold them; only the \
     version update below is one transaction.";

/// Prints steps as one SQL script (`--sql`): nothing touches a database.
pub struct ScriptSink<'a> {
    pub dialect: DialectRef,
    pub table: &'a VersionTable,
    pub script: String,
}

impl<'a> ScriptSink<'a> {
    /// A script that starts by creating the version tables if they are missing.
    pub fn new(dialect: DialectRef, table: &'a VersionTable) -> Self {
        let mut script = String::new();
        for statement in dialect.session_setup() {
            let _ = writeln!(script, "{statement};\n");
        }
        for statement in table.create_statements() {
            let _ = writeln!(script, "{statement};\n");
        }
        ScriptSink {
            dialect,
            table,
            script,
        }
    }
}

impl Sink for ScriptSink<'_> {
    fn apply(&mut self, step: &PreparedStep<'_>) -> Result<Duration> {
        let verb = match step.step.direction {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        };
        let out = &mut self.script;
        let _ = writeln!(out, "-- Running {verb} {}\n", step.title);
        // Each revision starts from the session setup, as in a live run: a script replayed
        // in one session (the sqlite3 shell) keeps what an earlier revision switched.
        for statement in self.dialect.session_setup() {
            let _ = writeln!(out, "{statement};\n");
        }
        // Without transactional DDL the script has no BEGIN before the statements (it
        // would not hold them); the version update still gets its own transaction.
        let transactional = step.atomic(self.dialect.caps());
        if transactional {
            let _ = writeln!(out, "{};\n", self.dialect.begin_statement());
        } else if !self.dialect.caps().transactional_ddl {
            let _ = writeln!(out, "{IMPLICIT_COMMIT_NOTE}\n");
        }
        for statement in &step.statements {
            let _ = writeln!(out, "{};\n", statement.sql);
        }
        if !transactional {
            let _ = writeln!(out, "{};\n", self.dialect.begin_statement());
        }
        let mut bookkeeping = self.table.update_statements(&step.step.version);
        bookkeeping.push(
            self.table
                .history_statement(&step.history_record(AppliedAt::Now)),
        );
        for sql in bookkeeping {
            let _ = writeln!(out, "{sql};\n");
        }
        let _ = writeln!(out, "COMMIT;\n");
        Ok(Duration::ZERO)
    }
}

/// The current UTC time as `YYYY-MM-DD HH:MM:SS.ffffff+00:00`.
pub fn now_text() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%d %H:%M:%S%.6f+00:00")
        .to_string()
}

/// Whole milliseconds, saturating.
pub fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The first line of a statement, at most 120 characters.
pub fn excerpt(sql: &str) -> String {
    let first = sql.lines().next().unwrap_or_default();
    let mut short: String = first.chars().take(120).collect();
    if short.len() < first.len() || sql.lines().nth(1).is_some() {
        short.push_str(" ...");
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Engine;
    use crate::revision::file::parse;
    use crate::revision::plan::VersionUpdate;
    use std::path::Path;

    /// The `--sql` script of upgrading to revision `r1` (upgrade: two statements).
    fn script(engine: Engine, headers: &str) -> String {
        let text = format!(
            "-- revision: r1\n-- revises:\n-- message: one\n{headers}\n-- migrate:upgrade\n\
             CREATE TABLE t (id INT);\nCREATE INDEX ix ON t (id);\n\n\
             -- migrate:downgrade\nDROP TABLE t;\n"
        );
        let revision = parse(Path::new("migrations/r1_one.sql"), text.as_bytes())
            .expect("the test revision parses");
        let step = Step {
            node: 0,
            direction: Direction::Upgrade,
            version: VersionUpdate {
                delete: vec![],
                insert: vec![revision.id.clone()],
            },
        };
        let dialect = engine.dialect();
        let table = VersionTable::new(dialect.clone(), "migrate_version");
        let prepared = PreparedStep::new(&revision, &step, &[], &*dialect).expect("prepared");
        let mut sink = ScriptSink::new(dialect, &table);
        sink.apply(&prepared).expect("printed");
        let start = sink.script.find("-- Running").expect("the step is printed");
        sink.script[start..].to_string()
    }

    const STATEMENTS: &str = "CREATE TABLE t (id INT);\n\nCREATE INDEX ix ON t (id);\n\n";

    #[test]
    fn a_script_wraps_a_revision_in_a_transaction_where_ddl_is_transactional() {
        let sql = script(Engine::Sqlite, "");
        assert!(
            sql.contains(&format!(
                "BEGIN;\n\n{STATEMENTS}INSERT INTO \"migrate_version\""
            )),
            "{sql}"
        );
        assert_eq!(sql.matches("BEGIN;").count(), 1, "{sql}");
        assert!(sql.ends_with("COMMIT;\n\n"), "{sql}");
    }

    #[test]
    fn a_script_sets_up_the_session_before_each_revision_outside_its_transaction() {
        let sql = script(Engine::Sqlite, "");
        assert!(
            sql.starts_with(
                "-- Running upgrade  -> r1, one\n\nPRAGMA foreign_keys = OFF;\n\nBEGIN;"
            ),
            "{sql}"
        );
    }

    #[test]
    fn a_script_leaves_ddl_outside_transactions_where_ddl_commits() {
        // MySQL commits around every DDL statement: a BEGIN before them would hold
        // nothing, so only the version update gets a transaction.
        let sql = script(Engine::Mysql, "");
        assert!(
            sql.starts_with(&format!(
                "-- Running upgrade  -> r1, one\n\n{IMPLICIT_COMMIT_NOTE}\n\n{STATEMENTS}START TRANSACTION;\n\nINSERT INTO `migrate_version`"
            )),
            "{sql}"
        );
        assert_eq!(sql.matches("START TRANSACTION;").count(), 1, "{sql}");
        // The same shape as a revision that asks for no transaction.
        let none = script(Engine::Sqlite, "-- transaction: none\n");
        assert!(
            none.contains(&format!("{STATEMENTS}BEGIN;\n\nINSERT INTO")),
            "{none}"
        );
    }
}
