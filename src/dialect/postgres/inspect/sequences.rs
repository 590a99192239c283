//! Sequences: read once with their owners, then folded into identity columns (deptype
//! `i`) or `serial` columns (deptype `a`, see `tables::read_columns`), or listed.
//!
//! Options keep only what differs from what `CREATE SEQUENCE` gives when the option is
//! left out, for the sequence's type and the sign of its increment (the
//! [PostgreSQL docs](https://www.postgresql.org/docs/current/sql-createsequence.html)):
//! increment 1; ascending: minimum 1, maximum the type's largest value, start the minimum;
//! descending: minimum the type's smallest value, maximum -1, start the maximum; cache 1;
//! no cycle. The start's default is taken from the minimum (or maximum) the sequence has,
//! as `CREATE SEQUENCE s MINVALUE 5` starts at 5.

use super::{owned_by_extension, Catalog};
use crate::schema::filter::Filter;
use crate::schema::{key, Schema, Sequence, SequenceOptions};
use anyhow::Result;
use std::collections::HashSet;

use super::tables::Relations;

/// The longest identifier PostgreSQL keeps (NAMEDATALEN - 1).
pub(super) const NAME_MAX: usize = 63;

/// The column that owns a sequence.
pub(super) struct Owner {
    pub table_oid: u32,
    pub attnum: i16,
    /// `a` (OWNED BY, serial) or `i` (identity).
    pub kind: String,
    pub table_namespace: String,
    pub table: String,
    pub column: String,
}

/// A sequence as the catalog has it.
pub(super) struct SequenceRow {
    pub oid: u32,
    pub namespace: String,
    pub name: String,
    /// `oid::regclass::text`, as `nextval('...'::regclass)` names it.
    pub regclass: String,
    pub type_text: String,
    pub options: SequenceOptions,
    pub owner: Option<Owner>,
    pub extension: bool,
}

impl SequenceRow {
    /// `a` or `i` where a column owns the sequence.
    pub fn owner_kind(&self) -> Option<char> {
        self.owner.as_ref().and_then(|o| o.kind.chars().next())
    }
}

/// Reads every sequence of the inspected namespaces with its owning column.
pub(super) fn read(catalog: &mut Catalog<'_>) -> Result<Vec<SequenceRow>> {
    let sql = format!(
        "SELECT c.oid, n.nspname::text, c.relname::text, c.oid::regclass::text, \
         pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, \
         s.seqmax, s.seqcache, s.seqcycle, {owned}, \
         d.refobjid, d.refobjsubid::int2, d.deptype::text, tn.nspname::text, \
         tc.relname::text, a.attname::text \
         FROM pg_catalog.pg_sequence s \
         JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_class'::regclass \
              AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass \
              AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') \
         LEFT JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid \
         LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace \
         LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid \
              AND a.attnum = d.refobjsubid \
         WHERE n.nspname = ANY($1)",
        owned = owned_by_extension("pg_class", "c.oid"),
    );
    let mut sequences = Vec::new();
    for row in catalog.rows("sequences", &sql)? {
        let type_text: String = row.try_get(4)?;
        let owner = match row.try_get::<_, Option<u32>>(12)? {
            Some(table_oid) => Some(Owner {
                table_oid,
                attnum: row.try_get(13)?,
                kind: row.try_get(14)?,
                table_namespace: row.try_get::<_, Option<String>>(15)?.unwrap_or_default(),
                table: row.try_get::<_, Option<String>>(16)?.unwrap_or_default(),
                column: row.try_get::<_, Option<String>>(17)?.unwrap_or_default(),
            }),
            None => None,
        };
        sequences.push(SequenceRow {
            oid: row.try_get(0)?,
            namespace: row.try_get(1)?,
            name: row.try_get(2)?,
            regclass: row.try_get(3)?,
            options: options(
                &type_text,
                Settings {
                    start: row.try_get(5)?,
                    increment: row.try_get(6)?,
                    min: row.try_get(7)?,
                    max: row.try_get(8)?,
                    cache: row.try_get(9)?,
                    cycle: row.try_get(10)?,
                },
            ),
            type_text,
            extension: row.try_get(11)?,
            owner,
        });
    }
    Ok(sequences)
}

/// A sequence's settings as `pg_sequence` has them.
pub(super) struct Settings {
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
}

/// The options of a sequence of `type_text` with `settings`, each `None` where it is the
/// default (see the module documentation).
pub(super) fn options(type_text: &str, settings: Settings) -> SequenceOptions {
    let (type_min, type_max) = match type_text {
        "smallint" => (i64::from(i16::MIN), i64::from(i16::MAX)),
        "integer" => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    let ascending = settings.increment > 0;
    let (default_min, default_max) = if ascending {
        (1, type_max)
    } else {
        (type_min, -1)
    };
    let default_start = if ascending {
        settings.min
    } else {
        settings.max
    };
    let differs = |value: i64, default: i64| (value != default).then_some(value);
    SequenceOptions {
        start: differs(settings.start, default_start),
        increment: differs(settings.increment, 1),
        min_value: differs(settings.min, default_min),
        max_value: differs(settings.max, default_max),
        cache: differs(settings.cache, 1),
        cycle: settings.cycle,
    }
}

/// Lists the sequences that are neither an identity column's nor folded into a `serial`
/// column (`folded`), nor owned by an extension or by a table the model leaves out.
pub(super) fn place(
    sequences: &[SequenceRow],
    folded: &HashSet<u32>,
    relations: &Relations,
    filter: &Filter,
    schema: &mut Schema,
) {
    for s in sequences {
        if folded.contains(&s.oid)
            || s.owner_kind() == Some('i')
            || !filter.keeps_object(&s.name, s.extension)
        {
            continue;
        }
        // A sequence owned by a table of an inspected namespace that the model leaves out
        // (a version table, an extension's, a partitioned table) goes with its table.
        let owned_by = match &s.owner {
            Some(owner)
                if !relations.tables.contains_key(&owner.table_oid)
                    && schema.namespaces.contains_key(&owner.table_namespace) =>
            {
                continue
            }
            Some(owner) => Some((
                key(&owner.table_namespace, &owner.table),
                owner.column.clone(),
            )),
            None => None,
        };
        schema.sequences.insert(
            key(&s.namespace, &s.name),
            Sequence {
                namespace: s.namespace.clone(),
                name: s.name.clone(),
                type_text: s.type_text.clone(),
                options: s.options.clone(),
                owned_by,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(start: i64, increment: i64, min: i64, max: i64) -> Settings {
        Settings {
            start,
            increment,
            min,
            max,
            cache: 1,
            cycle: false,
        }
    }

    #[test]
    fn defaults_depend_on_the_type_and_the_direction() {
        let up = options("integer", settings(1, 1, 1, i64::from(i32::MAX)));
        assert_eq!(up, SequenceOptions::default());
        let down = options("smallint", settings(-1, -1, i64::from(i16::MIN), -1));
        assert_eq!(
            down,
            SequenceOptions {
                increment: Some(-1),
                ..Default::default()
            }
        );
        let big = options("bigint", settings(1, 1, 1, i64::from(i32::MAX)));
        assert_eq!(big.max_value, Some(i64::from(i32::MAX)));
        // The start defaults to the minimum the sequence has.
        let min5 = options("bigint", settings(5, 1, 5, i64::MAX));
        assert_eq!(
            min5,
            SequenceOptions {
                min_value: Some(5),
                ..Default::default()
            }
        );
        let started = options("bigint", settings(100, 10, 1, i64::MAX));
        assert_eq!((started.start, started.increment), (Some(100), Some(10)));
    }
}
