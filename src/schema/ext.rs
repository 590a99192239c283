//! Engine-specific facts, typed per engine and attached to the neutral objects (as Atlas
//! attaches engine attributes). Each object carries one struct per engine; an inspector
//! fills its own engine's part and leaves the others at their defaults. The differ
//! compares them by equality without knowing what they mean; the engine's renderer reads
//! its own part.

use super::{Deferrable, Uncompared};
use serde::{Deserialize, Serialize};

/// Whether a value is its type's default (serde's `skip_serializing_if`). Not for a
/// struct holding an `Uncompared` value, which equals every other.
fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Engine facts of a table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableExt {
    #[serde(default, skip_serializing_if = "is_default")]
    pub sqlite: SqliteTable,
    #[serde(default, skip_serializing_if = "is_default")]
    pub postgres: PostgresTable,
    /// Skipped when empty by its own test: it holds an `Uncompared` value.
    #[serde(default, skip_serializing_if = "MysqlTable::is_empty")]
    pub mysql: MysqlTable,
}

/// SQLite table options.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqliteTable {
    /// `WITHOUT ROWID`.
    pub without_rowid: bool,
    /// `STRICT`.
    pub strict: bool,
}

/// PostgreSQL table facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostgresTable {
    /// `UNLOGGED`.
    pub unlogged: bool,
    /// Exclusion constraints, sorted by name.
    pub exclusions: Vec<Exclusion>,
}

/// A PostgreSQL exclusion constraint.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Exclusion {
    pub name: String,
    /// What `pg_get_constraintdef` gives (`EXCLUDE USING gist (room WITH =, during WITH &&)`).
    pub definition: String,
}

/// MySQL/MariaDB table options.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MysqlTable {
    /// `ENGINE=InnoDB`.
    pub engine: Option<String>,
    /// The default character set, where it differs from the database's.
    pub charset: Option<String>,
    /// The default collation, where it differs from the database's.
    pub collation: Option<String>,
    /// `AUTO_INCREMENT=N`: the table's next value where it is above 1. The server keeps
    /// one counter, which an `AUTO_INCREMENT=N` option and inserted rows both move, so
    /// the schema's start cannot be told from the data's progress: rendered (a table
    /// created from a schema that sets it starts there), never compared.
    #[serde(default)]
    pub auto_increment: Uncompared<Option<u64>>,
    /// The other table options the server lists (`CREATE_OPTIONS`, as
    /// `row_format=DYNAMIC stats_persistent=1`: space-separated, sorted), without
    /// `partitioned`.
    #[serde(default)]
    pub options: Option<String>,
    /// The character set the table's text columns inherit (its own default, or the
    /// database's), as inspected: read by warnings (a column whose charset narrows),
    /// never compared nor rendered; `None` in a model not read from a server.
    #[serde(default)]
    pub column_charset: Uncompared<Option<String>>,
}

impl MysqlTable {
    /// Whether no option is set (the `Uncompared` counter included).
    pub fn is_empty(&self) -> bool {
        self.engine.is_none()
            && self.charset.is_none()
            && self.collation.is_none()
            && self.auto_increment.0.is_none()
            && self.options.is_none()
            && self.column_charset.0.is_none()
    }
}

/// Engine facts of a column.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnExt {
    #[serde(default, skip_serializing_if = "is_default")]
    pub sqlite: SqliteColumn,
    #[serde(default, skip_serializing_if = "is_default")]
    pub postgres: PostgresColumn,
    #[serde(default, skip_serializing_if = "is_default")]
    pub mysql: MysqlColumn,
}

/// SQLite column facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqliteColumn {
    /// The `ON CONFLICT` resolution of the column's NOT NULL constraint, upper case
    /// (`REPLACE`, `IGNORE`, `FAIL`, `ROLLBACK`); `None` when absent or `ABORT` (the
    /// default).
    pub not_null_on_conflict: Option<String>,
}

/// PostgreSQL column facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostgresColumn {
    /// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY (...)`.
    pub identity: Option<Identity>,
}

/// A PostgreSQL identity column's generation and sequence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `ALWAYS` (true) or `BY DEFAULT`.
    pub always: bool,
    /// The options of its sequence that differ from the defaults for the column's type.
    pub options: SequenceOptions,
}

/// A sequence's options; `None` where the option has its default (for the sequence's
/// type and direction), so that equal definitions compare equal however they were written.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SequenceOptions {
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: bool,
}

/// MySQL/MariaDB column facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MysqlColumn {
    /// The character set where it differs from the table's.
    pub charset: Option<String>,
    /// `INVISIBLE`.
    pub invisible: bool,
}

/// Engine facts of a primary key or unique constraint.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeyExt {
    /// Always written: it holds a rendered-only value every two compare equal on.
    #[serde(default)]
    pub sqlite: SqliteKey,
    #[serde(default, skip_serializing_if = "is_default")]
    pub postgres: PostgresKey,
    #[serde(default, skip_serializing_if = "is_default")]
    pub mysql: MysqlKey,
}

/// SQLite key facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SqliteKey {
    /// The `ON CONFLICT` resolution, upper case; `None` when absent or `ABORT`.
    pub on_conflict: Option<String>,
    /// Primary keys: how many of the table's unique constraints are declared before the
    /// key (the numbers of their automatic indexes follow declaration order); rendered,
    /// not compared.
    #[serde(default)]
    pub uniques_before: Uncompared<usize>,
}

/// PostgreSQL key facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PostgresKey {
    pub deferrable: Deferrable,
    /// `INCLUDE (...)` columns.
    pub include: Vec<String>,
    /// `NULLS NOT DISTINCT` (PostgreSQL 15+).
    pub nulls_not_distinct: bool,
}

/// MySQL key facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MysqlKey {
    /// Each key part's prefix length (`name(10)`), parallel to the columns; empty when
    /// none has one.
    pub prefix_lengths: Vec<Option<u32>>,
    /// The key's `COMMENT '...'`.
    #[serde(default)]
    pub comment: Option<String>,
    /// Not used by the optimizer: MariaDB `IGNORED`, MySQL `INVISIBLE`.
    #[serde(default)]
    pub ignored: bool,
}

/// Engine facts of a foreign key.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ForeignKeyExt {
    /// Always written: it holds a rendered-only value every two compare equal on.
    #[serde(default)]
    pub sqlite: SqliteForeignKey,
    #[serde(default, skip_serializing_if = "is_default")]
    pub postgres: PostgresForeignKey,
}

/// SQLite foreign key facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SqliteForeignKey {
    /// The referenced table and columns as the definition writes them (`REFERENCES
    /// "P"(ID)`), when that spelling differs from `ref_table`/`ref_columns`, which take the
    /// referenced table's own spelling (SQLite matches them case-insensitively, but
    /// reports them as written). Rendered, never compared: a difference of spelling only
    /// is no change.
    #[serde(default)]
    pub written_target: Uncompared<Option<(String, Vec<String>)>>,
}

/// PostgreSQL foreign key facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PostgresForeignKey {
    /// `MATCH FULL` (the default is `MATCH SIMPLE`).
    pub match_full: bool,
    /// `NOT VALID`.
    pub not_valid: bool,
}

/// Engine facts of a check constraint.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CheckExt {
    #[serde(default, skip_serializing_if = "is_default")]
    pub postgres: PostgresCheck,
    #[serde(default, skip_serializing_if = "is_default")]
    pub mysql: MysqlCheck,
}

/// PostgreSQL check facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PostgresCheck {
    /// `NOT VALID`.
    pub not_valid: bool,
    /// `NO INHERIT`.
    pub no_inherit: bool,
}

/// MySQL check facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MysqlCheck {
    /// `NOT ENFORCED` (MySQL 8).
    pub not_enforced: bool,
    /// MariaDB: the column the check is written on (`v INT CHECK (v > 0)`, named after
    /// the column), which `SHOW CREATE TABLE` writes there; `None` for a table check.
    #[serde(default)]
    pub column: Option<String>,
}

/// Engine facts of an index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexExt {
    #[serde(default, skip_serializing_if = "is_default")]
    pub postgres: PostgresIndex,
    #[serde(default, skip_serializing_if = "is_default")]
    pub mysql: MysqlIndex,
}

/// PostgreSQL index facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostgresIndex {
    /// The access method where it is not `btree` (`gin`, `gist`, `hash`, `brin`).
    pub method: Option<String>,
    /// `INCLUDE (...)` columns.
    pub include: Vec<String>,
    /// Each key part's operator class where it is not the default, parallel to the parts;
    /// empty when none has one.
    pub opclasses: Vec<Option<String>>,
    /// Each key part's `NULLS FIRST` (true) / `NULLS LAST` (false) where it is not the
    /// default for its direction, parallel to the parts; empty when none is.
    pub nulls_first: Vec<Option<bool>>,
    /// `NULLS NOT DISTINCT` (PostgreSQL 15+).
    pub nulls_not_distinct: bool,
    /// Left INVALID by a failed `CREATE INDEX CONCURRENTLY`: the server neither enforces
    /// nor uses it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub invalid: bool,
    /// Storage parameters (`fillfactor=70`), as `pg_class.reloptions` holds them, sorted;
    /// `pg_get_indexdef` writes them into the definition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// `COMMENT ON INDEX`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// MySQL index facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MysqlIndex {
    /// `FULLTEXT` or `SPATIAL`.
    pub kind: Option<String>,
    /// Each key part's prefix length, parallel to the parts; empty when none has one.
    pub prefix_lengths: Vec<Option<u32>>,
    /// The index's `COMMENT '...'`.
    #[serde(default)]
    pub comment: Option<String>,
    /// Not used by the optimizer: MariaDB `IGNORED`, MySQL `INVISIBLE`.
    #[serde(default)]
    pub ignored: bool,
}

/// Engine facts of a view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewExt {
    #[serde(default, skip_serializing_if = "is_default")]
    pub postgres: PostgresView,
    #[serde(default, skip_serializing_if = "is_default")]
    pub mysql: MysqlView,
}

/// PostgreSQL view facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostgresView {
    /// A materialized view.
    pub materialized: bool,
    /// Its options as `pg_class.reloptions` holds them (`security_invoker=true`,
    /// `check_option=local`; a materialized view's storage parameters), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// `COMMENT ON VIEW`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// MySQL/MariaDB view options (the definer is the connecting account's business, not
/// the schema's, and is left out).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MysqlView {
    /// `WITH CASCADED CHECK OPTION` or `WITH LOCAL CHECK OPTION`: `CASCADED` or `LOCAL`.
    pub check_option: Option<String>,
    /// `SQL SECURITY INVOKER` (the default is `DEFINER`).
    pub security_invoker: bool,
    /// MariaDB: `ALGORITHM=MERGE` or `TEMPTABLE` (`UNDEFINED`, the default, is `None`).
    /// MySQL does not report it.
    pub algorithm: Option<String>,
}

impl From<SqliteTable> for TableExt {
    fn from(sqlite: SqliteTable) -> Self {
        TableExt {
            sqlite,
            ..TableExt::default()
        }
    }
}

impl KeyExt {
    /// A SQLite key's facts with this `ON CONFLICT` resolution.
    pub fn sqlite_on_conflict(on_conflict: Option<String>) -> Self {
        KeyExt {
            sqlite: SqliteKey {
                on_conflict,
                uniques_before: Uncompared(0),
            },
            ..KeyExt::default()
        }
    }
}

impl ColumnExt {
    /// A SQLite column's facts with this `ON CONFLICT` resolution of its NOT NULL.
    pub fn sqlite_on_conflict(not_null_on_conflict: Option<String>) -> Self {
        ColumnExt {
            sqlite: SqliteColumn {
                not_null_on_conflict,
            },
            ..ColumnExt::default()
        }
    }
}
