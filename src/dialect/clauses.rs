//! SQL fragments every server engine writes the same way, given its quoting: name lists,
//! namespace-qualified names, generated columns.

use super::Dialect;
use crate::schema::Generated;

/// Names quoted by `dialect` and joined by `, `.
pub fn quoted_list(dialect: &dyn Dialect, names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| dialect.quote_ident(n)).collect();
    quoted.join(", ")
}

/// `ns.name` quoted by `dialect`, or the quoted name alone where the namespace is empty.
pub fn qualified(dialect: &dyn Dialect, namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        dialect.quote_ident(name)
    } else {
        format!(
            "{}.{}",
            dialect.quote_ident(namespace),
            dialect.quote_ident(name)
        )
    }
}

/// ` GENERATED ALWAYS AS (expression) STORED` (or `VIRTUAL`), as PostgreSQL and MySQL
/// both write a generated column.
pub fn generated(generated: &Generated) -> String {
    let kind = if generated.stored {
        "STORED"
    } else {
        "VIRTUAL"
    };
    format!(" GENERATED ALWAYS AS ({}) {kind}", generated.expression)
}
