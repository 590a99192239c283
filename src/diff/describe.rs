//! One-line descriptions of ops, for `check` and autogenerate's progress lines.

use super::op::{Op, TableChange};

/// `add column users.email`, `create index ix_users_email on users`, ...: one line, its
/// control characters escaped (a name may hold a line break).
pub fn describe(op: &Op) -> String {
    crate::echo::escape(&unescaped(op))
}

fn unescaped(op: &Op) -> String {
    match op {
        Op::CreateTable(t) => format!("create table {}", t.name),
        Op::DropTable(t) => format!("drop table {}", t.name),
        Op::AlterTable { to, changes, .. } => {
            let parts: Vec<String> = changes.iter().map(|c| change(&to.name, c)).collect();
            format!("alter table {}: {}", to.name, parts.join(", "))
        }
        Op::CreateIndex(i) => format!("create index {} on {}", i.name, i.table),
        Op::DropIndex(i) => format!("drop index {} on {}", i.name, i.table),
        Op::CreateView(v) => format!("create view {}", v.name),
        Op::DropView(v) => format!("drop view {}", v.name),
        Op::CreateTrigger(t) => format!("create trigger {} on {}", t.name, t.table),
        Op::DropTrigger(t) => format!("drop trigger {} on {}", t.name, t.table),
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
        TableChange::ReorderColumns { to, .. } => format!("reorder columns ({})", to.join(", ")),
        TableChange::SetOptions => "change table options".to_string(),
    }
}
