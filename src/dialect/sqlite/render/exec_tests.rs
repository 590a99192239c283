//! Execution tests: the rendered statements run on a real in-memory SQLite database.

use super::tests::{
    alter, authors, autoincrement_change, check_add, col, default_change, every_feature_table,
    fk_add, membership_table, not_null_change, pk_change, type_change,
};
use super::*;
use rusqlite::Connection;

/// Runs `statements` as the runner does: each one prepared and stepped, a
/// `PRAGMA foreign_key_check` that reports rows failing the run.
fn run(conn: &Connection, statements: &[String]) -> Result<(), String> {
    for sql in statements {
        let mut stmt = conn.prepare(sql).map_err(|e| format!("{sql}\n=> {e}"))?;
        let mut rows = stmt.query([]).map_err(|e| format!("{sql}\n=> {e}"))?;
        let reported = rows.next().map_err(|e| format!("{sql}\n=> {e}"))?.is_some();
        if reported && sql.contains("foreign_key_check") {
            return Err(format!("{sql}\n=> foreign key violations"));
        }
    }
    Ok(())
}

/// Runs `op` inside BEGIN/COMMIT (rolling back on failure).
fn apply(conn: &Connection, op: &Op) -> Result<(), String> {
    conn.execute_batch("BEGIN").unwrap();
    match run(conn, &render_op(op)) {
        Ok(()) => {
            conn.execute_batch("COMMIT").unwrap();
            Ok(())
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK").unwrap();
            Err(e)
        }
    }
}

fn stored_sql(conn: &Connection, name: &str) -> Option<String> {
    conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE name = ?1",
        [name],
        |r| r.get(0),
    )
    .ok()
}

fn rows(conn: &Connection, sql: &str) -> Vec<Vec<Option<String>>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        (0..n)
            .map(|i| {
                r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                    rusqlite::types::Value::Null => None,
                    rusqlite::types::Value::Integer(i) => Some(i.to_string()),
                    rusqlite::types::Value::Real(f) => Some(f.to_string()),
                    rusqlite::types::Value::Text(t) => Some(t),
                    rusqlite::types::Value::Blob(b) => Some(format!("{b:?}")),
                })
            })
            .collect()
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn fk_violations(conn: &Connection) -> Vec<Vec<Option<String>>> {
    rows(conn, "PRAGMA foreign_key_check")
}

/// A database holding `from` (created from its rendered CREATE TABLE) with three rows, a
/// child table `books` with a foreign key to it, and a view and a trigger on `books` that
/// name it.
fn fixture(from: &Table) -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    run(&conn, &render_op(&Op::CreateTable(from.clone()))).unwrap();
    let mut columns = vec!["id", "name", "age"];
    let mut values = vec![
        vec!["1", "'Ann'", "'30'"],
        vec!["2", "'Bob'", "'41'"],
        vec!["3", "'Cy'", "'52'"],
    ];
    for extra in ["code", "mentor_id"] {
        if from.column(extra).is_some() {
            columns.push(extra);
            let make = |i: usize| match extra {
                "code" => format!("'c{i}'"),
                _ if i == 1 => "NULL".into(),
                _ => "1".into(),
            };
            for (i, row) in values.iter_mut().enumerate() {
                row.push(Box::leak(make(i + 1).into_boxed_str()));
            }
        }
    }
    for row in &values {
        conn.execute_batch(&format!(
            "INSERT INTO authors ({}) VALUES ({})",
            columns.join(", "),
            row.join(", ")
        ))
        .unwrap();
    }
    conn.execute_batch(
        "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, author_id INTEGER REFERENCES authors (id));
         INSERT INTO books VALUES (1, 'A', 1), (2, 'B', 2), (3, 'C', 2);
         CREATE VIEW book_authors AS SELECT books.title, authors.name FROM books JOIN authors ON authors.id = books.author_id;
         CREATE TRIGGER books_touch AFTER UPDATE ON books BEGIN UPDATE authors SET name = name WHERE id = new.author_id; END;",
    )
    .unwrap();
    assert!(fk_violations(&conn).is_empty());
    conn
}

/// The fixture's rows of `authors` in the columns both tables have.
fn shared_rows(conn: &Connection, from: &Table, to: &Table) -> Vec<Vec<Option<String>>> {
    let shared: Vec<String> = to
        .columns
        .iter()
        .filter(|c| from.column(&c.name).is_some())
        .map(|c| format!("CAST({} AS TEXT)", q(&c.name)))
        .collect();
    rows(
        conn,
        &format!("SELECT {} FROM authors ORDER BY id", shared.join(", ")),
    )
}

/// Upgrades with the rebuild and downgrades again, checking rows, definitions, foreign
/// keys and the view and trigger naming the table after each step.
fn check_rebuild((from, to, changes): (Table, Table, Vec<TableChange>)) {
    let op = alter(&from, &to, changes);
    assert!(
        render_op(&op)[0].starts_with("-- rebuild"),
        "not a rebuild: {op:?}"
    );
    let conn = fixture(&from);
    let before = shared_rows(&conn, &from, &to);
    let view_before = rows(&conn, "SELECT * FROM book_authors ORDER BY title");

    for (op, want) in [(op.clone(), &to), (op.invert(), &from)] {
        apply(&conn, &op).unwrap();
        assert_eq!(
            stored_sql(&conn, "authors"),
            render_op(&Op::CreateTable(want.clone())).first().cloned(),
            "definition in sqlite_schema"
        );
        assert_eq!(stored_sql(&conn, "authors__migrate_new"), None);
        assert_eq!(shared_rows(&conn, &from, &to), before, "rows survive");
        assert!(fk_violations(&conn).is_empty());
        assert_eq!(
            rows(&conn, "SELECT * FROM book_authors ORDER BY title"),
            view_before
        );
        conn.execute_batch("UPDATE books SET title = title")
            .unwrap();
        assert_eq!(
            rows(&conn, "PRAGMA integrity_check"),
            vec![vec![Some("ok".to_string())]]
        );
    }
}

#[test]
fn rebuild_type_change_runs() {
    check_rebuild(type_change());
}

#[test]
fn rebuild_not_null_change_runs() {
    check_rebuild(not_null_change());
}

#[test]
fn rebuild_default_change_runs() {
    let case = default_change();
    let to = case.1.clone();
    check_rebuild(case);
    // The new default applies after the upgrade.
    let conn = fixture(&authors_with_default());
    apply(
        &conn,
        &alter(&authors_with_default(), &to, default_change().2),
    )
    .unwrap();
    conn.execute_batch("INSERT INTO authors (id) VALUES (9)")
        .unwrap();
    assert_eq!(
        rows(&conn, "SELECT name FROM authors WHERE id = 9"),
        vec![vec![Some("anonymous".to_string())]]
    );
}

fn authors_with_default() -> Table {
    default_change().0
}

#[test]
fn rebuild_primary_key_change_runs() {
    check_rebuild(pk_change());
}

#[test]
fn rebuild_foreign_key_add_runs() {
    check_rebuild(fk_add());
}

#[test]
fn rebuild_foreign_key_add_with_violating_rows_fails_the_run() {
    let (from, to, changes) = fk_add();
    let conn = fixture(&from);
    conn.execute_batch("UPDATE authors SET mentor_id = 99 WHERE id = 3")
        .unwrap();
    let err = apply(&conn, &alter(&from, &to, changes)).unwrap_err();
    assert!(err.contains("foreign_key_check"), "{err}");
    // Rolled back: the old definition is still there.
    assert_eq!(
        stored_sql(&conn, "authors"),
        Some(render_op(&Op::CreateTable(from)).remove(0))
    );
}

#[test]
fn rebuild_check_add_runs() {
    check_rebuild(check_add());
}

#[test]
fn rebuild_check_add_with_violating_rows_fails() {
    let (from, to, changes) = check_add();
    let conn = fixture(&from);
    conn.execute_batch("UPDATE authors SET age = '-1' WHERE id = 3")
        .unwrap();
    let err = apply(&conn, &alter(&from, &to, changes)).unwrap_err();
    assert!(err.contains("CHECK constraint failed"), "{err}");
}

#[test]
fn rename_needs_legacy_alter_table_when_a_view_names_the_table() {
    // Without the legacy pragma the rename fails on the view of `books` naming `authors`;
    // this is why the rebuild sets it.
    let (from, to, changes) = type_change();
    let conn = fixture(&from);
    let statements: Vec<String> = render_op(&alter(&from, &to, changes))
        .into_iter()
        .filter(|s| !s.contains("legacy_alter_table"))
        .collect();
    conn.execute_batch("BEGIN").unwrap();
    let err = run(&conn, &statements).unwrap_err();
    conn.execute_batch("ROLLBACK").unwrap();
    assert!(err.contains("book_authors"), "{err}");
}

#[test]
fn rebuild_keeps_the_autoincrement_counter() {
    let (from, to, changes) = autoincrement_change();
    let conn = fixture(&from);
    // Ids 1..3 are taken; 4 and 5 are handed out and deleted again.
    conn.execute_batch(
        "INSERT INTO authors (name) VALUES ('D'), ('E');
         DELETE FROM authors WHERE id > 3;",
    )
    .unwrap();
    let op = alter(&from, &to, changes);
    apply(&conn, &op).unwrap();
    conn.execute_batch("INSERT INTO authors (name) VALUES ('F')")
        .unwrap();
    assert_eq!(
        rows(&conn, "SELECT max(id) FROM authors"),
        vec![vec![Some("6".to_string())]]
    );
    assert_eq!(
        rows(&conn, "SELECT name, seq FROM sqlite_sequence ORDER BY name"),
        vec![vec![Some("authors".to_string()), Some("6".to_string())]]
    );
    conn.execute_batch("DELETE FROM authors WHERE id = 6")
        .unwrap();
    apply(&conn, &op.invert()).unwrap();
    conn.execute_batch("INSERT INTO authors (name) VALUES ('G')")
        .unwrap();
    assert_eq!(
        rows(&conn, "SELECT max(id) FROM authors"),
        vec![vec![Some("7".to_string())]]
    );
}

#[test]
fn rebuild_of_an_empty_autoincrement_table_keeps_the_counter() {
    let (from, to, changes) = autoincrement_change();
    let conn = Connection::open_in_memory().unwrap();
    run(&conn, &render_op(&Op::CreateTable(from.clone()))).unwrap();
    conn.execute_batch("INSERT INTO authors (name) VALUES ('A'), ('B'); DELETE FROM authors;")
        .unwrap();
    apply(&conn, &alter(&from, &to, changes)).unwrap();
    conn.execute_batch("INSERT INTO authors (name) VALUES ('C')")
        .unwrap();
    assert_eq!(
        rows(&conn, "SELECT id FROM authors"),
        vec![vec![Some("3".to_string())]]
    );
}

#[test]
fn in_place_add_and_drop_run() {
    let from = authors();
    let mut to = from.clone();
    let bio = col("bio", "TEXT");
    let mut rank = col("rank", "INTEGER");
    rank.nullable = false;
    rank.default = Some("7".into());
    to.columns.extend([bio.clone(), rank.clone()]);
    let op = alter(
        &from,
        &to,
        vec![TableChange::AddColumn(bio), TableChange::AddColumn(rank)],
    );
    assert!(render_op(&op).iter().all(|s| s.contains("ADD COLUMN")));
    let conn = fixture(&from);
    apply(&conn, &op).unwrap();
    assert_eq!(
        rows(&conn, "SELECT bio, rank FROM authors WHERE id = 1"),
        vec![vec![None, Some("7".to_string())]]
    );
    // ADD COLUMN appends to the stored definition; the model of the result must equal `to`,
    // which the introspection checks. Here: the columns are there in order.
    assert_eq!(
        rows(
            &conn,
            "SELECT name FROM pragma_table_info('authors') ORDER BY cid"
        ),
        ["id", "name", "age", "bio", "rank"]
            .iter()
            .map(|n| vec![Some(n.to_string())])
            .collect::<Vec<_>>()
    );
    apply(&conn, &op.invert()).unwrap();
    assert_eq!(
        stored_sql(&conn, "authors"),
        Some(render_op(&Op::CreateTable(from)).remove(0))
    );
}

#[test]
fn every_create_table_and_index_form_runs() {
    let conn = Connection::open_in_memory().unwrap();
    let mut users = authors();
    users.name = "naïve \"users\"".into();
    users.columns[0].auto_increment = true;
    users.columns.push(col("ünï", "TEXT"));
    let index = Index {
        name: "ix \"x\"".into(),
        table: users.name.clone(),
        unique: true,
        parts: vec![
            IndexPart {
                key: IndexKey::Expression("lower(name)".into()),
                descending: true,
                collation: Some("NOCASE".into()),
            },
            IndexPart {
                key: IndexKey::Column("ünï".into()),
                descending: false,
                collation: None,
            },
        ],
        predicate: Some("age IS NOT NULL".into()),
        definition: None,
        ext: Default::default(),
        namespace: Default::default(),
    };
    for op in [
        Op::CreateTable(users.clone()),
        Op::CreateIndex(index.clone()),
    ] {
        apply(&conn, &op).unwrap();
    }
    assert_eq!(
        stored_sql(&conn, &index.name),
        Some(render_op(&Op::CreateIndex(index.clone())).remove(0))
    );
    for op in [Op::DropIndex(index), Op::DropTable(users)] {
        apply(&conn, &op).unwrap();
    }
    assert!(rows(
        &conn,
        "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
    )
    .is_empty());

    // The table with every feature (less the made-up collation) and its companion.
    let mut every = every_feature_table();
    every.columns.retain(|c| c.name != "odd collation");
    for table in [every, membership_table()] {
        let op = Op::CreateTable(table.clone());
        apply(&conn, &op).unwrap();
        assert_eq!(
            stored_sql(&conn, &table.name),
            Some(render_op(&op).remove(0))
        );
    }
    assert_eq!(
        rows(
            &conn,
            "SELECT name, hidden FROM pragma_table_xinfo('users') WHERE hidden > 0"
        ),
        vec![
            vec![Some("email_upper".to_string()), Some("2".to_string())],
            vec![Some("email_length".to_string()), Some("3".to_string())],
        ]
    );
}

#[test]
fn rebuild_dropping_a_column_named_in_a_check_runs() {
    // DROP COLUMN refuses a column a CHECK names: rebuilt, copying the other columns.
    let (_, from, _) = check_add();
    let mut to = from.clone();
    let age = to.columns.remove(2);
    let check = to.checks.remove(0);
    let changes = vec![TableChange::DropCheck(check), TableChange::DropColumn(age)];
    let sql = render_op(&alter(&from, &to, changes.clone())).join(";\n");
    assert!(
        sql.contains("SELECT \"id\", \"name\"\nFROM \"authors\""),
        "{sql}"
    );
    check_rebuild((from, to, changes));
}
