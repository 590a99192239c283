//! Foreign keys in phases: a key's drop comes before the unique, primary key or index it
//! references goes, and its add after every table, key and index exists.

use super::*;

/// `parent (id, code)` keyed by `id`, and `child (id, pc)`.
fn parent() -> Table {
    let mut t = table("parent", &["id", "code"]);
    t.primary_key = Some(PrimaryKey {
        columns: vec!["id".into()],
        ..Default::default()
    });
    t
}

fn child() -> Table {
    table("child", &["id", "pc"])
}

/// `child.pc` references `parent (column)`.
fn child_key(column: &str) -> ForeignKey {
    ForeignKey {
        ref_columns: vec![column.into()],
        ..fk(&["pc"], "parent", Some("fk_pc"))
    }
}

fn with_key(mut t: Table, key: ForeignKey) -> Table {
    t.foreign_keys.push(key);
    t
}

fn unique(mut t: Table, name: &str, columns: &[&str]) -> Table {
    t.uniques.push(Unique {
        name: Some(name.into()),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    });
    t
}

fn unique_index(t: Table, name: &str, columns: &[&str]) -> Table {
    let mut t = with_index(t, name, columns);
    t.indexes.get_mut(name).expect("just added").unique = true;
    t
}

const DROP_KEY: &str = "alter table child: drop fk fk_pc(pc)->parent";
const ADD_KEY: &str = "alter table child: add fk fk_pc(pc)->parent";

#[test]
fn a_key_goes_before_the_unique_it_references() {
    let from = tables(vec![
        unique(parent(), "uq_code", &["code"]),
        with_key(child(), child_key("code")),
    ]);
    let to = tables(vec![parent(), child()]);
    let drop_unique = "alter table parent: drop unique uq_code(code)";
    check("drop", &from, &to, &InPlace, &[DROP_KEY, drop_unique]);
    let add_unique = "alter table parent: add unique uq_code(code)";
    check("add", &to, &from, &InPlace, &[add_unique, ADD_KEY]);
}

#[test]
fn a_kept_key_whose_unique_changes_is_dropped_first_and_added_last() {
    let from = tables(vec![
        unique(parent(), "uq_code", &["code"]),
        with_key(child(), child_key("code")),
    ]);
    let to = tables(vec![
        unique(parent(), "uq_parent_code", &["code"]),
        with_key(child(), child_key("code")),
    ]);
    let swap = "alter table parent: drop unique uq_code(code); add unique uq_parent_code(code)";
    check("in place", &from, &to, &InPlace, &[DROP_KEY, swap, ADD_KEY]);
    // Where keys live in the table and nothing checks them while altering, the key
    // stays as it is.
    check("rebuilding", &from, &to, &Rebuilding, &[swap]);
}

#[test]
fn a_kept_key_whose_primary_key_changes_is_dropped_first_and_added_last() {
    let from = tables(vec![parent(), with_key(child(), child_key("id"))]);
    let mut wider = parent();
    wider.primary_key = Some(PrimaryKey {
        columns: vec!["id".into(), "code".into()],
        ..Default::default()
    });
    let to = tables(vec![wider, with_key(child(), child_key("id"))]);
    let pk = "alter table parent: pk -(id) -> -; pk - -> -(id,code)";
    check("pk", &from, &to, &InPlace, &[DROP_KEY, pk, ADD_KEY]);
}

#[test]
fn a_kept_key_whose_unique_index_is_recreated_is_dropped_first_and_added_last() {
    let from = tables(vec![
        unique_index(parent(), "ux_code", &["code"]),
        with_key(child(), child_key("code")),
    ]);
    let to = tables(vec![
        unique_index(parent(), "ux_parent_code", &["code"]),
        with_key(child(), child_key("code")),
    ]);
    check(
        "index",
        &from,
        &to,
        &InPlace,
        &[
            DROP_KEY,
            "drop index ux_code",
            "create index ux_parent_code",
            ADD_KEY,
        ],
    );
    // A non-unique index on the referenced columns is no key: PostgreSQL does not care.
    let plain = |name| {
        tables(vec![
            with_index(unique(parent(), "uq", &["code"]), name, &["code"]),
            with_key(child(), child_key("code")),
        ])
    };
    check(
        "plain",
        &plain("ix_a"),
        &plain("ix_b"),
        &InPlace,
        &["drop index ix_a", "create index ix_b"],
    );
}

#[test]
fn where_keys_need_indexes_a_key_goes_before_its_index() {
    let key = child_key("code");
    let indexed = with_index(with_key(child(), key.clone()), "ix_pc", &["pc"]);
    let from = tables(vec![unique(parent(), "uq_code", &["code"]), indexed]);
    let to = tables(vec![
        unique(parent(), "uq_code", &["code"]),
        with_key(child(), key),
    ]);
    check(
        "mysql-like",
        &from,
        &to,
        &IndexedKeys,
        &[DROP_KEY, "drop index ix_pc", ADD_KEY],
    );
    check("postgres-like", &from, &to, &InPlace, &["drop index ix_pc"]);
}

#[test]
fn a_kept_key_whose_column_type_changes_is_dropped_first_and_added_last() {
    let from = tables(vec![
        unique(parent(), "uq_code", &["code"]),
        with_key(child(), child_key("code")),
    ]);
    let mut text = unique(parent(), "uq_code", &["code"]);
    text.columns[1].type_text = "TEXT".into();
    let to = tables(vec![text, with_key(child(), child_key("code"))]);
    check(
        "type",
        &from,
        &to,
        &InPlace,
        &[DROP_KEY, "alter table parent: alter column code", ADD_KEY],
    );
}

#[test]
fn new_keys_come_after_every_table_key_and_index() {
    let other = table("other", &["id", "pc"]);
    let other_key = ForeignKey {
        name: Some("fk_other".into()),
        ..child_key("code")
    };
    let from = tables(vec![parent(), other.clone()]);
    let to = tables(vec![
        unique_index(parent(), "ux_code", &["code"]),
        with_key(child(), child_key("code")),
        with_key(other, other_key),
    ]);
    let ops = summaries(&from, &to, &InPlace);
    check(
        "in place",
        &from,
        &to,
        &InPlace,
        &[
            "create index ux_code",
            // A created table keeps its key: what it references exists by then.
            "create table child",
            "alter table other: add fk fk_other(pc)->parent",
        ],
    );
    let last_create = ops.iter().rposition(|op| op.starts_with("create"));
    let first_key = ops.iter().position(|op| op.contains("add fk"));
    assert!(last_create < first_key, "{ops:?}");
    // Keys inside the tables: a rebuilt table comes after the index it references.
    check(
        "rebuilding",
        &from,
        &to,
        &Rebuilding,
        &[
            "create index ux_code",
            "create table child",
            "alter table other: add fk fk_other(pc)->parent",
        ],
    );
}

#[test]
fn where_keys_live_in_tables_a_table_dropping_a_key_goes_before_the_referenced_table() {
    // Names that sort the other way round: the order comes from the keys.
    let rename = |mut t: Table, name: &str| {
        t.name = name.into();
        t
    };
    let mut key = child_key("code");
    key.ref_table = "a".into();
    let from = tables(vec![
        rename(unique_index(parent(), "ux_code", &["code"]), "a"),
        rename(with_key(child(), key), "b"),
    ]);
    let to = tables(vec![rename(parent(), "a"), rename(child(), "b")]);
    // The downgrade (the inverse, reversed) adds the key back after the index is back.
    check(
        "drop",
        &from,
        &to,
        &Rebuilding,
        &["alter table b: drop fk fk_pc(pc)->a", "drop index ux_code"],
    );
    check(
        "add",
        &to,
        &from,
        &Rebuilding,
        &["create index ux_code", "alter table b: add fk fk_pc(pc)->a"],
    );
}

#[test]
fn an_index_name_moving_to_another_table_is_dropped_first() {
    // From `b` to `a`: `a`'s turn comes first, and the name must be free by then.
    let from = tables(vec![
        table("a", &["id"]),
        with_index(table("b", &["id"]), "ix", &["id"]),
    ]);
    let to = tables(vec![
        with_index(table("a", &["id"]), "ix", &["id"]),
        table("b", &["id"]),
    ]);
    check(
        "moved",
        &from,
        &to,
        &InPlace,
        &["drop index ix", "create index ix"],
    );
    let ops = diff(&from, &to, &InPlace);
    assert!(
        matches!(&ops[0], Op::DropIndex(i) if i.table == "b"),
        "{ops:?}"
    );
    // Otherwise an index drop goes with its table, right before the table's change.
    let from = tables(vec![
        with_index(table("a", &["id", "x"]), "ix_a", &["x"]),
        with_index(table("b", &["id", "y"]), "ix_b", &["y"]),
    ]);
    let to = tables(vec![table("a", &["id"]), table("b", &["id"])]);
    check(
        "with its table",
        &from,
        &to,
        &InPlace,
        &[
            "drop index ix_a",
            "alter table a: drop column x",
            "drop index ix_b",
            "alter table b: drop column y",
        ],
    );
}
