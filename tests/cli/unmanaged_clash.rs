//! A table that schema.sql turns into a relation autogenerate does not manage (a
//! PostgreSQL partitioned table, a SQLite virtual table), or the reverse: autogenerate
//! and `check` stop with one error naming it, write no revision, and the table keeps its
//! rows, as the engine's catalog shows. Without the refusal the generated revision
//! dropped the table and its rows and created nothing, and `check` then passed.

use crate::project::TestProject;
use crate::servers::PgDatabase;

#[test]
fn a_postgres_table_made_partitioned_is_refused_and_keeps_its_rows() {
    let Some(db) = PgDatabase::create("unmanaged_partitioned") else {
        return;
    };
    let p = TestProject::on_url(&db.url());
    p.write(
        "schema.sql",
        "CREATE TABLE events (id int, at date NOT NULL);\n",
    );
    p.run(&["revision", "--autogenerate", "-m", "v1"]).ok();
    p.run(&["upgrade", "head"]).ok();
    db.client()
        .batch_execute("INSERT INTO events VALUES (1, '2026-05-05')")
        .unwrap();
    p.write(
        "schema.sql",
        "CREATE TABLE events (id int, at date NOT NULL) PARTITION BY RANGE (at);\n\
         CREATE TABLE events_2026 PARTITION OF events \
         FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n",
    );
    let files = std::fs::read_dir(p.path("migrations")).unwrap().count();
    let refused = p
        .run(&["revision", "--autogenerate", "-m", "partition"])
        .fails(1, "schema.sql makes public.events a partitioned table");
    assert_eq!(
        refused
            .stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .count(),
        1,
        "{}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read_dir(p.path("migrations")).unwrap().count(),
        files
    );
    p.run(&["check"])
        .fails(1, "schema.sql makes public.events a partitioned table");
    // PostgreSQL's catalog: events is still the plain table ('r') with its row.
    assert_eq!(
        db.strings("SELECT relkind::text FROM pg_class WHERE relname = 'events'"),
        ["r"]
    );
    assert_eq!(db.strings("SELECT count(*)::text FROM events"), ["1"]);
}

#[test]
fn a_sqlite_virtual_table_made_a_plain_table_is_refused() {
    let p = TestProject::new();
    p.db()
        .execute_batch(
            "CREATE VIRTUAL TABLE docs USING fts5(body); INSERT INTO docs VALUES ('kept');",
        )
        .unwrap();
    p.write("schema.sql", "CREATE TABLE docs (body TEXT);\n");
    p.run(&["revision", "--autogenerate", "-m", "plain"])
        .fails(1, "the database has docs as a virtual table");
    let sql = p.strings("SELECT sql FROM sqlite_master WHERE name = 'docs'");
    assert!(sql[0].contains("VIRTUAL TABLE"), "{sql:?}");
    assert_eq!(p.strings("SELECT body FROM docs"), ["kept"]);
}
