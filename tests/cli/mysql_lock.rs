//! The `migrate` binary racing itself on MariaDB/MySQL under GET_LOCK: eight concurrent
//! upgrades apply each revision once, a waiting run names the holder and gives up after
//! lock_timeout, and a SIGKILLed run's lock is freed by the server with the version table
//! at the last complete revision. The scenarios are shared with PostgreSQL
//! (server_lock.rs); here is MySQL's data for them. The server judges (IS_USED_LOCK, the
//! tables' rows).

use crate::mysql_apply::address;
use crate::project::{Run, TestProject};
use crate::server_connect::value;
use crate::server_lock::{self as shared, Racing};
use crate::servers::{My, MyDatabase};
use crate::thin_tests;
use migrate::dialect::mysql::lock::lock_name;
use migrate::dialect::{Driver, LockKey};
use std::time::Duration;

impl Racing for My {
    const APPLIED_LOG: &'static str =
        "CREATE TABLE applied_log (seq INT AUTO_INCREMENT PRIMARY KEY, rev VARCHAR(8) NOT NULL);";
    const LOG_ORDER: &'static str = "seq";
    fn fill(i: usize) -> String {
        format!("INSERT INTO t{i} VALUES (1), (2), (3);")
    }
    const SHORT_SLEEP: &'static str = "DO SLEEP(0.1);";

    fn lock_holders(key: &LockKey) -> String {
        format!("SELECT IS_USED_LOCK('{}') IS NOT NULL", lock_name(key))
    }
    fn take(key: &LockKey) -> String {
        format!("SELECT GET_LOCK('{}', 0)", lock_name(key))
    }
    fn release(key: &LockKey) -> String {
        format!("SELECT RELEASE_LOCK('{}')", lock_name(key))
    }
    const DONE: &'static str = "1";
    fn holder_url(db: &MyDatabase) -> String {
        db.url()
    }
    fn waiting_for(db: &MyDatabase, holder: &mut dyn Driver, id: &str) -> String {
        let user = value(holder, "SELECT SUBSTRING_INDEX(USER(), '@', 1)");
        format!(
            "waiting for the migration lock on database {} on {}: another migrate \
             run holds it (connection {id}, user '{user}', host '",
            db.name,
            address(&db.url())
        )
    }

    /// DDL commits by itself: the first statement of k002 stays, the third never runs.
    const KILLED_REVISION: &'static str =
        "CREATE TABLE second (id INT);\nDO SLEEP(5);\nCREATE TABLE third (id INT);";
    const SLEEPING: &'static str = "SELECT count(*) FROM information_schema.PROCESSLIST \
         WHERE INFO = 'DO SLEEP(5)' AND DB = DATABASE()";
    /// The session ends when its statement does (the server does not watch the socket
    /// during a statement), and the lock goes with it.
    const FREED_WITHIN: Duration = Duration::from_secs(15);
    const LEFT_BY_THE_KILL: &'static [&'static str] = &[
        "first",
        "migrate_version",
        "migrate_version_history",
        "second",
    ];
    fn before_the_rerun(_p: &TestProject) {}
    /// The rerun finds k002 incomplete; what it then does with the half-applied revision
    /// is the dirty-state bookkeeping's to decide: here, only that it names k002 if it
    /// stops.
    fn judge_the_rerun(_db: &MyDatabase, rerun: Run) {
        if rerun.code != 0 {
            assert!(rerun.stderr.contains("k002"), "{rerun:?}");
        }
    }
}

thin_tests! {
    eight_concurrent_upgrades_apply_each_revision_once =>
        shared::eight_runs_apply_each_revision_once::<My>("my eight runs", "");
    a_waiting_run_names_the_holder_and_gives_up_after_lock_timeout =>
        shared::a_waiting_run_names_the_holder_and_gives_up_after_lock_timeout::<My>("my waiting");
    a_killed_run_leaves_the_last_complete_revision_and_the_server_frees_its_lock =>
        shared::a_killed_run_leaves_the_last_complete_revision_and_the_server_frees_its_lock::<My>("my sigkill");
}
