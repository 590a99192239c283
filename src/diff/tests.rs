//! Tests of the differ: the test dialects, literal-schema builders and the one-line op
//! summaries the table-driven tests compare; the tests live in the submodules.

use super::{diff, Op, TableChange};
use crate::dialect::{Caps, Dialect, Engine};
use crate::schema::{
    Check, Column, ForeignKey, Index, IndexKey, IndexPart, PrimaryKey, Schema, Table, Trigger,
    Unique, View,
};
use crate::sql::lex::LexOptions;

mod objects;
mod phases;
mod props;
mod renames;
mod tables;
mod warning;

/// A dialect whose `ALTER TABLE` can do everything (the trait's default).
pub(super) struct InPlace;

/// A SQLite-like dialect: adding a nullable (or defaulted) column, dropping a column,
/// uniques, checks and options are in place; everything else rebuilds the table.
pub(super) struct Rebuilding;

/// An in-place dialect whose foreign keys need indexes on their columns (as MySQL's do).
pub(super) struct IndexedKeys;

macro_rules! test_dialect {
    ($name:ident, $indexed_keys:literal $($body:tt)*) => {
        impl Dialect for $name {
            fn engine(&self) -> Engine {
                Engine::Sqlite
            }
            fn server(&self) -> crate::dialect::ServerVersion {
                Engine::Sqlite.dialect().server()
            }
            fn caps(&self) -> Caps {
                Caps {
                    transactional_ddl: true,
                    foreign_key_indexes: $indexed_keys,
                    reorders_columns: true,
                    renames_constraints: true,
                    renames_indexes: true,
                }
            }
            fn lex_options(&self) -> LexOptions {
                LexOptions::SQLITE
            }
            fn serial_primary_key(&self, name: &str) -> String {
                format!("{name} INTEGER PRIMARY KEY")
            }
            fn now_text_expression(&self) -> &'static str {
                "now()"
            }
            fn render_op(&self, _op: &Op) -> anyhow::Result<Vec<String>> {
                Ok(vec![])
            }
            $($body)*
        }
    };
}

test_dialect!(InPlace, false);
test_dialect!(IndexedKeys, true);
test_dialect!(Rebuilding, false
    fn alter_in_place(&self, _table: &Table, change: &TableChange) -> bool {
        match change {
            TableChange::AddColumn(c) => c.nullable || c.default.is_some(),
            TableChange::DropColumn(_)
            | TableChange::AddUnique(_)
            | TableChange::DropUnique(_)
            | TableChange::AddCheck(_)
            | TableChange::DropCheck(_)
            | TableChange::RenameColumn { .. }
            | TableChange::SetOptions => true,
            TableChange::AlterColumn { .. }
            | TableChange::ReorderColumns { .. }
            | TableChange::SetPrimaryKey { .. }
            | TableChange::AddForeignKey(_)
            | TableChange::DropForeignKey(_)
            | TableChange::RenameKey { .. } => false,
        }
    }
);

// ---- literal builders ----

pub(super) fn col(name: &str, type_text: &str) -> Column {
    Column {
        name: name.into(),
        type_text: type_text.into(),
        nullable: true,
        ..Column::default()
    }
}

fn table(name: &str, columns: &[&str]) -> Table {
    Table {
        name: name.into(),
        columns: columns.iter().map(|c| col(c, "INTEGER")).collect(),
        ..Table::default()
    }
}

fn with_index(mut t: Table, name: &str, columns: &[&str]) -> Table {
    let index = index(&t.name, name, columns);
    t.indexes.insert(name.into(), index);
    t
}

fn index(table: &str, name: &str, columns: &[&str]) -> Index {
    Index::of_columns(table, name, columns)
}

fn fk(columns: &[&str], ref_table: &str, name: Option<&str>) -> ForeignKey {
    ForeignKey {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ref_table: ref_table.into(),
        ref_columns: vec!["id".into()],
        name: name.map(Into::into),
        ..ForeignKey::default()
    }
}

fn with_fk(mut t: Table, column: &str, ref_table: &str) -> Table {
    t.foreign_keys.push(fk(&[column], ref_table, None));
    t
}

fn view(name: &str, definition: &str, depends_on: &[&str]) -> View {
    View {
        name: name.into(),
        definition: definition.into(),
        depends_on: depends_on.iter().map(|d| d.to_string()).collect(),
        indexes: Default::default(),
        ext: Default::default(),
        namespace: Default::default(),
    }
}

fn trigger(name: &str, table: &str, definition: &str) -> Trigger {
    Trigger {
        name: name.into(),
        table: table.into(),
        definition: definition.into(),
        namespace: Default::default(),
    }
}

fn schema(tables: Vec<Table>, views: Vec<View>, triggers: Vec<Trigger>) -> Schema {
    Schema {
        tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
        views: views.into_iter().map(|v| (v.name.clone(), v)).collect(),
        triggers: triggers.into_iter().map(|t| (t.name.clone(), t)).collect(),
        unmanaged: vec![],
        ..Default::default()
    }
}

fn tables(tables: Vec<Table>) -> Schema {
    schema(tables, vec![], vec![])
}

// ---- summaries ----

fn names(list: &[String]) -> String {
    list.join(",")
}

fn opt<T>(value: &Option<T>, show: impl Fn(&T) -> String) -> String {
    value.as_ref().map_or("-".into(), show)
}

fn change_summary(change: &TableChange) -> String {
    let pk = |k: &PrimaryKey| format!("{}({})", opt(&k.name, Clone::clone), names(&k.columns));
    let unique = |u: &Unique| format!("{}({})", opt(&u.name, Clone::clone), names(&u.columns));
    let fk = |f: &ForeignKey| {
        let name = opt(&f.name, Clone::clone);
        format!("{name}({})->{}", names(&f.columns), f.ref_table)
    };
    let check = |c: &Check| format!("{}({})", opt(&c.name, Clone::clone), c.expression);
    match change {
        TableChange::AddColumn(c) => format!("add column {}", c.name),
        TableChange::DropColumn(c) => format!("drop column {}", c.name),
        TableChange::AlterColumn { from, to, delta } => {
            assert_eq!(from.name, to.name, "alter keeps the name");
            assert!(!delta.is_empty(), "an alter changes something");
            format!("alter column {}", to.name)
        }
        TableChange::SetPrimaryKey { from, to } => {
            format!("pk {} -> {}", opt(from, pk), opt(to, pk))
        }
        TableChange::AddUnique(u) => format!("add unique {}", unique(u)),
        TableChange::DropUnique(u) => format!("drop unique {}", unique(u)),
        TableChange::AddForeignKey(f) => format!("add fk {}", fk(f)),
        TableChange::DropForeignKey(f) => format!("drop fk {}", fk(f)),
        TableChange::AddCheck(c) => format!("add check {}", check(c)),
        TableChange::DropCheck(c) => format!("drop check {}", check(c)),
        TableChange::ReorderColumns { from, to } => {
            format!("reorder {} -> {}", names(from), names(to))
        }
        TableChange::SetOptions => "options".into(),
        TableChange::RenameColumn { from, to } => {
            format!("rename column {} -> {}", from.name, to.name)
        }
        TableChange::RenameKey { kind, from, to } => {
            format!("rename {} {from} -> {to}", kind.label())
        }
    }
}

pub(super) fn summary(op: &Op) -> String {
    match op {
        Op::CreateTable(t) => format!("create table {}", t.name),
        Op::DropTable(t) => format!("drop table {}", t.name),
        Op::AlterTable { from, to, changes } => {
            assert_eq!(from.name, to.name, "alter keeps the table name");
            let changes: Vec<String> = changes.iter().map(change_summary).collect();
            format!("alter table {}: {}", to.name, changes.join("; "))
        }
        Op::CreateIndex(i) => format!("create index {}", i.name),
        Op::DropIndex(i) => format!("drop index {}", i.name),
        Op::CreateView(v) => format!("create view {}", v.name),
        Op::DropView(v) => format!("drop view {}", v.name),
        Op::CreateTrigger(t) => format!("create trigger {}", t.name),
        Op::DropTrigger(t) => format!("drop trigger {}", t.name),
        other => crate::diff::describe(other),
    }
}

fn summaries(from: &Schema, to: &Schema, dialect: &dyn Dialect) -> Vec<String> {
    diff(from, to, dialect).iter().map(summary).collect()
}

/// Checks `diff(from, to)` against `want` (summaries), with both test dialects unless
/// `rebuild_only`, and checks that the inverse list is exact.
fn check(name: &str, from: &Schema, to: &Schema, dialect: &dyn Dialect, want: &[&str]) {
    let ops = diff(from, to, dialect);
    let got: Vec<String> = ops.iter().map(summary).collect();
    assert_eq!(got, want, "case {name}");
    let undo: Vec<Op> = ops.iter().rev().map(Op::invert).collect();
    let redo: Vec<Op> = undo.iter().rev().map(Op::invert).collect();
    assert_eq!(redo, ops, "case {name}: inverting twice");
    // Every op refers to the objects of the right side (the phases may leave out
    // foreign keys, added or dropped in ops of their own).
    for op in &ops {
        match op {
            Op::CreateTable(t) => assert_phased(to.tables.get(&t.name), t, name),
            Op::DropTable(t) => assert_phased(from.tables.get(&t.name), t, name),
            Op::AlterTable { from: f, to: t, .. } => {
                // The first phase goes from `from` to `from` less keys, the last from
                // `to` less keys to `to`.
                let (f_side, t_side) = match is_phased(from.tables.get(&f.name), t) {
                    true => (from, from),
                    false if is_phased(to.tables.get(&f.name), f) => (to, to),
                    false => (from, to),
                };
                assert_phased(f_side.tables.get(&f.name), f, name);
                assert_phased(t_side.tables.get(&t.name), t, name);
            }
            _ => {}
        }
    }
}

/// Whether `got` is `table` without some of its foreign keys.
fn is_phased(table: Option<&Table>, got: &Table) -> bool {
    let bare = |t: &Table| Table {
        foreign_keys: vec![],
        ..t.clone()
    };
    table.is_some_and(|table| {
        bare(table) == bare(got)
            && got
                .foreign_keys
                .iter()
                .all(|fk| table.foreign_keys.contains(fk))
    })
}

/// Asserts that `got` is `table` without some of its foreign keys.
fn assert_phased(table: Option<&Table>, got: &Table, case: &str) {
    assert!(
        is_phased(table, got),
        "case {case}: {got:#?} is not {table:#?} less foreign keys"
    );
}
