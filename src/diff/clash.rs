//! Names several kinds of object share: in SQLite (and among PostgreSQL's relations)
//! tables, indexes, views and triggers live in one namespace, so a section that drops
//! table `a_x` and creates an index `a_x` must drop first, whatever order its tables
//! take.
//!
//! The rule: a drop whose name (as the dialect folds it) a create earlier in the section
//! takes moves to just before the first such create, together with the drops of its
//! table's (or materialized view's) indexes that come right before it (an index goes
//! before its relation). Creates
//! never move, so nothing that depends on a created object loses it; a drop moved earlier
//! only frees a name sooner, and whatever read the dropped object (views, triggers,
//! foreign keys of the first phase) is already gone by then. Each move puts one drop
//! before a create of its name, so the loop ends. Reversing the inverse keeps the drop
//! before the create.

use super::op::Op;
use crate::dialect::Dialect;
use crate::schema::key;

/// `ops` with every drop before the creates that reuse its name (see the module text).
pub fn drops_before_creates(mut ops: Vec<Op>, dialect: &dyn Dialect) -> Vec<Op> {
    while let Some((create, drop)) = first_clash(&ops, dialect) {
        let start = block_start(&ops, drop);
        let block: Vec<Op> = ops.drain(start..=drop).collect();
        ops.splice(create..create, block);
    }
    ops
}

/// The first create (by position) whose name a later drop frees, with that drop.
fn first_clash(ops: &[Op], dialect: &dyn Dialect) -> Option<(usize, usize)> {
    ops.iter().enumerate().find_map(|(at, op)| {
        let (namespace, name) = created(op)?;
        let name = dialect.fold_identifier(name);
        let drop = ops[at + 1..].iter().position(|later| {
            dropped(later)
                .is_some_and(|(ns, n)| ns == namespace && dialect.fold_identifier(n) == name)
        })?;
        Some((at, at + 1 + drop))
    })
}

/// Where the block moved with the drop at `drop` starts: a dropped table (or
/// materialized view) takes along the drops of its own indexes right before it.
fn block_start(ops: &[Op], drop: usize) -> usize {
    let relation = match &ops[drop] {
        Op::DropTable(table) => table.key(),
        Op::DropView(view) => key(&view.namespace, &view.name),
        _ => return drop,
    };
    let own = |op: &Op| matches!(op, Op::DropIndex(i) if i.table_key() == relation);
    drop - ops[..drop].iter().rev().take_while(|op| own(op)).count()
}

/// The namespace and name of the object `op` creates, if it creates one that takes a
/// name of the shared namespace (PostgreSQL sequences and types share it with relations:
/// each table has a type of its name).
fn created(op: &Op) -> Option<(&str, &str)> {
    match op {
        Op::CreateTable(t) => Some((&t.namespace, &t.name)),
        Op::CreateIndex(i) => Some((&i.namespace, &i.name)),
        Op::CreateView(v) => Some((&v.namespace, &v.name)),
        Op::CreateTrigger(t) => Some((&t.namespace, &t.name)),
        Op::CreateSequence(q) => Some((&q.namespace, &q.name)),
        Op::CreateEnum(e) => Some((&e.namespace, &e.name)),
        _ => None,
    }
}

/// The namespace and name of the object `op` drops, if it drops one (as `created`).
fn dropped(op: &Op) -> Option<(&str, &str)> {
    match op {
        Op::DropTable(t) => Some((&t.namespace, &t.name)),
        Op::DropIndex(i) => Some((&i.namespace, &i.name)),
        Op::DropView(v) => Some((&v.namespace, &v.name)),
        Op::DropTrigger(t) => Some((&t.namespace, &t.name)),
        Op::DropSequence(q) => Some((&q.namespace, &q.name)),
        Op::DropEnum(e) => Some((&e.namespace, &e.name)),
        _ => None,
    }
}
