//! PostgreSQL's equivalence and warning hooks: which type texts mean the same, which type
//! and collation changes keep every value, what table options and column re-additions
//! risk, and which changes `ALTER TABLE` makes in place. Both schemas a diff compares come
//! from the same server's catalogs (`format_type`, `pg_get_expr`), so texts are compared
//! nearly as they are; only the aliases a hand-written model may use are folded.

use super::PostgresDialect;
use crate::dialect::{collapse_whitespace, ServerVersion};
use crate::diff::{ColumnDelta, ColumnPart, TableChange};
use crate::schema::{Column, Table};

/// Aliases of built-in types and the name `format_type` gives them.
const ALIASES: &[(&str, &str)] = &[
    ("int", "integer"),
    ("int4", "integer"),
    ("int8", "bigint"),
    ("int2", "smallint"),
    ("varchar", "character varying"),
    ("char", "character"),
    ("bpchar", "character"),
    ("bool", "boolean"),
    ("float8", "double precision"),
    ("float4", "real"),
    ("decimal", "numeric"),
    ("timestamptz", "timestamp with time zone"),
    ("timestamp", "timestamp without time zone"),
    ("timetz", "time with time zone"),
    ("time", "time without time zone"),
    ("serial4", "serial"),
    ("serial8", "bigserial"),
    ("serial2", "smallserial"),
];

/// A type in the form `format_type` gives it: whitespace collapsed, built-in names lower
/// case and unaliased (`VARCHAR(10)` → `character varying(10)`, `int4[]` → `integer[]`);
/// texts with quoted names as they are.
pub fn normalize_type(type_text: &str) -> String {
    let text = collapse_whitespace(type_text);
    if text.contains('"') {
        return text;
    }
    let text = text.to_ascii_lowercase();
    let end = text.find(['(', '[']).unwrap_or(text.len());
    let (name, rest) = text.split_at(end);
    let name = name.trim_end();
    let rest = rest.replace(", ", ",");
    // Only a modifier and array brackets may follow an alias (`timestamp(3) with time
    // zone` is already the catalog's spelling).
    let after_modifier = rest.rsplit(')').next().unwrap_or(&rest);
    if !after_modifier.chars().all(|c| c == '[' || c == ']') {
        return format!("{name}{rest}");
    }
    match ALIASES.iter().find(|(alias, _)| *alias == name) {
        Some((_, canonical)) => format!("{canonical}{rest}"),
        None => format!("{name}{rest}"),
    }
}

/// The parts of a type: its canonical name (serials as their integer type) and its
/// modifiers (`numeric(10,2)` → `("numeric", [10, 2])`); `None` for arrays and types
/// whose modifier is not a list of numbers.
fn parts(type_text: &str) -> Option<(String, Vec<u32>)> {
    let text = normalize_type(type_text);
    if text.contains('[') || text.contains('"') {
        return None;
    }
    let (name, modifier) = match text.split_once('(') {
        None => (text.clone(), Vec::new()),
        Some((name, rest)) => {
            let (inside, after) = rest.split_once(')')?;
            let numbers = inside
                .split(',')
                .map(|n| n.trim().parse().ok())
                .collect::<Option<Vec<u32>>>()?;
            (format!("{}{after}", name.trim_end()), numbers)
        }
    };
    let name = match name.as_str() {
        "serial" => "integer".to_string(),
        "bigserial" => "bigint".to_string(),
        "smallserial" => "smallint".to_string(),
        _ => name,
    };
    Some((name, modifier))
}

/// The decimal digits an integer type's values need (`None` for other types).
fn integer_digits(name: &str) -> Option<u32> {
    match name {
        "smallint" => Some(5),
        "integer" => Some(10),
        "bigint" => Some(19),
        _ => None,
    }
}

/// Whether every value of type `from` is kept unchanged as type `to`: integers widened
/// (`integer` → `bigint`, → `numeric` with room, `smallint`/`integer` → `double
/// precision`), `real` → `double precision`, a length or precision raised or removed
/// (`varchar(10)` → `varchar(20)` or `text`, `numeric(8,2)` → `numeric(10,2)`,
/// `timestamp(0)` → `timestamp(3)`), a serial and its integer type.
pub fn type_change_keeps_values(from: &str, to: &str) -> bool {
    let (Some((from_name, from_mod)), Some((to_name, to_mod))) = (parts(from), parts(to)) else {
        return false;
    };
    let varying = |n: &str| n == "character varying" || n == "text";
    if let (Some(a), Some(b)) = (integer_digits(&from_name), integer_digits(&to_name)) {
        return a <= b;
    }
    if let Some(digits) = integer_digits(&from_name) {
        return match (to_name.as_str(), to_mod.as_slice()) {
            ("numeric", []) => true,
            ("numeric", [p]) => *p >= digits,
            ("numeric", [p, s]) => p.saturating_sub(*s) >= digits,
            ("double precision", _) => digits <= 10,
            ("real", _) => digits <= 5,
            _ => false,
        };
    }
    if from_name == "real" {
        return to_name == "double precision";
    }
    if varying(&from_name) && varying(&to_name) {
        // Unbounded `to`, or a bound at least `from`'s.
        return match (from_mod.as_slice(), to_mod.as_slice()) {
            (_, []) => true,
            ([a], [b]) => a <= b,
            _ => false,
        };
    }
    if from_name != to_name {
        return false;
    }
    match (from_name.as_str(), from_mod.as_slice(), to_mod.as_slice()) {
        ("numeric", _, []) => true,
        ("numeric", [p], [q]) => p <= q,
        ("numeric", [p, s], [q, t]) => s == t && p <= q,
        ("numeric", [p], [q, 0]) => p <= q,
        // Fractional-second precision (`timestamp(3)`), bit lengths of `bit varying`.
        (_, [_], []) => from_name != "character" && from_name != "bit",
        (_, [a], [b]) => a <= b && from_name != "character" && from_name != "bit",
        _ => false,
    }
}

/// Whether values that collation `from` tells apart stay apart under `to` (`None`: the
/// database default). PostgreSQL's predefined collations (libc locales, `C`, `POSIX`,
/// `ucs_basic`, ICU `*-x-icu`) are deterministic: equal means byte-equal under each, so
/// a change between them merges nothing. Only `CREATE COLLATION ... (deterministic =
/// false)` makes one that does, and its name says nothing of it: any other name may.
pub fn collation_keeps_distinct(to: Option<&str>) -> bool {
    let Some(to) = to else {
        return true;
    };
    let name = to.trim().trim_matches('"');
    // `"pg_catalog"."C"`: the name after the schema.
    let name = name.rsplit("\".\"").next().unwrap_or(name);
    let libc_locale = |n: &str| {
        let base = n.split(['.', '@']).next().unwrap_or(n);
        let (lang, region) = base.split_once('_').unwrap_or((base, "XX"));
        (2..=3).contains(&lang.len())
            && lang.chars().all(|c| c.is_ascii_lowercase())
            && region.chars().all(|c| c.is_ascii_alphanumeric())
    };
    matches!(
        name,
        "C" | "POSIX" | "default" | "ucs_basic" | "pg_c_utf8" | "unicode"
    ) || name.ends_with("-x-icu")
        || libc_locale(name)
}

/// Why turning table `from`'s options into `to`'s may fail on or lose its rows: a new
/// exclusion constraint fails on conflicting rows; an UNLOGGED table loses its rows in a
/// crash.
pub fn options_risk(from: &Table, to: &Table) -> Option<String> {
    let (old, new) = (&from.ext.postgres, &to.ext.postgres);
    let table = to.display_name();
    let mut risks: Vec<String> = new
        .exclusions
        .iter()
        .filter(|x| !old.exclusions.contains(x))
        .map(|x| {
            format!(
                "adds exclusion constraint {} to {table}: fails if existing rows conflict",
                x.name
            )
        })
        .collect();
    if new.unlogged && !old.unlogged {
        risks.push(format!(
            "makes {table} UNLOGGED: its rows are lost if the server crashes"
        ));
    }
    (!risks.is_empty()).then(|| risks.join("; "))
}

/// Whether changing column `from` into `to` drops the column and adds it again:
/// PostgreSQL cannot add or change a generation expression in place, and drops one only
/// from version 13 (`ALTER COLUMN ... DROP EXPRESSION`).
pub fn readds_column(
    server: &ServerVersion,
    from: &Column,
    to: &Column,
    delta: &ColumnDelta,
) -> bool {
    let drops_expression = from.generated.is_some() && to.generated.is_none();
    delta.has(ColumnPart::Generated) && !(drops_expression && server.at_least(&[13]))
}

/// Why turning table `from` into `to` changes values no single change announces: a
/// column that loses its generation expression and is dropped and added again (see
/// [`readds_column`]) loses its stored values, which NULL or its default replaces. (A
/// column that gains one says so itself: its expression replaces its values on every
/// engine.)
pub fn rebuild_risk(dialect: &PostgresDialect, from: &Table, to: &Table) -> Option<String> {
    let table = to.display_name();
    let risks: Vec<String> = to
        .columns
        .iter()
        .filter_map(|new| {
            let old = from.column(&new.name)?;
            let delta = ColumnDelta::between(old, new, dialect);
            let loses = readds_column(&dialect.server, old, new, &delta)
                && old.generated.is_some()
                && new.generated.is_none();
            loses.then(|| {
                format!(
                    "drops column {table}.{} and adds it again: its default replaces its values",
                    new.name
                )
            })
        })
        .collect();
    (!risks.is_empty()).then(|| risks.join("; "))
}

/// Whether `change` to `table` is made by `ALTER TABLE` without disturbing the table's
/// indexes: everything except a column dropped and added again (its indexes go with it,
/// so the differ drops and re-creates them around the change).
pub fn alter_in_place(server: &ServerVersion, change: &TableChange) -> bool {
    match change {
        TableChange::AlterColumn { from, to, delta } => !readds_column(server, from, to, delta),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_fold_to_the_catalog_spelling() {
        for (written, catalog) in [
            ("VARCHAR(10)", "character varying(10)"),
            ("int4", "integer"),
            ("INT8[]", "bigint[]"),
            ("numeric(10, 2)", "numeric(10,2)"),
            ("timestamptz", "timestamp with time zone"),
            ("timestamp(3) with time zone", "timestamp(3) with time zone"),
            ("\"Mood\"", "\"Mood\""),
            ("bigserial", "bigserial"),
        ] {
            assert_eq!(normalize_type(written), catalog, "{written}");
        }
        assert_ne!(normalize_type("\"Mood\""), normalize_type("mood"));
        assert_ne!(normalize_type("serial"), normalize_type("integer"));
    }

    #[test]
    fn widening_keeps_values_and_the_rest_may_not() {
        let keeps = [
            ("smallint", "integer"),
            ("integer", "bigint"),
            ("serial", "integer"),
            ("integer", "bigserial"),
            ("integer", "numeric"),
            ("integer", "numeric(12,2)"),
            ("integer", "double precision"),
            ("real", "double precision"),
            ("character varying(10)", "character varying(20)"),
            ("character varying(10)", "text"),
            ("text", "character varying"),
            ("numeric(8,2)", "numeric(10,2)"),
            ("numeric(8,2)", "numeric"),
            (
                "timestamp(0) without time zone",
                "timestamp(3) without time zone",
            ),
        ];
        for (from, to) in keeps {
            assert!(type_change_keeps_values(from, to), "{from} -> {to}");
        }
        let may_not = [
            ("bigint", "integer"),
            ("integer", "numeric(8,2)"),
            ("bigint", "double precision"),
            ("character varying(20)", "character varying(10)"),
            ("text", "character varying(10)"),
            ("numeric(8,2)", "numeric(10,3)"),
            ("numeric(8,2)", "numeric(6,2)"),
            ("character(5)", "text"),
            ("text", "integer"),
            ("json", "jsonb"),
            ("timestamp without time zone", "timestamp with time zone"),
            ("integer[]", "bigint[]"),
        ];
        for (from, to) in may_not {
            assert!(!type_change_keeps_values(from, to), "{from} -> {to}");
        }
    }

    #[test]
    fn predefined_collations_are_deterministic() {
        for to in [
            None,
            Some("\"C\""),
            Some("POSIX"),
            Some("\"en_US.utf8\""),
            Some("\"de-x-icu\""),
            Some("\"pg_catalog\".\"C\""),
        ] {
            assert!(collation_keeps_distinct(to), "{to:?}");
        }
        assert!(!collation_keeps_distinct(Some("\"case_insensitive\"")));
    }
}
