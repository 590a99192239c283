//! PostgreSQL DDL for standalone sequences: `CREATE SEQUENCE` with the options that
//! differ from the defaults, and `ALTER SEQUENCE` for options and owner that change.

use super::super::super::PostgresDialect;
use super::qualified;
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
/// changed owner (`OWNED BY NONE` when it has none); `None` when nothing changes.
pub fn alter(dialect: &PostgresDialect, from: &Sequence, to: &Sequence) -> Option<String> {
    let (a, b) = (&from.options, &to.options);
    let mut clauses = Vec::new();
    if from.type_text != to.type_text && !to.type_text.is_empty() {
        clauses.push(format!("AS {}", to.type_text));
    }
    if a.increment != b.increment {
        clauses.push(format!("INCREMENT BY {}", b.increment.unwrap_or(1)));
    }
    if a.min_value != b.min_value {
        clauses.push(
            b.min_value
                .map_or("NO MINVALUE".into(), |v| format!("MINVALUE {v}")),
        );
    }
    if a.max_value != b.max_value {
        clauses.push(
            b.max_value
                .map_or("NO MAXVALUE".into(), |v| format!("MAXVALUE {v}")),
        );
    }
    if a.start != b.start {
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
    (!clauses.is_empty()).then(|| {
        format!(
            "ALTER SEQUENCE {} {}",
            qualified(dialect, &to.namespace, &to.name),
            clauses.join(" ")
        )
    })
}

/// PostgreSQL's start value where none is given: the minimum of an ascending sequence,
/// the maximum of a descending one (<https://www.postgresql.org/docs/current/sql-createsequence.html>).
fn default_start(options: &SequenceOptions) -> i64 {
    if options.increment.unwrap_or(1) > 0 {
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
        crate::dialect::Dialect::quote_ident(dialect, column)
    )
}
