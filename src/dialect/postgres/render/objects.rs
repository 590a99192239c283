//! PostgreSQL DDL for views, triggers and the schema-level objects: schemas, extensions,
//! enum types, sequences and functions.

use super::super::PostgresDialect;
use crate::diff::{describe, Op};
use anyhow::Result;

/// The statements performing an op on a view, trigger or schema-level object.
pub fn render(dialect: &PostgresDialect, op: &Op) -> Result<Vec<String>> {
    let _ = dialect;
    anyhow::bail!("PostgreSQL cannot render {} yet", describe(op))
}
