//! Connecting to MySQL/MariaDB: errors that name the server but never the password,
//! ssl-mode judged by the server's own `Ssl_cipher`, Unix sockets, the session's setup
//! (charset, sql_mode and time_zone as the server has them, lock waits), and GET_LOCK.

use crate::project::TestProject;
use crate::servers::MyDatabase;
use migrate::dialect::mysql::{ConnectSettings, MysqlDriver};
use migrate::dialect::Driver;
use migrate::url::DatabaseUrl;
use std::path::Path;

/// A driver on `url`, or the error's text.
fn connect(url: &str) -> Result<MysqlDriver, String> {
    let DatabaseUrl::Mysql(server) = DatabaseUrl::parse(url, Path::new("/")).unwrap() else {
        panic!("not a MySQL URL: {url}");
    };
    let settings = ConnectSettings::from_url(&server).map_err(|e| format!("{e:#}"))?;
    MysqlDriver::connect(&settings).map_err(|e| format!("{e:#}"))
}

/// The first value of the first row of `sql` (NULL as "").
fn value(driver: &mut MysqlDriver, sql: &str) -> String {
    let rows = driver.query(sql).unwrap_or_else(|e| panic!("{sql}: {e:#}"));
    rows[0][0].clone().unwrap_or_default()
}

/// `db`'s URL with `query` appended.
fn with_query(db: &MyDatabase, query: &str) -> String {
    let url = db.url();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{query}")
}

/// `db`'s URL with the password `password` (and the user it has).
fn with_password(db: &MyDatabase, password: &str) -> String {
    let url = db.url();
    let (scheme, rest) = url.split_once("://").unwrap();
    let (userinfo, host) = rest.rsplit_once('@').unwrap_or(("root", rest));
    let user = userinfo.split(':').next().unwrap();
    format!("{scheme}://{user}:{password}@{host}")
}

#[test]
fn a_wrong_password_gives_the_servers_reason_and_never_the_password() {
    let Some(db) = MyDatabase::create("my connect password") else {
        return;
    };
    let url = with_password(&db, "Sup3rS3cret");
    let p = TestProject::with_config(&format!("[database]\nurl = \"{url}\"\n"));
    let run = p
        .run(&["current"])
        .fails(1, "cannot connect to MySQL/MariaDB at ");
    assert!(
        run.stderr.contains("Access denied for user ")
            && run.stderr.contains("(using password: YES) (error 1045)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Sup3rS3cret"), "{}", run.stderr);
    assert!(!run.stdout.contains("Sup3rS3cret"), "{}", run.stdout);
}

#[test]
fn an_unreachable_port_is_named() {
    let p = TestProject::with_config(
        "[database]\nurl = \"mysql://root:Sup3rS3cret@127.0.0.1:3999/test\"\n",
    );
    let run = p.run(&["upgrade", "head"]).fails(
        1,
        "cannot connect to MySQL/MariaDB at 127.0.0.1:3999 as user root: connection refused",
    );
    assert!(!run.stderr.contains("Sup3rS3cret"), "{}", run.stderr);
}

#[test]
fn an_unknown_database_and_an_unknown_key_are_named() {
    let Some(db) = MyDatabase::create("my connect reason") else {
        return;
    };
    let url = db.url().replace(&db.name, "no_such_database_here");
    let p = TestProject::with_config(&format!("[database]\nurl = \"{url}\"\n"));
    p.run(&["current"])
        .fails(1, "Unknown database 'no_such_database_here' (error 1049)");
    let p = TestProject::with_config(&format!(
        "[database]\nurl = \"{}\"\n",
        with_query(&db, "sslrootcert=/ca.pem")
    ));
    p.run(&["current"])
        .fails(1, "unknown MySQL URL key 'sslrootcert'");
    let p = TestProject::with_config(&format!(
        "[database]\nurl = \"{}\"\n",
        with_query(&db, "charset=klingon")
    ));
    p.run(&["current"]).fails(1, "charset 'klingon'");
}

#[test]
fn ssl_modes_do_what_the_mysql_client_does() {
    let Some(db) = MyDatabase::create("my connect tls") else {
        return;
    };
    let cipher = |driver: &mut MysqlDriver| {
        let rows = driver
            .query("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
            .unwrap();
        rows[0][1].clone().unwrap_or_default()
    };
    let mut plain = connect(&with_query(&db, "ssl-mode=disabled")).unwrap();
    assert_eq!(cipher(&mut plain), "");
    let have_ssl = plain.query("SHOW VARIABLES LIKE 'have_ssl'").unwrap();
    let has_tls = have_ssl
        .first()
        .and_then(|row| row[1].clone())
        .is_some_and(|v| v == "YES");
    if !has_tls {
        // This server has no TLS: preferred (the default) falls back to a plain session,
        // required and the verify modes fail saying why.
        let mut preferred = connect(&db.url()).unwrap();
        assert_eq!(cipher(&mut preferred), "");
        for mode in ["required", "VERIFY_IDENTITY"] {
            let error = connect(&with_query(&db, &format!("ssl-mode={mode}")))
                .err()
                .unwrap();
            assert!(
                error.starts_with("cannot connect to MySQL/MariaDB at ")
                    && error.contains(&format!(
                        ": the server does not support TLS, which ssl-mode={} requires",
                        mode.to_uppercase()
                    )),
                "{error}"
            );
        }
        return;
    }
    // With TLS on the server: preferred and required encrypt, checking no certificate.
    let mut preferred = connect(&db.url()).unwrap();
    assert_ne!(cipher(&mut preferred), "");
    let mut required = connect(&with_query(&db, "ssl-mode=required")).unwrap();
    assert_ne!(cipher(&mut required), "");
    // verify_ca against the compiled-in public roots: a local certificate is not theirs.
    let error = connect(&with_query(&db, "ssl-mode=verify_ca"))
        .err()
        .unwrap();
    assert!(
        error.contains(": invalid peer certificate: UnknownIssuer"),
        "{error}"
    );
    // With the server's own CA: the chain verifies.
    let ca = value(&mut plain, "SELECT @@ssl_ca");
    if std::fs::read(&ca).is_err() {
        eprintln!("skipped the verify_* part: cannot read the server's CA {ca:?}");
        return;
    }
    for mode in ["verify_ca", "verify_identity"] {
        match connect(&with_query(&db, &format!("ssl-mode={mode}&ssl-ca={ca}"))) {
            Ok(mut verified) => {
                eprintln!("{mode} with the server's CA: connected");
                assert_ne!(cipher(&mut verified), "");
            }
            Err(error) => {
                eprintln!("{mode} with the server's CA: {error}");
                // Only a certificate for another name may fail (see the guide's known limit).
                assert!(error.contains("not valid for name"), "{error}");
            }
        }
    }
}

#[test]
fn the_session_keeps_the_servers_modes_and_speaks_utf8mb4() {
    let Some(db) = MyDatabase::create("my connect session") else {
        return;
    };
    let mut driver = connect(&db.url()).unwrap();
    assert_eq!(
        value(
            &mut driver,
            "SELECT concat_ws(',', @@character_set_client, @@character_set_connection, \
             @@character_set_results)"
        ),
        "utf8mb4,utf8mb4,utf8mb4"
    );
    assert_eq!(
        value(
            &mut driver,
            "SELECT @@SESSION.sql_mode = @@GLOBAL.sql_mode AND @@SESSION.time_zone = @@GLOBAL.time_zone"
        ),
        "1"
    );
    let mut latin = connect(&with_query(&db, "charset=latin1")).unwrap();
    assert_eq!(value(&mut latin, "SELECT @@character_set_client"), "latin1");

    let version = value(&mut driver, "SELECT VERSION()");
    let server = driver.dialect().server();
    assert_eq!(
        server.flavour,
        if version.contains("MariaDB") {
            "MariaDB"
        } else {
            "MySQL"
        }
    );
    let numbers: Vec<String> = server.numbers.iter().map(u32::to_string).collect();
    assert!(
        version.starts_with(&numbers.join(".")),
        "{version} {server:?}"
    );

    driver
        .set_busy_timeout(std::time::Duration::from_millis(2500))
        .unwrap();
    assert_eq!(
        value(
            &mut driver,
            "SELECT concat(@@lock_wait_timeout, ' ', @@innodb_lock_wait_timeout)"
        ),
        "3 3"
    );

    assert!(!driver.table_exists("Mixed Case").unwrap());
    driver
        .execute("CREATE TABLE `Mixed Case` (id int)")
        .unwrap();
    assert!(driver.table_exists("Mixed Case").unwrap());
    if value(&mut driver, "SELECT @@lower_case_table_names") == "0" {
        assert!(!driver.table_exists("mixed case").unwrap());
    }
    // Another database's table is not this one's.
    assert!(!driver.table_exists("TABLES").unwrap());
    // query gives every value as text, NULL as None.
    assert_eq!(
        driver.query("SELECT 1, NULL, 'x', 2.50").unwrap(),
        [[
            Some("1".to_string()),
            None,
            Some("x".to_string()),
            Some("2.50".to_string())
        ]]
    );
    assert_eq!(driver.namespaces(), [""]);
    // execute_many sends its statements in order and stops at the first failure.
    let many = [
        "INSERT INTO `Mixed Case` VALUES (1) -- a trailing comment".to_string(),
        "INSERT INTO `Mixed Case` VALUES (2)".to_string(),
    ];
    driver.execute_many(&many).unwrap();
    assert_eq!(value(&mut driver, "SELECT count(*) FROM `Mixed Case`"), "2");
    let failing = [
        "INSERT INTO `Mixed Case` VALUES (3)".to_string(),
        "INSERT INTO no_such_table VALUES (4)".to_string(),
        "INSERT INTO `Mixed Case` VALUES (5)".to_string(),
    ];
    let error = format!("{:#}", driver.execute_many(&failing).unwrap_err());
    assert!(
        error.contains("no_such_table' doesn't exist (error 1146)"),
        "{error}"
    );
    assert_eq!(
        value(
            &mut driver,
            "SELECT group_concat(id ORDER BY id) FROM `Mixed Case`"
        ),
        "1,2,3"
    );
}

#[test]
fn a_unix_socket_is_a_host() {
    let Some(db) = MyDatabase::create("my connect socket") else {
        return;
    };
    let mut tcp = connect(&db.url()).unwrap();
    let socket = value(&mut tcp, "SELECT @@socket");
    let tcp_host = value(
        &mut tcp,
        "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()",
    );
    assert!(tcp_host.contains(':'), "{tcp_host}");
    if !Path::new(&socket).exists() {
        eprintln!("skipped: the server's socket {socket} is not on this machine");
        return;
    }
    for key in ["socket", "unix_socket"] {
        let url = with_query(&db, &format!("{key}={socket}"));
        let mut driver = connect(&url).unwrap_or_else(|e| panic!("{url}: {e}"));
        // The server sees a local session, without a port.
        assert_eq!(
            value(
                &mut driver,
                "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()"
            ),
            "localhost",
            "{url}"
        );
        assert_eq!(value(&mut driver, "SELECT DATABASE()"), db.name);
    }
    let p = TestProject::with_config(&format!(
        "[database]\nurl = \"{}\"\n",
        with_query(&db, &format!("unix_socket={socket}"))
    ));
    p.run(&["current"]).ok();
}

#[test]
fn get_lock_is_exclusive_per_database_and_says_who_holds_it() {
    let Some(db) = MyDatabase::create("my connect lock") else {
        return;
    };
    let Some(other_db) = MyDatabase::create("my connect lock other") else {
        return;
    };
    let mut first = connect(&db.url()).unwrap();
    let mut second = connect(&db.url()).unwrap();
    let key = first.lock_key("migrate_version");
    assert_eq!(key, second.lock_key("migrate_version"));
    assert!(
        key.resource
            .starts_with(&format!("database {} on ", db.name)),
        "{key:?}"
    );
    assert!(first.try_lock(&key).unwrap());
    assert!(!second.try_lock(&key).unwrap());
    // The server's view: the lock is held, by the first session.
    let name = migrate::dialect::mysql::lock::lock_name(&key);
    let id = value(&mut first, "SELECT CONNECTION_ID()");
    assert_eq!(
        value(&mut second, &format!("SELECT IS_USED_LOCK('{name}')")),
        id
    );
    // The server may list the first session in its last statement for a moment after
    // the statement returned: wait until it shows the session idle.
    let mut holder = String::new();
    for _ in 0..100 {
        holder = second.lock_holder(&key).unwrap().expect("a holder");
        if holder.contains(", idle for ") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        holder.starts_with(&format!("connection {id}, user ")) && holder.contains(", idle for "),
        "{holder}"
    );
    // Another database, or another version table, is another lock.
    let mut elsewhere = connect(&other_db.url()).unwrap();
    let other_key = elsewhere.lock_key("migrate_version");
    assert!(elsewhere.try_lock(&other_key).unwrap());
    assert!(second.try_lock(&second.lock_key("other_version")).unwrap());

    first.unlock(&key).unwrap();
    assert_eq!(second.lock_holder(&key).unwrap(), None);
    assert!(first.unlock(&key).is_err(), "released twice");
    assert!(second.try_lock(&key).unwrap());
    // The session's end frees it.
    drop(second);
    let mut third = connect(&db.url()).unwrap();
    let mut waited = 0;
    while !third.try_lock(&key).unwrap() {
        assert!(waited < 50, "the lock outlived its session");
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
}
