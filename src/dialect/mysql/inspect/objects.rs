//! The objects beside the tables: views (definition without the database's qualifier,
//! what they read, check option, security, algorithm), triggers (rebuilt as
//! `CREATE TRIGGER`), and procedures, functions and events as unmanaged lines.

use super::tables::Tables;
use super::{text, text_or_empty, Catalog};
use crate::dialect::mysql::MysqlDialect;
use crate::dialect::Dialect;
use crate::schema::ext::MysqlView;
use crate::schema::filter::Filter;
use crate::schema::{Schema, Trigger, View, ViewExt};
use anyhow::Result;
use std::collections::BTreeSet;

/// Reads the views of the database (those [`Tables::views`] names).
pub(super) fn read_views(
    catalog: &mut Catalog<'_>,
    filter: &Filter,
    tables: &Tables,
    schema: &mut Schema,
) -> Result<()> {
    let algorithm = if catalog.is_mysql() {
        "NULL"
    } else {
        "ALGORITHM"
    };
    let sql = format!(
        "SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE, {algorithm} \
         FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME"
    );
    let rows = catalog.rows("views", &sql)?;
    let qualifier = format!(
        "{}.",
        MysqlDialect::default().quote_ident(&catalog.database)
    );
    let known: BTreeSet<&str> = tables
        .tables
        .keys()
        .chain(tables.views.iter())
        .map(String::as_str)
        .collect();
    for row in rows {
        let name = text_or_empty(&row, 0);
        if !tables.views.contains(&name) || !filter.keeps_object(&name, false) {
            continue;
        }
        let raw = text_or_empty(&row, 1);
        let depends_on = read_names(&raw, &qualifier)
            .into_iter()
            .filter(|n| *n != name && known.contains(n.as_str()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let check_option = text(&row, 2).filter(|o| o != "NONE");
        let algorithm = text(&row, 4).filter(|a| a != "UNDEFINED");
        schema.views.insert(
            name.clone(),
            View {
                namespace: String::new(),
                name,
                definition: raw.replace(&qualifier, ""),
                depends_on,
                indexes: Default::default(),
                ext: ViewExt {
                    mysql: MysqlView {
                        check_option,
                        security_invoker: text_or_empty(&row, 3) == "INVOKER",
                        algorithm,
                    },
                    ..ViewExt::default()
                },
            },
        );
    }
    Ok(())
}

/// The names that follow `qualifier` (`` `db`. ``) in a view definition: the server
/// qualifies every table and view it reads (and their columns) that way.
fn read_names(definition: &str, qualifier: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = definition;
    while let Some(at) = rest.find(qualifier) {
        rest = &rest[at + qualifier.len()..];
        let Some(body) = rest.strip_prefix('`') else {
            continue;
        };
        let mut name = String::new();
        let mut chars = body.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            if c == '`' {
                if chars.peek().map(|(_, n)| *n) == Some('`') {
                    chars.next();
                } else {
                    break;
                }
            }
            name.push(c);
        }
        names.push(name);
    }
    names
}

/// Reads the triggers of the database's tables, each as the `CREATE TRIGGER` statement
/// that makes it (body as the server keeps it, which is as written).
pub(super) fn read_triggers(
    catalog: &mut Catalog<'_>,
    filter: &Filter,
    tables: &Tables,
    schema: &mut Schema,
) -> Result<()> {
    let rows = catalog.rows(
        "triggers",
        "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, \
         ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? \
         ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER",
    )?;
    let dialect = MysqlDialect::default();
    for row in rows {
        let name = text_or_empty(&row, 0);
        let table = text_or_empty(&row, 1);
        if !tables.tables.contains_key(&table) || !filter.keeps_object(&name, false) {
            continue;
        }
        let definition = format!(
            "CREATE TRIGGER {} {} {} ON {} FOR EACH ROW {}",
            dialect.quote_ident(&name),
            text_or_empty(&row, 2),
            text_or_empty(&row, 3),
            dialect.quote_ident(&table),
            text_or_empty(&row, 4),
        );
        let trigger = Trigger {
            namespace: String::new(),
            name,
            table,
            definition,
        };
        schema.triggers.insert(trigger.key(), trigger);
    }
    Ok(())
}

/// Lists the procedures, functions and events of the database as unmanaged lines.
pub(super) fn read_routines(catalog: &mut Catalog<'_>, schema: &mut Schema) -> Result<()> {
    let rows = catalog.run(
        "routines and events",
        "SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME FROM information_schema.ROUTINES \
         WHERE ROUTINE_SCHEMA = ? \
         UNION ALL SELECT 'event', EVENT_NAME FROM information_schema.EVENTS \
         WHERE EVENT_SCHEMA = ?",
        2,
    )?;
    for row in rows {
        schema.unmanaged.push(format!(
            "{} {}",
            text_or_empty(&row, 0),
            text_or_empty(&row, 1)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_definitions_name_what_they_read() {
        let definition = "select `db`.`p`.`id` AS `id` from `db`.`p` join `db`.`a``b` \
                          where `x`.`q` = 1";
        assert_eq!(read_names(definition, "`db`."), ["p", "p", "a`b"]);
    }
}
