//! PostgreSQL rendering of changes inside existing tables, executed on the real server
//! through the harness of `postgres_render.rs`: each change kind on seeded rows, the
//! upgrade judged by `pg_dump` against the desired tables created directly, the
//! downgrade against the dump it started from, and the facts and values by catalog
//! queries.

use crate::postgres_render::{
    all, col, dialect, holds, identity, names, one, pk, required, round_trip, schema, table,
};
use migrate::diff::{diff, Op, TableChange};
use migrate::schema::ext::{Exclusion, PostgresTable};
use migrate::schema::{
    Check, Column, Deferrable, ForeignKey, Generated, Index, IndexExt, IndexKey, IndexPart,
    RefAction, SequenceOptions, Table, Unique,
};

/// A table `public.t` with these columns and primary key `t_pkey` on `id`.
fn t(columns: Vec<Column>) -> Table {
    let mut all = vec![required("id", "integer")];
    all.extend(columns);
    Table {
        primary_key: pk("t_pkey", &["id"]),
        ..table("public", "t", all)
    }
}

#[test]
fn columns_are_added_and_dropped_with_their_comments() {
    let from = schema(vec![t(vec![col("a", "text"), col("b", "integer")])]);
    let to = schema(vec![t(vec![
        col("b", "integer"),
        Column {
            comment: Some("new".into()),
            default: Some("42".into()),
            ..required("c", "bigint")
        },
    ])]);
    let Some(up) = round_trip(
        "render add drop",
        &[],
        &from,
        &to,
        "INSERT INTO t VALUES (1, 'x', 2)",
        |c| {
            assert_eq!(one(c, "SELECT c::text FROM t"), Some("42".into()));
            assert!(holds(c, "SELECT col_description('t'::regclass, 4) = 'new'"));
        },
    ) else {
        return;
    };
    assert!(
        up.contains("ADD COLUMN \"c\" bigint DEFAULT 42 NOT NULL"),
        "{up}"
    );
    assert!(up.contains("-- WARNING: drops column public.t.a"), "{up}");
}

#[test]
fn a_column_dropped_from_the_middle_comes_back_at_the_end_without_a_reorder() {
    let from = schema(vec![t(vec![col("a", "text"), col("b", "integer")])]);
    let to = schema(vec![t(vec![col("b", "integer")])]);
    let ops = diff(&from, &to, &*dialect());
    let reorders = |ops: &[Op]| {
        ops.iter().any(|op| match op {
            Op::AlterTable { changes, .. } => changes
                .iter()
                .any(|c| matches!(c, TableChange::ReorderColumns { .. })),
            _ => false,
        })
    };
    assert!(!reorders(&ops));
    assert!(!reorders(&diff(&to, &from, &*dialect())));
}

/// One column `c` changes from `from` to `to` over seeded values; `expect` is `c::text`
/// of the seeded row once upgraded.
fn retype(label: &str, from: Column, to: Column, value: &str, expect: &str) -> Option<String> {
    let (a, b) = (schema(vec![t(vec![from])]), schema(vec![t(vec![to])]));
    let seed = format!("INSERT INTO t VALUES (1, {value})");
    let expect = expect.to_string();
    round_trip(label, &[], &a, &b, &seed, move |c| {
        assert_eq!(one(c, "SELECT c::text FROM t").as_deref(), Some(&*expect));
    })
}

#[test]
fn types_change_with_a_cast_where_postgresql_has_no_assignment_cast() {
    let cases = [
        ("integer", "bigint", "7", "7"),
        ("text", "integer", "'12'", "12"),
        ("character varying(10)", "integer", "'13'", "13"),
        ("integer", "boolean", "1", "true"),
        ("bigint", "boolean", "0", "false"),
        ("boolean", "integer", "true", "1"),
        (
            "json",
            "jsonb",
            "'{\"b\": 1,  \"a\": 2}'",
            "{\"a\": 2, \"b\": 1}",
        ),
        ("text", "jsonb", "'[1]'", "[1]"),
        (
            "character varying(10)",
            "character varying(20)",
            "'abc'",
            "abc",
        ),
        ("character varying(10)", "text", "'abc'", "abc"),
        ("numeric(8,2)", "numeric(10,2)", "1.5", "1.50"),
        ("integer", "text", "5", "5"),
        (
            "text",
            "uuid",
            "'00000000-0000-0000-0000-000000000001'",
            "00000000-0000-0000-0000-000000000001",
        ),
        (
            "date",
            "timestamp without time zone",
            "'2024-01-02'",
            "2024-01-02 00:00:00",
        ),
    ];
    let column = |i: usize, type_text: &str| col(&format!("c{i}"), type_text);
    let from = t(cases
        .iter()
        .enumerate()
        .map(|(i, c)| column(i, c.0))
        .collect());
    let to = t(cases
        .iter()
        .enumerate()
        .map(|(i, c)| column(i, c.1))
        .collect());
    let values: Vec<&str> = cases.iter().map(|c| c.2).collect();
    let seed = format!("INSERT INTO t VALUES (1, {})", values.join(", "));
    let Some(up) = round_trip(
        "render types",
        &[],
        &schema(vec![from]),
        &schema(vec![to]),
        &seed,
        |c| {
            for (i, (from, to, _, expect)) in cases.iter().enumerate() {
                let got = one(c, &format!("SELECT c{i}::text FROM t"));
                assert_eq!(got.as_deref(), Some(*expect), "{from} -> {to}");
            }
        },
    ) else {
        return;
    };
    for (i, (from, to, _, _)) in cases.iter().enumerate() {
        let keeps = dialect().type_change_keeps_values(&Table::default(), from, to);
        let warned = up.contains(&format!("changes the type of public.t.c{i} "));
        assert_eq!(warned, !keeps, "{from} -> {to}:\n{up}");
    }
}

#[test]
fn a_type_change_keeps_the_collation_and_converts_the_default() {
    let from = Column {
        collation: Some("\"C\"".into()),
        default: Some("'x'::character varying".into()),
        ..col("c", "character varying(5)")
    };
    let to = Column {
        collation: Some("\"C\"".into()),
        default: Some("'x'::text".into()),
        ..col("c", "text")
    };
    let Some(_) = retype("render collate", from, to, "'ab'", "ab") else {
        return;
    };
    let from = Column {
        default: Some("'7'::text".into()),
        ..col("c", "text")
    };
    let to = Column {
        default: Some("7".into()),
        ..col("c", "integer")
    };
    retype("render default cast", from, to, "'3'", "3");
    // A collation alone, to another and back to the default.
    let to = Column {
        collation: Some("\"POSIX\"".into()),
        ..col("c", "text")
    };
    retype("render collation", col("c", "text"), to, "'a'", "a");
}

#[test]
fn nullability_and_defaults_change() {
    let from = col("c", "integer");
    let to = Column {
        default: Some("5".into()),
        ..required("c", "integer")
    };
    let Some(up) = retype("render not null", from, to, "1", "1") else {
        return;
    };
    assert!(up.contains("ALTER COLUMN \"c\" SET NOT NULL"), "{up}");
    assert!(up.contains("ALTER COLUMN \"c\" SET DEFAULT 5"), "{up}");
    assert!(
        up.contains("makes public.t.c NOT NULL: fails if it holds NULLs"),
        "{up}"
    );
}

#[test]
fn identity_is_added_changed_and_dropped() {
    let plain = required("c", "integer");
    let by_default = Column {
        auto_increment: true,
        ext: identity(false, SequenceOptions::default()),
        ..required("c", "integer")
    };
    let always = Column {
        auto_increment: true,
        ext: identity(
            true,
            SequenceOptions {
                start: Some(10),
                increment: Some(3),
                max_value: Some(1000),
                cache: Some(5),
                cycle: true,
                ..SequenceOptions::default()
            },
        ),
        ..required("c", "integer")
    };
    let Some(up) = retype(
        "render add identity",
        plain.clone(),
        by_default.clone(),
        "41",
        "41",
    ) else {
        return;
    };
    assert!(up.contains("ADD GENERATED BY DEFAULT AS IDENTITY"), "{up}");
    // The sequence went past the rows' values: the next row does not collide.
    let (a, b) = (
        schema(vec![t(vec![plain])]),
        schema(vec![t(vec![by_default.clone()])]),
    );
    round_trip(
        "render identity next",
        &[],
        &a,
        &b,
        "INSERT INTO t VALUES (1, 41)",
        |c| {
            c.batch_execute("INSERT INTO t (id) VALUES (2)").unwrap();
            assert_eq!(one(c, "SELECT max(c)::text FROM t"), Some("42".into()));
            c.batch_execute("DELETE FROM t WHERE id = 2").unwrap();
        },
    );
    let up = retype("render identity options", by_default, always, "1", "1").expect("server");
    assert!(up.contains("SET GENERATED ALWAYS"), "{up}");
    assert!(up.contains("SET INCREMENT BY 3"), "{up}");
}

#[test]
fn serial_and_integer_turn_into_each_other() {
    let plain = required("c", "integer");
    let serial = Column {
        auto_increment: true,
        ..required("c", "serial")
    };
    let (a, b) = (
        schema(vec![t(vec![plain])]),
        schema(vec![t(vec![serial.clone()])]),
    );
    let Some(_) = round_trip(
        "render serial",
        &[],
        &a,
        &b,
        "INSERT INTO t VALUES (1, 7)",
        |c| {
            assert!(holds(
                c,
                "SELECT pg_get_serial_sequence('t', 'c') = 'public.t_c_seq'"
            ));
            c.batch_execute("INSERT INTO t (id) VALUES (2)").unwrap();
            assert_eq!(one(c, "SELECT max(c)::text FROM t"), Some("8".into()));
            c.batch_execute("DELETE FROM t WHERE id = 2").unwrap();
        },
    ) else {
        return;
    };
    let big = Column {
        auto_increment: true,
        ..required("c", "bigserial")
    };
    retype("render bigserial", serial.clone(), big, "3", "3");
    let ident = Column {
        auto_increment: true,
        ext: identity(true, SequenceOptions::default()),
        ..required("c", "integer")
    };
    retype("render serial identity", serial, ident, "3", "3");
}

#[test]
fn generated_columns_get_added_changed_and_dropped() {
    let plain = col("c", "integer");
    let gen = |e: &str| Column {
        generated: Some(Generated {
            expression: e.into(),
            stored: true,
        }),
        ..col("c", "integer")
    };
    let Some(up) = retype("render gen add", plain, gen("(id * 2)"), "5", "2") else {
        return;
    };
    assert!(
        up.contains("makes public.t.c generated: its generation expression replaces its values"),
        "{up}"
    );
    assert!(
        up.contains("-- column c of public.t is dropped and added again"),
        "{up}"
    );
    eprintln!("{up}");
    retype(
        "render gen change",
        gen("(id * 2)"),
        gen("(id + 100)"),
        "DEFAULT",
        "101",
    );
}

#[test]
fn comments_change_on_columns_and_tables() {
    let from = t(vec![col("c", "text")]);
    let mut to = t(vec![Column {
        comment: Some("it's".into()),
        ..col("c", "text")
    }]);
    to.comment = Some("a table".into());
    round_trip(
        "render comments",
        &[],
        &schema(vec![from]),
        &schema(vec![to]),
        "",
        |c| {
            assert!(holds(
                c,
                "SELECT col_description('t'::regclass, 2) = 'it''s'"
            ));
            assert!(holds(
                c,
                "SELECT obj_description('t'::regclass, 'pg_class') = 'a table'"
            ));
        },
    );
}

#[test]
fn constraints_are_set_added_and_dropped() {
    let parent = Table {
        uniques: vec![Unique {
            columns: names(&["code"]),
            name: Some("parent_code_key".into()),
            ..Unique::default()
        }],
        ..table(
            "public",
            "parent",
            vec![required("id", "integer"), col("code", "text")],
        )
    };
    let from = schema(vec![
        parent.clone(),
        Table {
            checks: vec![Check {
                expression: "(a > 0)".into(),
                name: Some("t_a_check".into()),
                ..Check::default()
            }],
            ..t(vec![col("a", "integer"), col("code", "text")])
        },
    ]);
    let mut child = t(vec![required("a", "integer"), col("code", "text")]);
    child.primary_key = pk("t_new_pkey", &["id", "a"]);
    child.uniques = vec![Unique {
        columns: names(&["code"]),
        name: None,
        ..Unique::default()
    }];
    child.checks = vec![Check {
        expression: "(a < 100)".into(),
        name: Some("small".into()),
        ext: migrate::schema::CheckExt {
            postgres: migrate::schema::ext::PostgresCheck {
                not_valid: true,
                no_inherit: false,
            },
            ..Default::default()
        },
    }];
    child.foreign_keys = vec![ForeignKey {
        columns: names(&["code"]),
        ref_namespace: "public".into(),
        ref_table: "parent".into(),
        ref_columns: names(&["code"]),
        name: Some("t_code_fkey".into()),
        on_delete: RefAction::SetNull,
        deferrable: Deferrable::InitiallyDeferred,
        ..ForeignKey::default()
    }];
    let to = schema(vec![parent, child]);
    let seed = "INSERT INTO parent VALUES (1, 'p'); INSERT INTO t VALUES (1, 500, 'p')";
    let Some(up) = round_trip("render constraints", &[], &from, &to, seed, |c| {
        assert!(holds(
            c,
            "SELECT NOT convalidated FROM pg_constraint WHERE conname = 'small'"
        ));
        assert!(holds(
            c,
            "SELECT count(*) = 1 FROM pg_constraint WHERE conname = 't_code_key' AND contype = 'u'"
        ));
        assert!(holds(
            c,
            "SELECT condeferred AND confdeltype = 'n' FROM pg_constraint WHERE conname = 't_code_fkey'"
        ));
    }) else {
        return;
    };
    assert!(up.contains("DROP CONSTRAINT \"t_pkey\""), "{up}");
    assert!(
        up.contains("ADD CONSTRAINT \"t_new_pkey\" PRIMARY KEY (\"id\", \"a\")"),
        "{up}"
    );
}

#[test]
fn table_options_change() {
    let from = t(vec![col("during", "tsrange")]);
    let mut to = from.clone();
    to.ext.postgres = PostgresTable {
        unlogged: true,
        exclusions: vec![Exclusion {
            name: "t_during_excl".into(),
            definition: "EXCLUDE USING gist (during WITH &&)".into(),
        }],
    };
    to.comment = Some("options".into());
    let Some(up) = round_trip(
        "render options",
        &[],
        &schema(vec![from]),
        &schema(vec![to]),
        "",
        |c| {
            assert!(holds(
                c,
                "SELECT relpersistence = 'u' FROM pg_class WHERE relname = 't'"
            ));
            assert!(holds(
                c,
                "SELECT contype = 'x' FROM pg_constraint WHERE conname = 't_during_excl'"
            ));
        },
    ) else {
        return;
    };
    assert!(
        up.contains("-- WARNING: adds exclusion constraint t_during_excl"),
        "{up}"
    );
}

#[test]
fn indexes_are_created_from_fields_and_dropped() {
    let from = t(vec![col("tags", "text[]"), col("name", "text")]);
    let mut to = from.clone();
    let index =
        |name: &str, parts: Vec<IndexPart>, ext: migrate::schema::ext::PostgresIndex| Index {
            namespace: "public".into(),
            name: name.into(),
            table: "t".into(),
            parts,
            ext: IndexExt {
                postgres: ext,
                ..IndexExt::default()
            },
            ..Index::default()
        };
    let part = |key: IndexKey| IndexPart {
        key,
        descending: false,
        collation: None,
    };
    to.indexes.insert(
        "t_tags".into(),
        index(
            "t_tags",
            vec![part(IndexKey::Column("tags".into()))],
            migrate::schema::ext::PostgresIndex {
                method: Some("gin".into()),
                ..Default::default()
            },
        ),
    );
    let mut unique = index(
        "t_name",
        vec![part(IndexKey::Expression("lower(name)".into()))],
        migrate::schema::ext::PostgresIndex {
            nulls_not_distinct: true,
            ..Default::default()
        },
    );
    unique.unique = true;
    to.indexes.insert("t_name".into(), unique);
    round_trip(
        "render indexes",
        &[],
        &schema(vec![from]),
        &schema(vec![to]),
        "",
        |c| {
            let defs = all(
                c,
                "SELECT indexdef FROM pg_indexes WHERE tablename = 't' ORDER BY 1",
            );
            assert_eq!(
            defs,
            [
                "CREATE INDEX t_tags ON public.t USING gin (tags)",
                "CREATE UNIQUE INDEX t_name ON public.t USING btree (lower(name)) NULLS NOT DISTINCT",
                "CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)",
            ]
        );
        },
    );
}
