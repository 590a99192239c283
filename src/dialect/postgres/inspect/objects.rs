//! The objects beside the tables: view dependencies, triggers, functions (procedures and
//! aggregates as unmanaged lines), types (enums; domains, composite and range types as
//! unmanaged lines), policies and event triggers.

use super::tables::Relations;
use super::{owned_by_extension, Catalog};
use crate::schema::filter::Filter;
use crate::schema::{display_name, key, EnumType, Function, Schema, Trigger};
use anyhow::Result;

/// Fills in what each view of `relations` reads: the tables and views its rewrite rule
/// depends on, by key, sorted.
pub(super) fn read_views(catalog: &mut Catalog<'_>, relations: &mut Relations) -> Result<()> {
    let rows = catalog.rows(
        "view dependencies",
        "SELECT DISTINCT r.ev_class, rn.nspname::text, rc.relname::text \
         FROM pg_catalog.pg_rewrite r \
         JOIN pg_catalog.pg_class vc ON vc.oid = r.ev_class \
         JOIN pg_catalog.pg_namespace vn ON vn.oid = vc.relnamespace \
         JOIN pg_catalog.pg_depend d ON d.classid = 'pg_rewrite'::regclass \
              AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass \
         JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid \
         JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace \
         WHERE vn.nspname = ANY($1) AND vc.relkind IN ('v', 'm') \
         AND d.refobjid <> r.ev_class AND rc.relkind IN ('r', 'p', 'v', 'm', 'f')",
    )?;
    for row in rows {
        let view_oid: u32 = row.try_get(0)?;
        if let Some(view) = relations.views.get_mut(&view_oid) {
            let namespace: String = row.try_get(1)?;
            let name: String = row.try_get(2)?;
            view.depends_on.push(key(&namespace, &name));
        }
    }
    for view in relations.views.values_mut() {
        view.depends_on.sort();
        view.depends_on.dedup();
    }
    Ok(())
}

/// Reads the triggers (not the internal ones of foreign keys) of the tables and views of
/// `relations`, keyed by namespace and `table\0name` (trigger names are per table).
pub(super) fn read_triggers(
    catalog: &mut Catalog<'_>,
    filter: &Filter,
    relations: &Relations,
    schema: &mut Schema,
) -> Result<()> {
    let sql = format!(
        "SELECT t.tgrelid, n.nspname::text, c.relname::text, t.tgname::text, \
         pg_catalog.pg_get_triggerdef(t.oid, true), {owned} \
         FROM pg_catalog.pg_trigger t \
         JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = ANY($1) AND NOT t.tgisinternal",
        owned = owned_by_extension("pg_trigger", "t.oid"),
    );
    for row in catalog.rows("triggers", &sql)? {
        let table_oid: u32 = row.try_get(0)?;
        let name: String = row.try_get(3)?;
        let managed =
            relations.tables.contains_key(&table_oid) || relations.views.contains_key(&table_oid);
        if !managed || !filter.keeps_object(&name, row.try_get(5)?) {
            continue;
        }
        let namespace: String = row.try_get(1)?;
        let table: String = row.try_get(2)?;
        let trigger = Trigger {
            namespace,
            name,
            table,
            definition: row.try_get(4)?,
        };
        schema.triggers.insert(trigger.key(), trigger);
    }
    Ok(())
}

/// Reads the functions (`prokind` `f`) no extension owns, leaving out those made with
/// another object (a range type's constructors: deptype `i`); procedures, aggregates and
/// window functions are unmanaged lines.
pub(super) fn read_functions(
    catalog: &mut Catalog<'_>,
    filter: &Filter,
    schema: &mut Schema,
) -> Result<()> {
    let sql = format!(
        "SELECT n.nspname::text, p.proname::text, p.prokind::text, l.lanname::text, \
         pg_catalog.pg_get_function_identity_arguments(p.oid), \
         CASE WHEN p.prokind = 'f' THEN pg_catalog.pg_get_functiondef(p.oid) END, {owned}, \
         pg_catalog.oidvectortypes(p.proargtypes) \
         FROM pg_catalog.pg_proc p \
         JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
         JOIN pg_catalog.pg_language l ON l.oid = p.prolang \
         WHERE n.nspname = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d \
              WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')",
        owned = owned_by_extension("pg_proc", "p.oid"),
    );
    for row in catalog.rows("functions", &sql)? {
        let namespace: String = row.try_get(0)?;
        let name: String = row.try_get(1)?;
        if !filter.keeps_object(&name, row.try_get(6)?) {
            continue;
        }
        let kind: String = row.try_get(2)?;
        let language: String = row.try_get(3)?;
        let arguments: String = row.try_get(4)?;
        let signature = format!("{}({arguments})", display_name(&namespace, &name));
        match kind.as_str() {
            "f" => {
                // Keyed by the argument types alone, as PostgreSQL identifies a function:
                // renaming an argument replaces the function, it does not add another.
                let types: String = row.try_get(7)?;
                schema.functions.insert(
                    key(&namespace, &format!("{name}({types})")),
                    Function {
                        namespace,
                        name,
                        arguments,
                        definition: row.try_get::<_, Option<String>>(5)?.unwrap_or_default(),
                        // A SQL-language body is checked when it is created, so the tables
                        // it reads must exist; PL/pgSQL bodies are checked when they run.
                        reads_tables: language == "sql",
                    },
                );
            }
            "p" => schema.unmanaged.push(format!("procedure {signature}")),
            "a" => schema.unmanaged.push(format!("aggregate {signature}")),
            _ => schema
                .unmanaged
                .push(format!("window function {signature}")),
        }
    }
    Ok(())
}

/// Reads the enum types with their labels in order; domains, composite types (not a
/// table's row type) and range types are unmanaged lines.
pub(super) fn read_types(
    catalog: &mut Catalog<'_>,
    filter: &Filter,
    schema: &mut Schema,
) -> Result<()> {
    let sql = format!(
        "SELECT n.nspname::text, t.typname::text, t.typtype::text, \
         pg_catalog.obj_description(t.oid, 'pg_type'), \
         ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e \
               WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), {owned} \
         FROM pg_catalog.pg_type t \
         JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
         LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid \
         WHERE n.nspname = ANY($1) \
         AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND c.relkind = 'c'))",
        owned = owned_by_extension("pg_type", "t.oid"),
    );
    for row in catalog.rows("types", &sql)? {
        let namespace: String = row.try_get(0)?;
        let name: String = row.try_get(1)?;
        if !filter.keeps_object(&name, row.try_get(5)?) {
            continue;
        }
        let kind: String = row.try_get(2)?;
        let shown = display_name(&namespace, &name);
        match kind.as_str() {
            "e" => {
                schema.enums.insert(
                    key(&namespace, &name),
                    EnumType {
                        namespace,
                        name,
                        labels: row.try_get(4)?,
                        comment: row.try_get(3)?,
                    },
                );
            }
            "d" => schema.unmanaged.push(format!("domain {shown}")),
            "r" => schema.unmanaged.push(format!("range type {shown}")),
            _ => schema.unmanaged.push(format!("composite type {shown}")),
        }
    }
    Ok(())
}

/// Row-level security policies of the tables in `relations`, as unmanaged lines.
pub(super) fn read_policies(
    catalog: &mut Catalog<'_>,
    relations: &Relations,
    schema: &mut Schema,
) -> Result<()> {
    let rows = catalog.rows(
        "policies",
        "SELECT p.polrelid, p.polname::text FROM pg_catalog.pg_policy p \
         JOIN pg_catalog.pg_class c ON c.oid = p.polrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = ANY($1)",
    )?;
    for row in rows {
        let table_oid: u32 = row.try_get(0)?;
        if let Some(table) = relations.tables.get(&table_oid) {
            let name: String = row.try_get(1)?;
            schema
                .unmanaged
                .push(format!("policy {name} on {}", table.display_name()));
        }
    }
    Ok(())
}

/// Event triggers (database-wide) no extension owns, as unmanaged lines.
pub(super) fn read_event_triggers(
    catalog: &mut Catalog<'_>,
    filter: &Filter,
    schema: &mut Schema,
) -> Result<()> {
    let sql = format!(
        "SELECT e.evtname::text, {owned} FROM pg_catalog.pg_event_trigger e",
        owned = owned_by_extension("pg_event_trigger", "e.oid"),
    );
    for row in catalog.rows_unbound("event triggers", &sql)? {
        let name: String = row.try_get(0)?;
        if filter.keeps_object(&name, row.try_get(1)?) {
            schema.unmanaged.push(format!("event trigger {name}"));
        }
    }
    Ok(())
}
