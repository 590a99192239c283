//! What SQLite stores in a column: the type affinity its declared type gives, and the
//! rowid alias that never holds NULL. Warnings ask these to tell a change that may lose
//! data from one that cannot.

use crate::schema::Table;

/// A column's type affinity (<https://www.sqlite.org/datatype3.html#type_affinity>).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Affinity {
    Integer,
    Text,
    Blob,
    Real,
    Numeric,
}

/// The affinity of a declared type, by the five rules of
/// <https://www.sqlite.org/datatype3.html#determination_of_column_affinity>, in their
/// order (so `CHARINT` is INTEGER and `FLOATING POINT` too). In a STRICT table the same
/// rules give each allowed type (`INT`, `INTEGER`, `REAL`, `TEXT`, `BLOB`, `ANY`) its own
/// affinity except `INT` and `INTEGER`, which store the same values.
pub fn affinity(declared: &str) -> Affinity {
    let upper = declared.to_ascii_uppercase();
    let has = |words: &[&str]| words.iter().any(|w| upper.contains(w));
    if has(&["INT"]) {
        Affinity::Integer
    } else if has(&["CHAR", "CLOB", "TEXT"]) {
        Affinity::Text
    } else if has(&["BLOB"]) || upper.trim().is_empty() {
        Affinity::Blob
    } else if has(&["REAL", "FLOA", "DOUB"]) {
        Affinity::Real
    } else {
        Affinity::Numeric
    }
}

/// Whether `column` is `table`'s rowid alias: the one column of the primary key of a
/// rowid table, declared exactly `INTEGER` (quoted or not), its key not descending (`INTEGER PRIMARY KEY
/// DESC` written on the column is an ordinary key, which the inspector reports with a
/// descending index; see <https://www.sqlite.org/lang_createtable.html#rowid>). It holds
/// the rowid, which is never NULL.
pub fn is_rowid_alias(table: &Table, column: &str) -> bool {
    let Some(pk) = table.primary_key.as_ref() else {
        return false;
    };
    !table.ext.sqlite.without_rowid
        && pk.columns.len() == 1
        && pk.columns[0].eq_ignore_ascii_case(column)
        && !pk.descending.contains(&true)
        && table
            .column(&pk.columns[0])
            .is_some_and(|c| unquoted(&c.type_text).eq_ignore_ascii_case("INTEGER"))
}

/// A declared type as SQLite stores it: without the one pair of quotes (`"INTEGER"`,
/// `[INTEGER]`, `'INTEGER'`, `` `INTEGER` ``) that may enclose it as written.
fn unquoted(type_text: &str) -> &str {
    let pairs = [('"', '"'), ('[', ']'), ('\'', '\''), ('`', '`')];
    pairs
        .iter()
        .find_map(|(open, close)| type_text.strip_prefix(*open)?.strip_suffix(*close))
        .unwrap_or(type_text)
}

#[cfg(test)]
mod tests;
