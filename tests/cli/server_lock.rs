//! The `migrate` binary racing itself on a server engine, written once for PostgreSQL
//! and MariaDB/MySQL: eight concurrent upgrades apply each revision once, a waiting run
//! names the session that holds the lock and gives up after lock_timeout, and a SIGKILLed
//! run leaves the last complete revision and a lock the server frees. The server judges
//! (its lock table, the tables' rows). The thin `#[test]`s are in postgres_lock_runs.rs
//! and mysql_lock.rs; what differs between the engines (SQL, what a killed revision
//! leaves, the holder's description) is the data of [`Racing`].

use crate::project::TestProject;
use crate::server_connect::{value, Connecting};
use crate::servers::{Database, Engine};
use migrate::dialect::{Driver, LockKey};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// The engine's side of runs racing each other.
pub trait Racing: Connecting + Sized {
    /// The log the revisions write to, and the column that orders it as written.
    const APPLIED_LOG: &'static str;
    const LOG_ORDER: &'static str;
    /// Fills table `t<i>` with some rows.
    fn fill(i: usize) -> String;
    /// A statement that sleeps for a tenth of a second.
    const SHORT_SLEEP: &'static str;

    /// How many sessions hold `key` (0 or 1), as the server says.
    fn lock_holders(key: &LockKey) -> String;
    /// The statements that take and release `key` in another session, and what they
    /// return when they did.
    fn take(key: &LockKey) -> String;
    fn release(key: &LockKey) -> String;
    const DONE: &'static str;
    /// A URL for the other session.
    fn holder_url(db: &Database<Self>) -> String;
    /// What a run waiting for `holder` (session `id`) says of it.
    fn waiting_for(db: &Database<Self>, holder: &mut dyn Driver, id: &str) -> String;

    /// The upgrade of the revision the run is killed in (it sleeps in its second
    /// statement), and the query of how many sessions run that sleep.
    const KILLED_REVISION: &'static str;
    const SLEEPING: &'static str;
    /// How soon the server frees a killed run's lock.
    const FREED_WITHIN: Duration;
    /// The tables the killed run leaves.
    const LEFT_BY_THE_KILL: &'static [&'static str];
    /// Before the rerun: what the rerun should apply.
    fn before_the_rerun(p: &TestProject);
    /// What the rerun did.
    fn judge_the_rerun(db: &Database<Self>, rerun: crate::project::Run);
}

/// The key of the lock `migrate` takes for `db`'s default version table.
pub fn key<E: Engine>(db: &Database<E>) -> LockKey {
    LockKey::new(String::new(), &db.name, "migrate_version")
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

/// Polls `done` every `every` until it holds; fails, saying `what`, after `limit`.
pub fn wait_until(what: &str, limit: Duration, every: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "{what} (after {limit:?})");
        std::thread::sleep(every);
    }
}

/// `r000` creates the log; `r001`..`r<count>` each create a table, fill it, pause and
/// log themselves. No uniqueness anywhere: a second application shows as a duplicate
/// log row (or fails on CREATE TABLE, failing a run).
pub fn logged_revisions<E: Racing>(p: &TestProject, count: usize) {
    p.revision("r000", "", E::APPLIED_LOG, "DROP TABLE applied_log;");
    for i in 1..=count {
        let id = format!("r{i:03}");
        p.revision(
            &id,
            &format!("r{:03}", i - 1),
            &format!(
                "CREATE TABLE t{i} (id INT);\n{}\n{}\n\
                 INSERT INTO applied_log (rev) VALUES ('{id}');",
                E::fill(i),
                E::SHORT_SLEEP
            ),
            &format!("DROP TABLE t{i};\nDELETE FROM applied_log WHERE rev = '{id}';"),
        );
    }
}

/// The logged revisions 1..=`count` were applied once each, in order, and recorded once
/// each.
pub fn each_revision_was_applied_once<E: Racing>(db: &Database<E>, count: usize) {
    assert_eq!(
        db.strings("SELECT concat_ws(' ', count(*), count(DISTINCT rev)) FROM applied_log"),
        [format!("{count} {count}")]
    );
    let expected: Vec<String> = (1..=count).map(|i| format!("r{i:03}")).collect();
    assert_eq!(
        db.strings(&format!(
            "SELECT rev FROM applied_log ORDER BY {}",
            E::LOG_ORDER
        )),
        expected
    );
    assert_eq!(db.versions(), [format!("r{count:03}")]);
    assert_eq!(
        db.strings(
            "SELECT concat_ws(' ', count(*), count(DISTINCT version_num)) \
             FROM migrate_version_history WHERE operation = 'upgrade'"
        ),
        [format!("{0} {0}", count + 1)]
    );
    assert_eq!(
        db.strings("SELECT count(DISTINCT version_num) FROM migrate_version_history"),
        [(count + 1).to_string()]
    );
}

/// Eight runs of `upgrade head` at once (with `config` in `[database]`): each revision
/// applied once, in order; at least one run waited; the lock is free after.
pub fn eight_runs_apply_each_revision_once<E: Racing>(label: &str, config: &str) {
    let Some(db) = Database::<E>::create(label) else {
        return;
    };
    let p = db.project_with(&format!("lock_timeout = \"60s\"\n{config}"));
    let revisions = 5;
    logged_revisions::<E>(&p, revisions);
    let children: Vec<_> = (0..8).map(|_| spawn(&p, &["upgrade", "head"])).collect();
    let waited = all_succeed(children);
    assert!(waited >= 1, "at least one run should have waited");
    each_revision_was_applied_once(&db, revisions);
    assert_eq!(
        db.strings(&E::lock_holders(&key(&db))),
        ["0"],
        "the lock outlived the runs"
    );
}

/// Another session holds the lock: the run names it, gives up after lock_timeout without
/// touching the database, and goes ahead once the lock is released.
pub fn a_waiting_run_names_the_holder_and_gives_up_after_lock_timeout<E: Racing>(label: &str) {
    let Some(db) = Database::<E>::create(label) else {
        return;
    };
    let p = db.project_with("lock_timeout = \"1s\"");
    p.revision("w001", "", "CREATE TABLE t (id INT);", "DROP TABLE t;");
    let mut holder = E::connect(&E::holder_url(&db)).unwrap();
    assert_eq!(value(&mut *holder, &E::take(&key(&db))), E::DONE);
    let id = value(&mut *holder, E::SESSION_ID);
    let started = Instant::now();
    let run = p.run(&["upgrade", "head"]).fails(1, "timed out after");
    assert!(started.elapsed() >= Duration::from_secs(1));
    for needle in [
        &E::waiting_for(&db, &mut *holder, &id),
        E::HOLDER_IDLE,
        "(lock_timeout 1s)",
    ] {
        assert!(run.stderr.contains(needle), "{needle:?} in {}", run.stderr);
    }
    assert_eq!(db.tables(), Vec::<String>::new(), "the run went ahead");
    assert_eq!(value(&mut *holder, &E::release(&key(&db))), E::DONE);
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(db.versions(), ["w001"]);
}

/// A run killed in its second revision: the server frees its lock, the version table
/// shows the first revision, and the next run takes the lock at once.
pub fn a_killed_run_leaves_the_last_complete_revision_and_the_server_frees_its_lock<E: Racing>(
    label: &str,
) {
    let Some(db) = Database::<E>::create(label) else {
        return;
    };
    let p = db.project_with("lock_timeout = \"20s\"");
    p.revision(
        "k001",
        "",
        "CREATE TABLE first (id INT);",
        "DROP TABLE first;",
    );
    p.revision(
        "k002",
        "k001",
        E::KILLED_REVISION,
        "DROP TABLE IF EXISTS third;\nDROP TABLE second;",
    );
    let mut child = spawn(&p, &["upgrade", "head"]);
    let holders = E::lock_holders(&key(&db));
    // Until the run sits in the sleep of the second revision.
    wait_until(
        "the run never reached the sleep",
        Duration::from_secs(20),
        Duration::from_millis(50),
        || db.strings(E::SLEEPING) == ["1"],
    );
    assert_eq!(
        db.strings(&holders),
        ["1"],
        "the run does not hold the lock"
    );
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    let killed = Instant::now();
    wait_until(
        "the server kept the dead run's lock",
        E::FREED_WITHIN,
        Duration::from_millis(50),
        || db.strings(&holders) == ["0"],
    );
    eprintln!("the lock was freed {:?} after SIGKILL", killed.elapsed());
    assert_eq!(db.versions(), ["k001"]);
    assert_eq!(db.tables(), E::LEFT_BY_THE_KILL);
    // The next run takes the lock at once (it does not wait out lock_timeout).
    E::before_the_rerun(&p);
    let rerun_started = Instant::now();
    let rerun = p.run(&["upgrade", "head"]);
    assert!(
        rerun_started.elapsed() < Duration::from_secs(15),
        "the rerun waited {:?}",
        rerun_started.elapsed()
    );
    assert!(
        !rerun.stderr.contains("waiting for the migration lock"),
        "{rerun:?}"
    );
    E::judge_the_rerun(&db, rerun);
}
