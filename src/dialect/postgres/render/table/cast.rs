//! Whether `ALTER COLUMN ... TYPE` needs a `USING` expression: PostgreSQL converts the
//! stored values with the assignment cast between the types, and refuses the change
//! ("column cannot be cast automatically") where there is none
//! (<https://www.postgresql.org/docs/current/sql-altertable.html>, `pg_cast.castcontext`).

/// A coarse type family, enough to tell whether an assignment cast exists.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    /// Character types: every type has an assignment (I/O) cast *to* them, and they have
    /// only explicit casts to anything else.
    Text,
    /// Integer and numeric types, which cast among themselves by assignment.
    Number,
    /// `integer` alone among the numbers has an explicit cast to `boolean`.
    Integer,
    Boolean,
    /// `json` and `jsonb`, which cast to each other by assignment.
    Json,
    /// `date`, `timestamp`, `timestamptz`, which cast among themselves by assignment.
    DateTime,
    /// Anything else (enums, uuid, arrays of other types...).
    Other,
}

/// The type's name without its modifier (`numeric(10,2)` → `numeric`), lower case.
fn base(type_text: &str) -> String {
    let lower = type_text.trim().to_ascii_lowercase();
    let name = match lower.find('(') {
        Some(at) => {
            let rest = lower[at..]
                .find(')')
                .map_or("", |end| &lower[at + end + 1..]);
            format!("{}{}", lower[..at].trim_end(), rest)
        }
        None => lower,
    };
    name.trim().to_string()
}

fn family(base: &str) -> Family {
    match base {
        "text" | "character varying" | "varchar" | "character" | "char" | "bpchar" | "name"
        | "citext" => Family::Text,
        "integer" | "int" | "int4" => Family::Integer,
        "smallint" | "bigint" | "int2" | "int8" | "numeric" | "decimal" | "real"
        | "double precision" | "float4" | "float8" => Family::Number,
        "boolean" | "bool" => Family::Boolean,
        "json" | "jsonb" => Family::Json,
        "date"
        | "timestamp"
        | "timestamptz"
        | "timestamp without time zone"
        | "timestamp with time zone" => Family::DateTime,
        _ => Family::Other,
    }
}

/// The `USING` expression converting column `quoted_column` from type `from` to `to`, or
/// `None` where the assignment cast does it. Explicit casts where PostgreSQL has one
/// (`text` to anything by its input function, `integer` to `boolean`), through `integer`
/// for the other numbers and `boolean`, through `text` otherwise (enum to enum).
pub fn using(quoted_column: &str, from: &str, to: &str) -> Option<String> {
    let (from_base, to_base) = (base(from), base(to));
    if from_base == to_base {
        return None; // only the modifier differs: the length/precision coercion
    }
    let (from_array, to_array) = (from_base.ends_with("[]"), to_base.ends_with("[]"));
    let element = |b: &str| b.trim_end_matches("[]").trim().to_string();
    let (f, t) = (family(&element(&from_base)), family(&element(&to_base)));
    let assignable = match (f, t) {
        (_, Family::Text) if !from_array || to_array => true,
        (Family::Number | Family::Integer, Family::Number | Family::Integer) => true,
        (Family::Json, Family::Json) | (Family::DateTime, Family::DateTime) => true,
        _ => false,
    };
    if assignable && from_array == to_array {
        return None;
    }
    let to = to.trim();
    Some(match (f, t) {
        _ if from_array != to_array => format!("{quoted_column}::text::{to}"),
        (Family::Text, _) | (Family::Integer, Family::Boolean) => format!("{quoted_column}::{to}"),
        (Family::Number | Family::Boolean, Family::Number | Family::Integer | Family::Boolean) => {
            format!("{quoted_column}::integer::{to}")
        }
        _ => format!("{quoted_column}::text::{to}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignment_casts_need_no_using() {
        for (from, to) in [
            ("integer", "bigint"),
            ("bigint", "integer"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("character varying(10)", "text"),
            ("integer", "text"),
            ("boolean", "character varying(5)"),
            ("json", "jsonb"),
            ("date", "timestamp with time zone"),
            ("double precision", "integer"),
            ("integer[]", "bigint[]"),
            ("\"Mood\"", "text"),
        ] {
            assert_eq!(using("\"c\"", from, to), None, "{from} -> {to}");
        }
    }

    #[test]
    fn the_rest_get_a_cast() {
        let cases = [
            ("text", "integer", "\"c\"::integer"),
            ("character varying(10)", "integer", "\"c\"::integer"),
            ("integer", "boolean", "\"c\"::boolean"),
            ("bigint", "boolean", "\"c\"::integer::boolean"),
            ("boolean", "bigint", "\"c\"::integer::bigint"),
            ("text", "jsonb", "\"c\"::jsonb"),
            ("text", "\"Mood\"", "\"c\"::\"Mood\""),
            ("\"Mood\"", "mood2", "\"c\"::text::mood2"),
            ("integer", "integer[]", "\"c\"::text::integer[]"),
        ];
        for (from, to, expected) in cases {
            assert_eq!(
                using("\"c\"", from, to).as_deref(),
                Some(expected),
                "{from} -> {to}"
            );
        }
    }
}
