//! `CREATE INDEX`: the catalog's own statement (`pg_get_indexdef`) when the index was
//! read from a database, else one rendered from the model's fields.

use super::super::super::PostgresDialect;
use super::{qualified, quoted_list};
use crate::dialect::Dialect;
use crate::schema::{Index, IndexKey};

/// The statement creating `index`.
pub fn create_index(dialect: &PostgresDialect, index: &Index) -> String {
    if let Some(definition) = &index.definition {
        return definition.clone();
    }
    let ext = &index.ext.postgres;
    let parts: Vec<String> = index
        .parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let mut out = match &part.key {
                IndexKey::Column(c) => dialect.quote_ident(c),
                IndexKey::Expression(e) => format!("({e})"),
            };
            if let Some(collation) = &part.collation {
                out.push_str(&format!(" COLLATE {collation}"));
            }
            if let Some(Some(opclass)) = ext.opclasses.get(i) {
                out.push_str(&format!(" {opclass}"));
            }
            if part.descending {
                out.push_str(" DESC");
            }
            match ext.nulls_first.get(i) {
                Some(Some(true)) => out.push_str(" NULLS FIRST"),
                Some(Some(false)) => out.push_str(" NULLS LAST"),
                _ => {}
            }
            out
        })
        .collect();
    let mut out = format!(
        "CREATE {}INDEX {} ON {}",
        if index.unique { "UNIQUE " } else { "" },
        dialect.quote_ident(&index.name),
        qualified(dialect, &index.namespace, &index.table)
    );
    if let Some(method) = &ext.method {
        out.push_str(&format!(" USING {method}"));
    }
    out.push_str(&format!(" ({})", parts.join(", ")));
    if !ext.include.is_empty() {
        out.push_str(&format!(
            " INCLUDE ({})",
            quoted_list(dialect, &ext.include)
        ));
    }
    if ext.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    if let Some(predicate) = &index.predicate {
        out.push_str(&format!(" WHERE {predicate}"));
    }
    out
}
