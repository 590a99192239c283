//! Across objects: indexes, views, triggers, table creation and drop order, rebuild
//! bookkeeping, the global order of ops, determinism.

use super::*;

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
    // Adding a nullable column is in place and keeps indexes and triggers on the table; the
    // views reading it are re-created, since the downgrade drops the column under them.
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
        &[
            "drop trigger tr_v2",
            "drop view v2",
            "drop view v1",
            "alter table t: add column b",
            "create view v1",
            "create view v2",
            "create trigger tr_v2",
        ],
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

/// A materialized view over `t` with the indexes `indexes` (name, column).
fn materialized(indexes: &[(&str, &str)]) -> View {
    let mut mv = view("mv", "SELECT a, b FROM t", &["t"]);
    mv.ext.postgres.materialized = true;
    for (name, column) in indexes {
        mv.indexes
            .insert(name.to_string(), index("mv", name, &[column]));
    }
    mv
}

#[test]
fn materialized_view_indexes_go_with_their_view() {
    let with = |indexes: &[(&str, &str)]| {
        schema(
            vec![table("t", &["a", "b"])],
            vec![materialized(indexes)],
            vec![],
        )
    };
    let bare = with(&[]);
    let indexed = with(&[("ix_a", "a")]);
    check(
        "index added",
        &bare,
        &indexed,
        &InPlace,
        &["create index ix_a"],
    );
    check(
        "index dropped",
        &indexed,
        &bare,
        &InPlace,
        &["drop index ix_a"],
    );
    let changed = with(&[("ix_a", "b"), ("ix_b", "b")]);
    check(
        "index changed",
        &indexed,
        &changed,
        &InPlace,
        &["drop index ix_a", "create index ix_a", "create index ix_b"],
    );
    let no_view = schema(vec![table("t", &["a", "b"])], vec![], vec![]);
    check(
        "view created",
        &no_view,
        &changed,
        &InPlace,
        &["create view mv", "create index ix_a", "create index ix_b"],
    );
    check(
        "view dropped",
        &changed,
        &no_view,
        &InPlace,
        &["drop index ix_a", "drop index ix_b", "drop view mv"],
    );
    // Re-created with a new query: its indexes go before it and come back after it.
    let mut query = changed.clone();
    query.views.get_mut("mv").unwrap().definition = "SELECT b, a FROM t".into();
    query.views.get_mut("mv").unwrap().indexes.remove("ix_b");
    check(
        "view re-created",
        &changed,
        &query,
        &InPlace,
        &[
            "drop index ix_a",
            "drop index ix_b",
            "drop view mv",
            "create view mv",
            "create index ix_a",
        ],
    );
    // Re-created because a column it reads changes type.
    let mut retyped = indexed.clone();
    retyped.tables.get_mut("t").unwrap().columns[0].type_text = "bigint".into();
    check(
        "table reshaped",
        &indexed,
        &retyped,
        &InPlace,
        &[
            "drop index ix_a",
            "drop view mv",
            "alter table t: alter column a",
            "create view mv",
            "create index ix_a",
        ],
    );
    // A plain view that becomes materialized is re-created.
    let mut plain = bare.clone();
    plain.views.get_mut("mv").unwrap().ext.postgres.materialized = false;
    check(
        "becomes materialized",
        &plain,
        &indexed,
        &InPlace,
        &["drop view mv", "create view mv", "create index ix_a"],
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
            // First: the foreign key to `gone`, before anything it needs goes.
            "alter table kept: drop fk -(gone_id)->gone",
            "drop trigger tr_gone",
            "drop view v_gone",
            // Then table by table, each with its index drops and creates; `kept` before
            // `gone`, whose keys its foreign key needed.
            "alter table kept: drop column gone_id",
            "drop index ix_gone",
            "drop table gone",
            "create table new",
            "create index ix_new",
            "create view v_new",
            "create trigger tr_new",
        ],
    );
    // Where foreign keys live in the table (a rebuild), they stay among its changes.
    check(
        "everything, rebuilding",
        &from,
        &to,
        &Rebuilding,
        &[
            "drop trigger tr_gone",
            "drop view v_gone",
            "alter table kept: drop fk -(gone_id)->gone; drop column gone_id",
            "drop index ix_gone",
            "drop table gone",
            "create table new",
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
            "create index ix",
            "create table c",
            "create table b",
            "create view v",
            "create view w"
        ]
    );
}

#[test]
fn a_dropped_name_is_free_before_a_create_reuses_it() {
    // Table a_x (with its index a_w) goes; index a_x on a and table a_w come, before a_x
    // in the table order: tables and indexes share one namespace, so the drops move
    // before the creates.
    let a = table("a", &["id", "x"]);
    let from = tables(vec![
        a.clone(),
        with_index(table("a_x", &["id"]), "a_w", &["id"]),
    ]);
    let to = tables(vec![with_index(a, "a_x", &["x"]), table("a_w", &["id"])]);
    check(
        "table name reused by an index, index name by a table",
        &from,
        &to,
        &Rebuilding,
        &[
            "drop index a_w",
            "drop table a_x",
            "create index a_x",
            "create table a_w",
        ],
    );
}
