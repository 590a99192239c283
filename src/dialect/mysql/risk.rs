//! What a MySQL/MariaDB table option change may lose: an engine without foreign keys
//! (MyISAM, Aria, MEMORY, ...) keeps none, and the server drops those a `CREATE TABLE`
//! of such a table writes without a word.

use crate::schema::Table;

/// The engines that keep foreign keys.
const FOREIGN_KEY_ENGINES: [&str; 3] = ["InnoDB", "ndbcluster", "NDB"];

/// Whether `engine` keeps foreign keys (an unknown engine, the server default, is
/// InnoDB).
fn keeps_foreign_keys(engine: Option<&str>) -> bool {
    engine.is_none_or(|e| {
        FOREIGN_KEY_ENGINES
            .iter()
            .any(|k| k.eq_ignore_ascii_case(e))
    })
}

/// The warning of an engine change from one that keeps `from`'s foreign keys to one that
/// keeps none: they are lost (the section drops them before the engine changes, which
/// the server refuses while they exist).
pub fn options_risk(from: &Table, to: &Table) -> Option<String> {
    let (old, new) = (
        from.ext.mysql.engine.as_deref(),
        to.ext.mysql.engine.as_deref(),
    );
    if from.foreign_keys.is_empty() || !keeps_foreign_keys(old) || keeps_foreign_keys(new) {
        return None;
    }
    let names: Vec<&str> = from
        .foreign_keys
        .iter()
        .map(|f| f.name.as_deref().unwrap_or("unnamed"))
        .collect();
    Some(format!(
        "changes the engine of {} to {}, which keeps no foreign keys: {} lost",
        to.display_name(),
        new.unwrap_or("the default"),
        names.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ForeignKey;

    fn table(engine: &str, fk: bool) -> Table {
        let mut t = Table {
            name: "books".into(),
            ..Table::default()
        };
        t.ext.mysql.engine = Some(engine.into());
        if fk {
            t.foreign_keys.push(ForeignKey {
                name: Some("books_author".into()),
                ..ForeignKey::default()
            });
        }
        t
    }

    #[test]
    fn foreign_keys_lost_to_an_engine_without_them_are_warned_of() {
        assert_eq!(
            options_risk(&table("InnoDB", true), &table("MyISAM", false)).as_deref(),
            Some("changes the engine of books to MyISAM, which keeps no foreign keys: books_author lost")
        );
        assert!(options_risk(&table("InnoDB", true), &table("Aria", false)).is_some());
        assert_eq!(
            options_risk(&table("InnoDB", false), &table("MEMORY", false)),
            None
        );
        assert_eq!(
            options_risk(&table("MyISAM", false), &table("InnoDB", true)),
            None
        );
        assert_eq!(
            options_risk(&table("InnoDB", true), &table("innodb", true)),
            None
        );
    }
}
