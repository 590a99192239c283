//! Renames the desired schema's hints ask for (`-- migrate:renamed-from OLD`, read by
//! `sql::hints`): resolved against both schemas, then applied to the live one as rename
//! ops, so that the ordinary diff of the renamed live schema against the desired one
//! sees the same table and column under one name, and changes only what else differs.
//!
//! Resolution, per hint (a table's hints first):
//! - the desired schema lacks the object (left out by a filter): ignored;
//! - the live schema has the new name already and no other hint renames that object
//!   away (the hint was applied): ignored, the hint is stale and harmless;
//! - the live schema has the old name: a rename (the desired schema may define the old
//!   name again: it is created after the rename). In a chain (`b` from `a`, `c` from
//!   `b`) the last link is renamed first; a cycle (a swap: `b` from `a`, `a` from `b`)
//!   looks the same before and after it ran, and is renamed when the live objects fit
//!   the desired ones better renamed than kept (columns: definition and place; tables:
//!   columns), one name going aside to a temporary name no object has;
//! - neither: an error naming the hint's file and line, as is a second hint renaming
//!   the same old name.
//!
//! Applying a rename changes, in the live model, what the engine changes along with it:
//! references in keys, foreign keys of other tables, indexes and expressions; constraint
//! and index names stay, as they do in the engines. Then a constraint or index of a
//! renamed table or column whose name differs from the desired one's and nothing else
//! (PostgreSQL's `old_pkey` against `new_pkey`, MySQL's index `a` named after its
//! column) is renamed too where the dialect can (`Caps::renames_constraints`,
//! `Caps::renames_indexes`); elsewhere the diff drops and adds it.
//!
//! Views reading a touched table, and triggers on it or on those views, are dropped
//! before the renames (the ops run first, on the live names) and created by the diff
//! afterwards as the desired schema has them: a view's text names the old names, and
//! the downgrade must re-create the old view only once the old names are back.

use super::op::{KeyKind, Op, TableChange};
use super::tables::same_index;
use crate::dialect::Dialect;
use crate::schema::{self, Check, IndexKey, Schema, Table, Uncompared};
use crate::sql::hints::{Name, RenameHint};
use crate::sql::ident;
use anyhow::{bail, Result};
use std::collections::{BTreeMap, BTreeSet};

/// The renames resolved from the hints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Renames {
    /// Renamed tables: the live key to the desired key (same namespace).
    pub tables: BTreeMap<String, String>,
    /// Renamed columns by the key of their table once the tables are renamed (the
    /// desired key of a renamed table, else the live key): (old name, new name), in the
    /// order of the hints.
    pub columns: BTreeMap<String, Vec<(String, String)>>,
}

impl Renames {
    /// Whether there is nothing to rename.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.columns.is_empty()
    }

    /// The live key of the table keyed `key` once the tables are renamed.
    fn live_key<'a>(&'a self, key: &'a str) -> &'a str {
        self.tables
            .iter()
            .find(|(_, new)| *new == key)
            .map_or(key, |(old, _)| old.as_str())
    }
}

/// The renames `hints` ask of live schema `from` to reach desired schema `to` (see the
/// module documentation); an error for a hint whose old name the live schema lacks.
pub fn resolve(
    from: &Schema,
    to: &Schema,
    hints: &[RenameHint],
    dialect: &dyn Dialect,
) -> Result<Renames> {
    // Whether two names are one object's (SQLite's names are case-insensitive).
    let same = |a: &str, b: &str| dialect.fold_identifier(a) == dialect.fold_identifier(b);
    let live_table = |desired: &Table| {
        from.tables
            .values()
            .find(|t| t.namespace == desired.namespace && same(&t.name, &desired.name))
    };
    let mut renames = Renames::default();
    // The table renames asked for: (hint, old key, new key, the live key of the table
    // named like the new one).
    let mut tables: Vec<Candidate<'_>> = Vec::new();
    for hint in hints.iter().filter(|h| h.column.is_none()) {
        let Some(desired) = find_table(to, hint) else {
            continue;
        };
        let present_table = live_table(desired);
        let present = present_table.map(Table::key);
        let old = from
            .tables
            .values()
            .find(|t| t.namespace == desired.namespace && hint.old.matches(&t.name));
        let Some(old) = old else {
            if present.is_some() {
                continue;
            }
            bail!(
                "{}: table {} is renamed from {}, but the database has no table of either name",
                hint.place(),
                desired.display_name(),
                hint.old.text
            );
        };
        if present.as_deref() == Some(old.key().as_str()) {
            continue;
        }
        tables.push(Candidate {
            hint,
            what: format!(
                "table {} is renamed from {}",
                desired.display_name(),
                old.name
            ),
            old: old.key(),
            new: desired.key(),
            present,
            fits: Fits {
                kept: present_table.map_or(0, |t| u32::from(t.columns == desired.columns)),
                renamed: u32::from(old.columns == desired.columns),
            },
        });
    }
    for candidate in vacated(tables) {
        if let Some(other) = renames.tables.insert(candidate.old.clone(), candidate.new) {
            bail!(
                "{}: {}, and so is table {}",
                candidate.hint.place(),
                candidate.what,
                schema::split_key(&other).1
            );
        }
    }
    // The column renames asked for, by the key of their table once renamed.
    let mut columns: BTreeMap<String, Vec<Candidate<'_>>> = BTreeMap::new();
    for hint in hints {
        let (Some(column), Some(desired)) = (&hint.column, find_table(to, hint)) else {
            continue;
        };
        let Some(new) = desired.columns.iter().find(|c| column.matches(&c.name)) else {
            continue;
        };
        let what = format!(
            "column {}.{} is renamed from {}",
            desired.display_name(),
            new.name,
            hint.old.text
        );
        // The table as the renames leave it: renamed to the desired key, or under its
        // live key.
        let renamed = renames
            .tables
            .iter()
            .find(|(_, new)| **new == desired.key());
        let live = match renamed {
            Some((old, new)) => from.tables.get(old).map(|t| (t, new.clone())),
            None => live_table(desired).map(|t| (t, t.key())),
        };
        let Some((live, key)) = live else {
            bail!(
                "{}: {what}, but the database has no table {}",
                hint.place(),
                desired.display_name()
            );
        };
        let present_column = live.columns.iter().find(|c| same(&c.name, &new.name));
        let present = present_column.map(|c| c.name.clone());
        let Some(old) = live.columns.iter().find(|c| hint.old.matches(&c.name)) else {
            if present.is_some() {
                continue;
            }
            bail!(
                "{}: {what}, but table {} in the database has no column of either name",
                hint.place(),
                live.display_name()
            );
        };
        if present.as_deref() == Some(old.name.as_str()) {
            continue;
        }
        columns.entry(key).or_default().push(Candidate {
            hint,
            what,
            old: old.name.clone(),
            new: new.name.clone(),
            present,
            fits: Fits {
                kept: present_column.map_or(0, |c| fit(live, c, desired, new)),
                renamed: fit(live, old, desired, new),
            },
        });
    }
    for (key, candidates) in columns {
        for candidate in vacated(candidates) {
            let columns = renames.columns.entry(key.clone()).or_default();
            if let Some((_, other)) = columns.iter().find(|(from, _)| *from == candidate.old) {
                bail!(
                    "{}: {}, and so is column {other}",
                    candidate.hint.place(),
                    candidate.what
                );
            }
            columns.push((candidate.old, candidate.new));
        }
    }
    Ok(renames)
}

/// A rename a hint asks for, before the hints whose new name the live schema has are
/// told apart: `old` and `new` are keys of tables or names of columns of one table;
/// `present` is the live one named like `new`, if any.
struct Candidate<'a> {
    hint: &'a RenameHint,
    /// "column t.b is renamed from a", for messages.
    what: String,
    old: String,
    new: String,
    present: Option<String>,
    fits: Fits,
}

/// How well a live object fits the desired one a hint names: `kept` for the live one
/// of the same name (the hint applied already), `renamed` for the one of the hint's old
/// name; for a column, a point for the same definition and one for the same position.
#[derive(Clone, Copy, Debug)]
struct Fits {
    kept: u32,
    renamed: u32,
}

/// How well live column `column` of `live` fits desired column `want` of `desired`.
fn fit(live: &Table, column: &schema::Column, desired: &Table, want: &schema::Column) -> u32 {
    let position = |table: &Table, name: &str| table.columns.iter().position(|c| c.name == name);
    let mut renamed = column.clone();
    renamed.name.clone_from(&want.name);
    u32::from(renamed == *want)
        + u32::from(position(live, &column.name) == position(desired, &want.name))
}

/// The candidates that are renames. One whose new name the live schema lacks is; one
/// whose new name the live schema has is when another one renames that live object away
/// (a chain: `a` to `b` and `b` to `c`); otherwise its hint was applied already and is
/// ignored. The renames of a cycle (a swap: `a` to `b` and `b` to `a`) look the same
/// before and after they ran: they are renames when the live objects fit the desired
/// ones better renamed than kept (`Fits`).
fn vacated(candidates: Vec<Candidate<'_>>) -> Vec<Candidate<'_>> {
    // Those whose new name is free, or freed by a rename, until none is added.
    let mut renames: BTreeSet<usize> = BTreeSet::new();
    loop {
        let olds: BTreeSet<&str> = renames
            .iter()
            .map(|&i| candidates[i].old.as_str())
            .collect();
        let more: Vec<usize> = (0..candidates.len())
            .filter(|i| !renames.contains(i))
            .filter(|&i| {
                candidates[i]
                    .present
                    .as_deref()
                    .is_none_or(|p| olds.contains(p))
            })
            .collect();
        if more.is_empty() {
            break;
        }
        renames.extend(more);
    }
    // The rest are cycles, or chains that end in a name the live schema keeps.
    let mut seen: BTreeSet<usize> = renames.clone();
    for start in 0..candidates.len() {
        if seen.contains(&start) {
            continue;
        }
        let mut path = vec![start];
        seen.insert(start);
        let mut at = start;
        let cycle = loop {
            let present = candidates[at].present.as_deref();
            let next = (0..candidates.len()).find(|&j| Some(candidates[j].old.as_str()) == present);
            match next {
                Some(j) if j == start => break true,
                Some(j) if !seen.contains(&j) => {
                    seen.insert(j);
                    path.push(j);
                    at = j;
                }
                _ => break false,
            }
        };
        let (kept, renamed) = path.iter().fold((0, 0), |(k, r), &i| {
            (k + candidates[i].fits.kept, r + candidates[i].fits.renamed)
        });
        if cycle && renamed > kept {
            renames.extend(path);
        }
    }
    candidates
        .into_iter()
        .enumerate()
        .filter(|(i, _)| renames.contains(i))
        .map(|(_, c)| c)
        .collect()
}

/// The desired table a hint is written in.
fn find_table<'a>(schema: &'a Schema, hint: &RenameHint) -> Option<&'a Table> {
    let namespace_matches = |t: &Table| {
        hint.namespace
            .as_ref()
            .is_none_or(|n: &Name| n.matches(&t.namespace))
    };
    schema
        .tables
        .values()
        .find(|t| hint.table.matches(&t.name) && namespace_matches(t))
}

/// The ops performing `renames` on live schema `from` (dependent views and triggers
/// dropped, tables renamed, columns renamed, then the constraints and indexes whose
/// names follow them toward desired schema `to`), and the live schema once they ran.
pub fn apply(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
    dialect: &dyn Dialect,
) -> (Vec<Op>, Schema) {
    let mut schema = from.clone();
    if renames.is_empty() {
        return (Vec::new(), schema);
    }
    let touched: BTreeSet<&str> = renames
        .tables
        .keys()
        .map(String::as_str)
        .chain(renames.columns.keys().map(|key| renames.live_key(key)))
        .collect();
    let mut ops = drop_dependents(&mut schema, &touched);
    let same = |a: &str, b: &str| dialect.fold_identifier(a) == dialect.fold_identifier(b);
    let tables: Vec<(String, String)> = renames
        .tables
        .iter()
        .map(|(old, new)| (old.clone(), new.clone()))
        .collect();
    let mut taken: BTreeSet<String> = relation_names(from)
        .chain(relation_names(to))
        .map(|key| dialect.fold_identifier(&key))
        .collect();
    let table_steps = steps(&tables, same, |old| {
        let (namespace, _) = schema::split_key(old);
        let name = temporary(|name| {
            let folded = dialect.fold_identifier(&schema::key(namespace, name));
            !taken.contains(&folded)
        });
        taken.insert(dialect.fold_identifier(&schema::key(namespace, &name)));
        schema::key(namespace, &name)
    });
    for (old_key, new_key) in &table_steps {
        let table = schema
            .tables
            .remove(old_key)
            .expect("a resolved table rename names a live table");
        let renamed = rename_table(&mut schema, &table, new_key, dialect);
        ops.push(Op::RenameTable {
            from: table,
            to: renamed,
        });
    }
    for (key, columns) in &renames.columns {
        // A chain or a swap renames one column at a time, in an order that never takes
        // a name still in use, a cycle through a temporary name; each rename is an ALTER
        // TABLE of its own, as the later ones name the earlier ones' results.
        let chained = columns
            .iter()
            .any(|(_, new)| columns.iter().any(|(old, _)| same(old, new)));
        let groups: Vec<Vec<(String, String)>> = if chained {
            let mut names: BTreeSet<String> = [&schema.tables[key]]
                .into_iter()
                .chain(to.tables.get(key))
                .flat_map(|t| t.columns.iter().map(|c| dialect.fold_identifier(&c.name)))
                .collect();
            let column_steps = steps(columns, same, |_| {
                let name = temporary(|name| !names.contains(&dialect.fold_identifier(name)));
                names.insert(dialect.fold_identifier(&name));
                name
            });
            column_steps.into_iter().map(|step| vec![step]).collect()
        } else {
            vec![columns.clone()]
        };
        for group in groups {
            let before = schema.tables[key].clone();
            let changes = group
                .iter()
                .map(|(old, new)| {
                    let column = schema.tables[key]
                        .column(old)
                        .expect("a resolved column is live")
                        .clone();
                    rename_column(&mut schema, key, old, new, dialect);
                    let renamed = schema.tables[key]
                        .column(new)
                        .expect("just renamed")
                        .clone();
                    TableChange::RenameColumn {
                        from: column,
                        to: renamed,
                    }
                })
                .collect();
            ops.push(Op::AlterTable {
                from: before,
                to: schema.tables[key].clone(),
                changes,
            });
        }
    }
    let keys: BTreeSet<&String> = renames
        .tables
        .values()
        .chain(renames.columns.keys())
        .collect();
    let mut follows = Vec::new();
    for key in keys {
        let (Some(live), Some(desired)) = (schema.tables.get_mut(key), to.tables.get(key)) else {
            continue;
        };
        let before = live.clone();
        let changes = follow_key_names(live, desired, dialect);
        let index_ops = follow_index_names(live, desired, dialect);
        follows.push((before, live.clone(), changes, index_ops));
    }
    ops.extend(follow_ops(follows, from, to, dialect));
    (ops, schema)
}

/// The ops renaming the constraints and indexes that follow their table's or column's
/// name: per table (live before, live after, constraint renames, index renames). Where one
/// takes a name another still has (PostgreSQL's `q_pkey` after a swap of tables `p` and
/// `q`: an index-backed constraint's name and an index's are unique in the namespace,
/// other constraints' in the table), one rename per op, ordered as `steps` orders them.
fn follow_ops(
    follows: Vec<(Table, Table, Vec<TableChange>, Vec<Op>)>,
    from: &Schema,
    to: &Schema,
    dialect: &dyn Dialect,
) -> Vec<Op> {
    // The scope of a name, the name, and where the rename is (table, change or index op).
    let shared = dialect.caps().renames_constraints;
    let scope = |table: &Table, kind: Option<KeyKind>| match kind {
        None | Some(KeyKind::PrimaryKey | KeyKind::Unique) if shared => {
            schema::key(&table.namespace, "")
        }
        _ => table.key(),
    };
    let mut items: Vec<(String, String, String, usize, Option<usize>)> = Vec::new();
    for (t, (_, after, changes, index_ops)) in follows.iter().enumerate() {
        for (c, change) in changes.iter().enumerate() {
            if let TableChange::RenameKey { kind, from, to } = change {
                items.push((
                    scope(after, Some(*kind)),
                    from.clone(),
                    to.clone(),
                    t,
                    Some(c),
                ));
            }
        }
        for op in index_ops {
            if let Op::RenameIndex { from, to } = op {
                items.push((
                    scope(after, None),
                    from.name.clone(),
                    to.name.clone(),
                    t,
                    None,
                ));
            }
        }
    }
    let clash = items.iter().any(|(scope, _, new, ..)| {
        items
            .iter()
            .any(|(other, old, ..)| other == scope && old == new)
    });
    if !clash {
        let mut ops = Vec::new();
        let mut index_ops = Vec::new();
        for (before, after, changes, renames) in follows {
            if !changes.is_empty() {
                ops.push(Op::AlterTable {
                    from: before,
                    to: after,
                    changes,
                });
            }
            index_ops.extend(renames);
        }
        ops.extend(index_ops);
        return ops;
    }
    let whole = |scope: &str, name: &str| format!("{scope}\0{name}");
    let pairs: Vec<(String, String)> = items
        .iter()
        .map(|(scope, old, new, ..)| (whole(scope, old), whole(scope, new)))
        .collect();
    let mut taken: BTreeSet<String> = [from, to]
        .into_iter()
        .flat_map(|s| s.tables.values())
        .flat_map(|t| {
            let keys = t.primary_key.iter().filter_map(|k| k.name.clone());
            let uniques = t.uniques.iter().filter_map(|u| u.name.clone());
            let others = t.foreign_keys.iter().filter_map(|f| f.name.clone());
            let checks = t.checks.iter().filter_map(|c| c.name.clone());
            let indexes = t.indexes.keys().cloned();
            keys.chain(uniques)
                .chain(others)
                .chain(checks)
                .chain(indexes)
                .collect::<Vec<_>>()
        })
        .chain(
            relation_names(from)
                .chain(relation_names(to))
                .map(|k| schema::split_key(&k).1.to_string()),
        )
        .collect();
    let mut temporaries = BTreeSet::new();
    let ordered = steps(
        &pairs,
        |a, b| a == b,
        |old| {
            let scope = old.rsplit_once('\0').map_or("", |(scope, _)| scope);
            let name = temporary(|name| !taken.contains(name));
            taken.insert(name.clone());
            temporaries.insert(whole(scope, &name));
            whole(scope, &name)
        },
    );
    let mut ops = Vec::new();
    for (old, new) in ordered {
        let at = if temporaries.contains(&new) {
            pairs.iter().position(|(from, _)| *from == old)
        } else {
            pairs.iter().position(|(_, to)| *to == new)
        };
        let Some(at) = at else {
            continue;
        };
        let (old, new) = (
            old.rsplit_once('\0')
                .map_or(old.clone(), |(_, n)| n.to_string()),
            new.rsplit_once('\0')
                .map_or(new.clone(), |(_, n)| n.to_string()),
        );
        let (_, _, _, t, c) = &items[at];
        let (before, after, changes, index_ops) = &follows[*t];
        match c {
            Some(c) => {
                let Some(TableChange::RenameKey { kind, .. }) = changes.get(*c) else {
                    continue;
                };
                ops.push(Op::AlterTable {
                    from: before.clone(),
                    to: after.clone(),
                    changes: vec![TableChange::RenameKey {
                        kind: *kind,
                        from: old,
                        to: new,
                    }],
                });
            }
            None => {
                let index = index_ops.iter().find_map(|op| match op {
                    Op::RenameIndex { from, to } if to.name == *items[at].2 => Some(from),
                    _ => None,
                });
                let Some(index) = index else {
                    continue;
                };
                let (mut renamed_from, mut renamed_to) = (index.clone(), index.clone());
                renamed_from.name = old;
                renamed_to.name = new;
                ops.push(Op::RenameIndex {
                    from: renamed_from,
                    to: renamed_to,
                });
            }
        }
    }
    ops
}

/// `renames` (old, new) in an order in which none takes a name still in use: a rename
/// whose new name another one's old name is waits for that one (a chain `a` to `b`, `b`
/// to `c` renames `b` first), and a cycle (a swap) moves one of its names aside to
/// `temporary(old)` first and to its new name last. `same` tells whether two names are
/// one; the renames' order is kept where nothing else decides it.
fn steps(
    renames: &[(String, String)],
    same: impl Fn(&str, &str) -> bool,
    mut temporary: impl FnMut(&str) -> String,
) -> Vec<(String, String)> {
    let mut pending: Vec<(String, String)> = renames.to_vec();
    let mut steps = Vec::new();
    while !pending.is_empty() {
        let free = pending
            .iter()
            .position(|(_, new)| !pending.iter().any(|(old, _)| same(old, new)));
        match free {
            Some(i) => steps.push(pending.remove(i)),
            None => {
                // Every pending new name is a pending old name: a cycle (or several).
                let (old, new) = pending.remove(0);
                let aside = temporary(&old);
                steps.push((old, aside.clone()));
                pending.push((aside, new));
            }
        }
    }
    steps
}

/// The first of `__migrate_rename`, `__migrate_rename_2`, ... that `free` accepts.
fn temporary(free: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| match n {
            1 => "__migrate_rename".to_string(),
            n => format!("__migrate_rename_{n}"),
        })
        .find(|name| free(name))
        .expect("some name is free")
}

/// The keys of the objects of `schema` that share a namespace with tables: tables, views, sequences and indexes (PostgreSQL keeps
/// them all in one catalog).
fn relation_names(schema: &Schema) -> impl Iterator<Item = String> + '_ {
    let indexes = schema.tables.values().flat_map(|t| {
        t.indexes
            .values()
            .map(move |i| schema::key(&t.namespace, &i.name))
    });
    schema
        .tables
        .keys()
        .chain(schema.views.keys())
        .chain(schema.sequences.keys())
        .cloned()
        .chain(indexes)
}

/// Drops (as ops, and from `schema`) the views reading a table of `touched` (live keys),
/// transitively, and the triggers on those tables and views: dependents first, each
/// view after its indexes, as the differ drops views.
fn drop_dependents(schema: &mut Schema, touched: &BTreeSet<&str>) -> Vec<Op> {
    let mut views: BTreeSet<String> = BTreeSet::new();
    loop {
        let more: Vec<String> = schema
            .views
            .iter()
            .filter(|(key, view)| {
                !views.contains(*key)
                    && view
                        .depends_on
                        .iter()
                        .any(|d| touched.contains(d.as_str()) || views.contains(d))
            })
            .map(|(key, _)| key.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        views.extend(more);
    }
    let triggers: Vec<String> = schema
        .triggers
        .iter()
        .filter(|(_, t)| touched.contains(t.table_key().as_str()) || views.contains(&t.table_key()))
        .map(|(key, _)| key.clone())
        .collect();
    let mut ops: Vec<Op> = triggers
        .iter()
        .filter_map(|key| schema.triggers.remove(key))
        .map(Op::DropTrigger)
        .collect();
    let names: BTreeSet<&str> = views.iter().map(String::as_str).collect();
    for view in super::view_order(&schema.views, &names).into_iter().rev() {
        ops.extend(view.indexes.values().cloned().map(Op::DropIndex));
        ops.push(Op::DropView(view.clone()));
    }
    schema.views.retain(|key, _| !views.contains(key));
    ops
}

/// Renames `table` (removed from `schema`) to the table keyed `new_key`, with the
/// constraint names the engine renames along (`Dialect::renamed_with_table`), puts it
/// back, points the foreign keys and sequences that name it at the new name, and returns
/// it.
fn rename_table(schema: &mut Schema, table: &Table, new_key: &str, dialect: &dyn Dialect) -> Table {
    let old_key = table.key();
    let (_, new_name) = schema::split_key(new_key);
    let mut renamed = table.clone();
    renamed.name = new_name.to_string();
    let names = renamed
        .foreign_keys
        .iter_mut()
        .map(|fk| &mut fk.name)
        .chain(renamed.checks.iter_mut().map(|c| &mut c.name));
    for name in names.flatten() {
        if let Some(new) = dialect.renamed_with_table(name, &table.name, new_name) {
            *name = new;
        }
    }
    renamed.checks.sort();
    for index in renamed.indexes.values_mut() {
        index.table = new_name.to_string();
        // The engine's own text of the index names the old table.
        index.definition = None;
    }
    schema.tables.insert(new_key.to_string(), renamed);
    for other in schema.tables.values_mut() {
        for fk in other
            .foreign_keys
            .iter_mut()
            .filter(|f| f.ref_key() == old_key)
        {
            fk.ref_table = new_name.to_string();
            fk.ext.sqlite.written_target = Uncompared(None);
        }
    }
    for sequence in schema.sequences.values_mut() {
        if let Some((owner, _)) = &mut sequence.owned_by {
            if *owner == old_key {
                *owner = new_key.to_string();
            }
        }
    }
    schema.tables[new_key].clone()
}

/// Renames column `old` of the table keyed `key` to `new`, with every reference to it:
/// keys, indexes, expressions of the table, other tables' foreign keys, owned sequences.
fn rename_column(schema: &mut Schema, key: &str, old: &str, new: &str, dialect: &dyn Dialect) {
    let quote = |name: &str| dialect.quote_ident(name);
    let rewrite = |text: &mut String| *text = ident::rename_column(text, old, new, &quote);
    let rename = |name: &mut String| {
        if name == old {
            *name = new.to_string();
        }
    };
    let table = schema
        .tables
        .get_mut(key)
        .expect("a resolved table is live");
    for column in &mut table.columns {
        rename(&mut column.name);
        if let Some(generated) = &mut column.generated {
            rewrite(&mut generated.expression);
        }
    }
    if let Some(pk) = &mut table.primary_key {
        pk.columns.iter_mut().for_each(rename);
        pk.ext.postgres.include.iter_mut().for_each(rename);
    }
    for unique in &mut table.uniques {
        unique.columns.iter_mut().for_each(rename);
        unique.ext.postgres.include.iter_mut().for_each(rename);
    }
    for fk in &mut table.foreign_keys {
        fk.columns.iter_mut().for_each(rename);
    }
    for check in &mut table.checks {
        rewrite(&mut check.expression);
        if let Some(column) = &mut check.ext.mysql.column {
            rename(column);
        }
    }
    table.checks.sort();
    for index in table.indexes.values_mut() {
        for part in &mut index.parts {
            match &mut part.key {
                IndexKey::Column(column) => rename(column),
                IndexKey::Expression(expression) => rewrite(expression),
            }
        }
        if let Some(predicate) = &mut index.predicate {
            rewrite(predicate);
        }
        index.ext.postgres.include.iter_mut().for_each(rename);
        index.definition = None;
    }
    for other in schema.tables.values_mut() {
        for fk in other.foreign_keys.iter_mut().filter(|f| f.ref_key() == key) {
            fk.ref_columns.iter_mut().for_each(rename);
            fk.ext.sqlite.written_target = Uncompared(None);
        }
    }
    for sequence in schema.sequences.values_mut() {
        if let Some((owner, column)) = &mut sequence.owned_by {
            if owner == key {
                rename(column);
            }
        }
    }
}

/// Renames the constraints of `live` whose definition matches one of `desired` under
/// another name (see the module documentation), returning the changes.
fn follow_key_names(live: &mut Table, desired: &Table, dialect: &dyn Dialect) -> Vec<TableChange> {
    let caps = dialect.caps();
    let mut changes = Vec::new();
    let mut change = |kind, from: &str, to: &str| {
        changes.push(TableChange::RenameKey {
            kind,
            from: from.to_string(),
            to: to.to_string(),
        })
    };
    if caps.renames_constraints {
        if let (Some(pk), Some(want)) = (&mut live.primary_key, &desired.primary_key) {
            if let (Some(from), Some(to)) = (pk.name.clone(), want.name.clone()) {
                let mut renamed = pk.clone();
                renamed.name = Some(to.clone());
                if from != to && renamed == *want {
                    change(KeyKind::PrimaryKey, &from, &to);
                    *pk = renamed;
                }
            }
        }
        for (from, to) in follow(
            &mut live.foreign_keys,
            &desired.foreign_keys,
            |f| &mut f.name,
            |a, b| a == b,
        ) {
            change(KeyKind::ForeignKey, &from, &to);
        }
        let same_check = |a: &Check, b: &Check| {
            a.name == b.name
                && a.ext == b.ext
                && dialect.same_expression(&a.expression, &b.expression)
        };
        for (from, to) in follow(
            &mut live.checks,
            &desired.checks,
            |c| &mut c.name,
            same_check,
        ) {
            change(KeyKind::Check, &from, &to);
        }
        live.checks.sort();
    }
    if caps.renames_indexes {
        for (from, to) in follow(
            &mut live.uniques,
            &desired.uniques,
            |u| &mut u.name,
            |a, b| a == b,
        ) {
            change(KeyKind::Unique, &from, &to);
        }
    }
    changes
}

/// Renames the items of `live` whose name `desired` lacks to the name of an item of
/// `desired` that `live` lacks and that is `same` once renamed; the (old, new) names.
fn follow<T: Clone>(
    live: &mut [T],
    desired: &[T],
    name: fn(&mut T) -> &mut Option<String>,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<(String, String)> {
    let names = |items: &[T]| -> BTreeSet<String> {
        items
            .iter()
            .filter_map(|item| name(&mut item.clone()).clone())
            .collect()
    };
    let (live_names, desired_names) = (names(live), names(desired));
    let mut taken = BTreeSet::new();
    let mut renamed = Vec::new();
    for item in live.iter_mut() {
        let Some(old) = name(item).clone().filter(|n| !desired_names.contains(n)) else {
            continue;
        };
        let target = desired.iter().find_map(|want| {
            let new = name(&mut want.clone()).clone()?;
            if live_names.contains(&new) || taken.contains(&new) {
                return None;
            }
            let mut candidate = item.clone();
            *name(&mut candidate) = Some(new.clone());
            same(&candidate, want).then_some(new)
        });
        if let Some(new) = target {
            *name(item) = Some(new.clone());
            taken.insert(new.clone());
            renamed.push((old, new));
        }
    }
    renamed
}

/// Renames the indexes of `live` whose definition matches an index of `desired` under
/// another name, when the dialect can; the ops.
fn follow_index_names(live: &mut Table, desired: &Table, dialect: &dyn Dialect) -> Vec<Op> {
    if !dialect.caps().renames_indexes {
        return Vec::new();
    }
    let mut ops = Vec::new();
    let unmatched: Vec<String> = live
        .indexes
        .keys()
        .filter(|name| !desired.indexes.contains_key(*name))
        .cloned()
        .collect();
    for old in unmatched {
        let index = &live.indexes[&old];
        let target = desired.indexes.values().find(|want| {
            let mut candidate = index.clone();
            candidate.name.clone_from(&want.name);
            !live.indexes.contains_key(&want.name) && same_index(&candidate, want, dialect)
        });
        if let Some(want) = target {
            let from = live.indexes.remove(&old).expect("listed above");
            let mut to = from.clone();
            to.name.clone_from(&want.name);
            live.indexes.insert(to.name.clone(), to.clone());
            ops.push(Op::RenameIndex { from, to });
        }
    }
    ops
}
