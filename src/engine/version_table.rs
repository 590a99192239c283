//! The version bookkeeping: `<version_table>` (one row per current head, Alembic's shape)
//! and `<version_table>_history` (every applied step with checksum, time and duration, and
//! the progress of a revision applied statement by statement: see [`super::dirty`]).
//! Only SQL text is built here, so live runs and `--sql` scripts share it.

use crate::dialect::{DialectRef, Driver};
use crate::revision::plan::{Direction, VersionUpdate};
use crate::revision::RevisionId;
use anyhow::{Context, Result};
use std::collections::HashMap;

/// What a history row records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Upgrade,
    Downgrade,
    Stamp,
}

impl Operation {
    /// The word the history table records.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Upgrade => "upgrade",
            Operation::Downgrade => "downgrade",
            Operation::Stamp => "stamp",
        }
    }
}

impl From<Direction> for Operation {
    fn from(direction: Direction) -> Self {
        match direction {
            Direction::Upgrade => Operation::Upgrade,
            Direction::Downgrade => Operation::Downgrade,
        }
    }
}

/// When a history row was applied: a known time (live runs) or "now" in the
/// database's clock (offline scripts, which run later).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppliedAt {
    Known { at: String, duration_ms: u64 },
    Now,
}

/// One history row to insert.
#[derive(Clone, Debug)]
pub struct HistoryRecord<'a> {
    pub revision: &'a RevisionId,
    pub operation: Operation,
    pub checksum: Option<&'a str>,
    pub upgrade_sql: Option<&'a str>,
    pub applied_at: AppliedAt,
}

/// A history row's values rendered as SQL literals (or expressions), for an INSERT or an
/// UPDATE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryValues {
    pub checksum: String,
    pub upgrade_sql: String,
    pub applied_at: String,
    pub duration_ms: String,
}

/// The last recorded upgrade of a revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedRecord {
    pub checksum: String,
    pub upgrade_sql: String,
}

/// The two bookkeeping tables of one project, rendered for one dialect.
pub struct VersionTable {
    dialect: DialectRef,
    name: String,
    history: String,
}

impl VersionTable {
    /// The tables named `name` and `<name>_history`.
    pub fn new(dialect: DialectRef, name: &str) -> Self {
        VersionTable {
            dialect,
            name: name.to_string(),
            history: format!("{name}_history"),
        }
    }

    /// The version table's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The history table's name (`<version_table>_history`).
    pub fn history_name(&self) -> &str {
        &self.history
    }

    /// The dialect the statements are rendered for.
    pub fn dialect(&self) -> &DialectRef {
        &self.dialect
    }

    fn table(&self) -> String {
        self.dialect.quote_ident(&self.name)
    }

    /// The history table's name, quoted.
    pub fn history_table(&self) -> String {
        self.dialect.quote_ident(&self.history)
    }

    /// `CREATE TABLE IF NOT EXISTS` for both tables.
    pub fn create_statements(&self) -> Vec<String> {
        let d = &self.dialect;
        vec![
            format!(
                "CREATE TABLE IF NOT EXISTS {} (version_num VARCHAR(32) NOT NULL, \
                 CONSTRAINT {} PRIMARY KEY (version_num))",
                self.table(),
                d.quote_ident(&format!("{}_pkc", self.name)),
            ),
            format!(
                "CREATE TABLE IF NOT EXISTS {} ({}, version_num VARCHAR(32) NOT NULL, \
                 operation VARCHAR(10) NOT NULL, checksum VARCHAR(64), upgrade_sql {}, \
                 applied_at VARCHAR(40) NOT NULL, duration_ms BIGINT, {})",
                self.history_table(),
                d.serial_primary_key("id"),
                d.long_text_type(),
                super::dirty::step_column_definitions(&**d),
            ),
        ]
    }

    /// Statements that apply one step's version update.
    pub fn update_statements(&self, update: &VersionUpdate) -> Vec<String> {
        let table = self.table();
        let lit = |id: &RevisionId| self.dialect.quote_literal(id.as_str());
        let deletes = update
            .delete
            .iter()
            .map(|id| format!("DELETE FROM {table} WHERE version_num = {}", lit(id)));
        let inserts = update
            .insert
            .iter()
            .map(|id| format!("INSERT INTO {table} (version_num) VALUES ({})", lit(id)));
        deletes.chain(inserts).collect()
    }

    /// Statements that replace every row with `rows` (stamp).
    pub fn replace_statements(&self, rows: &[RevisionId]) -> Vec<String> {
        let mut statements = vec![format!("DELETE FROM {}", self.table())];
        statements.extend(self.update_statements(&VersionUpdate {
            delete: Vec::new(),
            insert: rows.to_vec(),
        }));
        statements
    }

    /// The SQL values of a history row's checksum, upgrade SQL, time and duration.
    pub fn history_values(&self, record: &HistoryRecord<'_>) -> HistoryValues {
        let d = &self.dialect;
        let opt = |v: Option<&str>| v.map_or_else(|| "NULL".to_string(), |s| d.quote_literal(s));
        let (applied_at, duration_ms) = match &record.applied_at {
            AppliedAt::Known { at, duration_ms } => (d.quote_literal(at), duration_ms.to_string()),
            AppliedAt::Now => (d.now_text_expression().to_string(), "NULL".to_string()),
        };
        HistoryValues {
            checksum: opt(record.checksum),
            upgrade_sql: opt(record.upgrade_sql),
            applied_at,
            duration_ms,
        }
    }

    /// The statement recording one history row.
    pub fn history_statement(&self, record: &HistoryRecord<'_>) -> String {
        let d = &self.dialect;
        let values = self.history_values(record);
        format!(
            "INSERT INTO {} (version_num, operation, checksum, upgrade_sql, applied_at, duration_ms) \
             VALUES ({}, {}, {}, {}, {}, {})",
            self.history_table(),
            d.quote_literal(record.revision.as_str()),
            d.quote_literal(record.operation.as_str()),
            values.checksum,
            values.upgrade_sql,
            values.applied_at,
            values.duration_ms,
        )
    }

    /// Creates both tables if missing (one statement each, outside any transaction).
    pub fn ensure(&self, driver: &mut dyn Driver) -> Result<()> {
        for statement in self.create_statements() {
            driver
                .execute(&statement)
                .with_context(|| format!("cannot create the version table {}", self.name))?;
        }
        Ok(())
    }

    /// The version rows (sorted), or none when the table does not exist yet.
    pub fn read_rows(&self, driver: &mut dyn Driver) -> Result<Vec<String>> {
        if !driver.table_exists(&self.name)? {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT version_num FROM {} ORDER BY version_num",
            self.table()
        );
        let rows = driver
            .query(&sql)
            .with_context(|| format!("cannot read the version table {}", self.name))?;
        Ok(rows
            .into_iter()
            .filter_map(|row| row.into_iter().next().flatten())
            .collect())
    }

    /// The latest upgrade record of every revision whose last recorded operation is an
    /// upgrade with a checksum.
    pub fn read_applied(&self, driver: &mut dyn Driver) -> Result<HashMap<String, AppliedRecord>> {
        if !driver.table_exists(&self.history)? {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT version_num, operation, checksum, upgrade_sql FROM {} ORDER BY id",
            self.history_table()
        );
        let rows = driver
            .query(&sql)
            .with_context(|| format!("cannot read the history table {}", self.history))?;
        let mut applied = HashMap::new();
        for row in rows {
            let mut values = row.into_iter();
            let (Some(Some(rev)), Some(Some(op))) = (values.next(), values.next()) else {
                continue;
            };
            let (checksum, sql) = (values.next().flatten(), values.next().flatten());
            match (op.as_str(), checksum) {
                ("upgrade", Some(checksum)) => {
                    let upgrade_sql = sql.unwrap_or_default();
                    applied.insert(
                        rev,
                        AppliedRecord {
                            checksum,
                            upgrade_sql,
                        },
                    );
                }
                _ => {
                    applied.remove(&rev);
                }
            }
        }
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Engine;

    fn id(s: &str) -> RevisionId {
        RevisionId::parse(s).expect("valid test id")
    }

    #[test]
    fn update_statements_quote_the_table_and_values() {
        let vt = VersionTable::new(Engine::Mysql.dialect(), "my`versions");
        let update = VersionUpdate {
            delete: vec![id("a1")],
            insert: vec![id("b2")],
        };
        assert_eq!(
            vt.update_statements(&update),
            vec![
                "DELETE FROM `my``versions` WHERE version_num = 'a1'",
                "INSERT INTO `my``versions` (version_num) VALUES ('b2')",
            ]
        );
    }

    #[test]
    fn history_statement_escapes_sql_text() {
        let vt = VersionTable::new(Engine::Sqlite.dialect(), "migrate_version");
        let rev = id("abc");
        let sql = vt.history_statement(&HistoryRecord {
            revision: &rev,
            operation: Operation::Upgrade,
            checksum: Some("ff"),
            upgrade_sql: Some("INSERT INTO t VALUES ('x')"),
            applied_at: AppliedAt::Known {
                at: "2026-01-01 00:00:00+00:00".into(),
                duration_ms: 5,
            },
        });
        assert!(sql.contains("'INSERT INTO t VALUES (''x'')'"), "{sql}");
        assert!(sql.starts_with("INSERT INTO \"migrate_version_history\""));
        assert!(sql.ends_with("'2026-01-01 00:00:00+00:00', 5)"));
    }
}
