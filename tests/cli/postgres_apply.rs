//! Applying on PostgreSQL: each revision in one transaction with its version update,
//! `transaction: none` revisions outside one, every command on a real server, judged by
//! the server's catalogs. The scenarios shared with other engines are in apply.rs.

use crate::apply::{self, Applying};
use crate::engines::postgres;
use crate::servers::{Pg, PgDatabase};

impl Applying for Pg {
    const ORDER: (&'static str, &'static str) = (
        "CREATE TABLE \"Order\" (id serial PRIMARY KEY, account_id bigint REFERENCES account);",
        "DROP TABLE \"Order\";",
    );
}

#[test]
fn every_command_runs_on_postgres() {
    let Some(db) = PgDatabase::create("pg apply commands") else {
        return;
    };
    let p = apply::every_command_runs(&db);
    p.run(&["downgrade", "-1"]).ok();
    p.run(&["stamp", "b2b2b2b2b2b2"]).ok();
    assert_eq!(db.versions(), ["b2b2b2b2b2b2"]);
    assert_eq!(
        db.tables(),
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
    assert_eq!(db.versions(), ["a1a1a1a1a1a1"]);
    db.client()
        .batch_execute(&script)
        .unwrap_or_else(|e| panic!("the --sql script fails on the server: {e:?}\n{script}"));
    assert_eq!(db.versions(), ["b2b2b2b2b2b2"]);
    assert!(db.tables().contains(&"Order".to_string()));
    assert_eq!(p.run(&["current"]).ok().stdout, "b2b2b2b2b2b2 (head)\n");
}

#[test]
fn a_failing_statement_leaves_the_previous_revision_and_nothing_of_its_own() {
    let Some(db) = postgres("pg apply failing") else {
        return;
    };
    apply::a_failing_statement_rolls_its_revision_back(&db);
}

#[test]
fn create_index_concurrently_needs_and_gets_transaction_none() {
    let Some(db) = PgDatabase::create("pg apply concurrently") else {
        return;
    };
    let p = db.project();
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
    assert_eq!(db.versions(), ["a1a1a1a1a1a1"]);

    p.revision_with(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        "-- transaction: none\n",
        "CREATE INDEX CONCURRENTLY t_email ON t (email);",
        "DROP INDEX CONCURRENTLY t_email;",
    );
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(db.versions(), ["b2b2b2b2b2b2"]);
    assert_eq!(
        db.strings("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_email'::regclass"),
        ["true"]
    );
    p.run(&["downgrade", "-1"]).ok();
    assert_eq!(db.strings("SELECT to_regclass('t_email') IS NULL"), ["t"]);
    assert_eq!(db.versions(), ["a1a1a1a1a1a1"]);
}
