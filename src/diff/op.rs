//! The change operations a diff produces. Every variant carries whole before/after values,
//! so `invert` is total and exact: the downgrade is `invert` of the upgrade ops, reversed.

use super::delta::ColumnDelta;
use crate::dialect::Dialect;
use crate::schema::{
    Check, Column, EnumType, Extension, ForeignKey, Function, Index, Namespace, PrimaryKey,
    Sequence, Table, Trigger, Unique, View,
};

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
    /// A table renamed (a `-- migrate:renamed-from` hint): `to` is `from` under its new
    /// name, everything else as the engine carries it along.
    RenameTable {
        from: Table,
        to: Table,
    },
    CreateIndex(Index),
    DropIndex(Index),
    /// An index renamed, its definition unchanged (one that follows a renamed table or
    /// column to the name the desired schema gives it).
    RenameIndex {
        from: Index,
        to: Index,
    },
    CreateView(View),
    DropView(View),
    CreateTrigger(Trigger),
    DropTrigger(Trigger),
    CreateNamespace(Namespace),
    DropNamespace(Namespace),
    CreateExtension(Extension),
    DropExtension(Extension),
    CreateEnum(EnumType),
    DropEnum(EnumType),
    /// An enum's labels change. `uses` are the columns of that type (in the schema the
    /// op runs on, the same in both directions: see `diff::objects`), for engines that
    /// must swap the type under them to remove a label.
    AlterEnum {
        from: EnumType,
        to: EnumType,
        uses: Vec<EnumUse>,
    },
    CreateSequence(Sequence),
    DropSequence(Sequence),
    /// A sequence's options or owner change.
    AlterSequence {
        from: Sequence,
        to: Sequence,
    },
    CreateFunction(Function),
    DropFunction(Function),
    /// A function's definition changes (same name and arguments).
    ReplaceFunction {
        from: Function,
        to: Function,
    },
}

/// A column whose type is an enum.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnumUse {
    /// The table's namespace and name.
    pub namespace: String,
    pub table: String,
    /// The column as it is when the op runs (its default may name a label).
    pub column: Column,
    /// The table's check constraints whose expression names the type (a label literal,
    /// `'sad'::mood`): PostgreSQL parses them again when the column's type changes, and
    /// they would then compare the new type with the old. Each use of the table carries
    /// them.
    pub checks: Vec<Check>,
    /// The table's indexes whose definition names the type, likewise.
    pub indexes: Vec<Index>,
}

/// The kind of a named table constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyKind {
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
}

impl KeyKind {
    /// Its name in messages (`primary key`, `unique`, `foreign key`, `check`).
    pub fn label(self) -> &'static str {
        match self {
            KeyKind::PrimaryKey => "primary key",
            KeyKind::Unique => "unique",
            KeyKind::ForeignKey => "foreign key",
            KeyKind::Check => "check",
        }
    }
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
    /// A column renamed (a `-- migrate:renamed-from` hint); `from` and `to` differ in
    /// their name only (any other change of the column is an `AlterColumn` after it).
    RenameColumn {
        from: Column,
        to: Column,
    },
    /// A constraint renamed, its definition unchanged (one that follows a renamed table
    /// or column to the name the desired schema gives it).
    RenameKey {
        kind: KeyKind,
        from: String,
        to: String,
    },
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
            Op::RenameTable { from, to } => Op::RenameTable {
                from: to.clone(),
                to: from.clone(),
            },
            Op::RenameIndex { from, to } => Op::RenameIndex {
                from: to.clone(),
                to: from.clone(),
            },
            Op::CreateIndex(i) => Op::DropIndex(i.clone()),
            Op::DropIndex(i) => Op::CreateIndex(i.clone()),
            Op::CreateView(v) => Op::DropView(v.clone()),
            Op::DropView(v) => Op::CreateView(v.clone()),
            Op::CreateTrigger(t) => Op::DropTrigger(t.clone()),
            Op::DropTrigger(t) => Op::CreateTrigger(t.clone()),
            Op::CreateNamespace(n) => Op::DropNamespace(n.clone()),
            Op::DropNamespace(n) => Op::CreateNamespace(n.clone()),
            Op::CreateExtension(e) => Op::DropExtension(e.clone()),
            Op::DropExtension(e) => Op::CreateExtension(e.clone()),
            Op::CreateEnum(e) => Op::DropEnum(e.clone()),
            Op::DropEnum(e) => Op::CreateEnum(e.clone()),
            Op::AlterEnum { from, to, uses } => Op::AlterEnum {
                from: to.clone(),
                to: from.clone(),
                uses: uses.clone(),
            },
            Op::CreateSequence(q) => Op::DropSequence(q.clone()),
            Op::DropSequence(q) => Op::CreateSequence(q.clone()),
            Op::AlterSequence { from, to } => Op::AlterSequence {
                from: to.clone(),
                to: from.clone(),
            },
            Op::CreateFunction(f) => Op::DropFunction(f.clone()),
            Op::DropFunction(f) => Op::CreateFunction(f.clone()),
            Op::ReplaceFunction { from, to } => Op::ReplaceFunction {
                from: to.clone(),
                to: from.clone(),
            },
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
            TableChange::RenameColumn { from, to } => TableChange::RenameColumn {
                from: to.clone(),
                to: from.clone(),
            },
            TableChange::RenameKey { kind, from, to } => TableChange::RenameKey {
                kind: *kind,
                from: to.clone(),
                to: from.clone(),
            },
            TableChange::ReorderColumns { from, to } => TableChange::ReorderColumns {
                from: to.clone(),
                to: from.clone(),
            },
            TableChange::SetOptions => TableChange::SetOptions,
        }
    }
}
