//! PostgreSQL's dialect: double-quoted identifiers, dollar quoting, transactional DDL.

mod confine;
pub mod connect;
pub mod driver;
mod equivalence;
pub mod inspect;
pub mod lock;
mod render;
mod scratch;

pub use connect::ConnectSettings;
pub use driver::PgDriver;
pub use lock::LockMode;

use super::{Caps, Dialect, Engine, ServerVersion};
use crate::diff::TableChange;
use crate::schema::Table;
use crate::sql::lex::LexOptions;

/// PostgreSQL of a known version.
pub struct PostgresDialect {
    server: ServerVersion,
}

impl PostgresDialect {
    /// The oldest version `migrate` supports (PostgreSQL 12), where no server says.
    pub const OLDEST: [u32; 1] = [12];

    /// The dialect of PostgreSQL `numbers` (`[15, 4]`).
    pub fn new(numbers: Vec<u32>) -> Self {
        PostgresDialect {
            server: ServerVersion {
                flavour: "PostgreSQL",
                numbers,
            },
        }
    }
}

impl Default for PostgresDialect {
    fn default() -> Self {
        Self::new(Self::OLDEST.to_vec())
    }
}

impl Dialect for PostgresDialect {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }
    fn server(&self) -> ServerVersion {
        self.server.clone()
    }
    fn caps(&self) -> Caps {
        Caps {
            transactional_ddl: true,
            foreign_key_indexes: false,
            reorders_columns: false,
            renames_constraints: true,
            renames_indexes: true,
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
    fn normalize_type(&self, type_text: &str) -> String {
        equivalence::normalize_type(type_text)
    }
    fn alter_in_place(&self, _table: &Table, change: &TableChange) -> bool {
        equivalence::alter_in_place(&self.server, change)
    }
    fn type_change_keeps_values(&self, _table: &Table, from: &str, to: &str) -> bool {
        equivalence::type_change_keeps_values(from, to)
    }
    fn collation_keeps_distinct(&self, _from: Option<&str>, to: Option<&str>) -> bool {
        equivalence::collation_keeps_distinct(to)
    }
    fn options_risk(&self, from: &Table, to: &Table) -> Option<String> {
        equivalence::options_risk(from, to)
    }
    fn rebuild_risk(&self, from: &Table, to: &Table) -> Option<String> {
        equivalence::rebuild_risk(self, from, to)
    }
    fn scratch_refusal(&self, sql: &str) -> Option<String> {
        confine::refusal(sql)
    }
    fn render_op(&self, op: &crate::diff::Op) -> anyhow::Result<Vec<String>> {
        render::render_op(self, op)
    }
    fn render_ops(&self, ops: &[crate::diff::Op]) -> anyhow::Result<Vec<Vec<String>>> {
        render::render_ops(self, ops)
    }
    fn runs_outside_transaction(&self, ops: &[crate::diff::Op]) -> anyhow::Result<bool> {
        render::runs_outside_transaction(self, ops)
    }
}
