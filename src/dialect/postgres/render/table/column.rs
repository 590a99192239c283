//! A column's definition in `CREATE TABLE` and `ADD COLUMN`, and the clauses of its
//! identity sequence.

use super::super::super::PostgresDialect;
use crate::dialect::Dialect;
use crate::schema::{Column, Identity, SequenceOptions};
use anyhow::Result;

/// `"name" type [COLLATE c] [DEFAULT e | GENERATED ALWAYS AS (e) STORED] [NOT NULL]
/// [GENERATED ... AS IDENTITY (...)]`; the type as the catalog gives it (`serial` too),
/// the collation verbatim.
pub fn definition(dialect: &PostgresDialect, column: &Column) -> Result<String> {
    if column.type_text.trim().is_empty() {
        anyhow::bail!("column {} has no type", column.name);
    }
    let mut out = format!("{} {}", dialect.quote_ident(&column.name), column.type_text);
    if let Some(collation) = &column.collation {
        out.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(generated) = &column.generated {
        out.push_str(&crate::dialect::clauses::generated(generated));
    } else if let Some(default) = &column.default {
        out.push_str(&format!(" DEFAULT {default}"));
    }
    if !column.nullable {
        out.push_str(" NOT NULL");
    }
    if let Some(identity) = &column.ext.postgres.identity {
        out.push_str(&format!(" {}", identity_clause(identity)));
    }
    if column.on_update.is_some() {
        anyhow::bail!(
            "PostgreSQL has no ON UPDATE clause (column {})",
            column.name
        );
    }
    Ok(out)
}

/// Whether `column` is a serial that allows NULL: `serial` makes its column NOT NULL, so
/// the NOT NULL is dropped after the column is made.
pub fn nullable_serial(column: &Column) -> bool {
    column.nullable && serial_base(&column.type_text).is_some()
}

/// `ALTER TABLE <table> ALTER COLUMN "c" DROP NOT NULL`, `table` quoted.
pub fn drop_not_null(dialect: &PostgresDialect, table: &str, column: &Column) -> String {
    let col = dialect.quote_ident(&column.name);
    format!("ALTER TABLE {table} ALTER COLUMN {col} DROP NOT NULL")
}

/// `GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [(options)]`.
pub fn identity_clause(identity: &Identity) -> String {
    let options = sequence_options(&identity.options);
    let mut out = format!("GENERATED {} AS IDENTITY", generation(identity));
    if !options.is_empty() {
        out.push_str(&format!(" ({})", options.join(" ")));
    }
    out
}

/// `ALWAYS` or `BY DEFAULT`.
pub fn generation(identity: &Identity) -> &'static str {
    if identity.always {
        "ALWAYS"
    } else {
        "BY DEFAULT"
    }
}

/// The sequence options that differ from the defaults (`START WITH 10`, `CYCLE`), in the
/// order `CREATE SEQUENCE` documents them.
pub fn sequence_options(options: &SequenceOptions) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = options.increment {
        out.push(format!("INCREMENT BY {n}"));
    }
    if let Some(n) = options.min_value {
        out.push(format!("MINVALUE {n}"));
    }
    if let Some(n) = options.max_value {
        out.push(format!("MAXVALUE {n}"));
    }
    if let Some(n) = options.start {
        out.push(format!("START WITH {n}"));
    }
    if let Some(n) = options.cache {
        out.push(format!("CACHE {n}"));
    }
    if options.cycle {
        out.push("CYCLE".into());
    }
    out
}

/// The `SET ...` clauses of `ALTER COLUMN` that turn an identity's sequence options `from`
/// into `to` (an option back at its default: `NO MINVALUE`, `CACHE 1`, ...).
pub fn sequence_changes(from: &SequenceOptions, to: &SequenceOptions) -> Vec<String> {
    let mut out = Vec::new();
    if from.increment != to.increment {
        out.push(format!("SET INCREMENT BY {}", to.increment.unwrap_or(1)));
    }
    if from.min_value != to.min_value {
        out.push(
            to.min_value
                .map_or("SET NO MINVALUE".into(), |n| format!("SET MINVALUE {n}")),
        );
    }
    if from.max_value != to.max_value {
        out.push(
            to.max_value
                .map_or("SET NO MAXVALUE".into(), |n| format!("SET MAXVALUE {n}")),
        );
    }
    // The default start is the minimum of an ascending sequence, the maximum of a
    // descending one (whose own default maximum is -1): it moves with them.
    if effective_start(from) != effective_start(to) {
        out.push(format!("SET START WITH {}", effective_start(to)));
    }
    if from.cache != to.cache {
        out.push(format!("SET CACHE {}", to.cache.unwrap_or(1)));
    }
    if from.cycle != to.cycle {
        out.push(
            if to.cycle {
                "SET CYCLE"
            } else {
                "SET NO CYCLE"
            }
            .into(),
        );
    }
    out
}

/// The start value of a sequence with `options`.
fn effective_start(options: &SequenceOptions) -> i64 {
    options.start.unwrap_or_else(|| {
        if options.increment.unwrap_or(1) > 0 {
            options.min_value.unwrap_or(1)
        } else {
            options.max_value.unwrap_or(-1)
        }
    })
}

/// The integer type a `serial` pseudo-type stands for (`bigserial` → `bigint`); `None`
/// for any other type.
pub fn serial_base(type_text: &str) -> Option<&'static str> {
    match type_text.trim().to_ascii_lowercase().as_str() {
        "serial" | "serial4" => Some("integer"),
        "bigserial" | "serial8" => Some("bigint"),
        "smallserial" | "serial2" => Some("smallint"),
        _ => None,
    }
}

/// The type a column really has: a `serial`'s integer type, else the type text.
pub fn real_type(type_text: &str) -> &str {
    serial_base(type_text).unwrap_or(type_text)
}
