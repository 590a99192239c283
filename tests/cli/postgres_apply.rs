//! Applying on PostgreSQL: each revision in one transaction with its version update,
//! `transaction: none` revisions outside one, every command on a real server, judged by
//! the server's catalogs.

use crate::project::TestProject;
use crate::servers::PgDatabase;

/// A project on `db`.
pub fn project(db: &PgDatabase) -> TestProject {
    TestProject::on_url(&db.url())
}

/// The first column of every row of `sql` on `db`, as text.
pub fn strings(db: &PgDatabase, sql: &str) -> Vec<String> {
    db.client()
        .simple_query(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .filter_map(|message| match message {
            postgres::SimpleQueryMessage::Row(row) => Some(row.get(0).unwrap_or("").to_string()),
            _ => None,
        })
        .collect()
}

/// The tables of schema public, sorted.
fn tables(db: &PgDatabase) -> Vec<String> {
    strings(
        db,
        "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY relname",
    )
}

fn versions(db: &PgDatabase) -> Vec<String> {
    strings(db, "SELECT version_num FROM migrate_version ORDER BY 1")
}

fn two_revisions(p: &TestProject) {
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE account (id bigint PRIMARY KEY, name text NOT NULL);",
        "DROP TABLE account;",
    );
    p.revision(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        "CREATE TABLE \"Order\" (id serial PRIMARY KEY, account_id bigint REFERENCES account);",
        "DROP TABLE \"Order\";",
    );
}

#[test]
fn every_command_runs_on_postgres() {
    let Some(db) = PgDatabase::create("pg apply commands") else {
        return;
    };
    let p = project(&db);
    two_revisions(&p);
    assert_eq!(p.run(&["current"]).ok().stdout, "");
    let run = p.run(&["upgrade", "head"]).ok();
    assert!(
        run.stderr
            .contains("Running upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2"),
        "{run:?}"
    );
    assert_eq!(
        tables(&db),
        [
            "Order",
            "account",
            "migrate_version",
            "migrate_version_history"
        ]
    );
    assert_eq!(versions(&db), ["b2b2b2b2b2b2"]);
    assert_eq!(p.run(&["current"]).ok().stdout, "b2b2b2b2b2b2 (head)\n");
    let history = p.run(&["history"]).ok().stdout;
    assert!(
        history.contains("a1a1a1a1a1a1 -> b2b2b2b2b2b2 (head), rev b2b2b2b2b2b2"),
        "{history}"
    );
    // The history table records both steps with their checksums.
    assert_eq!(
        strings(
            &db,
            "SELECT version_num || ' ' || operation || ' ' || length(checksum) \
             FROM migrate_version_history ORDER BY id"
        ),
        ["a1a1a1a1a1a1 upgrade 64", "b2b2b2b2b2b2 upgrade 64"]
    );

    p.run(&["downgrade", "-1"]).ok();
    assert_eq!(versions(&db), ["a1a1a1a1a1a1"]);
    assert_eq!(
        tables(&db),
        ["account", "migrate_version", "migrate_version_history"]
    );

    p.run(&["stamp", "b2b2b2b2b2b2"]).ok();
    assert_eq!(versions(&db), ["b2b2b2b2b2b2"]);
    assert_eq!(
        tables(&db),
        ["account", "migrate_version", "migrate_version_history"]
    );
    p.run(&["stamp", "a1a1a1a1a1a1"]).ok();

    // --sql prints the script and touches nothing; the script itself runs on the server.
    let script = p
        .run(&["upgrade", "a1a1a1a1a1a1:head", "--sql"])
        .ok()
        .stdout;
    assert!(!script.contains("CREATE TABLE account"), "{script}");
    assert!(script.contains("CREATE TABLE \"Order\""), "{script}");
    assert_eq!(versions(&db), ["a1a1a1a1a1a1"]);
    db.client()
        .batch_execute(&script)
        .unwrap_or_else(|e| panic!("the --sql script fails on the server: {e:?}\n{script}"));
    assert_eq!(versions(&db), ["b2b2b2b2b2b2"]);
    assert!(tables(&db).contains(&"Order".to_string()));
    assert_eq!(p.run(&["current"]).ok().stdout, "b2b2b2b2b2b2 (head)\n");
}

#[test]
fn a_failing_statement_leaves_the_previous_revision_and_nothing_of_its_own() {
    let Some(db) = PgDatabase::create("pg apply failing") else {
        return;
    };
    let p = project(&db);
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id int PRIMARY KEY);",
        "DROP TABLE t;",
    );
    p.revision(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        "CREATE TABLE u (id int);\nINSERT INTO t VALUES (1);\n\nINSERT INTO nope VALUES (1);\nCREATE TABLE v (id int);",
        "DROP TABLE u;",
    );
    let run = p
        .run(&["upgrade", "head"])
        .fails(1, "revision b2b2b2b2b2b2 (");
    // Line 4 of the upgrade section; the section starts on line 6 of the file.
    assert!(
        run.stderr
            .contains("b2b2b2b2b2b2_rev.sql:9): statement 3 failed: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("relation \"nope\" does not exist"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("statement: INSERT INTO nope VALUES (1)"),
        "{}",
        run.stderr
    );
    // Revision 1 landed; nothing of revision 2 did (its table, its row, its version).
    assert_eq!(versions(&db), ["a1a1a1a1a1a1"]);
    assert_eq!(
        tables(&db),
        ["migrate_version", "migrate_version_history", "t"]
    );
    assert_eq!(strings(&db, "SELECT count(*) FROM t"), ["0"]);
    assert_eq!(
        strings(
            &db,
            "SELECT version_num FROM migrate_version_history ORDER BY id"
        ),
        ["a1a1a1a1a1a1"]
    );
    assert_eq!(p.run(&["current"]).ok().stdout, "a1a1a1a1a1a1\n");
}

#[test]
fn create_index_concurrently_needs_and_gets_transaction_none() {
    let Some(db) = PgDatabase::create("pg apply concurrently") else {
        return;
    };
    let p = project(&db);
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id int PRIMARY KEY, email text);\nINSERT INTO t SELECT g, 'u' || g FROM generate_series(1, 1000) g;",
        "DROP TABLE t;",
    );
    // Inside the revision's transaction the server refuses it: the transaction is real.
    p.revision(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        "CREATE INDEX CONCURRENTLY t_email ON t (email);",
        "DROP INDEX CONCURRENTLY t_email;",
    );
    let run = p
        .run(&["upgrade", "head"])
        .fails(1, "revision b2b2b2b2b2b2");
    assert!(
        run.stderr
            .contains("CREATE INDEX CONCURRENTLY cannot run inside a transaction block"),
        "{}",
        run.stderr
    );
    assert_eq!(versions(&db), ["a1a1a1a1a1a1"]);

    p.revision_with(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        "-- transaction: none\n",
        "CREATE INDEX CONCURRENTLY t_email ON t (email);",
        "DROP INDEX CONCURRENTLY t_email;",
    );
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(versions(&db), ["b2b2b2b2b2b2"]);
    assert_eq!(
        strings(
            &db,
            "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_email'::regclass"
        ),
        ["true"]
    );
    p.run(&["downgrade", "-1"]).ok();
    assert_eq!(strings(&db, "SELECT to_regclass('t_email') IS NULL"), ["t"]);
    assert_eq!(versions(&db), ["a1a1a1a1a1a1"]);
}
