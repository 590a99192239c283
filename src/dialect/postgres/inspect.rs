//! PostgreSQL introspection: one catalog query per object kind over every inspected
//! namespace at once (`nspname = ANY($1)`), joined in Rust, so the number of queries is
//! fixed whatever the number of tables (see [`inspect_counting`]).
//!
//! Normal forms (so that equivalent SQL gives equal models):
//! - texts are the server's own renderings: `format_type` for types, `pg_get_expr` for
//!   defaults and generation expressions, `pg_get_constraintdef`, `pg_get_indexdef`,
//!   `pg_get_viewdef(oid, true)`, `pg_get_triggerdef(oid, true)`, `pg_get_functiondef`;
//! - a collation (of a column or an index key) is set only where it differs from the
//!   default of the column's type (or of the key's column), and is written double-quoted,
//!   qualified by its namespace outside `pg_catalog`: `"C"`, `"en-x-icu"`,
//!   `"billing"."nocase"` (the renderer writes `COLLATE <collation>` verbatim);
//! - sequence options (identity columns and sequences) keep only what differs from the
//!   defaults of `CREATE SEQUENCE` for the sequence's type and direction (see
//!   [`sequences::options`]);
//! - a `serial` column (an integer column whose default is `nextval` of a sequence it owns,
//!   with default options and the name PostgreSQL gives it) reads as `serial`,
//!   `bigserial` or `smallserial` without a default, and its sequence is not listed;
//! - objects an extension owns, the tool's version tables (and what belongs to them) and
//!   the engine's namespaces are left out ([`Filter`]); objects seen but not managed
//!   (partitioned tables and partitions, foreign tables, procedures, aggregates, domains,
//!   composite and range types, policies, event triggers) are `unmanaged` lines;
//! - indexes of materialized views are kept with their view ([`View::indexes`]).

mod constraints;
mod indexes;
mod objects;
mod sequences;
mod tables;

use super::PostgresDialect;
use crate::schema::filter::Filter;
use crate::schema::{Extension, Namespace, Schema};
use anyhow::{Context, Result};
use postgres::types::ToSql;
use postgres::{Client, Row};

/// Reads the schema of the `namespaces` of `client`'s database that exist (the engine's
/// own are never read), leaving out what `filter` excludes.
pub fn inspect(client: &mut Client, namespaces: &[String], filter: &Filter) -> Result<Schema> {
    inspect_counting(client, namespaces, filter).map(|(schema, _)| schema)
}

/// [`inspect`], also giving the number of catalog queries it ran (the same for any number
/// of objects).
pub fn inspect_counting(
    client: &mut Client,
    namespaces: &[String],
    filter: &Filter,
) -> Result<(Schema, usize)> {
    let namespaces: Vec<String> = namespaces
        .iter()
        .filter(|n| !filter.is_internal_namespace(n))
        .cloned()
        .collect();
    let mut catalog = Catalog {
        client,
        namespaces,
        queries: 0,
        version: 0,
    };
    catalog.version = catalog
        .rows_unbound(
            "server version",
            "SELECT current_setting('server_version_num')::int",
        )?
        .first()
        .map(|r| r.try_get::<_, i32>(0))
        .transpose()?
        .context("the server did not say its version")?;
    let mut schema = Schema::default();
    read_namespaces(&mut catalog, &mut schema)?;
    read_extensions(&mut catalog, &mut schema)?;
    let mut relations = tables::read(&mut catalog, filter, &mut schema)?;
    let sequences = sequences::read(&mut catalog)?;
    let folded = tables::read_columns(&mut catalog, &mut relations, &sequences)?;
    sequences::place(&sequences, &folded, &relations, filter, &mut schema);
    constraints::read(&mut catalog, &mut relations)?;
    indexes::read(&mut catalog, filter, &mut relations)?;
    objects::read_views(&mut catalog, &mut relations)?;
    objects::read_triggers(&mut catalog, filter, &relations, &mut schema)?;
    objects::read_functions(&mut catalog, filter, &mut schema)?;
    objects::read_types(&mut catalog, filter, &mut schema)?;
    objects::read_policies(&mut catalog, &relations, &mut schema)?;
    objects::read_event_triggers(&mut catalog, filter, &mut schema)?;
    tables::finish(relations, &mut schema);
    schema.unmanaged.sort();
    schema.unmanaged.dedup();
    let queries = catalog.queries;
    Ok((schema, queries))
}

/// The connection with the namespaces to read; every catalog query goes through here, so
/// they can be counted.
struct Catalog<'a> {
    client: &'a mut Client,
    /// The namespaces to read (none of the engine's own), bound as `$1` of every query.
    namespaces: Vec<String>,
    /// How many queries ran.
    queries: usize,
    /// `server_version_num` (150004 for 15.4): newer catalog columns are read where they
    /// exist.
    version: i32,
}

impl Catalog<'_> {
    /// The rows of `sql`, whose `$1` is the namespaces' names (`text[]`).
    fn rows(&mut self, what: &str, sql: &str) -> Result<Vec<Row>> {
        let namespaces = self.namespaces.clone();
        self.run(what, sql, &[&namespaces])
    }

    /// The rows of `sql`, which takes no parameter.
    fn rows_unbound(&mut self, what: &str, sql: &str) -> Result<Vec<Row>> {
        self.run(what, sql, &[])
    }

    fn run(&mut self, what: &str, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        self.queries += 1;
        self.client
            .query(sql, params)
            .with_context(|| format!("reading the {what} from the catalog"))
    }

    /// Whether the server is at least `server_version_num` `version`.
    fn at_least(&self, version: i32) -> bool {
        self.version >= version
    }
}

/// `EXISTS` a `pg_depend` row saying that an extension owns the object `oid` of the
/// catalog `class` (deptype `e`).
fn owned_by_extension(class: &str, oid: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = '{class}'::regclass \
         AND d.objid = {oid} AND d.deptype = 'e')"
    )
}

/// A catalog name (collation, operator class) in model form: double-quoted, qualified by
/// its namespace outside `pg_catalog`.
fn qualified_name(namespace: &str, name: &str) -> String {
    let namespace = if namespace == "pg_catalog" {
        ""
    } else {
        namespace
    };
    super::render::qualified(&PostgresDialect::default(), namespace, name)
}

fn read_namespaces(catalog: &mut Catalog<'_>, schema: &mut Schema) -> Result<()> {
    let rows = catalog.rows(
        "namespaces",
        "SELECT n.nspname::text, pg_catalog.obj_description(n.oid, 'pg_namespace') \
         FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY($1)",
    )?;
    for row in rows {
        let name: String = row.try_get(0)?;
        let comment = row.try_get(1)?;
        schema
            .namespaces
            .insert(name.clone(), Namespace { name, comment });
    }
    Ok(())
}

/// Extensions installed in an inspected namespace, except `plpgsql` (every database has
/// it); an extension is database-wide, but its objects live in its namespace, which a
/// `CREATE EXTENSION ... SCHEMA` names, so only those of managed namespaces are kept.
fn read_extensions(catalog: &mut Catalog<'_>, schema: &mut Schema) -> Result<()> {
    let rows = catalog.rows(
        "extensions",
        "SELECT e.extname::text, n.nspname::text FROM pg_catalog.pg_extension e \
         JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace \
         WHERE n.nspname = ANY($1) AND e.extname <> 'plpgsql'",
    )?;
    for row in rows {
        let name: String = row.try_get(0)?;
        let namespace = row.try_get(1)?;
        schema
            .extensions
            .insert(name.clone(), Extension { name, namespace });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_names_are_quoted_and_qualified_outside_pg_catalog() {
        assert_eq!(qualified_name("pg_catalog", "C"), "\"C\"");
        assert_eq!(qualified_name("billing", "a\"b"), "\"billing\".\"a\"\"b\"");
    }
}
