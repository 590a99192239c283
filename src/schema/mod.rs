//! The neutral schema model shared by every engine: what introspection produces, what
//! the differ compares and what renderers turn into DDL. Keyed by name in `BTreeMap`s and
//! kept in sorted or declaration-ordered vectors, so everything derived from it is
//! deterministic.
//!
//! Texts (types, defaults, expressions, view bodies) are kept as the engine reports them;
//! deciding whether two texts mean the same is the dialect's job (its equivalence hooks).

pub mod filter;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole database schema (one SQLite database, one PostgreSQL schema, one MySQL database).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
    pub views: BTreeMap<String, View>,
    pub triggers: BTreeMap<String, Trigger>,
    /// Objects seen but not managed (functions, procedures, ...), as `kind name` lines, sorted:
    /// the generated file mentions them in a comment.
    pub unmanaged: Vec<String>,
}

/// A table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    /// In declaration order.
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    /// Unique constraints declared in the table (not `CREATE UNIQUE INDEX`), in declaration
    /// order (SQLite numbers their automatic indexes in it).
    pub uniques: Vec<Unique>,
    /// Foreign keys in declaration order (SQLite's `foreign_key_list` ids follow it).
    pub foreign_keys: Vec<ForeignKey>,
    /// Check constraints, sorted by (expression, name).
    pub checks: Vec<Check>,
    /// Indexes created with `CREATE [UNIQUE] INDEX`, by name.
    pub indexes: BTreeMap<String, Index>,
    pub options: TableOptions,
    pub comment: Option<String>,
}

impl Table {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Engine-specific table options that change what a table is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableOptions {
    /// SQLite `WITHOUT ROWID`.
    pub without_rowid: bool,
    /// SQLite `STRICT`.
    pub strict: bool,
}

/// A column.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// The type as declared/reported by the engine (`VARCHAR(255)`, `integer`), "" if none.
    pub type_text: String,
    pub nullable: bool,
    /// The default expression as the engine reports it (`'x'`, `CURRENT_TIMESTAMP`, `0`).
    pub default: Option<String>,
    /// SQLite `AUTOINCREMENT`, MySQL `AUTO_INCREMENT`, PostgreSQL identity/serial.
    pub auto_increment: bool,
    pub collation: Option<String>,
    /// A generated column's expression and whether it is stored.
    pub generated: Option<Generated>,
    /// MySQL `ON UPDATE CURRENT_TIMESTAMP`.
    pub on_update: Option<String>,
    pub comment: Option<String>,
    /// SQLite: the `ON CONFLICT` resolution of the column's NOT NULL constraint, upper
    /// case (`REPLACE`, `IGNORE`, `FAIL`, `ROLLBACK`); `None` when absent or `ABORT` (the
    /// default). Other engines leave it `None`.
    pub not_null_on_conflict: Option<String>,
}

/// `GENERATED ALWAYS AS (expr) [STORED|VIRTUAL]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    pub expression: String,
    pub stored: bool,
}

/// A primary key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    /// The constraint name when the schema gives one.
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// Whether each key column is descending, parallel to `columns`; empty when none is.
    /// SQLite: the order of the key's own index. A rowid alias (`INTEGER PRIMARY KEY`) has
    /// none, while `id INTEGER PRIMARY KEY DESC` written on the column is not a rowid alias
    /// but an ordinary key with a descending index.
    pub descending: Vec<bool>,
    /// SQLite: the `ON CONFLICT` resolution, upper case; `None` when absent or `ABORT`.
    pub on_conflict: Option<String>,
    /// SQLite: how many of the table's unique constraints are declared before the key
    /// (the numbers of their automatic indexes follow declaration order); rendered, not
    /// compared.
    #[serde(default)]
    pub uniques_before: Uncompared<usize>,
    /// Each key column's collation where it differs from the column's own (`UNIQUE (email
    /// COLLATE NOCASE)`), parallel to `columns`; empty when none does.
    #[serde(default)]
    pub collations: Vec<Option<String>>,
}

/// A unique constraint.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unique {
    pub columns: Vec<String>,
    pub name: Option<String>,
    /// SQLite: the `ON CONFLICT` resolution, upper case; `None` when absent or `ABORT`.
    /// After the columns and name, so that uniques still sort by (columns, name).
    pub on_conflict: Option<String>,
    /// Whether each key column is descending (`UNIQUE (b DESC)`), parallel to `columns`;
    /// empty when none is.
    #[serde(default)]
    pub descending: Vec<bool>,
    /// Each key column's collation where it differs from the column's own, parallel to
    /// `columns`; empty when none does.
    #[serde(default)]
    pub collations: Vec<Option<String>>,
}

/// What a foreign key does on delete or update of the referenced row.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum RefAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl RefAction {
    /// The SQL words (`NO ACTION`, `SET NULL`, ...).
    pub fn sql(self) -> &'static str {
        match self {
            RefAction::NoAction => "NO ACTION",
            RefAction::Restrict => "RESTRICT",
            RefAction::Cascade => "CASCADE",
            RefAction::SetNull => "SET NULL",
            RefAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// When a foreign key is checked.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Deferrable {
    #[default]
    NotDeferrable,
    InitiallyImmediate,
    InitiallyDeferred,
}

/// A foreign key.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub ref_table: String,
    /// Empty when the key references the other table's primary key implicitly (SQLite).
    pub ref_columns: Vec<String>,
    pub name: Option<String>,
    pub on_delete: RefAction,
    pub on_update: RefAction,
    pub deferrable: Deferrable,
    /// SQLite: the referenced table and columns as the definition writes them (`REFERENCES
    /// "P"(ID)`), when that spelling differs from `ref_table`/`ref_columns`, which take the
    /// referenced table's own spelling (SQLite matches them case-insensitively, but
    /// reports them as written). Rendered, never compared: a difference of spelling only
    /// is no change.
    #[serde(default)]
    pub written_target: Uncompared<Option<(String, Vec<String>)>>,
}

/// A value kept for rendering only: every two compare equal, so that the derived
/// comparisons of what holds it ignore it (a difference in it alone is no change).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Uncompared<T>(pub T);

impl<T> PartialEq for Uncompared<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for Uncompared<T> {}

impl<T> PartialOrd for Uncompared<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Uncompared<T> {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

/// A check constraint.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Check {
    /// The expression inside `CHECK ( ... )`.
    pub expression: String,
    pub name: Option<String>,
}

/// One key part of an index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IndexKey {
    Column(String),
    /// An expression, as written.
    Expression(String),
}

/// An index key with its order and collation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IndexPart {
    pub key: IndexKey,
    pub descending: bool,
    pub collation: Option<String>,
}

/// An index made by `CREATE [UNIQUE] INDEX`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub table: String,
    pub unique: bool,
    pub parts: Vec<IndexPart>,
    /// A partial index's `WHERE` expression.
    pub predicate: Option<String>,
    /// The statement that created it as the engine keeps it (SQLite: `sqlite_schema.sql`),
    /// which renderers reproduce verbatim, so the index reads back exactly as the user
    /// wrote it; `None` for an index not read from a database (rendered from the fields).
    pub definition: Option<String>,
}

impl Index {
    /// The leading key parts that are plain columns, up to the first expression.
    pub fn leading_columns(&self) -> Vec<String> {
        self.parts
            .iter()
            .map_while(|p| match &p.key {
                IndexKey::Column(c) => Some(c.clone()),
                IndexKey::Expression(_) => None,
            })
            .collect()
    }

    /// Whether the index is a key a foreign key can reference: unique, over plain columns
    /// only, without a predicate.
    pub fn is_column_key(&self) -> bool {
        self.unique && self.predicate.is_none() && self.leading_columns().len() == self.parts.len()
    }
}

/// A view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: String,
    /// The full `CREATE VIEW ...` statement (SQLite) or the definition query (others).
    pub definition: String,
    /// Tables and views it reads, sorted (for ordering drops and creates).
    pub depends_on: Vec<String>,
}

/// A trigger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: String,
    pub table: String,
    /// The full `CREATE TRIGGER ...` statement.
    pub definition: String,
}
