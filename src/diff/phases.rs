//! Foreign keys in phases: which foreign keys are dropped first, before any key or index
//! they depend on goes, and which are added last, once every table, key and index exists.
//! PostgreSQL refuses to drop a unique constraint or index a foreign key references, and
//! MySQL to drop an index a foreign key needs (error 1553); a key added before what it
//! references exists fails on both.
//!
//! A foreign key is phased when the dialect can drop or add it in place
//! (`Dialect::alter_in_place`). Where it cannot (SQLite, whose foreign keys live inside
//! `CREATE TABLE`), it stays a change of its table's rebuild: such engines check no
//! foreign-key dependency while altering, and `change_order` runs the tables so that a
//! rebuilt table's `PRAGMA foreign_key_check` finds the keys it references.
//!
//! Phased, per table: the first phase drops the foreign keys that go away and the kept
//! ones whose referenced key changes; the last phase adds the new foreign keys and those
//! kept ones again. A created table keeps in its `CREATE TABLE` the keys to other tables
//! that come before it in `change_order` (whose keys exist by then); the others (cycles,
//! self references) come last. Likewise a dropped table's keys are dropped first only
//! where its inverse could not keep them in its `CREATE TABLE`. The tables of the middle
//! phase are the live ones without the first phase's keys and the desired ones without
//! the last phase's.

use super::delta::{ColumnDelta, ColumnPart};
use super::op::{Op, TableChange};
use super::order;
use super::tables::{same_index, unmatched};
use crate::dialect::Dialect;
use crate::schema::{ForeignKey, Schema, Table};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// The phased foreign keys of a diff, by table name.
pub struct Phases<'a> {
    /// Keys of `from`'s tables dropped in the first phase.
    first: BTreeMap<&'a str, Vec<&'a ForeignKey>>,
    /// Keys of `to`'s tables added in the last phase.
    last: BTreeMap<&'a str, Vec<&'a ForeignKey>>,
}

impl<'a> Phases<'a> {
    /// The phased foreign keys turning `from` into `to`, the tables changing in `order`
    /// (`change_order`).
    pub fn new(from: &'a Schema, to: &'a Schema, dialect: &dyn Dialect, order: &[&str]) -> Self {
        let at: BTreeMap<&str, usize> = order.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let diff = (from, to, dialect);
        // A created table's key can stay in its CREATE TABLE when the referenced table
        // comes earlier; a dropped table's, when the inverse re-creates the referenced
        // one earlier (it comes later in this order).
        let created = |child: &str, parent: &str| before(&at, parent, child);
        let dropped = |child: &str, parent: &str| before(&at, child, parent);
        Phases {
            first: moved(from, to, diff, TableChange::DropForeignKey, &dropped),
            last: moved(to, from, diff, TableChange::AddForeignKey, &created),
        }
    }

    /// Live table `table` as the middle phase finds it: without its first-phase keys.
    pub fn before<'t>(&self, table: &'t Table) -> Cow<'t, Table> {
        without(table, self.first.get(table.key().as_str()))
    }

    /// Desired table `table` as the middle phase leaves it: without its last-phase keys.
    pub fn after<'t>(&self, table: &'t Table) -> Cow<'t, Table> {
        without(table, self.last.get(table.key().as_str()))
    }

    /// The first phase: one `AlterTable` per table dropping its keys, by table name.
    pub fn drop_ops(&self, from: &Schema) -> Vec<Op> {
        let op = |table: &Table, keys: &[&ForeignKey]| {
            let changes = keys
                .iter()
                .map(|fk| TableChange::DropForeignKey((*fk).clone()));
            (
                table.clone(),
                self.before(table).into_owned(),
                changes.collect(),
            )
        };
        alter_ops(&self.first, from, op)
    }

    /// The last phase: one `AlterTable` per table adding its keys, by table name.
    pub fn add_ops(&self, to: &Schema) -> Vec<Op> {
        let op = |table: &Table, keys: &[&ForeignKey]| {
            let changes = keys
                .iter()
                .map(|fk| TableChange::AddForeignKey((*fk).clone()));
            (
                self.after(table).into_owned(),
                table.clone(),
                changes.collect(),
            )
        };
        alter_ops(&self.last, to, op)
    }
}

/// One `AlterTable` per table of `keys`, by name, `op` giving its (from, to, changes).
fn alter_ops(
    keys: &BTreeMap<&str, Vec<&ForeignKey>>,
    schema: &Schema,
    op: impl Fn(&Table, &[&ForeignKey]) -> (Table, Table, Vec<TableChange>),
) -> Vec<Op> {
    keys.iter()
        .map(|(name, keys)| {
            let (from, to, changes) = op(&schema.tables[*name], keys);
            Op::AlterTable { from, to, changes }
        })
        .collect()
}

/// The keys of each table of `side` that go to their phase (`change` makes one: the drop
/// for `from`'s side, the add for `to`'s): every key of a table `other` lacks, else the
/// keys `other`'s table lacks and the kept ones that lose a dependency; of those, the
/// ones the dialect changes in place. Each table's keys sorted.
fn moved<'a>(
    side: &'a Schema,
    other: &'a Schema,
    (from, to, dialect): (&Schema, &Schema, &dyn Dialect),
    change: fn(ForeignKey) -> TableChange,
    inline: &dyn Fn(&str, &str) -> bool,
) -> BTreeMap<&'a str, Vec<&'a ForeignKey>> {
    let mut phased = BTreeMap::new();
    for (name, table) in &side.tables {
        let in_place = |fk: &&ForeignKey| dialect.alter_in_place(table, &change((*fk).clone()));
        // In the table's own CREATE TABLE (or, for a dropped table, its inverse's); not a
        // self reference, which may depend on an index dropped before the table goes.
        let own = |fk: &&ForeignKey| fk.ref_key() != *name && inline(name, &fk.ref_key());
        let mut keys: Vec<&ForeignKey> = match other.tables.get(name) {
            None => {
                let keys = table.foreign_keys.iter().filter(in_place);
                keys.filter(|fk| !own(fk)).collect()
            }
            Some(counterpart) => {
                let (only_here, _) =
                    unmatched(&table.foreign_keys, &counterpart.foreign_keys, Clone::clone);
                let kept = kept_keys(table, counterpart)
                    .into_iter()
                    .filter(in_place)
                    .filter(|fk| loses_a_dependency(fk, name, from, to, dialect));
                only_here.into_iter().filter(in_place).chain(kept).collect()
            }
        };
        keys.sort();
        if !keys.is_empty() {
            phased.insert(name.as_str(), keys);
        }
    }
    phased
}

/// Whether `first` comes before `then` in the change order (both in it).
fn before(at: &BTreeMap<&str, usize>, first: &str, then: &str) -> bool {
    matches!((at.get(first), at.get(then)), (Some(a), Some(b)) if a < b)
}

/// The foreign keys of `table` that `other` (the same table on the other side) has too.
fn kept_keys<'t>(table: &'t Table, other: &Table) -> Vec<&'t ForeignKey> {
    let (gone, _) = unmatched(&table.foreign_keys, &other.foreign_keys, Clone::clone);
    // `gone` borrows from `table`: identity, not equality, tells duplicates apart.
    table
        .foreign_keys
        .iter()
        .filter(|fk| !gone.iter().any(|g| std::ptr::eq(*g, *fk)))
        .collect()
}

/// `table` without `keys` (one occurrence each); borrowed when there are none.
fn without<'t>(table: &'t Table, keys: Option<&Vec<&ForeignKey>>) -> Cow<'t, Table> {
    let Some(keys) = keys else {
        return Cow::Borrowed(table);
    };
    let mut table = table.clone();
    for fk in keys {
        if let Some(at) = table.foreign_keys.iter().position(|k| k == *fk) {
            table.foreign_keys.remove(at);
        }
    }
    Cow::Owned(table)
}

/// Whether something kept foreign key `fk` of table `child` depends on is dropped or
/// changed by the diff (in either direction, as the downgrade runs the inverse): the
/// referenced primary key, unique constraint or unique index; with
/// `Caps::foreign_key_indexes`, also any index, on either side, whose leading columns are
/// the key's; and the type of a column on either side.
fn loses_a_dependency(
    fk: &ForeignKey,
    child: &str,
    from: &Schema,
    to: &Schema,
    dialect: &dyn Dialect,
) -> bool {
    let (Some(parent_old), Some(parent_new)) =
        (from.tables.get(&fk.ref_key()), to.tables.get(&fk.ref_key()))
    else {
        return false; // a referenced table added or dropped: the key changes anyway
    };
    let (Some(child_old), Some(child_new)) = (from.tables.get(child), to.tables.get(child)) else {
        return false;
    };
    let indexes_needed = dialect.caps().foreign_key_indexes;
    let ref_columns = referenced_columns(fk, parent_old);
    let referenced = |columns: &[String], unique: bool| {
        (unique && same_set(columns, &ref_columns))
            || (indexes_needed && columns.starts_with(&ref_columns))
    };
    let on_child = |columns: &[String]| indexes_needed && columns.starts_with(&fk.columns);
    let typed = |old: &Table, new: &Table, columns: &[String]| {
        columns
            .iter()
            .any(|c| match (old.column(c), new.column(c)) {
                (Some(a), Some(b)) => ColumnDelta::between(a, b, dialect).has(ColumnPart::Type),
                _ => false,
            })
    };
    dropped_keys(parent_old, parent_new, dialect)
        .iter()
        .any(|(columns, unique)| referenced(columns, *unique))
        || dropped_keys(parent_new, parent_old, dialect)
            .iter()
            .any(|(columns, unique)| referenced(columns, *unique))
        || dropped_keys(child_old, child_new, dialect)
            .iter()
            .chain(&dropped_keys(child_new, child_old, dialect))
            .any(|(columns, _)| on_child(columns))
        || typed(parent_old, parent_new, &ref_columns)
        || typed(child_old, child_new, &fk.columns)
}

/// The keys and indexes of `old` that `new` does not keep, each as (leading plain
/// columns, unique): a changed primary key, unmatched uniques, changed indexes.
fn dropped_keys(old: &Table, new: &Table, dialect: &dyn Dialect) -> Vec<(Vec<String>, bool)> {
    let mut keys = Vec::new();
    if let Some(pk) = old
        .primary_key
        .as_ref()
        .filter(|_| old.primary_key != new.primary_key)
    {
        keys.push((pk.columns.clone(), true));
    }
    let (uniques, _) = unmatched(&old.uniques, &new.uniques, Clone::clone);
    keys.extend(uniques.into_iter().map(|u| (u.columns.clone(), true)));
    for (name, index) in &old.indexes {
        if new
            .indexes
            .get(name)
            .is_some_and(|n| same_index(index, n, dialect))
        {
            continue;
        }
        keys.push((index.leading_columns(), index.is_column_key()));
    }
    keys
}

/// The keys of the tables of `to` and of the tables dropped from `from`, in the order
/// their changes (with their index drops and creates) run: a table after a table that
/// creates a key its foreign keys reference, and before a table that drops a key its
/// dropped foreign keys referenced (a dropped table drops all its keys; a table needing
/// both stays after), so that each foreign key finds its key whenever its table changes,
/// and the inverse, reversed, too. Otherwise, and in cycles, by name. SQLite checks a
/// rebuilt table's foreign keys (`PRAGMA foreign_key_check`) and fails on one whose key
/// is missing.
pub fn change_order<'a>(from: &'a Schema, to: &'a Schema, dialect: &dyn Dialect) -> Vec<&'a str> {
    let names = to.tables.keys().chain(from.tables.keys());
    let mut deps: BTreeMap<String, BTreeSet<String>> =
        names.map(|n| (n.clone(), BTreeSet::new())).collect();
    // Whether `keys` (dropped from `parent` one way or the other) hold the one `fk` needs.
    let needs = |fk: &ForeignKey, parent: &Table, other: Option<&Table>| match other {
        None => true,
        Some(other) => {
            let columns = referenced_columns(fk, parent);
            let keys = dropped_keys(parent, other, dialect);
            keys.iter()
                .any(|(key, unique)| *unique && same_set(key, &columns))
        }
    };
    for (name, new) in &to.tables {
        for fk in &new.foreign_keys {
            let Some(parent) = to.tables.get(&fk.ref_key()) else {
                continue;
            };
            if needs(fk, parent, from.tables.get(&fk.ref_key())) {
                let on = deps.entry(name.clone()).or_default();
                on.insert(fk.ref_key());
            }
        }
    }
    for (name, old) in &from.tables {
        let gone: Vec<&ForeignKey> = match to.tables.get(name) {
            Some(new) => unmatched(&old.foreign_keys, &new.foreign_keys, Clone::clone).0,
            // A dropped table's keys are never checked again: it only goes before the
            // dropped tables it references, so none is dropped while referenced.
            None => {
                let dropped = |fk: &&ForeignKey| !to.tables.contains_key(&fk.ref_key());
                old.foreign_keys.iter().filter(dropped).collect()
            }
        };
        for fk in gone {
            let Some(parent) = from.tables.get(&fk.ref_key()) else {
                continue;
            };
            // A table that must also come after (a new key of it needs a new key there)
            // stays after: with keys inside the table (one rebuild) the upgrade wins.
            let after = deps.get(name).is_some_and(|on| on.contains(&fk.ref_key()));
            if !after && needs(fk, parent, to.tables.get(&fk.ref_key())) {
                let on = deps.entry(fk.ref_key()).or_default();
                on.insert(name.clone());
            }
        }
    }
    let order = order::dependencies_first(&deps);
    order
        .iter()
        .filter_map(|name| {
            let table = to.tables.get_key_value(name);
            table
                .or_else(|| from.tables.get_key_value(name))
                .map(|(key, _)| key.as_str())
        })
        .collect()
}

/// The columns `fk` references in `parent`: its own list, or the primary key's.
fn referenced_columns(fk: &ForeignKey, parent: &Table) -> Vec<String> {
    if fk.ref_columns.is_empty() {
        let pk = parent.primary_key.as_ref();
        pk.map(|pk| pk.columns.clone()).unwrap_or_default()
    } else {
        fk.ref_columns.clone()
    }
}

/// Whether two column lists hold the same names, in any order.
fn same_set(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    !a.is_empty() && a == b
}
