//! PostgreSQL rendering of tables, columns, constraints and indexes, executed on the real
//! server: models built by hand are created, seeded, changed by the ops the differ
//! produces and changed back by their inverses. `pg_dump --schema-only` (an oracle we did
//! not write) judges each state: the upgraded database dumps exactly as one where the
//! desired tables were created directly, the downgraded one as before; catalog queries
//! check the facts a dump of both could get wrong the same way, and the seeded rows.

use crate::servers::PgDatabase;
use migrate::dialect::{Dialect, DialectRef, Engine};
use migrate::diff::{diff, warnings, Op, TableChange};
use migrate::schema::ext::{Exclusion, PostgresColumn, PostgresTable};
use migrate::schema::{
    Check, Column, ColumnExt, Deferrable, ForeignKey, Generated, Identity, Index, IndexExt,
    IndexKey, IndexPart, KeyExt, PrimaryKey, RefAction, Schema, SequenceOptions, Table, TableExt,
    Unique,
};
use std::process::Command;

fn dialect() -> DialectRef {
    Engine::Postgres.dialect()
}

/// A nullable column.
fn col(name: &str, type_text: &str) -> Column {
    Column {
        name: name.into(),
        type_text: type_text.into(),
        nullable: true,
        ..Column::default()
    }
}

/// A NOT NULL column.
fn required(name: &str, type_text: &str) -> Column {
    Column {
        nullable: false,
        ..col(name, type_text)
    }
}

fn identity(always: bool, options: SequenceOptions) -> ColumnExt {
    ColumnExt {
        postgres: PostgresColumn {
            identity: Some(Identity { always, options }),
        },
        ..ColumnExt::default()
    }
}

fn table(namespace: &str, name: &str, columns: Vec<Column>) -> Table {
    Table {
        namespace: namespace.into(),
        name: name.into(),
        columns,
        ..Table::default()
    }
}

fn pk(name: &str, columns: &[&str]) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: Some(name.into()),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ..PrimaryKey::default()
    })
}

fn names(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| c.to_string()).collect()
}

fn schema(tables: Vec<Table>) -> Schema {
    let mut schema = Schema::default();
    for t in tables {
        schema.tables.insert(t.key(), t);
    }
    schema
}

/// The statements of `ops` as one script, with their warnings as comments.
fn script(ops: &[Op]) -> String {
    script_for(&*dialect(), ops)
}

/// The statements `dialect` renders for `ops` as one script, with their warnings as
/// comments.
pub fn script_for(dialect: &dyn Dialect, ops: &[Op]) -> String {
    let rendered = dialect.render_ops(ops).expect("renders");
    let warned = warnings(ops, dialect);
    let mut out = String::new();
    for (statements, warning) in rendered.iter().zip(warned) {
        if let Some(w) = warning {
            out.push_str(&format!("-- WARNING: {w}\n"));
        }
        for s in statements {
            out.push_str(s);
            out.push_str(";\n");
        }
    }
    out
}

fn run(client: &mut postgres::Client, ops: &[Op]) -> String {
    let sql = script(ops);
    client
        .batch_execute(&sql)
        .unwrap_or_else(|e| panic!("script failed: {e:?}\n{sql}"));
    sql
}

/// `pg_dump --schema-only` of `db`, without comments, settings and blank lines.
pub fn dump(db: &PgDatabase) -> String {
    let out = Command::new("/usr/lib/postgresql/15/bin/pg_dump")
        .args(["--schema-only", "--no-owner", "-d", &db.url()])
        .output()
        .expect("pg_dump runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| {
            !(l.is_empty()
                || l.starts_with("--")
                || l.starts_with("SET ")
                || l.starts_with('\\')
                || l.starts_with("SELECT pg_catalog.set_config"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A dump with the column lines of each `CREATE TABLE` sorted.
pub fn columns_sorted(dump: &str) -> String {
    let mut out = Vec::new();
    let mut columns: Vec<String> = Vec::new();
    let mut inside = false;
    for line in dump.lines() {
        if inside && line.starts_with(')') {
            columns.sort();
            out.append(&mut columns);
            inside = false;
        }
        if inside {
            columns.push(line.trim_end_matches(',').to_string());
        } else {
            out.push(line.to_string());
        }
        inside |= line.starts_with("CREATE TABLE") || line.starts_with("CREATE UNLOGGED TABLE");
    }
    out.join("\n")
}

/// A database with `schema`'s namespaces and tables created from nothing.
fn created(
    label: &str,
    namespaces: &[&str],
    schema: &Schema,
) -> Option<(PgDatabase, postgres::Client)> {
    let db = PgDatabase::create(label)?;
    let mut client = db.client();
    for ns in namespaces {
        client
            .batch_execute(&format!("CREATE SCHEMA \"{ns}\""))
            .expect("creates the schema");
    }
    run(&mut client, &diff(&Schema::default(), schema, &*dialect()));
    Some((db, client))
}

/// The upgrade from `from` to `to` and back, judged by pg_dump: `seed` runs once `from`
/// exists, `after` once the upgrade ran. Returns the upgrade script.
fn round_trip(
    label: &str,
    namespaces: &[&str],
    from: &Schema,
    to: &Schema,
    seed: &str,
    after: impl FnOnce(&mut postgres::Client),
) -> Option<String> {
    let (db, mut client) = created(label, namespaces, from)?;
    let (expected, _client) = created(&format!("{label} expected"), namespaces, to)?;
    let before = dump(&db);
    client.batch_execute(seed).expect("seeds");
    let ops = diff(from, to, &*dialect());
    assert!(!ops.is_empty(), "{label}: no change");
    let up = run(&mut client, &ops);
    assert_eq!(dump(&db), dump(&expected), "{label}: upgraded\n{up}");
    after(&mut client);
    let down_ops: Vec<Op> = ops.iter().rev().map(Op::invert).collect();
    let down = run(&mut client, &down_ops);
    // PostgreSQL appends the columns a downgrade adds back: their order may differ.
    assert_eq!(
        columns_sorted(&dump(&db)),
        columns_sorted(&before),
        "{label}: downgraded\n{down}"
    );
    // The downgrade's result is the schema `from` again: nothing left to change.
    Some(up)
}

/// Whether query `sql` returns one row whose one value is true.
fn holds(client: &mut postgres::Client, sql: &str) -> bool {
    let rows = client
        .query(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.len() == 1 && rows[0].get::<_, Option<bool>>(0) == Some(true)
}

fn one(client: &mut postgres::Client, sql: &str) -> Option<String> {
    client
        .query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

fn all(client: &mut postgres::Client, sql: &str) -> Vec<String> {
    client
        .query(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.get::<_, Option<String>>(0).unwrap_or_default())
        .collect()
}

/// A table of (nearly) everything CREATE TABLE can say.
fn full_table() -> Vec<Table> {
    let parent = Table {
        primary_key: pk("parents_pkey", &["id"]),
        ..table("app", "parents", vec![required("id", "integer")])
    };
    let mut child = table(
        "app",
        "Child \"x\"",
        vec![
            Column {
                auto_increment: true,
                ext: identity(
                    true,
                    SequenceOptions {
                        start: Some(100),
                        increment: Some(5),
                        ..SequenceOptions::default()
                    },
                ),
                ..required("id", "bigint")
            },
            Column {
                auto_increment: true,
                ..required("n", "serial")
            },
            Column {
                collation: Some("\"C\"".into()),
                default: Some("'it''s'::text".into()),
                comment: Some("the name's".into()),
                ..required("name", "text")
            },
            Column {
                generated: Some(Generated {
                    expression: "length(name)".into(),
                    stored: true,
                }),
                ..col("len", "integer")
            },
            col("parent", "integer"),
            col("other", "integer"),
            col("during", "tsrange"),
            col("price", "numeric(10,2)"),
        ],
    );
    child.primary_key = pk("child_pk", &["id"]);
    child.uniques = vec![Unique {
        columns: names(&["name", "parent"]),
        name: Some("child_name_key".into()),
        ext: KeyExt {
            postgres: migrate::schema::ext::PostgresKey {
                deferrable: Deferrable::InitiallyDeferred,
                include: names(&["price"]),
                nulls_not_distinct: true,
            },
            ..KeyExt::default()
        },
        ..Unique::default()
    }];
    child.checks = vec![
        Check {
            expression: "(price > (0)::numeric)".into(),
            name: Some("positive".into()),
            ..Check::default()
        },
        Check {
            expression: "(other <> 13)".into(),
            name: Some("lucky".into()),
            ext: migrate::schema::CheckExt {
                postgres: migrate::schema::ext::PostgresCheck {
                    not_valid: true,
                    no_inherit: true,
                },
                ..Default::default()
            },
        },
    ];
    child.foreign_keys = vec![
        ForeignKey {
            columns: names(&["parent"]),
            ref_namespace: "app".into(),
            ref_table: "parents".into(),
            ref_columns: names(&["id"]),
            name: Some("child_parent_fkey".into()),
            on_delete: RefAction::Cascade,
            on_update: RefAction::SetNull,
            deferrable: Deferrable::InitiallyImmediate,
            ext: migrate::schema::ForeignKeyExt {
                postgres: migrate::schema::ext::PostgresForeignKey {
                    match_full: true,
                    not_valid: false,
                },
                ..Default::default()
            },
        },
        ForeignKey {
            columns: names(&["other"]),
            ref_namespace: "app".into(),
            ref_table: "parents".into(),
            ref_columns: names(&["id"]),
            name: Some("child_other_fkey".into()),
            ext: migrate::schema::ForeignKeyExt {
                postgres: migrate::schema::ext::PostgresForeignKey {
                    match_full: false,
                    not_valid: true,
                },
                ..Default::default()
            },
            ..ForeignKey::default()
        },
    ];
    child.ext = TableExt {
        postgres: PostgresTable {
            unlogged: false,
            exclusions: vec![Exclusion {
                name: "no_overlap".into(),
                definition: "EXCLUDE USING gist (during WITH &&)".into(),
            }],
        },
        ..TableExt::default()
    };
    child.comment = Some("children".into());
    child.indexes.insert(
        "child_idx".into(),
        Index {
            namespace: "app".into(),
            name: "child_idx".into(),
            table: "Child \"x\"".into(),
            unique: true,
            parts: vec![
                IndexPart {
                    key: IndexKey::Column("name".into()),
                    descending: true,
                    collation: Some("\"POSIX\"".into()),
                },
                IndexPart {
                    key: IndexKey::Expression("lower(name)".into()),
                    descending: false,
                    collation: None,
                },
            ],
            predicate: Some("(price > (1)::numeric)".into()),
            definition: None,
            ext: IndexExt {
                postgres: migrate::schema::ext::PostgresIndex {
                    method: None,
                    include: names(&["other"]),
                    opclasses: vec![None, Some("text_pattern_ops".into())],
                    nulls_first: vec![Some(false), Some(true)],
                    nulls_not_distinct: false,
                },
                ..IndexExt::default()
            },
        },
    );
    vec![parent, child]
}

#[test]
fn create_table_says_everything_and_drop_table_takes_it_back() {
    let to = schema(full_table());
    let Some(up) = round_trip(
        "render create",
        &["app"],
        &Schema::default(),
        &to,
        "",
        |c| {
            let dump_facts = [
            // identity with its options, serial, generated, collation, default
            "SELECT pg_get_serial_sequence('app.\"Child \"\"x\"\"\"', 'id') IS NOT NULL AND \
             (SELECT attidentity FROM pg_attribute WHERE attrelid = 'app.\"Child \"\"x\"\"\"'::regclass AND attname = 'id') = 'a'",
            "SELECT seqstart = 100 AND seqincrement = 5 FROM pg_sequence WHERE seqrelid = \
             pg_get_serial_sequence('app.\"Child \"\"x\"\"\"', 'id')::regclass",
            "SELECT pg_get_expr(adbin, adrelid) LIKE 'nextval(%' FROM pg_attrdef WHERE adrelid = \
             'app.\"Child \"\"x\"\"\"'::regclass AND adnum = 2",
            "SELECT attgenerated = 's' FROM pg_attribute WHERE attrelid = 'app.\"Child \"\"x\"\"\"'::regclass AND attname = 'len'",
            "SELECT collation_name = 'C' FROM information_schema.columns WHERE table_schema = 'app' AND column_name = 'name'",
            "SELECT convalidated = false FROM pg_constraint WHERE conname = 'lucky' AND connoinherit",
            "SELECT convalidated = false FROM pg_constraint WHERE conname = 'child_other_fkey'",
            "SELECT condeferrable AND condeferred FROM pg_constraint WHERE conname = 'child_name_key'",
            "SELECT confmatchtype = 'f' AND confdeltype = 'c' AND confupdtype = 'n' AND condeferrable \
             AND NOT condeferred FROM pg_constraint WHERE conname = 'child_parent_fkey'",
            "SELECT pg_get_constraintdef(oid) = 'UNIQUE NULLS NOT DISTINCT (name, parent) INCLUDE (price) \
             DEFERRABLE INITIALLY DEFERRED' FROM pg_constraint WHERE conname = 'child_name_key'",
            "SELECT obj_description('app.\"Child \"\"x\"\"\"'::regclass, 'pg_class') = 'children'",
            "SELECT col_description('app.\"Child \"\"x\"\"\"'::regclass, 3) = 'the name''s'",
            "SELECT pg_get_indexdef('app.child_idx'::regclass) = 'CREATE UNIQUE INDEX child_idx ON \
             app.\"Child \"\"x\"\"\" USING btree (name COLLATE \"POSIX\" DESC NULLS LAST, lower(name) \
             text_pattern_ops NULLS FIRST) INCLUDE (other) WHERE (price > (1)::numeric)'",
            "SELECT count(*) = 1 FROM pg_constraint WHERE conname = 'no_overlap' AND contype = 'x'",
        ];
            for fact in dump_facts {
                assert!(holds(c, fact), "{fact}");
            }
        },
    ) else {
        return;
    };
    assert!(
        up.contains("CREATE TABLE \"app\".\"Child \"\"x\"\"\" ("),
        "{up}"
    );
    assert!(up.contains("NOT VALID"), "{up}");
    // A unique index on a table the same section creates cannot meet duplicates.
    assert!(!up.contains("WARNING"), "{up}");
}

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
    assert!(up.contains("-- WARNING: drops column t.a"), "{up}");
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
        let warned = up.contains(&format!("changes the type of t.c{i} "));
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
        up.contains("makes t.c NOT NULL: fails if it holds NULLs"),
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
        up.contains(
            "drops column public.t.c and adds it again: its generation expression replaces its values"
        ),
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
