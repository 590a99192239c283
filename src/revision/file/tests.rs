use super::*;
use proptest::prelude::*;

const EXAMPLE: &str = "\
-- revision: 27c6a30d7c24
-- revises: ae1027a6acf0
-- message: add email index
-- created: 2026-11-22 18:00:00+00:00

-- migrate:upgrade
CREATE INDEX ix_users_email ON users (email);

-- migrate:downgrade
DROP INDEX ix_users_email;
";

const PATH: &str = "migrations/27c6a30d7c24_add_email_index.sql";

fn id(s: &str) -> RevisionId {
    RevisionId::parse(s).unwrap()
}

fn ids(list: &[&str]) -> Vec<RevisionId> {
    list.iter().map(|s| id(s)).collect()
}

fn ok(text: &str) -> Revision {
    parse(Path::new(PATH), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

/// The error for `text`, as `(line, message)`.
fn fail(text: &str) -> (usize, String) {
    fail_bytes(text.as_bytes())
}

fn fail_bytes(bytes: &[u8]) -> (usize, String) {
    match parse(Path::new(PATH), bytes) {
        Ok(rev) => panic!("parsed: {rev:?}"),
        Err(e) => {
            assert_eq!(e.path, Path::new(PATH));
            (e.line, e.message)
        }
    }
}

fn example_revision() -> Revision {
    Revision {
        id: id("27c6a30d7c24"),
        revises: ids(&["ae1027a6acf0"]),
        depends_on: vec![],
        branch_labels: vec![],
        message: "add email index".into(),
        created: Some("2026-11-22 18:00:00+00:00".into()),
        transactional: true,
        upgrade: Section {
            sql: "CREATE INDEX ix_users_email ON users (email);".into(),
            line: 7,
        },
        downgrade: Section {
            sql: "DROP INDEX ix_users_email;".into(),
            line: 10,
        },
        path: PathBuf::from(PATH),
        lines: HeaderLines {
            revision: 1,
            revises: 2,
            depends_on: 0,
            branch_labels: 0,
        },
    }
}

// ---------------------------------------------------------------- parse: valid files

#[test]
fn parses_the_spec_example() {
    assert_eq!(ok(EXAMPLE), example_revision());
}

#[test]
fn crlf_and_bom_parse_to_the_same_revision() {
    let crlf = EXAMPLE.replace('\n', "\r\n");
    assert_eq!(ok(&crlf), example_revision());
    let bom = format!("\u{feff}{EXAMPLE}");
    assert_eq!(ok(&bom), example_revision());
    let both = format!("\u{feff}{crlf}");
    assert_eq!(ok(&both), example_revision());
}

#[test]
fn parses_every_header_with_comments_blank_lines_and_extra_spaces() {
    let text = "\
-- A hand-written note about this revision.
--   revision   :   merge_01   \t
--revises: aaaa1111, bbbb2222
-- NOTE: this is a comment, not a header (uppercase)

-- depends_on: cccc3333,dddd4444
-- branch_labels:  feature-x , core_2
-- message:   merge   the two heads  
-- created: 2026-01-02 03:04:05+00:00
-- transaction: none
----
-- migrate:upgrade   \t


  CREATE INDEX CONCURRENTLY ix ON t (a);

-- migrate:upgrade is only a marker alone on its line
SELECT 1;  


-- migrate:downgrade  
DROP INDEX ix;
";
    let rev = ok(text);
    assert_eq!(rev.id, id("merge_01"));
    assert_eq!(rev.revises, ids(&["aaaa1111", "bbbb2222"]));
    assert_eq!(rev.depends_on, ids(&["cccc3333", "dddd4444"]));
    assert_eq!(rev.branch_labels, vec!["feature-x", "core_2"]);
    assert_eq!(rev.message, "merge   the two heads");
    assert_eq!(rev.created.as_deref(), Some("2026-01-02 03:04:05+00:00"));
    assert!(!rev.transactional);
    assert_eq!(
        rev.lines,
        HeaderLines {
            revision: 2,
            revises: 3,
            depends_on: 6,
            branch_labels: 7,
        }
    );
    assert_eq!(
        rev.upgrade,
        Section {
            sql: "  CREATE INDEX CONCURRENTLY ix ON t (a);\n\n\
                  -- migrate:upgrade is only a marker alone on its line\nSELECT 1;  "
                .into(),
            line: 15,
        }
    );
    assert_eq!(
        rev.downgrade,
        Section {
            sql: "DROP INDEX ix;".into(),
            line: 22,
        }
    );
}

#[test]
fn minimal_base_revision_with_empty_sections() {
    let text = "-- revision: abcd\n-- revises:\n-- migrate:upgrade\n-- migrate:downgrade";
    let rev = ok(text);
    assert_eq!(rev.id, id("abcd"));
    assert!(rev.revises.is_empty());
    assert_eq!(rev.message, "");
    assert_eq!(rev.created, None);
    assert!(rev.transactional);
    assert_eq!(
        rev.upgrade,
        Section {
            sql: String::new(),
            line: 4
        }
    );
    assert_eq!(
        rev.downgrade,
        Section {
            sql: String::new(),
            line: 5
        }
    );
    // Blank-only sections are empty too, still pointing at the line after the marker.
    let text = "-- revision: abcd\n-- revises:   \n\n-- migrate:upgrade\n \n\t\n\
                -- migrate:downgrade\n\n\n";
    let rev = ok(text);
    assert!(rev.revises.is_empty());
    assert_eq!(rev.upgrade.line, 5);
    assert_eq!(rev.upgrade.sql, "");
    assert_eq!(rev.downgrade.line, 8);
    assert_eq!(rev.downgrade.sql, "");
}

#[test]
fn empty_created_and_empty_optional_lists() {
    let text = "-- revision: abcd\n-- revises:\n-- created:\n-- depends_on:\n\
                -- branch_labels:\n-- migrate:upgrade\n-- migrate:downgrade\n";
    let rev = ok(text);
    assert_eq!(rev.created, None);
    assert!(rev.depends_on.is_empty());
    assert!(rev.branch_labels.is_empty());
    assert_eq!(rev.lines.depends_on, 4);
    assert_eq!(rev.lines.branch_labels, 5);
}

#[test]
fn section_keeps_inner_blank_lines_and_lone_cr() {
    let text = "-- revision: abcd\r\n-- revises:\r\n-- migrate:upgrade\r\n\r\n\
                a\r\n\r\n\r\nb\rc\r\n\r\n-- migrate:downgrade\r\nx";
    let rev = ok(text);
    assert_eq!(rev.upgrade.sql, "a\n\n\nb\rc");
    assert_eq!(rev.upgrade.line, 5);
    assert_eq!(rev.downgrade.sql, "x");
    assert_eq!(rev.downgrade.line, 11);
}

// ---------------------------------------------------------------- parse: every error

#[test]
fn error_not_utf8_names_the_line_of_the_first_bad_byte() {
    let mut bytes = b"-- revision: abcd\n-- revises:\n-- migrate:upgrade\nSELECT '".to_vec();
    bytes.extend_from_slice(&[0xE9, b'\'', b';', b'\n', 0xFF]);
    assert_eq!(
        fail_bytes(&bytes),
        (4, "file is not valid UTF-8".to_string())
    );
    // Line 1, and after a BOM (which does not shift lines).
    assert_eq!(
        fail_bytes(&[0xC3]),
        (1, "file is not valid UTF-8".to_string())
    );
    let mut bom = b"\xEF\xBB\xBF-- x\r\n\r\n".to_vec();
    bom.push(0x80);
    assert_eq!(fail_bytes(&bom), (3, "file is not valid UTF-8".to_string()));
}

#[test]
fn error_unknown_header() {
    let text = "-- revision: abcd\n-- revises:\n\n-- revison: abcd\n-- migrate:upgrade\n\
                -- migrate:downgrade\n";
    assert_eq!(
        fail(text),
        (
            4,
            "unknown header 'revison': expected one of revision, revises, depends_on, \
             branch_labels, message, created, transaction"
                .to_string()
        )
    );
}

#[test]
fn error_duplicate_header_names_both_lines() {
    let text = "-- revision: abcd\n-- revises:\n-- message: a\n\n-- message: b\n\
                -- migrate:upgrade\n-- migrate:downgrade\n";
    assert_eq!(
        fail(text),
        (5, "duplicate header 'message' at lines 3 and 5".to_string())
    );
    let text = "-- revision: abcd\n--  revision :abcd\n";
    assert_eq!(
        fail(text),
        (
            2,
            "duplicate header 'revision' at lines 1 and 2".to_string()
        )
    );
}

#[test]
fn error_invalid_ids_at_their_line() {
    let bad_rev = "-- revision: not-an-id\n-- revises:\n-- migrate:upgrade\n-- migrate:downgrade\n";
    assert_eq!(
        fail(bad_rev),
        (
            1,
            "invalid revision id 'not-an-id': expected 1 to 32 characters of [A-Za-z0-9_]"
                .to_string()
        )
    );
    let empty_rev = "\n-- revision:\n-- revises:\n-- migrate:upgrade\n-- migrate:downgrade\n";
    assert_eq!(
        fail(empty_rev),
        (
            2,
            "invalid revision id '': expected 1 to 32 characters of [A-Za-z0-9_]".to_string()
        )
    );
    let long = "a".repeat(33);
    let bad_revises = format!(
        "-- revision: abcd\n-- message: x\n-- revises: ok12, {long}\n-- migrate:upgrade\n\
         -- migrate:downgrade\n"
    );
    assert_eq!(
        fail(&bad_revises),
        (
            3,
            format!("invalid revision id '{long}': expected 1 to 32 characters of [A-Za-z0-9_]")
        )
    );
    let bad_depends = "-- revision: abcd\n-- revises:\n-- depends_on: a b\n-- migrate:upgrade\n\
                       -- migrate:downgrade\n";
    assert_eq!(
        fail(bad_depends),
        (
            3,
            "invalid revision id 'a b': expected 1 to 32 characters of [A-Za-z0-9_]".to_string()
        )
    );
}

#[test]
fn error_bad_lists() {
    let trailing = "-- revision: abcd\n-- revises: a1, \n";
    assert_eq!(
        fail(trailing),
        (2, "empty entry in the list 'a1,'".to_string())
    );
    let twice = "-- revision: abcd\n-- revises:\n-- depends_on: a1, b2, a1\n";
    assert_eq!(fail(twice), (3, "'a1' is listed twice".to_string()));
    let label = "-- revision: abcd\n-- revises:\n\n\n-- branch_labels: ok, not ok\n";
    assert_eq!(
        fail(label),
        (
            5,
            "invalid branch label 'not ok': expected [A-Za-z0-9_] then [A-Za-z0-9_-]*".to_string()
        )
    );
    let reserved = "-- revision: abcd\n-- revises:\n-- branch_labels: heads\n";
    assert_eq!(
        fail(reserved),
        (
            3,
            "invalid branch label 'heads': head, heads and base are reserved target names"
                .to_string()
        )
    );
    let leading_dash = "-- revision: abcd\n-- revises:\n-- branch_labels: -x\n";
    assert_eq!(fail(leading_dash).0, 3);
    let label = "-- revision: abcd\n-- revises:\n-- branch_labels: a,,b\n";
    assert_eq!(
        fail(label),
        (3, "empty entry in the list 'a,,b'".to_string())
    );
}

#[test]
fn error_transaction_value() {
    let text = "-- revision: abcd\n-- revises:\n-- transaction: off\n";
    assert_eq!(
        fail(text),
        (
            3,
            "unknown transaction mode 'off': the only value is `none`".to_string()
        )
    );
}

#[test]
fn error_sql_before_upgrade_marker() {
    let text = "-- revision: abcd\n-- revises:\n\nCREATE TABLE t (a INT);\n-- migrate:upgrade\n\
                -- migrate:downgrade\n";
    assert_eq!(
        fail(text),
        (
            4,
            "SQL before `-- migrate:upgrade`: only `-- key: value` headers, comments and \
             blank lines may come first"
                .to_string()
        )
    );
    // A block comment is not a `--` comment either.
    let (line, _) = fail("-- revision: abcd\n/* hi */\n");
    assert_eq!(line, 2);
}

#[test]
fn error_missing_markers_and_headers() {
    assert_eq!(
        fail("-- revision: abcd\n-- revises:\n"),
        (0, "missing `-- migrate:upgrade` marker".to_string())
    );
    assert_eq!(
        fail("-- revision: abcd\n-- revises:\n-- migrate:upgrade\nSELECT 1;\n"),
        (0, "missing `-- migrate:downgrade` marker".to_string())
    );
    assert_eq!(
        fail("-- revises:\n-- migrate:upgrade\n-- migrate:downgrade\n"),
        (0, "missing `-- revision:` header".to_string())
    );
    assert_eq!(
        fail("-- revision: abcd\n-- migrate:upgrade\n-- migrate:downgrade\n"),
        (
            0,
            "missing `-- revises:` header (leave it empty for a base revision)".to_string()
        )
    );
    assert_eq!(fail("").0, 0);
    assert!(fail("\u{feff}").1.starts_with("not a revision file"));
}

#[test]
fn error_marker_twice() {
    let text = "-- revision: abcd\n-- revises:\n-- migrate:upgrade\nA;\n-- migrate:upgrade\n\
                -- migrate:downgrade\n";
    assert_eq!(
        fail(text),
        (
            5,
            "duplicate `-- migrate:upgrade` marker (first at line 3)".to_string()
        )
    );
    let text = "-- revision: abcd\n-- revises:\n-- migrate:upgrade\n-- migrate:downgrade\nB;\n\
                \n-- migrate:upgrade\n";
    assert_eq!(
        fail(text),
        (
            7,
            "duplicate `-- migrate:upgrade` marker (first at line 3)".to_string()
        )
    );
    let text = "-- revision: abcd\n-- revises:\n-- migrate:upgrade\n-- migrate:downgrade\nB;\n\
                -- migrate:downgrade \r\n";
    assert_eq!(
        fail(text),
        (
            6,
            "duplicate `-- migrate:downgrade` marker (first at line 4)".to_string()
        )
    );
}

#[test]
fn error_downgrade_before_upgrade() {
    let text =
        "-- revision: abcd\n-- revises:\n\n-- migrate:downgrade\nB;\n-- migrate:upgrade\nA;\n";
    assert_eq!(
        fail(text),
        (
            4,
            "`-- migrate:downgrade` must come after `-- migrate:upgrade`".to_string()
        )
    );
}

#[test]
fn error_malformed_markers_are_case_sensitive_and_unindented() {
    for (bad, shown) in [
        ("-- migrate:Upgrade", "-- migrate:Upgrade"),
        ("-- migrate: upgrade", "-- migrate: upgrade"),
        ("--migrate:upgrade", "--migrate:upgrade"),
        ("  -- migrate:upgrade", "-- migrate:upgrade"),
        ("-- MIGRATE:DOWNGRADE", "-- MIGRATE:DOWNGRADE"),
    ] {
        let text = format!("-- revision: abcd\n-- revises:\n{bad}\n");
        assert_eq!(
            fail(&text),
            (
                3,
                format!(
                    "malformed marker '{shown}': write exactly `-- migrate:upgrade` or \
                     `-- migrate:downgrade` at the start of the line"
                )
            ),
            "{bad:?}"
        );
    }
    // Also inside a section.
    let text = "-- revision: abcd\n-- revises:\n-- migrate:upgrade\nA;\n-- Migrate:Downgrade\n";
    assert_eq!(fail(text).0, 5);
}

#[test]
fn error_display_is_path_line_message() {
    let e = parse(Path::new("m/x.sql"), b"-- revision: abcd\nSELECT 1;\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "m/x.sql:2: SQL before `-- migrate:upgrade`: only `-- key: value` headers, comments \
         and blank lines may come first"
    );
    let e = ParseError::new("m", 0, "migrations directory not found");
    assert_eq!(e.to_string(), "m: migrations directory not found");
    assert_eq!(
        ParseError::new("a.sql", 7, "boom").to_string(),
        "a.sql:7: boom"
    );
}

// ---------------------------------------------------------------- render

fn example_new() -> NewRevision {
    NewRevision {
        id: None,
        revises: ids(&["ae1027a6acf0"]),
        message: "add email index".into(),
        created: "2026-11-22 18:00:00+00:00".into(),
        transactional: true,
        upgrade_sql: "CREATE INDEX ix_users_email ON users (email);".into(),
        downgrade_sql: "DROP INDEX ix_users_email;".into(),
        ..NewRevision::default()
    }
}

#[test]
fn render_produces_the_spec_example_exactly() {
    assert_eq!(render(&id("27c6a30d7c24"), &example_new()), EXAMPLE);
}

#[test]
fn render_every_header_in_order() {
    let new = NewRevision {
        id: None,
        revises: ids(&["aaaa1111", "bbbb2222"]),
        depends_on: ids(&["cccc3333"]),
        branch_labels: vec!["feature-x".into(), "core".into()],
        message: "merge\nheads\r\nnow \n".into(),
        created: "2026-01-02 03:04:05+00:00".into(),
        transactional: false,
        upgrade_sql: "\r\nCREATE INDEX CONCURRENTLY ix ON t (a);\r\n\r\n".into(),
        downgrade_sql: String::new(),
    };
    let text = render(&id("merge_01"), &new);
    assert_eq!(
        text,
        "\
-- revision: merge_01
-- revises: aaaa1111, bbbb2222
-- depends_on: cccc3333
-- branch_labels: feature-x, core
-- message: merge heads now
-- created: 2026-01-02 03:04:05+00:00
-- transaction: none

-- migrate:upgrade
CREATE INDEX CONCURRENTLY ix ON t (a);

-- migrate:downgrade
"
    );
    let rev = ok(&text);
    assert_eq!(rev.message, "merge heads now");
    assert!(!rev.transactional);
    assert_eq!(rev.upgrade.line, 10);
    assert_eq!(
        rev.downgrade,
        Section {
            sql: String::new(),
            line: 13
        }
    );
}

#[test]
fn render_base_revision_with_empty_sections() {
    let new = NewRevision {
        transactional: true,
        ..NewRevision::default()
    };
    assert_eq!(
        render(&id("abcd"), &new),
        "-- revision: abcd\n-- revises:\n-- message:\n\n-- migrate:upgrade\n\n\
         -- migrate:downgrade\n"
    );
}

/// Round trip: what `parse` gives back for a rendered `new`.
fn assert_round_trip(rev_id: &RevisionId, new: &NewRevision) {
    let text = render(rev_id, new);
    assert!(text.ends_with('\n') && !text.ends_with("\n\n") || text.ends_with(":\n\n"));
    let rev =
        parse(Path::new("r.sql"), text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n---\n{text}"));
    assert_eq!(&rev.id, rev_id);
    assert_eq!(rev.revises, new.revises);
    assert_eq!(rev.depends_on, new.depends_on);
    assert_eq!(rev.branch_labels, new.branch_labels);
    assert_eq!(rev.message, one_line(&new.message));
    let created = one_line(&new.created);
    assert_eq!(rev.created, (!created.is_empty()).then_some(created));
    assert_eq!(rev.transactional, new.transactional);
    assert_eq!(rev.upgrade.sql, normalize(&new.upgrade_sql));
    assert_eq!(rev.downgrade.sql, normalize(&new.downgrade_sql));
    // Rendering what was parsed gives the same text again.
    let again = NewRevision {
        id: None,
        revises: rev.revises.clone(),
        depends_on: rev.depends_on.clone(),
        branch_labels: rev.branch_labels.clone(),
        message: rev.message.clone(),
        created: rev.created.clone().unwrap_or_default(),
        transactional: rev.transactional,
        upgrade_sql: rev.upgrade.sql.clone(),
        downgrade_sql: rev.downgrade.sql.clone(),
    };
    assert_eq!(render(rev_id, &again), text);
}

#[test]
fn render_parse_round_trip_examples() {
    assert_round_trip(&id("27c6a30d7c24"), &example_new());
    let mut new = example_new();
    new.upgrade_sql = "\n\n  -- leading comment\nSELECT 1;\n\n\nSELECT 2;  \n\n".into();
    new.downgrade_sql = "\u{feff}SELECT 3;\r\n".into();
    new.message = "  ünïcödé — message: with colon  ".into();
    new.transactional = false;
    new.branch_labels = vec!["a-b".into()];
    assert_round_trip(&id("X_1"), &new);
}

fn arb_id() -> impl Strategy<Value = RevisionId> {
    "[A-Za-z0-9_]{1,32}".prop_map(|s| RevisionId::parse(&s).unwrap())
}

fn arb_ids() -> impl Strategy<Value = Vec<RevisionId>> {
    proptest::collection::btree_set(arb_id(), 0..4).prop_map(|s| s.into_iter().collect())
}

/// SQL-ish text: any characters but `-` (so no line is a marker), with CR/LF line breaks,
/// blank lines and indentation.
fn arb_sql() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[A-Za-z0-9_ (),;'*=<>.é\t]{0,30}",
            Just(String::new()),
            Just("   ".to_string()),
        ],
        0..8,
    )
    .prop_flat_map(|lines| {
        let n = lines.len();
        (
            Just(lines),
            proptest::collection::vec(prop_oneof![Just("\n"), Just("\r\n")], n),
            any::<bool>(),
        )
    })
    .prop_map(|(lines, breaks, bom)| {
        let mut s = if bom {
            "\u{feff}".to_string()
        } else {
            String::new()
        };
        for (line, brk) in lines.iter().zip(breaks) {
            s.push_str(line);
            s.push_str(brk);
        }
        s
    })
}

proptest! {
    #[test]
    fn render_then_parse_round_trips(
        rev_id in arb_id(),
        revises in arb_ids(),
        depends_on in arb_ids(),
        branch_labels in proptest::collection::btree_set("[A-Za-z0-9_][A-Za-z0-9_-]{0,11}", 0..3)
            .prop_filter("reserved target names", |labels| !labels.iter().any(|l| ["head", "heads", "base"].contains(&l.as_str()))),
        message in "[ -~\n\r\u{e9}\u{2014}]{0,60}",
        created in prop_oneof![Just(String::new()), "[0-9: +-]{1,25}"],
        transactional in any::<bool>(),
        upgrade_sql in arb_sql(),
        downgrade_sql in arb_sql(),
    ) {
        let new = NewRevision {
            id: None,
            revises,
            depends_on,
            branch_labels: branch_labels.into_iter().collect(),
            message,
            created,
            transactional,
            upgrade_sql,
            downgrade_sql,
        };
        assert_round_trip(&rev_id, &new);
    }
}

// ---------------------------------------------------------------- file_name

#[test]
fn file_names() {
    let rid = id("27c6a30d7c24");
    assert_eq!(
        file_name(&rid, "add email index"),
        "27c6a30d7c24_add_email_index.sql"
    );
    assert_eq!(
        file_name(&rid, "Add Email-Index!!"),
        "27c6a30d7c24_add_email_index.sql"
    );
    assert_eq!(
        file_name(&rid, "  --Create  users__table-- "),
        "27c6a30d7c24_create_users_table.sql"
    );
    assert_eq!(file_name(&rid, ""), "27c6a30d7c24.sql");
    assert_eq!(file_name(&rid, " !? — "), "27c6a30d7c24.sql");
    assert_eq!(
        file_name(&rid, "Café au lait"),
        "27c6a30d7c24_caf_au_lait.sql"
    );
    assert_eq!(file_name(&rid, "v2 of 3"), "27c6a30d7c24_v2_of_3.sql");
    assert_eq!(file_name(&id("X_1"), "ÉTÉ"), "X_1_t.sql");
    assert_eq!(file_name(&id("X_1"), "ÉÉ ü"), "X_1.sql");
}

#[test]
fn slug_is_cut_to_max_len_and_retrimmed() {
    assert_eq!(SLUG_MAX_LEN, 40);
    let exact = "a".repeat(40);
    assert_eq!(slug(&exact), exact);
    assert_eq!(slug(&"b".repeat(41)), "b".repeat(40));
    // The cut lands right after a `_`: it is trimmed again.
    let message = format!("{} tail", "c".repeat(39));
    assert_eq!(slug(&message), "c".repeat(39));
    assert_eq!(
        slug("Add a very long message describing the change in detail"),
        "add_a_very_long_message_describing_the_c"
    );
}

// ---------------------------------------------------------------- load_dir

fn revision_text(rev_id: &str, parent: Option<&str>) -> String {
    format!(
        "-- revision: {rev_id}\n-- revises: {}\n-- message: m {rev_id}\n\n-- migrate:upgrade\n\
         SELECT '{rev_id}';\n\n-- migrate:downgrade\nSELECT 0;\n",
        parent.unwrap_or("")
    )
}

#[test]
fn load_dir_missing_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope");
    assert_eq!(
        load_dir(&missing),
        Err(ParseError::new(
            &missing,
            0,
            "migrations directory not found"
        ))
    );
}

#[test]
fn load_dir_empty_dir() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(load_dir(tmp.path()), Ok(vec![]));
}

#[test]
fn load_dir_skips_hidden_other_extensions_and_directories() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(
        dir.join("bbbb_second.sql"),
        revision_text("bbbb", Some("aaaa")),
    )
    .unwrap();
    fs::write(dir.join("aaaa_first.sql"), revision_text("aaaa", None)).unwrap();
    fs::write(dir.join(".hidden.sql"), "garbage").unwrap();
    fs::write(dir.join(".sql"), "garbage").unwrap();
    fs::write(dir.join("README.md"), "garbage").unwrap();
    fs::write(dir.join("cccc.sql.bak"), "garbage").unwrap();
    fs::write(dir.join("dddd.SQL"), "garbage").unwrap();
    fs::create_dir(dir.join("eeee_dir.sql")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("aaaa_first.sql"), dir.join("ffff_link.sql")).unwrap();
        std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("gggg_dangling.sql")).unwrap();
    }
    let revs = load_dir(dir).unwrap();
    let names: Vec<_> = revs
        .iter()
        .map(|r| r.path.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    let mut expected = vec!["aaaa_first.sql", "bbbb_second.sql"];
    if cfg!(unix) {
        expected.push("ffff_link.sql");
    }
    assert_eq!(names, expected);
    assert_eq!(revs[0].path, dir.join("aaaa_first.sql"));
    assert_eq!(revs[1].id, id("bbbb"));
    assert_eq!(revs[1].revises, ids(&["aaaa"]));
}

/// Writes `n` revision files with zero-padded ids so name order is id order; shuffled
/// creation order so the directory order is not already sorted.
fn write_many(dir: &Path, n: usize) -> Vec<String> {
    let names: Vec<String> = (0..n).map(|i| format!("r{i:05}")).collect();
    // Create in a scrambled (but deterministic) order.
    for k in 0..n {
        let i = (k * 7919) % n;
        let parent = (i > 0).then(|| names[i - 1].as_str());
        fs::write(
            dir.join(format!("{}_step_{i}.sql", names[i])),
            revision_text(&names[i], parent),
        )
        .unwrap();
    }
    names
}

#[test]
fn load_dir_two_thousand_files_sorted() {
    let tmp = tempfile::tempdir().unwrap();
    let names = write_many(tmp.path(), 2000);
    let revs = load_dir(tmp.path()).unwrap();
    assert_eq!(revs.len(), 2000);
    for (i, rev) in revs.iter().enumerate() {
        assert_eq!(rev.id.as_str(), names[i]);
        assert_eq!(
            rev.path,
            tmp.path().join(format!("{}_step_{i}.sql", names[i]))
        );
        assert_eq!(rev.upgrade.sql, format!("SELECT '{}';", names[i]));
        assert_eq!(rev.message, format!("m {}", names[i]));
    }
}

#[test]
fn load_dir_reports_the_first_bad_file_in_name_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let names = write_many(dir, 2000);
    // Errors in the last, the middle and a late-first-chunk file: the earliest name wins,
    // whichever thread reads it.
    let bad = |i: usize, text: &[u8]| {
        fs::write(dir.join(format!("{}_step_{i}.sql", names[i])), text).unwrap();
        dir.join(format!("{}_step_{i}.sql", names[i]))
    };
    bad(1999, b"-- revision: zz\n-- revises:\nSELECT 1;\n");
    bad(1200, b"\xFF");
    let first = bad(
        400,
        b"-- revision: r00400\n-- revises: r00399\n-- bogus: 1\n",
    );
    assert_eq!(
        load_dir(dir),
        Err(ParseError::new(
            &first,
            3,
            "unknown header 'bogus': expected one of revision, revises, depends_on, \
             branch_labels, message, created, transaction"
        ))
    );
    // Fix it: the next one in name order is reported.
    bad(400, revision_text("r00400", Some("r00399")).as_bytes());
    let err = load_dir(dir).unwrap_err();
    assert_eq!(
        (err.path.file_name().unwrap().to_str().unwrap(), err.line),
        ("r01200_step_1200.sql", 1)
    );
    assert_eq!(err.message, "file is not valid UTF-8");
    // A small directory (loaded on one thread) follows the same rule.
    let small = tempfile::tempdir().unwrap();
    write_many(small.path(), 5);
    fs::write(small.path().join("r00003_step_3.sql"), "-- revises:\nx").unwrap();
    fs::write(small.path().join("r00001_step_1.sql"), "-- revises:\n\ny").unwrap();
    let err = load_dir(small.path()).unwrap_err();
    assert_eq!(err.path, small.path().join("r00001_step_1.sql"));
    assert_eq!(err.line, 3);
}

#[test]
fn load_errors_for_unreadable_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let not_a_dir = tmp.path().join("file.txt");
    fs::write(&not_a_dir, "x").unwrap();
    let err = load_dir(&not_a_dir).unwrap_err();
    assert_eq!((err.path.as_path(), err.line), (not_a_dir.as_path(), 0));
    assert!(
        err.message
            .starts_with("cannot read migrations directory: "),
        "{}",
        err.message
    );
    // A path that cannot be read as a file (here: a directory) is reported at line 0.
    let err = load_file(tmp.path(), &mut Vec::new()).unwrap_err();
    assert_eq!((err.path.as_path(), err.line), (tmp.path(), 0));
    assert!(
        err.message.starts_with("cannot read file: "),
        "{}",
        err.message
    );
}

#[test]
fn load_file_reuses_its_buffer_for_files_of_any_size() {
    let tmp = tempfile::tempdir().unwrap();
    let big_sql = "SELECT 1;\n".repeat(10_000); // larger than the initial buffer
    let big = tmp.path().join("big.sql");
    let mut text = revision_text("big1", None);
    text = text.replace("SELECT 'big1';", big_sql.trim_end());
    fs::write(&big, &text).unwrap();
    let small = tmp.path().join("small.sql");
    fs::write(&small, revision_text("small1", None)).unwrap();
    let mut buf = Vec::new();
    let rev = load_file(&big, &mut buf).unwrap();
    assert_eq!(rev.upgrade.sql, big_sql.trim_end());
    let rev = load_file(&small, &mut buf).unwrap();
    assert_eq!(rev.upgrade.sql, "SELECT 'small1';");
    assert_eq!(rev.downgrade.sql, "SELECT 0;");
}

#[test]
fn a_sql_file_without_headers_or_markers_is_not_a_revision() {
    for text in [
        "",
        "\n\n",
        "CREATE TABLE t (id INT);\n",
        "-- just notes\nSELECT 1;\n",
        "-- revison: typo, and nothing else\n",
    ] {
        let (line, message) = fail(text);
        assert_eq!(line, 0, "{text:?}");
        assert!(
            message.starts_with("not a revision file (no `-- revision:` header, no `-- migrate:upgrade` marker); move it out of the migrations directory"),
            "{text:?}: {message}"
        );
    }
    // A file with any header or marker is a revision with a mistake, reported as such.
    assert_eq!(fail("-- message: x\nSELECT 1;\n").0, 2);
    assert_eq!(fail("SELECT 1;\n-- migrate:upgrade\n").0, 1);
    assert_eq!(fail("SELECT 1;\n-- Migrate: Upgrade\n").0, 1);
    assert_eq!(fail("SELECT 1;\n-- revision: a1\n").0, 1);
}

#[test]
fn echoed_values_are_escaped_and_cut() {
    let long = "b".repeat(200_000);
    let text =
        format!("-- revision: a1\n-- revises: {long}\n-- migrate:upgrade\n-- migrate:downgrade\n");
    let (line, message) = fail(&text);
    assert_eq!(line, 2);
    assert!(message.len() < 200, "{}", message.len());
    assert!(message.contains("...' (200000 characters)"), "{message}");
    let (line, message) = fail(
        "-- revision: a1\r\n-- revises: zz\rqq\0x\n-- migrate:upgrade\n-- migrate:downgrade\n",
    );
    assert_eq!(line, 2);
    assert!(
        message.starts_with(r"invalid revision id 'zz\rqq\0x'"),
        "{message}"
    );
    let (_, message) = fail(&format!("-- revision: a1\n-- revises:\n-- branch_labels: x\x1b{long}\n-- migrate:upgrade\n-- migrate:downgrade\n"));
    assert!(
        message.starts_with(r"invalid branch label 'x\x1bbbb"),
        "{message}"
    );
    assert!(message.len() < 200, "{}", message.len());
    let (_, message) = fail(&format!(
        "-- revision: a1\n-- revises:\n-- {long}: x\n-- migrate:upgrade\n-- migrate:downgrade\n"
    ));
    assert!(message.len() < 300, "{}", message.len());
}

#[test]
fn sections_already_follow_the_newline_policy() {
    // Found by fuzzing: a line ending in several `\r` kept all but one of them, and the
    // checksum's newline policy then dropped one more, so the section was not what was
    // hashed, and render + parse changed it.
    let rev = ok("-- revision: a1\n-- revises:\n-- migrate:upgrade\nA\r\r\r\nB\r\r\n-- migrate:downgrade\r\r\n");
    assert_eq!(rev.upgrade.sql, "A\nB");
    // BOMs starting a section go too, with the blank lines they leave.
    let rev = ok("-- revision: a1\n-- revises:\n-- migrate:upgrade\n\n\u{feff}\n\n\u{feff}A\n-- migrate:downgrade\n\u{feff}B\n");
    assert_eq!((rev.upgrade.sql.as_str(), rev.upgrade.line), ("A", 7));
    assert_eq!((rev.downgrade.sql.as_str(), rev.downgrade.line), ("B", 9));
    for section in [&rev.upgrade, &rev.downgrade] {
        assert_eq!(normalize(&section.sql), section.sql);
    }
}
