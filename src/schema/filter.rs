//! What introspection leaves out, in one place for every engine: the tool's own version
//! tables, the engine's internal objects, and objects an extension owns (the extension
//! creates and drops them; PostgreSQL marks them in `pg_depend` with deptype `e`).

use crate::dialect::Engine;

/// The objects an inspector leaves out of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    engine: Engine,
    /// The version table, its history table and (PostgreSQL) its lease table.
    own_tables: Vec<String>,
}

impl Filter {
    /// The filter of a project whose version table is `version_table` on `engine`.
    pub fn new(engine: Engine, version_table: &str) -> Filter {
        let mut own_tables = vec![
            version_table.to_string(),
            format!("{version_table}_history"),
        ];
        if engine == Engine::Postgres {
            // The lease rows of `lock = "table"` (dialect/postgres/lock/lease.rs).
            own_tables.push(format!("{version_table}_lock"));
        }
        Filter { engine, own_tables }
    }

    /// A filter that leaves out only the engine's internals (and nothing of the tool's).
    pub fn internals_only(engine: Engine) -> Filter {
        Filter {
            engine,
            own_tables: Vec::new(),
        }
    }

    /// The tool's own tables, for the desired-model cache key.
    pub fn own_tables(&self) -> &[String] {
        &self.own_tables
    }

    /// Whether `name` is one of the tool's own tables. SQLite and MySQL (on
    /// case-insensitive file systems) match table names without regard to ASCII case;
    /// PostgreSQL names are exact.
    pub fn is_own_table(&self, name: &str) -> bool {
        self.own_tables.iter().any(|own| match self.engine {
            Engine::Postgres => own == name,
            Engine::Sqlite | Engine::Mysql => own.eq_ignore_ascii_case(name),
        })
    }

    /// Whether an object called `name` is the engine's own (SQLite's `sqlite_*` tables
    /// and their indexes).
    pub fn is_internal(&self, name: &str) -> bool {
        match self.engine {
            Engine::Sqlite => name
                .as_bytes()
                .get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"sqlite_")),
            Engine::Postgres | Engine::Mysql => false,
        }
    }

    /// Whether a namespace is the engine's own (PostgreSQL: `pg_catalog`, `pg_toast`,
    /// `information_schema` and the other `pg_*` schemas), never managed even if
    /// configured.
    pub fn is_internal_namespace(&self, namespace: &str) -> bool {
        match self.engine {
            Engine::Postgres => namespace.starts_with("pg_") || namespace == "information_schema",
            Engine::Mysql => matches!(
                namespace.to_ascii_lowercase().as_str(),
                "mysql" | "information_schema" | "performance_schema" | "sys"
            ),
            Engine::Sqlite => false,
        }
    }

    /// Whether the model keeps a table called `name`.
    pub fn keeps_table(&self, name: &str) -> bool {
        !self.is_own_table(name) && !self.is_internal(name)
    }

    /// Whether the model keeps an object (index, view, trigger, type, sequence,
    /// function) called `name`, owned by an extension or not.
    pub fn keeps_object(&self, name: &str, owned_by_extension: bool) -> bool {
        !owned_by_extension && !self.is_internal(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_tables_match_by_the_engines_rules() {
        let sqlite = Filter::new(Engine::Sqlite, "migrate_version");
        assert!(!sqlite.keeps_table("MIGRATE_VERSION"));
        assert!(!sqlite.keeps_table("migrate_version_history"));
        assert!(!sqlite.keeps_table("sqlite_sequence"));
        assert!(sqlite.keeps_table("users"));
        assert!(sqlite.keeps_table("migrate_version_lock"));
        let postgres = Filter::new(Engine::Postgres, "migrate_version");
        assert!(!postgres.keeps_table("migrate_version"));
        assert!(postgres.keeps_table("MIGRATE_VERSION"));
        assert!(!postgres.keeps_table("migrate_version_lock"));
        assert!(postgres.keeps_table("sqlite_x"));
        assert!(!postgres.keeps_object("uuid_nil", true));
        assert!(postgres.is_internal_namespace("pg_toast"));
        assert!(!postgres.is_internal_namespace("public"));
    }
}
