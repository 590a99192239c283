//! SQL text: the statement splitter, a statement's first keyword, rename hints,
//! identifiers in expressions.

pub mod hints;
pub mod ident;
pub mod lex;

/// The first word of a statement, upper-cased, after whitespace and comments (`--`, `#`
/// and `/* */`): `INSERT` for `/* seed */ insert into t ...`. `None` for a statement of
/// comments only.
pub fn first_keyword(sql: &str) -> Option<String> {
    let mut rest = sql;
    loop {
        rest = rest.trim_start();
        if rest.starts_with("--") || rest.starts_with('#') {
            rest = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = rest.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then(|| word.to_ascii_uppercase())
}

#[cfg(test)]
mod first_keyword_tests {
    use super::first_keyword;

    #[test]
    fn comments_and_case_are_skipped() {
        assert_eq!(
            first_keyword("insert into t values (1)").as_deref(),
            Some("INSERT")
        );
        assert_eq!(
            first_keyword("-- seed\n# more\n /* and */ Update t SET a = 1").as_deref(),
            Some("UPDATE")
        );
        assert_eq!(first_keyword("/* unclosed").as_deref(), None);
        assert_eq!(first_keyword("-- only a comment").as_deref(), None);
        assert_eq!(first_keyword("(SELECT 1)").as_deref(), None);
    }
}
