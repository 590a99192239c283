//! SQLite's equivalence of SQL texts (checks, defaults, index expressions, predicates,
//! view and trigger definitions): token by token, case-insensitively outside string
//! literals and double-quoted tokens, ignoring whitespace, comments, identifier quoting that
//! does not matter and parentheses around the whole text.
//!
//! A double-quoted token with an upper-case letter keeps its case: SQLite reads `"Active"`
//! as a string literal where no column has that name (always in a DEFAULT), so `"Active"`
//! and `"active"` may differ.
//! A spurious change of a quoted identifier's case is far better than a missed change of
//! a literal.

/// The canonical form of `sql`: tokens separated by one space, unquoted words and simple
/// quoted identifiers upper-cased and bare, string literals verbatim, without parentheses
/// around the whole (`((a > 0))` is `a > 0`).
pub fn normalize(sql: &str) -> String {
    let mut tokens = tokens(sql);
    while encloses_all(&tokens) {
        tokens.pop();
        tokens.remove(0);
    }
    tokens.join(" ")
}

/// Whether the first token opens a parenthesis that the last token closes.
fn encloses_all(tokens: &[String]) -> bool {
    if tokens.len() < 2 || tokens[0] != "(" || tokens[tokens.len() - 1] != ")" {
        return false;
    }
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        match token.as_str() {
            "(" => depth += 1,
            ")" => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i == tokens.len() - 1;
                }
            }
            _ => {}
        }
    }
    false
}

/// The tokens of `sql` in canonical form.
fn tokens(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            let end = crate::sql::ident::closing(&chars, i, '\'');
            tokens.push(chars[i..end].iter().collect());
            i = end;
        } else if matches!(c, '"' | '`' | '[') {
            let close = if c == '[' { ']' } else { c };
            let end = crate::sql::ident::closing(&chars, i, close);
            let inner: String = chars[i + 1..end.saturating_sub(1).max(i + 1)]
                .iter()
                .collect();
            let inner = if c == '[' {
                inner
            } else {
                inner.replace(&format!("{close}{close}"), &close.to_string())
            };
            let keep_case = c == '"' && !names_an_object(&tokens, &chars[end..]);
            tokens.push(identifier(&inner, keep_case));
            i = end;
        } else if is_word(c) {
            let start = i;
            while i < chars.len() && is_word(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            tokens.push(word.to_uppercase());
        } else {
            let pair: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if ["<>", "<=", ">=", "!=", "==", "||", "<<", ">>", "->"].contains(&pair.as_str()) {
                tokens.push(pair);
                i += 2;
            } else {
                tokens.push(c.to_string());
                i += 1;
            }
        }
    }
    tokens
}

/// Words after which a quoted token can only be a name, never a string literal.
const NAME_AFTER: &[&str] = &[
    "TABLE", "VIEW", "INDEX", "TRIGGER", "EXISTS", "FROM", "JOIN", "INTO", "UPDATE", "ON", ".",
];

/// Whether a quoted token between the canonical tokens `before` and the text `after` is
/// certainly a name (of a table, view, index or trigger, or qualified by a dot).
fn names_an_object(before: &[String], after: &[char]) -> bool {
    before
        .last()
        .is_some_and(|t| NAME_AFTER.contains(&t.as_str()))
        || after.iter().find(|c| !c.is_whitespace()) == Some(&'.')
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// A quoted identifier: bare and upper-cased when that names the same thing (SQLite
/// identifiers are case-insensitive), quoted otherwise. With `keep_case` (a double-quoted
/// token, which may be a string literal) a name with an upper-case letter keeps its case
/// and quotes, so `"Active"`, `"ACTIVE"` and `"active"` all differ; an all-lower-case one
/// still equals the bare word (`RENAME COLUMN a TO b` stores `"b"`).
fn identifier(name: &str, keep_case: bool) -> String {
    if keep_case && name.chars().any(char::is_uppercase) {
        return format!("\"{}\"", name.replace('"', "\"\""));
    }
    let simple = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || !c.is_ascii())
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if simple {
        name.to_uppercase()
    } else {
        format!("\"{}\"", name.replace('"', "\"\"").to_uppercase())
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn formatting_case_and_quoting_do_not_matter() {
        assert_eq!(normalize("v<>'a'"), normalize("v <> 'a'"));
        assert_eq!(
            normalize("CREATE VIEW v AS SELECT id,v FROM t"),
            normalize("create view \"v\" as\n  select id, [v] from `t` -- note")
        );
        assert_eq!(normalize("a /* x */ + 1"), "A + 1");
        assert_eq!(normalize("x >= 1"), normalize("x>=1"));
        assert_eq!(normalize("((a > 0))"), normalize("a > 0"));
        assert_ne!(normalize("(a) + (b)"), normalize("a + b"));
    }

    #[test]
    fn literals_and_meaningful_quoting_do_matter() {
        assert_ne!(normalize("v = 'a'"), normalize("v = 'A'"));
        assert_ne!(normalize("\"a b\" = 1"), normalize("a b = 1"));
        assert_ne!(normalize("a + 1"), normalize("a + 2"));
        assert_eq!(normalize("'it''s'"), "'it''s'");
        assert_eq!(normalize("\"select\""), "SELECT");
    }

    #[test]
    fn double_quoted_tokens_keep_their_case() {
        // SQLite reads "Active" as a string literal where no column has that name.
        assert_ne!(
            normalize("s IN (\"Active\",\"Closed\")"),
            normalize("s IN (\"active\",\"closed\")")
        );
        assert_ne!(normalize("\"ACTIVE\""), normalize("\"active\""));
        assert_eq!(normalize("[Name] = 1"), normalize("name = 1"));
        assert_eq!(normalize("\"b\" > 0"), normalize("b>0"));
        // Where it can only be a name, its case does not matter.
        assert_eq!(
            normalize("create view \"v\" as select \"T\".a from \"T\""),
            normalize("CREATE VIEW v AS SELECT t.a FROM t")
        );
    }
}
