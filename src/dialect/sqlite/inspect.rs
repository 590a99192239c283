//! SQLite introspection: a fixed number of catalog queries (sqlite_schema joined with the
//! table-valued pragmas) plus parsing of the stored CREATE statements for what the pragmas
//! do not report (constraint names, CHECKs, AUTOINCREMENT, collations, deferrable).

use crate::schema::Schema;
use anyhow::Result;
use rusqlite::Connection;

/// Reads the schema of `conn`'s main database, leaving out `exclude` and sqlite_* objects.
pub fn inspect(conn: &Connection, exclude: &[&str]) -> Result<Schema> {
    let _ = (conn, exclude);
    todo!("helper: SQLite introspection")
}
