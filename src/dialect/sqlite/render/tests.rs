//! Rendering tests: insta snapshots of the SQL, and the in-place/rebuild decision.

use super::checks::{is_check, REFERENCES_CHECK_PREFIX};
use super::*;
use crate::schema::{Check, Generated, Trigger, Unique, View};

pub(super) fn col(name: &str, type_text: &str) -> Column {
    Column {
        name: name.into(),
        type_text: type_text.into(),
        nullable: true,
        ..Default::default()
    }
}

/// The `AlterColumn` of `from` into `to`, its delta judged as the differ judges it.
pub(super) fn column_change(from: &Column, to: &Column) -> TableChange {
    TableChange::AlterColumn {
        from: from.clone(),
        to: to.clone(),
        delta: ColumnDelta::between(from, to, &SqliteDialect),
    }
}

pub(super) fn not_null(mut c: Column) -> Column {
    c.nullable = false;
    c
}

pub(super) fn with_default(mut c: Column, default: &str) -> Column {
    c.default = Some(default.into());
    c
}

pub(super) fn pk(columns: &[&str]) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: None,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    })
}

pub(super) fn names(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| c.to_string()).collect()
}

pub(super) fn table(name: &str, columns: Vec<Column>) -> Table {
    Table {
        name: name.into(),
        columns,
        ..Default::default()
    }
}

/// The statements of `ops` as a script, for snapshots.
pub(super) fn script(ops: &[Op]) -> String {
    ops.iter()
        .flat_map(render_op)
        .map(|s| format!("{s};\n"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn every_feature_table() -> Table {
    let mut id = not_null(col("id", "INTEGER"));
    id.auto_increment = true;
    let mut email = not_null(col("email", "TEXT"));
    email.collation = Some("NOCASE".into());
    let mut email_upper = col("email_upper", "TEXT");
    email_upper.generated = Some(Generated {
        expression: "upper(email)".into(),
        stored: false,
    });
    let mut email_length = col("email_length", "INTEGER");
    email_length.generated = Some(Generated {
        expression: "length(email)".into(),
        stored: true,
    });
    let mut odd = col("odd collation", "TEXT");
    odd.collation = Some("my collation".into());
    Table {
        name: "users".into(),
        columns: vec![
            id,
            email,
            with_default(col("name", "VARCHAR(100)"), "'anon'"),
            not_null(with_default(col("created_at", "TEXT"), "CURRENT_TIMESTAMP")),
            with_default(col("updated_at", "TEXT"), "(datetime('now'))"),
            with_default(col("seen_at", "TEXT"), "datetime('now')"),
            with_default(col("score", "REAL"), "-1.5"),
            with_default(col("flags", "BLOB"), "x'00ff'"),
            col("anything", ""),
            col("team_id", "INTEGER"),
            col("org_id", "INTEGER"),
            email_upper,
            email_length,
            odd,
        ],
        primary_key: Some(PrimaryKey {
            name: Some("pk_users".into()),
            columns: names(&["id"]),
            ..Default::default()
        }),
        uniques: vec![
            Unique {
                columns: names(&["email"]),
                name: Some("uq_users_email".into()),
                ..Default::default()
            },
            Unique {
                columns: names(&["name", "team_id"]),
                name: None,
                ..Default::default()
            },
        ],
        foreign_keys: vec![
            ForeignKey {
                columns: names(&["org_id"]),
                ref_table: "orgs".into(),
                ref_columns: vec![],
                ..Default::default()
            },
            ForeignKey {
                columns: names(&["team_id"]),
                ref_table: "teams".into(),
                ref_columns: names(&["id"]),
                name: Some("fk_users_team".into()),
                on_delete: RefAction::SetNull,
                on_update: RefAction::Cascade,
                deferrable: Deferrable::InitiallyDeferred,
                ext: Default::default(),
                ref_namespace: Default::default(),
            },
        ],
        checks: vec![
            Check {
                expression: "length(email) > 3".into(),
                name: None,
                ext: Default::default(),
            },
            Check {
                expression: "score >= -1.5".into(),
                name: Some("ck_users_score".into()),
                ext: Default::default(),
            },
        ],
        ..Default::default()
    }
}

pub(super) fn membership_table() -> Table {
    Table {
        name: "memberships".into(),
        columns: vec![
            not_null(col("user_id", "INTEGER")),
            not_null(col("team_id", "INTEGER")),
            with_default(col("role", "TEXT"), "'member'"),
        ],
        primary_key: Some(PrimaryKey {
            name: Some("pk_memberships".into()),
            columns: names(&["user_id", "team_id"]),
            ..Default::default()
        }),
        foreign_keys: vec![ForeignKey {
            columns: names(&["user_id"]),
            ref_table: "users".into(),
            ref_columns: names(&["id"]),
            on_delete: RefAction::Cascade,
            deferrable: Deferrable::InitiallyImmediate,
            ..Default::default()
        }],
        ext: crate::schema::ext::SqliteTable {
            without_rowid: true,
            strict: true,
        }
        .into(),
        ..Default::default()
    }
}

#[test]
fn create_table_with_every_feature() {
    insta::assert_snapshot!(script(&[
        Op::CreateTable(every_feature_table()),
        Op::CreateTable(membership_table()),
    ]));
}

#[test]
fn quoted_and_non_ascii_identifiers() {
    let mut t = table(
        "naïve \"quoted\" table",
        vec![
            col("ünïcödé", "TEXT"),
            col("has\"quote", "INTEGER"),
            col("select", "TEXT"),
            col("with space", ""),
            col("日本語", "TEXT"),
        ],
    );
    t.primary_key = Some(PrimaryKey {
        name: Some("pk \"x\"".into()),
        columns: names(&["has\"quote", "select"]),
        ..Default::default()
    });
    t.foreign_keys = vec![ForeignKey {
        columns: names(&["ünïcödé"]),
        ref_table: "Ω table".into(),
        ref_columns: names(&["κλειδί"]),
        ..Default::default()
    }];
    let index = Index {
        name: "ix \"naïve\"".into(),
        table: t.name.clone(),
        unique: false,
        parts: vec![IndexPart {
            key: IndexKey::Column("日本語".into()),
            descending: true,
            collation: None,
        }],
        predicate: None,
        definition: None,
        ext: Default::default(),
        namespace: Default::default(),
    };
    insta::assert_snapshot!(script(&[
        Op::CreateTable(t.clone()),
        Op::CreateIndex(index.clone()),
        Op::DropIndex(index),
        Op::DropTable(t),
    ]));
}

#[test]
fn index_forms() {
    let part = |key: IndexKey, descending: bool, collation: Option<&str>| IndexPart {
        key,
        descending,
        collation: collation.map(String::from),
    };
    let index = |name: &str, unique: bool, parts: Vec<IndexPart>, predicate: Option<&str>| Index {
        name: name.into(),
        table: "users".into(),
        unique,
        parts,
        predicate: predicate.map(String::from),
        definition: None,
        ext: Default::default(),
        namespace: Default::default(),
    };
    let c = |n: &str| IndexKey::Column(n.into());
    let e = |x: &str| IndexKey::Expression(x.into());
    insta::assert_snapshot!(script(&[
        Op::CreateIndex(index(
            "ix_users_name",
            false,
            vec![part(c("name"), false, None)],
            None
        )),
        Op::CreateIndex(index(
            "ux_users_team_name",
            true,
            vec![
                part(c("team_id"), false, None),
                part(c("name"), true, Some("NOCASE"))
            ],
            None
        )),
        Op::CreateIndex(index(
            "ix_users_lower_email",
            false,
            vec![part(e("lower(email)"), false, Some("BINARY"))],
            None
        )),
        Op::CreateIndex(index(
            "ix_users_sum",
            false,
            vec![
                part(e("(a + b)"), true, None),
                part(e("(a) + (b)"), false, None)
            ],
            None
        )),
        Op::CreateIndex(index(
            "ux_users_active_email",
            true,
            vec![part(c("email"), false, None)],
            Some("deleted_at IS NULL")
        )),
        Op::DropIndex(index("ix_users_name", false, vec![], None)),
    ]));
}

#[test]
fn views_and_triggers_verbatim() {
    let view = View {
        name: "active users".into(),
        definition: "CREATE VIEW \"active users\" AS SELECT * FROM users WHERE deleted_at IS NULL"
            .into(),
        depends_on: names(&["users"]),
        indexes: Default::default(),
        ext: Default::default(),
        namespace: Default::default(),
    };
    let trigger = Trigger {
        name: "trg_users".into(),
        table: "users".into(),
        definition: "CREATE TRIGGER trg_users AFTER DELETE ON users BEGIN\n    DELETE FROM memberships WHERE user_id = old.id;\nEND".into(),
     namespace: Default::default(), };
    insta::assert_snapshot!(script(&[
        Op::CreateView(view.clone()),
        Op::CreateTrigger(trigger.clone()),
        Op::DropTrigger(trigger),
        Op::DropView(view),
    ]));
}

/// `authors` as the alter fixtures start from.
pub(super) fn authors() -> Table {
    let mut t = table(
        "authors",
        vec![
            not_null(col("id", "INTEGER")),
            col("name", "TEXT"),
            col("age", "TEXT"),
        ],
    );
    t.primary_key = pk(&["id"]);
    t
}

/// An AlterTable op from `from` to `to` with `changes`.
pub(super) fn alter(from: &Table, to: &Table, changes: Vec<TableChange>) -> Op {
    Op::AlterTable {
        from: from.clone(),
        to: to.clone(),
        changes,
    }
}

/// Upgrade and downgrade of one op, for snapshots.
fn both_ways(op: &Op) -> String {
    format!(
        "-- upgrade\n{}\n-- downgrade\n{}",
        script(std::slice::from_ref(op)),
        script(&[op.invert()])
    )
}

#[test]
fn add_and_drop_columns_in_place() {
    let from = authors();
    let mut to = from.clone();
    let bio = col("bio", "TEXT");
    let rank = not_null(with_default(col("rank", "INTEGER"), "0"));
    let mut shout = col("shout", "TEXT");
    shout.generated = Some(Generated {
        expression: "upper(name)".into(),
        stored: false,
    });
    to.columns
        .extend([bio.clone(), rank.clone(), shout.clone()]);
    let op = alter(
        &from,
        &to,
        vec![
            TableChange::AddColumn(bio),
            TableChange::AddColumn(rank),
            TableChange::AddColumn(shout),
        ],
    );
    insta::assert_snapshot!(both_ways(&op));
}

pub(super) fn type_change() -> (Table, Table, Vec<TableChange>) {
    let from = authors();
    let mut to = from.clone();
    to.columns[2].type_text = "INTEGER".into();
    let changes = vec![column_change(&from.columns[2], &to.columns[2])];
    (from, to, changes)
}

pub(super) fn not_null_change() -> (Table, Table, Vec<TableChange>) {
    let from = authors();
    let mut to = from.clone();
    to.columns[1].nullable = false;
    let changes = vec![column_change(&from.columns[1], &to.columns[1])];
    (from, to, changes)
}

pub(super) fn default_change() -> (Table, Table, Vec<TableChange>) {
    let mut from = authors();
    from.columns[1].default = Some("'unknown'".into());
    let mut to = from.clone();
    to.columns[1].default = Some("lower('Anonymous')".into());
    let changes = vec![column_change(&from.columns[1], &to.columns[1])];
    (from, to, changes)
}

pub(super) fn pk_change() -> (Table, Table, Vec<TableChange>) {
    let mut from = authors();
    from.columns.push(not_null(col("code", "TEXT")));
    from.uniques = vec![Unique {
        columns: names(&["code"]),
        name: None,
        ..Default::default()
    }];
    let mut to = from.clone();
    to.primary_key = Some(PrimaryKey {
        name: Some("pk_authors".into()),
        columns: names(&["code"]),
        ..Default::default()
    });
    to.uniques = vec![Unique {
        columns: names(&["id"]),
        name: None,
        ..Default::default()
    }];
    let changes = vec![
        TableChange::SetPrimaryKey {
            from: from.primary_key.clone(),
            to: to.primary_key.clone(),
        },
        TableChange::DropUnique(from.uniques[0].clone()),
        TableChange::AddUnique(to.uniques[0].clone()),
    ];
    (from, to, changes)
}

pub(super) fn fk_add() -> (Table, Table, Vec<TableChange>) {
    let mut from = authors();
    from.columns.push(col("mentor_id", "INTEGER"));
    let mut to = from.clone();
    let fk = ForeignKey {
        columns: names(&["mentor_id"]),
        ref_table: "authors".into(),
        ref_columns: names(&["id"]),
        name: Some("fk_authors_mentor".into()),
        on_delete: RefAction::SetNull,
        ..Default::default()
    };
    to.foreign_keys = vec![fk.clone()];
    (from, to, vec![TableChange::AddForeignKey(fk)])
}

pub(super) fn check_add() -> (Table, Table, Vec<TableChange>) {
    let from = authors();
    let mut to = from.clone();
    let check = Check {
        expression: "CAST(age AS INTEGER) >= 0".into(),
        name: Some("ck_authors_age".into()),
        ext: Default::default(),
    };
    to.checks = vec![check.clone()];
    (from, to, vec![TableChange::AddCheck(check)])
}

pub(super) fn autoincrement_change() -> (Table, Table, Vec<TableChange>) {
    let mut from = authors();
    from.columns[0].auto_increment = true;
    let mut to = from.clone();
    to.columns[1].type_text = "VARCHAR(200)".into();
    let changes = vec![column_change(&from.columns[1], &to.columns[1])];
    (from, to, changes)
}

#[test]
fn rebuild_type_change() {
    let (from, to, changes) = type_change();
    insta::assert_snapshot!(both_ways(&alter(&from, &to, changes)));
}

#[test]
fn rebuild_not_null_change() {
    let (from, to, changes) = not_null_change();
    insta::assert_snapshot!(both_ways(&alter(&from, &to, changes)));
}

#[test]
fn rebuild_default_change() {
    let (from, to, changes) = default_change();
    insta::assert_snapshot!(both_ways(&alter(&from, &to, changes)));
}

#[test]
fn rebuild_primary_key_change() {
    let (from, to, changes) = pk_change();
    insta::assert_snapshot!(both_ways(&alter(&from, &to, changes)));
}

#[test]
fn rebuild_foreign_key_add() {
    let (from, to, changes) = fk_add();
    insta::assert_snapshot!(both_ways(&alter(&from, &to, changes)));
}

#[test]
fn rebuild_check_add() {
    let (from, to, changes) = check_add();
    insta::assert_snapshot!(both_ways(&alter(&from, &to, changes)));
}

#[test]
fn rebuild_keeps_autoincrement_counter() {
    let (from, to, changes) = autoincrement_change();
    insta::assert_snapshot!(both_ways(&alter(&from, &to, changes)));
}

#[test]
fn one_change_that_cannot_be_in_place_rebuilds_the_whole_table() {
    // Adding `bio` alone is in place; with the type change the table is rebuilt and the
    // reason names the first change that needs it.
    let (from, mut to, mut changes) = type_change();
    let bio = col("bio", "TEXT");
    to.columns.push(bio.clone());
    changes.insert(0, TableChange::AddColumn(bio));
    let sql = script(&[alter(&from, &to, changes)]);
    assert!(
        sql.starts_with(
            "-- rebuild \"authors\": SQLite's ALTER TABLE cannot change the type of column \"age\"\n"
        ),
        "{sql}"
    );
    assert!(!sql.contains("ADD COLUMN"), "{sql}");
    assert!(
        sql.contains("INSERT OR ABORT INTO \"authors__migrate_new\" (\"id\", \"name\", \"age\")")
    );
}

#[test]
fn in_place_add_column_rules() {
    let t = authors();
    let add = |c: Column| alter_in_place(&t, &TableChange::AddColumn(c));
    assert!(add(col("bio", "TEXT")));
    assert!(add(with_default(col("bio", "TEXT"), "'x'")));
    assert!(add(not_null(with_default(col("n", "INTEGER"), "0"))));
    assert!(add(not_null(with_default(col("n", "INTEGER"), "-1e3"))));
    assert!(add(with_default(col("b", "BLOB"), "X'00'")));
    assert!(add(with_default(col("n", "INTEGER"), "NULL")));

    assert!(!add(not_null(col("n", "INTEGER"))));
    assert!(!add(not_null(with_default(col("n", "INTEGER"), "NULL"))));
    assert!(!add(with_default(col("at", "TEXT"), "CURRENT_TIMESTAMP")));
    assert!(!add(with_default(col("at", "TEXT"), "current_date")));
    assert!(!add(with_default(col("at", "TEXT"), "(datetime('now'))")));
    assert!(!add(with_default(col("at", "TEXT"), "datetime('now')")));
    assert!(!add(with_default(col("n", "INTEGER"), "1+2")));
    assert!(!add(with_default(col("s", "TEXT"), "'a' || 'b'")));
    let mut auto = col("n", "INTEGER");
    auto.auto_increment = true;
    assert!(!add(auto));
    let mut stored = col("g", "TEXT");
    stored.generated = Some(Generated {
        expression: "upper(name)".into(),
        stored: true,
    });
    assert!(!add(stored.clone()));
    stored.generated.as_mut().unwrap().stored = false;
    assert!(add(stored));

    // Conservative: a column already named by a constraint of the table is not added in
    // place.
    let mut constrained = t.clone();
    constrained.checks = vec![Check {
        expression: "\"Bio\" <> ''".into(),
        name: None,
        ext: Default::default(),
    }];
    assert!(!alter_in_place(
        &constrained,
        &TableChange::AddColumn(col("bio", "TEXT"))
    ));
    constrained.checks.clear();
    constrained.uniques = vec![Unique {
        columns: names(&["bio"]),
        name: None,
        ..Default::default()
    }];
    assert!(!alter_in_place(
        &constrained,
        &TableChange::AddColumn(col("bio", "TEXT"))
    ));
}

#[test]
fn in_place_drop_column_rules() {
    let mut t = authors();
    t.columns.extend([
        col("a", "TEXT"),
        col("b", "TEXT"),
        col("c", "TEXT"),
        col("d", "TEXT"),
        col("e", "TEXT"),
        col("parent", "INTEGER"),
    ]);
    let mut g = col("g", "TEXT");
    g.generated = Some(Generated {
        expression: "[e] || 'x'".into(),
        stored: false,
    });
    t.columns.push(g);
    t.uniques = vec![Unique {
        columns: names(&["name", "a"]),
        name: None,
        ..Default::default()
    }];
    t.foreign_keys = vec![ForeignKey {
        columns: names(&["parent"]),
        ref_table: "authors".into(),
        ref_columns: names(&["b"]),
        ..Default::default()
    }];
    t.checks = vec![Check {
        expression: "C > 0 AND age <> 'd'".into(),
        name: None,
        ext: Default::default(),
    }];
    let drop = |name: &str| {
        let column = t.column(name).unwrap().clone();
        alter_in_place(&t, &TableChange::DropColumn(column))
    };
    assert!(!drop("id"), "primary key");
    assert!(!drop("a"), "unique");
    assert!(!drop("name"), "unique");
    assert!(!drop("parent"), "foreign key");
    assert!(!drop("b"), "parent column of a self-reference");
    assert!(!drop("c"), "check, case-insensitive");
    assert!(!drop("age"), "check");
    assert!(drop("d"), "only in a string literal of the check");
    assert!(!drop("e"), "generated column expression");
    assert!(drop("g"), "a generated column itself");
}

#[test]
fn other_changes_rebuild() {
    let t = authors();
    let c = t.columns[1].clone();
    for change in [
        column_change(&c, &c),
        TableChange::SetPrimaryKey {
            from: None,
            to: None,
        },
        TableChange::AddUnique(Unique::default()),
        TableChange::DropUnique(Unique::default()),
        TableChange::AddForeignKey(ForeignKey::default()),
        TableChange::DropForeignKey(ForeignKey::default()),
        TableChange::AddCheck(Check::default()),
        TableChange::DropCheck(Check::default()),
        TableChange::SetOptions,
    ] {
        assert!(!alter_in_place(&t, &change), "{change:?}");
    }
}

#[test]
fn literals_and_parentheses() {
    for literal in [
        "0", "-1.5", "+3", "1e-3", "0x1F", "'it''s'", "x'00'", "NULL", "true",
    ] {
        assert!(is_literal(literal), "{literal}");
    }
    for expression in ["1+2", "'a' || 'b'", "'a'b'", "abs(-1)", "(1)", "e", "-"] {
        assert!(!is_literal(expression), "{expression}");
    }
    // What PRAGMA table_xinfo reports goes back so that it reports the same text again.
    assert_eq!(default_clause("NULL"), " DEFAULT NULL");
    assert_eq!(default_clause("null"), " DEFAULT null");
    assert_eq!(default_clause("+ 5"), " DEFAULT + 5");
    assert_eq!(default_clause("\"abc\""), " DEFAULT \"abc\"");
    assert_eq!(default_clause("plain"), " DEFAULT plain");
    assert_eq!(default_clause("(1)"), " DEFAULT ((1))");
    assert_eq!(default_clause("1+2"), " DEFAULT (1+2)");
    assert_eq!(
        default_clause("\"a\" || \"b\""),
        " DEFAULT (\"a\" || \"b\")"
    );
}

#[test]
fn comment_lines_cannot_be_broken_by_names() {
    let (mut from, _, _) = type_change();
    from.name = "evil\nDROP TABLE x; --".into();
    let mut to = from.clone();
    to.columns[2].type_text = "INTEGER".into();
    let changes = vec![column_change(&from.columns[2], &to.columns[2])];
    let statements = render_op(&alter(&from, &to, changes));
    let first_line = statements[0].lines().next().unwrap();
    assert!(first_line.starts_with("-- rebuild"), "{first_line}");
    assert!(first_line.contains("evil\\nDROP TABLE x"), "{first_line}");
}

#[test]
fn on_conflict_clauses_and_descending_keys() {
    let mut id = not_null(col("id", "INTEGER"));
    id.auto_increment = true;
    id.ext.sqlite.not_null_on_conflict = Some("REPLACE".into());
    let mut t = table("t", vec![id, col("a", "TEXT"), col("b", "TEXT")]);
    t.primary_key = Some(PrimaryKey {
        ext: crate::schema::KeyExt::sqlite_on_conflict(Some("FAIL".into())),
        ..pk(&["id"]).unwrap()
    });
    t.uniques = vec![Unique {
        columns: names(&["a", "b"]),
        ext: crate::schema::KeyExt::sqlite_on_conflict(Some("IGNORE".into())),
        ..Default::default()
    }];
    let sql = script(&[Op::CreateTable(t.clone())]);
    assert!(sql.contains(
        "\"id\" INTEGER PRIMARY KEY ON CONFLICT FAIL AUTOINCREMENT NOT NULL ON CONFLICT REPLACE,"
    ));
    assert!(sql.contains("UNIQUE (\"a\", \"b\") ON CONFLICT IGNORE"));

    // Not a rowid alias: the key goes on its column, where DESC keeps it one.
    let mut desc = table("d", vec![col("id", "INTEGER"), col("x", "")]);
    desc.primary_key = Some(PrimaryKey {
        descending: vec![true],
        ext: crate::schema::KeyExt::sqlite_on_conflict(Some("REPLACE".into())),
        ..pk(&["id"]).unwrap()
    });
    let sql = script(&[Op::CreateTable(desc)]);
    assert!(sql.contains("\"id\" INTEGER PRIMARY KEY DESC ON CONFLICT REPLACE,"));
    assert!(!sql.contains("PRIMARY KEY ("));

    let mut composite = table("c", vec![col("a", "TEXT"), col("b", "INT")]);
    composite.primary_key = Some(PrimaryKey {
        descending: vec![false, true],
        ext: crate::schema::KeyExt::sqlite_on_conflict(Some("ROLLBACK".into())),
        ..pk(&["a", "b"]).unwrap()
    });
    let sql = script(&[Op::CreateTable(composite)]);
    assert!(sql.contains("PRIMARY KEY (\"a\", \"b\" DESC) ON CONFLICT ROLLBACK"));

    // Only the NOT NULL's clause changing is a change to the column, done by a rebuild.
    let mut to = t.clone();
    to.columns[0].ext.sqlite.not_null_on_conflict = None;
    let change = column_change(&t.columns[0], &to.columns[0]);
    assert!(!alter_in_place(&t, &change));
}

/// A unique index of `table` on `column`.
fn unique_index(name: &str, table: &str, column: &str) -> Index {
    Index {
        name: name.into(),
        table: table.into(),
        unique: true,
        parts: vec![IndexPart {
            key: IndexKey::Column(column.into()),
            descending: false,
            collation: None,
        }],
        predicate: None,
        definition: None,
        ext: Default::default(),
        namespace: Default::default(),
    }
}

/// `node (id, code, parent_code)` without and with a foreign key `parent_code -> node
/// (code)`, which needs a unique index on `code`.
fn self_reference() -> (Table, Table, ForeignKey) {
    let mut from = table("node", vec![col("id", "INTEGER"), col("code", "TEXT")]);
    from.primary_key = pk(&["id"]);
    from.columns.push(col("parent_code", "TEXT"));
    let fk = ForeignKey {
        columns: names(&["parent_code"]),
        ref_table: "node".into(),
        ref_columns: names(&["code"]),
        ..ForeignKey::default()
    };
    let mut to = from.clone();
    to.foreign_keys.push(fk.clone());
    (from, to, fk)
}

#[test]
fn every_foreign_key_check_goes_to_the_end_of_the_section() {
    let (from, to, fk) = self_reference();
    let check = "PRAGMA foreign_key_check(\"node\")".to_string();
    let index = unique_index("node_code", "node", "code");
    let ops = vec![
        Op::DropIndex(index.clone()),
        Op::AlterTable {
            changes: vec![TableChange::AddForeignKey(fk)],
            from,
            to,
        },
        Op::CreateIndex(index),
        Op::CreateIndex(unique_index("other_code", "other", "code")),
    ];
    assert!(render_op(&ops[1]).contains(&check));
    let rendered = render_ops(&ops);
    // Only the check moves: each op keeps its own statements, the check goes last.
    for (i, op) in ops.iter().enumerate() {
        let mut own = render_op(op);
        own.retain(|s| *s != check);
        let mut moved = rendered[i].clone();
        moved.retain(|s| *s != check);
        assert_eq!(own, moved, "op {i}");
    }
    let checks: Vec<usize> = (0..ops.len())
        .filter(|i| rendered[*i].contains(&check))
        .collect();
    assert_eq!(checks, [3]);
    assert_eq!(rendered[3].last(), Some(&check));
}

#[test]
fn foreign_key_checks_run_before_a_table_rename_that_follows() {
    let (from, to, fk) = self_reference();
    let check = "PRAGMA foreign_key_check(\"node\")".to_string();
    let mut renamed = to.clone();
    renamed.name = "tree".into();
    let ops = vec![
        Op::AlterTable {
            changes: vec![TableChange::AddForeignKey(fk)],
            from,
            to: to.clone(),
        },
        Op::CreateIndex(unique_index("node_code", "node", "code")),
        Op::RenameTable {
            from: to,
            to: renamed,
        },
    ];
    let rendered = render_ops(&ops);
    assert_eq!(rendered[1].last(), Some(&check), "{rendered:#?}");
    assert_eq!(rendered[2], ["ALTER TABLE \"node\" RENAME TO \"tree\""]);
}

#[test]
fn a_rebuild_keeping_keys_and_foreign_keys_checks_nothing() {
    let (_, from, _) = self_reference();
    let mut to = from.clone();
    to.columns[1] = with_default(col("code", "TEXT"), "'x'");
    let op = Op::AlterTable {
        changes: vec![column_change(&from.columns[1], &to.columns[1])],
        from: from.clone(),
        to,
    };
    let statements = render_op(&op);
    assert!(statements.iter().any(|s| s.contains("CREATE TABLE")));
    assert!(!statements.iter().any(|s| is_check(s)), "{statements:#?}");

    // A retyped column may change a key value: the tables referencing it are checked.
    let mut retyped = from.clone();
    retyped.columns[1] = col("code", "INTEGER");
    let op = Op::AlterTable {
        changes: vec![column_change(&from.columns[1], &retyped.columns[1])],
        from,
        to: retyped,
    };
    let statements = render_op(&op);
    assert!(
        statements
            .iter()
            .any(|s| s.starts_with(REFERENCES_CHECK_PREFIX)),
        "{statements:#?}"
    );
}

#[test]
fn a_default_ending_in_a_line_comment_keeps_its_line_break() {
    assert_eq!(
        default_clause("'new' -- initial state"),
        " DEFAULT ('new' -- initial state\n)"
    );
    assert_eq!(default_clause("1 -- x\n + 2"), " DEFAULT (1 -- x\n + 2)");
    assert_eq!(default_clause("'a--b'"), " DEFAULT 'a--b'");
}
