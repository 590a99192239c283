//! Check constraints (`CHECK_CONSTRAINTS`; on MySQL joined with `TABLE_CONSTRAINTS` for
//! their tables and enforcement) and foreign keys (`KEY_COLUMN_USAGE` for their columns,
//! `REFERENTIAL_CONSTRAINTS` for their actions).

use super::tables::Tables;
use super::{text, text_or_empty, Catalog};
use crate::dialect::mysql::MysqlDialect;
use crate::dialect::Dialect;
use crate::schema::ext::MysqlCheck;
use crate::schema::{Check, CheckExt, ForeignKey, RefAction};
use anyhow::Result;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A check constraint as read, before it goes to its table.
pub(super) struct CheckRow {
    pub table: String,
    pub name: String,
    pub clause: String,
    /// MariaDB: written on the column named `name` (`LEVEL = 'Column'`).
    pub column_level: bool,
    pub enforced: bool,
}

impl CheckRow {
    /// Whether this is MariaDB's check of a `JSON` column: `json_valid(`col`)` written on
    /// the column it names.
    pub fn is_json_valid_of_its_column(&self) -> bool {
        self.column_level
            && self.clause
                == format!(
                    "json_valid({})",
                    MysqlDialect::default().quote_ident(&self.name)
                )
    }
}

/// Reads the check constraints of the database (none before MySQL 8.0.16, which parsed
/// and ignored them).
pub(super) fn read_checks(catalog: &mut Catalog<'_>) -> Result<Vec<CheckRow>> {
    let sql = if catalog.is_mysql() {
        if !catalog.mysql_at_least(&[8, 0, 16]) {
            return Ok(Vec::new());
        }
        "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, 0, tc.ENFORCED = 'YES' \
         FROM information_schema.TABLE_CONSTRAINTS tc \
         JOIN information_schema.CHECK_CONSTRAINTS cc \
              ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
              AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
         WHERE tc.TABLE_SCHEMA = ? AND tc.CONSTRAINT_TYPE = 'CHECK'"
    } else if catalog.mariadb_at_least(&[10, 5, 10]) {
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL = 'Column', 1 \
         FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?"
    } else {
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, 0, 1 \
         FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?"
    };
    let rows = catalog.rows("check constraints", sql)?;
    Ok(rows
        .iter()
        .map(|row| CheckRow {
            table: text_or_empty(row, 0),
            name: text_or_empty(row, 1),
            clause: text_or_empty(row, 2),
            column_level: text_or_empty(row, 3) == "1",
            enforced: text_or_empty(row, 4) == "1",
        })
        .collect())
}

/// Puts each check into its table, except the `json_valid` checks of the columns in
/// `json` (read as `json`: the type makes them).
pub(super) fn place_checks(
    checks: Vec<CheckRow>,
    json: &HashSet<(String, String)>,
    tables: &mut Tables,
) {
    for check in checks {
        if check.is_json_valid_of_its_column()
            && json.contains(&(check.table.clone(), check.name.clone()))
        {
            continue;
        }
        let Some(read) = tables.tables.get_mut(&check.table) else {
            continue;
        };
        read.table.checks.push(Check {
            expression: check.clause,
            ext: CheckExt {
                mysql: MysqlCheck {
                    not_enforced: !check.enforced,
                    column: check.column_level.then(|| check.name.clone()),
                },
                ..CheckExt::default()
            },
            name: Some(check.name),
        });
    }
}

/// Reads the foreign keys of the database's tables into them: their actions from
/// `REFERENTIAL_CONSTRAINTS`, their columns from `KEY_COLUMN_USAGE` (one row per key
/// column), in two queries joined here (MariaDB joins the two views row by row, many
/// times slower than reading each once). A key to a table of another database names that
/// database as its `ref_namespace`.
pub(super) fn read_foreign_keys(catalog: &mut Catalog<'_>, tables: &mut Tables) -> Result<()> {
    let rules: HashMap<(String, String), (RefAction, RefAction)> = catalog
        .rows(
            "foreign key actions",
            "SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE \
             FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
        )?
        .iter()
        .map(|row| {
            (
                (text_or_empty(row, 0), text_or_empty(row, 1)),
                (
                    ref_action(&text_or_empty(row, 2)),
                    ref_action(&text_or_empty(row, 3)),
                ),
            )
        })
        .collect();
    let rows = catalog.rows(
        "foreign key columns",
        "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, \
         REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME \
         FROM information_schema.KEY_COLUMN_USAGE \
         WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL \
         ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
    )?;
    let mut keys: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for row in rows {
        let table = text_or_empty(&row, 0);
        if !tables.tables.contains_key(&table) {
            continue;
        }
        let name = text_or_empty(&row, 1);
        let id = (table, name.clone());
        let (on_update, on_delete) = rules.get(&id).copied().unwrap_or_default();
        let key = keys.entry(id).or_insert_with(|| ForeignKey {
            ref_namespace: text(&row, 3)
                .filter(|schema| *schema != catalog.database)
                .unwrap_or_default(),
            ref_table: text_or_empty(&row, 4),
            name: Some(name),
            on_update,
            on_delete,
            ..ForeignKey::default()
        });
        key.columns.push(text_or_empty(&row, 2));
        key.ref_columns.push(text_or_empty(&row, 5));
    }
    for ((table, _), key) in keys {
        if let Some(read) = tables.tables.get_mut(&table) {
            read.table.foreign_keys.push(key);
        }
    }
    Ok(())
}

/// A foreign key action from `UPDATE_RULE`/`DELETE_RULE`. MariaDB reports an action not
/// written as `RESTRICT` and one written `NO ACTION` as such; both are kept as reported.
fn ref_action(rule: &str) -> RefAction {
    match rule {
        "RESTRICT" => RefAction::Restrict,
        "CASCADE" => RefAction::Cascade,
        "SET NULL" => RefAction::SetNull,
        "SET DEFAULT" => RefAction::SetDefault,
        _ => RefAction::NoAction,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_checks_are_those_of_their_own_column() {
        let check = |name: &str, clause: &str, column_level| CheckRow {
            table: "t".into(),
            name: name.into(),
            clause: clause.into(),
            column_level,
            enforced: true,
        };
        assert!(check("attr", "json_valid(`attr`)", true).is_json_valid_of_its_column());
        assert!(!check("attr", "json_valid(`attr`)", false).is_json_valid_of_its_column());
        assert!(!check("attr", "json_valid(`other`)", true).is_json_valid_of_its_column());
        assert_eq!(ref_action("SET NULL"), RefAction::SetNull);
        assert_eq!(ref_action("NO ACTION"), RefAction::NoAction);
    }
}
