//! Keys and indexes from `information_schema.STATISTICS`, one row per key part: the
//! primary key, unique keys over plain columns, and the other indexes (with prefix
//! lengths, descending parts, `FULLTEXT`/`SPATIAL`, comments, ignored/invisible indexes and
//! MySQL 8.0.13+ functional key parts).

use super::tables::Tables;
use super::{non_empty, number, text, text_or_empty, Catalog};
use crate::schema::ext::{MysqlIndex, MysqlKey};
use crate::schema::{Index, IndexKey, IndexPart, KeyExt, PrimaryKey, Unique};
use anyhow::Result;
use std::collections::BTreeMap;

/// One index as read: its rows' common facts and its parts.
struct IndexRead {
    unique: bool,
    kind: String,
    comment: Option<String>,
    ignored: bool,
    parts: Vec<IndexPart>,
    prefix_lengths: Vec<Option<u32>>,
}

/// Reads the keys and indexes of the database's tables into them.
pub(super) fn read(catalog: &mut Catalog<'_>, tables: &mut Tables) -> Result<()> {
    let expression = if catalog.mysql_at_least(&[8, 0, 13]) {
        "EXPRESSION"
    } else {
        "NULL"
    };
    let ignored = if catalog.is_mysql() {
        if catalog.mysql_at_least(&[8]) {
            "IS_VISIBLE = 'NO'"
        } else {
            "0"
        }
    } else if catalog.mariadb_at_least(&[10, 6]) {
        "IGNORED = 'YES'"
    } else {
        "0"
    };
    let sql = format!(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, COLLATION, SUB_PART, \
         INDEX_TYPE, INDEX_COMMENT, {expression}, {ignored} \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
    );
    let mut indexes: BTreeMap<(String, String), IndexRead> = BTreeMap::new();
    for row in catalog.rows("indexes", &sql)? {
        let table = text_or_empty(&row, 0);
        if !tables.tables.contains_key(&table) {
            continue;
        }
        let kind = text_or_empty(&row, 6).to_ascii_uppercase();
        let index = indexes
            .entry((table, text_or_empty(&row, 1)))
            .or_insert_with(|| IndexRead {
                unique: text_or_empty(&row, 2) == "0",
                kind: kind.clone(),
                comment: non_empty(text_or_empty(&row, 7)),
                ignored: text_or_empty(&row, 9) == "1",
                parts: Vec::new(),
                prefix_lengths: Vec::new(),
            });
        let key = match text(&row, 3) {
            Some(column) => IndexKey::Column(column),
            None => IndexKey::Expression(text_or_empty(&row, 8)),
        };
        index.parts.push(IndexPart {
            key,
            descending: text(&row, 4).as_deref() == Some("D"),
            collation: None,
        });
        // A SPATIAL index reports a prefix (32 on MariaDB) that no schema writes.
        let prefix = number(&row, 5)
            .filter(|_| kind != "SPATIAL")
            .and_then(|n| u32::try_from(n).ok());
        index.prefix_lengths.push(prefix);
    }
    for ((table, name), index) in indexes {
        if let Some(read) = tables.tables.get_mut(&table) {
            place(&mut read.table, name, index);
        }
    }
    Ok(())
}

/// Puts `index` into `table`: as its primary key, a unique key, or an index.
fn place(table: &mut crate::schema::Table, name: String, index: IndexRead) {
    let IndexRead {
        unique,
        kind,
        comment,
        ignored,
        parts,
        prefix_lengths,
    } = index;
    let prefix_lengths = if prefix_lengths.iter().any(Option::is_some) {
        prefix_lengths
    } else {
        Vec::new()
    };
    let descending: Vec<bool> = if parts.iter().any(|p| p.descending) {
        parts.iter().map(|p| p.descending).collect()
    } else {
        Vec::new()
    };
    let columns: Option<Vec<String>> = parts
        .iter()
        .map(|p| match &p.key {
            IndexKey::Column(c) => Some(c.clone()),
            IndexKey::Expression(_) => None,
        })
        .collect();
    let key_ext = |prefix_lengths, comment, ignored| KeyExt {
        mysql: MysqlKey {
            prefix_lengths,
            comment,
            ignored,
        },
        ..KeyExt::default()
    };
    match columns {
        Some(columns) if name == "PRIMARY" => {
            table.primary_key = Some(PrimaryKey {
                name: None,
                columns,
                descending,
                collations: Vec::new(),
                ext: key_ext(prefix_lengths, comment, ignored),
            })
        }
        Some(columns) if unique && kind == "BTREE" => table.uniques.push(Unique {
            columns,
            name: Some(name),
            descending,
            collations: Vec::new(),
            ext: key_ext(prefix_lengths, comment, ignored),
        }),
        _ => {
            let index = Index {
                namespace: String::new(),
                name: name.clone(),
                table: table.name.clone(),
                unique,
                parts,
                predicate: None,
                definition: None,
                ext: crate::schema::IndexExt {
                    mysql: MysqlIndex {
                        kind: matches!(kind.as_str(), "FULLTEXT" | "SPATIAL").then_some(kind),
                        prefix_lengths,
                        comment,
                        ignored,
                    },
                    ..Default::default()
                },
            };
            table.indexes.insert(name, index);
        }
    }
}
