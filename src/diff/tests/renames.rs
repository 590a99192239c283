//! Renames from hints: resolution against both schemas (stale hints ignored, missing old
//! names an error with file and line), and the renamed live schema diffing as the desired
//! one wherever the rename is the whole change.

use super::*;
use crate::diff::{diff_renaming, renames};
use crate::sql::hints::{Name, RenameHint};

fn name(text: &str) -> Name {
    Name {
        text: text.into(),
        quoted: false,
    }
}

fn hint(line: usize, table: &str, column: Option<&str>, old: &str) -> RenameHint {
    RenameHint {
        file: "schema.sql".into(),
        line,
        namespace: None,
        table: name(table),
        column: column.map(name),
        old: name(old),
    }
}

/// `people (id, name)` with a check and an index on `name`, its key named as
/// PostgreSQL names it, and `pets` referencing it.
fn live() -> Schema {
    let mut people = with_index(table("people", &["id", "name"]), "ix_name", &["name"]);
    people.primary_key = Some(PrimaryKey {
        name: Some("people_pkey".into()),
        columns: vec!["id".into()],
        ..PrimaryKey::default()
    });
    people.checks.push(Check {
        expression: "(length(name) > 0)".into(),
        name: Some("people_name_check".into()),
        ..Check::default()
    });
    let mut pets = with_fk(table("pets", &["id", "owner"]), "owner", "people");
    pets.foreign_keys[0].ref_columns = vec!["id".into()];
    tables(vec![people, pets])
}

/// `live()` with `people` renamed `persons` and `name` renamed `full_name`, as a fresh
/// load of the schema gives it.
fn desired() -> Schema {
    let mut persons = with_index(
        table("persons", &["id", "full_name"]),
        "ix_name",
        &["full_name"],
    );
    persons.primary_key = Some(PrimaryKey {
        name: Some("persons_pkey".into()),
        columns: vec!["id".into()],
        ..PrimaryKey::default()
    });
    persons.checks.push(Check {
        expression: "(length(full_name) > 0)".into(),
        name: Some("people_name_check".into()),
        ..Check::default()
    });
    let mut pets = with_fk(table("pets", &["id", "owner"]), "owner", "persons");
    pets.foreign_keys[0].ref_columns = vec!["id".into()];
    tables(vec![persons, pets])
}

fn hints() -> Vec<RenameHint> {
    vec![
        hint(1, "persons", None, "people"),
        hint(3, "persons", Some("full_name"), "NAME"),
    ]
}

#[test]
fn hints_become_renames_and_the_rest_diffs_as_equal() {
    let ops = diff_renaming(&live(), &desired(), &hints(), &InPlace).unwrap();
    let got: Vec<String> = ops.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            "rename table people to persons",
            "alter table persons: rename column name -> full_name",
            "alter table persons: rename primary key people_pkey -> persons_pkey",
        ]
    );
    let resolved = renames::resolve(&live(), &desired(), &hints(), &InPlace).unwrap();
    let (_, renamed) = renames::apply(&live(), &desired(), &resolved, &InPlace);
    assert_eq!(renamed, desired(), "the engine's state after the renames");
    for op in &ops {
        assert_eq!(op.invert().invert(), *op);
    }
}

#[test]
fn a_dialect_that_cannot_rename_keys_leaves_them_to_the_diff() {
    let sqlite = crate::dialect::Engine::Sqlite.dialect();
    let ops = diff_renaming(&live(), &desired(), &hints(), &*sqlite).unwrap();
    let got: Vec<String> = ops.iter().map(summary).collect();
    assert_eq!(
        got[..2],
        [
            "rename table people to persons",
            "alter table persons: rename column name -> full_name"
        ]
    );
    assert_eq!(
        got[2..],
        [
            "drop index ix_name",
            "alter table persons: pk people_pkey(id) -> -; pk - -> persons_pkey(id)",
            "create index ix_name"
        ]
    );
}

#[test]
fn stale_hints_are_ignored() {
    assert_eq!(
        renames::resolve(&desired(), &desired(), &hints(), &InPlace).unwrap(),
        renames::Renames::default()
    );
    assert!(diff_renaming(&desired(), &desired(), &hints(), &InPlace)
        .unwrap()
        .is_empty());
}

#[test]
fn views_and_triggers_on_renamed_tables_are_dropped_first_and_made_again() {
    let mut from = live();
    from.views.insert(
        "v".into(),
        view("v", "SELECT name FROM people", &["people"]),
    );
    from.triggers
        .insert("t".into(), trigger("t", "people", "CREATE TRIGGER t ..."));
    let mut to = desired();
    to.views.insert(
        "v".into(),
        view("v", "SELECT full_name FROM persons", &["persons"]),
    );
    to.triggers.insert(
        "t".into(),
        trigger("t", "persons", "CREATE TRIGGER t ... persons"),
    );
    let ops = diff_renaming(&from, &to, &hints(), &InPlace).unwrap();
    let got: Vec<String> = ops.iter().map(summary).collect();
    assert_eq!(
        got[..3],
        [
            "drop trigger t",
            "drop view v",
            "rename table people to persons"
        ]
    );
    assert_eq!(got[got.len() - 2..], ["create view v", "create trigger t"]);
}

#[test]
fn a_hint_naming_what_neither_schema_has_is_an_error_with_file_and_line() {
    let error = |hints: &[RenameHint]| {
        renames::resolve(&live(), &desired(), hints, &InPlace)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        error(&[hint(1, "persons", None, "humans")]),
        "schema.sql:1: table persons is renamed from humans, but the database has no table of either name"
    );
    assert_eq!(
        error(&[hint(1, "persons", None, "people"), hint(4, "persons", Some("full_name"), "title")]),
        "schema.sql:4: column persons.full_name is renamed from title, but table people in the database has no column of either name"
    );
    assert_eq!(
        error(&[hint(2, "persons", Some("full_name"), "name")]),
        "schema.sql:2: column persons.full_name is renamed from name, but the database has no table persons"
    );
    let mut twice = desired();
    let persons = twice.tables.get_mut("persons").unwrap();
    persons.columns.push(col("nickname", "INTEGER"));
    let error = renames::resolve(
        &live(),
        &twice,
        &[
            hint(1, "persons", None, "people"),
            hint(3, "persons", Some("full_name"), "name"),
            hint(4, "persons", Some("nickname"), "name"),
        ],
        &InPlace,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "schema.sql:4: column persons.nickname is renamed from name, and so is column full_name"
    );
    twice
        .tables
        .insert("humans".into(), table("humans", &["id"]));
    let error = renames::resolve(
        &live(),
        &twice,
        &[
            hint(1, "persons", None, "people"),
            hint(6, "humans", None, "people"),
        ],
        &InPlace,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "schema.sql:6: table humans is renamed from people, and so is table persons"
    );
}

#[test]
fn a_stale_hint_is_recognised_in_any_case_where_names_are_case_insensitive() {
    let sqlite = crate::dialect::Engine::Sqlite.dialect();
    let mut spelled = desired();
    let mut persons = spelled.tables.remove("persons").unwrap();
    persons.name = "Persons".into();
    persons.columns[1].name = "Full_Name".into();
    spelled.tables.insert("Persons".into(), persons);
    let resolved = renames::resolve(&spelled, &desired(), &hints(), &*sqlite).unwrap();
    assert!(resolved.is_empty(), "{resolved:?}");
}

#[test]
fn the_old_name_may_come_back_as_a_new_object() {
    let mut to = desired();
    to.tables
        .get_mut("persons")
        .unwrap()
        .columns
        .push(col("name", "INTEGER"));
    to.tables.insert("people".into(), table("people", &["id"]));
    let ops = diff_renaming(&live(), &to, &hints(), &InPlace).unwrap();
    let got: Vec<String> = ops.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            "rename table people to persons",
            "alter table persons: rename column name -> full_name",
            "alter table persons: rename primary key people_pkey -> persons_pkey",
            "create table people",
            "alter table persons: add column name",
        ]
    );
}

/// Table `t` with `columns` (name, type) in order.
fn typed(columns: &[(&str, &str)]) -> Schema {
    let mut t = table("t", &[]);
    t.columns = columns.iter().map(|(n, ty)| col(n, ty)).collect();
    tables(vec![t])
}

/// The summaries of the ops the renaming diff gives.
fn summaries(from: &Schema, to: &Schema, hints: &[RenameHint]) -> Vec<String> {
    let ops = diff_renaming(from, to, hints, &InPlace).unwrap();
    ops.iter().map(summary).collect()
}

fn renamed_columns(from: &Schema, to: &Schema, hints: &[RenameHint]) -> Vec<(String, String)> {
    let resolved = renames::resolve(from, to, hints, &InPlace).unwrap();
    resolved.columns.get("t").cloned().unwrap_or_default()
}

#[test]
fn a_chain_renames_the_last_link_first() {
    let from = typed(&[("a", "TEXT"), ("b", "TEXT")]);
    let to = typed(&[("b", "TEXT"), ("c", "TEXT")]);
    let hints = [hint(2, "t", Some("b"), "a"), hint(3, "t", Some("c"), "b")];
    assert_eq!(
        summaries(&from, &to, &hints),
        [
            "alter table t: rename column b -> c",
            "alter table t: rename column a -> b"
        ]
    );
    // Once applied, the hints are stale.
    assert!(summaries(&to, &to, &hints).is_empty());
}

#[test]
fn a_swap_goes_through_a_name_no_column_has_and_is_stale_once_applied() {
    let from = typed(&[
        ("a", "INTEGER"),
        ("b", "TEXT"),
        ("__migrate_rename", "TEXT"),
    ]);
    let to = typed(&[
        ("b", "INTEGER"),
        ("a", "TEXT"),
        ("__migrate_rename", "TEXT"),
    ]);
    let hints = [hint(2, "t", Some("b"), "a"), hint(3, "t", Some("a"), "b")];
    assert_eq!(
        summaries(&from, &to, &hints),
        [
            "alter table t: rename column a -> __migrate_rename_2",
            "alter table t: rename column b -> a",
            "alter table t: rename column __migrate_rename_2 -> b"
        ]
    );
    assert!(summaries(&to, &to, &hints).is_empty());
    // Same types: the columns' places tell the swap from its result.
    let from = typed(&[("a", "TEXT"), ("b", "TEXT")]);
    let to = typed(&[("b", "TEXT"), ("a", "TEXT")]);
    assert_eq!(renamed_columns(&from, &to, &hints).len(), 2);
    assert!(renamed_columns(&to, &to, &hints).is_empty());
}

#[test]
fn a_chain_whose_last_name_the_database_keeps_is_stale() {
    // Applied: `a` to `b` and `b` to `c` left `b` and `c`.
    let live = typed(&[("b", "TEXT"), ("c", "TEXT")]);
    let hints = [hint(2, "t", Some("b"), "a"), hint(3, "t", Some("c"), "b")];
    assert!(renamed_columns(&live, &live, &hints).is_empty());
}
