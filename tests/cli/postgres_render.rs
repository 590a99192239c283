//! PostgreSQL rendering of tables, columns, constraints and indexes, executed on the real
//! server: models built by hand are created, seeded, changed by the ops the differ
//! produces and changed back by their inverses. `pg_dump --schema-only` (an oracle we did
//! not write) judges each state: the upgraded database dumps exactly as one where the
//! desired tables were created directly, the downgraded one as before; catalog queries
//! check the facts a dump of both could get wrong the same way, and the seeded rows.

use crate::servers::PgDatabase;
use migrate::dialect::{Dialect, DialectRef, Engine};
use migrate::diff::{diff, warnings, Op};
use migrate::schema::ext::{Exclusion, PostgresColumn, PostgresTable};
use migrate::schema::{
    Check, Column, ColumnExt, Deferrable, ForeignKey, Generated, Identity, Index, IndexExt,
    IndexKey, IndexPart, KeyExt, PrimaryKey, RefAction, Schema, SequenceOptions, Table, TableExt,
    Unique,
};
use std::process::Command;

pub fn dialect() -> DialectRef {
    Engine::Postgres.dialect()
}

/// A nullable column.
pub fn col(name: &str, type_text: &str) -> Column {
    Column {
        name: name.into(),
        type_text: type_text.into(),
        nullable: true,
        ..Column::default()
    }
}

/// A NOT NULL column.
pub fn required(name: &str, type_text: &str) -> Column {
    Column {
        nullable: false,
        ..col(name, type_text)
    }
}

pub fn identity(always: bool, options: SequenceOptions) -> ColumnExt {
    ColumnExt {
        postgres: PostgresColumn {
            identity: Some(Identity { always, options }),
        },
        ..ColumnExt::default()
    }
}

pub fn table(namespace: &str, name: &str, columns: Vec<Column>) -> Table {
    Table {
        namespace: namespace.into(),
        name: name.into(),
        columns,
        ..Table::default()
    }
}

pub fn pk(name: &str, columns: &[&str]) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: Some(name.into()),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ..PrimaryKey::default()
    })
}

pub fn names(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| c.to_string()).collect()
}

pub fn schema(tables: Vec<Table>) -> Schema {
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
pub fn round_trip(
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
pub fn holds(client: &mut postgres::Client, sql: &str) -> bool {
    let rows = client
        .query(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.len() == 1 && rows[0].get::<_, Option<bool>>(0) == Some(true)
}

pub fn one(client: &mut postgres::Client, sql: &str) -> Option<String> {
    client
        .query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

pub fn all(client: &mut postgres::Client, sql: &str) -> Vec<String> {
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
                    invalid: false,
                    options: Vec::new(),
                    comment: None,
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
