//! Which ops may lose data or fail on a table holding rows: the text of their
//! `-- WARNING:` lines. The dialect says what its engine cannot lose (a type change that
//! keeps every value, NOT NULL on a column that never holds NULL); a walk over a whole
//! section says which tables are still empty and which keys their rows already obey, so
//! a unique index on a new table, or one a rebuild re-creates, is no risk, nor is a
//! foreign key added again with other actions after an earlier op dropped it; a table's
//! option change is judged with the foreign keys the section dropped from it before.

use super::delta::{ColumnDelta, ColumnPart};
use super::op::{Op, TableChange};
use super::tables::same_key;
use crate::dialect::Dialect;
use crate::schema::{display_name, Column, ForeignKey, Index, IndexKey, Table};
use std::collections::BTreeSet;

/// The `-- WARNING:` text of each op of one section (an upgrade, or a downgrade),
/// parallel to `ops`: [`Op::data_loss`], except for a unique index whose rows cannot hold
/// duplicates at the point where the section creates it, for a foreign key the rows
/// obeyed when the section dropped it, and for changes of a table the section created (it
/// holds no rows: PostgreSQL adds the foreign keys of new tables in cycles after the
/// tables).
pub fn warnings(ops: &[Op], dialect: &dyn Dialect) -> Vec<Option<String>> {
    let mut rows = Rows::default();
    // The foreign keys the section dropped so far, as (table key, key).
    let mut dropped: Vec<(String, &ForeignKey)> = Vec::new();
    ops.iter()
        .map(|op| {
            let warning = match op {
                Op::CreateIndex(index) if rows.obey(index, dialect) => None,
                Op::AlterTable { from, .. } if rows.empty.contains(&from.key()) => None,
                Op::AlterTable { from, to, changes } => {
                    let holds = |change: &TableChange| rows.obey_foreign_key(from, change);
                    match found_with_keys(from, changes, &dropped) {
                        Some(found) => Op::AlterTable {
                            from: found,
                            to: to.clone(),
                            changes: changes.clone(),
                        }
                        .data_loss_unless(dialect, &holds),
                        None => op.data_loss_unless(dialect, &holds),
                    }
                }
                _ => op.data_loss(dialect),
            };
            if let Op::AlterTable { from, changes, .. } = op {
                dropped.extend(changes.iter().filter_map(|change| match change {
                    TableChange::DropForeignKey(f) => Some((from.key(), f)),
                    _ => None,
                }));
            }
            rows.learn(op, dialect);
            warning
        })
        .collect()
}

/// Table `from` of an `AlterTable` whose `changes` set options, as the section found it:
/// with the foreign keys an earlier op of the section dropped from it (the first phase
/// drops them), so that the dialect judges an option change by the keys it loses (MySQL:
/// an engine without foreign keys). `None` where nothing differs.
fn found_with_keys(
    from: &Table,
    changes: &[TableChange],
    dropped: &[(String, &ForeignKey)],
) -> Option<Table> {
    if !changes.contains(&TableChange::SetOptions) {
        return None;
    }
    let mut found = from.clone();
    found.foreign_keys.extend(
        dropped
            .iter()
            .filter(|(table, f)| *table == from.key() && !from.foreign_keys.contains(f))
            .map(|(_, f)| (*f).clone()),
    );
    (found.foreign_keys.len() > from.foreign_keys.len()).then_some(found)
}

/// What a section knows of its tables' rows, op by op.
#[derive(Default)]
struct Rows<'a> {
    /// Keys of the tables the section created: they hold no rows.
    empty: BTreeSet<String>,
    /// Unique indexes the rows obeyed: those the section dropped (a rebuild drops and
    /// re-creates them) or created, and those of tables it altered.
    unique: Vec<&'a Index>,
    /// Primary and unique keys the rows obey, as (table key, columns).
    keys: Vec<(String, &'a [String])>,
    /// Foreign keys the rows obeyed when the section dropped them (the first phase drops
    /// a key whose actions change, the last adds it again), as (table key, key).
    foreign_keys: Vec<(String, &'a ForeignKey)>,
}

impl<'a> Rows<'a> {
    /// Whether the rows of `index`'s table cannot hold duplicates of its key.
    fn obey(&self, index: &Index, dialect: &dyn Dialect) -> bool {
        let plain = plain_columns(index);
        // Distinct values on a subset of the key's columns (under the columns' own
        // collations) make the whole key distinct; NULLs are distinct in a unique index.
        let covers = |columns: &[String]| columns.iter().all(|c| plain.contains(&c));
        self.empty.contains(&index.table_key())
            || self.unique.iter().any(|u| {
                u.table_key() == index.table_key()
                    && (same_key(u, index, dialect)
                        || u.predicate.is_none() && plain_key(u).is_some_and(|k| covers(&k)))
            })
            || self
                .keys
                .iter()
                .any(|(table, columns)| *table == index.table_key() && covers(columns))
    }

    /// Whether `change`, of table `from`, adds a foreign key its rows obey: one the section
    /// dropped on the same columns, to the same table and columns, and neither table's
    /// values changed since.
    fn obey_foreign_key(&self, from: &Table, change: &TableChange) -> bool {
        let TableChange::AddForeignKey(added) = change else {
            return false;
        };
        self.foreign_keys
            .iter()
            .any(|(table, dropped)| *table == from.key() && same_reference(dropped, added))
    }

    /// Takes in what `op` tells about the rows once it has run.
    fn learn(&mut self, op: &'a Op, dialect: &dyn Dialect) {
        match op {
            Op::CreateTable(t) => {
                self.empty.insert(t.key());
            }
            Op::DropTable(t) => self.forget(&t.key()),
            Op::RenameTable { from, .. } => self.forget(&from.key()),
            Op::CreateIndex(i) | Op::DropIndex(i) if i.unique => self.unique.push(i),
            Op::AlterTable { from, to, changes } => {
                let values_change = changes.iter().any(|c| changes_values(to, c, dialect));
                if values_change {
                    self.forget(&from.key());
                } else {
                    // The rows keep their values: what they obeyed before, they still do.
                    self.unique
                        .extend(from.indexes.values().filter(|i| i.unique));
                    self.keys.extend(keys(from).map(|k| (from.key(), k)));
                    self.foreign_keys
                        .extend(changes.iter().filter_map(|change| match change {
                            TableChange::DropForeignKey(f) => Some((from.key(), f)),
                            _ => None,
                        }));
                }
                // Whatever the rows were, the new table's keys hold once it is done.
                self.keys.extend(keys(to).map(|k| (to.key(), k)));
            }
            _ => {}
        }
    }

    /// Forgets every key of `table`, and every foreign key to it (its values may have
    /// changed, or it is gone).
    fn forget(&mut self, table: &str) {
        self.unique.retain(|u| u.table_key() != table);
        self.keys.retain(|(t, _)| t != table);
        self.foreign_keys
            .retain(|(t, f)| t != table && f.ref_key() != table);
    }
}

/// Whether foreign keys `a` and `b` tie the same columns to the same table and columns
/// (rows obeying one obey the other, whatever their actions or names).
fn same_reference(a: &ForeignKey, b: &ForeignKey) -> bool {
    a.columns == b.columns && a.ref_key() == b.ref_key() && a.ref_columns == b.ref_columns
}

/// Whether `change`, one of those that leave `table`, may change stored values, so that
/// keys the rows obeyed may no longer hold: a type change the dialect does not call
/// value-keeping, or a collation change that may make distinct values equal (`'A'` and
/// `'a'` under NOCASE).
fn changes_values(table: &Table, change: &TableChange, dialect: &dyn Dialect) -> bool {
    match change {
        TableChange::AlterColumn { from, to, delta } => {
            merges_values(from, to, delta, dialect)
                || delta.has(ColumnPart::Type)
                    && !dialect.type_change_keeps_values(table, &from.type_text, &to.type_text)
        }
        _ => false,
    }
}

/// Whether a collation change may make distinct values of the column equal.
fn merges_values(from: &Column, to: &Column, delta: &ColumnDelta, dialect: &dyn Dialect) -> bool {
    delta.has(ColumnPart::Collation)
        && !dialect.collation_keeps_distinct(from.collation.as_deref(), to.collation.as_deref())
}

/// The primary key's and unique constraints' columns of `table`.
fn keys(table: &Table) -> impl Iterator<Item = &[String]> {
    table
        .primary_key
        .iter()
        .map(|pk| pk.columns.as_slice())
        .chain(table.uniques.iter().map(|u| u.columns.as_slice()))
}

/// The parts of `index` that are plain columns in their own collation.
fn plain_columns(index: &Index) -> Vec<&String> {
    index
        .parts
        .iter()
        .filter_map(|p| match &p.key {
            IndexKey::Column(c) if p.collation.is_none() => Some(c),
            _ => None,
        })
        .collect()
}

/// The columns of an index whose parts are all plain columns in their own collation;
/// `None` when a part is an expression or collated otherwise.
fn plain_key(index: &Index) -> Option<Vec<String>> {
    let plain = plain_columns(index);
    (plain.len() == index.parts.len()).then(|| plain.into_iter().cloned().collect())
}

impl Op {
    /// Why running this op may lose data or fail on rows, if it may, judged alone (a
    /// section judges a unique index in context: see [`warnings`]).
    pub fn data_loss(&self, dialect: &dyn Dialect) -> Option<String> {
        self.data_loss_unless(dialect, &|_| false)
    }

    /// [`Op::data_loss`] without the changes of an `AlterTable` that `holds` says the
    /// rows already obey.
    fn data_loss_unless(
        &self,
        dialect: &dyn Dialect,
        holds: &dyn Fn(&TableChange) -> bool,
    ) -> Option<String> {
        match self {
            Op::DropTable(t) => Some(format!("drops table {} and all its rows", t.display_name())),
            Op::AlterTable { from, to, changes } => {
                let warnings: Vec<String> = changes
                    .iter()
                    .filter(|c| !c.already_holds(from) && !holds(c))
                    .filter_map(|c| c.data_loss(from, to, dialect))
                    .chain(dialect.rebuild_risk(from, to))
                    .collect();
                (!warnings.is_empty()).then(|| warnings.join("; "))
            }
            Op::CreateIndex(i) if i.unique => Some(format!(
                "adds unique index {} to {}: fails if existing rows hold duplicates",
                i.name,
                display_name(&i.namespace, &i.table)
            )),
            _ => None,
        }
    }
}

impl TableChange {
    /// Whether the rows of `from` already obey the rule this change adds, so that it
    /// cannot fail on them: a constraint declared again on the same columns (renamed, or
    /// with other actions, deferral or conflict resolution), or a UNIQUE over a superset
    /// of an existing key (primary key, unique constraint, or unique index on plain
    /// columns without a predicate).
    fn already_holds(&self, from: &Table) -> bool {
        let index_keys: Vec<Vec<String>> = from
            .indexes
            .values()
            .filter(|i| i.unique && i.predicate.is_none())
            .filter_map(plain_key)
            .collect();
        let mut all_keys = keys(from).chain(index_keys.iter().map(Vec::as_slice));
        match self {
            TableChange::AddUnique(u) => all_keys.any(|k| k.iter().all(|c| u.columns.contains(c))),
            TableChange::SetPrimaryKey { to: Some(pk), .. } => from
                .primary_key
                .as_ref()
                .is_some_and(|old| old.columns == pk.columns),
            TableChange::AddForeignKey(f) => {
                from.foreign_keys.iter().any(|old| same_reference(old, f))
            }
            TableChange::AddCheck(c) => {
                from.checks.iter().any(|old| old.expression == c.expression)
            }
            _ => false,
        }
    }

    /// Why this change, one of those turning table `from` into `to`, may lose data or
    /// fail on rows, if it may.
    pub fn data_loss(&self, from: &Table, to: &Table, dialect: &dyn Dialect) -> Option<String> {
        let table = &to.display_name();
        match self {
            // A virtual generated column stores nothing: its values derive from the rest.
            TableChange::DropColumn(c) if c.generated.as_ref().is_some_and(|g| !g.stored) => None,
            TableChange::DropColumn(c) => {
                Some(format!("drops column {table}.{} and its data", c.name))
            }
            TableChange::AddColumn(c) if fills_with_null(c) => Some(format!(
                "adds NOT NULL column {table}.{} without a default: fails if {table} has rows",
                c.name
            )),
            TableChange::AlterColumn {
                from: old,
                to: new,
                delta,
            } => {
                let mut risks = Vec::new();
                if delta.has(ColumnPart::Type)
                    && !dialect.type_change_keeps_values(to, &old.type_text, &new.type_text)
                {
                    risks.push(format!(
                        "changes the type of {table}.{} from {} to {}: values may not convert",
                        new.name,
                        shown(&old.type_text),
                        shown(&new.type_text)
                    ));
                }
                if delta.has(ColumnPart::Nullability)
                    && !new.nullable
                    && dialect.holds_null(from, old)
                {
                    risks.push(format!(
                        "makes {table}.{} NOT NULL: fails if it holds NULLs",
                        new.name
                    ));
                }
                // The engine computes the new values (PostgreSQL drops the column and adds
                // it again; MySQL and a SQLite rebuild do not copy what it held).
                if old.generated.is_none() && new.generated.is_some() {
                    risks.push(format!(
                        "makes {table}.{} generated: its generation expression replaces its \
                         values",
                        new.name
                    ));
                }
                let keyed = keys(from).any(|k| k.contains(&old.name));
                if keyed && merges_values(old, new, delta, dialect) {
                    risks.push(format!(
                        "changes the collation of {table}.{} to {}: fails if its unique keys \
                         then hold duplicates",
                        new.name,
                        new.collation.as_deref().unwrap_or("the default")
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
            // Existing rows hold NULL in the columns the change adds without values, and a
            // key of NULLs matches nothing and needs nothing.
            TableChange::AddForeignKey(f) if f.columns.iter().all(|c| null_filled(from, to, c)) => {
                None
            }
            TableChange::AddForeignKey(f) => Some(format!(
                "adds a foreign key {table} ({}) -> {}: fails if existing rows have no match",
                f.columns.join(", "),
                display_name(&f.ref_namespace, &f.ref_table)
            )),
            TableChange::SetPrimaryKey { to: Some(pk), .. } => Some(format!(
                "sets the primary key of {table} to ({}): fails on duplicates or NULLs",
                pk.columns.join(", ")
            )),
            TableChange::SetOptions => dialect.options_risk(from, to),
            // Same columns, same values, another order: nothing is lost.
            TableChange::ReorderColumns { .. } => None,
            _ => None,
        }
    }
}

/// Whether adding `column` fills the existing rows with NULL where it forbids NULL.
fn fills_with_null(column: &Column) -> bool {
    !column.nullable && adds_nulls(column)
}

/// Whether adding `column` gives the existing rows NULL: no default (an explicit DEFAULT
/// NULL is the same), not generated, not auto-increment.
fn adds_nulls(column: &Column) -> bool {
    column
        .default
        .as_deref()
        .is_none_or(|d| d.trim().eq_ignore_ascii_case("NULL"))
        && column.generated.is_none()
        && !column.auto_increment
}

/// Whether the existing rows hold NULL in column `name` of `to` because the change adds
/// it (it is not in `from`) without values (see [`adds_nulls`]).
fn null_filled(from: &Table, to: &Table, name: &str) -> bool {
    from.column(name).is_none() && to.column(name).is_some_and(adds_nulls)
}

fn shown(type_text: &str) -> &str {
    if type_text.is_empty() {
        "(none)"
    } else {
        type_text
    }
}
