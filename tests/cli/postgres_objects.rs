//! PostgreSQL rendering of views, triggers, schemas, extensions, enum types, sequences
//! and functions, run on the real server: the catalogs (pg_enum, pg_sequence,
//! pg_get_functiondef, pg_trigger, pg_views) judge the result, and the inverse ops must
//! bring them back. Each section runs as the sink runs a revision: in one transaction
//! unless the dialect says it must not.

use crate::servers::PgDatabase;
use migrate::dialect::{DialectRef, Engine};
use migrate::diff::op::EnumUse;
use migrate::diff::Op;
use migrate::schema::ext::PostgresView;
use migrate::schema::{
    key, Column, EnumType, Extension, Function, Namespace, Sequence, SequenceOptions, Trigger,
    View, ViewExt,
};

fn dialect() -> DialectRef {
    Engine::Postgres.dialect()
}

/// The statements of a section, in order.
fn render(ops: &[Op]) -> Vec<String> {
    dialect()
        .render_ops(ops)
        .expect("renders")
        .into_iter()
        .flatten()
        .collect()
}

/// Runs a section as the sink runs a revision: BEGIN, the statements, COMMIT (rolled
/// back on failure), or each statement on its own when the dialect says the section runs
/// outside a transaction.
fn run(client: &mut postgres::Client, ops: &[Op]) -> Result<(), postgres::Error> {
    let statements = render(ops);
    if dialect().runs_outside_transaction(ops).expect("decides") {
        for statement in &statements {
            client.batch_execute(statement)?;
        }
        return Ok(());
    }
    let mut transaction = client.transaction()?;
    for statement in &statements {
        transaction.batch_execute(statement)?;
    }
    transaction.commit()
}

/// The downgrade of `ops`: their inverses, last first.
fn inverse(ops: &[Op]) -> Vec<Op> {
    ops.iter().rev().map(Op::invert).collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

fn mood(labels: &[&str]) -> EnumType {
    EnumType {
        namespace: "public".into(),
        name: "mood".into(),
        labels: strings(labels),
        comment: None,
    }
}

/// The labels of `public.mood` in their sort order, as pg_enum holds them.
fn labels(client: &mut postgres::Client) -> Vec<String> {
    client
        .query(
            "SELECT enumlabel::text FROM pg_enum WHERE enumtypid = 'public.mood'::regtype \
             ORDER BY enumsortorder",
            &[],
        )
        .expect("pg_enum")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// Each column of `public.people` with its type and default, as the catalogs give them.
fn columns(client: &mut postgres::Client) -> Vec<(String, String, Option<String>)> {
    client
        .query(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), \
                    pg_get_expr(d.adbin, d.adrelid) \
             FROM pg_attribute a LEFT JOIN pg_attrdef d ON (d.adrelid, d.adnum) = (a.attrelid, a.attnum) \
             WHERE a.attrelid = 'public.people'::regclass AND a.attnum > 0 ORDER BY a.attnum",
            &[],
        )
        .expect("pg_attribute")
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect()
}

/// The rows of `public.people`, as text.
fn people(client: &mut postgres::Client) -> Vec<(i32, Option<String>, Option<String>)> {
    client
        .query(
            "SELECT id, now::text, history::text FROM public.people ORDER BY id",
            &[],
        )
        .expect("people")
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect()
}

/// A database holding `public.mood` with `labels` and a table `people` using it in a
/// column with a default and in an array column, with rows.
fn enum_database(label: &str, labels: &[&str]) -> Option<(PgDatabase, postgres::Client)> {
    let db = PgDatabase::create(label)?;
    let mut client = db.client();
    run(&mut client, &[Op::CreateEnum(mood(labels))]).expect("create type");
    client
        .batch_execute(
            "CREATE TABLE public.people (id int PRIMARY KEY, now mood DEFAULT 'ok', history mood[]);
             INSERT INTO public.people VALUES (1, 'ok', '{ok,LAST}'), (2, 'LAST', NULL);"
                .replace("LAST", labels.last().expect("labels"))
                .as_str(),
        )
        .expect("table");
    Some((db, client))
}

/// The columns of `people` that use the type, as `diff::objects` reads them.
fn people_uses(client: &mut postgres::Client) -> Vec<EnumUse> {
    columns(client)
        .into_iter()
        .filter(|(_, type_text, _)| type_text.starts_with("mood"))
        .map(|(name, type_text, default)| EnumUse {
            namespace: "public".into(),
            table: "people".into(),
            column: Column {
                name,
                type_text,
                nullable: true,
                default,
                ..Column::default()
            },
            ..EnumUse::default()
        })
        .collect()
}

#[test]
fn enum_labels_added_anywhere_land_in_order_in_a_transaction_and_the_downgrade_swaps_back() {
    let Some((_db, mut client)) = enum_database("enum add", &["sad", "ok", "happy"]) else {
        return;
    };
    let before_columns = columns(&mut client);
    let before_rows = people(&mut client);
    let up = vec![Op::AlterEnum {
        from: mood(&["sad", "ok", "happy"]),
        to: mood(&["awful", "bad", "sad", "meh", "ok", "happy", "ecstatic"]),
        uses: people_uses(&mut client),
    }];
    assert!(!dialect().runs_outside_transaction(&up).unwrap());
    run(&mut client, &up).expect("upgrade");
    assert_eq!(
        labels(&mut client),
        ["awful", "bad", "sad", "meh", "ok", "happy", "ecstatic"]
    );
    assert_eq!(columns(&mut client), before_columns);
    assert_eq!(people(&mut client), before_rows);

    // Rows holding a new label make the downgrade, a label removal, fail whole.
    client
        .batch_execute("INSERT INTO public.people VALUES (3, 'meh', '{bad}')")
        .unwrap();
    let error = run(&mut client, &inverse(&up)).expect_err("rows hold a removed label");
    assert!(
        error
            .as_db_error()
            .is_some_and(|e| e.message().contains("invalid input value for enum")),
        "{error:?}"
    );
    assert_eq!(labels(&mut client).len(), 7, "the failed swap rolled back");
    client
        .batch_execute("DELETE FROM public.people WHERE id = 3")
        .unwrap();

    run(&mut client, &inverse(&up)).expect("downgrade");
    assert_eq!(labels(&mut client), ["sad", "ok", "happy"]);
    assert_eq!(columns(&mut client), before_columns);
    assert_eq!(people(&mut client), before_rows);
    let left: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_type WHERE typname LIKE '%migrate_old%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "the old type was dropped");
}

#[test]
fn enum_label_removed_and_reordered_by_the_type_swap_in_a_transaction() {
    let Some((_db, mut client)) = enum_database("enum swap", &["sad", "ok", "happy"]) else {
        return;
    };
    // The column's default names the label that goes: the swap drops it, and the
    // section's table change would set the new one.
    client
        .batch_execute("ALTER TABLE public.people ALTER COLUMN now SET DEFAULT 'sad'")
        .unwrap();
    let before_rows = people(&mut client);
    let remove = vec![Op::AlterEnum {
        from: mood(&["sad", "ok", "happy"]),
        to: mood(&["happy", "ok"]),
        uses: people_uses(&mut client),
    }];
    run(&mut client, &remove).expect("upgrade");
    assert_eq!(labels(&mut client), ["happy", "ok"]);
    assert_eq!(
        columns(&mut client),
        [
            ("id".into(), "integer".into(), None),
            ("now".into(), "mood".into(), None),
            ("history".into(), "mood[]".into(), None),
        ]
    );
    assert_eq!(people(&mut client), before_rows);
    // 'happy' now sorts first.
    let first: String = client
        .query_one("SELECT min(now)::text FROM public.people", &[])
        .unwrap()
        .get(0);
    assert_eq!(first, "happy");

    // The downgrade adds 'sad' back in place: ADD VALUE in a transaction, then the
    // reorder needs a second swap.
    client
        .batch_execute("ALTER TABLE public.people ALTER COLUMN now SET DEFAULT 'ok'")
        .unwrap();
    let back = vec![Op::AlterEnum {
        from: mood(&["happy", "ok"]),
        to: mood(&["sad", "ok", "happy"]),
        uses: people_uses(&mut client),
    }];
    run(&mut client, &back).expect("reorder back");
    assert_eq!(labels(&mut client), ["sad", "ok", "happy"]);
    assert_eq!(
        columns(&mut client)[1],
        ("now".into(), "mood".into(), Some("'ok'::mood".into()))
    );
    assert_eq!(people(&mut client), before_rows);
}

#[test]
fn a_new_label_used_in_the_same_revision_needs_it_outside_a_transaction() {
    let Some((_db, mut client)) = enum_database("enum use", &["sad", "ok"]) else {
        return;
    };
    let view = View {
        namespace: "public".into(),
        name: "cheerful".into(),
        definition: " SELECT people.id\n   FROM people\n  WHERE people.now = 'happy'::mood;".into(),
        depends_on: vec![key("public", "people")],
        indexes: Default::default(),
        ext: ViewExt::default(),
    };
    let up = vec![
        Op::AlterEnum {
            from: mood(&["sad", "ok"]),
            to: mood(&["sad", "ok", "happy"]),
            uses: people_uses(&mut client),
        },
        Op::CreateView(view),
    ];
    // PostgreSQL's own refusal, in one transaction: what the dialect avoids.
    let mut transaction = client.transaction().unwrap();
    let failed = render(&up)
        .iter()
        .try_for_each(|statement| transaction.batch_execute(statement));
    let error = failed.expect_err("a new label is unusable before commit");
    assert!(
        error
            .as_db_error()
            .is_some_and(|e| e.message().contains("unsafe use of new value")),
        "{error:?}"
    );
    drop(transaction);
    assert_eq!(labels(&mut client), ["sad", "ok"]);

    assert!(dialect().runs_outside_transaction(&up).unwrap());
    assert!(render(&up)[0].starts_with("-- NOTE: "));
    run(&mut client, &up).expect("upgrade outside a transaction");
    assert_eq!(labels(&mut client), ["sad", "ok", "happy"]);
    let definition: String = client
        .query_one(
            "SELECT definition FROM pg_views WHERE viewname = 'cheerful'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(definition.contains("'happy'::mood"), "{definition}");

    // The downgrade (drop the view, swap the label away) runs in a transaction.
    assert!(!dialect().runs_outside_transaction(&inverse(&up)).unwrap());
    run(&mut client, &inverse(&up)).expect("downgrade");
    assert_eq!(labels(&mut client), ["sad", "ok"]);
}

/// pg_sequence's options of `billing.invoice_no` and its owning column, if any.
fn sequence_state(client: &mut postgres::Client) -> (String, Vec<i64>, bool, Option<String>) {
    let row = client
        .query_one(
            "SELECT seqtypid::regtype::text, seqstart, seqincrement, seqmin, seqmax, seqcache, seqcycle, \
                    (SELECT d.refobjid::regclass::text || '.' || a.attname \
                     FROM pg_depend d JOIN pg_attribute a ON (a.attrelid, a.attnum) = (d.refobjid, d.refobjsubid) \
                     WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid AND d.deptype = 'a') \
             FROM pg_sequence s WHERE seqrelid = 'billing.invoice_no'::regclass",
            &[],
        )
        .expect("pg_sequence");
    (
        row.get(0),
        (1..6).map(|i| row.get(i)).collect(),
        row.get(6),
        row.get(7),
    )
}

#[test]
fn sequences_created_altered_owned_and_back() {
    let Some(db) = PgDatabase::create("sequences") else {
        return;
    };
    let mut client = db.client();
    let namespace = Namespace {
        name: "billing".into(),
        comment: Some("money's".into()),
    };
    let plain = Sequence {
        namespace: "billing".into(),
        name: "invoice_no".into(),
        type_text: "bigint".into(),
        options: SequenceOptions::default(),
        owned_by: None,
    };
    let tuned = Sequence {
        type_text: "integer".into(),
        options: SequenceOptions {
            start: Some(100),
            increment: Some(5),
            min_value: Some(10),
            max_value: Some(100_000),
            cache: Some(20),
            cycle: true,
        },
        owned_by: Some((key("billing", "invoices"), "no".into())),
        ..plain.clone()
    };
    let create = vec![
        Op::CreateNamespace(namespace),
        Op::CreateSequence(plain.clone()),
    ];
    run(&mut client, &create).expect("create");
    let comment: Option<String> = client
        .query_one(
            "SELECT obj_description('billing'::regnamespace, 'pg_namespace')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(comment.as_deref(), Some("money's"));
    let defaults = (
        "bigint".to_string(),
        vec![1, 1, 1, i64::MAX, 1],
        false,
        None,
    );
    assert_eq!(sequence_state(&mut client), defaults);

    client
        .batch_execute("CREATE TABLE billing.invoices (no integer)")
        .unwrap();
    let alter = vec![Op::AlterSequence {
        from: plain.clone(),
        to: tuned,
    }];
    run(&mut client, &alter).expect("alter");
    assert_eq!(
        sequence_state(&mut client),
        (
            "integer".to_string(),
            vec![100, 5, 10, 100_000, 20],
            true,
            Some("billing.invoices.no".to_string())
        )
    );
    // The never-used sequence stood at 1, below the new MINVALUE: it moved up to it.
    let next: i64 = client
        .query_one("SELECT nextval('billing.invoice_no')", &[])
        .unwrap()
        .get(0);
    assert_eq!(next, 10);
    run(&mut client, &inverse(&alter)).expect("alter back");
    assert_eq!(sequence_state(&mut client), defaults);

    client.batch_execute("DROP TABLE billing.invoices").unwrap();
    run(&mut client, &inverse(&create)).expect("drop");
    let left: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'billing'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}

fn function_definition(client: &mut postgres::Client, signature: &str) -> String {
    client
        .query_one(
            &format!("SELECT pg_get_functiondef('{signature}'::regprocedure)"),
            &[],
        )
        .expect("pg_get_functiondef")
        .get(0)
}

fn function(arguments: &str, definition: &str) -> Function {
    Function {
        namespace: "public".into(),
        name: "grade".into(),
        arguments: arguments.into(),
        definition: definition.into(),
        reads_tables: false,
    }
}

#[test]
fn functions_created_replaced_in_place_or_dropped_and_created_and_back() {
    let Some(db) = PgDatabase::create("functions") else {
        return;
    };
    let mut client = db.client();
    // Texts as pg_get_functiondef gives them, so the server's own output must match.
    let v1 = function(
        "score integer",
        "CREATE OR REPLACE FUNCTION public.grade(score integer)\n RETURNS integer\n LANGUAGE sql\n IMMUTABLE\nAS $function$SELECT score / 10$function$\n",
    );
    let v2 = function(
        "score integer",
        "CREATE OR REPLACE FUNCTION public.grade(score integer)\n RETURNS integer\n LANGUAGE sql\n IMMUTABLE\nAS $function$SELECT score / 20$function$\n",
    );
    let v3 = function(
        "score integer",
        "CREATE OR REPLACE FUNCTION public.grade(score integer DEFAULT 50)\n RETURNS text\n LANGUAGE sql\n IMMUTABLE\nAS $function$SELECT (score / 10)::text$function$\n",
    );
    run(&mut client, &[Op::CreateFunction(v1.clone())]).expect("create");
    assert_eq!(
        function_definition(&mut client, "grade(integer)"),
        v1.definition
    );
    for (from, to) in [(&v1, &v2), (&v2, &v3)] {
        let replace = vec![Op::ReplaceFunction {
            from: from.clone(),
            to: to.clone(),
        }];
        run(&mut client, &replace).expect("replace");
        assert_eq!(
            function_definition(&mut client, "grade(integer)"),
            to.definition
        );
        run(&mut client, &inverse(&replace)).expect("replace back");
        assert_eq!(
            function_definition(&mut client, "grade(integer)"),
            from.definition
        );
        run(&mut client, &replace).expect("replace again");
    }
    run(&mut client, &[Op::DropFunction(v3)]).expect("drop");

    // Functions calling one another are created in name order: the body check waits.
    let caller = Function {
        name: "a_caller".into(),
        arguments: String::new(),
        definition: "CREATE OR REPLACE FUNCTION public.a_caller()\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT b_callee() + 1$function$\n".into(),
        ..v1.clone()
    };
    let callee = Function {
        name: "b_callee".into(),
        arguments: String::new(),
        definition: "CREATE OR REPLACE FUNCTION public.b_callee()\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT 41$function$\n".into(),
        ..v1.clone()
    };
    let both = [Op::CreateFunction(caller), Op::CreateFunction(callee)];
    run(&mut client, &both).expect("create in name order");
    let answer: i32 = client.query_one("SELECT a_caller()", &[]).unwrap().get(0);
    assert_eq!(answer, 42);
    let check: String = client
        .query_one("SHOW check_function_bodies", &[])
        .unwrap()
        .get(0);
    assert_eq!(check, "on", "the setting ended with the transaction");
    run(&mut client, &inverse(&both)).expect("drop both");
    let left: i64 = client
        .query_one("SELECT count(*) FROM pg_proc WHERE proname = 'grade'", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}

#[test]
fn views_materialized_views_triggers_and_extensions_and_back() {
    let Some(db) = PgDatabase::create("views triggers") else {
        return;
    };
    let mut client = db.client();
    client
        .batch_execute(
            "CREATE TABLE public.\"Users\" (id int, name text, updated_at timestamptz);
             INSERT INTO public.\"Users\" VALUES (1, 'a', NULL), (2, 'b', NULL);
             CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS
               $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;",
        )
        .unwrap();
    let definition =
        " SELECT \"Users\".id,\n    \"Users\".name\n   FROM \"Users\"\n  WHERE (\"Users\".id > 1);";
    let view = View {
        namespace: "public".into(),
        name: "some \"users\"".into(),
        definition: definition.into(),
        depends_on: vec![key("public", "Users")],
        indexes: Default::default(),
        ext: ViewExt::default(),
    };
    let materialized = View {
        name: "user_count".into(),
        definition: " SELECT count(*) AS count\n   FROM \"Users\";".into(),
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
        name: "users touch".into(),
        table: "Users".into(),
        definition: "CREATE TRIGGER \"users touch\" BEFORE UPDATE ON public.\"Users\" FOR EACH ROW EXECUTE FUNCTION touch()".into(),
    };
    let extension = Extension {
        name: "citext".into(),
        namespace: "public".into(),
    };
    let up = vec![
        Op::CreateExtension(extension),
        Op::CreateView(view),
        Op::CreateView(materialized),
        Op::CreateTrigger(trigger.clone()),
    ];
    run(&mut client, &up).expect("upgrade");
    let views: Vec<(String, String)> = client
        .query(
            "SELECT viewname::text, definition FROM pg_views WHERE schemaname = 'public' \
             UNION ALL SELECT matviewname::text || (CASE WHEN ispopulated THEN ' populated' ELSE '' END), definition \
             FROM pg_matviews ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(
        views,
        [
            ("some \"users\"".to_string(), definition.to_string()),
            (
                "user_count populated".to_string(),
                " SELECT count(*) AS count\n   FROM \"Users\";".to_string()
            ),
        ]
    );
    let count: i64 = client
        .query_one("SELECT count FROM public.user_count", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 2);
    let triggers: Vec<String> = client
        .query(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(triggers, [trigger.definition]);
    client
        .batch_execute("UPDATE public.\"Users\" SET name = 'c' WHERE id = 1")
        .unwrap();
    let touched: i64 = client
        .query_one(
            "SELECT count(*) FROM public.\"Users\" WHERE updated_at IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(touched, 1, "the trigger runs");
    let extensions: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_extension WHERE extname = 'citext'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(extensions, 1);

    run(&mut client, &inverse(&up)).expect("downgrade");
    let left: i64 = client
        .query_one(
            "SELECT (SELECT count(*) FROM pg_views WHERE schemaname = 'public') \
                  + (SELECT count(*) FROM pg_matviews) \
                  + (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal) \
                  + (SELECT count(*) FROM pg_extension WHERE extname = 'citext')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}

#[test]
fn a_view_reading_a_swapped_column_is_dropped_before_and_created_after() {
    let Some((_db, mut client)) = enum_database("enum view", &["sad", "ok", "happy"]) else {
        return;
    };
    let view = View {
        namespace: "public".into(),
        name: "moods".into(),
        definition: " SELECT people.id,\n    people.now\n   FROM people;".into(),
        depends_on: vec![key("public", "people")],
        indexes: Default::default(),
        ext: ViewExt::default(),
    };
    run(&mut client, &[Op::CreateView(view.clone())]).expect("view");
    let swap = Op::AlterEnum {
        from: mood(&["sad", "ok", "happy"]),
        to: mood(&["ok", "happy"]),
        uses: people_uses(&mut client),
    };
    // PostgreSQL's refusal with the view in place: why the differ moves it away.
    let error = run(&mut client, std::slice::from_ref(&swap)).expect_err("a view reads it");
    assert!(
        error
            .as_db_error()
            .is_some_and(|e| e.message().contains("used by a view or rule")),
        "{error:?}"
    );
    let up = vec![
        Op::DropView(view.clone()),
        swap,
        Op::CreateView(view.clone()),
    ];
    run(&mut client, &up).expect("upgrade");
    assert_eq!(labels(&mut client), ["ok", "happy"]);
    let definition: String = client
        .query_one(
            "SELECT definition FROM pg_views WHERE viewname = 'moods'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(definition, view.definition);
    run(&mut client, &inverse(&up)).expect("downgrade");
    assert_eq!(labels(&mut client), ["sad", "ok", "happy"]);
}

#[test]
fn autogenerate_marks_a_revision_using_a_label_it_adds_as_outside_a_transaction() {
    use migrate::autogen::{self, Comparison};
    let view = View {
        namespace: "public".into(),
        name: "cheerful".into(),
        definition: " SELECT people.id\n   FROM people\n  WHERE people.now = 'happy'::mood;".into(),
        depends_on: vec![key("public", "people")],
        indexes: Default::default(),
        ext: ViewExt::default(),
    };
    let add = Op::AlterEnum {
        from: mood(&["sad", "ok"]),
        to: mood(&["sad", "ok", "happy"]),
        uses: Vec::new(),
    };
    let comparison = |ops: Vec<Op>| Comparison {
        ops,
        unmanaged: Vec::new(),
    };
    let dialect = dialect();
    let using = comparison(vec![add.clone(), Op::CreateView(view)]);
    assert!(!autogen::transactional(&*dialect, &using).unwrap());
    let (upgrade, _) = autogen::render(&*dialect, &using).unwrap();
    assert!(upgrade.starts_with("-- NOTE: this revision uses the new enum label(s) 'happy'"));
    assert!(autogen::transactional(&*dialect, &comparison(vec![add])).unwrap());
}

/// The definitions of `public.people`'s checks and indexes, as the catalogs print them.
fn people_constraints(client: &mut postgres::Client) -> Vec<(String, String)> {
    client
        .query(
            "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE conrelid = 'public.people'::regclass AND contype = 'c' \
             UNION ALL SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) \
             FROM pg_index WHERE indrelid = 'public.people'::regclass ORDER BY 1",
            &[],
        )
        .expect("constraints")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

#[test]
fn a_swap_moves_checks_and_partial_indexes_naming_labels_around_the_conversion() {
    let Some((_db, mut client)) = enum_database("enum checks", &["sad", "ok", "happy"]) else {
        return;
    };
    client
        .batch_execute(
            "ALTER TABLE public.people ADD CONSTRAINT \"not ok\" CHECK (now <> 'ok' OR id > 0);
             CREATE INDEX happy_people ON public.people (id) WHERE now = 'happy';",
        )
        .unwrap();
    let before = people_constraints(&mut client);
    let bare = people_uses(&mut client);
    let from = mood(&["sad", "ok", "happy"]);
    let to = mood(&["happy", "ok"]);
    let swap = |uses: Vec<EnumUse>| Op::AlterEnum {
        from: from.clone(),
        to: to.clone(),
        uses,
    };
    // PostgreSQL's refusal when they stay: they would compare the new type with the old.
    let error = run(&mut client, &[swap(bare.clone())]).expect_err("a check names a label");
    assert!(
        error
            .as_db_error()
            .is_some_and(|e| e.message().contains("operator does not exist")),
        "{error:?}"
    );
    let definition = |name: &str| {
        before
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d.clone())
            .expect("in the catalog")
    };
    let checks = vec![migrate::schema::Check {
        name: Some("not ok".into()),
        expression: definition("not ok")
            .strip_prefix("CHECK ")
            .expect("a check")
            .to_string(),
        ..Default::default()
    }];
    let indexes = vec![migrate::schema::Index {
        namespace: "public".into(),
        name: "happy_people".into(),
        table: "people".into(),
        definition: Some(definition("happy_people")),
        ..Default::default()
    }];
    let uses: Vec<EnumUse> = bare
        .into_iter()
        .map(|u| EnumUse {
            checks: checks.clone(),
            indexes: indexes.clone(),
            ..u
        })
        .collect();
    let rows = people(&mut client);
    run(&mut client, &[swap(uses)]).expect("swap");
    assert_eq!(labels(&mut client), ["happy", "ok"]);
    assert_eq!(people_constraints(&mut client), before);
    assert_eq!(people(&mut client), rows);
}
