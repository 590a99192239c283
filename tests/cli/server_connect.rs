//! Connecting to a server engine, written once for PostgreSQL and MariaDB/MySQL: errors
//! that name the server but never the password, the TLS modes judged by the server's own
//! view of the session, the session's lock wait and its reading and writing, and the
//! run-wide migration lock judged by the server's own lock table. The thin `#[test]`s are
//! in postgres_connect.rs and mysql_connect.rs; what differs between the engines (SQL,
//! messages, mode names) is the data of [`Connecting`].

use crate::project::TestProject;
use crate::servers::{Database, Engine};
use migrate::dialect::{Driver, LockKey};
use std::time::Duration;

/// The first value of the first row of `sql` (NULL as "").
pub fn value(driver: &mut dyn Driver, sql: &str) -> String {
    let rows = driver.query(sql).unwrap_or_else(|e| panic!("{sql}: {e:#}"));
    rows[0][0].clone().unwrap_or_default()
}

/// What a TLS mode does once the server's own certificate is the trusted root.
pub enum Verified {
    /// Connects, encrypted.
    Connects,
    /// Fails: the certificate is not valid for the host name.
    NotValidForName,
    /// Either of the two (MySQL's certificate may name another host).
    Either,
}

/// The engine's side of connecting: its SQL, its messages, its names for the TLS modes.
pub trait Connecting: Engine {
    /// What every connection error starts with.
    const CANNOT_CONNECT: &'static str;
    /// A URL with the password `Sup3rS3cret` to a port nothing listens on.
    const REFUSED_URL: &'static str;
    /// The error for it, naming host, port and user.
    const REFUSED: &'static str;
    /// The server's reason for a database `no_such_database_here`.
    const UNKNOWN_DATABASE: &'static str;
    /// URL parameters the engine refuses, each with (part of) the refusal.
    const BAD_PARAMETERS: &'static [(&'static str, &'static str)];

    /// The URL key of the TLS mode.
    const TLS_KEY: &'static str;
    /// The modes: no TLS, TLS when the server has it (the default), TLS without checking
    /// the certificate, and verifying the certificate's chain.
    const DISABLE: &'static str;
    const PREFER: &'static str;
    const REQUIRE: &'static str;
    const VERIFY_CA: &'static str;
    /// Modes refused by a server without TLS.
    const REFUSED_WITHOUT_TLS: &'static [&'static str];
    /// What the refusal of `mode` (as the URL spells it) says.
    fn without_tls(mode: &str) -> String;
    /// What verifying against the compiled-in public roots says of a local certificate.
    const UNKNOWN_ISSUER: &'static [&'static str];
    /// The query of the file of the server's own certificate (or CA), the URL key that
    /// makes it the trusted root, and what each verifying mode then does.
    const SERVER_CERTIFICATE: &'static str;
    const ROOT_KEY: &'static str;
    const VERIFIED: &'static [(&'static str, Verified)];
    /// Whether the session is encrypted, as the server sees it.
    fn uses_tls(driver: &mut dyn Driver) -> bool;
    /// Whether the server has TLS at all.
    fn server_has_tls(driver: &mut dyn Driver) -> bool;

    /// A lock wait to set, and the query and value that show it set.
    const BUSY_TIMEOUT: (Duration, &'static str, &'static str);
    /// Creates a table `Mixed Case`.
    const CREATE_MIXED_CASE: &'static str;
    /// Whether `mixed case` names another table than `Mixed Case` on this server.
    fn case_sensitive_names(driver: &mut dyn Driver) -> bool;
    /// A table on the server that is not the connected database's.
    const ELSEWHERE: &'static str;
    /// A query of a number, a NULL and a string (and more), and the row as text.
    const VALUES: (&'static str, &'static [Option<&'static str>]);
    /// The namespaces `inspect` reads.
    const NAMESPACES: &'static [&'static str];

    /// The session's id, as the lock holder's description names it.
    const SESSION_ID: &'static str;
    /// The lock holder's description of session `id`: how it starts, and what it says
    /// once the server shows the session idle.
    fn holder_starts(id: &str) -> String;
    const HOLDER_IDLE: &'static str;
    /// The server's own view: the session id of who holds `key` (in the database).
    fn held_by(key: &LockKey) -> String;
}

fn connect<E: Connecting>(url: &str) -> Box<dyn Driver> {
    E::connect(url).unwrap_or_else(|e| panic!("{url}: {e}"))
}

/// A refused connection names host, port and user, never the password, whatever the
/// command.
pub fn a_refused_connection_names_the_server_but_not_the_password<E: Connecting>() {
    let p = TestProject::with_config(&format!("[database]\nurl = \"{}\"\n", E::REFUSED_URL));
    for command in [&["current"][..], &["upgrade", "head"]] {
        let run = p.run(command).fails(1, E::REFUSED);
        assert!(!run.stderr.contains("Sup3rS3cret"), "{}", run.stderr);
        assert!(!run.stdout.contains("Sup3rS3cret"), "{}", run.stdout);
    }
}

/// The server's reason for an unknown database, and the URL parameters the engine refuses.
pub fn an_unknown_database_and_an_unknown_parameter_are_named<E: Connecting>(label: &str) {
    let Some(db) = Database::<E>::create(label) else {
        return;
    };
    let url = db.url().replace(&db.name, "no_such_database_here");
    let p = TestProject::with_config(&format!("[database]\nurl = \"{url}\"\n"));
    p.run(&["current"]).fails(1, E::UNKNOWN_DATABASE);
    for (parameter, refusal) in E::BAD_PARAMETERS {
        let p = TestProject::with_config(&format!(
            "[database]\nurl = \"{}\"\n",
            db.url_with(parameter)
        ));
        p.run(&["current"]).fails(1, refusal);
    }
}

/// The TLS modes do what the engine's own client does, judged by the server's view of
/// the session.
pub fn tls_modes_do_what_the_engines_client_does<E: Connecting>(label: &str) {
    let Some(db) = Database::<E>::create(label) else {
        return;
    };
    let mode = |mode: &str| db.url_with(&format!("{}={mode}", E::TLS_KEY));
    let mut plain = connect::<E>(&mode(E::DISABLE));
    assert!(!E::uses_tls(&mut *plain));
    if !E::server_has_tls(&mut *plain) {
        // This server has no TLS: prefer (the default) falls back to a plain session,
        // require (and the verify modes) fail saying why.
        for url in [db.url(), mode(E::PREFER)] {
            assert!(!E::uses_tls(&mut *connect::<E>(&url)), "{url}");
        }
        for refused in E::REFUSED_WITHOUT_TLS {
            let error = E::connect(&mode(refused)).err().unwrap();
            assert!(
                error.starts_with(E::CANNOT_CONNECT) && error.contains(&E::without_tls(refused)),
                "{error}"
            );
        }
        return;
    }
    // With TLS on the server: prefer (the default) and require encrypt, checking no
    // certificate.
    for url in [db.url(), mode(E::PREFER), mode(E::REQUIRE)] {
        assert!(E::uses_tls(&mut *connect::<E>(&url)), "{url}");
    }
    // Verifying against the compiled-in public roots: a local certificate is not theirs.
    let error = E::connect(&mode(E::VERIFY_CA)).err().unwrap();
    assert!(error.starts_with(E::CANNOT_CONNECT), "{error}");
    for needle in E::UNKNOWN_ISSUER {
        assert!(error.contains(needle), "{error}");
    }
    // With the server's own certificate as the root.
    let root = value(&mut *plain, E::SERVER_CERTIFICATE);
    if std::fs::read(&root).is_err() {
        eprintln!("skipped the verify part: cannot read the server's certificate {root:?}");
        return;
    }
    for (verifying, expected) in E::VERIFIED {
        let url = mode(&format!("{verifying}&{}={root}", E::ROOT_KEY));
        match (E::connect(&url), expected) {
            (Ok(mut verified), Verified::Connects | Verified::Either) => {
                eprintln!("{verifying} with the server's certificate: connected");
                assert!(E::uses_tls(&mut *verified), "{url}");
            }
            (Err(error), Verified::NotValidForName | Verified::Either) => {
                eprintln!("{verifying} with the server's certificate: {error}");
                assert!(error.contains("not valid for name"), "{error}");
            }
            (Ok(_), Verified::NotValidForName) => panic!("{url} connected"),
            (Err(error), Verified::Connects) => panic!("{url}: {error}"),
        }
    }
}

/// The session waits for locks as long as told, finds tables of the connected database
/// only (with the server's case rules), and reads every value as text.
pub fn the_session_waits_finds_and_reads_as_text<E: Connecting>(label: &str) {
    let Some(db) = Database::<E>::create(label) else {
        return;
    };
    let mut driver = connect::<E>(&db.url());
    let (timeout, shown, expected) = E::BUSY_TIMEOUT;
    driver.set_busy_timeout(timeout).unwrap();
    assert_eq!(value(&mut *driver, shown), expected);

    assert!(!driver.table_exists("Mixed Case").unwrap());
    driver.execute(E::CREATE_MIXED_CASE).unwrap();
    assert!(driver.table_exists("Mixed Case").unwrap());
    if E::case_sensitive_names(&mut *driver) {
        assert!(!driver.table_exists("mixed case").unwrap());
    }
    // Another database's (or schema's) table is not this one's.
    assert!(!driver.table_exists(E::ELSEWHERE).unwrap());
    // query gives every value as text, NULL as None.
    let (sql, row) = E::VALUES;
    let row: Vec<Option<String>> = row.iter().map(|v| v.map(String::from)).collect();
    assert_eq!(driver.query(sql).unwrap(), [row]);
    assert_eq!(driver.namespaces(), E::NAMESPACES);
}

/// The run-wide lock is exclusive per database and version table, says who holds it (as
/// the server does), goes on unlock (a second unlock is an error) and with its session.
pub fn the_lock_is_exclusive_and_says_who_holds_it<E: Connecting>(label: &str) {
    let Some(db) = Database::<E>::create(label) else {
        return;
    };
    let Some(other_db) = Database::<E>::create(&format!("{label} other")) else {
        return;
    };
    let mut first = connect::<E>(&db.url());
    let mut second = connect::<E>(&db.url());
    let key = first.lock_key("migrate_version");
    assert_eq!(key, second.lock_key("migrate_version"));
    assert!(
        key.resource
            .starts_with(&format!("database {} on ", &db.name)),
        "{key:?}"
    );
    assert_ne!(key, first.lock_key("other_version"));
    assert!(first.try_lock(&key).unwrap());
    assert!(!second.try_lock(&key).unwrap());
    // The server's view: the lock is held, by the first session.
    let id = value(&mut *first, E::SESSION_ID);
    assert_eq!(value(&mut *second, &E::held_by(&key)), id);
    // The server may list the first session in its last statement for a moment after
    // the statement returned: wait until it shows the session idle.
    let mut holder = String::new();
    for _ in 0..100 {
        holder = second.lock_holder(&key).unwrap().expect("a holder");
        if holder.contains(E::HOLDER_IDLE) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        holder.starts_with(&E::holder_starts(&id)) && holder.contains(E::HOLDER_IDLE),
        "{holder}"
    );
    // Another database, or another version table, is another lock.
    let mut elsewhere = connect::<E>(&other_db.url());
    let other_key = elsewhere.lock_key("migrate_version");
    assert!(elsewhere.try_lock(&other_key).unwrap());
    assert!(second.try_lock(&second.lock_key("other_version")).unwrap());

    first.unlock(&key).unwrap();
    assert_eq!(second.lock_holder(&key).unwrap(), None);
    assert!(first.unlock(&key).is_err(), "released twice");
    assert!(second.try_lock(&key).unwrap());
    // The session's end frees it.
    drop(second);
    let mut third = connect::<E>(&db.url());
    let mut waited = 0;
    while !third.try_lock(&key).unwrap() {
        assert!(waited < 50, "the lock outlived its session");
        std::thread::sleep(Duration::from_millis(100));
        waited += 1;
    }
}
