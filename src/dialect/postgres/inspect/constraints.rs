//! Table constraints from `pg_constraint` and `pg_get_constraintdef`: primary keys,
//! uniques and foreign keys (in declaration order, i.e. by oid), checks and exclusions.

use super::tables::Relations;
use super::Catalog;
use crate::schema::ext::{Exclusion, PostgresCheck, PostgresForeignKey, PostgresKey};
use crate::schema::{
    Check, CheckExt, Deferrable, ForeignKey, ForeignKeyExt, KeyExt, PrimaryKey, RefAction, Unique,
};
use anyhow::{Context, Result};

/// Reads the constraints of the tables in `relations` into them. Constraints a parent
/// constraint made (`conparentid`: a foreign key to a partitioned table has one per
/// partition) are the parent's.
pub(super) fn read(catalog: &mut Catalog<'_>, relations: &mut Relations) -> Result<()> {
    let sql = sql(catalog);
    for row in catalog.rows("constraints", &sql)? {
        let table_oid: u32 = row.try_get(0)?;
        if !relations.tables.contains_key(&table_oid) {
            continue;
        }
        let name: String = row.try_get(1)?;
        let names = |numbers: Vec<i16>, of: u32| {
            relations
                .names(of, &numbers)
                .with_context(|| format!("constraint {name} names an unknown column"))
        };
        let columns = names(row.try_get(8)?, table_oid)?;
        let ref_columns = match row.try_get::<_, Option<Vec<String>>>(13)? {
            Some(outside) => outside,
            None => names(row.try_get(12)?, row.try_get(11)?)?,
        };
        let index_key: Vec<i16> = row.try_get(17)?;
        let key_count = usize::try_from(row.try_get::<_, i16>(18)?).unwrap_or(0);
        let include = names(
            index_key.get(key_count..).unwrap_or(&[]).to_vec(),
            table_oid,
        )?;
        let Some(table) = relations.tables.get_mut(&table_oid) else {
            continue;
        };
        let kind: String = row.try_get(2)?;
        let definition: String = row.try_get(3)?;
        let deferrable = deferrable(row.try_get(4)?, row.try_get(5)?);
        let valid: bool = row.try_get(6)?;
        let no_inherit: bool = row.try_get(7)?;
        let key_ext = || -> Result<KeyExt> {
            Ok(KeyExt {
                postgres: PostgresKey {
                    deferrable,
                    include: include.clone(),
                    nulls_not_distinct: row.try_get(19)?,
                },
                ..KeyExt::default()
            })
        };
        match kind.as_str() {
            "p" => {
                table.primary_key = Some(PrimaryKey {
                    name: Some(name),
                    columns,
                    ext: key_ext()?,
                    ..PrimaryKey::default()
                })
            }
            "u" => table.uniques.push(Unique {
                columns,
                name: Some(name),
                ext: key_ext()?,
                ..Unique::default()
            }),
            "c" => table.checks.push(Check {
                expression: check_expression(&definition).to_string(),
                name: Some(name),
                ext: CheckExt {
                    postgres: PostgresCheck {
                        not_valid: !valid,
                        no_inherit,
                    },
                    ..CheckExt::default()
                },
            }),
            "x" => table
                .ext
                .postgres
                .exclusions
                .push(Exclusion { name, definition }),
            _ => table.foreign_keys.push(ForeignKey {
                columns,
                ref_namespace: row.try_get::<_, Option<String>>(9)?.unwrap_or_default(),
                ref_table: row.try_get::<_, Option<String>>(10)?.unwrap_or_default(),
                ref_columns,
                name: Some(name),
                on_update: ref_action(&row.try_get::<_, String>(14)?),
                on_delete: ref_action(&row.try_get::<_, String>(15)?),
                deferrable,
                ext: ForeignKeyExt {
                    postgres: PostgresForeignKey {
                        match_full: row.try_get::<_, String>(16)? == "f",
                        not_valid: !valid,
                    },
                    ..ForeignKeyExt::default()
                },
            }),
        }
    }
    Ok(())
}

/// The constraints query (see [`read`]).
pub(super) fn sql(catalog: &Catalog<'_>) -> String {
    let nulls_not_distinct = if catalog.at_least(150000) {
        "coalesce(i.indnullsnotdistinct, false)"
    } else {
        "false"
    };
    // Columns are named in Rust from their numbers (a subquery per row costs more than
    // the rest of the query), except those of a referenced table outside the inspected
    // tables, named here.
    format!(
        "SELECT con.conrelid, con.conname::text, con.contype::text, \
         pg_catalog.pg_get_constraintdef(con.oid), con.condeferrable, con.condeferred, \
         con.convalidated, con.connoinherit, coalesce(con.conkey, '{{}}'), fn.nspname::text, \
         fc.relname::text, con.confrelid, coalesce(con.confkey, '{{}}'), \
         CASE WHEN con.contype = 'f' AND NOT (fc.relkind IN ('r', 'p') AND fn.nspname = ANY($1)) \
              THEN ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY \
                   k(attnum, n) JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid \
                   AND a.attnum = k.attnum ORDER BY k.n) END, \
         con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text, \
         coalesce(i.indkey::int2[], '{{}}'), coalesce(i.indnkeyatts, 0::int2), {nulls_not_distinct} \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid \
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace \
         LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = con.conindid \
              AND con.contype IN ('p', 'u') \
         WHERE n.nspname = ANY($1) AND c.relkind = 'r' \
         AND con.contype IN ('p', 'u', 'c', 'f', 'x') AND con.conparentid = 0 \
         ORDER BY con.conrelid, con.oid",
    )
}

/// Deferrability from `condeferrable` and `condeferred`.
fn deferrable(deferrable: bool, deferred: bool) -> Deferrable {
    match (deferrable, deferred) {
        (false, _) => Deferrable::NotDeferrable,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    }
}

/// A foreign key action from `confupdtype`/`confdeltype`.
fn ref_action(code: &str) -> RefAction {
    match code {
        "r" => RefAction::Restrict,
        "c" => RefAction::Cascade,
        "n" => RefAction::SetNull,
        "d" => RefAction::SetDefault,
        _ => RefAction::NoAction,
    }
}

/// The text inside `CHECK (...)` of a check's `pg_get_constraintdef`, which may end with
/// ` NO INHERIT` and ` NOT VALID` (those are in the check's extension).
fn check_expression(definition: &str) -> &str {
    let mut text = definition.trim();
    for suffix in [" NOT VALID", " NO INHERIT"] {
        text = text.strip_suffix(suffix).unwrap_or(text);
    }
    text.strip_prefix("CHECK (")
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_expressions_are_the_text_inside_check() {
        assert_eq!(check_expression("CHECK ((a > 0))"), "(a > 0)");
        assert_eq!(
            check_expression("CHECK ((a > 0)) NO INHERIT NOT VALID"),
            "(a > 0)"
        );
        assert_eq!(check_expression("CHECK (ok) NOT VALID"), "ok");
    }

    #[test]
    fn actions_and_deferrability_follow_the_catalog_codes() {
        assert_eq!(ref_action("c"), RefAction::Cascade);
        assert_eq!(ref_action("a"), RefAction::NoAction);
        assert_eq!(deferrable(true, true), Deferrable::InitiallyDeferred);
        assert_eq!(deferrable(false, true), Deferrable::NotDeferrable);
    }
}
