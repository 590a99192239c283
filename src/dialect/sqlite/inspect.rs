//! SQLite introspection: a fixed number of catalog queries (sqlite_schema joined with the
//! table-valued pragmas) plus parsing of the stored CREATE statements for what the pragmas
//! do not report (constraint names, CHECKs, AUTOINCREMENT, collations, deferrable).
//!
//! Normal forms (so that equivalent SQL gives equal models):
//! - column-level and table-level PRIMARY KEY / UNIQUE / CHECK / REFERENCES give the same
//!   model; `sqlite_autoindex_*` names are never used, but their numbers give the
//!   declaration order of unique constraints, as reverse `foreign_key_list` ids give that
//!   of foreign keys (both kept, so that a rebuilt table numbers them as a fresh load);
//! - expression texts (checks, generated columns, index keys, predicates) are as written
//!   without comments and with whitespace collapsed (the dialect's `normalize_expression`
//!   decides which texts mean the same);
//! - a default is the text `PRAGMA table_xinfo` reports, as it is: an explicit
//!   `DEFAULT NULL` is `Some("NULL")`, no default clause is `None`;
//! - NOT NULL is what the pragma reports: an `INTEGER PRIMARY KEY` (rowid alias) never
//!   holds NULL, but is NOT NULL in the model only when the schema says so;
//! - an index keeps its `CREATE INDEX` text (`Index::definition`), re-created verbatim;
//! - a column's collation is its last `COLLATE` name as written (`COLLATE BINARY`
//!   included), as `sqlite3_table_column_metadata` reports it; in an index, collation
//!   names BINARY/NOCASE/RTRIM are upper case and a column's is set only when it differs
//!   from the column's own;
//! - referenced table and column names take the spelling of the referenced table's
//!   definition when it exists (SQLite compares names case-insensitively); the spelling
//!   written, which SQLite reports, is kept beside them when it differs;
//! - a foreign key is `InitiallyDeferred` only for `DEFERRABLE INITIALLY DEFERRED`, the
//!   only form SQLite defers; every other form is `NotDeferrable`.

use super::ddl::{self, CreateTable};
use crate::schema::ext::{SqliteColumn, SqliteKey, SqliteTable};
use crate::schema::filter::Filter;
use crate::schema::{
    Check, Column, ColumnExt, ForeignKey, Generated, Index, IndexKey, IndexPart, KeyExt,
    PrimaryKey, Schema, Table, TableExt, Trigger, Uncompared, Unique, View,
};
use anyhow::{Context, Result};
use rusqlite::{Connection, Row};
use std::collections::{BTreeMap, HashMap, HashSet};

#[cfg(test)]
mod tests;

/// Reads the schema of `conn`'s main database, leaving out what `filter` excludes.
pub fn inspect(conn: &Connection, filter: &Filter) -> Result<Schema> {
    inspect_counting(conn, filter, &mut 0)
}

/// Every catalog query goes through here, so the tests can count them.
struct Catalog<'a> {
    conn: &'a Connection,
    queries: &'a mut usize,
}

impl Catalog<'_> {
    fn rows<T>(
        &mut self,
        sql: &str,
        f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        *self.queries += 1;
        let mut stmt = self
            .conn
            .prepare(sql)
            .with_context(|| format!("preparing catalog query {sql}"))?;
        let rows = stmt
            .query_map([], f)?
            .collect::<rusqlite::Result<Vec<T>>>()?;
        Ok(rows)
    }
}

/// The tables whose pragmas are read: real tables, not virtual ones (whose module may be
/// missing).
const TABLES: &str = "FROM main.sqlite_schema m";
const TABLE_FILTER: &str =
    "WHERE m.type = 'table' AND coalesce(m.sql, '') NOT LIKE 'CREATE VIRTUAL TABLE%'";

struct ObjectRow {
    kind: String,
    name: String,
    tbl_name: String,
    sql: Option<String>,
}

struct ColumnRow {
    cid: i64,
    name: String,
    notnull: bool,
    default: Option<String>,
    pk: i64,
    hidden: i64,
}

#[derive(Clone)]
struct IndexRow {
    name: String,
    unique: bool,
    origin: String,
}

struct IndexColumnRow {
    seqno: i64,
    cid: i64,
    name: Option<String>,
    desc: bool,
    coll: Option<String>,
    key: bool,
}

struct ForeignKeyRow {
    id: i64,
    seq: i64,
    table: String,
    from: String,
    to: Option<String>,
    on_update: String,
    on_delete: String,
}

fn group<K: std::hash::Hash + Eq, V>(rows: Vec<(K, V)>) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = HashMap::new();
    for (k, v) in rows {
        map.entry(k).or_default().push(v);
    }
    map
}

fn inspect_counting(conn: &Connection, filter: &Filter, queries: &mut usize) -> Result<Schema> {
    let mut cat = Catalog { conn, queries };
    let objects = cat.rows(
        "SELECT type, name, tbl_name, sql FROM main.sqlite_schema",
        |r| {
            Ok(ObjectRow {
                kind: r.get(0)?,
                name: r.get(1)?,
                tbl_name: r.get(2)?,
                sql: r.get(3)?,
            })
        },
    )?;
    // Shadow tables only exist beside virtual tables; pragma_table_list costs as much as a
    // whole column scan, so it runs only when there is a virtual table.
    let has_virtual_tables = objects.iter().any(|o| {
        o.sql.as_deref().is_some_and(|sql| {
            sql.trim_start()
                .to_ascii_uppercase()
                .starts_with("CREATE VIRTUAL")
        })
    });
    let shadow: HashSet<String> = if has_virtual_tables {
        cat.rows(
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'",
            |r| r.get(0),
        )?
        .into_iter()
        .collect()
    } else {
        HashSet::new()
    };
    let columns = group(cat.rows(
        &format!(
            "SELECT m.name, p.cid, p.name, p.\"notnull\", p.dflt_value, p.pk, p.hidden \
             {TABLES} JOIN pragma_table_xinfo(m.name, 'main') p {TABLE_FILTER}"
        ),
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                ColumnRow {
                    cid: r.get(1)?,
                    name: r.get(2)?,
                    notnull: r.get(3)?,
                    default: r.get(4)?,
                    pk: r.get(5)?,
                    hidden: r.get(6)?,
                },
            ))
        },
    )?);
    // One pass over every index and its columns: each index has at least one xinfo row
    // (its key columns, then the rowid), so the index list comes out of the same rows.
    let index_rows = cat.rows(
        &format!(
            "SELECT m.name, i.name, i.\"unique\", i.origin, \
             x.seqno, x.cid, x.name, x.\"desc\", x.coll, x.\"key\" \
             {TABLES} JOIN pragma_index_list(m.name, 'main') i \
             JOIN pragma_index_xinfo(i.name, 'main') x {TABLE_FILTER}"
        ),
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                IndexRow {
                    name: r.get(1)?,
                    unique: r.get(2)?,
                    origin: r.get(3)?,
                },
                IndexColumnRow {
                    seqno: r.get(4)?,
                    cid: r.get(5)?,
                    name: r.get(6)?,
                    desc: r.get(7)?,
                    coll: r.get(8)?,
                    key: r.get(9)?,
                },
            ))
        },
    )?;
    let mut index_list = Vec::new();
    let mut column_list = Vec::with_capacity(index_rows.len());
    for (table, index, column) in index_rows {
        if column.seqno == 0 {
            index_list.push((table, index.clone()));
        }
        column_list.push((index.name, column));
    }
    let indexes = group(index_list);
    let index_columns = group(column_list);
    let foreign_keys = group(cat.rows(
        &format!(
            "SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete \
             {TABLES} JOIN pragma_foreign_key_list(m.name, 'main') f {TABLE_FILTER}"
        ),
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                ForeignKeyRow {
                    id: r.get(1)?,
                    seq: r.get(2)?,
                    table: r.get(3)?,
                    from: r.get(4)?,
                    to: r.get(5)?,
                    on_update: r.get(6)?,
                    on_delete: r.get(7)?,
                },
            ))
        },
    )?);

    let excluded = |name: &str| !filter.keeps_table(name);
    let index_sql: HashMap<&str, &str> = objects
        .iter()
        .filter(|o| o.kind == "index")
        .filter_map(|o| Some((o.name.as_str(), o.sql.as_deref()?)))
        .collect();

    let mut schema = Schema::default();
    let mut parsed_tables = Vec::new();
    for o in objects.iter().filter(|o| o.kind == "table") {
        if excluded(&o.name) || shadow.contains(&o.name) {
            continue;
        }
        let sql = o.sql.as_deref().unwrap_or_default();
        if is_virtual(sql) {
            schema.unmanaged.push(format!("virtual table {}", o.name));
            continue;
        }
        let parsed = ddl::parse_create_table(sql)
            .with_context(|| format!("cannot parse the definition of table {}: {sql}", o.name))?;
        parsed_tables.push((o.name.clone(), parsed));
    }
    for (name, parsed) in &parsed_tables {
        let table = build_table(
            name,
            parsed,
            columns.get(name).map_or(&[][..], Vec::as_slice),
            indexes.get(name).map_or(&[][..], Vec::as_slice),
            &index_columns,
            &index_sql,
            foreign_keys.get(name).map_or(&[][..], Vec::as_slice),
        )
        .with_context(|| format!("inspecting table {name}"))?;
        schema.tables.insert(name.clone(), table);
    }
    canonicalize_references(&mut schema);

    for o in objects.iter().filter(|o| o.kind == "view") {
        if excluded(&o.name) {
            continue;
        }
        schema.views.insert(
            o.name.clone(),
            View {
                name: o.name.clone(),
                definition: o.sql.clone().unwrap_or_default(),
                depends_on: Vec::new(),
                namespace: String::new(),
                indexes: Default::default(),
                ext: Default::default(),
            },
        );
    }
    let known: HashMap<String, String> = schema
        .tables
        .keys()
        .chain(schema.views.keys())
        .map(|n| (n.to_ascii_lowercase(), n.clone()))
        .collect();
    for view in schema.views.values_mut() {
        let mut deps: Vec<String> = ddl::identifiers(&view.definition)
            .into_iter()
            .filter_map(|id| known.get(&id.to_ascii_lowercase()).cloned())
            .filter(|n| *n != view.name)
            .collect();
        deps.sort();
        deps.dedup();
        view.depends_on = deps;
    }

    for o in objects.iter().filter(|o| o.kind == "trigger") {
        if excluded(&o.name) || excluded(&o.tbl_name) {
            continue;
        }
        schema.triggers.insert(
            o.name.clone(),
            Trigger {
                name: o.name.clone(),
                table: o.tbl_name.clone(),
                definition: o.sql.clone().unwrap_or_default(),
                namespace: String::new(),
            },
        );
    }
    schema.unmanaged.sort();
    Ok(schema)
}

fn is_virtual(sql: &str) -> bool {
    let words: Vec<&str> = sql.split_whitespace().take(2).collect();
    words.len() == 2
        && words[0].eq_ignore_ascii_case("CREATE")
        && words[1].eq_ignore_ascii_case("VIRTUAL")
}

/// A collation name in model form: built-in names upper case.
fn collation_name(name: &str) -> String {
    let upper = name.to_ascii_uppercase();
    if matches!(upper.as_str(), "BINARY" | "NOCASE" | "RTRIM") {
        upper
    } else {
        name.to_string()
    }
}

/// A collation that is not the default one, in model form.
fn explicit_collation(name: Option<&str>) -> Option<String> {
    name.map(collation_name).filter(|c| c != "BINARY")
}

/// The collation of the column key `key` where it differs from its column's own (among
/// `columns`), in model form.
fn key_collation(key: &IndexColumnRow, columns: &[Column]) -> Option<String> {
    let own = columns
        .iter()
        .find(|c| Some(&c.name) == key.name.as_ref())
        .and_then(|c| c.collation.clone())
        .unwrap_or_else(|| "BINARY".to_string());
    key.coll
        .as_deref()
        .map(collation_name)
        .filter(|c| !c.eq_ignore_ascii_case(&own))
}

/// The order and collations of a UNIQUE or PRIMARY KEY constraint's index keys, in model
/// form: each list empty when every key has the default (ascending, the column's own).
fn key_order(keys: &[&IndexColumnRow], columns: &[Column]) -> (Vec<bool>, Vec<Option<String>>) {
    let mut descending: Vec<bool> = keys.iter().map(|k| k.desc).collect();
    if !descending.contains(&true) {
        descending.clear();
    }
    let mut collations: Vec<Option<String>> =
        keys.iter().map(|k| key_collation(k, columns)).collect();
    if collations.iter().all(Option::is_none) {
        collations.clear();
    }
    (descending, collations)
}

/// The number `N` of an automatic index `sqlite_autoindex_<table>_N`, which counts the
/// table's UNIQUE and PRIMARY KEY constraints in declaration order (0 when absent).
fn autoindex_number(index: &str) -> u64 {
    index
        .rsplit('_')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn eq_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

fn ref_action(text: &str) -> crate::schema::RefAction {
    use crate::schema::RefAction::*;
    match text.to_ascii_uppercase().as_str() {
        "RESTRICT" => Restrict,
        "CASCADE" => Cascade,
        "SET NULL" => SetNull,
        "SET DEFAULT" => SetDefault,
        _ => NoAction,
    }
}

#[allow(clippy::too_many_arguments)]
fn build_table(
    name: &str,
    parsed: &CreateTable,
    column_rows: &[ColumnRow],
    index_rows: &[IndexRow],
    index_columns: &HashMap<String, Vec<IndexColumnRow>>,
    index_sql: &HashMap<&str, &str>,
    fk_rows: &[ForeignKeyRow],
) -> Result<Table> {
    let mut column_rows: Vec<&ColumnRow> = column_rows.iter().collect();
    column_rows.sort_by_key(|c| c.cid);
    let pk_index = index_rows.iter().any(|i| i.origin == "pk");
    let mut pk_rows: Vec<&&ColumnRow> = column_rows.iter().filter(|c| c.pk > 0).collect();
    pk_rows.sort_by_key(|c| c.pk);
    let pk_columns: Vec<String> = pk_rows.iter().map(|c| c.name.clone()).collect();
    // A rowid table whose primary key has no index of its own: an INTEGER PRIMARY KEY,
    // i.e. the rowid, which a table-level AUTOINCREMENT applies to.
    let rowid_alias = (!parsed.without_rowid && pk_columns.len() == 1 && !pk_index)
        .then(|| pk_columns[0].clone());
    let table_autoinc = parsed
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.autoincrement);

    let mut columns = Vec::with_capacity(column_rows.len());
    for (i, row) in column_rows.iter().enumerate() {
        let def = parsed
            .columns
            .get(i)
            .filter(|d| d.name.eq_ignore_ascii_case(&row.name))
            .or_else(|| {
                parsed
                    .columns
                    .iter()
                    .find(|d| d.name.eq_ignore_ascii_case(&row.name))
            })
            .with_context(|| format!("column {} is not in the parsed definition", row.name))?;
        let is_alias = rowid_alias.as_deref() == Some(row.name.as_str());
        let generated = def
            .generated
            .as_ref()
            .map(|(expression, stored)| Generated {
                expression: expression.clone(),
                stored: row.hidden == 3 || *stored == Some(true),
            });
        columns.push(Column {
            name: row.name.clone(),
            // As written: PRAGMA table_xinfo dequotes (`"a""b"` reads `a"b`).
            type_text: crate::dialect::collapse_whitespace(&def.type_text),
            nullable: !row.notnull,
            default: row.default.clone(),
            auto_increment: def.autoincrement || (table_autoinc && is_alias),
            collation: def.collation.clone(),
            generated,
            on_update: None,
            comment: None,
            ext: ColumnExt {
                sqlite: SqliteColumn {
                    not_null_on_conflict: def.not_null_on_conflict.clone().filter(|_| row.notnull),
                },
                ..ColumnExt::default()
            },
        });
    }

    let key_columns = |index: &str| -> Vec<&IndexColumnRow> {
        let mut cols: Vec<&IndexColumnRow> = index_columns
            .get(index)
            .map(|v| v.iter().filter(|c| c.key).collect())
            .unwrap_or_default();
        cols.sort_by_key(|c| c.seqno);
        cols
    };

    // The key's order is that of its own index; a rowid alias has none (and a DESC written
    // in its table-level form means nothing).
    let (pk_descending, pk_collations) = index_rows
        .iter()
        .find(|i| i.origin == "pk")
        .map(|i| key_order(&key_columns(&i.name), &columns))
        .unwrap_or_default();
    let mut primary_key = (!pk_columns.is_empty()).then(|| PrimaryKey {
        name: parsed.primary_key.as_ref().and_then(|pk| pk.name.clone()),
        columns: pk_columns,
        descending: pk_descending,
        collations: pk_collations,
        ext: sqlite_key(
            Uncompared(0),
            parsed
                .primary_key
                .as_ref()
                .and_then(|pk| pk.on_conflict.clone()),
        ),
    });

    let mut uniques = Vec::new();
    let mut indexes = BTreeMap::new();
    for index in index_rows {
        match index.origin.as_str() {
            "u" => {
                let keys = key_columns(&index.name);
                let (descending, collations) = key_order(&keys, &columns);
                let cols: Vec<String> = keys
                    .iter()
                    .map(|c| c.name.clone().unwrap_or_default())
                    .collect();
                let name = parsed
                    .uniques
                    .iter()
                    .find(|u| eq_names(&u.columns, &cols) && u.name.is_some())
                    .and_then(|u| u.name.clone());
                // SQLite merges equal UNIQUE constraints into one index, which takes the
                // resolution any of them gives (two different ones are an error).
                let on_conflict = parsed
                    .uniques
                    .iter()
                    .find(|u| eq_names(&u.columns, &cols) && u.on_conflict.is_some())
                    .and_then(|u| u.on_conflict.clone());
                let unique = Unique {
                    columns: cols,
                    name,
                    descending,
                    collations,
                    ext: sqlite_key(Uncompared(0), on_conflict),
                };
                uniques.push((autoindex_number(&index.name), unique));
            }
            "c" => {
                let sql = index_sql
                    .get(index.name.as_str())
                    .with_context(|| format!("index {} has no SQL", index.name))?;
                let def = ddl::parse_create_index(sql).with_context(|| {
                    format!("cannot parse the definition of index {}: {sql}", index.name)
                })?;
                let keys = key_columns(&index.name);
                anyhow::ensure!(
                    keys.len() == def.parts.len(),
                    "index {} has {} keys but its definition {}",
                    index.name,
                    keys.len(),
                    def.parts.len()
                );
                let parts = keys
                    .iter()
                    .zip(&def.parts)
                    .map(|(key, part)| {
                        if key.cid >= 0 {
                            IndexPart {
                                key: IndexKey::Column(key.name.clone().unwrap_or_default()),
                                descending: key.desc,
                                collation: key_collation(key, &columns),
                            }
                        } else {
                            let key_text = if part.is_name {
                                IndexKey::Column(part.expression.clone())
                            } else {
                                IndexKey::Expression(part.expression.clone())
                            };
                            IndexPart {
                                key: key_text,
                                descending: key.desc,
                                collation: explicit_collation(part.collation.as_deref()),
                            }
                        }
                    })
                    .collect();
                indexes.insert(
                    index.name.clone(),
                    Index {
                        name: index.name.clone(),
                        table: name.to_string(),
                        unique: index.unique,
                        parts,
                        predicate: def.predicate,
                        definition: Some(sql.to_string()),
                        namespace: String::new(),
                        ext: Default::default(),
                    },
                );
            }
            _ => {}
        }
    }
    // In declaration order, which the numbers of their automatic indexes follow.
    uniques.sort_by_key(|(number, _)| *number);
    if let (Some(pk), Some(index)) = (
        primary_key.as_mut(),
        index_rows.iter().find(|i| i.origin == "pk"),
    ) {
        let number = autoindex_number(&index.name);
        pk.ext.sqlite.uniques_before =
            Uncompared(uniques.iter().filter(|(n, _)| *n < number).count());
    }
    let uniques: Vec<Unique> = uniques.into_iter().map(|(_, u)| u).collect();

    // Foreign keys: the pragma's, named and made deferrable from the parsed definition.
    let mut by_id: BTreeMap<i64, Vec<&ForeignKeyRow>> = BTreeMap::new();
    for row in fk_rows {
        by_id.entry(row.id).or_default().push(row);
    }
    let mut used = vec![false; parsed.foreign_keys.len()];
    let mut foreign_keys = Vec::new();
    // Pragma ids run in reverse declaration order: the model keeps declaration order.
    for rows in by_id.values_mut().rev() {
        rows.sort_by_key(|r| r.seq);
        let first = rows[0];
        let cols: Vec<String> = rows.iter().map(|r| r.from.clone()).collect();
        let ref_columns: Vec<String> = if rows.iter().all(|r| r.to.is_some()) {
            rows.iter()
                .map(|r| r.to.clone().unwrap_or_default())
                .collect()
        } else {
            Vec::new()
        };
        let matched = (0..parsed.foreign_keys.len()).find(|&i| {
            let d = &parsed.foreign_keys[i];
            !used[i]
                && eq_names(&d.columns, &cols)
                && d.ref_table.eq_ignore_ascii_case(&first.table)
                && eq_names(&d.ref_columns, &ref_columns)
        });
        let (fk_name, deferrable) = match matched {
            Some(i) => {
                used[i] = true;
                let d = &parsed.foreign_keys[i];
                (d.name.clone(), d.deferrable)
            }
            None => (None, Default::default()),
        };
        foreign_keys.push(ForeignKey {
            columns: cols,
            ref_table: first.table.clone(),
            ref_columns,
            name: fk_name,
            on_delete: ref_action(&first.on_delete),
            on_update: ref_action(&first.on_update),
            deferrable,
            ..ForeignKey::default()
        });
    }

    let mut checks: Vec<Check> = parsed.checks.clone();
    checks.sort();

    Ok(Table {
        name: name.to_string(),
        columns,
        primary_key,
        uniques,
        foreign_keys,
        checks,
        indexes,
        ext: TableExt {
            sqlite: SqliteTable {
                without_rowid: parsed.without_rowid,
                strict: parsed.strict,
            },
            ..TableExt::default()
        },
        comment: None,
        namespace: String::new(),
    })
}

/// The extension of a SQLite key with its `ON CONFLICT` resolution.
fn sqlite_key(uniques_before: Uncompared<usize>, on_conflict: Option<String>) -> KeyExt {
    KeyExt {
        sqlite: SqliteKey {
            on_conflict,
            uniques_before,
        },
        ..KeyExt::default()
    }
}

/// Referenced table and column names in the spelling of the referenced table's own
/// definition (SQLite matches them case-insensitively).
fn canonicalize_references(schema: &mut Schema) {
    let spelled: HashMap<String, (String, Vec<String>)> = schema
        .tables
        .values()
        .map(|t| {
            (
                t.name.to_ascii_lowercase(),
                (
                    t.name.clone(),
                    t.columns.iter().map(|c| c.name.clone()).collect(),
                ),
            )
        })
        .collect();
    for table in schema.tables.values_mut() {
        for fk in &mut table.foreign_keys {
            if let Some((name, cols)) = spelled.get(&fk.ref_table.to_ascii_lowercase()) {
                let written = (fk.ref_table.clone(), fk.ref_columns.clone());
                fk.ref_table = name.clone();
                for rc in &mut fk.ref_columns {
                    if let Some(c) = cols.iter().find(|c| c.eq_ignore_ascii_case(rc)) {
                        *rc = c.clone();
                    }
                }
                if written != (fk.ref_table.clone(), fk.ref_columns.clone()) {
                    fk.ext.sqlite.written_target = Uncompared(Some(written));
                }
            }
        }
    }
}
