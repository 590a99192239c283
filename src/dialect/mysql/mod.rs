//! MySQL/MariaDB's dialect: backtick identifiers, backslash escapes, DDL that commits.

pub mod connect;
pub mod driver;
pub mod inspect;
pub mod lock;
mod render;
mod risk;
mod scratch;
mod types;

pub use connect::ConnectSettings;
pub use driver::MysqlDriver;

use super::{Caps, Dialect, Engine, ServerVersion};
use crate::schema::Table;
use crate::sql::lex::LexOptions;

/// MySQL or MariaDB (the flavour) of a known version.
pub struct MysqlDialect {
    server: ServerVersion,
}

impl MysqlDialect {
    /// The dialect of `flavour` (`MySQL` or `MariaDB`) at version `numbers`.
    pub fn new(flavour: &'static str, numbers: Vec<u32>) -> Self {
        MysqlDialect {
            server: ServerVersion { flavour, numbers },
        }
    }
}

impl MysqlDialect {
    /// Whether `ALTER TABLE ... RENAME COLUMN` exists (MySQL 8.0, MariaDB 10.5.2); before
    /// it a column is renamed with `CHANGE`, which restates its whole definition.
    pub fn has_rename_column(&self) -> bool {
        self.since(&[8, 0], &[10, 5, 2])
    }

    /// Whether `ALTER TABLE ... RENAME INDEX` exists (MySQL 5.7, MariaDB 10.5.2).
    pub fn has_rename_index(&self) -> bool {
        self.since(&[5, 7], &[10, 5, 2])
    }

    /// Whether the server is at least `mysql` (MySQL) or `mariadb` (MariaDB).
    fn since(&self, mysql: &[u32], mariadb: &[u32]) -> bool {
        let wanted = if self.server.flavour == "MariaDB" {
            mariadb
        } else {
            mysql
        };
        self.server.at_least(wanted)
    }
}

impl Default for MysqlDialect {
    /// MySQL 8.0, where no server says.
    fn default() -> Self {
        Self::new("MySQL", vec![8, 0])
    }
}

impl Dialect for MysqlDialect {
    fn engine(&self) -> Engine {
        Engine::Mysql
    }
    /// Data changes: MySQL and MariaDB commit implicitly before and after DDL, `LOCK
    /// TABLES` and the like, never around INSERT, UPDATE, DELETE or REPLACE.
    fn joins_bookkeeping_transaction(&self, sql: &str) -> bool {
        matches!(
            crate::sql::first_keyword(sql).as_deref(),
            Some("INSERT" | "UPDATE" | "DELETE" | "REPLACE")
        )
    }
    fn server(&self) -> ServerVersion {
        self.server.clone()
    }
    fn caps(&self) -> Caps {
        Caps {
            transactional_ddl: false,
            foreign_key_indexes: true,
            reorders_columns: true,
            renames_constraints: false,
            renames_indexes: self.has_rename_index(),
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
    fn type_change_keeps_values(&self, table: &Table, from: &str, to: &str) -> bool {
        let _ = table;
        types::keeps_values(from, to)
    }
    /// `RENAME TABLE` renames the foreign keys named as the server names them
    /// (`<table>_ibfk_<n>`), and MySQL its generated check names (`<table>_chk_<n>`).
    fn renamed_with_table(&self, name: &str, old_table: &str, new_table: &str) -> Option<String> {
        let rest = name.strip_prefix(old_table)?;
        let kinds: &[&str] = if self.server.flavour == "MySQL" {
            &["_ibfk_", "_chk_"]
        } else {
            &["_ibfk_"]
        };
        kinds.iter().find_map(|kind| {
            let number = rest.strip_prefix(kind)?;
            (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
                .then(|| format!("{new_table}{rest}"))
        })
    }
    fn options_risk(&self, from: &Table, to: &Table) -> Option<String> {
        risk::options_risk(from, to)
    }
    /// Columns whose character set narrows (see [`risk::charset_risk`]).
    fn rebuild_risk(&self, from: &Table, to: &Table) -> Option<String> {
        risk::charset_risk(from, to)
    }
    fn render_op(&self, op: &crate::diff::Op) -> anyhow::Result<Vec<String>> {
        render::render_op(self, op)
    }
    fn render_ops(&self, ops: &[crate::diff::Op]) -> anyhow::Result<Vec<Vec<String>>> {
        render::render_ops(self, ops)
    }
}
