//! The neutral schema model shared by every engine: what introspection produces, what
//! the differ compares and what renderers turn into DDL. Keyed by name in `BTreeMap`s and
//! kept in sorted or declaration-ordered vectors, so everything derived from it is
//! deterministic.
//!
//! Texts (types, defaults, expressions, view bodies) are kept as the engine reports them;
//! deciding whether two texts mean the same is the dialect's job (its equivalence hooks).

pub mod ext;
pub mod filter;

pub use ext::{
    CheckExt, ColumnExt, ForeignKeyExt, Identity, IndexExt, KeyExt, SequenceOptions, TableExt,
    ViewExt,
};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The schema of one database: its namespaces (PostgreSQL schemas; SQLite and MySQL have
/// the connected database alone, namespace `""`) and the objects in them.
///
/// Objects are kept in one map per kind across namespaces, keyed by [`key`] of their
/// namespace and name, rather than in one map per namespace: the differ orders operations
/// across namespaces (a foreign key from `billing.invoices` to `public.users` is added
/// after both tables exist), so it sees every table at once. Each object also carries its
/// namespace, and references (foreign keys, view dependencies) name it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// The namespaces inspected that exist, by name (empty for SQLite and MySQL).
    #[serde(default)]
    pub namespaces: BTreeMap<String, Namespace>,
    /// By [`key`] of namespace and name.
    pub tables: BTreeMap<String, Table>,
    /// By [`key`] of namespace and name.
    pub views: BTreeMap<String, View>,
    /// By the engine's identity of a trigger: [`key`] of namespace and name where trigger
    /// names are unique in a namespace (SQLite), of namespace and `table.name` where they
    /// are unique per table (PostgreSQL).
    pub triggers: BTreeMap<String, Trigger>,
    /// Enum types (PostgreSQL), by [`key`].
    #[serde(default)]
    pub enums: BTreeMap<String, EnumType>,
    /// Sequences not owned by an identity or serial column (PostgreSQL), by [`key`].
    #[serde(default)]
    pub sequences: BTreeMap<String, Sequence>,
    /// Functions (PostgreSQL), by [`key`] of namespace and `name(argument types)`.
    #[serde(default)]
    pub functions: BTreeMap<String, Function>,
    /// Extensions (PostgreSQL), by name.
    #[serde(default)]
    pub extensions: BTreeMap<String, Extension>,
    /// Objects seen but not managed (procedures, domains, policies, partitions, ...), as
    /// `kind name` lines, sorted: the generated file mentions them in a comment.
    pub unmanaged: Vec<String>,
}

/// The map key of an object called `name` in `namespace`: the name itself in the only
/// namespace of SQLite and MySQL (`""`), else namespace and name joined by a NUL, which
/// no identifier holds, so that keys sort by (namespace, name) and never collide.
pub fn key(namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        name.to_string()
    } else {
        format!("{namespace}\0{name}")
    }
}

/// The namespace and name a [`key`] was made of (`""` and the key itself for a key
/// without a namespace).
pub fn split_key(key: &str) -> (&str, &str) {
    key.split_once('\0').unwrap_or(("", key))
}

/// `name` qualified by `namespace` for messages: `billing.invoices`, or `users` in the
/// only namespace.
pub fn display_name(namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        name.to_string()
    } else {
        format!("{namespace}.{name}")
    }
}

/// A namespace (PostgreSQL schema).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespace {
    pub name: String,
    pub comment: Option<String>,
}

/// A PostgreSQL enum type.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    pub namespace: String,
    pub name: String,
    /// The labels in their sort order.
    pub labels: Vec<String>,
    pub comment: Option<String>,
}

/// A standalone sequence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub namespace: String,
    pub name: String,
    /// `bigint` (the default), `integer` or `smallint`.
    pub type_text: String,
    pub options: SequenceOptions,
    /// `OWNED BY table.column`: the table's [`key`] and the column.
    pub owned_by: Option<(String, String)>,
}

/// A function, compared by its whole definition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub namespace: String,
    pub name: String,
    /// The argument types that identify it (`integer, text`), as `pg_get_function_identity_arguments` gives them.
    pub arguments: String,
    /// The whole `CREATE OR REPLACE FUNCTION ...` statement (`pg_get_functiondef`).
    pub definition: String,
    /// Whether its definition names a table of the schema (SQL-language bodies are
    /// checked on creation): such a function is created after the tables.
    pub reads_tables: bool,
}

/// An installed extension.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    /// The namespace its objects live in.
    pub namespace: String,
}

/// A table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// `""` where the engine has one namespace.
    #[serde(default)]
    pub namespace: String,
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
    #[serde(default)]
    pub ext: TableExt,
    pub comment: Option<String>,
}

impl Table {
    /// The table's key in [`Schema::tables`].
    pub fn key(&self) -> String {
        key(&self.namespace, &self.name)
    }

    /// The table's name for messages, qualified when it has a namespace.
    pub fn display_name(&self) -> String {
        display_name(&self.namespace, &self.name)
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
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
    #[serde(default)]
    pub ext: ColumnExt,
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
    /// Each key column's collation where it differs from the column's own (`UNIQUE (email
    /// COLLATE NOCASE)`), parallel to `columns`; empty when none does.
    #[serde(default)]
    pub collations: Vec<Option<String>>,
    #[serde(default)]
    pub ext: KeyExt,
}

/// A unique constraint.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unique {
    pub columns: Vec<String>,
    pub name: Option<String>,
    /// Whether each key column is descending (`UNIQUE (b DESC)`), parallel to `columns`;
    /// empty when none is.
    #[serde(default)]
    pub descending: Vec<bool>,
    /// Each key column's collation where it differs from the column's own, parallel to
    /// `columns`; empty when none does.
    #[serde(default)]
    pub collations: Vec<Option<String>>,
    /// After the columns and name, so that uniques still sort by (columns, name).
    #[serde(default)]
    pub ext: KeyExt,
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
    /// The referenced table's namespace (`""` where the engine has one).
    #[serde(default)]
    pub ref_namespace: String,
    pub ref_table: String,
    /// Empty when the key references the other table's primary key implicitly (SQLite).
    pub ref_columns: Vec<String>,
    pub name: Option<String>,
    pub on_delete: RefAction,
    pub on_update: RefAction,
    pub deferrable: Deferrable,
    #[serde(default)]
    pub ext: ForeignKeyExt,
}

impl ForeignKey {
    /// The referenced table's key in [`Schema::tables`].
    pub fn ref_key(&self) -> String {
        key(&self.ref_namespace, &self.ref_table)
    }
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
    #[serde(default)]
    pub ext: CheckExt,
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// The table's namespace, which is the index's too.
    #[serde(default)]
    pub namespace: String,
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
    #[serde(default)]
    pub ext: IndexExt,
}

impl Index {
    /// A plain index of `table` named `name` over `columns`, ascending.
    pub fn of_columns(table: &str, name: &str, columns: &[&str]) -> Index {
        Index {
            name: name.into(),
            table: table.into(),
            parts: columns
                .iter()
                .map(|c| IndexPart {
                    key: IndexKey::Column(c.to_string()),
                    descending: false,
                    collation: None,
                })
                .collect(),
            ..Index::default()
        }
    }

    /// The key of its table in [`Schema::tables`].
    pub fn table_key(&self) -> String {
        key(&self.namespace, &self.table)
    }

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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    #[serde(default)]
    pub namespace: String,
    pub name: String,
    /// The full `CREATE VIEW ...` statement (SQLite) or the definition query (others).
    pub definition: String,
    /// The keys of the tables and views it reads, sorted (for ordering drops and creates).
    pub depends_on: Vec<String>,
    /// Indexes on it (PostgreSQL's materialized views), by name; their `table` is the view.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<String, Index>,
    #[serde(default)]
    pub ext: ViewExt,
}

impl Trigger {
    /// The key of its table (or view) in [`Schema::tables`] (or [`Schema::views`]).
    pub fn table_key(&self) -> String {
        key(&self.namespace, &self.table)
    }

    /// Its key in [`Schema::triggers`]: the name where the engine has one namespace
    /// (trigger names are unique in a SQLite or MySQL database), else [`key`] of the
    /// namespace and `table` NUL `name` (PostgreSQL names triggers per table).
    pub fn key(&self) -> String {
        if self.namespace.is_empty() {
            self.name.clone()
        } else {
            key(&self.namespace, &format!("{}\0{}", self.table, self.name))
        }
    }
}

impl View {
    /// Its key in [`Schema::views`].
    pub fn key(&self) -> String {
        key(&self.namespace, &self.name)
    }
}

/// A trigger.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    #[serde(default)]
    pub namespace: String,
    pub name: String,
    pub table: String,
    /// The full `CREATE TRIGGER ...` statement.
    pub definition: String,
}
