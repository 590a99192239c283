//! Columns (`information_schema.COLUMNS`): full type, charset and collation where they
//! differ from the table's, nullability, the default in one form for MySQL and MariaDB,
//! `AUTO_INCREMENT`, `ON UPDATE`, generation, comment and invisibility (`EXTRA`).

use super::constraints::CheckRow;
use super::tables::Tables;
use super::{non_empty, text, text_or_empty, Catalog};
use crate::dialect::mysql::MysqlDialect;
use crate::dialect::Dialect;
use crate::schema::{Column, Generated};
use anyhow::Result;
use std::collections::HashSet;

/// Reads the columns of `tables` in declaration order. Returns the (table, column) pairs
/// read as `json` whose MariaDB `json_valid` check (among `checks`) is the type's.
pub(super) fn read(
    catalog: &mut Catalog<'_>,
    tables: &mut Tables,
    checks: &[CheckRow],
) -> Result<HashSet<(String, String)>> {
    let rows = catalog.rows(
        "columns",
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, \
         EXTRA, CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_COMMENT, IS_GENERATED, \
         GENERATION_EXPRESSION \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? \
         ORDER BY TABLE_NAME, ORDINAL_POSITION",
    )?;
    let json_checks: HashSet<(&str, &str)> = checks
        .iter()
        .filter(|c| c.is_json_valid_of_its_column())
        .map(|c| (c.table.as_str(), c.name.as_str()))
        .collect();
    let mysql = catalog.is_mysql();
    let mut json = HashSet::new();
    for row in rows {
        let table_name = text_or_empty(&row, 0);
        let Some(read) = tables.tables.get_mut(&table_name) else {
            continue;
        };
        let name = text_or_empty(&row, 1);
        let mut type_text = text_or_empty(&row, 2);
        let data_type = text_or_empty(&row, 3).to_ascii_lowercase();
        let extra = text_or_empty(&row, 6);
        let mut charset = text(&row, 7);
        let mut collation = text(&row, 8);
        if type_text == "longtext"
            && collation.as_deref() == Some("utf8mb4_bin")
            && json_checks.contains(&(table_name.as_str(), name.as_str()))
        {
            type_text = "json".to_string();
            charset = None;
            collation = None;
            json.insert((table_name.clone(), name.clone()));
        }
        let generated = (text_or_empty(&row, 10) == "ALWAYS").then(|| Generated {
            expression: text_or_empty(&row, 11),
            stored: has_word(&extra, "STORED") || has_word(&extra, "PERSISTENT"),
        });
        let raw_default = text(&row, 5);
        let default = if generated.is_some() {
            None
        } else if mysql {
            mysql_default(raw_default, &extra, &data_type)
        } else {
            mariadb_default(raw_default)
        };
        let mut column = Column {
            name,
            type_text,
            nullable: text_or_empty(&row, 4) == "YES",
            default,
            auto_increment: has_word(&extra, "auto_increment"),
            collation: collation.filter(|c| *c != read.collation),
            generated,
            on_update: on_update(&extra),
            comment: non_empty(text_or_empty(&row, 9)),
            ..Column::default()
        };
        column.ext.mysql.charset = charset.filter(|c| *c != read.charset);
        column.ext.mysql.invisible = has_word(&extra, "INVISIBLE");
        read.table.columns.push(column);
    }
    Ok(json)
}

/// The words of `EXTRA`, which MariaDB separates with `, ` where there are several
/// attributes (`on update current_timestamp(), INVISIBLE`).
fn words(extra: &str) -> impl Iterator<Item = &str> {
    extra
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
}

/// Whether `extra` has `word` among its words, in any case.
fn has_word(extra: &str, word: &str) -> bool {
    words(extra).any(|w| w.eq_ignore_ascii_case(word))
}

/// The `ON UPDATE` expression `EXTRA` gives (`on update current_timestamp(3)`), in the
/// form of [`now_form`].
fn on_update(extra: &str) -> Option<String> {
    let words: Vec<&str> = words(extra).collect();
    words.windows(3).find_map(|w| {
        (w[0].eq_ignore_ascii_case("on") && w[1].eq_ignore_ascii_case("update"))
            .then(|| now_form(w[2]))
    })
}

/// `CURRENT_TIMESTAMP`, `current_timestamp()` or `CURRENT_TIMESTAMP(3)` in MariaDB's
/// spelling (`current_timestamp()`, `current_timestamp(3)`); other text unchanged.
fn now_form(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("current_timestamp") else {
        return text.to_string();
    };
    let precise = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .filter(|digits| digits.chars().all(|c| c.is_ascii_digit()));
    match (rest, precise) {
        ("", _) => "current_timestamp()".to_string(),
        (_, Some(digits)) => format!("current_timestamp({digits})"),
        _ => text.to_string(),
    }
}

/// A MariaDB `COLUMN_DEFAULT` in model form: it is SQL already (literals quoted,
/// expressions and functions as the server prints them); `NULL` is no default.
fn mariadb_default(raw: Option<String>) -> Option<String> {
    raw.filter(|d| d != "NULL").map(|d| now_form(&d))
}

/// A MySQL `COLUMN_DEFAULT` in model form (the manual: a literal is given unquoted, an
/// expression default is flagged `DEFAULT_GENERATED` in `EXTRA`): literals of
/// non-numeric types are quoted, expressions put in parentheses unless they are
/// `CURRENT_TIMESTAMP`, which takes MariaDB's spelling.
fn mysql_default(raw: Option<String>, extra: &str, data_type: &str) -> Option<String> {
    let raw = raw?;
    if has_word(extra, "DEFAULT_GENERATED") {
        let now = now_form(&raw);
        return Some(
            if now.starts_with("current_timestamp(") || raw.starts_with('(') {
                now
            } else {
                format!("({raw})")
            },
        );
    }
    const BARE: [&str; 13] = [
        "tinyint",
        "smallint",
        "mediumint",
        "int",
        "integer",
        "bigint",
        "decimal",
        "numeric",
        "float",
        "double",
        "real",
        "year",
        "bit",
    ];
    Some(if BARE.contains(&data_type) {
        raw
    } else {
        MysqlDialect::default().quote_literal(&raw)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_takes_one_spelling() {
        assert_eq!(now_form("CURRENT_TIMESTAMP"), "current_timestamp()");
        assert_eq!(now_form("current_timestamp()"), "current_timestamp()");
        assert_eq!(now_form("CURRENT_TIMESTAMP(3)"), "current_timestamp(3)");
        assert_eq!(now_form("curdate()"), "curdate()");
        assert_eq!(now_form("current_timestampx"), "current_timestampx");
    }

    #[test]
    fn extra_gives_on_update_and_flags() {
        assert_eq!(
            on_update("DEFAULT_GENERATED on update CURRENT_TIMESTAMP(6)").as_deref(),
            Some("current_timestamp(6)")
        );
        assert_eq!(
            on_update("on update current_timestamp()").as_deref(),
            Some("current_timestamp()")
        );
        assert_eq!(on_update("auto_increment"), None);
        assert_eq!(
            on_update("on update current_timestamp(), INVISIBLE").as_deref(),
            Some("current_timestamp()")
        );
        assert!(has_word("VIRTUAL GENERATED, INVISIBLE", "invisible"));
        assert!(has_word("auto_increment, INVISIBLE", "auto_increment"));
        assert!(!has_word("INVISIBLE_SYSTEM", "invisible"));
    }

    #[test]
    fn mysql_and_mariadb_defaults_take_one_form() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(mariadb_default(some("NULL")), None);
        assert_eq!(mariadb_default(some("'NULL'")), some("'NULL'"));
        assert_eq!(mariadb_default(some("'it''s'")), some("'it''s'"));
        assert_eq!(
            mysql_default(some("it's \\ x"), "", "varchar"),
            some("'it''s \\\\ x'")
        );
        assert_eq!(mysql_default(some("NULL"), "", "varchar"), some("'NULL'"));
        assert_eq!(mysql_default(None, "", "varchar"), None);
        assert_eq!(mysql_default(some("1.50"), "", "decimal"), some("1.50"));
        assert_eq!(mysql_default(some("b'101'"), "", "bit"), some("b'101'"));
        assert_eq!(
            mysql_default(some("CURRENT_TIMESTAMP"), "DEFAULT_GENERATED", "timestamp"),
            some("current_timestamp()")
        );
        assert_eq!(
            mysql_default(some("(1 + 2)"), "DEFAULT_GENERATED", "int"),
            some("(1 + 2)")
        );
        assert_eq!(
            mysql_default(some("curdate()"), "DEFAULT_GENERATED", "date"),
            some("(curdate())")
        );
    }
}
