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
//!
//! On a large schema (at least [`SECOND_SESSION_FROM`] relations) the two heaviest
//! queries, constraints and indexes, run on a second session opened for the purpose
//! while this one reads the columns: the server's catalog functions (`pg_get_expr`,
//! `pg_get_constraintdef`, `pg_get_indexdef`) then work on two cores. Each query already
//! reads its own snapshot, on one session as on two. Where no second session can be
//! opened, the queries run on the first.

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
use std::collections::HashMap;
use std::sync::mpsc;
use std::thread::Scope;

/// Opens another session on the same database, set up for inspection as the first one
/// (its `search_path` included).
pub type Connector<'a> = dyn Fn() -> Result<Client> + Sync + 'a;

/// From how many relations (tables, views, sequences) inspection opens a second session
/// for its heaviest queries: below, opening it costs more than it saves.
pub const SECOND_SESSION_FROM: usize = 100;

/// Reads the schema of the `namespaces` of `client`'s database that exist (the engine's
/// own are never read), leaving out what `filter` excludes. `second`, where given, opens
/// a second session for a large schema (see the module's documentation).
pub fn inspect(
    client: &mut Client,
    second: Option<&Connector<'_>>,
    namespaces: &[String],
    filter: &Filter,
) -> Result<Schema> {
    inspect_counting(client, second, namespaces, filter).map(|(schema, _)| schema)
}

/// [`inspect`], also giving the number of catalog queries it ran (the same for any number
/// of objects, on one session or two).
pub fn inspect_counting(
    client: &mut Client,
    second: Option<&Connector<'_>>,
    namespaces: &[String],
    filter: &Filter,
) -> Result<(Schema, usize)> {
    let namespaces: Vec<String> = namespaces
        .iter()
        .filter(|n| !filter.is_internal_namespace(n))
        .cloned()
        .collect();
    std::thread::scope(|scope| {
        let catalog = Catalog {
            client,
            namespaces,
            queries: 0,
            version: 0,
            ahead: HashMap::new(),
        };
        read_all(catalog, scope, second, filter)
    })
}

/// Runs every catalog query of an inspection, the heaviest on a second session where
/// `second` is given and the schema is large.
fn read_all<'scope>(
    mut catalog: Catalog<'_>,
    scope: &'scope Scope<'scope, '_>,
    second: Option<&'scope Connector<'scope>>,
    filter: &Filter,
) -> Result<(Schema, usize)> {
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
    if let Some(connect) = second.filter(|_| relations.len() >= SECOND_SESSION_FROM) {
        let queries = vec![
            ("constraints", constraints::sql(&catalog)),
            ("indexes", indexes::sql(&catalog)),
        ];
        catalog.run_ahead(scope, connect, queries);
    }
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

/// Rows a second session is reading.
type Pending = mpsc::Receiver<Result<Vec<Row>>>;

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
    /// Queries running on a second session, by what they read, with their SQL.
    ahead: HashMap<&'static str, (String, Pending)>,
}

impl Catalog<'_> {
    /// The rows of `sql`, whose `$1` is the namespaces' names (`text[]`): those a second
    /// session read when it ran this query ahead, else read here.
    fn rows(&mut self, what: &str, sql: &str) -> Result<Vec<Row>> {
        if let Some((ahead_sql, pending)) = self.ahead.remove(what) {
            // A second session that could not connect or failed leaves the query here.
            if let (true, Ok(Ok(rows))) = (ahead_sql == sql, pending.recv()) {
                return Ok(rows);
            }
            self.queries -= 1;
        }
        let namespaces = self.namespaces.clone();
        self.run(what, sql, &[&namespaces])
    }

    /// Starts `queries` (what each reads, its SQL) on a second session that `connect`
    /// opens, on a thread of `scope`; [`Catalog::rows`] then takes their rows from there.
    fn run_ahead<'scope>(
        &mut self,
        scope: &'scope Scope<'scope, '_>,
        connect: &'scope Connector<'scope>,
        queries: Vec<(&'static str, String)>,
    ) {
        let mut senders = Vec::new();
        for (what, sql) in queries {
            let (send, pending) = mpsc::channel();
            self.ahead.insert(what, (sql.clone(), pending));
            senders.push((what, sql, send));
            self.queries += 1;
        }
        let namespaces = self.namespaces.clone();
        scope.spawn(move || {
            let mut client = match connect() {
                Ok(client) => client,
                Err(error) => {
                    for (_, _, send) in senders {
                        let _ = send.send(Err(anyhow::anyhow!("{error:#}")));
                    }
                    return;
                }
            };
            for (what, sql, send) in senders {
                let rows = client
                    .query(sql.as_str(), &[&namespaces])
                    .with_context(|| format!("reading the {what} from the catalog"));
                let _ = send.send(rows);
            }
        });
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
