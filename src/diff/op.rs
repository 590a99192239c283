//! The change operations a diff produces. Every variant carries whole before/after values,
//! so `invert` is total and exact: the downgrade is `invert` of the upgrade ops, reversed.

use super::delta::{ColumnDelta, ColumnPart};
use crate::dialect::Dialect;
use crate::schema::{Check, Column, ForeignKey, Index, PrimaryKey, Table, Trigger, Unique, View};

/// One schema change.
// AlterTable carries two whole tables; ops are few per revision, so the size difference
// between variants costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    CreateTable(Table),
    DropTable(Table),
    /// Changes inside one table. `from` and `to` are the whole table before and after
    /// (indexes excluded from the changes: they are separate ops), so engines that rebuild
    /// tables (SQLite) have everything they need.
    AlterTable {
        from: Table,
        to: Table,
        changes: Vec<TableChange>,
    },
    CreateIndex(Index),
    DropIndex(Index),
    CreateView(View),
    DropView(View),
    CreateTrigger(Trigger),
    DropTrigger(Trigger),
}

/// One change inside a table.
// A handful per migration, built once: boxing the columns would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableChange {
    AddColumn(Column),
    DropColumn(Column),
    /// A column of the same name changes; `delta` says which parts, judged once by the
    /// dialect's equivalences (build it with [`TableChange::alter_column`]).
    AlterColumn {
        from: Column,
        to: Column,
        delta: ColumnDelta,
    },
    SetPrimaryKey {
        from: Option<PrimaryKey>,
        to: Option<PrimaryKey>,
    },
    AddUnique(Unique),
    DropUnique(Unique),
    AddForeignKey(ForeignKey),
    DropForeignKey(ForeignKey),
    AddCheck(Check),
    DropCheck(Check),
    /// The columns end up in the order `to` rather than in the order that dropping
    /// columns and appending the new ones gives: an engine that can only append columns
    /// must rebuild the table. `from` and `to` are the whole column lists (names) of the
    /// `AlterTable`'s `from` and `to` tables, so the change means the same wherever it
    /// sits among the others (an engine applies it once the columns are all there).
    ReorderColumns {
        from: Vec<String>,
        to: Vec<String>,
    },
    /// Table options or comment changed (the tables carry the values).
    SetOptions,
}

impl Op {
    /// The op that undoes this one.
    pub fn invert(&self) -> Op {
        match self {
            Op::CreateTable(t) => Op::DropTable(t.clone()),
            Op::DropTable(t) => Op::CreateTable(t.clone()),
            Op::AlterTable { from, to, changes } => Op::AlterTable {
                from: to.clone(),
                to: from.clone(),
                changes: changes.iter().rev().map(TableChange::invert).collect(),
            },
            Op::CreateIndex(i) => Op::DropIndex(i.clone()),
            Op::DropIndex(i) => Op::CreateIndex(i.clone()),
            Op::CreateView(v) => Op::DropView(v.clone()),
            Op::DropView(v) => Op::CreateView(v.clone()),
            Op::CreateTrigger(t) => Op::DropTrigger(t.clone()),
            Op::DropTrigger(t) => Op::CreateTrigger(t.clone()),
        }
    }

    /// Why running this op may lose data, if it may: the text of a `-- WARNING:` line.
    pub fn data_loss(&self) -> Option<String> {
        match self {
            Op::DropTable(t) => Some(format!("drops table {} and all its rows", t.name)),
            Op::AlterTable { from, to, changes } => {
                let warnings: Vec<String> = changes
                    .iter()
                    .filter(|c| !c.already_holds(from))
                    .filter_map(|c| c.data_loss(&to.name))
                    .collect();
                (!warnings.is_empty()).then(|| warnings.join("; "))
            }
            _ => None,
        }
    }
}

impl TableChange {
    /// The change of column `from` into `to`, its delta judged by `dialect`; `None` when
    /// the two mean the same.
    pub fn alter_column(from: &Column, to: &Column, dialect: &dyn Dialect) -> Option<Self> {
        let delta = ColumnDelta::between(from, to, dialect);
        (!delta.is_empty()).then(|| TableChange::AlterColumn {
            from: from.clone(),
            to: to.clone(),
            delta,
        })
    }

    /// The change that undoes this one.
    pub fn invert(&self) -> TableChange {
        match self {
            TableChange::AddColumn(c) => TableChange::DropColumn(c.clone()),
            TableChange::DropColumn(c) => TableChange::AddColumn(c.clone()),
            TableChange::AlterColumn { from, to, delta } => TableChange::AlterColumn {
                from: to.clone(),
                to: from.clone(),
                delta: delta.invert(),
            },
            TableChange::SetPrimaryKey { from, to } => TableChange::SetPrimaryKey {
                from: to.clone(),
                to: from.clone(),
            },
            TableChange::AddUnique(u) => TableChange::DropUnique(u.clone()),
            TableChange::DropUnique(u) => TableChange::AddUnique(u.clone()),
            TableChange::AddForeignKey(f) => TableChange::DropForeignKey(f.clone()),
            TableChange::DropForeignKey(f) => TableChange::AddForeignKey(f.clone()),
            TableChange::AddCheck(c) => TableChange::DropCheck(c.clone()),
            TableChange::DropCheck(c) => TableChange::AddCheck(c.clone()),
            TableChange::ReorderColumns { from, to } => TableChange::ReorderColumns {
                from: to.clone(),
                to: from.clone(),
            },
            TableChange::SetOptions => TableChange::SetOptions,
        }
    }

    /// Whether the rows of `from` already obey the rule this change adds, so that it
    /// cannot fail on them: a constraint declared again on the same columns (renamed, or
    /// with other actions, deferral or conflict resolution), or a UNIQUE over a superset
    /// of an existing key.
    fn already_holds(&self, from: &Table) -> bool {
        let mut keys = from
            .primary_key
            .iter()
            .map(|pk| &pk.columns)
            .chain(from.uniques.iter().map(|u| &u.columns));
        match self {
            TableChange::AddUnique(u) => keys.any(|k| k.iter().all(|c| u.columns.contains(c))),
            TableChange::SetPrimaryKey { to: Some(pk), .. } => from
                .primary_key
                .as_ref()
                .is_some_and(|old| old.columns == pk.columns),
            TableChange::AddForeignKey(f) => from.foreign_keys.iter().any(|old| {
                old.columns == f.columns
                    && old.ref_table == f.ref_table
                    && old.ref_columns == f.ref_columns
            }),
            TableChange::AddCheck(c) => {
                from.checks.iter().any(|old| old.expression == c.expression)
            }
            _ => false,
        }
    }

    /// Why this change may lose data or fail on a table holding rows, if it may.
    pub fn data_loss(&self, table: &str) -> Option<String> {
        match self {
            TableChange::DropColumn(c) => {
                Some(format!("drops column {table}.{} and its data", c.name))
            }
            // An explicit DEFAULT NULL fills the rows with NULL as no default does.
            TableChange::AddColumn(c)
                if !c.nullable
                    && c.default
                        .as_deref()
                        .is_none_or(|d| d.trim().eq_ignore_ascii_case("NULL"))
                    && c.generated.is_none()
                    && !c.auto_increment =>
            {
                Some(format!(
                    "adds NOT NULL column {table}.{} without a default: fails if {table} has rows",
                    c.name
                ))
            }
            TableChange::AlterColumn { from, to, delta } => {
                let mut risks = Vec::new();
                if delta.has(ColumnPart::Type) {
                    risks.push(format!(
                        "changes the type of {table}.{} from {} to {}: values may not convert",
                        to.name,
                        shown(&from.type_text),
                        shown(&to.type_text)
                    ));
                }
                if delta.has(ColumnPart::Nullability) && !to.nullable {
                    risks.push(format!(
                        "makes {table}.{} NOT NULL: fails if it holds NULLs",
                        to.name
                    ));
                }
                (!risks.is_empty()).then(|| risks.join("; "))
            }
            TableChange::AddCheck(c) => Some(format!(
                "adds CHECK ({}) to {table}: fails if existing rows violate it",
                c.expression
            )),
            TableChange::AddUnique(u) => Some(format!(
                "adds UNIQUE ({}) to {table}: fails if existing rows hold duplicates",
                u.columns.join(", ")
            )),
            TableChange::AddForeignKey(f) => Some(format!(
                "adds a foreign key {table} ({}) -> {}: fails if existing rows have no match",
                f.columns.join(", "),
                f.ref_table
            )),
            TableChange::SetPrimaryKey { to: Some(pk), .. } => Some(format!(
                "sets the primary key of {table} to ({}): fails on duplicates or NULLs",
                pk.columns.join(", ")
            )),
            // Same columns, same values, another order: nothing is lost.
            TableChange::ReorderColumns { .. } => None,
            _ => None,
        }
    }
}

fn shown(type_text: &str) -> &str {
    if type_text.is_empty() {
        "(none)"
    } else {
        type_text
    }
}
