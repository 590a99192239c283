//! Comparison of one table present in both schemas, and of one index: what changed, as
//! `TableChange`s in the order an engine can apply them.

use super::op::TableChange;
use crate::dialect::Dialect;
use crate::schema::{Check, ForeignKey, Index, IndexKey, PrimaryKey, Table, Unique};
use std::collections::BTreeMap;

/// The changes turning table `from` into table `to` (indexes excluded), in this order:
///
/// 1. drop checks, drop foreign keys, drop uniques, drop the primary key (when it goes or
///    changes): constraints go before the columns they may name;
/// 2. drop columns, alter columns, add columns;
/// 3. reorder columns (when the order differs from drop-then-append);
/// 4. set the primary key (when it comes or changes), add uniques, add foreign keys, add
///    checks: constraints come after the columns they name;
/// 5. set options (table options or comment).
///
/// A changed primary key is two changes, `SetPrimaryKey { from: old, to: None }` in step 1
/// and `SetPrimaryKey { from: None, to: new }` in step 4, so that a key over a dropped
/// column is gone before the column and a key over an added column comes after it.
/// Drops follow `from`'s order, alters and adds `to`'s.
///
/// Uniques and foreign keys match when every field, name included, is equal; checks when
/// the normalized expression and the name are: a renamed constraint (or one named on one
/// side only) is dropped and added, so names end up as `to` gives them.
pub fn table_changes(from: &Table, to: &Table, dialect: &dyn Dialect) -> Vec<TableChange> {
    let (drop_checks, add_checks) = unmatched(&from.checks, &to.checks, |c| check_key(c, dialect));
    let (drop_fks, add_fks) = unmatched(&from.foreign_keys, &to.foreign_keys, ForeignKey::clone);
    let (drop_uniques, add_uniques) = unmatched(&from.uniques, &to.uniques, Unique::clone);
    let pk_changed = from.primary_key != to.primary_key;

    let mut changes = Vec::new();
    changes.extend(drop_checks.into_iter().cloned().map(TableChange::DropCheck));
    changes.extend(
        drop_fks
            .into_iter()
            .cloned()
            .map(TableChange::DropForeignKey),
    );
    changes.extend(
        drop_uniques
            .into_iter()
            .cloned()
            .map(TableChange::DropUnique),
    );
    if pk_changed && from.primary_key.is_some() {
        changes.push(set_primary_key(from.primary_key.clone(), None));
    }
    changes.extend(column_changes(from, to, dialect));
    if pk_changed && to.primary_key.is_some() {
        changes.push(set_primary_key(None, to.primary_key.clone()));
    }
    changes.extend(add_uniques.into_iter().cloned().map(TableChange::AddUnique));
    changes.extend(add_fks.into_iter().cloned().map(TableChange::AddForeignKey));
    changes.extend(add_checks.into_iter().cloned().map(TableChange::AddCheck));
    if from.ext != to.ext || from.comment != to.comment {
        changes.push(TableChange::SetOptions);
    }
    changes
}

fn set_primary_key(from: Option<PrimaryKey>, to: Option<PrimaryKey>) -> TableChange {
    TableChange::SetPrimaryKey { from, to }
}

/// Column drops, alters, adds and the reorder, matched by name.
fn column_changes(from: &Table, to: &Table, dialect: &dyn Dialect) -> Vec<TableChange> {
    let mut changes: Vec<TableChange> = from
        .columns
        .iter()
        .filter(|c| to.column(&c.name).is_none())
        .cloned()
        .map(TableChange::DropColumn)
        .collect();
    for column in &to.columns {
        if let Some(old) = from.column(&column.name) {
            changes.extend(TableChange::alter_column(old, column, dialect));
        }
    }
    let added = to.columns.iter().filter(|c| from.column(&c.name).is_none());
    changes.extend(added.clone().cloned().map(TableChange::AddColumn));

    // Both directions must be reachable by dropping columns and appending the new ones:
    // the downgrade runs the inverse, which re-adds dropped columns at the end. An engine
    // that can only append leaves the order as appending gives it.
    let reorders = dialect.caps().reorders_columns;
    if reorders && (!reachable_by_append(from, to) || !reachable_by_append(to, from)) {
        changes.push(TableChange::ReorderColumns {
            from: from.columns.iter().map(|c| c.name.clone()).collect(),
            to: to.columns.iter().map(|c| c.name.clone()).collect(),
        });
    }
    changes
}

/// Whether dropping `from`'s columns missing in `to` and appending `to`'s new columns
/// gives exactly `to`'s column order.
fn reachable_by_append(from: &Table, to: &Table) -> bool {
    let kept = from.columns.iter().filter(|c| to.column(&c.name).is_some());
    let added = to.columns.iter().filter(|c| from.column(&c.name).is_none());
    kept.chain(added)
        .map(|c| c.name.as_str())
        .eq(to.columns.iter().map(|c| c.name.as_str()))
}

/// Whether two indexes of the same name are the same index, by the dialect's equivalences:
/// the same key ([`same_key`]) and the same engine facts (PostgreSQL's access method,
/// `INCLUDE` columns, operator classes, NULLS placement; MySQL's kind, prefix lengths,
/// comment, `IGNORED`), which both sides read from the same engine.
pub fn same_index(a: &Index, b: &Index, dialect: &dyn Dialect) -> bool {
    same_key(a, b, dialect) && a.ext == b.ext
}

/// Whether two indexes of the same name have the same table, uniqueness, key parts and
/// predicate (what decides which rows they accept), whatever their engine facts.
pub fn same_key(a: &Index, b: &Index, dialect: &dyn Dialect) -> bool {
    let parts = |i: &Index| -> Vec<(bool, String, bool, Option<String>)> {
        i.parts
            .iter()
            .map(|p| {
                let (is_expr, text) = match &p.key {
                    IndexKey::Column(c) => (false, c.clone()),
                    IndexKey::Expression(e) => (true, dialect.normalize_expression(e)),
                };
                let collation = p.collation.as_ref().map(|c| c.to_ascii_lowercase());
                (is_expr, text, p.descending, collation)
            })
            .collect()
    };
    let predicate = |i: &Index| {
        i.predicate
            .as_ref()
            .map(|p| dialect.normalize_expression(p))
    };
    a.name == b.name
        && a.table_key() == b.table_key()
        && a.unique == b.unique
        && parts(a) == parts(b)
        && predicate(a) == predicate(b)
}

type CheckKey = (String, Option<String>);

fn check_key(c: &Check, dialect: &dyn Dialect) -> CheckKey {
    (dialect.normalize_expression(&c.expression), c.name.clone())
}

/// The items of `a` without a match in `b` and those of `b` without a match in `a`,
/// each in its own order, matching equal keys one to one (duplicates count).
pub(super) fn unmatched<'a, T, K: Ord>(
    a: &'a [T],
    b: &'a [T],
    key: impl Fn(&T) -> K,
) -> (Vec<&'a T>, Vec<&'a T>) {
    let mut counts: BTreeMap<K, isize> = BTreeMap::new();
    for item in b {
        *counts.entry(key(item)).or_default() += 1;
    }
    let mut only_a = Vec::new();
    for item in a {
        match counts.get_mut(&key(item)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => only_a.push(item),
        }
    }
    // What is left in `counts` is unmatched in `b`; equal keys are interchangeable, so
    // report the last occurrences.
    let mut only_b = Vec::new();
    for item in b.iter().rev() {
        if let Some(n) = counts.get_mut(&key(item)) {
            if *n > 0 {
                *n -= 1;
                only_b.push(item);
            }
        }
    }
    only_b.reverse();
    (only_a, only_b)
}
