//! The differ on literal schemas: every change kind, the order of ops and of changes,
//! rebuild bookkeeping, determinism. Ops are compared through one-line summaries.

use super::{diff, Op, TableChange};
use crate::dialect::{Caps, Dialect, Engine};
use crate::schema::{
    Check, Column, ForeignKey, Generated, Index, IndexKey, IndexPart, PrimaryKey, RefAction,
    Schema, Table, TableOptions, Trigger, Unique, View,
};
use crate::sql::lex::LexOptions;

mod props;

/// A dialect whose `ALTER TABLE` can do everything (the trait's default).
pub(super) struct InPlace;

/// A SQLite-like dialect: adding a nullable (or defaulted) column, dropping a column,
/// uniques, checks and options are in place; everything else rebuilds the table.
pub(super) struct Rebuilding;

macro_rules! test_dialect {
    ($name:ident $($body:tt)*) => {
        impl Dialect for $name {
            fn engine(&self) -> Engine {
                Engine::Sqlite
            }
            fn caps(&self) -> Caps {
                Caps {
                    transactional_ddl: true,
                }
            }
            fn lex_options(&self) -> LexOptions {
                LexOptions::SQLITE
            }
            fn serial_primary_key(&self, name: &str) -> String {
                format!("{name} INTEGER PRIMARY KEY")
            }
            fn now_text_expression(&self) -> &'static str {
                "now()"
            }
            fn render_op(&self, _op: &Op) -> anyhow::Result<Vec<String>> {
                Ok(vec![])
            }
            $($body)*
        }
    };
}

test_dialect!(InPlace);
test_dialect!(Rebuilding
    fn alter_in_place(&self, _table: &Table, change: &TableChange) -> bool {
        match change {
            TableChange::AddColumn(c) => c.nullable || c.default.is_some(),
            TableChange::DropColumn(_)
            | TableChange::AddUnique(_)
            | TableChange::DropUnique(_)
            | TableChange::AddCheck(_)
            | TableChange::DropCheck(_)
            | TableChange::SetOptions => true,
            TableChange::AlterColumn { .. }
            | TableChange::ReorderColumns { .. }
            | TableChange::SetPrimaryKey { .. }
            | TableChange::AddForeignKey(_)
            | TableChange::DropForeignKey(_) => false,
        }
    }
);

// ---- literal builders ----

pub(super) fn col(name: &str, type_text: &str) -> Column {
    Column {
        name: name.into(),
        type_text: type_text.into(),
        nullable: true,
        ..Column::default()
    }
}

fn table(name: &str, columns: &[&str]) -> Table {
    Table {
        name: name.into(),
        columns: columns.iter().map(|c| col(c, "INTEGER")).collect(),
        ..Table::default()
    }
}

fn with_index(mut t: Table, name: &str, columns: &[&str]) -> Table {
    let index = index(&t.name, name, columns);
    t.indexes.insert(name.into(), index);
    t
}

fn index(table: &str, name: &str, columns: &[&str]) -> Index {
    Index {
        name: name.into(),
        table: table.into(),
        unique: false,
        parts: columns
            .iter()
            .map(|c| IndexPart {
                key: IndexKey::Column(c.to_string()),
                descending: false,
                collation: None,
            })
            .collect(),
        predicate: None,
    }
}

fn fk(columns: &[&str], ref_table: &str, name: Option<&str>) -> ForeignKey {
    ForeignKey {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ref_table: ref_table.into(),
        ref_columns: vec!["id".into()],
        name: name.map(Into::into),
        ..ForeignKey::default()
    }
}

fn with_fk(mut t: Table, column: &str, ref_table: &str) -> Table {
    t.foreign_keys.push(fk(&[column], ref_table, None));
    t
}

fn view(name: &str, definition: &str, depends_on: &[&str]) -> View {
    View {
        name: name.into(),
        definition: definition.into(),
        depends_on: depends_on.iter().map(|d| d.to_string()).collect(),
    }
}

fn trigger(name: &str, table: &str, definition: &str) -> Trigger {
    Trigger {
        name: name.into(),
        table: table.into(),
        definition: definition.into(),
    }
}

fn schema(tables: Vec<Table>, views: Vec<View>, triggers: Vec<Trigger>) -> Schema {
    Schema {
        tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
        views: views.into_iter().map(|v| (v.name.clone(), v)).collect(),
        triggers: triggers.into_iter().map(|t| (t.name.clone(), t)).collect(),
        unmanaged: vec![],
    }
}

fn tables(tables: Vec<Table>) -> Schema {
    schema(tables, vec![], vec![])
}

// ---- summaries ----

fn names(list: &[String]) -> String {
    list.join(",")
}

fn opt<T>(value: &Option<T>, show: impl Fn(&T) -> String) -> String {
    value.as_ref().map_or("-".into(), show)
}

fn change_summary(change: &TableChange) -> String {
    let pk = |k: &PrimaryKey| format!("{}({})", opt(&k.name, Clone::clone), names(&k.columns));
    let unique = |u: &Unique| format!("{}({})", opt(&u.name, Clone::clone), names(&u.columns));
    let fk = |f: &ForeignKey| {
        let name = opt(&f.name, Clone::clone);
        format!("{name}({})->{}", names(&f.columns), f.ref_table)
    };
    let check = |c: &Check| format!("{}({})", opt(&c.name, Clone::clone), c.expression);
    match change {
        TableChange::AddColumn(c) => format!("add column {}", c.name),
        TableChange::DropColumn(c) => format!("drop column {}", c.name),
        TableChange::AlterColumn { from, to } => {
            assert_eq!(from.name, to.name, "alter keeps the name");
            format!("alter column {}", to.name)
        }
        TableChange::SetPrimaryKey { from, to } => {
            format!("pk {} -> {}", opt(from, pk), opt(to, pk))
        }
        TableChange::AddUnique(u) => format!("add unique {}", unique(u)),
        TableChange::DropUnique(u) => format!("drop unique {}", unique(u)),
        TableChange::AddForeignKey(f) => format!("add fk {}", fk(f)),
        TableChange::DropForeignKey(f) => format!("drop fk {}", fk(f)),
        TableChange::AddCheck(c) => format!("add check {}", check(c)),
        TableChange::DropCheck(c) => format!("drop check {}", check(c)),
        TableChange::ReorderColumns { from, to } => {
            format!("reorder {} -> {}", names(from), names(to))
        }
        TableChange::SetOptions => "options".into(),
    }
}

pub(super) fn summary(op: &Op) -> String {
    match op {
        Op::CreateTable(t) => format!("create table {}", t.name),
        Op::DropTable(t) => format!("drop table {}", t.name),
        Op::AlterTable { from, to, changes } => {
            assert_eq!(from.name, to.name, "alter keeps the table name");
            let changes: Vec<String> = changes.iter().map(change_summary).collect();
            format!("alter table {}: {}", to.name, changes.join("; "))
        }
        Op::CreateIndex(i) => format!("create index {}", i.name),
        Op::DropIndex(i) => format!("drop index {}", i.name),
        Op::CreateView(v) => format!("create view {}", v.name),
        Op::DropView(v) => format!("drop view {}", v.name),
        Op::CreateTrigger(t) => format!("create trigger {}", t.name),
        Op::DropTrigger(t) => format!("drop trigger {}", t.name),
    }
}

fn summaries(from: &Schema, to: &Schema, dialect: &dyn Dialect) -> Vec<String> {
    diff(from, to, dialect).iter().map(summary).collect()
}

/// Checks `diff(from, to)` against `want` (summaries), with both test dialects unless
/// `rebuild_only`, and checks that the inverse list is exact.
fn check(name: &str, from: &Schema, to: &Schema, dialect: &dyn Dialect, want: &[&str]) {
    let ops = diff(from, to, dialect);
    let got: Vec<String> = ops.iter().map(summary).collect();
    assert_eq!(got, want, "case {name}");
    let undo: Vec<Op> = ops.iter().rev().map(Op::invert).collect();
    let redo: Vec<Op> = undo.iter().rev().map(Op::invert).collect();
    assert_eq!(redo, ops, "case {name}: inverting twice");
    // Every op refers to the objects of the right side.
    for op in &ops {
        match op {
            Op::CreateTable(t) => assert_eq!(to.tables.get(&t.name), Some(t), "{name}"),
            Op::DropTable(t) => assert_eq!(from.tables.get(&t.name), Some(t), "{name}"),
            Op::AlterTable { from: f, to: t, .. } => {
                assert_eq!(from.tables.get(&f.name), Some(f), "{name}");
                assert_eq!(to.tables.get(&t.name), Some(t), "{name}");
            }
            _ => {}
        }
    }
}

// ---- tests ----

#[test]
fn same_schema_gives_no_ops() {
    let mut users = with_index(table("users", &["id", "email"]), "ix_email", &["email"]);
    users.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec!["id".into()],
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
            "create table orders",
            "create table items",
            "create index ix_users",
        ],
    );
    check(
        "chain dropped",
        &to,
        &Schema::default(),
        &InPlace,
        &[
            "drop index ix_users",
            "drop table items",
            "drop table orders",
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
        &InPlace,
        &["create table a", "create table b", "create table c"],
    );
    check(
        "cycle dropped",
        &cyclic,
        &Schema::default(),
        &InPlace,
        &["drop table c", "drop table b", "drop table a"],
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
                    to: edited
                }],
            }],
            "{name}"
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
            "drop column b",
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
            "drop column a; alter column b; add column x",
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
                })
            },
            after: |t| {
                t.uniques.push(Unique {
                    name: Some("v".into()),
                    columns: vec!["a".into()],
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
                })
            },
            after: |t| {
                t.uniques.push(Unique {
                    name: Some("u".into()),
                    columns: vec!["a".into()],
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
                })
            },
            after: |t| {
                t.uniques.push(Unique {
                    name: None,
                    columns: vec!["a".into(), "b".into()],
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
                })
            },
            after: |t| {
                t.checks.push(Check {
                    name: None,
                    expression: "a > 1".into(),
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
                })
            },
            after: |t| {
                t.checks.push(Check {
                    name: Some("d".into()),
                    expression: "a  > 0".into(),
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
                })
            },
            after: |t| {
                t.checks.push(Check {
                    name: None,
                    expression: "a > 0".into(),
                });
                t.checks.push(Check {
                    name: None,
                    expression: "a > 0".into(),
                });
            },
            want: "add check -(a > 0)",
        },
        Case {
            name: "options",
            before: |_| {},
            after: |t| {
                t.options = TableOptions {
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
        check(
            case.name,
            &tables(vec![a]),
            &tables(vec![b]),
            &InPlace,
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
    });
    a.checks.push(Check {
        name: None,
        expression: "old > 0".into(),
    });
    a.foreign_keys.push(fk(&["old"], "t", None));
    a.uniques.push(Unique {
        name: None,
        columns: vec!["old".into()],
    });
    let mut b = table("t", &["id", "new", "x", "kept"]);
    b.columns[3].type_text = "TEXT".into();
    b.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec!["id".into(), "new".into()],
    });
    b.checks.push(Check {
        name: None,
        expression: "new > 0".into(),
    });
    b.foreign_keys.push(fk(&["new"], "t", None));
    b.uniques.push(Unique {
        name: None,
        columns: vec!["new".into()],
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
    check(
        "all",
        &tables(vec![a]),
        &tables(vec![b]),
        &InPlace,
        &[&want],
    );
}

#[test]
fn index_changes_are_drop_and_create() {
    let t = table("t", &["a", "b"]);
    let from = tables(vec![with_index(
        with_index(t.clone(), "ix_a", &["a"]),
        "ix_same",
        &["b"],
    )]);
    let mut unique = from.clone();
    unique
        .tables
        .get_mut("t")
        .unwrap()
        .indexes
        .get_mut("ix_a")
        .unwrap()
        .unique = true;
    check(
        "unique",
        &from,
        &unique,
        &Rebuilding,
        &["drop index ix_a", "create index ix_a"],
    );
    let parts = tables(vec![with_index(
        with_index(t.clone(), "ix_a", &["a", "b"]),
        "ix_same",
        &["b"],
    )]);
    check(
        "parts",
        &from,
        &parts,
        &Rebuilding,
        &["drop index ix_a", "create index ix_a"],
    );
    let mut desc = from.clone();
    desc.tables
        .get_mut("t")
        .unwrap()
        .indexes
        .get_mut("ix_a")
        .unwrap()
        .parts[0]
        .descending = true;
    check(
        "descending",
        &from,
        &desc,
        &Rebuilding,
        &["drop index ix_a", "create index ix_a"],
    );
    let mut partial = from.clone();
    partial
        .tables
        .get_mut("t")
        .unwrap()
        .indexes
        .get_mut("ix_a")
        .unwrap()
        .predicate = Some("a > 0".into());
    check(
        "partial",
        &from,
        &partial,
        &Rebuilding,
        &["drop index ix_a", "create index ix_a"],
    );
    let renamed = tables(vec![with_index(
        with_index(t.clone(), "ix_a2", &["a"]),
        "ix_same",
        &["b"],
    )]);
    check(
        "renamed",
        &from,
        &renamed,
        &Rebuilding,
        &["drop index ix_a", "create index ix_a2"],
    );
    // Moved to another table: the table is part of the definition.
    let moved = tables(vec![
        with_index(t.clone(), "ix_same", &["b"]),
        with_index(table("u", &["a"]), "ix_a", &["a"]),
    ]);
    check(
        "moved",
        &from,
        &moved,
        &Rebuilding,
        &["drop index ix_a", "create table u", "create index ix_a"],
    );
    // In-place alteration keeps indexes; index drops come before, creates after.
    let mut added = parts.clone();
    added
        .tables
        .get_mut("t")
        .unwrap()
        .columns
        .push(col("c", "INTEGER"));
    check(
        "with alter",
        &from,
        &added,
        &Rebuilding,
        &[
            "drop index ix_a",
            "alter table t: add column c",
            "create index ix_a",
        ],
    );
}

#[test]
fn rebuilt_tables_drop_and_recreate_indexes_triggers_and_dependent_views() {
    let t = with_index(
        with_index(table("t", &["id", "a"]), "ix_a", &["a"]),
        "ix_id",
        &["id"],
    );
    let from = schema(
        vec![t.clone(), table("other", &["id"])],
        vec![
            view("v1", "SELECT a FROM t", &["t"]),
            view("v2", "SELECT * FROM v1", &["v1"]),
            view("v3", "SELECT * FROM other", &["other"]),
        ],
        vec![
            trigger("tr_t", "t", "CREATE TRIGGER tr_t ..."),
            trigger("tr_v2", "v2", "CREATE TRIGGER tr_v2 INSTEAD OF ..."),
            trigger("tr_other", "other", "CREATE TRIGGER tr_other ..."),
        ],
    );
    // Altering a column type is not in place for `Rebuilding`.
    let mut to = from.clone();
    to.tables.get_mut("t").unwrap().columns[1].type_text = "TEXT".into();
    check(
        "rebuild",
        &from,
        &to,
        &Rebuilding,
        &[
            "drop trigger tr_t",
            "drop trigger tr_v2",
            "drop view v2",
            "drop view v1",
            "drop index ix_a",
            "drop index ix_id",
            "alter table t: alter column a",
            "create index ix_a",
            "create index ix_id",
            "create view v1",
            "create view v2",
            "create trigger tr_t",
            "create trigger tr_v2",
        ],
    );
    // In place: indexes and triggers stay; views reading a reshaped table are re-created.
    check(
        "in place",
        &from,
        &to,
        &InPlace,
        &[
            "drop trigger tr_v2",
            "drop view v2",
            "drop view v1",
            "alter table t: alter column a",
            "create view v1",
            "create view v2",
            "create trigger tr_v2",
        ],
    );
    // Adding a nullable column is in place and disturbs nothing.
    let mut add = from.clone();
    add.tables
        .get_mut("t")
        .unwrap()
        .columns
        .push(col("b", "TEXT"));
    check(
        "append",
        &from,
        &add,
        &Rebuilding,
        &["alter table t: add column b"],
    );

    // A rebuild that also changes an index, a view and a trigger: each once.
    let mut busy = to.clone();
    let t2 = busy.tables.get_mut("t").unwrap();
    t2.indexes.get_mut("ix_a").unwrap().unique = true;
    t2.indexes.remove("ix_id");
    busy.views.get_mut("v1").unwrap().definition = "SELECT a, id FROM t".into();
    busy.triggers.get_mut("tr_t").unwrap().definition = "CREATE TRIGGER tr_t AFTER ...".into();
    let got = summaries(&from, &busy, &Rebuilding);
    assert_eq!(
        got,
        [
            "drop trigger tr_t",
            "drop trigger tr_v2",
            "drop view v2",
            "drop view v1",
            "drop index ix_a",
            "drop index ix_id",
            "alter table t: alter column a",
            "create index ix_a",
            "create view v1",
            "create view v2",
            "create trigger tr_t",
            "create trigger tr_v2",
        ]
    );
    let ops = diff(&from, &busy, &Rebuilding);
    assert!(ops.contains(&Op::CreateTrigger(busy.triggers["tr_t"].clone())));
    assert!(ops.contains(&Op::DropTrigger(from.triggers["tr_t"].clone())));
}

#[test]
fn rebuild_needed_only_by_the_downgrade_counts() {
    // Dropping a NOT NULL column without default is in place, but its inverse (adding it
    // back) is not: the downgrade rebuilds, so the indexes must be handled both ways.
    let mut a = with_index(table("t", &["id", "n"]), "ix_id", &["id"]);
    a.columns[1].nullable = false;
    let b = with_index(table("t", &["id"]), "ix_id", &["id"]);
    check(
        "drop not null",
        &tables(vec![a.clone()]),
        &tables(vec![b.clone()]),
        &Rebuilding,
        &[
            "drop index ix_id",
            "alter table t: drop column n",
            "create index ix_id",
        ],
    );
    check(
        "add not null",
        &tables(vec![b]),
        &tables(vec![a]),
        &Rebuilding,
        &[
            "drop index ix_id",
            "alter table t: add column n",
            "create index ix_id",
        ],
    );
}

#[test]
fn views_are_recreated_with_their_dependents() {
    let base = vec![table("t", &["id"])];
    let from = schema(
        base.clone(),
        vec![
            view("a", "SELECT id FROM t", &["t"]),
            view("b", "SELECT * FROM a", &["a"]),
            view("c", "SELECT * FROM b, t", &["b", "t"]),
            view("z", "SELECT 1", &[]),
        ],
        vec![],
    );
    let mut changed = from.clone();
    changed.views.get_mut("a").unwrap().definition = "SELECT id + 1 AS id FROM t".into();
    check(
        "changed",
        &from,
        &changed,
        &InPlace,
        &[
            "drop view c",
            "drop view b",
            "drop view a",
            "create view a",
            "create view b",
            "create view c",
        ],
    );
    let mut dropped = from.clone();
    dropped.views.remove("c");
    check("dropped leaf", &from, &dropped, &InPlace, &["drop view c"]);
    let mut new = from.clone();
    new.views
        .insert("d".into(), view("d", "SELECT * FROM c", &["c"]));
    new.views
        .insert("aa".into(), view("aa", "SELECT * FROM d", &["d"]));
    check(
        "created",
        &from,
        &new,
        &InPlace,
        &["create view d", "create view aa"],
    );
    // A view on a dropped table goes with it, before it.
    let gone = schema(vec![], vec![view("z", "SELECT 1", &[])], vec![]);
    check(
        "table dropped",
        &from,
        &gone,
        &InPlace,
        &["drop view c", "drop view b", "drop view a", "drop table t"],
    );
}

#[test]
fn triggers_change_by_definition_or_table() {
    let from = schema(
        vec![table("t", &["id"]), table("u", &["id"])],
        vec![],
        vec![trigger(
            "tr",
            "t",
            "CREATE TRIGGER tr AFTER INSERT ON t ...",
        )],
    );
    let mut body = from.clone();
    body.triggers.get_mut("tr").unwrap().definition =
        "CREATE TRIGGER tr AFTER DELETE ON t ...".into();
    check(
        "body",
        &from,
        &body,
        &Rebuilding,
        &["drop trigger tr", "create trigger tr"],
    );
    let mut moved = from.clone();
    moved.triggers.get_mut("tr").unwrap().table = "u".into();
    check(
        "table",
        &from,
        &moved,
        &Rebuilding,
        &["drop trigger tr", "create trigger tr"],
    );
    let mut spaced = from.clone();
    spaced.triggers.get_mut("tr").unwrap().definition =
        "CREATE TRIGGER tr\n  AFTER INSERT ON t ...".into();
    check("spacing", &from, &spaced, &Rebuilding, &[]);
}

#[test]
fn global_order_of_ops() {
    let from = schema(
        vec![
            with_index(table("gone", &["id"]), "ix_gone", &["id"]),
            with_fk(table("kept", &["id", "gone_id"]), "gone_id", "gone"),
        ],
        vec![view("v_gone", "SELECT * FROM gone", &["gone"])],
        vec![trigger("tr_gone", "gone", "...")],
    );
    let to = schema(
        vec![
            table("kept", &["id"]),
            with_index(table("new", &["id"]), "ix_new", &["id"]),
        ],
        vec![view("v_new", "SELECT * FROM new", &["new"])],
        vec![trigger("tr_new", "new", "...")],
    );
    check(
        "everything",
        &from,
        &to,
        &InPlace,
        &[
            "drop trigger tr_gone",
            "drop view v_gone",
            "drop index ix_gone",
            "create table new",
            // The foreign key to `gone` goes before `gone` does.
            "alter table kept: drop fk -(gone_id)->gone; drop column gone_id",
            "drop table gone",
            "create index ix_new",
            "create view v_new",
            "create trigger tr_new",
        ],
    );
    // Alterations run by table name.
    let from = tables(vec![
        table("b", &["id"]),
        table("a", &["id"]),
        table("c", &["id"]),
    ]);
    let to = tables(vec![
        table("b", &["x"]),
        table("a", &["x"]),
        table("c", &["id"]),
    ]);
    let got = summaries(&from, &to, &InPlace);
    assert_eq!(
        got,
        [
            "alter table a: drop column id; add column x",
            "alter table b: drop column id; add column x"
        ]
    );
}

#[test]
fn diff_is_deterministic() {
    let build = |order: &[usize]| {
        let all = [
            with_fk(table("c", &["id", "a"]), "a", "a"),
            with_index(table("a", &["id"]), "ix", &["id"]),
            with_fk(table("b", &["id", "c"]), "c", "c"),
        ];
        let views = [
            view("w", "SELECT * FROM v", &["v"]),
            view("v", "SELECT * FROM a", &["a"]),
        ];
        schema(
            order.iter().map(|i| all[*i].clone()).collect(),
            order
                .iter()
                .filter(|i| **i < 2)
                .map(|i| views[*i].clone())
                .collect(),
            vec![],
        )
    };
    let first = diff(&Schema::default(), &build(&[0, 1, 2]), &Rebuilding);
    for order in [[2, 1, 0], [1, 0, 2], [0, 2, 1]] {
        assert_eq!(diff(&Schema::default(), &build(&order), &Rebuilding), first);
    }
    let got: Vec<String> = first.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            "create table a",
            "create table c",
            "create table b",
            "create index ix",
            "create view v",
            "create view w"
        ]
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
    assert_eq!(change.data_loss("t"), None);
    let op = Op::AlterTable {
        from: table("t", &["a", "b"]),
        to: table("t", &["b", "a"]),
        changes: vec![change],
    };
    assert_eq!(op.data_loss(), None);
    assert_eq!(op.invert().invert(), op);
}
