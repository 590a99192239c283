//! Indexes, views and triggers: `CREATE`/`DROP INDEX`, `CREATE VIEW` with its options
//! (the definer left to the server), and triggers as the model keeps their statement.

use super::super::MysqlDialect;
use super::column::word;
use super::keys;
use crate::dialect::clauses::qualified;
use crate::dialect::Dialect;
use crate::diff::{describe, Op};
use crate::schema::View;
use anyhow::Result;

/// The statements performing an index, view or trigger op.
pub fn render(dialect: &MysqlDialect, op: &Op) -> Result<Vec<String>> {
    Ok(vec![match op {
        Op::CreateIndex(index) => keys::create_index(dialect, index),
        Op::DropIndex(index) => format!(
            "DROP INDEX {} ON {}",
            dialect.quote_ident(&index.name),
            qualified(dialect, &index.namespace, &index.table)
        ),
        Op::RenameIndex { from, to } => format!(
            "ALTER TABLE {} RENAME INDEX {} TO {}",
            qualified(dialect, &to.namespace, &to.table),
            dialect.quote_ident(&from.name),
            dialect.quote_ident(&to.name)
        ),
        Op::CreateView(view) => create_view(dialect, view)?,
        Op::DropView(view) => format!(
            "DROP VIEW {}",
            qualified(dialect, &view.namespace, &view.name)
        ),
        Op::CreateTrigger(trigger) => trigger.definition.clone(),
        Op::DropTrigger(trigger) => format!(
            "DROP TRIGGER {}",
            qualified(dialect, &trigger.namespace, &trigger.name)
        ),
        _ => anyhow::bail!("{} is not an index, view or trigger change", describe(op)),
    }])
}

/// `CREATE [ALGORITHM=...] [SQL SECURITY INVOKER] VIEW `name` AS ... [WITH ... CHECK
/// OPTION]`.
fn create_view(dialect: &MysqlDialect, view: &View) -> Result<String> {
    let ext = &view.ext.mysql;
    let mut out = "CREATE ".to_string();
    if let Some(algorithm) = &ext.algorithm {
        out.push_str(&format!("ALGORITHM={} ", word(algorithm)?));
    }
    if ext.security_invoker {
        out.push_str("SQL SECURITY INVOKER ");
    }
    out.push_str(&format!(
        "VIEW {} AS {}",
        qualified(dialect, &view.namespace, &view.name),
        view.definition
    ));
    if let Some(option) = &ext.check_option {
        out.push_str(&format!(" WITH {} CHECK OPTION", word(option)?));
    }
    Ok(out)
}
