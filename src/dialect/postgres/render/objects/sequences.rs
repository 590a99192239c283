//! PostgreSQL DDL for standalone sequences: `CREATE SEQUENCE` with the options that
//! differ from the defaults, and `ALTER SEQUENCE` for options and owner that change.

use super::super::super::PostgresDialect;
use super::qualified;
use crate::dialect::Dialect;
use crate::schema::{split_key, Sequence, SequenceOptions};

/// `CREATE SEQUENCE "ns"."s" AS bigint INCREMENT BY ... [CYCLE] [OWNED BY ...]`, each
/// option written only when it is not the default (`None`).
pub fn create(dialect: &PostgresDialect, sequence: &Sequence) -> String {
    let mut sql = format!(
        "CREATE SEQUENCE {}",
        qualified(dialect, &sequence.namespace, &sequence.name)
    );
    if !sequence.type_text.is_empty() {
        sql.push_str(&format!(" AS {}", sequence.type_text));
    }
    let o = &sequence.options;
    let clauses = [
        o.increment.map(|v| format!("INCREMENT BY {v}")),
        o.min_value.map(|v| format!("MINVALUE {v}")),
        o.max_value.map(|v| format!("MAXVALUE {v}")),
        o.start.map(|v| format!("START WITH {v}")),
        o.cache.map(|v| format!("CACHE {v}")),
        o.cycle.then(|| "CYCLE".to_string()),
        sequence
            .owned_by
            .as_ref()
            .map(|owner| owned_by(dialect, owner)),
    ];
    for clause in clauses.into_iter().flatten() {
        sql.push(' ');
        sql.push_str(&clause);
    }
    sql
}

/// `ALTER SEQUENCE "ns"."s" ...` with a clause per changed option (an option back to its
/// default written as the default: `NO MINVALUE`, `INCREMENT BY 1`, ...) and for a
/// changed owner (`OWNED BY NONE` when it has none); nothing when nothing changes.
///
/// The bounds are written again when the type or the direction changes (their defaults
/// depend on both, and ALTER keeps the old values unless told), and so is the start where
/// its value, given or default, changes. A sequence's current value must stay within its
/// bounds, so a new MINVALUE (MAXVALUE) above (below) it first moves it there with
/// `setval(..., false)`: the next value is the bound itself, and no value the sequence
/// could still give is skipped.
pub fn alter(dialect: &PostgresDialect, from: &Sequence, to: &Sequence) -> Vec<String> {
    let (a, b) = (&from.options, &to.options);
    let name = qualified(dialect, &to.namespace, &to.name);
    let reset_bounds = from.type_text != to.type_text || ascending(a) != ascending(b);
    let mut statements = Vec::new();
    let mut clauses = Vec::new();
    if from.type_text != to.type_text && !to.type_text.is_empty() {
        clauses.push(format!("AS {}", to.type_text));
    }
    if a.increment != b.increment {
        clauses.push(format!("INCREMENT BY {}", b.increment.unwrap_or(1)));
    }
    if a.min_value != b.min_value || reset_bounds {
        clauses.push(
            b.min_value
                .map_or("NO MINVALUE".into(), |v| format!("MINVALUE {v}")),
        );
    }
    if a.max_value != b.max_value || reset_bounds {
        clauses.push(
            b.max_value
                .map_or("NO MAXVALUE".into(), |v| format!("MAXVALUE {v}")),
        );
    }
    let raised_min = b.min_value.filter(|&m| m > a.min_value.unwrap_or(i64::MIN));
    let lowered_max = b.max_value.filter(|&m| m < a.max_value.unwrap_or(i64::MAX));
    for (bound, outside) in [(raised_min, "<"), (lowered_max, ">")] {
        if let Some(bound) = bound {
            statements.push(format!(
                "SELECT setval({}, {bound}, false) FROM {name} WHERE last_value {outside} {bound}",
                dialect.quote_literal(&name)
            ));
        }
    }
    if a.start.unwrap_or(default_start(a)) != b.start.unwrap_or(default_start(b)) {
        clauses.push(format!(
            "START WITH {}",
            b.start.unwrap_or(default_start(b))
        ));
    }
    if a.cache != b.cache {
        clauses.push(format!("CACHE {}", b.cache.unwrap_or(1)));
    }
    if a.cycle != b.cycle {
        clauses.push(if b.cycle { "CYCLE" } else { "NO CYCLE" }.to_string());
    }
    if from.owned_by != to.owned_by {
        clauses.push(match &to.owned_by {
            Some(owner) => owned_by(dialect, owner),
            None => "OWNED BY NONE".to_string(),
        });
    }
    if !clauses.is_empty() {
        statements.push(format!("ALTER SEQUENCE {name} {}", clauses.join(" ")));
    }
    statements
}

/// Whether the sequence counts up.
fn ascending(options: &SequenceOptions) -> bool {
    options.increment.unwrap_or(1) > 0
}

/// PostgreSQL's start value where none is given: the minimum of an ascending sequence,
/// the maximum of a descending one (<https://www.postgresql.org/docs/current/sql-createsequence.html>).
fn default_start(options: &SequenceOptions) -> i64 {
    if ascending(options) {
        options.min_value.unwrap_or(1)
    } else {
        options.max_value.unwrap_or(-1)
    }
}

/// `OWNED BY "ns"."t"."c"` for an owner given as the table's key and the column.
fn owned_by(dialect: &PostgresDialect, (table_key, column): &(String, String)) -> String {
    let (namespace, table) = split_key(table_key);
    format!(
        "OWNED BY {}.{}",
        qualified(dialect, namespace, table),
        dialect.quote_ident(column)
    )
}
