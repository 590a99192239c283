//! Property tests on random schemas: a schema diffed with itself gives nothing; inverting
//! twice is the identity; every op names objects of the right side; and the ops, played
//! on a model database that refuses what a real engine would refuse (a missing or
//! still-referenced object, a rebuild under an index, trigger or view), turn `from` into
//! `to`, and the inverse ops, reversed, turn `to` back into `from`.

use super::{summary, InPlace, Rebuilding};
use crate::dialect::Dialect;
use crate::diff::{diff, ColumnDelta, ColumnPart, Op, TableChange};
use crate::schema::{
    Check, Column, ForeignKey, Generated, Index, IndexKey, IndexPart, PrimaryKey, RefAction,
    Schema, Table, Trigger, Unique, View,
};
use proptest::collection::vec;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Random choices read from a tape of numbers; past its end every choice is 0, and 0 is
/// always the simplest choice, so shrinking the tape simplifies the schema.
struct Tape<'a> {
    values: &'a [u32],
    at: usize,
}

impl Tape<'_> {
    fn pick(&mut self, n: u32) -> u32 {
        let value = self.values.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        value % n
    }

    fn one_of<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.pick(items.len() as u32) as usize].clone()
    }
}

const TABLES: [&str; 4] = ["a", "b", "c", "d"];
const COLUMNS: [&str; 4] = ["id", "k", "v", "w"];
const VIEWS: [&str; 3] = ["v1", "v2", "v3"];
/// Enough values for every choice of a schema.
const TAPE: usize = 700;

fn some(text: &str) -> Option<String> {
    Some(text.to_string())
}

fn column(tape: &mut Tape, name: &str) -> Column {
    Column {
        name: name.into(),
        type_text: tape.one_of(&["INTEGER", "TEXT", "REAL"]).into(),
        nullable: tape.pick(2) == 0,
        default: tape.one_of(&[None, some("0"), some("'x'")]),
        auto_increment: tape.pick(6) == 1,
        collation: tape.one_of(&[None, None, some("nocase")]),
        generated: (tape.pick(6) == 1).then(|| Generated {
            expression: "id + 1".into(),
            stored: tape.pick(2) == 1,
        }),
        on_update: tape.one_of(&[None, None, some("CURRENT_TIMESTAMP")]),
        comment: tape.one_of(&[None, None, some("note")]),
        ..Default::default()
    }
}

/// A table; foreign keys reference only tables of `earlier` (or itself), so the
/// generated schemas have no foreign-key cycles and the model database can insist that
/// referenced tables exist. Every candidate object draws the same number of values
/// whether or not it is kept, so editing one value of the tape changes one detail.
fn table(tape: &mut Tape, name: &str, earlier: &[&str]) -> Table {
    let mut keyed: Vec<(bool, u32, Column)> = COLUMNS
        .iter()
        .map(|c| {
            (
                *c == "id" || tape.pick(3) > 0,
                tape.pick(4),
                column(tape, c),
            )
        })
        .collect();
    keyed.retain(|(kept, _, _)| *kept);
    keyed.sort_by(|a, b| (a.1, &a.2.name).cmp(&(b.1, &b.2.name)));
    let columns: Vec<Column> = keyed.into_iter().map(|(_, _, c)| c).collect();
    let has = |c: &str| columns.iter().any(|k| k.name == c);
    let others: Vec<String> = COLUMNS[1..]
        .iter()
        .filter(|c| has(c))
        .map(|c| c.to_string())
        .collect();
    let (pk_kind, pk_name) = (tape.pick(3), tape.one_of(&[None, some("pk")]));
    let primary_key = match pk_kind {
        0 => None,
        1 => Some(PrimaryKey {
            name: None,
            columns: vec!["id".into()],
            ..Default::default()
        }),
        _ => Some(PrimaryKey {
            name: pk_name,
            columns: std::iter::once("id".to_string())
                .chain(others.first().cloned())
                .collect(),
            ..Default::default()
        }),
    };
    let mut uniques = Vec::new();
    let mut foreign_keys = Vec::new();
    let mut checks = Vec::new();
    let targets: Vec<&str> = earlier.iter().copied().chain([name]).collect();
    for c in &COLUMNS[1..] {
        let unique = Unique {
            columns: vec![c.to_string()],
            name: tape.one_of(&[None, Some(format!("uq_{c}")), Some(format!("u_{c}"))]),
            ..Default::default()
        };
        if tape.pick(4) == 1 && has(c) {
            uniques.push(unique);
        }
        let fk = ForeignKey {
            columns: vec![c.to_string()],
            ref_table: tape.one_of(&targets).into(),
            ref_columns: vec!["id".into()],
            name: tape.one_of(&[None, Some(format!("fk_{c}"))]),
            on_delete: tape.one_of(&[RefAction::NoAction, RefAction::Cascade]),
            ..ForeignKey::default()
        };
        if tape.pick(4) == 1 && has(c) {
            foreign_keys.push(fk);
        }
        let check = Check {
            expression: tape.one_of(&[format!("{c} > 0"), format!("{c} <> ''")]),
            name: tape.one_of(&[None, Some(format!("ck_{c}"))]),
            ext: Default::default(),
        };
        if tape.pick(5) == 1 && has(c) {
            checks.push(check);
        }
    }
    uniques.sort();
    foreign_keys.sort();
    checks.sort();
    let mut indexes = BTreeMap::new();
    for n in 0..2 {
        let index_name = format!("ix_{name}_{n}");
        let kept = tape.pick(3) == 1;
        let width = 1 + tape.pick(2) as usize;
        let mut parts = Vec::new();
        for _ in 0..2 {
            let key = match (tape.pick(3), tape.one_of(&COLUMNS[1..])) {
                (1, _) => IndexKey::Expression("lower(id)".into()),
                (2, c) if has(c) => IndexKey::Column(c.into()),
                _ => IndexKey::Column("id".into()),
            };
            parts.push(IndexPart {
                key,
                descending: tape.pick(3) == 1,
                collation: None,
            });
        }
        parts.truncate(width);
        let index = Index {
            name: index_name.clone(),
            table: name.into(),
            unique: tape.pick(2) == 1,
            parts,
            predicate: tape.one_of(&[None, None, some("id > 0")]),
            definition: None,
            ext: Default::default(),
            namespace: Default::default(),
        };
        if kept {
            indexes.insert(index_name, index);
        }
    }
    Table {
        name: name.into(),
        columns,
        primary_key,
        uniques,
        foreign_keys,
        checks,
        indexes,
        ext: crate::schema::ext::SqliteTable {
            without_rowid: tape.pick(5) == 1,
            strict: tape.pick(5) == 1,
        }
        .into(),
        comment: tape.one_of(&[None, None, some("t")]),
        namespace: Default::default(),
    }
}

/// A consistent schema: views read existing tables and earlier views, triggers hang off
/// existing tables and views.
fn schema(values: &[u32]) -> Schema {
    let tape = &mut Tape { values, at: 0 };
    let mut s = Schema::default();
    let mut present: Vec<&str> = Vec::new();
    for name in TABLES {
        let kept = tape.pick(4) > 0;
        let t = table(tape, name, &present);
        if kept {
            s.tables.insert(name.into(), t);
            present.push(name);
        }
    }
    for name in VIEWS {
        let kept = tape.pick(3) == 1;
        let candidates: Vec<&str> = TABLES.iter().chain(&VIEWS).copied().collect();
        let mut depends_on: Vec<String> = Vec::new();
        for d in candidates {
            if tape.pick(3) == 1 && present.contains(&d) {
                depends_on.push(d.to_string());
            }
        }
        depends_on.sort();
        let definition = format!(
            "SELECT {} FROM {}",
            tape.one_of(&["*", "1"]),
            depends_on.join(", ")
        );
        if kept {
            s.views.insert(
                name.into(),
                View {
                    name: name.into(),
                    definition,
                    depends_on,
                    indexes: Default::default(),
                    ext: Default::default(),
                    namespace: Default::default(),
                },
            );
            present.push(name);
        }
    }
    for name in ["tr1", "tr2"] {
        let kept = tape.pick(3) == 1;
        let on = tape.one_of(&TABLES.iter().chain(&VIEWS).copied().collect::<Vec<_>>());
        let definition = format!("CREATE TRIGGER {name} {} ON {on}", tape.pick(2));
        if kept && present.contains(&on) {
            s.triggers.insert(
                name.into(),
                Trigger {
                    name: name.into(),
                    table: on.into(),
                    definition,
                    namespace: Default::default(),
                },
            );
        }
    }
    s
}

fn tape() -> impl Strategy<Value = Vec<u32>> {
    vec(any::<u32>(), 0..TAPE)
}

/// Two related tapes: the second is the first with a few values changed, so the two
/// schemas share most objects and differ in details.
fn related_tapes() -> impl Strategy<Value = (Vec<u32>, Vec<u32>)> {
    (tape(), vec((0..TAPE, any::<u32>()), 0..4)).prop_map(|(a, edits)| {
        let mut b = a.clone();
        b.resize(TAPE, 0);
        for (at, value) in edits {
            b[at] = value;
        }
        (a, b)
    })
}

// ---- the model database ----

/// Tables without their indexes, indexes by (table, name), views and triggers by name.
#[derive(Debug, PartialEq)]
struct Db {
    tables: BTreeMap<String, Table>,
    indexes: BTreeMap<(String, String), Index>,
    views: BTreeMap<String, View>,
    triggers: BTreeMap<String, Trigger>,
    /// Whether an alteration without a reorder may leave added columns elsewhere than
    /// `to` has them (true for downgrades: see `ReorderColumns`).
    loose_order: bool,
    /// Whether dropping a key or unique index a foreign key references is refused, as
    /// PostgreSQL and MySQL refuse it (engines that alter foreign keys in place).
    key_dependencies: bool,
    /// (table, sorted columns) of the keys the end schema has: a rebuilt table's foreign
    /// keys to one of them must find it (SQLite's `PRAGMA foreign_key_check` after a
    /// rebuild fails with "foreign key mismatch" when the referenced key is missing).
    end_keys: BTreeSet<(String, Vec<String>)>,
    /// Foreign keys, by table, that the start schema has without their key: broken
    /// before the ops run, they are not the ops' to keep.
    broken: BTreeSet<(String, ForeignKey)>,
    /// Rebuilt tables whose self references are still to be checked.
    self_checks: Vec<Table>,
}

fn bare(table: &Table) -> Table {
    Table {
        indexes: BTreeMap::new(),
        ..table.clone()
    }
}

impl Db {
    fn load(s: &Schema) -> Db {
        Db {
            tables: s.tables.iter().map(|(n, t)| (n.clone(), bare(t))).collect(),
            indexes: s
                .tables
                .values()
                .flat_map(|t| t.indexes.values())
                .map(|i| ((i.table.clone(), i.name.clone()), i.clone()))
                .collect(),
            views: s.views.clone(),
            triggers: s.triggers.clone(),
            loose_order: false,
            key_dependencies: false,
            end_keys: BTreeSet::new(),
            broken: BTreeSet::new(),
            self_checks: Vec::new(),
        }
    }

    /// An error when a foreign key of `table` misses its key now, though the end schema
    /// has it (and the start did, if the key was there): PostgreSQL and MySQL refuse to
    /// create such a key, SQLite's check after a rebuild fails.
    fn keys_found(&self, table: &Table, self_refs: bool, what: &str) -> Result<(), String> {
        let now: BTreeSet<_> = Db::keys_of(&Schema {
            tables: self.tables.clone(),
            ..Schema::default()
        })
        .into_iter()
        .chain(
            self.indexes
                .values()
                .filter(|i| i.is_column_key())
                .map(|i| (i.table.clone(), sorted(i.leading_columns()))),
        )
        .collect();
        let checked = table
            .foreign_keys
            .iter()
            .filter(|fk| self_refs || fk.ref_table != table.name);
        for fk in checked {
            let key = (fk.ref_table.clone(), sorted(fk.ref_columns.clone()));
            let broken = self.broken.contains(&(table.name.clone(), fk.clone()));
            if self.end_keys.contains(&key) && !broken && !now.contains(&key) {
                return Err(format!("{what} {} misses a key now: {key:?}", table.name));
            }
        }
        Ok(())
    }

    /// (table, sorted columns) of every key of `s`: primary keys, uniques, unique indexes.
    fn keys_of(s: &Schema) -> BTreeSet<(String, Vec<String>)> {
        let db = Db::load(s);
        let mut keys = BTreeSet::new();
        for t in db.tables.values() {
            let own = t.primary_key.iter().map(|k| k.columns.clone());
            for columns in own.chain(t.uniques.iter().map(|u| u.columns.clone())) {
                keys.insert((t.name.clone(), sorted(columns)));
            }
        }
        for i in db.indexes.values().filter(|i| i.is_column_key()) {
            keys.insert((i.table.clone(), sorted(i.leading_columns())));
        }
        keys
    }

    /// An error when a foreign key references `columns` of `table` (a key about to go).
    fn key_in_use(&self, table: &str, columns: &[String]) -> Result<(), String> {
        if !self.key_dependencies {
            return Ok(());
        }
        let mut key = columns.to_vec();
        key.sort();
        for t in self.tables.values() {
            for fk in t.foreign_keys.iter().filter(|fk| fk.ref_table == table) {
                let mut refs = fk.ref_columns.clone();
                refs.sort();
                if refs == key {
                    return Err(format!(
                        "key {table} {columns:?} still referenced by {}",
                        t.name
                    ));
                }
            }
        }
        Ok(())
    }

    fn has_relation(&self, name: &str) -> bool {
        self.tables.contains_key(name) || self.views.contains_key(name)
    }

    /// Whether something still hangs off or reads table or view `name`.
    fn users_of(&self, name: &str) -> Vec<String> {
        let indexes = self.indexes.keys().filter(|(t, _)| t == name);
        let triggers = self.triggers.values().filter(|t| t.table == name);
        let views = self
            .views
            .values()
            .filter(|v| v.depends_on.iter().any(|d| d == name));
        indexes
            .map(|(_, i)| format!("index {i}"))
            .chain(triggers.map(|t| format!("trigger {}", t.name)))
            .chain(views.map(|v| format!("view {}", v.name)))
            .collect()
    }

    fn apply(&mut self, op: &Op, dialect: &dyn Dialect) -> Result<(), String> {
        match op {
            Op::CreateTable(t) => {
                if self.has_relation(&t.name) {
                    return Err(format!("table {} exists", t.name));
                }
                for fk in &t.foreign_keys {
                    if fk.ref_table != t.name && !self.tables.contains_key(&fk.ref_table) {
                        return Err(format!("{} references missing {}", t.name, fk.ref_table));
                    }
                }
                self.tables.insert(t.name.clone(), bare(t));
                if self.key_dependencies {
                    self.keys_found(t, false, "created")?;
                }
            }
            Op::DropTable(t) => {
                if self.tables.get(&t.name) != Some(&bare(t)) {
                    return Err(format!("dropped table {} is not as found", t.name));
                }
                let users = self.users_of(&t.name);
                if !users.is_empty() {
                    return Err(format!("table {} still used by {users:?}", t.name));
                }
                let referencing = self.tables.values().filter(|o| {
                    o.name != t.name && o.foreign_keys.iter().any(|f| f.ref_table == t.name)
                });
                if let Some(o) = referencing.map(|o| o.name.clone()).next() {
                    return Err(format!("table {} still referenced by {o}", t.name));
                }
                self.tables.remove(&t.name);
            }
            Op::AlterTable { from, to, changes } => {
                if self.tables.get(&from.name) != Some(&bare(from)) || from.name != to.name {
                    return Err(format!("altered table {} is not as found", from.name));
                }
                if changes.is_empty() {
                    return Err(format!("empty alteration of {}", from.name));
                }
                let rebuild = changes.iter().any(|c| !dialect.alter_in_place(from, c));
                let reshape = changes.iter().any(|c| {
                    matches!(
                        c,
                        TableChange::DropColumn(_)
                            | TableChange::AlterColumn { .. }
                            | TableChange::ReorderColumns { .. }
                    )
                });
                let users = self.users_of(&from.name);
                let views: Vec<_> = users.iter().filter(|u| u.starts_with("view")).collect();
                if rebuild && !users.is_empty() {
                    return Err(format!("rebuild of {} under {users:?}", from.name));
                }
                if reshape && !views.is_empty() {
                    return Err(format!("columns of {} changed under {views:?}", from.name));
                }
                let mut table = bare(from);
                for change in changes {
                    self.change(&mut table, from, to, change)?;
                }
                table.uniques.sort();
                table.foreign_keys.sort();
                table.checks.sort();
                let reordered = changes
                    .iter()
                    .any(|c| matches!(c, TableChange::ReorderColumns { .. }));
                if reordered {
                    let place = |c: &Column| to.columns.iter().position(|k| k.name == c.name);
                    table.columns.sort_by_key(place);
                } else if self.loose_order {
                    // Without a reorder, columns added back by a downgrade come last.
                    let place = |c: &Column| to.columns.iter().position(|k| k.name == c.name);
                    let mut sorted = table.columns.clone();
                    sorted.sort_by_key(place);
                    let names =
                        |cs: &[Column]| cs.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
                    let kept: Vec<String> = names(&from.columns)
                        .into_iter()
                        .filter(|n| to.column(n).is_some())
                        .collect();
                    let kept_now: Vec<String> = names(&table.columns)
                        .into_iter()
                        .filter(|n| from.column(n).is_some())
                        .collect();
                    if kept != kept_now {
                        return Err(format!(
                            "kept columns of {} moved without a reorder",
                            from.name
                        ));
                    }
                    table.columns = sorted;
                }
                if table != bare(to) {
                    return Err(format!(
                        "changes of {} give\n{table:#?}\nnot\n{:#?}",
                        from.name,
                        bare(to)
                    ));
                }
                for fk in &to.foreign_keys {
                    if !self.tables.contains_key(&fk.ref_table) {
                        return Err(format!("{} references missing {}", to.name, fk.ref_table));
                    }
                }
                self.tables.insert(to.name.clone(), table);
                // A rebuild checks its self references once the section has re-created
                // the table's own indexes (the SQLite renderer moves the check there):
                // `play` checks them then.
                if rebuild {
                    self.keys_found(to, false, "rebuilt")?;
                    self.self_checks.push(to.clone());
                } else if self.key_dependencies {
                    self.keys_found(to, true, "altered")?;
                }
            }
            Op::CreateIndex(i) => {
                let Some(t) = self.tables.get(&i.table) else {
                    return Err(format!("index {} on missing table", i.name));
                };
                for part in &i.parts {
                    if let IndexKey::Column(c) = &part.key {
                        if t.column(c).is_none() {
                            return Err(format!("index {} on missing column {c}", i.name));
                        }
                    }
                }
                if self.indexes.keys().any(|(_, n)| *n == i.name) {
                    return Err(format!("index {} exists", i.name));
                }
                self.indexes
                    .insert((i.table.clone(), i.name.clone()), i.clone());
            }
            Op::DropIndex(i) => {
                if i.is_column_key() {
                    self.key_in_use(&i.table, &i.leading_columns())?;
                }
                let key = (i.table.clone(), i.name.clone());
                if self.indexes.remove(&key).as_ref() != Some(i) {
                    return Err(format!("dropped index {} is not as found", i.name));
                }
            }
            Op::CreateView(v) => {
                if self.has_relation(&v.name) {
                    return Err(format!("view {} exists", v.name));
                }
                if let Some(d) = v.depends_on.iter().find(|d| !self.has_relation(d)) {
                    return Err(format!("view {} reads missing {d}", v.name));
                }
                self.views.insert(v.name.clone(), v.clone());
            }
            Op::DropView(v) => {
                if self.views.get(&v.name) != Some(v) {
                    return Err(format!("dropped view {} is not as found", v.name));
                }
                let users = self.users_of(&v.name);
                if !users.is_empty() {
                    return Err(format!("view {} still used by {users:?}", v.name));
                }
                self.views.remove(&v.name);
            }
            Op::CreateTrigger(t) => {
                if self.triggers.contains_key(&t.name) || !self.has_relation(&t.table) {
                    return Err(format!("trigger {} exists or its table is missing", t.name));
                }
                self.triggers.insert(t.name.clone(), t.clone());
            }
            Op::DropTrigger(t) => {
                if self.triggers.remove(&t.name).as_ref() != Some(t) {
                    return Err(format!("dropped trigger {} is not as found", t.name));
                }
            }
            other => return Err(format!("unexpected op {other:?}")),
        }
        Ok(())
    }

    /// One change applied to `table`, refusing what an engine would refuse.
    fn change(
        &self,
        table: &mut Table,
        from: &Table,
        to: &Table,
        change: &TableChange,
    ) -> Result<(), String> {
        let named = |t: &Table, c: &str| {
            t.primary_key
                .iter()
                .any(|k| k.columns.iter().any(|k| k == c))
                || t.uniques.iter().any(|u| u.columns.iter().any(|u| u == c))
                || t.foreign_keys
                    .iter()
                    .any(|f| f.columns.iter().any(|f| f == c))
        };
        let columns_exist = |t: &Table, cols: &[String]| cols.iter().all(|c| t.column(c).is_some());
        match change {
            TableChange::AddColumn(c) => {
                if table.column(&c.name).is_some() {
                    return Err(format!("column {} exists", c.name));
                }
                table.columns.push(c.clone());
            }
            TableChange::DropColumn(c) => {
                if table.column(&c.name) != Some(c) || named(table, &c.name) {
                    return Err(format!("column {} missing or still named", c.name));
                }
                let on_index = self.indexes.values().any(|i| {
                    i.table == table.name
                        && i.parts
                            .iter()
                            .any(|p| p.key == IndexKey::Column(c.name.clone()))
                });
                if on_index {
                    return Err(format!("column {} dropped under an index", c.name));
                }
                table.columns.retain(|k| k.name != c.name);
            }
            TableChange::AlterColumn {
                from: old,
                to: new,
                delta,
            } => {
                let Some(slot) = table.columns.iter_mut().find(|k| k.name == old.name) else {
                    return Err(format!("altered column {} missing", old.name));
                };
                if *slot != *old || old.name != new.name {
                    return Err(format!("altered column {} is not as found", old.name));
                }
                if delta.is_empty() {
                    return Err(format!("column {} altered with an empty delta", old.name));
                }
                *slot = new.clone();
            }
            TableChange::ReorderColumns {
                from: before,
                to: after,
            } => {
                // Checked here, done at the end of the alteration (see `apply`).
                let names =
                    |t: &Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
                if *before != names(from) || *after != names(to) {
                    return Err("reorder does not name the tables' columns".into());
                }
            }
            TableChange::SetPrimaryKey { from: old, to: new } => {
                if table.primary_key != *old {
                    return Err("primary key is not as found".into());
                }
                if old.is_some() && new.is_some() {
                    return Err("primary key changed in one step".into());
                }
                if let Some(k) = old {
                    self.key_in_use(&table.name, &k.columns)?;
                }
                if let Some(k) = new {
                    if !columns_exist(table, &k.columns) {
                        return Err("primary key on missing columns".into());
                    }
                }
                table.primary_key = new.clone();
            }
            TableChange::AddUnique(u) => {
                if !columns_exist(table, &u.columns) {
                    return Err("unique on missing columns".into());
                }
                table.uniques.push(u.clone());
            }
            TableChange::DropUnique(u) => {
                self.key_in_use(&table.name, &u.columns)?;
                remove_one(&mut table.uniques, u)?
            }
            TableChange::AddForeignKey(f) => {
                if !columns_exist(table, &f.columns) {
                    return Err("foreign key on missing columns".into());
                }
                table.foreign_keys.push(f.clone());
            }
            TableChange::DropForeignKey(f) => remove_one(&mut table.foreign_keys, f)?,
            TableChange::AddCheck(c) => table.checks.push(c.clone()),
            TableChange::DropCheck(c) => remove_one(&mut table.checks, c)?,
            TableChange::SetOptions => {
                table.ext.sqlite = to.ext.sqlite.clone();
                table.comment = to.comment.clone();
            }
            // `diff` makes no renames: only hints do (`diff::renames`).
            TableChange::RenameColumn { .. } | TableChange::RenameKey { .. } => {
                return Err("a rename without a hint".into())
            }
        }
        Ok(())
    }
}

fn sorted(mut columns: Vec<String>) -> Vec<String> {
    columns.sort();
    columns
}

fn remove_one<T: PartialEq + std::fmt::Debug>(list: &mut Vec<T>, item: &T) -> Result<(), String> {
    match list.iter().position(|x| x == item) {
        Some(at) => {
            list.remove(at);
            Ok(())
        }
        None => Err(format!("{item:?} is not there")),
    }
}

/// Plays `ops` on `start`; the result must be `end`.
fn play(
    start: &Schema,
    ops: &[Op],
    end: &Schema,
    dialect: &dyn Dialect,
    loose_order: bool,
) -> Result<(), String> {
    let mut db = Db::load(start);
    db.loose_order = loose_order;
    let in_place = TableChange::DropForeignKey(ForeignKey::default());
    db.key_dependencies = dialect.alter_in_place(&Table::default(), &in_place);
    db.end_keys = Db::keys_of(end);
    let start_keys = Db::keys_of(start);
    for t in start.tables.values() {
        for fk in &t.foreign_keys {
            let key = (fk.ref_table.clone(), sorted(fk.ref_columns.clone()));
            if !start_keys.contains(&key) {
                db.broken.insert((t.name.clone(), fk.clone()));
            }
        }
    }
    for (at, op) in ops.iter().enumerate() {
        db.apply(op, dialect)
            .map_err(|e| format!("op {at} ({}): {e}", summary(op)))?;
        // A rebuilt table's self references are checked after the last index the
        // section creates on it.
        let indexed_later = |t: &Table| {
            ops[at + 1..]
                .iter()
                .any(|o| matches!(o, Op::CreateIndex(i) if i.table == t.name))
        };
        let (later, now): (Vec<Table>, Vec<Table>) = std::mem::take(&mut db.self_checks)
            .into_iter()
            .partition(indexed_later);
        db.self_checks = later;
        for t in &now {
            db.keys_found(t, true, "rebuilt")
                .map_err(|e| format!("after op {at} ({}): {e}", summary(op)))?;
        }
    }
    db.loose_order = false;
    db.key_dependencies = false;
    db.end_keys.clear();
    db.broken.clear();
    if db != Db::load(end) {
        return Err(format!("the ops give\n{db:#?}\nnot\n{:#?}", Db::load(end)));
    }
    Ok(())
}

/// `column` taken out of `t`, with the constraints and indexes that name it.
fn without_column(t: &mut Table, column: &str) -> Column {
    let at = t
        .columns
        .iter()
        .position(|c| c.name == column)
        .expect("column of t");
    let named = |cols: &[String]| cols.iter().any(|c| c == column);
    if t.primary_key.as_ref().is_some_and(|k| named(&k.columns)) {
        t.primary_key = None;
    }
    t.uniques.retain(|u| !named(&u.columns));
    t.foreign_keys.retain(|f| !named(&f.columns));
    t.checks.retain(|c| !c.expression.starts_with(column));
    t.indexes.retain(|_, i| {
        !i.parts
            .iter()
            .any(|p| p.key == IndexKey::Column(column.to_string()))
    });
    t.columns.remove(at)
}

fn check_pair(a: &Schema, b: &Schema) -> Result<(), TestCaseError> {
    for dialect in [&InPlace as &dyn Dialect, &Rebuilding] {
        let ops = diff(a, b, dialect);
        let shown: Vec<String> = ops.iter().map(summary).collect();
        let distinct: std::collections::BTreeSet<&String> = shown.iter().collect();
        prop_assert_eq!(distinct.len(), shown.len(), "an op twice in {:#?}", shown);
        if let Err(e) = play(a, &ops, b, dialect, false) {
            return Err(TestCaseError::fail(format!("upgrade {shown:#?}: {e}")));
        }
        let undo: Vec<Op> = ops.iter().rev().map(Op::invert).collect();
        if let Err(e) = play(b, &undo, a, dialect, true) {
            return Err(TestCaseError::fail(format!("downgrade of {shown:#?}: {e}")));
        }
        prop_assert_eq!(diff(a, b, dialect), ops, "deterministic");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_schema_has_no_diff_with_itself(values in tape()) {
        let s = schema(&values);
        prop_assert_eq!(diff(&s, &s, &Rebuilding), vec![]);
        prop_assert_eq!(diff(&s, &s, &InPlace), vec![]);
    }

    #[test]
    fn spelling_differences_are_no_diff(values in tape()) {
        let s = schema(&values);
        let mut t = s.clone();
        for table in t.tables.values_mut() {
            for c in &mut table.columns {
                c.type_text = format!(" {} ", c.type_text.to_lowercase());
                c.default = c.default.as_ref().map(|d| format!("{d}\n"));
                c.collation = c.collation.as_ref().map(|d| d.to_uppercase());
            }
            for c in &mut table.checks {
                c.expression = c.expression.replace(' ', "  ");
            }
        }
        for v in t.views.values_mut() {
            v.definition = v.definition.replace(' ', "\n ");
        }
        prop_assert_eq!(diff(&s, &t, &Rebuilding), vec![]);
    }

    #[test]
    fn ops_turn_from_into_to_and_back((x, y) in related_tapes()) {
        check_pair(&schema(&x), &schema(&y))?;
    }

    #[test]
    fn dropping_or_moving_one_column(values in tape(), at in any::<prop::sample::Index>(), to in any::<prop::sample::Index>()) {
        let a = schema(&values);
        let mut b = a.clone();
        let spots: Vec<(String, String)> = a
            .tables
            .values()
            .flat_map(|t| t.columns.iter().map(|c| (t.name.clone(), c.name.clone())))
            .filter(|(_, c)| c != "id")
            .collect();
        prop_assume!(!spots.is_empty());
        let (table, column) = at.get(&spots).clone();
        let t = b.tables.get_mut(&table).expect("picked from the schema");
        let mut moved = without_column(t, &column);
        // Either dropped (with what names it) or put back elsewhere.
        if to.index(3) > 0 {
            moved.nullable = true;
            let place = to.index(t.columns.len() + 1);
            t.columns.insert(place, moved);
        }
        check_pair(&a, &b)?;
    }

    #[test]
    fn ops_turn_unrelated_schemas_into_each_other(x in tape(), y in tape()) {
        check_pair(&schema(&x), &schema(&y))?;
    }

    #[test]
    fn ops_name_objects_of_the_right_side((x, y) in related_tapes()) {
        let (a, b) = (schema(&x), schema(&y));
        let index_in = |s: &Schema, i: &Index| {
            s.tables.get(&i.table).and_then(|t| t.indexes.get(&i.name)) == Some(i)
        };
        for op in diff(&a, &b, &Rebuilding) {
            let ok = match &op {
                Op::CreateTable(t) => b.tables.get(&t.name) == Some(t) && !a.tables.contains_key(&t.name),
                Op::DropTable(t) => a.tables.get(&t.name) == Some(t) && !b.tables.contains_key(&t.name),
                Op::AlterTable { from, to, .. } => {
                    a.tables.get(&from.name) == Some(from) && b.tables.get(&to.name) == Some(to)
                }
                Op::CreateIndex(i) => index_in(&b, i),
                Op::DropIndex(i) => index_in(&a, i),
                Op::CreateView(v) => b.views.get(&v.name) == Some(v),
                Op::DropView(v) => a.views.get(&v.name) == Some(v),
                Op::CreateTrigger(t) => b.triggers.get(&t.name) == Some(t),
                Op::DropTrigger(t) => a.triggers.get(&t.name) == Some(t),
                // The generated schemas have one namespace and no schema-level objects.
                other => panic!("unexpected op {other:?}"),
            };
            prop_assert!(ok, "{}", summary(&op));
        }
    }

    #[test]
    fn inverting_twice_is_identity((x, y) in related_tapes(), pick in any::<prop::sample::Index>()) {
        let (a, b) = (schema(&x), schema(&y));
        let mut ops = diff(&a, &b, &Rebuilding);
        // Every change kind, also outside what a diff emits.
        let (t1, t2) = (
            a.tables.values().next().cloned().unwrap_or_default(),
            b.tables.values().next().cloned().unwrap_or_default(),
        );
        let c = t1.columns.first().cloned().unwrap_or_default();
        let changes = vec![
            TableChange::AddColumn(c.clone()),
            TableChange::DropColumn(c.clone()),
            TableChange::AlterColumn {
                from: c.clone(),
                to: Column { nullable: !c.nullable, ..c.clone() },
                delta: ColumnDelta::of(&[ColumnPart::Nullability]),
            },
            TableChange::SetPrimaryKey { from: t1.primary_key.clone(), to: t2.primary_key.clone() },
            TableChange::ReorderColumns { from: vec!["a".into()], to: vec![] },
            TableChange::SetOptions,
        ];
        let change = pick.get(&changes).clone();
        prop_assert_eq!(change.invert().invert(), change.clone());
        ops.push(Op::AlterTable { from: t1, to: t2, changes: vec![change] });
        for op in ops {
            prop_assert_eq!(op.invert().invert(), op.clone());
            prop_assert_eq!(op.invert().invert().invert(), op.invert());
        }
    }
}
