//! The `migrate` binary racing itself on PostgreSQL: eight concurrent upgrades apply each
//! revision once under either lock, CREATE INDEX CONCURRENTLY finishes while seven runs
//! wait, a SIGKILLed run leaves the last complete revision and a freed lock, and a waiting
//! run names the holder. The server's catalogs judge.

use crate::project::TestProject;
use crate::servers::PgDatabase;
use migrate::dialect::LockKey;
use postgres::Client;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A project on `db` with `extra` lines in `[database]`.
pub fn project(db: &PgDatabase, extra: &str) -> TestProject {
    TestProject::with_config(&format!("[database]\nurl = \"{}\"\n{extra}\n", db.url()))
}

/// `r000` creates `applied_log`; `r001`..`r<count>` each create a table, fill it, pause
/// and log themselves. No uniqueness anywhere: a second application shows as a duplicate
/// log row (or fails on CREATE TABLE, failing a run).
pub fn logged_revisions(p: &TestProject, count: usize) {
    p.revision(
        "r000",
        "",
        "CREATE TABLE applied_log (rev TEXT NOT NULL, at TIMESTAMPTZ DEFAULT clock_timestamp());",
        "DROP TABLE applied_log;",
    );
    for i in 1..=count {
        let id = format!("r{i:03}");
        let parent = format!("r{:03}", i - 1);
        p.revision(
            &id,
            &parent,
            &format!(
                "CREATE TABLE t{i} (id INT);\n\
                 INSERT INTO t{i} SELECT generate_series(1, 5000);\n\
                 SELECT pg_sleep(0.1);\n\
                 INSERT INTO applied_log (rev) VALUES ('{id}');"
            ),
            &format!("DROP TABLE t{i};\nDELETE FROM applied_log WHERE rev = '{id}';"),
        );
    }
}

pub fn spawn(p: &TestProject, args: &[&str]) -> Child {
    p.command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn migrate")
}

/// Waits for every child; asserts each succeeded; returns how many said they waited.
pub fn all_succeed(children: Vec<Child>) -> usize {
    let mut waited = 0;
    for child in children {
        let output = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "a concurrent run failed: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        if stderr.contains("waiting for the migration lock") {
            waited += 1;
        }
    }
    waited
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

/// Granted advisory locks in `db` (the server's view).
fn advisory_locks(client: &mut Client) -> i64 {
    count(
        client,
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted \
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
}

fn eight_runs_apply_each_revision_once(label: &str, lock: &str) {
    let Some(db) = PgDatabase::create(label) else {
        return;
    };
    let p = project(&db, &format!("lock_timeout = \"60s\"\n{lock}"));
    let revisions = 5;
    logged_revisions(&p, revisions);
    let children: Vec<_> = (0..8).map(|_| spawn(&p, &["upgrade", "head"])).collect();
    let waited = all_succeed(children);
    let mut client = db.client();
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM applied_log"),
        revisions as i64
    );
    assert_eq!(
        count(&mut client, "SELECT count(DISTINCT rev) FROM applied_log"),
        revisions as i64
    );
    // Applied in order, one after another.
    let order: Vec<String> = client
        .query("SELECT rev FROM applied_log ORDER BY at", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let expected: Vec<String> = (1..=revisions).map(|i| format!("r{i:03}")).collect();
    assert_eq!(order, expected);
    assert_eq!(versions(&mut client), [format!("r{revisions:03}")]);
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM migrate_version_history WHERE operation = 'upgrade'"
        ),
        revisions as i64 + 1
    );
    assert_eq!(
        count(
            &mut client,
            "SELECT count(DISTINCT version_num) FROM migrate_version_history"
        ),
        revisions as i64 + 1
    );
    assert!(waited >= 1, "at least one run should have waited");
}

#[test]
fn eight_concurrent_upgrades_under_the_advisory_lock_apply_each_revision_once() {
    eight_runs_apply_each_revision_once("eight advisory", "");
}

#[test]
fn eight_concurrent_upgrades_under_the_table_lease_apply_each_revision_once() {
    eight_runs_apply_each_revision_once("eight table", "lock = \"table\"");
    // (The lease table is checked empty in the takeover test.)
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
    let p = project(&db, &format!("lock_timeout = \"60s\"\n{lock}"));
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
fn a_killed_run_leaves_the_last_complete_revision_and_frees_the_lock() {
    let Some(db) = PgDatabase::create("sigkill") else {
        return;
    };
    let p = project(&db, "lock_timeout = \"20s\"");
    p.revision(
        "k001",
        "",
        "CREATE TABLE first (id INT);",
        "DROP TABLE first;",
    );
    p.revision(
        "k002",
        "k001",
        "CREATE TABLE second (id INT);\nSELECT pg_sleep(30);",
        "DROP TABLE second;",
    );
    let mut child = spawn(&p, &["upgrade", "head"]);
    let mut client = db.client();
    let start = Instant::now();
    // Until the run sits in the sleep of the second revision.
    while count(
        &mut client,
        "SELECT count(*) FROM pg_stat_activity \
         WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'",
    ) == 0
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the run never reached the sleep"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(advisory_locks(&mut client), 1);
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    let killed = Instant::now();
    while advisory_locks(&mut client) > 0 {
        assert!(
            killed.elapsed() < Duration::from_secs(5),
            "the server kept the dead run's lock"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("advisory lock freed {:?} after SIGKILL", killed.elapsed());
    assert_eq!(versions(&mut client), ["k001"]);
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_class WHERE relname = 'second'"
        ),
        0,
        "the killed revision's first statement stayed"
    );
    // The revision never applied, so editing it is no checksum change.
    p.revision(
        "k002",
        "k001",
        "CREATE TABLE second (id INT);",
        "DROP TABLE second;",
    );
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(versions(&mut client), ["k002"]);
}

/// The advisory lock number `migrate` derives for `db`.
fn lock_number(db: &PgDatabase) -> i64 {
    LockKey::new(String::new(), &db.name, "migrate_version").number
}

#[test]
fn a_waiting_run_names_the_session_that_holds_the_advisory_lock() {
    let Some(db) = PgDatabase::create("waiting message") else {
        return;
    };
    let p = project(&db, "lock_timeout = \"1s\"");
    p.revision("w001", "", "CREATE TABLE t (id INT);", "DROP TABLE t;");
    let mut holder = postgres::Client::connect(
        &format!("{}?application_name=other_runner", db.url()),
        postgres::NoTls,
    )
    .unwrap();
    let taken: bool = holder
        .query_one("SELECT pg_try_advisory_lock($1)", &[&lock_number(&db)])
        .unwrap()
        .get(0);
    assert!(taken);
    let pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let started = Instant::now();
    let run = p.run(&["upgrade", "head"]).fails(1, "timed out after");
    assert!(started.elapsed() >= Duration::from_secs(1));
    let expected = format!(
        "waiting for the migration lock on database {} on 127.0.0.1:5432: another migrate \
         run holds it (pid {pid}, application_name 'other_runner', client 127.0.0.1, \
         connected since ",
        db.name
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    holder
        .query_one("SELECT pg_advisory_unlock($1)", &[&lock_number(&db)])
        .unwrap();
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(versions(&mut db.client()), ["w001"]);
}

#[test]
fn a_second_run_waits_for_a_running_one_and_then_finds_nothing_to_do() {
    let Some(db) = PgDatabase::create("second run waits") else {
        return;
    };
    let p = project(&db, "lock_timeout = \"30s\"");
    p.revision(
        "s001",
        "",
        "CREATE TABLE t (id INT);\nSELECT pg_sleep(2);",
        "DROP TABLE t;",
    );
    let first = spawn(&p, &["upgrade", "head"]);
    let mut client = db.client();
    let start = Instant::now();
    while advisory_locks(&mut client) == 0 {
        assert!(start.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }
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
    let p = project(&db, "lock_timeout = \"1s\"\nlock = \"table\"");
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
    let p = project(&db, "lock_timeout = \"5s\"\nlock = \"table\"");
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
    let start = Instant::now();
    while count(
        &mut client,
        "SELECT count(*) FROM pg_stat_activity \
         WHERE query = 'SELECT pg_sleep(2)' AND state = 'active'",
    ) == 0
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never reached f002"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
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
