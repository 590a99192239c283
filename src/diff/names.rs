//! Name spelling: on engines whose identifiers are case-insensitive (SQLite), `Users` and
//! `users` are one table. Before diffing, the desired schema's table and column names are
//! respelled as the live schema spells them, so a change of case alone is no change (and
//! never a drop plus an add that would lose the data).

use crate::dialect::Dialect;
use crate::schema::{IndexKey, Schema, Table};
use std::collections::HashMap;

/// `to` with every table and column name that folds to a name of `from` spelled as in
/// `from`. Unchanged when the dialect's identifiers are case-sensitive.
pub fn align(from: &Schema, to: &Schema, dialect: &dyn Dialect) -> Schema {
    let mut aligned = to.clone();
    let fold = |name: &str| dialect.fold_identifier(name);
    if fold("A") == "A" {
        return aligned; // case-sensitive identifiers
    }
    let live_tables: HashMap<String, &Table> =
        from.tables.values().map(|t| (fold(&t.name), t)).collect();

    // Columns first (per table, as the live table spells them), then table names.
    let mut column_names: HashMap<String, HashMap<String, String>> = HashMap::new();
    for table in aligned.tables.values() {
        if let Some(live) = live_tables.get(&fold(&table.name)) {
            let spelled: HashMap<String, String> = live
                .columns
                .iter()
                .map(|c| (fold(&c.name), c.name.clone()))
                .collect();
            column_names.insert(fold(&table.name), spelled);
        }
    }
    let respell_column = |table: &str, column: &mut String| {
        if let Some(spelled) = column_names
            .get(&fold(table))
            .and_then(|m| m.get(&fold(column)))
        {
            column.clone_from(spelled);
        }
    };
    let respell_table = |name: &mut String| {
        if let Some(live) = live_tables.get(&fold(name)) {
            name.clone_from(&live.name);
        }
    };
    let mut tables = std::mem::take(&mut aligned.tables);
    for table in tables.values_mut() {
        let own = table.name.clone();
        for column in &mut table.columns {
            respell_column(&own, &mut column.name);
        }
        if let Some(pk) = &mut table.primary_key {
            pk.columns.iter_mut().for_each(|c| respell_column(&own, c));
        }
        for unique in &mut table.uniques {
            unique
                .columns
                .iter_mut()
                .for_each(|c| respell_column(&own, c));
        }
        for fk in &mut table.foreign_keys {
            fk.columns.iter_mut().for_each(|c| respell_column(&own, c));
            let target = fk.ref_table.clone();
            fk.ref_columns
                .iter_mut()
                .for_each(|c| respell_column(&target, c));
            respell_table(&mut fk.ref_table);
        }
        for index in table.indexes.values_mut() {
            for part in &mut index.parts {
                if let IndexKey::Column(c) = &mut part.key {
                    respell_column(&own, c);
                }
            }
            respell_table(&mut index.table);
        }
        respell_table(&mut table.name);
    }
    aligned.tables = tables.into_values().map(|t| (t.name.clone(), t)).collect();
    for trigger in aligned.triggers.values_mut() {
        respell_table(&mut trigger.table);
    }
    for view in aligned.views.values_mut() {
        view.depends_on.iter_mut().for_each(&respell_table);
        view.depends_on.sort();
    }
    aligned
}
