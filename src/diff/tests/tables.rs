//! One table in both schemas: every column, key and option change, and their order.

use super::*;
use crate::diff::ColumnDelta;
use crate::schema::{Generated, RefAction};

#[test]
fn same_schema_gives_no_ops() {
    let mut users = with_index(table("users", &["id", "email"]), "ix_email", &["email"]);
    users.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec!["id".into()],
        ..Default::default()
    });
    let s = schema(
        vec![
            users,
            with_fk(table("orders", &["id", "user_id"]), "user_id", "users"),
        ],
        vec![view("v", "SELECT * FROM users", &["users"])],
        vec![trigger("t", "users", "CREATE TRIGGER t ...")],
    );
    assert!(diff(&s, &s, &Rebuilding).is_empty());
    assert!(diff(&Schema::default(), &Schema::default(), &InPlace).is_empty());
}

#[test]
fn equivalent_texts_give_no_ops() {
    // Texts that differ only in what the dialect normalizes away.
    let mut a = table("t", &["id"]);
    a.columns[0].type_text = "varchar(10)".into();
    a.columns[0].default = Some("'a  b'".into());
    a.columns[0].collation = Some("NOCASE".into());
    a.checks.push(Check {
        expression: "id  >  0".into(),
        name: None,
        ext: Default::default(),
    });
    let mut ix = index("t", "ix", &[]);
    ix.parts.push(IndexPart {
        key: IndexKey::Expression("lower( id )".into()),
        descending: false,
        collation: None,
    });
    ix.predicate = Some("id > 0".into());
    a.indexes.insert("ix".into(), ix);
    let mut b = a.clone();
    b.columns[0].type_text = "VARCHAR(10)".into();
    b.columns[0].default = Some(" 'a  b' ".into());
    b.columns[0].collation = Some("nocase".into());
    b.checks[0].expression = "id > 0".into();
    let ix = b.indexes.get_mut("ix").unwrap();
    ix.parts[0].key = IndexKey::Expression("lower(  id )".into());
    ix.predicate = Some("id   >\n0".into());
    let from = schema(vec![a], vec![view("v", "SELECT  1", &[])], vec![]);
    let to = schema(vec![b], vec![view("v", "SELECT 1\n", &[])], vec![]);
    check("normalized", &from, &to, &Rebuilding, &[]);
    // But a default inside quotes is a value, not spacing.
    let mut c = to.clone();
    c.tables.get_mut("t").unwrap().columns[0].default = Some("'a b'".into());
    check(
        "quoted",
        &from,
        &c,
        &InPlace,
        &["alter table t: alter column id"],
    );
}

#[test]
fn created_tables_come_referenced_first_with_their_indexes() {
    let users = with_index(table("users", &["id"]), "ix_users", &["id"]);
    let orders = with_fk(table("orders", &["id", "user_id"]), "user_id", "users");
    let items = with_fk(table("items", &["id", "order_id"]), "order_id", "orders");
    let to = tables(vec![users.clone(), orders.clone(), items.clone()]);
    check(
        "chain",
        &Schema::default(),
        &to,
        &InPlace,
        &[
            "create table users",
            "create index ix_users",
            "create table orders",
            // Keys stay in CREATE TABLE: each references a table created before it.
            "create table items",
        ],
    );
    check(
        "chain, foreign keys inside the tables",
        &Schema::default(),
        &to,
        &Rebuilding,
        &[
            "create table users",
            "create index ix_users",
            "create table orders",
            "create table items",
        ],
    );
    check(
        "chain dropped",
        &to,
        &Schema::default(),
        &InPlace,
        &[
            // The exact inverse of the creation, referencing tables first.
            "drop table items",
            "drop table orders",
            "drop index ix_users",
            "drop table users",
        ],
    );

    // A cycle is broken at the smallest name; a self reference is ignored.
    let a = with_fk(table("a", &["id", "b_id"]), "b_id", "b");
    let b = with_fk(table("b", &["id", "a_id"]), "a_id", "a");
    let c = with_fk(with_fk(table("c", &["id", "p"]), "p", "c"), "id", "b");
    let cyclic = tables(vec![c, b, a]);
    check(
        "cycle",
        &Schema::default(),
        &cyclic,
        &Rebuilding,
        &["create table a", "create table b", "create table c"],
    );
    check(
        "cycle dropped",
        &cyclic,
        &Schema::default(),
        &Rebuilding,
        &["drop table a", "drop table c", "drop table b"],
    );
    // Where keys are added in place, a cycle is no problem: the keys to a table created
    // later, and self references, come last.
    check(
        "cycle, keys last",
        &Schema::default(),
        &cyclic,
        &InPlace,
        &[
            "create table a",
            "create table b",
            "create table c",
            "alter table a: add fk -(b_id)->b",
            "alter table c: add fk -(p)->c",
        ],
    );
    let ops = diff(&Schema::default(), &cyclic, &InPlace);
    let Op::CreateTable(b) = &ops[1] else {
        panic!("{ops:?}");
    };
    assert_eq!(
        b.foreign_keys.len(),
        1,
        "b's key to a, created before it, stays"
    );
}

#[test]
fn dropped_tables_drop_their_triggers_and_indexes_first() {
    let from = schema(
        vec![with_index(table("logs", &["id", "at"]), "ix_at", &["at"])],
        vec![view("recent", "SELECT * FROM logs", &["logs"])],
        vec![trigger("tr_logs", "logs", "CREATE TRIGGER tr_logs ...")],
    );
    check(
        "drop",
        &from,
        &Schema::default(),
        &InPlace,
        &[
            "drop trigger tr_logs",
            "drop view recent",
            "drop index ix_at",
            "drop table logs",
        ],
    );
    check(
        "create",
        &Schema::default(),
        &from,
        &InPlace,
        &[
            "create table logs",
            "create index ix_at",
            "create view recent",
            "create trigger tr_logs",
        ],
    );
}

#[test]
fn every_column_attribute_is_an_alter() {
    let base = col("c", "INTEGER");
    let edits: Vec<(&str, Column)> = vec![
        (
            "type",
            Column {
                type_text: "TEXT".into(),
                ..base.clone()
            },
        ),
        (
            "nullable",
            Column {
                nullable: false,
                ..base.clone()
            },
        ),
        (
            "default",
            Column {
                default: Some("0".into()),
                ..base.clone()
            },
        ),
        (
            "auto_increment",
            Column {
                auto_increment: true,
                ..base.clone()
            },
        ),
        (
            "collation",
            Column {
                collation: Some("binary".into()),
                ..base.clone()
            },
        ),
        (
            "generated",
            Column {
                generated: Some(Generated {
                    expression: "1".into(),
                    stored: false,
                }),
                ..base.clone()
            },
        ),
        (
            "on_update",
            Column {
                on_update: Some("CURRENT_TIMESTAMP".into()),
                ..base.clone()
            },
        ),
        (
            "comment",
            Column {
                comment: Some("note".into()),
                ..base.clone()
            },
        ),
    ];
    for (name, edited) in edits {
        let mut a = table("t", &["id"]);
        a.columns.push(base.clone());
        let mut b = table("t", &["id"]);
        b.columns.push(edited.clone());
        let ops = diff(&tables(vec![a.clone()]), &tables(vec![b.clone()]), &InPlace);
        assert_eq!(
            ops,
            vec![Op::AlterTable {
                from: a,
                to: b,
                changes: vec![TableChange::AlterColumn {
                    from: base.clone(),
                    to: edited.clone(),
                    delta: ColumnDelta::between(&base, &edited, &InPlace),
                }],
            }],
            "{name}"
        );
        // Exactly the edited part, and the description names it.
        let delta = ColumnDelta::between(&base, &edited, &InPlace);
        assert_eq!(delta.parts().len(), 1, "{name}");
        let text = crate::diff::describe(&ops[0]);
        assert!(
            text.ends_with(&format!("({})", delta.parts()[0].label())),
            "{text}"
        );
    }
    // Stored versus virtual is a change of the generated column.
    let g = |stored| Column {
        generated: Some(Generated {
            expression: "id + 1".into(),
            stored,
        }),
        ..col("g", "INTEGER")
    };
    let mut a = table("t", &["id"]);
    a.columns.push(g(false));
    let mut b = table("t", &["id"]);
    b.columns.push(g(true));
    check(
        "stored",
        &tables(vec![a]),
        &tables(vec![b]),
        &InPlace,
        &["alter table t: alter column g"],
    );
}

#[test]
fn columns_added_dropped_and_reordered() {
    let cases: &[(&str, &[&str], &[&str], &str)] = &[
        ("append", &["a", "b"], &["a", "b", "c"], "add column c"),
        (
            "drop middle",
            &["a", "b", "c"],
            &["a", "c"],
            // The downgrade re-adds b, which only appending would put last.
            "drop column b; reorder a,b,c -> a,c",
        ),
        (
            "insert in the middle",
            &["a", "b"],
            &["a", "c", "b"],
            "add column c; reorder a,b -> a,c,b",
        ),
        ("swap", &["a", "b"], &["b", "a"], "reorder a,b -> b,a"),
        (
            "drop and swap",
            &["a", "b", "c"],
            &["c", "a"],
            "drop column b; reorder a,b,c -> c,a",
        ),
        (
            "drop, add, alter",
            &["a", "b"],
            &["b", "x"],
            "drop column a; alter column b; add column x; reorder a,b -> b,x",
        ),
    ];
    for (name, before, after, want) in cases {
        let a = table("t", before);
        let mut b = table("t", after);
        if *name == "drop, add, alter" {
            b.columns[0].nullable = false;
        }
        check(
            name,
            &tables(vec![a]),
            &tables(vec![b]),
            &InPlace,
            &[&format!("alter table t: {want}")],
        );
    }
}

#[test]
fn primary_keys() {
    let pk = |name: Option<&str>, columns: &[&str]| {
        Some(PrimaryKey {
            name: name.map(Into::into),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ..Default::default()
        })
    };
    type Pk = Option<PrimaryKey>;
    let cases: Vec<(&str, Pk, Pk, &str)> = vec![
        ("add", None, pk(None, &["a"]), "pk - -> -(a)"),
        ("drop", pk(None, &["a"]), None, "pk -(a) -> -"),
        (
            "columns",
            pk(None, &["a"]),
            pk(None, &["a", "b"]),
            "pk -(a) -> -; pk - -> -(a,b)",
        ),
        (
            "name",
            pk(None, &["a"]),
            pk(Some("t_pk"), &["a"]),
            "pk -(a) -> -; pk - -> t_pk(a)",
        ),
        (
            "same",
            pk(Some("p"), &["a", "b"]),
            pk(Some("p"), &["a", "b"]),
            "",
        ),
    ];
    for (name, before, after, want) in cases {
        let mut a = table("t", &["a", "b"]);
        a.primary_key = before;
        let mut b = table("t", &["a", "b"]);
        b.primary_key = after;
        let want = format!("alter table t: {want}");
        let want: &[&str] = if name == "same" { &[] } else { &[&want] };
        check(name, &tables(vec![a]), &tables(vec![b]), &InPlace, want);
    }
}

#[test]
fn constraints_match_by_definition_and_name() {
    struct Case {
        name: &'static str,
        before: fn(&mut Table),
        after: fn(&mut Table),
        want: &'static str,
    }
    let cases = [
        Case {
            name: "add unique",
            before: |_| {},
            after: |t| {
                t.uniques.push(Unique {
                    name: None,
                    columns: vec!["a".into()],
                    ..Default::default()
                })
            },
            want: "add unique -(a)",
        },
        Case {
            name: "drop unique",
            before: |t| {
                t.uniques.push(Unique {
                    name: Some("u".into()),
                    columns: vec!["a".into()],
                    ..Default::default()
                })
            },
            after: |_| {},
            want: "drop unique u(a)",
        },
        Case {
            name: "rename unique",
            before: |t| {
                t.uniques.push(Unique {
                    name: Some("u".into()),
                    columns: vec!["a".into()],
                    ..Default::default()
                })
            },
            after: |t| {
                t.uniques.push(Unique {
                    name: Some("v".into()),
                    columns: vec!["a".into()],
                    ..Default::default()
                })
            },
            want: "drop unique u(a); add unique v(a)",
        },
        Case {
            name: "name an unnamed unique",
            before: |t| {
                t.uniques.push(Unique {
                    name: None,
                    columns: vec!["a".into()],
                    ..Default::default()
                })
            },
            after: |t| {
                t.uniques.push(Unique {
                    name: Some("u".into()),
                    columns: vec!["a".into()],
                    ..Default::default()
                })
            },
            want: "drop unique -(a); add unique u(a)",
        },
        Case {
            name: "unique columns",
            before: |t| {
                t.uniques.push(Unique {
                    name: None,
                    columns: vec!["a".into()],
                    ..Default::default()
                })
            },
            after: |t| {
                t.uniques.push(Unique {
                    name: None,
                    columns: vec!["a".into(), "b".into()],
                    ..Default::default()
                })
            },
            want: "drop unique -(a); add unique -(a,b)",
        },
        Case {
            name: "add fk",
            before: |_| {},
            after: |t| t.foreign_keys.push(fk(&["a"], "t", Some("f"))),
            want: "add fk f(a)->t",
        },
        Case {
            name: "fk on delete",
            before: |t| t.foreign_keys.push(fk(&["a"], "t", None)),
            after: |t| {
                t.foreign_keys.push(ForeignKey {
                    on_delete: RefAction::Cascade,
                    ..fk(&["a"], "t", None)
                })
            },
            want: "drop fk -(a)->t; add fk -(a)->t",
        },
        Case {
            name: "fk rename",
            before: |t| t.foreign_keys.push(fk(&["a"], "t", Some("f"))),
            after: |t| t.foreign_keys.push(fk(&["a"], "t", None)),
            want: "drop fk f(a)->t; add fk -(a)->t",
        },
        Case {
            name: "check",
            before: |t| {
                t.checks.push(Check {
                    name: None,
                    expression: "a > 0".into(),
                    ext: Default::default(),
                })
            },
            after: |t| {
                t.checks.push(Check {
                    name: None,
                    expression: "a > 1".into(),
                    ext: Default::default(),
                })
            },
            want: "drop check -(a > 0); add check -(a > 1)",
        },
        Case {
            name: "check rename",
            before: |t| {
                t.checks.push(Check {
                    name: Some("c".into()),
                    expression: "a > 0".into(),
                    ext: Default::default(),
                })
            },
            after: |t| {
                t.checks.push(Check {
                    name: Some("d".into()),
                    expression: "a  > 0".into(),
                    ext: Default::default(),
                })
            },
            want: "drop check c(a > 0); add check d(a  > 0)",
        },
        Case {
            name: "duplicates count",
            before: |t| {
                t.checks.push(Check {
                    name: None,
                    expression: "a > 0".into(),
                    ext: Default::default(),
                })
            },
            after: |t| {
                t.checks.push(Check {
                    name: None,
                    expression: "a > 0".into(),
                    ext: Default::default(),
                });
                t.checks.push(Check {
                    name: None,
                    expression: "a > 0".into(),
                    ext: Default::default(),
                });
            },
            want: "add check -(a > 0)",
        },
        Case {
            name: "options",
            before: |_| {},
            after: |t| {
                t.ext.sqlite = crate::schema::ext::SqliteTable {
                    without_rowid: false,
                    strict: true,
                }
            },
            want: "options",
        },
        Case {
            name: "comment",
            before: |t| t.comment = Some("x".into()),
            after: |_| {},
            want: "options",
        },
    ];
    for case in cases {
        let mut a = table("t", &["id", "a", "b"]);
        (case.before)(&mut a);
        let mut b = table("t", &["id", "a", "b"]);
        (case.after)(&mut b);
        let want = format!("alter table t: {}", case.want);
        // Rebuilding keeps foreign keys among the table's changes (see `phases.rs`).
        check(
            case.name,
            &tables(vec![a]),
            &tables(vec![b]),
            &Rebuilding,
            &[&want],
        );
    }
}

#[test]
fn changes_inside_a_table_follow_the_documented_order() {
    let mut a = table("t", &["id", "old", "kept", "x"]);
    a.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec!["id".into()],
        ..Default::default()
    });
    a.checks.push(Check {
        name: None,
        expression: "old > 0".into(),
        ext: Default::default(),
    });
    a.foreign_keys.push(fk(&["old"], "t", None));
    a.uniques.push(Unique {
        name: None,
        columns: vec!["old".into()],
        ..Default::default()
    });
    let mut b = table("t", &["id", "new", "x", "kept"]);
    b.columns[3].type_text = "TEXT".into();
    b.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec!["id".into(), "new".into()],
        ..Default::default()
    });
    b.checks.push(Check {
        name: None,
        expression: "new > 0".into(),
        ext: Default::default(),
    });
    b.foreign_keys.push(fk(&["new"], "t", None));
    b.uniques.push(Unique {
        name: None,
        columns: vec!["new".into()],
        ..Default::default()
    });
    b.comment = Some("c".into());
    let want = [
        "drop check -(old > 0)",
        "drop fk -(old)->t",
        "drop unique -(old)",
        "pk -(id) -> -",
        "drop column old",
        "alter column kept",
        "add column new",
        "reorder id,old,kept,x -> id,new,x,kept",
        "pk - -> -(id,new)",
        "add unique -(new)",
        "add fk -(new)->t",
        "add check -(new > 0)",
        "options",
    ];
    let want = format!("alter table t: {}", want.join("; "));
    // Foreign keys among the table's changes: a dialect that cannot alter them in place
    // (with one that can, they move to the first and last phases: see `phases.rs`).
    check(
        "all",
        &tables(vec![a]),
        &tables(vec![b]),
        &Rebuilding,
        &[&want],
    );
}

#[test]
fn reorder_inverts_by_swapping_and_loses_no_data() {
    let change = TableChange::ReorderColumns {
        from: vec!["a".into(), "b".into()],
        to: vec!["b".into(), "a".into()],
    };
    assert_eq!(
        change.invert(),
        TableChange::ReorderColumns {
            from: vec!["b".into(), "a".into()],
            to: vec!["a".into(), "b".into()],
        }
    );
    assert_eq!(change.invert().invert(), change);
    let (from, to) = (table("t", &["a", "b"]), table("t", &["b", "a"]));
    assert_eq!(change.data_loss(&from, &to, &Rebuilding), None);
    let op = Op::AlterTable {
        from,
        to,
        changes: vec![change],
    };
    assert_eq!(op.data_loss(&Rebuilding), None);
    assert_eq!(op.invert().invert(), op);
}

#[test]
fn a_type_spelled_another_way_plus_a_default_is_a_default_change() {
    let mut a = table("t", &["id"]);
    a.columns[0].type_text = "VARCHAR(10)".into();
    let mut b = a.clone();
    b.columns[0].type_text = "varchar(10)".into();
    b.columns[0].default = Some("'x'".into());
    let ops = diff(&tables(vec![a]), &tables(vec![b]), &Rebuilding);
    let [Op::AlterTable { changes, .. }] = ops.as_slice() else {
        panic!("one alteration: {ops:?}");
    };
    let [TableChange::AlterColumn { delta, .. }] = changes.as_slice() else {
        panic!("one column change: {changes:?}");
    };
    assert_eq!(delta, &ColumnDelta::of(&[crate::diff::ColumnPart::Default]));
    // No type-change warning either way, and the description names the default only.
    assert_eq!(ops[0].data_loss(&Rebuilding), None);
    assert_eq!(ops[0].invert().data_loss(&Rebuilding), None);
    assert_eq!(
        crate::diff::describe(&ops[0]),
        "alter table t: alter column t.id (default)"
    );
}
