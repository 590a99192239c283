use super::*;

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn tokens_keep_strings_quotes_and_drop_comments() {
    let sql = "a 'x -- y' \"b\"\"c\" [d e] `f``g` x'00' 1.5e-3 -- c\n /* d */ ;";
    let texts: Vec<&str> = tokenize(sql).iter().map(|t| &sql[t.start..t.end]).collect();
    assert_eq!(
        texts,
        vec![
            "a",
            "'x -- y'",
            "\"b\"\"c\"",
            "[d e]",
            "`f``g`",
            "x'00'",
            "1.5e-3",
            ";"
        ]
    );
    assert_eq!(unquote("\"b\"\"c\""), "b\"c");
    assert_eq!(unquote("[d e]"), "d e");
    assert_eq!(unquote("`f``g`"), "f`g");
    assert_eq!(unquote("'it''s'"), "it's");
}

#[test]
fn a_full_table() {
    let t = parse_create_table(
        "CREATE TEMP TABLE IF NOT EXISTS main.\"T\" (
            id INTEGER CONSTRAINT pk PRIMARY KEY DESC ON CONFLICT ROLLBACK AUTOINCREMENT,
            [a b] VARCHAR(10, 2) NOT NULL ON CONFLICT REPLACE COLLATE NoCase DEFAULT 'x,(y' ,
            c DOUBLE PRECISION DEFAULT -1.5 CHECK (c > (0)) REFERENCES p (x) MATCH FULL,
            g AS (c * 2) STORED,
            CONSTRAINT u UNIQUE ([a b] COLLATE nocase DESC, c) ON CONFLICT IGNORE
            CHECK (c <> 'a,b')
            CONSTRAINT f FOREIGN KEY (c, id) REFERENCES \"P\" ON DELETE SET DEFAULT
                ON UPDATE NO ACTION NOT DEFERRABLE INITIALLY DEFERRED,
            CONSTRAINT dangling
        ) WITHOUT ROWID , STRICT;",
    )
    .unwrap();
    assert_eq!(t.name, "T");
    assert_eq!(
        t.columns,
        vec![
            ColumnDef {
                name: "id".into(),
                type_text: "INTEGER".into(),
                autoincrement: true,
                ..ColumnDef::default()
            },
            ColumnDef {
                name: "a b".into(),
                type_text: "VARCHAR(10, 2)".into(),
                default: Some("'x,(y'".into()),
                collation: Some("NoCase".into()),
                not_null_on_conflict: Some("REPLACE".into()),
                ..ColumnDef::default()
            },
            ColumnDef {
                name: "c".into(),
                type_text: "DOUBLE PRECISION".into(),
                default: Some("-1.5".into()),
                ..ColumnDef::default()
            },
            ColumnDef {
                name: "g".into(),
                generated: Some(("c * 2".into(), Some(true))),
                ..ColumnDef::default()
            },
        ]
    );
    assert_eq!(
        t.primary_key,
        Some(PrimaryKeyDef {
            name: Some("pk".into()),
            columns: names(&["id"]),
            autoincrement: false,
            descending: vec![true],
            column_level: true,
            on_conflict: Some("ROLLBACK".into()),
        })
    );
    assert_eq!(
        t.uniques,
        vec![UniqueDef {
            name: Some("u".into()),
            columns: names(&["a b", "c"]),
            on_conflict: Some("IGNORE".into()),
        }]
    );
    assert_eq!(
        t.checks,
        vec![
            Check {
                expression: "c > (0)".into(),
                name: None,
                ext: Default::default(),
            },
            Check {
                expression: "c <> 'a,b'".into(),
                name: None,
                ext: Default::default(),
            },
        ]
    );
    assert_eq!(
        t.foreign_keys,
        vec![
            ForeignKeyDef {
                name: None,
                columns: names(&["c"]),
                ref_table: "p".into(),
                ref_columns: names(&["x"]),
                ..ForeignKeyDef::default()
            },
            ForeignKeyDef {
                name: Some("f".into()),
                columns: names(&["c", "id"]),
                ref_table: "P".into(),
                ref_columns: vec![],
                on_delete: RefAction::SetDefault,
                on_update: RefAction::NoAction,
                deferrable: Deferrable::NotDeferrable,
            },
        ]
    );
    assert!(t.without_rowid && t.strict);
}

#[test]
fn deferrable_forms() {
    let d = |clause: &str| {
        parse_create_table(&format!("CREATE TABLE t (a REFERENCES p {clause})"))
            .unwrap()
            .foreign_keys[0]
            .deferrable
    };
    assert_eq!(
        d("DEFERRABLE INITIALLY DEFERRED"),
        Deferrable::InitiallyDeferred
    );
    assert_eq!(
        d("deferrable initially immediate"),
        Deferrable::NotDeferrable
    );
    assert_eq!(d("DEFERRABLE"), Deferrable::NotDeferrable);
    assert_eq!(
        d("NOT DEFERRABLE INITIALLY DEFERRED"),
        Deferrable::NotDeferrable
    );
    assert_eq!(d(""), Deferrable::NotDeferrable);
}

#[test]
fn table_level_autoincrement_and_expressions_as_written() {
    let t = parse_create_table(
        "CREATE TABLE t (id INTEGER, x, PRIMARY KEY (id AUTOINCREMENT), CHECK ((x > 0)))",
    )
    .unwrap();
    assert!(t.primary_key.unwrap().autoincrement);
    assert_eq!(t.checks[0].expression, "(x > 0)");
    let t = parse_create_table("CREATE TABLE t (x, CHECK ((x) + (1) > 0))").unwrap();
    assert_eq!(t.checks[0].expression, "(x) + (1) > 0");
}

#[test]
fn errors_name_the_place() {
    let err = parse_create_table("CREATE TABLE t (a INT NOT NULL BOGUS)").unwrap_err();
    assert!(err.to_string().contains("BOGUS"), "{err}");
    assert!(parse_create_table("CREATE TABLE t (a CHECK (a > 0)").is_err());
    assert!(parse_create_table("CREATE TABLE t AS SELECT 1").is_err());
}

#[test]
fn indexes() {
    let i = parse_create_index(
        "CREATE UNIQUE INDEX IF NOT EXISTS main.[i x] ON \"t\" (
            a COLLATE nocase DESC, (b), lower(c) ASC, a || b COLLATE rtrim, (a || b) COLLATE rtrim
         ) WHERE (a > 0)  -- why\n ;",
    )
    .unwrap();
    assert_eq!(i.name, "i x");
    assert_eq!(i.table, "t");
    assert!(i.unique);
    let part = |e: &str, is_name: bool, descending: bool, coll: Option<&str>| IndexPartDef {
        expression: e.into(),
        is_name,
        descending,
        collation: coll.map(Into::into),
    };
    assert_eq!(
        i.parts,
        vec![
            part("a", true, true, Some("nocase")),
            part("b", true, false, None),
            part("lower(c)", false, false, None),
            part("a || b COLLATE rtrim", false, false, None),
            part("(a || b)", false, false, Some("rtrim")),
        ]
    );
    assert_eq!(i.predicate.as_deref(), Some("(a > 0)"));
}

#[test]
fn identifiers_of_a_view() {
    assert_eq!(
        identifiers("CREATE VIEW v AS SELECT \"a\".x, 'lit' FROM [a] JOIN `b c` -- d\n"),
        names(&["CREATE", "VIEW", "v", "AS", "SELECT", "a", "x", "FROM", "a", "JOIN", "b c"])
    );
}

#[test]
fn on_conflict_clauses_and_key_order() {
    let t = parse_create_table(
        "CREATE TABLE t (
            a INTEGER PRIMARY KEY DESC ON CONFLICT replace,
            b TEXT NOT NULL ON CONFLICT IGNORE UNIQUE ON CONFLICT Fail,
            c TEXT NOT NULL ON CONFLICT ABORT NULL ON CONFLICT ROLLBACK,
            UNIQUE (b, c) ON CONFLICT ABORT
        )",
    )
    .unwrap();
    let pk = t.primary_key.unwrap();
    assert_eq!(pk.descending, vec![true]);
    assert!(pk.column_level);
    assert_eq!(pk.on_conflict.as_deref(), Some("REPLACE"));
    assert_eq!(t.columns[0].not_null_on_conflict, None);
    assert_eq!(t.columns[1].not_null_on_conflict.as_deref(), Some("IGNORE"));
    assert_eq!(t.columns[2].not_null_on_conflict, None);
    let resolutions: Vec<Option<&str>> =
        t.uniques.iter().map(|u| u.on_conflict.as_deref()).collect();
    assert_eq!(resolutions, vec![Some("FAIL"), None]);

    let t = parse_create_table(
        "CREATE TABLE t (a, b, PRIMARY KEY (a ASC, b DESC) ON CONFLICT ROLLBACK)",
    )
    .unwrap();
    let pk = t.primary_key.unwrap();
    assert_eq!(pk.descending, vec![false, true]);
    assert!(!pk.column_level);
    assert_eq!(pk.on_conflict.as_deref(), Some("ROLLBACK"));
    let t = parse_create_table("CREATE TABLE t (a INTEGER PRIMARY KEY ASC)").unwrap();
    assert!(t.primary_key.unwrap().descending.is_empty());

    assert!(parse_create_table("CREATE TABLE t (a NOT NULL ON CONFLICT NOTHING)").is_err());
}
