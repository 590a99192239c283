//! The `migrate` binary racing itself on PostgreSQL: eight concurrent upgrades apply each
//! revision once under either lock, a SIGKILLed run leaves the last complete revision and
//! a freed lock, and a waiting run names the holder (the scenarios shared with MySQL, in
//! server_lock.rs, with PostgreSQL's data here); CREATE INDEX CONCURRENTLY finishes while
//! seven runs wait, and the table lease's takeovers. The server's catalogs judge.

use crate::project::{Run, TestProject};
use crate::server_lock::{self as shared, all_succeed, spawn, wait_until, Racing};
use crate::servers::{Pg, PgDatabase};
use crate::thin_tests;
use migrate::dialect::{Driver, LockKey};
use postgres::Client;
use std::time::{Duration, Instant};

impl Racing for Pg {
    const APPLIED_LOG: &'static str =
        "CREATE TABLE applied_log (rev TEXT NOT NULL, at TIMESTAMPTZ DEFAULT clock_timestamp());";
    const LOG_ORDER: &'static str = "at";
    fn fill(i: usize) -> String {
        format!("INSERT INTO t{i} SELECT generate_series(1, 5000);")
    }
    const SHORT_SLEEP: &'static str = "SELECT pg_sleep(0.1);";

    /// Granted advisory locks in the database (under `lock = "table"`: none).
    fn lock_holders(_key: &LockKey) -> String {
        ADVISORY_LOCKS.into()
    }
    fn take(key: &LockKey) -> String {
        format!("SELECT pg_try_advisory_lock({})", key.number)
    }
    fn release(key: &LockKey) -> String {
        format!("SELECT pg_advisory_unlock({})", key.number)
    }
    const DONE: &'static str = "t";
    fn holder_url(db: &PgDatabase) -> String {
        db.url_with("application_name=other_runner")
    }
    fn waiting_for(db: &PgDatabase, _holder: &mut dyn Driver, id: &str) -> String {
        format!(
            "waiting for the migration lock on database {} on 127.0.0.1:5432: another migrate \
             run holds it (pid {id}, application_name 'other_runner', client 127.0.0.1, \
             connected since ",
            db.name
        )
    }

    /// The revision's transaction rolls back: nothing of k002 stays.
    const KILLED_REVISION: &'static str = "CREATE TABLE second (id INT);\nSELECT pg_sleep(30);";
    const SLEEPING: &'static str = "SELECT count(*) FROM pg_stat_activity \
         WHERE query = 'SELECT pg_sleep(30)' AND state = 'active' \
         AND datname = current_database()";
    const FREED_WITHIN: Duration = Duration::from_secs(5);
    const LEFT_BY_THE_KILL: &'static [&'static str] =
        &["first", "migrate_version", "migrate_version_history"];
    /// The revision never applied, so editing it is no checksum change.
    fn before_the_rerun(p: &TestProject) {
        p.revision(
            "k002",
            "k001",
            "CREATE TABLE second (id INT);",
            "DROP TABLE second;",
        );
    }
    fn judge_the_rerun(db: &PgDatabase, rerun: Run) {
        rerun.ok();
        assert_eq!(db.versions(), ["k002"]);
    }
}

/// Granted advisory locks in the database (the server's view).
const ADVISORY_LOCKS: &str = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
     AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

thin_tests! {
    eight_concurrent_upgrades_under_the_advisory_lock_apply_each_revision_once =>
        shared::eight_runs_apply_each_revision_once::<Pg>("eight advisory", "");
    /// (The lease table is checked empty in the takeover test.)
    eight_concurrent_upgrades_under_the_table_lease_apply_each_revision_once =>
        shared::eight_runs_apply_each_revision_once::<Pg>("eight table", "lock = \"table\"");
    a_killed_run_leaves_the_last_complete_revision_and_frees_the_lock =>
        shared::a_killed_run_leaves_the_last_complete_revision_and_the_server_frees_its_lock::<Pg>("sigkill");
    a_waiting_run_names_the_session_that_holds_the_advisory_lock =>
        shared::a_waiting_run_names_the_holder_and_gives_up_after_lock_timeout::<Pg>("waiting message");
}

pub fn count(client: &mut Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).expect(sql).get(0)
}

pub fn versions(client: &mut Client) -> Vec<String> {
    client
        .query(
            "SELECT version_num FROM migrate_version ORDER BY version_num",
            &[],
        )
        .expect("version table")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

fn advisory_locks(client: &mut Client) -> i64 {
    count(client, ADVISORY_LOCKS)
}

/// `items` with rows, then a `-- transaction: none` revision that pauses (so the other
/// runs are surely polling) and builds an index concurrently.
fn concurrent_index_revisions(p: &TestProject) {
    p.revision(
        "i001",
        "",
        "CREATE TABLE items (id INT PRIMARY KEY, x INT NOT NULL);\n\
         INSERT INTO items SELECT g, g % 1000 FROM generate_series(1, 200000) g;",
        "DROP TABLE items;",
    );
    p.revision_with(
        "i002",
        "i001",
        "-- transaction: none\n",
        "SELECT pg_sleep(1);\nCREATE INDEX CONCURRENTLY items_x ON items (x);",
        "DROP INDEX CONCURRENTLY items_x;",
    );
}

fn create_index_concurrently_while_seven_wait(label: &str, lock: &str) {
    let Some(db) = PgDatabase::create(label) else {
        return;
    };
    // A blocking waiter would deadlock with the index build and fail (see below).
    let p = db.project_with(&format!("lock_timeout = \"60s\"\n{lock}"));
    concurrent_index_revisions(&p);
    let started = Instant::now();
    let children: Vec<_> = (0..8).map(|_| spawn(&p, &["upgrade", "head"])).collect();
    let waited = all_succeed(children);
    let took = started.elapsed();
    assert!(waited >= 1, "at least one run should have waited");
    assert!(
        took < Duration::from_secs(20),
        "eight runs took {took:?}: the index build waited for the waiters"
    );
    let mut client = db.client();
    let valid: bool = client
        .query_one(
            "SELECT indisvalid AND indisready FROM pg_index WHERE indexrelid = 'items_x'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(valid, "the concurrently built index is not valid");
    assert_eq!(versions(&mut client), ["i002"]);
    eprintln!("eight runs with CREATE INDEX CONCURRENTLY ({label}): {took:?}");
}

#[test]
fn create_index_concurrently_finishes_while_seven_runs_wait() {
    create_index_concurrently_while_seven_wait("cic advisory", "");
}

#[test]
fn create_index_concurrently_finishes_while_seven_runs_wait_on_the_lease() {
    create_index_concurrently_while_seven_wait("cic table", "lock = \"table\"");
}

#[test]
fn a_waiter_blocked_in_pg_advisory_lock_deadlocks_with_create_index_concurrently() {
    // The hazard the polling avoids, shown on this server, so the tests above can fail: a
    // session blocked in the blocking form holds a snapshot that the holder's index build
    // waits for, and the server breaks the cycle by failing the waiter (a waiting run would
    // fail, not wait).
    let Some(db) = PgDatabase::create("blocking waiter") else {
        return;
    };
    let mut holder = db.client();
    holder
        .batch_execute(
            "CREATE TABLE items (x INT); INSERT INTO items SELECT generate_series(1, 1000); \
             SELECT pg_advisory_lock(42)",
        )
        .unwrap();
    let url = db.url();
    let waiter = std::thread::spawn(move || {
        let mut waiter = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        waiter
            .batch_execute("SET statement_timeout = '20s'; SELECT pg_advisory_lock(42)")
            .err()
            .and_then(|e| e.code().cloned())
    });
    std::thread::sleep(Duration::from_millis(300));
    holder
        .batch_execute("CREATE INDEX CONCURRENTLY items_x ON items (x)")
        .unwrap();
    assert_eq!(
        waiter.join().unwrap(),
        Some(postgres::error::SqlState::T_R_DEADLOCK_DETECTED),
        "the blocked waiter should have deadlocked with the index build"
    );
}

#[test]
fn a_second_run_waits_for_a_running_one_and_then_finds_nothing_to_do() {
    let Some(db) = PgDatabase::create("second run waits") else {
        return;
    };
    let p = db.project_with("lock_timeout = \"30s\"");
    p.revision(
        "s001",
        "",
        "CREATE TABLE t (id INT);\nSELECT pg_sleep(2);",
        "DROP TABLE t;",
    );
    let first = spawn(&p, &["upgrade", "head"]);
    let mut client = db.client();
    wait_until(
        "the first run never took the lock",
        Duration::from_secs(10),
        Duration::from_millis(20),
        || advisory_locks(&mut client) > 0,
    );
    let second = p.run(&["upgrade", "head"]).ok();
    assert!(
        second.stderr.contains("another migrate run holds it (pid ")
            && second.stderr.contains("application_name 'migrate'"),
        "{}",
        second.stderr
    );
    assert!(
        !second.stderr.contains("Running upgrade"),
        "{}",
        second.stderr
    );
    assert_eq!(all_succeed(vec![first]), 0);
    assert_eq!(versions(&mut client), ["s001"]);
}

#[test]
fn a_dead_owners_expired_lease_is_taken_over_and_a_live_one_is_waited_for() {
    let Some(db) = PgDatabase::create("lease takeover run") else {
        return;
    };
    let p = db.project_with("lock_timeout = \"1s\"\nlock = \"table\"");
    p.revision("d001", "", "CREATE TABLE t (id INT);", "DROP TABLE t;");
    p.revision("d002", "d001", "CREATE TABLE u (id INT);", "DROP TABLE u;");
    p.run(&["upgrade", "d001"]).ok();
    let mut client = db.client();
    let name = LockKey::new(String::new(), &db.name, "migrate_version").name;
    // A live lease of another run: waited for, named, and the wait gives up.
    client
        .execute(
            "INSERT INTO migrate_version_lock VALUES ($1, 'elsewhere pid 7 #live', now(), \
             now() + interval '1 minute', now())",
            &[&name],
        )
        .unwrap();
    let run = p.run(&["upgrade", "head"]).fails(1, "timed out after");
    assert!(
        run.stderr
            .contains("another migrate run holds it (owner 'elsewhere pid 7 #live', acquired "),
        "{}",
        run.stderr
    );
    assert_eq!(versions(&mut client), ["d001"]);
    // The same row, expired: its owner is dead, the run takes it over.
    client
        .execute(
            "UPDATE migrate_version_lock SET owner = 'gone pid 8 #dead', \
             expires_at = now() - interval '1 second'",
            &[],
        )
        .unwrap();
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(
        versions(&mut client),
        ["d001", "d002"].map(String::from)[1..]
    );
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM migrate_version_lock"),
        0,
        "the run did not release its lease"
    );
    assert_eq!(advisory_locks(&mut client), 0);
}

#[test]
fn a_run_whose_lease_was_taken_over_stops_before_recording_more() {
    let Some(db) = PgDatabase::create("lease lost run") else {
        return;
    };
    let p = db.project_with("lock_timeout = \"5s\"\nlock = \"table\"");
    p.revision("f001", "", "CREATE TABLE t (id INT);", "DROP TABLE t;");
    // Outside a transaction the lease row is not held, so a takeover can happen mid-way,
    // as it would if this run stalled past its lease.
    p.revision_with(
        "f002",
        "f001",
        "-- transaction: none\n",
        "SELECT pg_sleep(2);",
        "SELECT 1;",
    );
    p.revision("f003", "f002", "CREATE TABLE u (id INT);", "DROP TABLE u;");
    let child = spawn(&p, &["upgrade", "head"]);
    let mut client = db.client();
    wait_until(
        "never reached f002",
        Duration::from_secs(20),
        Duration::from_millis(20),
        || {
            count(
                &mut client,
                "SELECT count(*) FROM pg_stat_activity \
                 WHERE query = 'SELECT pg_sleep(2)' AND state = 'active'",
            ) > 0
        },
    );
    client
        .execute(
            "UPDATE migrate_version_lock SET owner = 'thief pid 9 #0bad'",
            &[],
        )
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("lost the migration lock on database ")
            && stderr.contains("'thief pid 9 #0bad' took it over"),
        "{stderr}"
    );
    // f002's version update and everything after it were refused.
    assert_eq!(versions(&mut client), ["f001"]);
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_class WHERE relname = 'u'"
        ),
        0
    );
    // Its release left the new owner's lease alone.
    let owner: String = client
        .query_one("SELECT owner FROM migrate_version_lock", &[])
        .unwrap()
        .get(0);
    assert_eq!(owner, "thief pid 9 #0bad");
}
