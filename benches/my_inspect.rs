//! MySQL/MariaDB introspection cost against `mysqldump --no-data`: creates scratch databases
//! of 2 and N tables (default 1,000; each with an auto-increment key, a few columns with a
//! default and a CHECK, a unique key, an index, and a foreign key to the previous table on
//! two of every three), then prints the number of queries of each and, on the large one,
//! the best of R runs of our inspection (with and without opening the connection) next to
//! `mysqldump --no-data` run as a process (which connects itself). The scratch databases
//! are dropped at the end.
//!
//! usage: cargo bench --bench my_inspect -- [TABLES] [RUNS]
//! (server: `MIGRATE_TEST_MYSQL_URL`, default `mysql://root@127.0.0.1:3306/test`;
//! dump: `MYSQLDUMP`, default `mysqldump`; the password, if any, goes to it through
//! `MYSQL_PWD`, never on its command line)

mod common;

use common::best_of;
use migrate::dialect::mysql::inspect::inspect_counting;
use migrate::dialect::Engine;
use migrate::schema::filter::Filter;
use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder};
use std::process::Command;
use std::time::{Duration, Instant};

fn admin_opts() -> Opts {
    let url = std::env::var("MIGRATE_TEST_MYSQL_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "mysql://root@127.0.0.1:3306/test".into());
    Opts::from_url(&url).unwrap_or_else(|e| panic!("MIGRATE_TEST_MYSQL_URL: {e}"))
}

/// A scratch database, dropped on drop.
struct Scratch {
    name: String,
}

impl Scratch {
    fn create(label: &str) -> Scratch {
        let name = format!("mt_bench_{label}_{}", std::process::id());
        let mut admin = Conn::new(admin_opts()).expect("connect to MySQL");
        admin
            .query_drop(format!(
                "DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}` \
                 CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
            ))
            .expect("create the scratch database");
        Scratch { name }
    }

    fn opts(&self) -> Opts {
        OptsBuilder::from_opts(admin_opts())
            .db_name(Some(&self.name))
            .into()
    }

    fn conn(&self) -> Conn {
        Conn::new(self.opts()).expect("connect")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Ok(mut admin) = Conn::new(admin_opts()) {
            let _ = admin.query_drop(format!("DROP DATABASE IF EXISTS `{}`", self.name));
        }
    }
}

/// The schema of `n` tables.
fn schema_sql(n: usize) -> String {
    let mut sql = String::new();
    for i in 0..n {
        let fk = if i > 0 && i % 3 != 0 {
            format!(
                ", prev_id INT, FOREIGN KEY (prev_id) REFERENCES t{} (id) ON DELETE CASCADE",
                i - 1
            )
        } else {
            String::new()
        };
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id INT AUTO_INCREMENT PRIMARY KEY, \
             name VARCHAR(100) NOT NULL DEFAULT '', code VARCHAR(20) UNIQUE, \
             amount DECIMAL(10,2) CHECK (amount >= 0), \
             created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, \
             KEY t{i}_name (name){fk});\n"
        ));
    }
    sql
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let tables = args.first().copied().unwrap_or(1000);
    let runs = args.get(1).copied().unwrap_or(5);
    let filter = Filter::new(Engine::Mysql, "migrate_version");

    let small = Scratch::create("small");
    small.conn().query_drop(schema_sql(2)).expect("load");
    let large = Scratch::create("large");
    let load = Instant::now();
    let mut conn = large.conn();
    let sql = schema_sql(tables);
    let lines: Vec<&str> = sql.lines().collect();
    for batch in lines.chunks(200) {
        conn.query_drop(batch.join("\n")).expect("load");
    }
    eprintln!(
        "loaded {tables} tables in {:.1} s",
        load.elapsed().as_secs_f64()
    );
    for (n, db) in [(2, &small), (tables, &large)] {
        let (schema, queries) =
            inspect_counting(&mut db.conn(), &db.name, &filter).expect("inspect");
        assert_eq!(schema.tables.len(), n);
        println!("{n:>6} tables: {queries} queries");
    }

    let warm = best_of(runs, || {
        inspect_counting(&mut conn, &large.name, &filter).expect("inspect");
    });
    let cold = best_of(runs, || {
        let mut conn = large.conn();
        inspect_counting(&mut conn, &large.name, &filter).expect("inspect");
    });
    let opts = admin_opts();
    let dump = std::env::var("MYSQLDUMP").unwrap_or_else(|_| "mysqldump".into());
    let dumped = best_of(runs, || {
        let mut command = Command::new(&dump);
        command.args([
            "--no-data",
            "--skip-comments",
            "--result-file=/dev/null",
            &format!("--host={}", opts.get_ip_or_hostname()),
            &format!("--port={}", opts.get_tcp_port()),
            &format!("--user={}", opts.get_user().unwrap_or("root")),
            &large.name,
        ]);
        if let Some(password) = opts.get_pass() {
            command.env("MYSQL_PWD", password);
        }
        let status = command.status().expect("run mysqldump");
        assert!(status.success(), "{dump} failed");
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("best of {runs}, {tables} tables:");
    println!(
        "  inspect, open connection: {:8.1} ms ({:.2}x {dump})",
        ms(warm),
        ms(warm) / ms(dumped)
    );
    println!(
        "  inspect, with connecting: {:8.1} ms ({:.2}x {dump})",
        ms(cold),
        ms(cold) / ms(dumped)
    );
    println!("  {dump} --no-data:     {:8.1} ms", ms(dumped));
}
