//! Indexes that back no constraint (of tables and materialized views), one catalog row
//! per key part: `pg_get_indexdef` for the definition and each expression key,
//! `indoption` for the order and NULLS placement, `indclass` for non-default operator
//! classes, `indcollation` for collations.
//!
//! An index a failed `CREATE INDEX CONCURRENTLY` left INVALID (`indisvalid`) enforces and
//! serves nothing: it is marked, so that it differs from the index schema.sql declares and
//! autogenerate drops and creates it again.
//!
//! A column key's collation is set where it differs from the column's. An expression
//! key's is set where it differs from its type's default and the definition writes it
//! (`pg_get_indexdef` writes it where it differs from the expression's own collation,
//! which the catalog does not show).

use super::tables::Relations;
use super::{qualified_name, Catalog};
use crate::schema::ext::PostgresIndex;
use crate::schema::filter::Filter;
use crate::schema::{Index, IndexExt, IndexKey, IndexPart};
use anyhow::{Context, Result};
use std::collections::BTreeMap;

/// `indoption` bits (`pg_index.h`).
const INDOPTION_DESC: i16 = 1;
const INDOPTION_NULLS_FIRST: i16 = 2;

/// Reads the indexes of the tables and materialized views in `relations` into them.
pub(super) fn read(
    catalog: &mut Catalog<'_>,
    filter: &Filter,
    relations: &mut Relations,
) -> Result<()> {
    let sql = sql(catalog);
    let mut built: BTreeMap<u32, (u32, Index, Parts)> = BTreeMap::new();
    for row in catalog.rows("indexes", &sql)? {
        let index_oid: u32 = row.try_get(0)?;
        let table_oid: u32 = row.try_get(1)?;
        let name: String = row.try_get(2)?;
        let owner = match relations.tables.get(&table_oid) {
            Some(table) => (&table.namespace, &table.name),
            None => match relations.views.get(&table_oid) {
                Some(view) => (&view.namespace, &view.name),
                None => continue,
            },
        };
        if !filter.keeps_object(&name, row.try_get(18)?) {
            continue;
        }
        let (_, index, parts) = match built.get_mut(&index_oid) {
            Some(entry) => entry,
            None => {
                let definition: Option<String> = row.try_get(5)?;
                let method: String = row.try_get(4)?;
                let index_key: Vec<i16> = row.try_get(8)?;
                let key_count = usize::try_from(row.try_get::<_, i16>(9)?).unwrap_or(0);
                let include = relations
                    .names(table_oid, index_key.get(key_count..).unwrap_or(&[]))
                    .with_context(|| format!("index {name} includes an unknown column"))?;
                let index = Index {
                    namespace: owner.0.clone(),
                    name,
                    table: owner.1.clone(),
                    unique: row.try_get(3)?,
                    parts: Vec::new(),
                    predicate: row.try_get(6)?,
                    definition,
                    ext: IndexExt {
                        postgres: PostgresIndex {
                            method: (method != "btree").then_some(method),
                            include,
                            nulls_not_distinct: row.try_get(7)?,
                            invalid: !row.try_get::<_, bool>(19)?,
                            options: {
                                let mut options: Vec<String> = row
                                    .try_get::<_, Option<Vec<String>>>(20)?
                                    .unwrap_or_default();
                                options.sort();
                                options
                            },
                            comment: row.try_get(21)?,
                            ..PostgresIndex::default()
                        },
                        ..IndexExt::default()
                    },
                };
                built
                    .entry(index_oid)
                    .or_insert((table_oid, index, Parts::default()))
            }
        };
        let attnum: i16 = row.try_get(10)?;
        let column: Option<String> = row.try_get(11)?;
        let key_text: Option<String> = row.try_get(12)?;
        let option: i16 = row.try_get(13)?;
        let opclass: Option<String> = row.try_get(14)?;
        let opclass_namespace: Option<String> = row.try_get(15)?;
        let collation: Option<String> = row.try_get(16)?;
        let collation_namespace: Option<String> = row.try_get(17)?;
        let ns = |n: &Option<String>| n.clone().unwrap_or_else(|| "pg_catalog".into());
        let collation = collation
            .map(|c| qualified_name(&ns(&collation_namespace), &c))
            .filter(|c| {
                attnum != 0
                    || index
                        .definition
                        .as_deref()
                        .is_some_and(|d| d.contains(&format!("COLLATE {c}")))
            });
        let descending = option & INDOPTION_DESC != 0;
        let nulls_first = option & INDOPTION_NULLS_FIRST != 0;
        index.parts.push(IndexPart {
            key: match column {
                Some(column) if attnum != 0 => IndexKey::Column(column),
                _ => IndexKey::Expression(key_text.unwrap_or_default()),
            },
            descending,
            collation,
        });
        parts
            .opclasses
            .push(opclass.map(|o| qualified_name(&ns(&opclass_namespace), &o)));
        // Ascending keys put NULLs last by default, descending ones first.
        parts
            .nulls_first
            .push((nulls_first != descending).then_some(nulls_first));
    }
    for (_, (table_oid, mut index, parts)) in built {
        if parts.opclasses.iter().any(Option::is_some) {
            index.ext.postgres.opclasses = parts.opclasses;
        }
        if parts.nulls_first.iter().any(Option::is_some) {
            index.ext.postgres.nulls_first = parts.nulls_first;
        }
        if let Some(table) = relations.tables.get_mut(&table_oid) {
            table.indexes.insert(index.name.clone(), index);
        } else if let Some(view) = relations.views.get_mut(&table_oid) {
            view.indexes.insert(index.name.clone(), index);
        }
    }
    Ok(())
}

/// The indexes query (see [`read`]).
pub(super) fn sql(catalog: &Catalog<'_>) -> String {
    let nulls_not_distinct = if catalog.at_least(150000) {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    format!(
        "SELECT i.indexrelid, i.indrelid, ic.relname::text, i.indisunique, am.amname::text, \
         CASE WHEN k.n = 1 THEN pg_catalog.pg_get_indexdef(i.indexrelid) END, \
         pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), {nulls_not_distinct}, \
         i.indkey::int2[], i.indnkeyatts, \
         k.attnum, att.attname::text, \
         CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.n::int, true) \
              END, k.opt, \
         CASE WHEN NOT opc.opcdefault THEN opc.opcname::text END, opcn.nspname::text, \
         CASE WHEN k.coll <> 0 AND k.coll <> coalesce(att.attcollation, kt.typcollation) \
              THEN kc.collname::text END, kcn.nspname::text, {owned}, i.indisvalid, \
         ic.reloptions::text[], \
         CASE WHEN k.n = 1 THEN pg_catalog.obj_description(i.indexrelid, 'pg_class') END \
         FROM pg_catalog.pg_index i \
         JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_catalog.pg_class c ON c.oid = i.indrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_am am ON am.oid = ic.relam \
         CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indclass::oid[], \
              i.indcollation::oid[], i.indoption::int2[]) WITH ORDINALITY \
              k(attnum, opclass, coll, opt, n) \
         LEFT JOIN pg_catalog.pg_attribute att ON att.attrelid = i.indrelid \
              AND att.attnum = k.attnum AND k.attnum > 0 \
         LEFT JOIN pg_catalog.pg_attribute ka ON ka.attrelid = i.indexrelid AND ka.attnum = k.n \
         LEFT JOIN pg_catalog.pg_type kt ON kt.oid = ka.atttypid \
         LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = k.opclass \
         LEFT JOIN pg_catalog.pg_namespace opcn ON opcn.oid = opc.opcnamespace \
         LEFT JOIN pg_catalog.pg_collation kc ON kc.oid = k.coll \
         LEFT JOIN pg_catalog.pg_namespace kcn ON kcn.oid = kc.collnamespace \
         WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'm') AND k.n <= i.indnkeyatts \
         AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con \
              WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid \
              AND con.contype IN ('p', 'u', 'x')) \
         ORDER BY i.indexrelid, k.n",
        owned = super::owned_by_extension("pg_class", "i.indexrelid"),
    )
}

/// Per-part facts kept until every part is read (kept only when one is not the default).
#[derive(Default)]
struct Parts {
    opclasses: Vec<Option<String>>,
    nulls_first: Vec<Option<bool>>,
}
