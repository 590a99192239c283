//! Identifiers inside an expression (a check, a generation expression, an index key or
//! predicate): renaming a column renames its references, as the engines do themselves
//! when they rename a column (PostgreSQL keeps expressions by column number, SQLite and
//! MySQL rewrite them).

/// `expression` with every reference to column `old` (a bare or quoted identifier not
/// followed by `(`, outside string literals) written as `new`: bare when `new` needs no
/// quotes (`plain`), else quoted by `quote`. Bare names match `old` in any case.
pub fn rename_column(
    expression: &str,
    old: &str,
    new: &str,
    quote: &dyn Fn(&str) -> String,
) -> String {
    let chars: Vec<char> = expression.chars().collect();
    let bare_new = if plain(new) {
        new.to_string()
    } else {
        quote(new)
    };
    let mut out = String::with_capacity(expression.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' => {
                let end = closing(&chars, i, '\'');
                out.extend(&chars[i..end]);
                i = end;
            }
            '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let end = closing(&chars, i, close);
                let inner_end = if end > i + 1 && chars[end - 1] == close {
                    end - 1
                } else {
                    end
                };
                let inner: String = chars[i + 1..inner_end].iter().collect();
                let inner = inner.replace(&format!("{close}{close}"), &close.to_string());
                if inner == old && !calls(&chars, end) {
                    out.push_str(&quote(new));
                } else {
                    out.extend(&chars[i..end]);
                }
                i = end;
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '$'))
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if word.eq_ignore_ascii_case(old) && !calls(&chars, i) {
                    out.push_str(&bare_new);
                } else {
                    out.push_str(&word);
                }
            }
            c if c.is_ascii_digit() => {
                // A number (`1e5`) is no name.
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '.') {
                    out.push(chars[i]);
                    i += 1;
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Whether `name` can be written without quotes on every engine: lower-case letters,
/// digits and `_`, not starting with a digit.
fn plain(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The index just past the quote closing the one at `start` (a doubled quote is part of
/// the text), or the end of the text.
pub fn closing(chars: &[char], start: usize, close: char) -> usize {
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

/// Whether a `(` follows position `at` (after spaces): the name before it is a function.
fn calls(chars: &[char], at: usize) -> bool {
    chars[at..]
        .iter()
        .find(|c| !c.is_whitespace())
        .is_some_and(|c| *c == '(')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(name: &str) -> String {
        format!("\"{}\"", name.replace('"', "\"\""))
    }

    #[test]
    fn references_are_renamed_and_nothing_else() {
        for (expression, expected) in [
            ("(a > 0)", "(b > 0)"),
            ("((\"a\" > 0) AND (A < 10))", "((\"b\" > 0) AND (b < 10))"),
            ("a(1) + aa + 'a' + x.a", "a(1) + aa + 'a' + x.b"),
            ("'it''s a' || a", "'it''s a' || b"),
            ("length(`a`) > 1e5", "length(\"b\") > 1e5"),
        ] {
            assert_eq!(rename_column(expression, "a", "b", &quote), expected);
        }
        assert_eq!(
            rename_column("a > 0", "a", "New Name", &quote),
            "\"New Name\" > 0"
        );
    }
}
