use super::*;

fn hints(text: &str) -> Result<Vec<RenameHint>> {
    parse(Path::new("schema.sql"), text, &LexOptions::POSTGRES)
}

fn name(text: &str, quoted: bool) -> Name {
    Name {
        text: text.to_string(),
        quoted,
    }
}

#[test]
fn a_column_hint_names_its_table_column_and_old_name() {
    let text = "-- the users\nCREATE TABLE users (\n  id int,\n  \"E-mail\" text -- migrate:renamed-from mail\n);\n";
    let found = hints(text).unwrap();
    assert_eq!(found.len(), 1);
    let hint = &found[0];
    assert_eq!(hint.line, 4);
    assert_eq!(hint.table, name("users", false));
    assert_eq!(hint.column, Some(name("E-mail", true)));
    assert_eq!(hint.old, name("mail", false));
    assert_eq!(hint.place(), "schema.sql:4");
}

#[test]
fn a_table_hint_is_on_the_create_table_line_even_after_the_terminator() {
    let text = "CREATE TABLE IF NOT EXISTS billing.\"Accounts\" ( -- migrate:renamed-from \"Clients\"\n  id int\n);\nCREATE TABLE t (id int); -- migrate:renamed-from u\n";
    let found = hints(text).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].namespace, Some(name("billing", false)));
    assert_eq!(found[0].table, name("Accounts", true));
    assert_eq!(found[0].column, None);
    assert_eq!(found[0].old, name("Clients", true));
    assert_eq!((found[1].line, found[1].old.text.as_str()), (4, "u"));
}

#[test]
fn misplaced_or_empty_hints_are_errors_naming_file_and_line() {
    for (text, line, says) in [
        (
            "CREATE TABLE t (\n  a int -- migrate:renamed-from\n);",
            2,
            "needs the old name",
        ),
        (
            "CREATE TABLE t (\n  a int -- migrate:renamed-from b c\n);",
            2,
            "needs the old name",
        ),
        (
            "CREATE INDEX i ON t (a); -- migrate:renamed-from j",
            1,
            "belongs on a column",
        ),
        (
            "CREATE TABLE t (\n  a int,\n  UNIQUE (a) -- migrate:renamed-from b\n);",
            3,
            "belongs on a column",
        ),
        (
            "-- migrate:renamed-from x\nCREATE TABLE t (a int);",
            1,
            "belongs at the end",
        ),
    ] {
        let error = hints(text).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("schema.sql:{line}: ")),
            "{error}"
        );
        assert!(error.contains(says), "{error}");
    }
}

#[test]
fn other_comments_and_lookalikes_are_no_hints() {
    let text = "CREATE TABLE t (\n  a int, -- migrate:renamed-fromage b\n  b text DEFAULT 'migrate:renamed-from x'\n);";
    assert_eq!(hints(text).unwrap(), Vec::new());
}

#[test]
fn unquoted_names_match_in_any_case_and_quoted_ones_exactly() {
    assert!(name("Users", false).matches("users"));
    assert!(!name("Users", true).matches("users"));
    assert!(name("Users", true).matches("Users"));
}
