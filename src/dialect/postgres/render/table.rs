//! PostgreSQL DDL for tables, their columns and constraints, and indexes.

use super::super::PostgresDialect;
use crate::diff::{describe, Op};
use anyhow::Result;

/// The statements performing a table or index op.
pub fn render(dialect: &PostgresDialect, op: &Op) -> Result<Vec<String>> {
    let _ = dialect;
    anyhow::bail!("PostgreSQL cannot render {} yet", describe(op))
}
