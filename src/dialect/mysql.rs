//! MySQL/MariaDB's dialect: backtick identifiers, backslash escapes, DDL that commits.

use super::{Caps, Dialect, Engine};
use crate::sql::lex::LexOptions;

/// MySQL and MariaDB.
pub struct MysqlDialect;

impl Dialect for MysqlDialect {
    fn engine(&self) -> Engine {
        Engine::Mysql
    }
    fn caps(&self) -> Caps {
        Caps {
            transactional_ddl: false,
            foreign_key_indexes: true,
        }
    }
    fn lex_options(&self) -> LexOptions {
        LexOptions::MYSQL
    }
    fn quote_ident(&self, name: &str) -> String {
        format!("`{}`", name.replace('`', "``"))
    }
    /// MySQL treats a backslash in a string literal as an escape (unless
    /// NO_BACKSLASH_ESCAPES), so backslashes are doubled too.
    fn quote_literal(&self, value: &str) -> String {
        format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
    }
    fn serial_primary_key(&self, name: &str) -> String {
        format!(
            "{} BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY",
            self.quote_ident(name)
        )
    }
    fn long_text_type(&self) -> &'static str {
        "LONGTEXT"
    }
    fn now_text_expression(&self) -> &'static str {
        "CONCAT(DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f'), '+00:00')"
    }
    fn begin_statement(&self) -> &'static str {
        "START TRANSACTION"
    }
    fn render_op(&self, op: &crate::diff::Op) -> anyhow::Result<Vec<String>> {
        let _ = op;
        anyhow::bail!("autogenerate is not supported for MySQL yet")
    }
}
