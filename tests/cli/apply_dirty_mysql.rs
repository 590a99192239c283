//! The dirty-state bookkeeping on MariaDB, before the MySQL driver lands: the migrator
//! runs on the real server through a minimal connection (execute, query, transactions and
//! `GET_LOCK` on a `mysql::Conn`), so the SQL it writes for an engine whose DDL commits
//! implicitly (every revision statement by statement) meets the server, judged by
//! information_schema. The binary's own MySQL tests replace this one once the driver is in.

use crate::project::TestProject;
use crate::servers::MyDatabase;
use migrate::dialect::{DialectRef, Driver, Engine, LockKey, ScratchDatabase};
use migrate::engine::migrator::{Migrator, RunOptions};
use migrate::engine::sink::ApplyError;
use migrate::revision::graph::RevisionGraph;
use migrate::revision::plan::Direction;
use migrate::revision::target::Target;
use migrate::schema::filter::Filter;
use migrate::schema::Schema;
use mysql::prelude::Queryable;
use std::time::Duration;

/// A connection to the test database: the part of a driver that applying uses.
struct Connection(mysql::Conn);

impl Connection {
    fn values(&mut self, sql: &str) -> anyhow::Result<Vec<Vec<Option<String>>>> {
        let rows: Vec<mysql::Row> = self.0.query(sql)?;
        Ok(rows
            .into_iter()
            .map(|row| {
                row.unwrap()
                    .into_iter()
                    .map(|value| match value {
                        mysql::Value::NULL => None,
                        mysql::Value::Bytes(bytes) => {
                            Some(String::from_utf8_lossy(&bytes).into_owned())
                        }
                        other => Some(other.as_sql(true)),
                    })
                    .collect()
            })
            .collect())
    }
}

impl Driver for Connection {
    fn dialect(&self) -> DialectRef {
        Engine::Mysql.dialect()
    }
    fn execute(&mut self, sql: &str) -> anyhow::Result<()> {
        Ok(self.0.query_drop(sql)?)
    }
    fn query(&mut self, sql: &str) -> anyhow::Result<Vec<Vec<Option<String>>>> {
        self.values(sql)
    }
    fn table_exists(&mut self, name: &str) -> anyhow::Result<bool> {
        let sql = format!(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() \
             AND table_name = {}",
            self.dialect().quote_literal(name)
        );
        Ok(self.values(&sql)?[0][0].as_deref() == Some("1"))
    }
    fn begin(&mut self) -> anyhow::Result<()> {
        self.execute("START TRANSACTION")
    }
    fn commit(&mut self) -> anyhow::Result<()> {
        self.execute("COMMIT")
    }
    fn rollback(&mut self) -> anyhow::Result<()> {
        self.execute("ROLLBACK")
    }
    fn lock_key(&self, version_table: &str) -> LockKey {
        LockKey::new("test database".into(), "test", version_table)
    }
    fn try_lock(&mut self, key: &LockKey) -> anyhow::Result<bool> {
        let sql = format!(
            "SELECT GET_LOCK({}, 0)",
            self.dialect().quote_literal(&key.name)
        );
        Ok(self.values(&sql)?[0][0].as_deref() == Some("1"))
    }
    fn unlock(&mut self, key: &LockKey) -> anyhow::Result<()> {
        let sql = format!(
            "SELECT RELEASE_LOCK({})",
            self.dialect().quote_literal(&key.name)
        );
        self.values(&sql).map(drop)
    }
    fn set_busy_timeout(&mut self, _: Duration) -> anyhow::Result<()> {
        Ok(())
    }
    fn inspect(&mut self, _: &Filter) -> anyhow::Result<Schema> {
        anyhow::bail!("not used by applying")
    }
    fn create_scratch(&mut self) -> anyhow::Result<Box<dyn ScratchDatabase + Send>> {
        anyhow::bail!("not used by applying")
    }
}

fn column(db: &MyDatabase, sql: &str) -> Vec<String> {
    let mut conn = db.conn();
    conn.query::<Option<String>, _>(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect()
}

fn tables(db: &MyDatabase) -> Vec<String> {
    column(
        db,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() \
         AND table_name NOT LIKE 'migrate\\_%' ORDER BY table_name",
    )
}

fn upgrade(project: &TestProject, db: &MyDatabase) -> anyhow::Result<usize> {
    let revisions = migrate::revision::file::load_dir(&project.path("migrations"))?;
    let graph = RevisionGraph::build(revisions)?;
    let migrator = Migrator::new(&graph, Engine::Mysql.dialect(), "migrate_version");
    let mut connection = Connection(db.conn());
    let target: Target = "head".parse().expect("a target");
    migrator.run(
        &mut connection,
        Direction::Upgrade,
        &target,
        RunOptions {
            lock_timeout: Duration::from_secs(20),
            allow_changed: false,
        },
        &mut |_| {},
    )
}

#[test]
fn a_revision_whose_second_of_three_statements_fails_is_dirty_then_resumes_on_mariadb() {
    let Some(db) = MyDatabase::create("dirty mariadb") else {
        return;
    };
    let p = TestProject::new();
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE base (id INT);",
        "DROP TABLE base;",
    );
    let section = |second: &str| {
        format!("CREATE TABLE one (id INT);\n{second}\nCREATE TABLE three (id INT);")
    };
    p.revision(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        &section("INSERT INTO missing VALUES (1);"),
        "DROP TABLE three;\nDROP TABLE one;",
    );
    // The bookkeeping tables as an earlier build made them.
    let mut conn = db.conn();
    conn.query_drop(
        "CREATE TABLE migrate_version_history (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, \
         version_num VARCHAR(32) NOT NULL, operation VARCHAR(10) NOT NULL, \
         checksum VARCHAR(64), upgrade_sql LONGTEXT, applied_at VARCHAR(40) NOT NULL, \
         duration_ms BIGINT)",
    )
    .expect("old history table");

    let error = upgrade(&p, &db).expect_err("statement 2 fails");
    let failed = error
        .downcast_ref::<ApplyError>()
        .unwrap_or_else(|| panic!("an ApplyError: {error:#}"));
    assert_eq!(failed.number, 2);
    assert!(
        failed.location.ends_with("b2b2b2b2b2b2_rev.sql:7"),
        "{failed:?}"
    );
    assert!(failed.cause.contains("missing"), "{failed:?}");
    assert!(
        failed.applied.contains("1 (") && failed.applied.contains("CREATE TABLE one (id INT)"),
        "{failed:?}"
    );
    assert!(
        failed.partial.contains("statements 1 to 1 were applied"),
        "{failed:?}"
    );
    assert_eq!(tables(&db), ["base", "one"]);
    assert_eq!(
        column(&db, "SELECT version_num FROM migrate_version"),
        ["a1a1a1a1a1a1"]
    );
    assert_eq!(
        column(
            &db,
            "SELECT column_name FROM information_schema.columns WHERE table_schema = \
             DATABASE() AND table_name = 'migrate_version_history' AND ordinal_position > 7 \
             ORDER BY ordinal_position"
        ),
        [
            "state",
            "statements_done",
            "statements_total",
            "statement_checksums"
        ]
    );
    assert_eq!(
        column(
            &db,
            "SELECT CONCAT(version_num, ' ', state, ' ', statements_done, '/', \
             statements_total) FROM migrate_version_history WHERE state IS NOT NULL \
             ORDER BY id"
        ),
        ["a1a1a1a1a1a1 complete 1/1", "b2b2b2b2b2b2 dirty 1/3"]
    );

    p.revision(
        "b2b2b2b2b2b2",
        "a1a1a1a1a1a1",
        &section("INSERT INTO base VALUES (1);"),
        "DROP TABLE three;\nDROP TABLE one;",
    );
    upgrade(&p, &db).expect("the fixed revision resumes");
    assert_eq!(tables(&db), ["base", "one", "three"]);
    assert_eq!(
        column(&db, "SELECT CAST(count(*) AS CHAR) FROM base"),
        ["1"]
    );
    assert_eq!(
        column(&db, "SELECT version_num FROM migrate_version"),
        ["b2b2b2b2b2b2"]
    );
    assert_eq!(
        column(
            &db,
            "SELECT CONCAT(version_num, ' ', state, ' ', statements_done) \
             FROM migrate_version_history WHERE state IS NOT NULL ORDER BY id"
        ),
        ["a1a1a1a1a1a1 complete 1", "b2b2b2b2b2b2 complete 3"]
    );
}
