//! PostgreSQL's dialect: double-quoted identifiers, dollar quoting, transactional DDL.

use super::{Caps, Dialect, Engine};
use crate::sql::lex::LexOptions;

/// PostgreSQL.
pub struct PostgresDialect;

impl Dialect for PostgresDialect {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }
    fn caps(&self) -> Caps {
        Caps {
            transactional_ddl: true,
            foreign_key_indexes: false,
        }
    }
    fn lex_options(&self) -> LexOptions {
        LexOptions::POSTGRES
    }
    fn serial_primary_key(&self, name: &str) -> String {
        format!("{} BIGSERIAL PRIMARY KEY", self.quote_ident(name))
    }
    fn now_text_expression(&self) -> &'static str {
        "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00'"
    }
    fn render_op(&self, op: &crate::diff::Op) -> anyhow::Result<Vec<String>> {
        let _ = op;
        anyhow::bail!("autogenerate is not supported for PostgreSQL yet")
    }
}
