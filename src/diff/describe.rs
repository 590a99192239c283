//! One-line descriptions of ops, for `check` and autogenerate's progress lines.

use super::op::{Op, TableChange};
use crate::schema::display_name;

/// `add column users.email`, `create index ix_users_email on users`, ...: one line, its
/// control characters escaped (a name may hold a line break).
pub fn describe(op: &Op) -> String {
    crate::echo::escape(&unescaped(op))
}

fn unescaped(op: &Op) -> String {
    match op {
        Op::CreateTable(t) => format!("create table {}", t.display_name()),
        Op::DropTable(t) => format!("drop table {}", t.display_name()),
        Op::AlterTable { to, changes, .. } => {
            let table = to.display_name();
            let parts: Vec<String> = changes.iter().map(|c| change(&table, c)).collect();
            format!("alter table {table}: {}", parts.join(", "))
        }
        Op::RenameTable { from, to } => {
            format!("rename table {} to {}", from.display_name(), to.name)
        }
        Op::RenameIndex { from, to } => format!(
            "rename index {} on {} to {}",
            from.name,
            display_name(&to.namespace, &to.table),
            to.name
        ),
        Op::CreateIndex(i) => format!(
            "create index {} on {}",
            i.name,
            display_name(&i.namespace, &i.table)
        ),
        Op::DropIndex(i) => format!(
            "drop index {} on {}",
            i.name,
            display_name(&i.namespace, &i.table)
        ),
        Op::CreateView(v) => format!("create view {}", display_name(&v.namespace, &v.name)),
        Op::DropView(v) => format!("drop view {}", display_name(&v.namespace, &v.name)),
        Op::CreateTrigger(t) => format!(
            "create trigger {} on {}",
            t.name,
            display_name(&t.namespace, &t.table)
        ),
        Op::DropTrigger(t) => format!(
            "drop trigger {} on {}",
            t.name,
            display_name(&t.namespace, &t.table)
        ),
        Op::CreateNamespace(n) => format!("create schema {}", n.name),
        Op::DropNamespace(n) => format!("drop schema {}", n.name),
        Op::CreateExtension(e) => format!("create extension {}", e.name),
        Op::DropExtension(e) => format!("drop extension {}", e.name),
        Op::CreateEnum(e) => format!("create type {}", display_name(&e.namespace, &e.name)),
        Op::DropEnum(e) => format!("drop type {}", display_name(&e.namespace, &e.name)),
        Op::AlterEnum { from, to, .. } => format!(
            "alter type {} ({} -> {} labels)",
            display_name(&to.namespace, &to.name),
            from.labels.len(),
            to.labels.len()
        ),
        Op::CreateSequence(q) => format!("create sequence {}", display_name(&q.namespace, &q.name)),
        Op::DropSequence(q) => format!("drop sequence {}", display_name(&q.namespace, &q.name)),
        Op::AlterSequence { to, .. } => {
            format!("alter sequence {}", display_name(&to.namespace, &to.name))
        }
        Op::CreateFunction(f) => format!(
            "create function {}({})",
            display_name(&f.namespace, &f.name),
            f.arguments
        ),
        Op::DropFunction(f) => format!(
            "drop function {}({})",
            display_name(&f.namespace, &f.name),
            f.arguments
        ),
        Op::ReplaceFunction { to, .. } => format!(
            "replace function {}({})",
            display_name(&to.namespace, &to.name),
            to.arguments
        ),
    }
}

fn change(table: &str, change: &TableChange) -> String {
    let named =
        |name: &Option<String>| name.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
    match change {
        TableChange::AddColumn(c) => format!("add column {table}.{}", c.name),
        TableChange::DropColumn(c) => format!("drop column {table}.{}", c.name),
        TableChange::AlterColumn { to, delta, .. } => {
            let what: Vec<&str> = delta.parts().iter().map(|p| p.label()).collect();
            format!("alter column {table}.{} ({})", to.name, what.join(", "))
        }
        TableChange::SetPrimaryKey { to, .. } => match to {
            Some(pk) => format!("set primary key ({})", pk.columns.join(", ")),
            None => "drop primary key".to_string(),
        },
        TableChange::AddUnique(u) => {
            format!("add unique{} ({})", named(&u.name), u.columns.join(", "))
        }
        TableChange::DropUnique(u) => {
            format!("drop unique{} ({})", named(&u.name), u.columns.join(", "))
        }
        TableChange::AddForeignKey(f) => format!(
            "add foreign key{} ({}) references {}",
            named(&f.name),
            f.columns.join(", "),
            f.ref_table
        ),
        TableChange::DropForeignKey(f) => format!(
            "drop foreign key{} ({}) references {}",
            named(&f.name),
            f.columns.join(", "),
            f.ref_table
        ),
        TableChange::AddCheck(c) => format!("add check{} ({})", named(&c.name), c.expression),
        TableChange::DropCheck(c) => format!("drop check{} ({})", named(&c.name), c.expression),
        TableChange::RenameColumn { from, to } => {
            format!("rename column {table}.{} to {}", from.name, to.name)
        }
        TableChange::RenameKey { kind, from, to } => {
            format!("rename {} {from} to {to}", kind.label())
        }
        TableChange::ReorderColumns { to, .. } => format!("reorder columns ({})", to.join(", ")),
        TableChange::SetOptions => "change table options".to_string(),
    }
}
