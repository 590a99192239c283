//! Applying on MariaDB/MySQL: every command that needs no introspection (upgrade,
//! downgrade, stamp, current, history, --sql) on the real server, judged by the server's
//! own SHOW TABLES, SHOW CREATE TABLE and the version table's rows; the `--sql` script is
//! judged by running it through the `mysql` client.

use crate::apply::{self, two_revisions, Applying};
use crate::project::TestProject;
use crate::servers::{My, MyDatabase};
use mysql::prelude::Queryable;

impl Applying for My {
    const ORDER: (&'static str, &'static str) = (
        "CREATE TABLE `Order` (id INT AUTO_INCREMENT PRIMARY KEY, account_id BIGINT,\n\
         CONSTRAINT order_account FOREIGN KEY (account_id) REFERENCES account (id));\n\
         CREATE INDEX order_id_desc ON `Order` (id DESC);",
        "DROP TABLE `Order`;",
    );
}

/// `host:port` of a MySQL URL (the port 3306 when it names none), as messages show it.
pub fn address(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme.split(['/', '?']).next().unwrap_or_default();
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if hostport.contains(':') {
        hostport.to_string()
    } else {
        format!("{hostport}:3306")
    }
}

/// The server's SHOW CREATE TABLE of `table`.
pub fn show_create(db: &MyDatabase, table: &str) -> String {
    let sql = format!("SHOW CREATE TABLE `{table}`");
    let row: Option<(String, String)> = db
        .conn()
        .query_first(&sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    row.expect("SHOW CREATE TABLE gives a row").1
}

#[test]
fn every_command_runs_on_mariadb() {
    let Some(db) = MyDatabase::create("my apply commands") else {
        return;
    };
    apply::every_command_runs(&db);
    let order = show_create(&db, "Order");
    assert!(
        order.contains(
            "CONSTRAINT `order_account` FOREIGN KEY (`account_id`) REFERENCES `account` (`id`)"
        ),
        "{order}"
    );
    assert!(order.contains("KEY `order_id_desc` (`id` DESC)"), "{order}");
}

#[test]
fn mariadb_and_pymysql_urls_reach_the_same_server() {
    let Some(db) = MyDatabase::create("my apply schemes") else {
        return;
    };
    let url = db.url();
    let rest = url.split_once("://").expect("a URL").1;
    for scheme in ["mariadb", "mysql+pymysql"] {
        let p = TestProject::with_config(&format!("[database]\nurl = \"{scheme}://{rest}\"\n"));
        p.revision(
            "c1",
            "",
            "CREATE TABLE IF NOT EXISTS t (id INT);",
            "DROP TABLE t;",
        );
        p.run(&["upgrade", "head"]).ok();
        assert_eq!(p.run(&["current"]).ok().stdout, "c1 (head)\n");
    }
    assert_eq!(db.versions(), ["c1"]);
}

/// The offline script for MySQL keeps DDL outside transactions (it commits implicitly)
/// and says why; the `mysql` client runs it to the same end state as a live upgrade.
#[test]
fn the_sql_script_runs_in_the_mysql_client() {
    let Some(db) = MyDatabase::create("my apply script") else {
        return;
    };
    let p = db.project();
    two_revisions::<My>(&p);
    let script = p.run(&["upgrade", "head", "--sql"]).ok().stdout;
    let first_ddl = script
        .find("CREATE TABLE account")
        .expect("the DDL is printed");
    assert!(
        !script[..first_ddl].contains("START TRANSACTION") && !script.contains("BEGIN;"),
        "{script}"
    );
    assert!(
        script[..first_ddl].contains("this engine commits each DDL statement implicitly"),
        "{script}"
    );
    // Judge by the server: run the script with the mysql client, if there is one.
    let Ok(client) = which("mysql") else {
        eprintln!("skipped the client half: no mysql client on PATH");
        return;
    };
    let url = db.url();
    let after_scheme = url.split_once("://").unwrap().1;
    let (userinfo, rest) = after_scheme
        .rsplit_once('@')
        .unwrap_or(("root", after_scheme));
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    let hostport = rest.split('/').next().unwrap();
    let (host, port) = hostport.split_once(':').unwrap_or((hostport, "3306"));
    let mut command = std::process::Command::new(client);
    command.args(["-u", user, "-h", host, "-P", port, &db.name]);
    if !password.is_empty() {
        command.arg(format!("-p{password}"));
    }
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run the mysql client");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        db.tables(),
        [
            "Order",
            "account",
            "migrate_version",
            "migrate_version_history"
        ]
    );
    assert_eq!(db.versions(), ["b2b2b2b2b2b2"]);
    assert_eq!(p.run(&["current"]).ok().stdout, "b2b2b2b2b2b2 (head)\n");
}

/// The path of `program` on PATH.
fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    let path = std::env::var_os("PATH").ok_or(())?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .ok_or(())
}

/// MariaDB commits each DDL statement: a failing statement leaves the ones before it
/// applied (the server's SHOW TABLES says so), the error names the statement, its line
/// and the server's reason, and the version table stays at the last complete revision.
#[test]
fn a_failing_statement_is_named_and_the_version_stays() {
    let Some(db) = MyDatabase::create("my apply failing") else {
        return;
    };
    let p = db.project();
    p.revision("f1", "", "CREATE TABLE one (id INT);", "DROP TABLE one;");
    p.revision(
        "f2",
        "f1",
        "CREATE TABLE two (id INT);\nCREATE TABLE one (id INT);\nCREATE TABLE three (id INT);",
        "DROP TABLE two;",
    );
    let run = p.run(&["upgrade", "head"]).fails(1, "revision f2 (");
    assert!(
        run.stderr
            .contains("f2_rev.sql:7): statement 2 failed: Table 'one' already exists (error 1050)"),
        "{}",
        run.stderr
    );
    assert_eq!(db.versions(), ["f1"]);
    assert_eq!(
        db.tables(),
        ["migrate_version", "migrate_version_history", "one", "two"]
    );
}

/// `name type` of each column of `table`, in order (information_schema).
fn columns(db: &MyDatabase, table: &str) -> Vec<String> {
    db.strings(&format!(
        "SELECT concat(column_name, ' ', column_type) FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = '{table}' ORDER BY ordinal_position"
    ))
}

/// `name: columns` of each index of `table` but the primary key (information_schema).
fn indexes(db: &MyDatabase, table: &str) -> Vec<String> {
    db.strings(&format!(
        "SELECT concat(index_name, ': ', group_concat(column_name ORDER BY seq_in_index)) \
             FROM information_schema.statistics WHERE table_schema = DATABASE() \
             AND table_name = '{table}' AND index_name <> 'PRIMARY' \
             GROUP BY index_name ORDER BY index_name"
    ))
}

const PARENT: &str = "p1p1p1p1p1p1";
const HEAD: &str = "h3h3h3h3h3h3";
const ADD_EMAIL: &str = "ALTER TABLE account ADD COLUMN email VARCHAR(120) NULL;";
const MISSING_COLUMN: &str = "ALTER TABLE account MODIFY COLUMN nickname VARCHAR(80) NOT NULL;";

/// Revision PARENT (table `account`) and HEAD with `upgrade` and `downgrade`.
fn account_revisions(p: &TestProject, upgrade: &str, downgrade: &str) {
    p.revision(
        PARENT,
        "",
        "CREATE TABLE account (id INT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL);",
        "DROP TABLE account;",
    );
    p.revision(HEAD, PARENT, upgrade, downgrade);
}

/// Revision PARENT (table `account`) and HEAD: three statements, `second` the second
/// (line 7 of its file), run one by one as every MySQL revision is.
fn three_statements(p: &TestProject, second: &str) {
    account_revisions(
        p,
        &format!("{ADD_EMAIL}\n{second}\nCREATE INDEX account_email ON account (email);"),
        "DROP INDEX account_email ON account;\n\
         ALTER TABLE account MODIFY COLUMN name VARCHAR(40) NOT NULL;\n\
         ALTER TABLE account DROP COLUMN email;",
    );
}

/// A revision of three statements whose second fails on the server: the whole report,
/// the version table at the parent, `current`'s dirty state and statement 1's effect on
/// the server; the fixed file resumes at statement 2 (statement 1 is not run again: it
/// would fail, the column exists) and reaches head with all three effects and a clean
/// history table.
#[test]
fn the_second_of_three_statements_fails_and_the_rerun_resumes_at_it() {
    let Some(db) = MyDatabase::create("my apply second of three") else {
        return;
    };
    let p = db.project();
    three_statements(&p, MISSING_COLUMN);
    let run = p.run(&["upgrade", "head"]).fails(1, "statement 2 failed");
    let file = p.path(&format!("migrations/{HEAD}_rev.sql"));
    let file = file.display();
    let report: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with(&format!("Running upgrade  -> {PARENT}")))
        .collect();
    assert_eq!(
        report.join("\n"),
        format!(
            "applied statements of revision {HEAD} (upgrade), which stay applied:\n  \
             1 ({file}:6) {}\n\
             error: revision {HEAD} ({file}:7): statement 2 failed: Unknown column 'nickname' \
             in 'account' (error 1054); statement: {}; statement 1 was applied and stays \
             applied (it ran without a transaction; listed above); the version table still \
             shows it as not applied, and the revision is dirty (`migrate current` shows \
             it); to go on: fix statement 2 in the file and run `migrate upgrade` again, \
             which resumes at statement 2 (statement 1 must stay as it is); or fix the \
             database by hand and run `migrate stamp {HEAD}` once the upgrade is complete, \
             or `migrate stamp {PARENT}` once statement 1 is undone; stamp clears the dirty \
             state",
            ADD_EMAIL.trim_end_matches(';'),
            MISSING_COLUMN.trim_end_matches(';'),
        )
    );
    assert_eq!(db.versions(), [PARENT]);
    assert_eq!(
        p.run(&["current"]).ok().stdout,
        format!("{PARENT}\n{HEAD} (head) (dirty: 1 of 3 upgrade statements applied)\n")
    );
    // Statement 1 ran, 2 and 3 did not.
    assert_eq!(
        columns(&db, "account"),
        ["id int(11)", "name varchar(40)", "email varchar(120)"]
    );
    assert_eq!(indexes(&db, "account"), Vec::<String>::new());

    three_statements(
        &p,
        "ALTER TABLE account MODIFY COLUMN name VARCHAR(80) NOT NULL;",
    );
    let run = p.run(&["upgrade", "head"]).ok();
    assert!(
        run.stderr.contains(&format!(
            "resuming the upgrade of revision {HEAD} at statement 2 of 3: an earlier run \
             (started "
        )) && run
            .stderr
            .contains("stopped part way; statement 1 was applied then and is unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(db.versions(), [HEAD]);
    assert_eq!(p.run(&["current"]).ok().stdout, format!("{HEAD} (head)\n"));
    assert_eq!(
        columns(&db, "account"),
        ["id int(11)", "name varchar(80)", "email varchar(120)"]
    );
    assert_eq!(indexes(&db, "account"), ["account_email: email"]);
    assert!(
        show_create(&db, "account").contains("KEY `account_email` (`email`)"),
        "{}",
        show_create(&db, "account")
    );
    // The history: HEAD's row, dirty until now, is an ordinary complete upgrade record.
    assert_eq!(
        db.strings(
            "SELECT concat_ws(' ', version_num, operation, state, statements_done, \
             statements_total) FROM migrate_version_history ORDER BY id",
        ),
        [
            format!("{PARENT} upgrade complete 1 1"),
            format!("{HEAD} upgrade complete 3 3")
        ]
    );
}

/// Data changes run in one transaction with the record of their completion, and a last
/// one with the version update: statement 2's row and its record land together; the
/// failing last statement (a duplicate key) rolls back alone, leaving statement 2's row
/// and the revision dirty at 2 of 3; fixed, the rerun resumes at statement 3.
#[test]
fn data_changes_land_with_their_records() {
    let Some(db) = MyDatabase::create("my apply data changes") else {
        return;
    };
    let p = db.project();
    let write = |third: &str| {
        account_revisions(
            &p,
            &format!("{ADD_EMAIL}\nINSERT INTO account (id, name) VALUES (1, 'ann');\n{third}"),
            "DELETE FROM account;\nALTER TABLE account DROP COLUMN email;",
        );
    };
    write("INSERT INTO account (id, name) VALUES (1, 'bob');");
    let run = p.run(&["upgrade", "head"]).fails(1, "statement 3 failed");
    assert!(
        run.stderr
            .contains("Duplicate entry '1' for key 'PRIMARY' (error 1062)")
            && run
                .stderr
                .contains("statements 1 to 2 were applied and stay applied"),
        "{}",
        run.stderr
    );
    assert_eq!(db.versions(), [PARENT]);
    assert_eq!(db.strings("SELECT name FROM account ORDER BY id"), ["ann"]);
    assert_eq!(
        db.strings(
            "SELECT concat_ws(' ', state, statements_done, statements_total) \
             FROM migrate_version_history WHERE version_num = 'h3h3h3h3h3h3'"
        ),
        ["dirty 2 3"]
    );

    write("INSERT INTO account (id, name) VALUES (2, 'bob');");
    let run = p.run(&["upgrade", "head"]).ok();
    assert!(
        run.stderr.contains(&format!(
            "resuming the upgrade of revision {HEAD} at statement 3 of 3"
        )),
        "{}",
        run.stderr
    );
    assert_eq!(db.versions(), [HEAD]);
    assert_eq!(
        db.strings("SELECT name FROM account ORDER BY id"),
        ["ann", "bob"]
    );
    assert_eq!(
        db.strings(
            "SELECT concat_ws(' ', state, statements_done, statements_total) \
             FROM migrate_version_history WHERE version_num = 'h3h3h3h3h3h3'"
        ),
        ["complete 3 3"]
    );
    p.run(&["downgrade", "base"]).ok();
    assert_eq!(db.tables(), ["migrate_version", "migrate_version_history"]);
}
