//! What a MySQL/MariaDB table or column change may lose that the neutral model cannot
//! see: an engine without foreign keys (MyISAM, Aria, MEMORY, ...) keeps none, and the
//! server drops those a `CREATE TABLE` of such a table writes without a word; a text
//! column converted to a character set lacking some of its characters fails on them in
//! strict mode and turns them into `?` otherwise.

use super::types;
use crate::schema::{Column, Table};

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

/// How much of Unicode a character set holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repertoire {
    Ascii,
    /// Another national or vendor charset (latin1, cp1251, sjis, gbk, ...): all of its
    /// characters are in Unicode's Basic Multilingual Plane.
    Legacy,
    /// The Basic Multilingual Plane (utf8mb3, ucs2).
    Bmp,
    /// All of Unicode (utf8mb4, utf16, utf32, gb18030).
    Unicode,
    /// Bytes, not characters.
    Binary,
}

/// The repertoire of charset `name` (lower case).
fn repertoire(name: &str) -> Repertoire {
    match name {
        "ascii" => Repertoire::Ascii,
        "utf8" | "utf8mb3" | "ucs2" => Repertoire::Bmp,
        "utf8mb4" | "utf16" | "utf16le" | "utf32" | "gb18030" => Repertoire::Unicode,
        "binary" => Repertoire::Binary,
        _ => Repertoire::Legacy,
    }
}

/// Whether charset `to` holds every character of charset `from` (bytes, for `binary`),
/// so that converting a column keeps its values.
fn holds_all_of(to: &str, from: &str) -> bool {
    let fold = |c: &str| match c.to_ascii_lowercase().as_str() {
        "utf8" => "utf8mb3".to_string(),
        other => other.to_string(),
    };
    let (to, from) = (fold(to), fold(from));
    if to == from {
        return true;
    }
    use Repertoire::*;
    match (repertoire(&from), repertoire(&to)) {
        (_, Binary) => true,
        (Binary, _) => false,
        (_, Unicode) => true,
        (Ascii | Legacy, Bmp) => true,
        // Every legacy charset but 7-bit Swedish keeps ASCII as it is.
        (Ascii, Legacy) => to != "swe7",
        _ => false,
    }
}

/// The charset column `column` of `table` stores its values in: its own, else the
/// table's; `None` where neither is known (a model not read from a server).
fn charset_of<'a>(table: &'a Table, column: &'a Column) -> Option<&'a str> {
    let ext = &table.ext.mysql;
    column
        .ext
        .mysql
        .charset
        .as_deref()
        .or(ext.charset.as_deref())
        .or(ext.column_charset.0.as_deref())
}

/// The warning of the text columns of `from` that `to` keeps (as text) in a character set
/// lacking some of their characters, by their own charset or their table's (`CONVERT
/// TO`): converting them fails on such characters in strict mode and turns them into
/// `?` otherwise. Widening (latin1 or utf8mb3 to utf8mb4) is no risk.
pub fn charset_risk(from: &Table, to: &Table) -> Option<String> {
    let risks: Vec<String> = to
        .columns
        .iter()
        .filter(|new| types::is_text(&new.type_text))
        .filter_map(|new| {
            let old = from
                .column(&new.name)
                .filter(|old| types::is_text(&old.type_text))?;
            let (was, now) = (charset_of(from, old)?, charset_of(to, new)?);
            (!holds_all_of(now, was)).then(|| {
                format!(
                    "changes the character set of {}.{} from {was} to {now}: characters \
                     {now} lacks fail or become '?'",
                    to.display_name(),
                    new.name
                )
            })
        })
        .collect();
    (!risks.is_empty()).then(|| risks.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, ForeignKey};

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

    /// A table of text column `a` in charset `column` (`None`: the table's), whose
    /// columns inherit `inherited`.
    fn text_table(column: Option<&str>, inherited: &str) -> Table {
        let mut a = Column {
            name: "a".into(),
            type_text: "varchar(10)".into(),
            ..Column::default()
        };
        a.ext.mysql.charset = column.map(Into::into);
        let mut t = Table {
            name: "t".into(),
            columns: vec![a],
            ..Table::default()
        };
        t.ext.mysql.column_charset = crate::schema::Uncompared(Some(inherited.into()));
        t
    }

    #[test]
    fn narrowed_charsets_are_warned_of_and_widened_ones_not() {
        let change = |from: &str, to: &str| {
            charset_risk(
                &text_table(Some(from), "utf8mb4"),
                &text_table(Some(to), "utf8mb4"),
            )
        };
        for (from, to) in [
            ("utf8mb4", "latin1"),
            ("utf8mb4", "utf8mb3"),
            ("utf8mb4", "utf8"),
            ("utf8mb3", "latin1"),
            ("latin1", "ascii"),
            ("latin1", "cp1251"),
            ("ucs2", "latin2"),
            ("ascii", "swe7"),
        ] {
            assert!(change(from, to).is_some(), "{from} -> {to}");
        }
        for (from, to) in [
            ("utf8mb3", "utf8mb4"),
            ("utf8", "utf8mb4"),
            ("latin1", "utf8mb4"),
            ("latin1", "utf8mb3"),
            ("ascii", "latin1"),
            ("sjis", "utf16"),
            ("utf8mb3", "UTF8"),
            ("latin1", "latin1"),
        ] {
            assert_eq!(change(from, to), None, "{from} -> {to}");
        }
        assert_eq!(
            change("utf8mb4", "latin1").as_deref(),
            Some("changes the character set of t.a from utf8mb4 to latin1: characters latin1 lacks fail or become '?'")
        );
    }

    #[test]
    fn a_column_inheriting_its_tables_charset_is_judged_by_it() {
        // The column leaves the table's utf8mb4 for latin1 of its own.
        assert!(charset_risk(
            &text_table(None, "utf8mb4"),
            &text_table(Some("latin1"), "utf8mb4")
        )
        .is_some());
        // It leaves latin1 of its own for the table's utf8mb4.
        assert_eq!(
            charset_risk(
                &text_table(Some("latin1"), "utf8mb4"),
                &text_table(None, "utf8mb4")
            ),
            None
        );
        // The table converts to latin1 (CONVERT TO CHARACTER SET).
        let mut to = text_table(None, "latin1");
        to.ext.mysql.charset = Some("latin1".into());
        assert!(charset_risk(&text_table(None, "utf8mb4"), &to).is_some());
        // A number column has no charset to narrow.
        let mut number = text_table(None, "latin1");
        number.columns[0].type_text = "int(11)".into();
        let mut was = text_table(None, "utf8mb4");
        was.columns[0].type_text = "int(11)".into();
        assert_eq!(charset_risk(&was, &number), None);
        // Unknown charsets (a model not read from a server) say nothing.
        assert_eq!(charset_risk(&Table::default(), &Table::default()), None);
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
