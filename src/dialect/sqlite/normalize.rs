//! SQLite's equivalence of SQL texts (checks, defaults, index expressions, predicates,
//! view and trigger definitions): token by token, case-insensitively outside string
//! literals, ignoring whitespace, comments and identifier quoting that does not matter.

/// The canonical form of `sql`: tokens separated by one space, unquoted words and simple
/// quoted identifiers upper-cased and bare, string literals verbatim.
pub fn normalize(sql: &str) -> String {
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
            let end = quoted_end(&chars, i, '\'');
            tokens.push(chars[i..end].iter().collect());
            i = end;
        } else if matches!(c, '"' | '`' | '[') {
            let close = if c == '[' { ']' } else { c };
            let end = quoted_end(&chars, i, close);
            let inner: String = chars[i + 1..end.saturating_sub(1).max(i + 1)]
                .iter()
                .collect();
            let inner = if c == '[' {
                inner
            } else {
                inner.replace(&format!("{close}{close}"), &close.to_string())
            };
            tokens.push(identifier(&inner));
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
    tokens.join(" ")
}

/// Index just past the quoted token starting at `start` (doubled closers are escapes).
fn quoted_end(chars: &[char], start: usize, close: char) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == close {
            if close != ']' && chars.get(i + 1) == Some(&close) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    chars.len()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// A quoted identifier: bare and upper-cased when that names the same thing (SQLite
/// identifiers are case-insensitive), quoted otherwise.
fn identifier(name: &str) -> String {
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
    }

    #[test]
    fn literals_and_meaningful_quoting_do_matter() {
        assert_ne!(normalize("v = 'a'"), normalize("v = 'A'"));
        assert_ne!(normalize("\"a b\" = 1"), normalize("a b = 1"));
        assert_ne!(normalize("a + 1"), normalize("a + 2"));
        assert_eq!(normalize("'it''s'"), "'it''s'");
        assert_eq!(normalize("\"select\""), "SELECT");
    }
}
