//! A relation that one side holds as an object autogenerate does not manage (a
//! partitioned table, a partition, a foreign table, a virtual table, a MariaDB sequence)
//! while the other side holds a table or view of that name. The diff cannot see the
//! unmanaged one: it would drop the managed relation with its rows and create nothing,
//! or create a relation whose name is taken. Autogenerate and `check` stop instead.

use crate::schema::Schema;
use anyhow::Result;

/// The kinds of unmanaged lines (`kind name`, see [`Schema::unmanaged`]) that name a
/// relation, which shares its namespace with tables and views.
const RELATION_KINDS: &[&str] = &[
    "partitioned table",
    "partition",
    "foreign table",
    "virtual table",
    "sequence",
];

/// The relation names of `schema`'s unmanaged lines, with their kind.
fn unmanaged_relations(schema: &Schema) -> impl Iterator<Item = (&str, &str)> {
    schema.unmanaged.iter().filter_map(|line| {
        RELATION_KINDS.iter().find_map(|kind| {
            line.strip_prefix(kind)
                .and_then(|rest| rest.strip_prefix(' '))
                .map(|name| (*kind, name))
        })
    })
}

/// The kind of the managed table or view called `name` (as displayed) in `schema`.
fn managed_kind(schema: &Schema, name: &str) -> Option<&'static str> {
    if schema.tables.values().any(|t| t.display_name() == name) {
        Some("table")
    } else if schema
        .views
        .values()
        .any(|v| crate::schema::display_name(&v.namespace, &v.name) == name)
    {
        Some("view")
    } else {
        None
    }
}

/// Fails naming the first relation that is unmanaged on one side and a table or view on
/// the other (`live`: the database, `desired`: schema.sql).
pub fn refuse_clashes(live: &Schema, desired: &Schema) -> Result<()> {
    for (kind, name) in unmanaged_relations(desired) {
        if let Some(managed) = managed_kind(live, name) {
            anyhow::bail!(
                "schema.sql makes {name} a {kind}, which autogenerate does not manage, while \
                 the database has it as a {managed}: a generated revision would drop the \
                 {managed} and its rows and create nothing. Write this change in a revision \
                 by hand (`migrate revision -m MESSAGE`)"
            );
        }
    }
    for (kind, name) in unmanaged_relations(live) {
        if let Some(managed) = managed_kind(desired, name) {
            anyhow::bail!(
                "the database has {name} as a {kind}, which autogenerate does not manage, \
                 while schema.sql makes it a {managed}: a generated revision would create a \
                 {managed} whose name is taken. Write this change in a revision by hand \
                 (`migrate revision -m MESSAGE`)"
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Table;

    fn with_table(name: &str) -> Schema {
        let mut schema = Schema::default();
        let table = Table {
            name: name.into(),
            ..Table::default()
        };
        schema.tables.insert(table.key(), table);
        schema
    }

    fn with_unmanaged(line: &str) -> Schema {
        Schema {
            unmanaged: vec![line.into()],
            ..Schema::default()
        }
    }

    #[test]
    fn a_table_made_partitioned_in_schema_sql_is_refused() {
        let error = refuse_clashes(
            &with_table("events"),
            &with_unmanaged("partitioned table events"),
        )
        .unwrap_err();
        assert!(
            error.to_string().starts_with(
                "schema.sql makes events a partitioned table, which autogenerate does not manage, \
                 while the database has it as a table"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_virtual_table_in_the_database_made_a_table_is_refused() {
        let error =
            refuse_clashes(&with_unmanaged("virtual table docs"), &with_table("docs")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("the database has docs as a virtual table"),
            "{error}"
        );
    }

    #[test]
    fn other_names_and_kinds_pass() {
        refuse_clashes(
            &with_table("events"),
            &with_unmanaged("partition events_2026"),
        )
        .unwrap();
        refuse_clashes(&with_table("events"), &with_unmanaged("procedure events")).unwrap();
        refuse_clashes(
            &with_unmanaged("partitioned table x"),
            &with_unmanaged("partitioned table x"),
        )
        .unwrap();
    }
}
