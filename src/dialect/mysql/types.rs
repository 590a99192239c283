//! Which MySQL/MariaDB type changes keep every value a column holds (a widening), so
//! that the differ need not warn: the same kind of type, no smaller, in the forms the
//! inspector reads (`COLUMN_TYPE`: `int(11) unsigned`, `varchar(80)`, `enum('a','b')`).

/// A type's name, its parenthesised arguments and whether it is unsigned.
struct Parsed<'a> {
    name: String,
    arguments: &'a str,
    unsigned: bool,
}

fn parse(type_text: &str) -> Parsed<'_> {
    let text = type_text.trim();
    let (head, arguments, tail) = match (text.find('('), text.rfind(')')) {
        (Some(open), Some(close)) if open < close => {
            (&text[..open], &text[open + 1..close], &text[close + 1..])
        }
        _ => (text, "", ""),
    };
    let mut words = head.split_whitespace();
    let name = words.next().unwrap_or("").to_ascii_lowercase();
    let rest = format!("{} {}", words.collect::<Vec<_>>().join(" "), tail).to_ascii_lowercase();
    Parsed {
        name,
        arguments,
        unsigned: rest.contains("unsigned"),
    }
}

/// Whether `type_text` is a text type, which stores its values in a character set.
pub fn is_text(type_text: &str) -> bool {
    matches!(
        parse(type_text).name.as_str(),
        "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "enum" | "set"
    )
}

/// The numbers in `arguments` (`10,2` → `[10, 2]`).
fn numbers(arguments: &str) -> Option<Vec<u64>> {
    arguments
        .split(',')
        .map(|n| n.trim().parse().ok())
        .collect()
}

/// The quoted labels of an `enum(...)`/`set(...)`, as written.
fn labels(arguments: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut inside = false;
    let mut chars = arguments.chars().peekable();
    while let Some(c) = chars.next() {
        match (inside, c) {
            (false, '\'') => inside = true,
            (true, '\'') if chars.peek() == Some(&'\'') => {
                current.push_str("''");
                chars.next();
            }
            (true, '\'') => {
                inside = false;
                out.push(std::mem::take(&mut current));
            }
            (true, _) => current.push(c),
            (false, _) => {}
        }
    }
    out
}

/// The rank of a type within its family (integers, texts, blobs, floats): a higher rank
/// holds every value of a lower one.
fn rank(family: &[&str], name: &str) -> Option<usize> {
    family.iter().position(|n| *n == name)
}

const INTEGERS: &[&str] = &["tinyint", "smallint", "mediumint", "int", "bigint"];
const TEXTS: &[&str] = &["tinytext", "text", "mediumtext", "longtext"];
const BLOBS: &[&str] = &["tinyblob", "blob", "mediumblob", "longblob"];
const FLOATS: &[&str] = &["float", "double"];

/// Whether changing a column from type `from` to `to` keeps every value: integers to a
/// larger one of the same signedness (or unsigned to a strictly larger signed one);
/// strings and binaries to the same kind no shorter, `varchar` to `mediumtext` or
/// `longtext`, and to `text` up to 16383 characters (`text` holds 65535 bytes, a
/// character takes at most 4); texts and blobs to a larger one; `decimal` with no fewer
/// integer or fraction digits; `float` to `double`; `datetime`, `timestamp` and `time`
/// with no fewer fractional digits; `enum` and `set` to a superset of labels (in any
/// order: the server converts each value by its label).
pub fn keeps_values(from: &str, to: &str) -> bool {
    let (a, b) = (parse(from), parse(to));
    if let (Some(x), Some(y)) = (rank(INTEGERS, &a.name), rank(INTEGERS, &b.name)) {
        return (a.unsigned == b.unsigned && y >= x) || (a.unsigned && !b.unsigned && y > x);
    }
    for family in [TEXTS, BLOBS, FLOATS] {
        if let (Some(x), Some(y)) = (rank(family, &a.name), rank(family, &b.name)) {
            return y >= x && a.unsigned == b.unsigned;
        }
    }
    let sized = |p: &Parsed| numbers(p.arguments).and_then(|n| n.first().copied());
    match (a.name.as_str(), b.name.as_str()) {
        ("varchar", "varchar")
        | ("char", "char")
        | ("varbinary", "varbinary")
        | ("binary", "binary") => matches!((sized(&a), sized(&b)), (Some(x), Some(y)) if y >= x),
        ("varchar", "mediumtext" | "longtext") => true,
        ("varchar", "text") => sized(&a).is_some_and(|n| n <= 65535 / 4),
        ("datetime", "datetime") | ("timestamp", "timestamp") | ("time", "time") => {
            let digits = |p: &Parsed| match p.arguments.trim() {
                "" => Some(0),
                _ => sized(p),
            };
            matches!((digits(&a), digits(&b)), (Some(x), Some(y)) if y >= x)
        }
        ("decimal", "decimal") => match (numbers(a.arguments), numbers(b.arguments)) {
            (Some(x), Some(y)) if x.len() == 2 && y.len() == 2 => {
                a.unsigned == b.unsigned && y[1] >= x[1] && y[0] - y[1] >= x[0] - x[1]
            }
            _ => false,
        },
        ("enum", "enum") | ("set", "set") => {
            let wider = labels(b.arguments);
            labels(a.arguments).iter().all(|l| wider.contains(l))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::keeps_values;

    #[test]
    fn widenings_keep_values_and_narrowings_do_not() {
        for (from, to) in [
            ("int(11)", "bigint(20)"),
            ("int(10) unsigned", "bigint(20)"),
            ("varchar(80)", "varchar(160)"),
            ("varchar(80)", "longtext"),
            ("text", "mediumtext"),
            ("decimal(8,2)", "decimal(10,3)"),
            ("float", "double"),
            ("enum('a','b')", "enum('a','b','c')"),
            ("set('x','it''s')", "set('it''s','x','z')"),
            ("enum('s','m','l')", "enum('l','m','s')"),
            ("varchar(255)", "text"),
            ("varchar(16383)", "text"),
            ("datetime", "datetime(6)"),
            ("timestamp(3)", "timestamp(6)"),
            ("time(2)", "time(2)"),
        ] {
            assert!(keeps_values(from, to), "{from} -> {to}");
        }
        for (from, to) in [
            ("bigint(20)", "int(11)"),
            ("int(11)", "int(10) unsigned"),
            ("int(10) unsigned", "int(11)"),
            ("varchar(160)", "varchar(80)"),
            ("varchar(16384)", "text"),
            ("varchar(80)", "tinytext"),
            ("datetime(6)", "datetime"),
            ("timestamp(6)", "timestamp(3)"),
            ("datetime", "timestamp"),
            ("decimal(10,2)", "decimal(10,3)"),
            ("enum('a','b','c')", "enum('a','b')"),
            ("varchar(10)", "int(11)"),
        ] {
            assert!(!keeps_values(from, to), "{from} -> {to}");
        }
    }
}
