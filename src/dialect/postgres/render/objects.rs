//! PostgreSQL DDL for views, triggers and the schema-level objects: schemas, extensions,
//! enum types (`objects/enums.rs`), sequences (`objects/sequences.rs`) and functions.

mod enums;
mod sequences;
#[cfg(test)]
mod tests;

pub use enums::new_labels_used_later;

use super::super::PostgresDialect;
pub(crate) use super::{comment_on, qualified};
use crate::dialect::Dialect;
use crate::diff::{describe, Op};
use crate::schema::{Extension, Function, Namespace, View};
use anyhow::Result;

/// The statements performing an op on a view, trigger or schema-level object.
pub fn render(dialect: &PostgresDialect, op: &Op) -> Result<Vec<String>> {
    let d = dialect;
    Ok(match op {
        Op::CreateView(view) => {
            let mut statements = vec![create_view(d, view)];
            if let Some(comment) = &view.ext.postgres.comment {
                let what = format!(
                    "{}VIEW {}",
                    materialized(view),
                    qualified(d, &view.namespace, &view.name)
                );
                statements.push(comment_on(d, &what, Some(comment)));
            }
            statements
        }
        Op::DropView(view) => vec![format!(
            "DROP {}VIEW {}",
            materialized(view),
            qualified(d, &view.namespace, &view.name)
        )],
        // `pg_get_triggerdef` text: already qualified, and complete.
        Op::CreateTrigger(trigger) => vec![statement_text(&trigger.definition)],
        Op::DropTrigger(trigger) => vec![format!(
            "DROP TRIGGER {} ON {}",
            d.quote_ident(&trigger.name),
            qualified(d, &trigger.namespace, &trigger.table)
        )],
        Op::CreateNamespace(namespace) => create_namespace(d, namespace),
        Op::DropNamespace(namespace) => {
            vec![format!("DROP SCHEMA {}", d.quote_ident(&namespace.name))]
        }
        Op::CreateExtension(extension) => vec![create_extension(d, extension)],
        Op::DropExtension(extension) => vec![format!(
            "DROP EXTENSION IF EXISTS {}",
            d.quote_ident(&extension.name)
        )],
        Op::CreateEnum(enum_type) => enums::create(d, enum_type),
        Op::DropEnum(enum_type) => vec![format!(
            "DROP TYPE {}",
            qualified(d, &enum_type.namespace, &enum_type.name)
        )],
        Op::AlterEnum { from, to, uses } => enums::alter(d, from, to, uses),
        Op::CreateSequence(sequence) => vec![sequences::create(d, sequence)],
        Op::DropSequence(sequence) => vec![format!(
            "DROP SEQUENCE {}",
            qualified(d, &sequence.namespace, &sequence.name)
        )],
        Op::AlterSequence { from, to } => sequences::alter(d, from, to),
        // `pg_get_functiondef` text: `CREATE OR REPLACE FUNCTION`, qualified.
        Op::CreateFunction(function) => vec![statement_text(&function.definition)],
        Op::DropFunction(function) => vec![drop_function(d, function)],
        Op::ReplaceFunction { from, to } => replace_function(d, from, to),
        Op::CreateTable(_)
        | Op::DropTable(_)
        | Op::AlterTable { .. }
        | Op::RenameTable { .. }
        | Op::CreateIndex(_)
        | Op::DropIndex(_)
        | Op::RenameIndex { .. } => anyhow::bail!(
            "{} is a table or index op, rendered by render/table.rs",
            describe(op)
        ),
    })
}

/// Adds to the statements of a section (`rendered`, parallel to `ops`) what the section
/// as a whole needs:
/// - a note before an enum label's `ADD VALUE` that the section uses later (it then runs
///   outside a transaction: see [`new_labels_used_later`]);
/// - `SET LOCAL check_function_bodies = off` before its first SQL-language function.
///   PostgreSQL checks such a body when the function is created, but the differ creates
///   functions in name order, not in the order they call one another, and before the
///   views: `a()` calling `b()`, or reading a view, would fail although everything exists
///   once the revision ends. pg_dump turns the check off for the same reason. The bodies
///   were checked when the desired schema was loaded, and `SET LOCAL` ends with the
///   revision's transaction, so the session (and a revision written by hand) keeps the
///   check. (Outside a transaction PostgreSQL ignores `SET LOCAL`, with a warning, and
///   checks as usual.) Bodies in the SQL-standard form (`BEGIN ATOMIC`) are always
///   checked; their order is the differ's.
pub fn complete_section(dialect: &PostgresDialect, ops: &[Op], rendered: &mut [Vec<String>]) {
    for (index, labels) in new_labels_used_later(dialect, ops, rendered) {
        let literals: Vec<String> = labels.iter().map(|l| dialect.quote_literal(l)).collect();
        let note = format!(
            "-- NOTE: this revision uses the new enum label(s) {} after adding them, which \
             PostgreSQL allows only once the ADD VALUE is committed: it runs outside a \
             transaction (-- transaction: none)\n",
            crate::echo::escape(&literals.join(", "))
        );
        if let Some(first) = rendered[index].first_mut() {
            first.insert_str(0, &note);
        }
    }
    let first_sql_function = ops.iter().position(|op| match op {
        Op::CreateFunction(function) | Op::ReplaceFunction { to: function, .. } => function
            .definition
            .lines()
            .any(|line| line.trim().eq_ignore_ascii_case("LANGUAGE sql")),
        _ => false,
    });
    if let Some(index) = first_sql_function {
        rendered[index].insert(
            0,
            "-- SQL function bodies are checked on their first call, not here: functions are created in name order, not in the order they call each other\n\
             SET LOCAL check_function_bodies = off"
                .to_string(),
        );
    }
}

/// A statement as the catalog functions give it, without its trailing whitespace and
/// terminator (the section adds `;`).
fn statement_text(definition: &str) -> String {
    definition
        .trim_end()
        .trim_end_matches(';')
        .trim_end()
        .to_string()
}

/// `MATERIALIZED ` for a materialized view.
fn materialized(view: &View) -> &'static str {
    if view.ext.postgres.materialized {
        "MATERIALIZED "
    } else {
        ""
    }
}

/// `CREATE [MATERIALIZED] VIEW "ns"."v" AS <query>`, the query as `pg_get_viewdef` gives
/// it. A materialized view is created `WITH DATA` (PostgreSQL's default, written out):
/// pg_dump writes `WITH NO DATA` and refreshes it after loading the rows, but a migration
/// has no later step, and an unpopulated view refuses every query until refreshed.
fn create_view(dialect: &PostgresDialect, view: &View) -> String {
    let query = statement_text(&view.definition);
    let query = query.trim_start_matches(['\n', '\r']);
    let name = qualified(dialect, &view.namespace, &view.name);
    let (with, check) = view_options(dialect, &view.ext.postgres.options);
    if view.ext.postgres.materialized {
        format!("CREATE MATERIALIZED VIEW {name}{with} AS\n{query}\n  WITH DATA")
    } else {
        format!("CREATE VIEW {name}{with} AS\n{query}{check}")
    }
}

/// A view's `reloptions` as ` WITH ("name" = 'value', ...)` and its `check_option` as
/// `\n  WITH LOCAL|CASCADED CHECK OPTION` (each empty when there is none).
fn view_options(dialect: &PostgresDialect, options: &[String]) -> (String, String) {
    let mut with = Vec::new();
    let mut check = String::new();
    for option in options {
        let (key, value) = option.split_once('=').unwrap_or((option, "true"));
        match (key, value.to_ascii_lowercase().as_str()) {
            ("check_option", level @ ("local" | "cascaded")) => {
                check = format!("\n  WITH {} CHECK OPTION", level.to_ascii_uppercase())
            }
            _ => with.push(format!(
                "{} = {}",
                dialect.quote_ident(key),
                dialect.quote_literal(value)
            )),
        }
    }
    let with = match with.is_empty() {
        true => String::new(),
        false => format!(" WITH ({})", with.join(", ")),
    };
    (with, check)
}

/// `CREATE SCHEMA` and its comment.
fn create_namespace(dialect: &PostgresDialect, namespace: &Namespace) -> Vec<String> {
    let name = dialect.quote_ident(&namespace.name);
    let mut statements = vec![format!("CREATE SCHEMA {name}")];
    if let Some(comment) = &namespace.comment {
        statements.push(comment_on(
            dialect,
            &format!("SCHEMA {name}"),
            Some(comment),
        ));
    }
    statements
}

/// `CREATE EXTENSION IF NOT EXISTS "x" WITH SCHEMA "ns"`.
///
/// An extension belongs to the database, not to one of its schemas, and creating one
/// usually takes privileges a migration role lacks, so a DBA often installs it ahead of
/// time, or another project sharing the database did, in a schema this project does not
/// manage (and so does not see). `IF NOT EXISTS` then makes the create a no-op instead of
/// a failed revision; `IF EXISTS` on the drop likewise tolerates one already removed by
/// whoever shares it.
fn create_extension(dialect: &PostgresDialect, extension: &Extension) -> String {
    let mut sql = format!(
        "CREATE EXTENSION IF NOT EXISTS {}",
        dialect.quote_ident(&extension.name)
    );
    if !extension.namespace.is_empty() {
        sql.push_str(&format!(
            " WITH SCHEMA {}",
            dialect.quote_ident(&extension.namespace)
        ));
    }
    sql
}

/// `DROP FUNCTION "ns"."f"(argument types)`.
fn drop_function(dialect: &PostgresDialect, function: &Function) -> String {
    format!(
        "DROP FUNCTION {}({})",
        qualified(dialect, &function.namespace, &function.name),
        function.arguments
    )
}

/// `CREATE OR REPLACE` with the new definition; DROP then CREATE when the return type or
/// the arguments' names or defaults change, which `CREATE OR REPLACE FUNCTION` refuses
/// ("cannot change return type of existing function", "cannot change name of input
/// parameter", "cannot remove parameter defaults from existing function").
fn replace_function(dialect: &PostgresDialect, from: &Function, to: &Function) -> Vec<String> {
    let create = statement_text(&to.definition);
    if signature(&from.definition) == signature(&to.definition) {
        return vec![create];
    }
    vec![
        format!(
            "-- CREATE OR REPLACE cannot change a function's return type or its arguments' names or defaults: dropped and created again\n{}",
            drop_function(dialect, from)
        ),
        create,
    ]
}

/// The parts of a `pg_get_functiondef` text that `CREATE OR REPLACE` cannot change: its
/// first line (name, and arguments with their modes, names and defaults) and its
/// `RETURNS` line.
fn signature(definition: &str) -> (&str, Option<&str>) {
    let mut lines = definition.trim_start().lines();
    let head = lines.next().unwrap_or_default().trim_end();
    let returns = lines
        .map(str::trim)
        .find(|line| line.starts_with("RETURNS "));
    (head, returns)
}
