//! PostgreSQL's migration locks against the real server: first the lock module on plain
//! connections (advisory lock and table lease, takeover, heartbeat, fence), then the
//! `migrate` binary racing itself.

use crate::servers::PgDatabase;
use migrate::dialect::postgres::lock::{Connector, PgLock};
use migrate::dialect::LockKey;
use postgres::{Client, NoTls};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The key `migrate` derives for `db` and the version table `migrate_version`.
fn key(db: &PgDatabase) -> LockKey {
    LockKey::new(format!("database {}", db.name), &db.name, "migrate_version")
}

/// A connection named `application` (so the holder message can be checked).
fn connect_as(db: &PgDatabase, application: &str) -> Client {
    Client::connect(
        &format!("{}?application_name={application}", db.url()),
        NoTls,
    )
    .expect("connect")
}

fn connector(db: &PgDatabase) -> Connector {
    let url = db.url();
    Arc::new(move || Ok(Client::connect(&url, NoTls)?))
}

fn table_lock(db: &PgDatabase, lease: Duration) -> PgLock {
    PgLock::table(connector(db), lease)
}

fn pid(client: &mut Client) -> i32 {
    client
        .query_one("SELECT pg_backend_pid()", &[])
        .expect("pid")
        .get(0)
}

/// The lease row of `key`: (owner, seconds until it expires).
fn lease_row(client: &mut Client, key: &LockKey) -> Option<(String, f64)> {
    client
        .query_opt(
            "SELECT owner, extract(epoch FROM expires_at - clock_timestamp())::float8 \
             FROM migrate_version_lock WHERE name = $1",
            &[&key.name],
        )
        .expect("lease row")
        .map(|row| (row.get(0), row.get(1)))
}

/// Granted advisory locks on the database (the server's own view).
fn advisory_locks(client: &mut Client) -> i64 {
    client
        .query_one(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            &[],
        )
        .expect("pg_locks")
        .get(0)
}

/// Two sessions on a database of their own, each with a lock of the same kind.
struct Two {
    db: PgDatabase,
    key: LockKey,
    /// The sessions, named `holder_app` and `waiter_app`.
    first: Client,
    second: Client,
    a: PgLock,
    b: PgLock,
}

/// [`Two`] sessions with locks `lock` makes (`None` when the server is skipped).
fn two(label: &str, lock: impl Fn(&PgDatabase) -> PgLock) -> Option<Two> {
    let db = PgDatabase::create(label)?;
    Some(Two {
        key: key(&db),
        first: connect_as(&db, "holder_app"),
        second: connect_as(&db, "waiter_app"),
        a: lock(&db),
        b: lock(&db),
        db,
    })
}

/// Asserts for `span`, every `every`, that `b` cannot take the lease and that it does not
/// lapse (and, given `owner`, is still its).
fn the_lease_holds(t: &mut Two, span: Duration, every: Duration, owner: Option<&str>) {
    let start = Instant::now();
    while start.elapsed() < span {
        assert!(!t.b.try_lock(&mut t.second, &t.key).unwrap());
        let (row_owner, left) = lease_row(&mut t.second, &t.key).unwrap();
        if let Some(owner) = owner {
            assert_eq!(row_owner, owner);
        }
        assert!(left > 0.0, "the lease lapsed: {left}");
        std::thread::sleep(every);
    }
}

#[test]
fn an_advisory_lock_excludes_a_second_session_and_names_its_holder() {
    let Some(mut t) = two("advisory lock", |_| PgLock::advisory()) else {
        return;
    };
    assert!(t.a.try_lock(&mut t.first, &t.key).unwrap());
    assert!(!t.b.try_lock(&mut t.second, &t.key).unwrap());
    let holder =
        t.b.holder(&mut t.second, &t.key)
            .unwrap()
            .expect("a holder");
    let holder_pid = pid(&mut t.first);
    assert!(
        holder.starts_with(&format!(
            "pid {holder_pid}, application_name 'holder_app', client "
        )),
        "{holder}"
    );
    assert!(holder.contains("connected since "), "{holder}");
    // The server's own view: one granted advisory lock, held by the first session.
    let held_by: i32 = t
        .second
        .query_one(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(held_by, holder_pid);
    t.a.unlock(&mut t.first, &t.key).unwrap();
    assert_eq!(advisory_locks(&mut t.second), 0);
    assert!(t.b.holder(&mut t.second, &t.key).unwrap().is_none());
    assert!(t.b.try_lock(&mut t.second, &t.key).unwrap());
    // Releasing a lock this session does not hold is an error that points at poolers.
    let error = t.a.unlock(&mut t.first, &t.key).unwrap_err();
    assert!(
        format!("{error:#}").contains("was not held by this session"),
        "{error:#}"
    );
}

#[test]
fn an_advisory_lock_is_freed_when_its_session_ends() {
    let Some(mut t) = two("advisory freed", |_| PgLock::advisory()) else {
        return;
    };
    assert!(t.a.try_lock(&mut t.first, &t.key).unwrap());
    assert!(!t.b.try_lock(&mut t.second, &t.key).unwrap());
    drop(t.first);
    let start = Instant::now();
    while !t.b.try_lock(&mut t.second, &t.key).unwrap() {
        assert!(start.elapsed() < Duration::from_secs(5), "lock not freed");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_table_lease_excludes_a_second_run_and_names_its_owner() {
    let Some(mut t) = two("table lease", |db| table_lock(db, Duration::from_secs(30))) else {
        return;
    };
    assert!(t.a.try_lock(&mut t.first, &t.key).unwrap());
    assert!(!t.b.try_lock(&mut t.second, &t.key).unwrap());
    let owner = t.a.owner().unwrap().to_string();
    assert!(owner.contains(&format!("pid {} #", std::process::id())));
    assert_ne!(Some(owner.as_str()), t.b.owner());
    let (row_owner, left) = lease_row(&mut t.second, &t.key).expect("a lease row");
    assert_eq!(row_owner, owner);
    assert!(left > 25.0 && left <= 30.0, "{left}");
    let holder =
        t.b.holder(&mut t.second, &t.key)
            .unwrap()
            .expect("a holder");
    assert!(
        holder.starts_with(&format!("owner '{owner}', acquired ")),
        "{holder}"
    );
    assert!(holder.contains(" UTC, lease expires "), "{holder}");
    // Taking it again is idempotent for its owner.
    assert!(t.a.try_lock(&mut t.first, &t.key).unwrap());
    t.a.unlock(&mut t.first, &t.key).unwrap();
    assert!(lease_row(&mut t.second, &t.key).is_none());
    assert!(t.b.try_lock(&mut t.second, &t.key).unwrap());
    t.b.unlock(&mut t.second, &t.key).unwrap();
    // No advisory lock was involved.
    assert_eq!(advisory_locks(&mut t.second), 0);
}

#[test]
fn an_expired_lease_of_a_dead_owner_is_taken_over() {
    let Some(db) = PgDatabase::create("lease takeover") else {
        return;
    };
    let key = key(&db);
    let mut client = db.client();
    let mut lock = table_lock(&db, Duration::from_secs(30));
    // Create the table as a first run would, then leave a dead owner's row behind.
    assert!(lock.try_lock(&mut client, &key).unwrap());
    lock.unlock(&mut client, &key).unwrap();
    client
        .execute(
            "INSERT INTO migrate_version_lock VALUES ($1, 'gone pid 1 #dead', \
             now() - interval '2 minutes', now() + interval '2 seconds', now() - interval '1 minute')",
            &[&key.name],
        )
        .unwrap();
    // Still within its lease: not taken.
    assert!(!lock.try_lock(&mut client, &key).unwrap());
    std::thread::sleep(Duration::from_millis(2100));
    assert!(lock.try_lock(&mut client, &key).unwrap());
    let (owner, left) = lease_row(&mut client, &key).unwrap();
    assert_eq!(Some(owner.as_str()), lock.owner());
    assert!(left > 25.0, "{left}");
    lock.unlock(&mut client, &key).unwrap();
}

#[test]
fn a_live_heartbeat_keeps_the_lease() {
    let lease = Duration::from_millis(2000);
    let Some(mut t) = two("lease heartbeat", |db| table_lock(db, lease)) else {
        return;
    };
    assert!(t.a.try_lock(&mut t.first, &t.key).unwrap());
    // Three leases long, the main connection idle: only the heartbeat keeps the lease.
    let owner = t.a.owner().expect("an owner").to_string();
    the_lease_holds(&mut t, lease * 3, Duration::from_millis(200), Some(&owner));
    t.a.unlock(&mut t.first, &t.key).unwrap();
    assert!(t.b.try_lock(&mut t.second, &t.key).unwrap());
    t.b.unlock(&mut t.second, &t.key).unwrap();
}

#[test]
fn a_lease_without_heartbeat_lapses() {
    // The counterpart of the heartbeat test: the same lease, its owner gone without
    // releasing (the heartbeat stops with the process), is taken over after it expires.
    let Some(db) = PgDatabase::create("lease lapses") else {
        return;
    };
    let key = key(&db);
    let mut second = db.client();
    let lease = Duration::from_millis(1500);
    {
        let mut first = db.client();
        let mut a = table_lock(&db, lease);
        assert!(a.try_lock(&mut first, &key).unwrap());
        // Dropped without unlock: the row stays, the heartbeat stops.
    }
    let mut b = table_lock(&db, lease);
    assert!(!b.try_lock(&mut second, &key).unwrap());
    let start = Instant::now();
    while !b.try_lock(&mut second, &key).unwrap() {
        assert!(
            start.elapsed() < lease * 2,
            "the dead lease was not taken over"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(start.elapsed() >= lease / 2);
    b.unlock(&mut second, &key).unwrap();
}

#[test]
fn the_fence_stops_a_run_whose_lease_was_taken_over_and_delays_the_takeover() {
    let Some(mut t) = two("lease fence", |db| table_lock(db, Duration::from_secs(30))) else {
        return;
    };
    let mut admin = t.db.client();
    assert!(t.a.try_lock(&mut t.first, &t.key).unwrap());
    // A stall past the lease, as the server sees it.
    admin
        .execute(
            "UPDATE migrate_version_lock SET expires_at = now() - interval '1 second'",
            &[],
        )
        .unwrap();
    // Inside a revision transaction the fence passes (the row is still A's) and holds the
    // row: the takeover must wait for that transaction to end.
    t.first.batch_execute("BEGIN").unwrap();
    t.a.fence(&mut t.first).unwrap();
    let tried = Instant::now();
    assert!(!t.b.try_lock(&mut t.second, &t.key).unwrap());
    assert!(tried.elapsed() < Duration::from_secs(2));
    t.first.batch_execute("COMMIT").unwrap();
    assert!(t.b.try_lock(&mut t.second, &t.key).unwrap());
    // A's next revision transaction is refused.
    t.first.batch_execute("BEGIN").unwrap();
    let error = t.a.fence(&mut t.first).unwrap_err().to_string();
    t.first.batch_execute("ROLLBACK").unwrap();
    assert!(
        error.starts_with("lost the migration lock on database "),
        "{error}"
    );
    assert!(error.contains(t.b.owner().unwrap()), "{error}");
    t.second.batch_execute("BEGIN").unwrap();
    t.b.fence(&mut t.second).unwrap();
    t.second.batch_execute("COMMIT").unwrap();
    // A's release leaves B's lease alone.
    t.a.unlock(&mut t.first, &t.key).unwrap();
    let (owner, _) = lease_row(&mut admin, &t.key).unwrap();
    assert_eq!(Some(owner.as_str()), t.b.owner());
    t.b.unlock(&mut t.second, &t.key).unwrap();
    // A fence without a held lock does nothing.
    t.b.fence(&mut t.second).unwrap();
}

/// Eight threads each take the lock, read a counter, pause, and write it back plus one:
/// without mutual exclusion increments are lost.
fn eight_threads_increment_under(db: &PgDatabase, make: impl Fn() -> PgLock) {
    db.client()
        .batch_execute("CREATE TABLE counter (n INT NOT NULL); INSERT INTO counter VALUES (0)")
        .unwrap();
    let rounds = 5;
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let mut lock = make();
            let mut client = db.client();
            let key = key(db);
            std::thread::spawn(move || {
                for _ in 0..rounds {
                    while !lock.try_lock(&mut client, &key).unwrap() {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    let n: i32 = client
                        .query_one("SELECT n FROM counter", &[])
                        .unwrap()
                        .get(0);
                    std::thread::sleep(Duration::from_millis(10));
                    client
                        .execute("UPDATE counter SET n = $1", &[&(n + 1)])
                        .unwrap();
                    lock.unlock(&mut client, &key).unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("thread");
    }
    let n: i32 = db
        .client()
        .query_one("SELECT n FROM counter", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 8 * rounds);
}

#[test]
fn eight_sessions_under_the_advisory_lock_lose_no_update() {
    let Some(db) = PgDatabase::create("advisory mutual exclusion") else {
        return;
    };
    eight_threads_increment_under(&db, PgLock::advisory);
}

#[test]
fn eight_sessions_under_the_table_lease_lose_no_update() {
    let Some(db) = PgDatabase::create("lease mutual exclusion") else {
        return;
    };
    eight_threads_increment_under(&db, || table_lock(&db, Duration::from_secs(30)));
}

#[test]
fn a_revision_transaction_longer_than_the_lease_keeps_it() {
    // The fence holds the lease row for the whole transaction against takeovers, not
    // against the heartbeat: right after the commit the lease is still fresh.
    let lease = Duration::from_millis(2000);
    let Some(mut t) = two("lease long transaction", |db| table_lock(db, lease)) else {
        return;
    };
    assert!(t.a.try_lock(&mut t.first, &t.key).unwrap());
    t.first.batch_execute("BEGIN").unwrap();
    t.a.fence(&mut t.first).unwrap();
    // During the transaction.
    the_lease_holds(&mut t, lease * 3, Duration::from_millis(100), None);
    let Two {
        key,
        mut first,
        mut second,
        mut a,
        mut b,
        ..
    } = t;
    first.batch_execute("COMMIT").unwrap();
    for _ in 0..10 {
        assert!(!b.try_lock(&mut second, &key).unwrap());
        std::thread::sleep(Duration::from_millis(50));
    }
    first.batch_execute("BEGIN").unwrap();
    a.fence(&mut first).unwrap();
    first.batch_execute("COMMIT").unwrap();
    a.unlock(&mut first, &key).unwrap();
}
