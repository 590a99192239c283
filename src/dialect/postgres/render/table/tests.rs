//! Table-driven rendering tests: an op in, the statements out, no database (the
//! execution tests in tests/cli/postgres_render*.rs run them on the server).

use super::super::super::PostgresDialect;
use super::render;
use crate::dialect::Dialect;
use crate::diff::{ColumnDelta, ColumnPart, Op, TableChange};
use crate::schema::ext::{Exclusion, PostgresColumn, PostgresForeignKey};
use crate::schema::{
    Check, Column, ColumnExt, Deferrable, ForeignKey, ForeignKeyExt, Generated, Identity, Index,
    IndexKey, IndexPart, PrimaryKey, RefAction, SequenceOptions, Table, Unique,
};

fn col(name: &str, type_text: &str) -> Column {
    Column {
        name: name.into(),
        type_text: type_text.into(),
        nullable: true,
        ..Column::default()
    }
}

fn table(columns: Vec<Column>) -> Table {
    Table {
        namespace: "s".into(),
        name: "t".into(),
        columns,
        ..Table::default()
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

/// The op changing column `from` of table `s.t` into `to`, with the delta the differ
/// would compute.
fn alter(dialect: &PostgresDialect, from: Column, to: Column) -> Op {
    let change = TableChange::alter_column(&from, &to, dialect).expect("a change");
    Op::AlterTable {
        from: table(vec![from]),
        to: table(vec![to]),
        changes: vec![change],
    }
}

fn rendered(dialect: &PostgresDialect, op: &Op) -> Vec<String> {
    render(dialect, op).expect("renders")
}

const T: &str = "ALTER TABLE \"s\".\"t\"";

#[test]
fn column_changes_render_as_alter_column() {
    let pg12 = PostgresDialect::default();
    let not_null = |c: Column| Column {
        nullable: false,
        ..c
    };
    let cases: Vec<(&str, Column, Column, Vec<String>)> = vec![
        (
            "a type with an assignment cast",
            col("c", "integer"),
            col("c", "bigint"),
            vec![format!("{T} ALTER COLUMN \"c\" TYPE bigint")],
        ),
        (
            "a type without one",
            col("c", "text"),
            col("c", "integer"),
            vec![format!(
                "{T} ALTER COLUMN \"c\" TYPE integer USING \"c\"::integer"
            )],
        ),
        (
            "a type keeping its collation, the default set again",
            Column {
                collation: Some("\"C\"".into()),
                default: Some("'a'::character varying".into()),
                ..col("c", "character varying(5)")
            },
            Column {
                collation: Some("\"C\"".into()),
                default: Some("'a'::text".into()),
                ..col("c", "text")
            },
            vec![
                format!("{T} ALTER COLUMN \"c\" DROP DEFAULT"),
                format!("{T} ALTER COLUMN \"c\" TYPE text COLLATE \"C\""),
                format!("{T} ALTER COLUMN \"c\" SET DEFAULT 'a'::text"),
            ],
        ),
        (
            "a collation back to the default",
            Column {
                collation: Some("\"C\"".into()),
                ..col("c", "text")
            },
            col("c", "text"),
            vec![format!(
                "{T} ALTER COLUMN \"c\" TYPE text COLLATE \"default\""
            )],
        ),
        (
            "NOT NULL and a default",
            col("c", "integer"),
            Column {
                default: Some("0".into()),
                ..not_null(col("c", "integer"))
            },
            vec![
                format!("{T} ALTER COLUMN \"c\" SET NOT NULL"),
                format!("{T} ALTER COLUMN \"c\" SET DEFAULT 0"),
            ],
        ),
        (
            "a default dropped",
            Column {
                default: Some("0".into()),
                ..col("c", "integer")
            },
            col("c", "integer"),
            vec![format!("{T} ALTER COLUMN \"c\" DROP DEFAULT")],
        ),
        (
            "identity added",
            not_null(col("c", "integer")),
            Column {
                ext: identity(true, SequenceOptions::default()),
                auto_increment: true,
                ..not_null(col("c", "integer"))
            },
            vec![
                format!("{T} ALTER COLUMN \"c\" ADD GENERATED ALWAYS AS IDENTITY"),
                "SELECT setval(pg_get_serial_sequence('\"s\".\"t\"', 'c'), max(\"c\")) \
                 FROM \"s\".\"t\" HAVING max(\"c\") >= 1"
                    .into(),
            ],
        ),
        (
            "identity changed",
            Column {
                ext: identity(true, SequenceOptions::default()),
                ..not_null(col("c", "integer"))
            },
            Column {
                ext: identity(
                    false,
                    SequenceOptions {
                        increment: Some(2),
                        min_value: Some(5),
                        cycle: true,
                        ..SequenceOptions::default()
                    },
                ),
                ..not_null(col("c", "integer"))
            },
            vec![
                format!("{T} ALTER COLUMN \"c\" SET GENERATED BY DEFAULT"),
                format!(
                    "{T} ALTER COLUMN \"c\" SET INCREMENT BY 2 SET MINVALUE 5 SET START WITH 5 \
                     SET CYCLE"
                ),
            ],
        ),
        (
            "identity dropped with NOT NULL",
            Column {
                ext: identity(false, SequenceOptions::default()),
                ..not_null(col("c", "integer"))
            },
            col("c", "integer"),
            vec![
                format!("{T} ALTER COLUMN \"c\" DROP IDENTITY"),
                format!("{T} ALTER COLUMN \"c\" DROP NOT NULL"),
            ],
        ),
        (
            "serial to integer",
            not_null(col("c", "serial")),
            not_null(col("c", "integer")),
            vec![
                format!("{T} ALTER COLUMN \"c\" DROP DEFAULT"),
                "DO $migrate$BEGIN EXECUTE 'DROP SEQUENCE ' || \
                 pg_get_serial_sequence('\"s\".\"t\"', 'c'); END$migrate$"
                    .into(),
            ],
        ),
        (
            "integer to bigserial",
            not_null(col("c", "integer")),
            not_null(col("c", "bigserial")),
            vec![
                format!("{T} ALTER COLUMN \"c\" TYPE bigint"),
                "CREATE SEQUENCE \"s\".\"t_c_seq\" AS bigint OWNED BY \"s\".\"t\".\"c\"".into(),
                format!(
                    "{T} ALTER COLUMN \"c\" SET DEFAULT nextval('\"s\".\"t_c_seq\"'::regclass)"
                ),
                "SELECT setval(pg_get_serial_sequence('\"s\".\"t\"', 'c'), max(\"c\")) \
                 FROM \"s\".\"t\" HAVING max(\"c\") >= 1"
                    .into(),
            ],
        ),
        (
            "a comment",
            col("c", "text"),
            Column {
                comment: Some("it's".into()),
                ..col("c", "text")
            },
            vec!["COMMENT ON COLUMN \"s\".\"t\".\"c\" IS 'it''s'".into()],
        ),
    ];
    for (what, from, to, expected) in cases {
        assert_eq!(rendered(&pg12, &alter(&pg12, from, to)), expected, "{what}");
    }
}

#[test]
fn generation_expressions_drop_in_place_from_13_and_re_add_otherwise() {
    let generated = Column {
        generated: Some(Generated {
            expression: "(a * 2)".into(),
            stored: true,
        }),
        ..col("c", "integer")
    };
    let pg15 = PostgresDialect::new(vec![15, 4]);
    assert_eq!(
        rendered(&pg15, &alter(&pg15, generated.clone(), col("c", "integer"))),
        [format!("{T} ALTER COLUMN \"c\" DROP EXPRESSION")]
    );
    let pg12 = PostgresDialect::default();
    let readd = rendered(&pg12, &alter(&pg12, col("c", "integer"), generated.clone()));
    assert_eq!(readd.len(), 2, "{readd:?}");
    assert!(readd[0].starts_with("-- column c of s.t is dropped and added again"));
    assert!(readd[0].ends_with(&format!("\n{T} DROP COLUMN \"c\"")));
    assert_eq!(
        readd[1],
        format!("{T} ADD COLUMN \"c\" integer GENERATED ALWAYS AS ((a * 2)) STORED")
    );
    // The differ re-creates the column's indexes around a re-added column.
    let op = alter(&pg12, col("c", "integer"), generated);
    let Op::AlterTable { from, changes, .. } = &op else {
        unreachable!()
    };
    assert!(!pg12.alter_in_place(from, &changes[0]));
    assert!(pg15.alter_in_place(from, &changes[0].invert()));
}

#[test]
fn constraints_render_with_their_names_and_options() {
    let d = PostgresDialect::default();
    let fk = ForeignKey {
        columns: vec!["a".into()],
        ref_namespace: "o".into(),
        ref_table: "p".into(),
        ref_columns: vec!["id".into()],
        name: Some("fk".into()),
        on_delete: RefAction::Cascade,
        on_update: RefAction::Restrict,
        deferrable: Deferrable::InitiallyDeferred,
        ext: ForeignKeyExt {
            postgres: PostgresForeignKey {
                match_full: true,
                not_valid: true,
            },
            ..ForeignKeyExt::default()
        },
    };
    let unnamed_unique = Unique {
        columns: vec!["a".into(), "b".into()],
        ..Unique::default()
    };
    let check = Check {
        expression: "(a > 0)".into(),
        name: Some("positive".into()),
        ..Check::default()
    };
    let pk = PrimaryKey {
        columns: vec!["a".into()],
        ..PrimaryKey::default()
    };
    let t = table(vec![col("a", "integer"), col("b", "integer")]);
    let op = |changes: Vec<TableChange>| Op::AlterTable {
        from: t.clone(),
        to: t.clone(),
        changes,
    };
    let cases = vec![
        (
            TableChange::AddForeignKey(fk.clone()),
            format!(
                "{T} ADD CONSTRAINT \"fk\" FOREIGN KEY (\"a\") REFERENCES \"o\".\"p\" (\"id\") \
                 MATCH FULL ON UPDATE RESTRICT ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED \
                 NOT VALID"
            ),
        ),
        (
            TableChange::DropForeignKey(fk),
            format!("{T} DROP CONSTRAINT \"fk\""),
        ),
        (
            TableChange::AddUnique(unnamed_unique.clone()),
            format!("{T} ADD UNIQUE (\"a\", \"b\")"),
        ),
        (
            TableChange::DropUnique(unnamed_unique),
            format!("{T} DROP CONSTRAINT \"t_a_b_key\""),
        ),
        (
            TableChange::AddCheck(check.clone()),
            format!("{T} ADD CONSTRAINT \"positive\" CHECK ((a > 0))"),
        ),
        (
            TableChange::DropCheck(check),
            format!("{T} DROP CONSTRAINT \"positive\""),
        ),
        (
            TableChange::SetPrimaryKey {
                from: Some(pk.clone()),
                to: None,
            },
            format!("{T} DROP CONSTRAINT \"t_pkey\""),
        ),
        (
            TableChange::SetPrimaryKey {
                from: None,
                to: Some(pk),
            },
            format!("{T} ADD PRIMARY KEY (\"a\")"),
        ),
    ];
    for (change, expected) in cases {
        assert_eq!(
            rendered(&d, &op(vec![change.clone()])),
            [expected],
            "{change:?}"
        );
    }
    let unnamed_check = Check {
        expression: "(b > 0)".into(),
        ..Check::default()
    };
    let err = render(&d, &op(vec![TableChange::DropCheck(unnamed_check)])).unwrap_err();
    assert!(err.to_string().contains("has no name"), "{err}");
}

#[test]
fn table_options_drop_exclusions_first_and_set_the_rest_last() {
    let d = PostgresDialect::default();
    let mut from = table(vec![col("a", "integer"), col("r", "tsrange")]);
    from.ext.postgres.exclusions = vec![Exclusion {
        name: "x".into(),
        definition: "EXCLUDE USING gist (r WITH &&)".into(),
    }];
    let mut to = table(vec![col("a", "integer")]);
    to.ext.postgres.unlogged = true;
    to.comment = Some("c".into());
    let op = Op::AlterTable {
        from: from.clone(),
        to,
        changes: vec![
            TableChange::DropColumn(from.columns[1].clone()),
            TableChange::SetOptions,
        ],
    };
    assert_eq!(
        rendered(&d, &op),
        [
            format!("{T} DROP CONSTRAINT \"x\""),
            format!("{T} DROP COLUMN \"r\""),
            format!("{T} SET UNLOGGED"),
            "COMMENT ON TABLE \"s\".\"t\" IS 'c'".into(),
        ]
    );
    assert_eq!(
        rendered(&d, &op.invert()),
        // The exclusion constraint comes once its column is back.
        [
            format!("{T} ADD COLUMN \"r\" tsrange"),
            format!("{T} SET LOGGED"),
            format!("{T} ADD CONSTRAINT \"x\" EXCLUDE USING gist (r WITH &&)"),
            "COMMENT ON TABLE \"s\".\"t\" IS NULL".into(),
        ]
    );
}

#[test]
fn indexes_render_from_their_definition_or_their_fields() {
    let d = PostgresDialect::default();
    let mut index = Index {
        namespace: "s".into(),
        name: "i".into(),
        table: "t".into(),
        unique: true,
        parts: vec![
            IndexPart {
                key: IndexKey::Column("a".into()),
                descending: true,
                collation: Some("\"C\"".into()),
            },
            IndexPart {
                key: IndexKey::Expression("lower(b)".into()),
                descending: false,
                collation: None,
            },
        ],
        predicate: Some("(a > 0)".into()),
        definition: None,
        ..Index::default()
    };
    index.ext.postgres.method = Some("btree".into());
    index.ext.postgres.opclasses = vec![None, Some("text_pattern_ops".into())];
    index.ext.postgres.nulls_first = vec![Some(false), None];
    index.ext.postgres.include = vec!["c".into()];
    index.ext.postgres.nulls_not_distinct = true;
    assert_eq!(
        rendered(&d, &Op::CreateIndex(index.clone())),
        [
            "CREATE UNIQUE INDEX \"i\" ON \"s\".\"t\" USING btree (\"a\" COLLATE \"C\" DESC NULLS \
          LAST, (lower(b)) text_pattern_ops) INCLUDE (\"c\") NULLS NOT DISTINCT WHERE (a > 0)"
        ]
    );
    assert_eq!(
        rendered(&d, &Op::DropIndex(index.clone())),
        ["DROP INDEX \"s\".\"i\""]
    );
    index.definition = Some("CREATE INDEX i ON s.t USING btree (a)".into());
    assert_eq!(
        rendered(&d, &Op::CreateIndex(index)),
        ["CREATE INDEX i ON s.t USING btree (a)"]
    );
}

#[test]
fn tables_without_a_namespace_are_not_qualified_and_reorders_are_refused() {
    let d = PostgresDialect::default();
    let t = Table {
        name: "Weird \"t\"".into(),
        columns: vec![col("a", "integer")],
        ..Table::default()
    };
    assert_eq!(
        rendered(&d, &Op::CreateTable(t.clone())),
        ["CREATE TABLE \"Weird \"\"t\"\"\" (\n    \"a\" integer\n)"]
    );
    assert_eq!(
        rendered(&d, &Op::DropTable(t.clone())),
        ["DROP TABLE \"Weird \"\"t\"\"\""]
    );
    let reorder = Op::AlterTable {
        from: t.clone(),
        to: t,
        changes: vec![TableChange::ReorderColumns {
            from: vec![],
            to: vec![],
        }],
    };
    assert!(render(&d, &reorder).is_err());
    // `serial` makes its column NOT NULL: a nullable one drops it after.
    let serial = table(vec![col("n", "serial")]);
    assert_eq!(
        rendered(&d, &Op::CreateTable(serial)),
        [
            "CREATE TABLE \"s\".\"t\" (\n    \"n\" serial\n)".to_string(),
            format!("{T} ALTER COLUMN \"n\" DROP NOT NULL"),
        ]
    );
    assert!(!d.caps().reorders_columns);
    // A delta part PostgreSQL has no clause for is refused, not dropped silently.
    let on_update = Op::AlterTable {
        from: table(vec![col("c", "timestamp")]),
        to: table(vec![col("c", "timestamp")]),
        changes: vec![TableChange::AlterColumn {
            from: col("c", "timestamp"),
            to: col("c", "timestamp"),
            delta: ColumnDelta::of(&[ColumnPart::OnUpdate]),
        }],
    };
    assert!(render(&d, &on_update).is_err());
}
