//! The migrator: under the run-wide lock it re-reads the version table, verifies the
//! checksums of applied revisions, plans, resumes or refuses a dirty revision, and sends
//! each step to a sink.

use super::dirty::{self, DirtyStep, OldShape, StepRecord};
use super::lock::{humanize, with_lock};
use super::sink::{in_transaction, millis, LiveSink, PreparedStep, Resume, ScriptSink, Sink};
use super::version_table::{AppliedAt, HistoryRecord, Operation, VersionTable};
use crate::dialect::{Dialect, DialectRef, Driver};
use crate::revision::graph::RevisionGraph;
use crate::revision::plan::{Current, Direction, Step};
use crate::revision::target::Target;
use crate::revision::RevisionId;
use anyhow::{Context, Result};
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

/// Applied revisions whose files changed since they were applied.
#[derive(Debug, thiserror::Error)]
///
/// The message names the revisions; the diff is a field of its own, which the binary
/// prints above its one error line.
#[error("{} applied revision(s) changed since they were applied: {} (diff above); restore the file(s), or run again with --allow-changed to proceed anyway", .revisions.len(), .revisions.join(", "))]
pub struct ChecksumChanged {
    /// Each changed revision with its file: `27c6a30d7c24 (migrations/27c6a30d7c24_x.sql)`.
    pub revisions: Vec<String>,
    /// Unified diffs of the upgrade sections, recorded vs. on disk.
    pub diff: String,
}

/// A revision a live run applied (or reverted), reported as soon as it landed.
#[derive(Clone, Copy, Debug)]
pub struct Applied<'a> {
    pub revision: &'a RevisionId,
    pub direction: Direction,
    /// How long it took, as its history row records it.
    pub duration: Duration,
}

/// Options of a live run.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    pub lock_timeout: Duration,
    /// Proceed although applied revisions changed (`--allow-changed`).
    pub allow_changed: bool,
}

/// Plans and applies revisions of one graph against one version table.
pub struct Migrator<'a> {
    pub graph: &'a RevisionGraph,
    pub table: VersionTable,
}

impl<'a> Migrator<'a> {
    /// A migrator for `graph` keeping its bookkeeping in `version_table` (+ `_history`).
    pub fn new(graph: &'a RevisionGraph, dialect: DialectRef, version_table: &str) -> Self {
        Migrator {
            graph,
            table: VersionTable::new(dialect, version_table),
        }
    }

    /// The version rows of a live database (empty when it has no version table).
    pub fn current(&self, driver: &mut dyn Driver) -> Result<Current> {
        let rows = self.table.read_rows(driver)?;
        parse_rows(rows, self.table.name())
    }

    /// The revisions a run left part way (normally none or one), read without changing a
    /// history table of an earlier build (read-only commands).
    pub fn dirty(&self, driver: &mut dyn Driver) -> Result<Vec<DirtyStep>> {
        dirty::read(&self.table, driver, OldShape::Leave)
    }

    /// Upgrades or downgrades a live database to `target` under the run-wide lock.
    /// `log` receives progress lines and `on_applied` each revision once it landed;
    /// returns the steps' count.
    pub fn run(
        &self,
        driver: &mut dyn Driver,
        direction: Direction,
        target: &Target,
        options: RunOptions,
        log: &mut dyn FnMut(&str),
        on_applied: &mut dyn FnMut(&Applied<'_>),
    ) -> Result<usize> {
        driver.set_busy_timeout(options.lock_timeout)?;
        let log = RefCell::new(log);
        let mut on_wait = |resource: &str, holder: Option<&str>| {
            (log.borrow_mut())(&waiting(resource, holder, options))
        };
        let key = driver.lock_key(self.table.name());
        with_lock(driver, &key, options.lock_timeout, &mut on_wait, |driver| {
            self.table.ensure(driver)?;
            let dirty = dirty::read(&self.table, driver, OldShape::Upgrade)?;
            let current = self.current(driver)?;
            let mut warn = |line: &str| (log.borrow_mut())(line);
            self.verify_checksums(driver, &current, options.allow_changed, &mut warn)?;
            let steps = match direction {
                Direction::Upgrade => self.graph.plan_upgrade(&current, target)?,
                Direction::Downgrade => {
                    if let Some(line) = self.graph.downgrade_warning(&current, target) {
                        warn(&line);
                    }
                    self.graph.plan_downgrade(&current, target)?
                }
            };
            let dialect = driver.dialect();
            let resume = match dirty.is_empty() {
                true => None,
                false => {
                    let first = match steps.first() {
                        Some(step) => Some(self.prepare(step, &*dialect)?),
                        None => None,
                    };
                    let from =
                        super::resume::decide(self.graph, &*dialect, &dirty, first.as_ref())?;
                    if let (Some(step), [dirty]) = (&first, dirty.as_slice()) {
                        warn(&super::resume::resuming_line(step, dirty, from));
                    }
                    dirty.first().map(|d| Resume { from, row: d.row })
                }
            };
            let mut sink = LiveSink {
                driver,
                table: &self.table,
                resume,
            };
            self.send(
                &steps,
                &*dialect,
                &mut sink,
                &mut |line| (log.borrow_mut())(line),
                on_applied,
            )?;
            Ok(steps.len())
        })
    }

    fn send(
        &self,
        steps: &[Step],
        dialect: &dyn Dialect,
        sink: &mut dyn Sink,
        log: &mut dyn FnMut(&str),
        on_applied: &mut dyn FnMut(&Applied<'_>),
    ) -> Result<()> {
        for step in steps {
            let prepared = self.prepare(step, dialect)?;
            let took = sink.apply(&prepared)?;
            log(&format!(
                "Running {} {} ({} ms)",
                Operation::from(step.direction).as_str(),
                prepared.title,
                millis(took)
            ));
            on_applied(&Applied {
                revision: &prepared.revision.id,
                direction: step.direction,
                duration: took,
            });
        }
        Ok(())
    }

    /// A step with its revision, parents and statements.
    fn prepare<'s>(&'s self, step: &'s Step, dialect: &dyn Dialect) -> Result<PreparedStep<'s>> {
        let parents: Vec<&RevisionId> = self
            .graph
            .parents(step.node)
            .iter()
            .map(|&p| &self.graph.revision(p).id)
            .collect();
        PreparedStep::new(self.graph.revision(step.node), step, &parents, dialect)
    }

    /// The offline script (`--sql`) taking `from` to `target`.
    pub fn script(
        &self,
        dialect: DialectRef,
        from: &Current,
        direction: Direction,
        target: &Target,
    ) -> Result<String> {
        let steps = match direction {
            Direction::Upgrade => self.graph.plan_upgrade(from, target)?,
            Direction::Downgrade => self.graph.plan_downgrade(from, target)?,
        };
        let mut sink = ScriptSink::new(dialect.clone(), &self.table);
        self.send(&steps, &*dialect, &mut sink, &mut |_| {}, &mut |_| {})?;
        Ok(sink.script)
    }

    /// Sets the version table to `target` without running revisions; returns the new rows.
    pub fn stamp(
        &self,
        driver: &mut dyn Driver,
        target: &Target,
        purge: bool,
        options: RunOptions,
        log: &mut dyn FnMut(&str),
    ) -> Result<Vec<RevisionId>> {
        driver.set_busy_timeout(options.lock_timeout)?;
        let log = RefCell::new(log);
        let mut on_wait = |resource: &str, holder: Option<&str>| {
            (log.borrow_mut())(&waiting(resource, holder, options))
        };
        let key = driver.lock_key(self.table.name());
        with_lock(driver, &key, options.lock_timeout, &mut on_wait, |driver| {
            self.table.ensure(driver)?;
            let dirty = dirty::read(&self.table, driver, OldShape::Upgrade)?;
            // With --purge the current rows may name revisions that no longer exist.
            let current = if purge {
                Current::default()
            } else {
                let current = self.current(driver)?;
                if let Some(row) = current.rows.iter().find(|r| self.graph.node(r).is_none()) {
                    anyhow::bail!(
                        "the database is at revision {row}, which no revision file defines; run `migrate stamp {target} --purge` to replace the version rows without reading them"
                    );
                }
                current
            };
            let rows = self.graph.plan_stamp(&current, target, purge)?;
            let mut statements = self.table.replace_statements(&rows);
            let at = AppliedAt::Known {
                at: super::sink::now_text(),
                duration_ms: 0,
            };
            statements.extend(self.stamp_history(&rows, &at));
            if !dirty.is_empty() {
                statements.push(StepRecord::new(&self.table).clear());
            }
            in_transaction(driver, |driver| {
                statements
                    .iter()
                    .try_for_each(|sql| driver.execute(sql))
                    .context("cannot stamp the version table")
            })?;
            for step in &dirty {
                (log.borrow_mut())(&format!(
                    "Cleared the dirty state of revision {} ({}); the database is taken to be at the stamped revision(s)",
                    step.revision,
                    step.progress()
                ));
            }
            Ok(rows)
        })
    }

    /// The offline script (`stamp --sql`) that stamps `target` on a database at `from`:
    /// the version tables created if missing, then in one transaction the rows `from`
    /// no longer holds deleted, the new ones inserted, and their history rows.
    pub fn stamp_script(
        &self,
        dialect: DialectRef,
        from: &Current,
        target: &Target,
    ) -> Result<String> {
        let rows = self.graph.plan_stamp(from, target, false)?;
        let update = crate::revision::plan::VersionUpdate {
            delete: from
                .rows
                .iter()
                .filter(|r| !rows.contains(r))
                .cloned()
                .collect(),
            insert: rows
                .iter()
                .filter(|r| !from.rows.contains(r))
                .cloned()
                .collect(),
        };
        let mut statements = vec![dialect.begin_statement().to_string()];
        statements.extend(self.table.update_statements(&update));
        statements.extend(self.stamp_history(&update.insert, &AppliedAt::Now));
        statements.push("COMMIT".to_string());
        let mut script = ScriptSink::new(dialect, &self.table).script;
        for sql in statements {
            script.push_str(&format!("{sql};\n\n"));
        }
        Ok(script)
    }

    /// The history rows of stamping `rows` at `at`.
    fn stamp_history(&self, rows: &[RevisionId], at: &AppliedAt) -> Vec<String> {
        rows.iter()
            .map(|row| {
                self.table.history_statement(&HistoryRecord {
                    revision: row,
                    operation: Operation::Stamp,
                    checksum: None,
                    upgrade_sql: None,
                    applied_at: at.clone(),
                })
            })
            .collect()
    }

    /// Creates the version tables if they are missing (`ensure-version`), under the
    /// run-wide lock; stamps nothing.
    pub fn ensure_version(
        &self,
        driver: &mut dyn Driver,
        options: RunOptions,
        log: &mut dyn FnMut(&str),
    ) -> Result<()> {
        driver.set_busy_timeout(options.lock_timeout)?;
        let key = driver.lock_key(self.table.name());
        let mut on_wait =
            |resource: &str, holder: Option<&str>| log(&waiting(resource, holder, options));
        with_lock(driver, &key, options.lock_timeout, &mut on_wait, |driver| {
            self.table.ensure(driver)
        })
    }

    /// Refuses to go on (`ChecksumChanged`) when an applied revision's upgrade section
    /// changed since it ran; with `allow_changed` it only logs the diff. `upgrade`,
    /// `downgrade` and `check` all verify through this one function.
    pub fn verify_checksums(
        &self,
        driver: &mut dyn Driver,
        current: &Current,
        allow_changed: bool,
        log: &mut dyn FnMut(&str),
    ) -> Result<()> {
        if current.rows.is_empty() {
            return Ok(());
        }
        let applied = self.graph.applied(current)?;
        let records = self.table.read_applied(driver)?;
        let changed = changed_revisions(self.graph, &applied, &records);
        if changed.is_empty() {
            return Ok(());
        }
        let diff: Vec<&str> = changed.iter().map(|c| c.diff.as_str()).collect();
        let diff = diff.join("\n");
        if allow_changed {
            log(&format!(
                "warning: {} applied revision(s) changed since they were applied (--allow-changed): {}",
                changed.len(),
                changed.iter().map(|c| c.revision.as_str()).collect::<Vec<_>>().join(", ")
            ));
            // Diff lines quote the files: control characters in them are escaped.
            for line in diff.lines() {
                log(&crate::echo::one_line(line));
            }
            return Ok(());
        }
        Err(ChecksumChanged {
            revisions: changed.into_iter().map(|c| c.revision).collect(),
            diff,
        }
        .into())
    }
}

/// An applied revision whose upgrade section no longer matches its record.
struct Changed {
    /// `<id> (<path>)`.
    revision: String,
    /// `revision <id>:` and the unified diff of its upgrade section.
    diff: String,
}

/// Each applied revision whose upgrade section no longer matches its record.
fn changed_revisions(
    graph: &RevisionGraph,
    applied: &[bool],
    records: &HashMap<String, super::version_table::AppliedRecord>,
) -> Vec<Changed> {
    let mut changed = Vec::new();
    for (node, _) in applied.iter().enumerate().filter(|(_, &a)| a) {
        let revision = graph.revision(node);
        let Some(record) = records.get(revision.id.as_str()) else {
            continue; // stamped, or applied by another tool: nothing to compare with
        };
        if crate::revision::checksum::checksum(&revision.upgrade.sql) == record.checksum {
            continue;
        }
        let path = revision.path.display().to_string();
        let old = with_newline(&record.upgrade_sql);
        let new = with_newline(&revision.upgrade.sql);
        let diff = similar::TextDiff::from_lines(&old, &new)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("{path} (upgrade section as applied)"),
                &format!("{path} (upgrade section now)"),
            )
            .to_string();
        changed.push(Changed {
            revision: format!("{} ({path})", revision.id),
            diff: format!("revision {}:\n{diff}", revision.id),
        });
    }
    changed
}

fn with_newline(text: &str) -> String {
    if text.is_empty() || text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

fn parse_rows(rows: Vec<String>, table: &str) -> Result<Current> {
    let rows = rows
        .into_iter()
        .map(|row| {
            RevisionId::parse(&row)
                .with_context(|| format!("the version table {table} holds an invalid revision id"))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Current { rows })
}

/// The line a run prints while another run holds the lock.
fn waiting(resource: &str, holder: Option<&str>, options: RunOptions) -> String {
    let who = match holder {
        Some(holder) => format!("another migrate run holds it ({holder})"),
        None => "another migrate run holds it".to_string(),
    };
    format!(
        "waiting for the migration lock on {resource}: {who} (lock_timeout {})",
        humanize(options.lock_timeout)
    )
}
