//! Relations (tables, views, materialized views; partitioned tables, partitions and
//! foreign tables as unmanaged lines) and the columns of the tables, with identity and
//! `serial` columns.

use super::sequences::{self, SequenceRow};
use super::{owned_by_extension, qualified_name, Catalog};
use crate::schema::ext::{PostgresColumn, PostgresTable, PostgresView};
use crate::schema::filter::Filter;
use crate::schema::{
    display_name, Column, ColumnExt, Generated, Identity, Schema, Table, TableExt, View, ViewExt,
};
use anyhow::Result;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The tables and views read, by oid, before they go into the schema by key.
#[derive(Default)]
pub(super) struct Relations {
    /// The tables the model keeps, by oid.
    pub tables: HashMap<u32, Table>,
    /// The views and materialized views the model keeps, by oid.
    pub views: HashMap<u32, View>,
    /// The column names of every table (partitioned ones too) and materialized view of
    /// the inspected namespaces, by relation oid and `attnum`: constraints and indexes
    /// name their columns by number.
    pub column_names: HashMap<(u32, i16), String>,
}

impl Relations {
    /// How many tables and views the model keeps.
    pub fn len(&self) -> usize {
        self.tables.len() + self.views.len()
    }

    /// The names of the columns `numbers` of table `table`, in order; `None` when one is
    /// not known (a table of another namespace).
    pub fn names(&self, table: u32, numbers: &[i16]) -> Option<Vec<String>> {
        numbers
            .iter()
            .map(|n| self.column_names.get(&(table, *n)).cloned())
            .collect()
    }
}

/// Reads the relations of the inspected namespaces: tables and views into [`Relations`],
/// the others as unmanaged lines.
pub(super) fn read(
    catalog: &mut Catalog<'_>,
    filter: &Filter,
    schema: &mut Schema,
) -> Result<Relations> {
    let sql = format!(
        "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text, \
         c.relpersistence::text, c.relispartition, \
         d.description, {owned}, \
         CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END, \
         CASE WHEN c.relkind IN ('v', 'm') THEN c.reloptions::text[] END \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid \
              AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0 \
         WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
        owned = owned_by_extension("pg_class", "c.oid"),
    );
    let mut relations = Relations::default();
    for row in catalog.rows("relations", &sql)? {
        let oid: u32 = row.try_get(0)?;
        let namespace: String = row.try_get(1)?;
        let name: String = row.try_get(2)?;
        let kind: String = row.try_get(3)?;
        let persistence: String = row.try_get(4)?;
        let partition: bool = row.try_get(5)?;
        let comment: Option<String> = row.try_get(6)?;
        let extension: bool = row.try_get(7)?;
        if !filter.keeps_table(&name) || !filter.keeps_object(&name, extension) {
            continue;
        }
        let shown = display_name(&namespace, &name);
        match kind.as_str() {
            _ if partition => schema.unmanaged.push(format!("partition {shown}")),
            "p" => schema.unmanaged.push(format!("partitioned table {shown}")),
            "f" => schema.unmanaged.push(format!("foreign table {shown}")),
            "v" | "m" => {
                let materialized = kind == "m";
                let definition: Option<String> = row.try_get(8)?;
                let mut options: Vec<String> = row
                    .try_get::<_, Option<Vec<String>>>(9)?
                    .unwrap_or_default();
                options.sort();
                relations.views.insert(
                    oid,
                    View {
                        namespace,
                        name,
                        definition: definition.unwrap_or_default(),
                        depends_on: Vec::new(),
                        indexes: BTreeMap::new(),
                        ext: ViewExt {
                            postgres: PostgresView {
                                materialized,
                                options,
                                comment: comment.clone(),
                            },
                            ..ViewExt::default()
                        },
                    },
                );
            }
            _ => {
                relations.tables.insert(
                    oid,
                    Table {
                        namespace,
                        name,
                        ext: TableExt {
                            postgres: PostgresTable {
                                unlogged: persistence == "u",
                                exclusions: Vec::new(),
                            },
                            ..TableExt::default()
                        },
                        comment,
                        ..Table::default()
                    },
                );
            }
        }
    }
    Ok(relations)
}

/// Reads the columns of the tables in `relations`, in `attnum` order, dropped ones left
/// out, and the column names of every table and materialized view. Returns the oids of
/// the sequences folded into `serial` columns.
pub(super) fn read_columns(
    catalog: &mut Catalog<'_>,
    relations: &mut Relations,
    sequences: &[SequenceRow],
) -> Result<HashSet<u32>> {
    let rows = catalog.rows(
        "columns",
        "SELECT a.attrelid, a.attnum, a.attname::text, \
         pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, \
         pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attgenerated::text, \
         a.attidentity::text, \
         CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation \
              THEN co.collname::text END, cn.nspname::text, \
         d.description, a.atttypid \
         FROM pg_catalog.pg_attribute a \
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
         LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
         LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation \
         LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
         LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid \
              AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum \
         WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'm') AND a.attnum > 0 \
         AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum",
    )?;
    let owned: HashMap<(u32, i16), &SequenceRow> = sequences
        .iter()
        .filter_map(|s| Some(((s.owner.as_ref()?.table_oid, s.owner.as_ref()?.attnum), s)))
        .collect();
    let mut folded = HashSet::new();
    for row in rows {
        let table_oid: u32 = row.try_get(0)?;
        let attnum: i16 = row.try_get(1)?;
        let name: String = row.try_get(2)?;
        relations
            .column_names
            .insert((table_oid, attnum), name.clone());
        let Some(table) = relations.tables.get_mut(&table_oid) else {
            continue;
        };
        let type_text: String = row.try_get(3)?;
        let not_null: bool = row.try_get(4)?;
        let default: Option<String> = row.try_get(5)?;
        let generated: String = row.try_get(6)?;
        let identity: String = row.try_get(7)?;
        let collation: Option<String> = row.try_get(8)?;
        let collation_namespace: Option<String> = row.try_get(9)?;
        let comment: Option<String> = row.try_get(10)?;
        let type_oid: u32 = row.try_get(11)?;
        let sequence = owned.get(&(table_oid, attnum)).copied();
        let mut column = Column {
            name,
            type_text,
            nullable: !not_null,
            collation: collation.map(|c| {
                qualified_name(collation_namespace.as_deref().unwrap_or("pg_catalog"), &c)
            }),
            comment,
            ..Column::default()
        };
        if generated == "s" {
            column.generated = Some(Generated {
                expression: default.unwrap_or_default(),
                stored: true,
            });
        } else if identity == "a" || identity == "d" {
            column.auto_increment = true;
            column.ext = ColumnExt {
                postgres: PostgresColumn {
                    identity: Some(Identity {
                        always: identity == "a",
                        options: sequence
                            .filter(|s| s.owner_kind() == Some('i'))
                            .map(|s| s.options.clone())
                            .unwrap_or_default(),
                    }),
                },
                ..ColumnExt::default()
            };
        } else if let Some(serial) = sequence
            .filter(|s| s.owner_kind() == Some('a'))
            .and_then(|s| serial_type(&table.name, &column, default.as_deref(), type_oid, s))
        {
            if let Some(s) = sequence {
                folded.insert(s.oid);
            }
            column.type_text = serial.to_string();
            column.auto_increment = true;
        } else {
            column.default = default;
        }
        table.columns.push(column);
    }
    Ok(folded)
}

/// The `serial` type a column is, if it is one: an integer column, NOT NULL, whose default
/// is `nextval` of `sequence`, which it owns (`OWNED BY`), of the column's type, with the
/// default options and the name PostgreSQL gives it (`<table>_<column>_seq`, unless that
/// is longer than an identifier, where PostgreSQL shortens it).
fn serial_type(
    table: &str,
    column: &Column,
    default: Option<&str>,
    type_oid: u32,
    sequence: &SequenceRow,
) -> Option<&'static str> {
    const INT2: u32 = 21;
    const INT4: u32 = 23;
    const INT8: u32 = 20;
    let (serial, sequence_type) = match type_oid {
        INT2 => ("smallserial", "smallint"),
        INT4 => ("serial", "integer"),
        INT8 => ("bigserial", "bigint"),
        _ => return None,
    };
    let expected_default = format!(
        "nextval('{}'::regclass)",
        sequence.regclass.replace('\'', "''")
    );
    let expected_name = format!("{table}_{}_seq", column.name);
    let named = sequence.name == expected_name || expected_name.len() > sequences::NAME_MAX;
    (!column.nullable
        && default == Some(expected_default.as_str())
        && sequence.type_text == sequence_type
        && sequence.options == Default::default()
        && named)
        .then_some(serial)
}

/// Moves the tables and views into `schema`, by key, each table's vectors in model order.
pub(super) fn finish(relations: Relations, schema: &mut Schema) {
    for (_, mut table) in relations.tables {
        table.checks.sort();
        table.ext.postgres.exclusions.sort();
        schema.tables.insert(table.key(), table);
    }
    for (_, view) in relations.views {
        schema
            .views
            .insert(crate::schema::key(&view.namespace, &view.name), view);
    }
}
