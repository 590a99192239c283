//! A unique index a failed `CREATE INDEX CONCURRENTLY` left INVALID enforces nothing:
//! `check` must not take it for the index schema.sql declares. Judged by pg_index.

use crate::project::TestProject;
use crate::servers::PgDatabase;

#[test]
fn an_invalid_index_is_not_the_declared_one_and_is_made_again() {
    let Some(db) = PgDatabase::create("invalid_index") else {
        return;
    };
    let p = TestProject::on_url(&db.url());
    p.write(
        "schema.sql",
        "CREATE TABLE t (a int);\nCREATE UNIQUE INDEX ux ON t (a);\n",
    );
    p.run(&["revision", "--autogenerate", "-m", "v1"]).ok();
    p.run(&["upgrade", "head"]).ok();
    let mut client = db.client();
    client
        .batch_execute("DROP INDEX ux; INSERT INTO t VALUES (1), (1);")
        .unwrap();
    // Fails on the duplicates and leaves the index behind, INVALID.
    assert!(client
        .batch_execute("CREATE UNIQUE INDEX CONCURRENTLY ux ON t (a)")
        .is_err());
    assert_eq!(
        db.strings("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'ux'::regclass"),
        ["false"]
    );
    let check = p.run(&["check"]).fails(1, "2 pending operation(s)");
    assert_eq!(
        check.stdout,
        "drop index ux on public.t\ncreate index ux on public.t\n"
    );
    p.run(&["revision", "--autogenerate", "-m", "rebuild"]).ok();
    client.batch_execute("DELETE FROM t").unwrap();
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(
        db.strings("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'ux'::regclass"),
        ["true"]
    );
    p.run(&["check"]).ok();
}
