//! Rendering tests: an op in, its PostgreSQL statements out, no database.

use super::super::{render_ops, runs_outside_transaction};
use super::*;
use crate::diff::op::EnumUse;
use crate::schema::ext::PostgresView;
use crate::schema::{key, Column, EnumType, Sequence, SequenceOptions, Trigger, ViewExt};

fn pg() -> PostgresDialect {
    PostgresDialect::default()
}

fn sql(op: &Op) -> String {
    render(&pg(), op)
        .expect("renders")
        .iter()
        .map(|s| format!("{s};\n"))
        .collect()
}

fn mood(labels: &[&str]) -> EnumType {
    EnumType {
        namespace: "public".into(),
        name: "mood".into(),
        labels: labels.iter().map(|l| l.to_string()).collect(),
        comment: None,
    }
}

fn add_labels(from: &[&str], to: &[&str]) -> Op {
    Op::AlterEnum {
        from: mood(from),
        to: mood(to),
        uses: Vec::new(),
    }
}

fn sequence(options: SequenceOptions, owned_by: Option<(&str, &str)>) -> Sequence {
    Sequence {
        namespace: "billing".into(),
        name: "invoice_no".into(),
        type_text: "bigint".into(),
        options,
        owned_by: owned_by.map(|(t, c)| (key("billing", t), c.to_string())),
    }
}

fn function(definition: &str) -> Function {
    Function {
        namespace: "public".into(),
        name: "f".into(),
        arguments: "a integer".into(),
        definition: definition.into(),
        reads_tables: false,
    }
}

#[test]
fn views_triggers_schemas_and_extensions() {
    let view = View {
        namespace: "public".into(),
        name: "active \"users\"".into(),
        definition: " SELECT users.id\n   FROM users\n  WHERE users.active;".into(),
        depends_on: vec![key("public", "users")],
        indexes: Default::default(),
        ext: ViewExt::default(),
    };
    let materialized = View {
        ext: ViewExt {
            postgres: PostgresView {
                materialized: true,
                ..PostgresView::default()
            },
            ..ViewExt::default()
        },
        ..view.clone()
    };
    let trigger = Trigger {
        namespace: "public".into(),
        name: "touch".into(),
        table: "users".into(),
        definition: "CREATE TRIGGER touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION touch()".into(),
    };
    let namespace = Namespace {
        name: "billing".into(),
        comment: Some("money's".into()),
    };
    let extension = Extension {
        name: "pgcrypto".into(),
        namespace: "public".into(),
    };
    let cases: Vec<(Op, &str)> = vec![
        (
            Op::CreateView(view.clone()),
            "CREATE VIEW \"public\".\"active \"\"users\"\"\" AS\n SELECT users.id\n   FROM users\n  WHERE users.active;\n",
        ),
        (
            Op::DropView(view),
            "DROP VIEW \"public\".\"active \"\"users\"\"\";\n",
        ),
        (
            Op::CreateView(materialized.clone()),
            "CREATE MATERIALIZED VIEW \"public\".\"active \"\"users\"\"\" AS\n SELECT users.id\n   FROM users\n  WHERE users.active\n  WITH DATA;\n",
        ),
        (
            Op::DropView(materialized),
            "DROP MATERIALIZED VIEW \"public\".\"active \"\"users\"\"\";\n",
        ),
        (
            Op::CreateTrigger(trigger.clone()),
            "CREATE TRIGGER touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION touch();\n",
        ),
        (
            Op::DropTrigger(trigger),
            "DROP TRIGGER \"touch\" ON \"public\".\"users\";\n",
        ),
        (
            Op::CreateNamespace(namespace.clone()),
            "CREATE SCHEMA \"billing\";\nCOMMENT ON SCHEMA \"billing\" IS 'money''s';\n",
        ),
        (Op::DropNamespace(namespace), "DROP SCHEMA \"billing\";\n"),
        (
            Op::CreateExtension(extension.clone()),
            "CREATE EXTENSION IF NOT EXISTS \"pgcrypto\" WITH SCHEMA \"public\";\n",
        ),
        (
            Op::DropExtension(extension),
            "DROP EXTENSION IF EXISTS \"pgcrypto\";\n",
        ),
    ];
    for (op, expected) in cases {
        assert_eq!(sql(&op), expected, "{op:?}");
    }
}

#[test]
fn enums_are_created_and_labels_added_in_their_final_places() {
    let commented = EnumType {
        comment: Some("how it went".into()),
        ..mood(&["it's", "b"])
    };
    let cases: Vec<(Op, &str)> = vec![
        (
            Op::CreateEnum(commented.clone()),
            "CREATE TYPE \"public\".\"mood\" AS ENUM ('it''s', 'b');\n\
             COMMENT ON TYPE \"public\".\"mood\" IS 'how it went';\n",
        ),
        (
            Op::DropEnum(commented.clone()),
            "DROP TYPE \"public\".\"mood\";\n",
        ),
        (
            add_labels(&["a", "c"], &["a", "b", "c"]),
            "ALTER TYPE \"public\".\"mood\" ADD VALUE 'b' AFTER 'a';\n",
        ),
        (
            add_labels(&["c"], &["a", "b", "c", "d", "e"]),
            "ALTER TYPE \"public\".\"mood\" ADD VALUE 'b' BEFORE 'c';\n\
             ALTER TYPE \"public\".\"mood\" ADD VALUE 'a' BEFORE 'b';\n\
             ALTER TYPE \"public\".\"mood\" ADD VALUE 'd' AFTER 'c';\n\
             ALTER TYPE \"public\".\"mood\" ADD VALUE 'e' AFTER 'd';\n",
        ),
        (
            add_labels(&[], &["a", "b"]),
            "ALTER TYPE \"public\".\"mood\" ADD VALUE 'a';\n\
             ALTER TYPE \"public\".\"mood\" ADD VALUE 'b' AFTER 'a';\n",
        ),
        (
            Op::AlterEnum {
                from: mood(&["it's", "b"]),
                to: commented.clone(),
                uses: Vec::new(),
            },
            "COMMENT ON TYPE \"public\".\"mood\" IS 'how it went';\n",
        ),
        (
            Op::AlterEnum {
                from: commented,
                to: mood(&["it's", "b", "c"]),
                uses: Vec::new(),
            },
            "ALTER TYPE \"public\".\"mood\" ADD VALUE 'c' AFTER 'b';\n\
             COMMENT ON TYPE \"public\".\"mood\" IS NULL;\n",
        ),
    ];
    for (op, expected) in cases {
        assert_eq!(sql(&op), expected, "{op:?}");
    }
}

#[test]
fn removing_or_reordering_labels_swaps_the_type_under_its_columns() {
    let column = |name: &str, type_text: &str, default: Option<&str>| Column {
        name: name.into(),
        type_text: type_text.into(),
        nullable: true,
        default: default.map(str::to_string),
        ..Column::default()
    };
    let uses = vec![
        EnumUse {
            namespace: "public".into(),
            table: "people".into(),
            column: column("now", "mood", Some("'ok'::mood")),
            ..EnumUse::default()
        },
        EnumUse {
            namespace: "public".into(),
            table: "people".into(),
            column: column("was", "mood", Some("'sad'::mood")),
            ..EnumUse::default()
        },
        EnumUse {
            namespace: "public".into(),
            table: "people".into(),
            column: column("history", "mood[]", None),
            ..EnumUse::default()
        },
    ];
    let op = Op::AlterEnum {
        from: mood(&["sad", "ok", "happy"]),
        to: EnumType {
            comment: Some("c".into()),
            ..mood(&["happy", "ok"])
        },
        uses,
    };
    assert_eq!(
        sql(&op),
        "-- PostgreSQL cannot remove or reorder the labels of an enum type: type public.mood is renamed aside, created again with its new labels, its columns converted through text, and the old type dropped\n\
         -- WARNING: rows holding a removed label of public.mood ('sad') make this fail\n\
         ALTER TYPE \"public\".\"mood\" RENAME TO \"mood__migrate_old\";\n\
         CREATE TYPE \"public\".\"mood\" AS ENUM ('happy', 'ok');\n\
         ALTER TABLE \"public\".\"people\" ALTER COLUMN \"now\" DROP DEFAULT;\n\
         ALTER TABLE \"public\".\"people\" ALTER COLUMN \"now\" TYPE \"public\".\"mood\" USING \"now\"::text::\"public\".\"mood\";\n\
         ALTER TABLE \"public\".\"people\" ALTER COLUMN \"now\" SET DEFAULT 'ok'::mood;\n\
         ALTER TABLE \"public\".\"people\" ALTER COLUMN \"was\" DROP DEFAULT;\n\
         ALTER TABLE \"public\".\"people\" ALTER COLUMN \"was\" TYPE \"public\".\"mood\" USING \"was\"::text::\"public\".\"mood\";\n\
         ALTER TABLE \"public\".\"people\" ALTER COLUMN \"history\" TYPE \"public\".\"mood\"[] USING \"history\"::text[]::\"public\".\"mood\"[];\n\
         DROP TYPE \"public\".\"mood__migrate_old\";\n\
         COMMENT ON TYPE \"public\".\"mood\" IS 'c';\n"
    );
    // A reorder removes nothing: no warning.
    let reorder = sql(&add_labels(&["a", "b"], &["b", "a"]));
    assert!(!reorder.contains("WARNING"), "{reorder}");
    assert!(reorder.contains("CREATE TYPE \"public\".\"mood\" AS ENUM ('b', 'a')"));
}

#[test]
fn the_old_type_name_of_a_swap_fits_in_63_bytes() {
    let long = "é".repeat(40);
    let name = enums_swap_name(&long);
    assert!(name.len() <= 63, "{name}");
    assert!(name.ends_with("__migrate_old"));
    assert_ne!(&name[..name.len() - "__migrate_old".len()], long);
}

fn enums_swap_name(name: &str) -> String {
    // The swap's RENAME TO names it; read it back from the statement.
    let op = Op::AlterEnum {
        from: EnumType {
            name: name.into(),
            ..mood(&["a", "b"])
        },
        to: EnumType {
            name: name.into(),
            ..mood(&["b"])
        },
        uses: Vec::new(),
    };
    let statements = render(&pg(), &op).expect("renders");
    let rename = statements[0].lines().last().expect("a statement");
    let quoted = rename.rsplit(" RENAME TO ").next().expect("rename");
    quoted.trim_matches('"').to_string()
}

#[test]
fn sequences_write_the_options_they_set_and_reset_the_others() {
    let set = SequenceOptions {
        start: Some(100),
        increment: Some(5),
        min_value: Some(10),
        max_value: Some(1000),
        cache: Some(20),
        cycle: true,
    };
    let cases: Vec<(Op, &str)> = vec![
        (
            Op::CreateSequence(sequence(SequenceOptions::default(), None)),
            "CREATE SEQUENCE \"billing\".\"invoice_no\" AS bigint;\n",
        ),
        (
            Op::CreateSequence(sequence(set.clone(), Some(("invoices", "no")))),
            "CREATE SEQUENCE \"billing\".\"invoice_no\" AS bigint INCREMENT BY 5 MINVALUE 10 \
             MAXVALUE 1000 START WITH 100 CACHE 20 CYCLE OWNED BY \"billing\".\"invoices\".\"no\";\n",
        ),
        (
            Op::DropSequence(sequence(set.clone(), None)),
            "DROP SEQUENCE \"billing\".\"invoice_no\";\n",
        ),
        (
            Op::AlterSequence {
                from: sequence(SequenceOptions::default(), None),
                to: sequence(set.clone(), Some(("invoices", "no"))),
            },
            "SELECT setval('\"billing\".\"invoice_no\"', 10, false) FROM \"billing\".\"invoice_no\" WHERE last_value < 10;\n\
             SELECT setval('\"billing\".\"invoice_no\"', 1000, false) FROM \"billing\".\"invoice_no\" WHERE last_value > 1000;\n\
             ALTER SEQUENCE \"billing\".\"invoice_no\" INCREMENT BY 5 MINVALUE 10 MAXVALUE 1000 \
             START WITH 100 CACHE 20 CYCLE OWNED BY \"billing\".\"invoices\".\"no\";\n",
        ),
        (
            Op::AlterSequence {
                from: sequence(set, Some(("invoices", "no"))),
                to: sequence(SequenceOptions::default(), None),
            },
            "ALTER SEQUENCE \"billing\".\"invoice_no\" INCREMENT BY 1 NO MINVALUE NO MAXVALUE \
             START WITH 1 CACHE 1 NO CYCLE OWNED BY NONE;\n",
        ),
        (
            Op::AlterSequence {
                from: sequence(SequenceOptions::default(), None),
                to: sequence(
                    SequenceOptions {
                        increment: Some(-1),
                        ..SequenceOptions::default()
                    },
                    None,
                ),
            },
            "ALTER SEQUENCE \"billing\".\"invoice_no\" INCREMENT BY -1 NO MINVALUE NO MAXVALUE \
             START WITH -1;\n",
        ),
        (
            Op::AlterSequence {
                from: sequence(
                    SequenceOptions {
                        start: Some(5),
                        ..SequenceOptions::default()
                    },
                    None,
                ),
                to: Sequence {
                    type_text: "integer".into(),
                    ..sequence(
                        SequenceOptions {
                            increment: Some(-1),
                            ..SequenceOptions::default()
                        },
                        None,
                    )
                },
            },
            "ALTER SEQUENCE \"billing\".\"invoice_no\" AS integer INCREMENT BY -1 NO MINVALUE \
             NO MAXVALUE START WITH -1;\n",
        ),
    ];
    for (op, expected) in cases {
        assert_eq!(sql(&op), expected, "{op:?}");
    }
    // A new MINVALUE moves the default start with it.
    let raised = sql(&Op::AlterSequence {
        from: sequence(SequenceOptions::default(), None),
        to: sequence(
            SequenceOptions {
                min_value: Some(7),
                ..SequenceOptions::default()
            },
            None,
        ),
    });
    assert!(
        raised.ends_with("ALTER SEQUENCE \"billing\".\"invoice_no\" MINVALUE 7 START WITH 7;\n"),
        "{raised}"
    );
    let same = sequence(SequenceOptions::default(), None);
    assert_eq!(
        sql(&Op::AlterSequence {
            from: same.clone(),
            to: same
        }),
        ""
    );
}

#[test]
fn functions_are_replaced_in_place_unless_their_signature_changes() {
    let v1 = function(
        "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$select a$function$\n",
    );
    let v2 = function(
        "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE sql\n IMMUTABLE\nAS $function$select a + 1$function$\n",
    );
    let new_return = function(
        "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS bigint\n LANGUAGE sql\nAS $function$select a$function$\n",
    );
    let new_default = function(
        "CREATE OR REPLACE FUNCTION public.f(a integer DEFAULT 1)\n RETURNS integer\n LANGUAGE sql\nAS $function$select a$function$\n",
    );
    let cases: Vec<(Op, String)> = vec![
        (
            Op::CreateFunction(v1.clone()),
            format!("{};\n", v1.definition.trim_end()),
        ),
        (
            Op::DropFunction(v1.clone()),
            "DROP FUNCTION \"public\".\"f\"(a integer);\n".into(),
        ),
        (
            Op::ReplaceFunction {
                from: v1.clone(),
                to: v2.clone(),
            },
            format!("{};\n", v2.definition.trim_end()),
        ),
    ];
    for (op, expected) in cases {
        assert_eq!(sql(&op), expected, "{op:?}");
    }
    for changed in [new_return, new_default] {
        let op = Op::ReplaceFunction {
            from: v1.clone(),
            to: changed.clone(),
        };
        let statements = render(&pg(), &op).expect("renders");
        assert_eq!(statements.len(), 2, "{statements:?}");
        assert!(statements[0].ends_with("\nDROP FUNCTION \"public\".\"f\"(a integer)"));
        assert_eq!(statements[1], changed.definition.trim_end());
    }
}

#[test]
fn a_section_using_a_label_it_adds_runs_outside_a_transaction() {
    let add = add_labels(&["sad", "ok"], &["sad", "ok", "happy"]);
    let uses_it = Op::CreateFunction(function(
        "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS mood\n LANGUAGE sql\nAS $function$select 'happy'::mood$function$",
    ));
    let other = Op::CreateFunction(function(
        "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS mood\n LANGUAGE sql\nAS $function$select 'ok'::mood$function$",
    ));
    let dialect = pg();
    assert!(runs_outside_transaction(&dialect, &[add.clone(), uses_it.clone()]).unwrap());
    assert!(!runs_outside_transaction(&dialect, &[add.clone(), other]).unwrap());
    // Used before it is added (another op's text): no matter.
    assert!(!runs_outside_transaction(&dialect, &[uses_it.clone(), add.clone()]).unwrap());
    // A swap creates the type in the transaction: its labels are usable at once.
    let swap = add_labels(&["ok", "sad"], &["sad", "ok", "happy"]);
    assert!(!runs_outside_transaction(&dialect, &[swap, uses_it.clone()]).unwrap());

    let rendered = render_ops(&dialect, &[add, uses_it]).unwrap();
    assert!(
        rendered[0][0].starts_with("-- NOTE: this revision uses the new enum label(s) 'happy'"),
        "{rendered:?}"
    );
    assert!(rendered[0][0].ends_with("ADD VALUE 'happy' AFTER 'ok'"));
}

#[test]
fn a_section_creating_sql_functions_defers_their_body_checks_to_its_transaction_end() {
    let sql_function = function(
        "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$select g(a)$function$",
    );
    let plpgsql = function(
        "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE plpgsql\nAS $function$begin return a; end$function$",
    );
    let ops = [
        Op::CreateFunction(plpgsql.clone()),
        Op::CreateFunction(sql_function.clone()),
        Op::CreateFunction(sql_function),
    ];
    let rendered = render_ops(&pg(), &ops).unwrap();
    assert_eq!(rendered[0].len(), 1);
    assert_eq!(rendered[1].len(), 2);
    assert!(rendered[1][0].ends_with("\nSET LOCAL check_function_bodies = off"));
    assert_eq!(rendered[2].len(), 1);
    let without = render_ops(&pg(), &[Op::CreateFunction(plpgsql)]).unwrap();
    assert!(!without.concat().concat().contains("check_function_bodies"));
}

#[test]
fn a_swap_moves_the_checks_and_indexes_naming_the_type_around_its_columns() {
    let use_of = |column: &str| {
        EnumUse {
        namespace: "public".into(),
        table: "people".into(),
        column: Column {
            name: column.into(),
            type_text: "mood".into(),
            ..Column::default()
        },
        checks: vec![crate::schema::Check {
            name: Some("not sad".into()),
            expression: "(now <> 'sad'::mood)".into(),
            ext: crate::schema::CheckExt {
                postgres: crate::schema::ext::PostgresCheck {
                    not_valid: true,
                    no_inherit: true,
                },
                ..Default::default()
            },
        }],
        indexes: vec![crate::schema::Index {
            namespace: "public".into(),
            name: "happy_now".into(),
            table: "people".into(),
            definition: Some(
                "CREATE INDEX happy_now ON public.people USING btree (id) WHERE (now = 'happy'::mood)"
                    .into(),
            ),
            ..Default::default()
        }],
    }
    };
    let op = Op::AlterEnum {
        from: mood(&["sad", "ok", "happy"]),
        to: mood(&["happy", "ok", "sad"]),
        uses: vec![use_of("now"), use_of("then")],
    };
    let statements = render(&pg(), &op).expect("renders");
    let table = "ALTER TABLE \"public\".\"people\"";
    assert_eq!(
        statements[2..statements.len() - 1],
        [
            format!("{table} DROP CONSTRAINT \"not sad\""),
            "DROP INDEX \"public\".\"happy_now\"".to_string(),
            format!("{table} ALTER COLUMN \"now\" TYPE \"public\".\"mood\" USING \"now\"::text::\"public\".\"mood\""),
            format!("{table} ALTER COLUMN \"then\" TYPE \"public\".\"mood\" USING \"then\"::text::\"public\".\"mood\""),
            format!("{table} ADD CONSTRAINT \"not sad\" CHECK ((now <> 'sad'::mood)) NO INHERIT NOT VALID"),
            "CREATE INDEX happy_now ON public.people USING btree (id) WHERE (now = 'happy'::mood)".to_string(),
        ]
    );
}
