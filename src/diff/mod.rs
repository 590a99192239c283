//! The differ: compares two schemas and returns the ordered operations that turn the first
//! into the second. Engine-neutral; the dialect's equivalence hooks decide whether two
//! texts (types, defaults, expressions) mean the same.
//!
//! # Order of the operations
//!
//! Three phases, so that no engine is asked to drop a key or index a foreign key still
//! needs, or to add a foreign key before what it references exists (see `phases.rs`):
//!
//! 1. First: `AlterTable`s that only drop foreign keys (those that go away, and those
//!    whose referenced key or index changes), by table name; then `DropTrigger` (by
//!    name), the `DropIndex`es of kept views (PostgreSQL's materialized views), `DropView`
//!    (dependents first, each after the `DropIndex`es of its indexes), and the
//!    `DropIndex` of an index whose name another table's new index takes (names are
//!    schema-wide): everything that reads or hangs off a table goes before the table
//!    changes.
//! 2. The other changes, table by table, in `phases::change_order` (a table after the
//!    tables whose new keys its foreign keys need, before the tables whose dropped keys
//!    its dropped foreign keys needed; otherwise, and in cycles, by name): the table's
//!    `DropIndex`es (by name), then its `CreateTable`, `AlterTable` (its changes ordered
//!    as `tables::table_changes` says) or `DropTable`, then its `CreateIndex`es (by name).
//! 3. Last: `CreateView` (dependencies first, each before the `CreateIndex`es of its
//!    indexes), the `CreateIndex`es of kept views, `CreateTrigger` (by name), then
//!    `AlterTable`s that only add foreign keys, by table name.
//!
//! Then a drop whose name an earlier create reuses (tables, indexes, views and triggers
//! share a namespace) moves to just before that create (see `clash.rs`).
//!
//! Where foreign keys live inside the table (SQLite), they stay among its changes, and
//! the table-by-table order keeps a rebuilt table's `PRAGMA foreign_key_check` from
//! running while a key it references is missing, both ways; a kept table that drops its
//! foreign key to a dropped table does so before that table goes. The inverse list,
//! reversed, keeps these guarantees.
//!
//! # Rebuilds and re-created objects
//!
//! A table whose changes are not all possible in place (`Dialect::alter_in_place`, asked
//! for each change on the `from` table and for its inverse on the `to` table, since the
//! downgrade runs the inverse) will be rebuilt: its indexes and triggers are dropped
//! before and re-created after, and so are the views reading it. Views reading a dropped
//! table, or a table whose columns are dropped, altered or reordered (PostgreSQL refuses
//! those changes under a view), or a view that is itself dropped or re-created, are
//! dropped before and re-created (when still wanted) after, transitively. Triggers on a
//! re-created view are re-created too. Each object is dropped and created at most once.
//!
//! # Inverse
//!
//! `ops.iter().rev().map(Op::invert)` turns `to` back into `from` with the same
//! guarantees (rebuilds are decided both ways), except one: a `ReorderColumns` is emitted
//! only when the upgrade needs it, so a downgrade that adds back a column dropped from
//! the middle of a table appends it (as Alembic does).

mod clash;
pub mod delta;
pub mod describe;
mod names;
pub mod objects;
pub mod op;
mod order;
mod phases;
pub mod renames;
pub mod tables;
pub mod warning;

#[cfg(test)]
mod tests;

pub use delta::{ColumnDelta, ColumnPart};
pub use describe::describe;
pub use op::{KeyKind, Op, TableChange};
pub use warning::warnings;

use crate::dialect::Dialect;
use crate::schema::{Index, Schema, Trigger, View};
use crate::sql::hints::RenameHint;
use phases::Phases;
use std::collections::{BTreeMap, BTreeSet};

/// [`diff`], with the renames the desired schema's `hints` ask for done first (see
/// `renames.rs`): an error for a hint whose old name the live schema lacks.
pub fn diff_renaming(
    from: &Schema,
    to: &Schema,
    hints: &[RenameHint],
    dialect: &dyn Dialect,
) -> anyhow::Result<Vec<Op>> {
    let resolved = renames::resolve(from, to, hints, dialect)?;
    let (mut ops, renamed) = renames::apply(from, to, &resolved, dialect);
    ops.extend(diff(&renamed, to, dialect));
    Ok(ops)
}

/// The ordered operations that turn `from` (the live schema) into `to` (the desired one).
pub fn diff(from: &Schema, to: &Schema, dialect: &dyn Dialect) -> Vec<Op> {
    // Equal models need no operation; comparing them costs a fraction of the diff, and it
    // is the common case (`check` in CI with nothing pending).
    if from == to {
        return Vec::new();
    }
    let aligned = names::align(from, to, dialect);
    let to = &aligned;
    let order = phases::change_order(from, to, dialect);
    let phases = Phases::new(from, to, dialect, &order);
    let tables = TableDiff::new(from, to, &phases, dialect);
    let indexes = index_ops(from, to, &tables.rebuilt, dialect);
    let objects = objects::object_ops(from, to, dialect);
    let mut disturbed = tables.disturbed();
    disturbed.extend(objects::swapped_tables(&objects, from));
    let views = ViewDiff::new(from, to, &disturbed, dialect);
    let triggers = trigger_ops(from, to, &tables.rebuilt, &views.dropped, dialect);

    let mut ops = objects.first;
    ops.extend(phases.drop_ops(from));
    ops.extend(triggers.0.into_values().cloned().map(Op::DropTrigger));
    ops.extend(views.drop_ops(from));
    let (early_drops, mut own_drops, mut own_creates) = by_table(indexes);
    ops.extend(early_drops);
    ops.extend(objects.before_tables);
    let mut changed = tables.changed;
    for name in order {
        ops.extend(own_drops.remove(name).into_iter().flatten());
        ops.extend(changed.remove(name));
        ops.extend(own_creates.remove(name).into_iter().flatten());
    }
    ops.extend(objects.after_tables);
    ops.extend(views.create_ops(to));
    ops.extend(triggers.1.into_values().cloned().map(Op::CreateTrigger));
    ops.extend(phases.add_ops(to));
    ops.extend(objects.last);
    clash::drops_before_creates(ops, dialect)
}

/// Index ops by table: the drops that go in the first phase (those whose name an index
/// created on another table takes: names are schema-wide), and per table the drops and
/// the creates that go with its change.
#[allow(clippy::type_complexity)]
fn by_table<'a>(
    (drops, creates): IndexOps<'a>,
) -> (
    Vec<Op>,
    BTreeMap<&'a str, Vec<Op>>,
    BTreeMap<&'a str, Vec<Op>>,
) {
    let mut early = Vec::new();
    let mut own_drops: BTreeMap<&str, Vec<Op>> = BTreeMap::new();
    for ((table, name), index) in drops {
        let drop = Op::DropIndex(index.clone());
        let name_reused = creates.keys().any(|(t, n)| *n == name && *t != table);
        if !name_reused {
            own_drops.entry(table).or_default().push(drop);
        } else {
            early.push(drop);
        }
    }
    let mut own_creates: BTreeMap<&str, Vec<Op>> = BTreeMap::new();
    for ((table, _), index) in creates {
        let create = Op::CreateIndex(index.clone());
        own_creates.entry(table).or_default().push(create);
    }
    (early, own_drops, own_creates)
}

/// The table-level part of a diff (the middle phase).
struct TableDiff<'a> {
    /// `CreateTable`, `AlterTable` or `DropTable` (of the table without its first-phase
    /// foreign keys) per created, changed or dropped table, by name.
    changed: BTreeMap<&'a str, Op>,
    /// Altered tables that will be rebuilt.
    rebuilt: BTreeSet<&'a str>,
    /// Altered tables whose columns are added, dropped, altered or reordered (adding
    /// counts: the downgrade drops the column again).
    reshaped: BTreeSet<&'a str>,
    /// Names of the dropped tables.
    dropped_names: BTreeSet<&'a str>,
}

impl<'a> TableDiff<'a> {
    fn new(from: &'a Schema, to: &'a Schema, phases: &Phases, dialect: &dyn Dialect) -> Self {
        let mut changed = BTreeMap::new();
        let mut dropped = BTreeSet::new();
        for (name, old) in &from.tables {
            if !to.tables.contains_key(name) {
                dropped.insert(name.as_str());
                changed.insert(
                    name.as_str(),
                    Op::DropTable(phases.before(old).into_owned()),
                );
            }
        }
        let mut rebuilt = BTreeSet::new();
        let mut reshaped = BTreeSet::new();
        for (name, new) in &to.tables {
            let Some(old) = from.tables.get(name) else {
                changed.insert(
                    name.as_str(),
                    Op::CreateTable(phases.after(new).into_owned()),
                );
                continue;
            };
            let (old, new) = (phases.before(old), phases.after(new));
            let changes = tables::table_changes(&old, &new, dialect);
            if changes.is_empty() {
                continue;
            }
            let in_place = changes.iter().all(|change| {
                dialect.alter_in_place(&old, change)
                    && dialect.alter_in_place(&new, &change.invert())
            });
            if !in_place {
                rebuilt.insert(name.as_str());
            }
            if changes.iter().any(|change| {
                matches!(
                    change,
                    // AddColumn too: the downgrade runs its inverse, a DropColumn.
                    TableChange::AddColumn(_)
                        | TableChange::DropColumn(_)
                        | TableChange::AlterColumn { .. }
                        | TableChange::ReorderColumns { .. }
                )
            }) {
                reshaped.insert(name.as_str());
            }
            changed.insert(
                name.as_str(),
                Op::AlterTable {
                    from: old.into_owned(),
                    to: new.into_owned(),
                    changes,
                },
            );
        }
        TableDiff {
            changed,
            dropped_names: dropped,
            rebuilt,
            reshaped,
        }
    }

    /// Tables whose dependent views must be dropped before and re-created after.
    fn disturbed(&self) -> BTreeSet<&'a str> {
        self.rebuilt
            .iter()
            .chain(&self.reshaped)
            .chain(&self.dropped_names)
            .copied()
            .collect()
    }
}

/// Index drops and creates, keyed by (table, index name): definition changes, indexes
/// of dropped and created tables, and every index of a rebuilt table.
type IndexOps<'a> = (
    BTreeMap<(&'a str, &'a str), &'a Index>,
    BTreeMap<(&'a str, &'a str), &'a Index>,
);

fn index_ops<'a>(
    from: &'a Schema,
    to: &'a Schema,
    rebuilt: &BTreeSet<&str>,
    dialect: &dyn Dialect,
) -> IndexOps<'a> {
    let all = |schema: &'a Schema| -> BTreeMap<(&'a str, &'a str), &'a Index> {
        schema
            .tables
            .iter()
            .flat_map(|(table, t)| {
                t.indexes
                    .iter()
                    .map(move |(name, index)| ((table.as_str(), name.as_str()), index))
            })
            .collect()
    };
    let (old, new) = (all(from), all(to));
    let keep = |key: &(&str, &str), other: &BTreeMap<(&str, &str), &Index>, index: &Index| {
        !rebuilt.contains(key.0)
            && other
                .get(key)
                .is_some_and(|o| tables::same_index(o, index, dialect))
    };
    let drops = old
        .iter()
        .filter(|(key, index)| !keep(key, &new, index))
        .map(|(key, index)| (*key, *index))
        .collect();
    let creates = new
        .iter()
        .filter(|(key, index)| !keep(key, &old, index))
        .map(|(key, index)| (*key, *index))
        .collect();
    (drops, creates)
}

/// The view-level part of a diff, with the indexes of the views (PostgreSQL's
/// materialized views): a dropped view's indexes are dropped right before it and a
/// created view's created right after it (the drop would take them along, but its
/// inverse, a create, would not bring them back); a kept view's changed indexes are
/// dropped in the first phase and created in the last.
struct ViewDiff<'a> {
    /// Views of `from` to drop.
    dropped: BTreeSet<&'a str>,
    /// Views of `to` to create.
    created: BTreeSet<&'a str>,
    /// Indexes of kept views that go.
    index_drops: Vec<&'a Index>,
    /// Indexes of kept views that come.
    index_creates: Vec<&'a Index>,
}

impl<'a> ViewDiff<'a> {
    fn new(
        from: &'a Schema,
        to: &'a Schema,
        disturbed_tables: &BTreeSet<&'a str>,
        dialect: &dyn Dialect,
    ) -> Self {
        let mut dropped: BTreeSet<&str> = from
            .views
            .iter()
            .filter(|(name, view)| {
                !to.views
                    .get(*name)
                    .is_some_and(|new| same_view(view, new, dialect))
            })
            .map(|(name, _)| name.as_str())
            .collect();
        // Views reading a disturbed table or a dropped view, to a fixed point.
        loop {
            let more: Vec<&str> = from
                .views
                .iter()
                .filter(|(name, view)| {
                    !dropped.contains(name.as_str())
                        && view.depends_on.iter().any(|d| {
                            disturbed_tables.contains(d.as_str()) || dropped.contains(d.as_str())
                        })
                })
                .map(|(name, _)| name.as_str())
                .collect();
            if more.is_empty() {
                break;
            }
            dropped.extend(more);
        }
        let created = to
            .views
            .keys()
            .map(String::as_str)
            .filter(|name| !from.views.contains_key(*name) || dropped.contains(name))
            .collect();
        let (mut index_drops, mut index_creates) = (Vec::new(), Vec::new());
        for (name, old) in &from.views {
            // A view not dropped is in `to`, the same.
            let Some(new) = to
                .views
                .get(name)
                .filter(|_| !dropped.contains(name.as_str()))
            else {
                continue;
            };
            let missing = |a: &'a View, b: &'a View| {
                a.indexes.iter().filter(move |(name, index)| {
                    !b.indexes
                        .get(*name)
                        .is_some_and(|other| tables::same_index(index, other, dialect))
                })
            };
            index_drops.extend(missing(old, new).map(|(_, index)| index));
            index_creates.extend(missing(new, old).map(|(_, index)| index));
        }
        ViewDiff {
            dropped,
            created,
            index_drops,
            index_creates,
        }
    }

    /// `DropIndex` ops of kept views, then `DropView` ops, dependents first, each after
    /// the drops of its indexes.
    fn drop_ops(&self, from: &Schema) -> Vec<Op> {
        let mut ops: Vec<Op> = self
            .index_drops
            .iter()
            .map(|i| Op::DropIndex((*i).clone()))
            .collect();
        for view in view_order(&from.views, &self.dropped).into_iter().rev() {
            ops.extend(view.indexes.values().cloned().map(Op::DropIndex));
            ops.push(Op::DropView(view.clone()));
        }
        ops
    }

    /// `CreateView` ops, dependencies first, each before the creates of its indexes,
    /// then `CreateIndex` ops of kept views.
    fn create_ops(&self, to: &Schema) -> Vec<Op> {
        let mut ops = Vec::new();
        for view in view_order(&to.views, &self.created) {
            ops.push(Op::CreateView(view.clone()));
            ops.extend(view.indexes.values().cloned().map(Op::CreateIndex));
        }
        ops.extend(
            self.index_creates
                .iter()
                .map(|i| Op::CreateIndex((*i).clone())),
        );
        ops
    }
}

/// Whether a view needs no re-creating: the same query over the same relations, and the
/// same engine facts (a view that becomes materialized is re-created).
fn same_view(a: &View, b: &View, dialect: &dyn Dialect) -> bool {
    dialect.same_expression(&a.definition, &b.definition)
        && a.depends_on == b.depends_on
        && a.ext == b.ext
}

/// The views named in `names`, dependencies first.
fn view_order<'v>(views: &'v BTreeMap<String, View>, names: &BTreeSet<&str>) -> Vec<&'v View> {
    let deps = names
        .iter()
        .map(|name| {
            let view = &views[*name];
            (name.to_string(), view.depends_on.iter().cloned().collect())
        })
        .collect();
    order::dependencies_first(&deps)
        .iter()
        .map(|name| &views[name])
        .collect()
}

/// Trigger drops and creates by name: definition or table changes, and the triggers of
/// rebuilt tables and re-created views.
type TriggerOps<'a> = (
    BTreeMap<&'a str, &'a Trigger>,
    BTreeMap<&'a str, &'a Trigger>,
);

fn trigger_ops<'a>(
    from: &'a Schema,
    to: &'a Schema,
    rebuilt: &BTreeSet<&str>,
    dropped_views: &BTreeSet<&str>,
    dialect: &dyn Dialect,
) -> TriggerOps<'a> {
    let recreated = |t: &Trigger| {
        rebuilt.contains(t.table_key().as_str()) || dropped_views.contains(t.table_key().as_str())
    };
    let same = |a: &Trigger, b: &Trigger| {
        a.table_key() == b.table_key() && dialect.same_expression(&a.definition, &b.definition)
    };
    let keep = |name: &String, trigger: &Trigger, other: &'a BTreeMap<String, Trigger>| {
        !recreated(trigger) && other.get(name).is_some_and(|o| same(o, trigger))
    };
    let drops = from
        .triggers
        .iter()
        .filter(|(name, t)| !keep(name, t, &to.triggers))
        .map(|(name, t)| (name.as_str(), t))
        .collect();
    let creates = to
        .triggers
        .iter()
        .filter(|(name, t)| !keep(name, t, &from.triggers))
        .map(|(name, t)| (name.as_str(), t))
        .collect();
    (drops, creates)
}
