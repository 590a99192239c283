//! PostgreSQL introspection cost against `pg_dump --schema-only`: creates scratch databases
//! of 2 and N tables (default 2,000; each with a serial key, a few columns with a default
//! and a CHECK, a unique constraint, an index, and a foreign key to the previous table on
//! two of every three), then prints the number of catalog queries of each and, on the
//! large one, the best of R runs of our inspection (with and without opening the
//! connection) next to `pg_dump --schema-only` run as a process (which connects itself).
//! The scratch databases are dropped at the end.
//!
//! usage: cargo bench --bench pg_inspect -- [TABLES] [RUNS]
//! (server: `MIGRATE_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`;
//! pg_dump: `PG_DUMP`, else the newest `/usr/lib/postgresql/*/bin/pg_dump`, else `pg_dump`)

mod common;

use common::best_of;
use migrate::dialect::postgres::inspect::inspect_counting;
use migrate::dialect::Engine;
use migrate::schema::filter::Filter;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn admin_url() -> String {
    std::env::var("MIGRATE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// `url` with its database replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |i| authority + i);
    let mut out = format!("{}/{database}", &base[..path]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// A scratch database, dropped on drop.
struct Scratch {
    admin: String,
    name: String,
}

impl Scratch {
    fn create(label: &str) -> Scratch {
        let name = format!("mt_bench_{label}_{}", std::process::id());
        let admin = admin_url();
        let mut client = postgres::Client::connect(&admin, postgres::NoTls)
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is unreachable: {e}"));
        for sql in [
            format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            format!("CREATE DATABASE \"{name}\""),
        ] {
            client
                .batch_execute(&sql)
                .expect("create the scratch database");
        }
        Scratch { admin, name }
    }

    fn url(&self) -> String {
        with_database(&self.admin, &self.name)
    }

    fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url(), postgres::NoTls).expect("connect")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The schema of `n` tables.
fn schema_sql(n: usize) -> String {
    let mut sql = String::new();
    for i in 0..n {
        let fk = if i > 0 && i % 3 != 0 {
            format!(
                ", prev_id integer REFERENCES t{} (id) ON DELETE CASCADE",
                i - 1
            )
        } else {
            String::new()
        };
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id serial PRIMARY KEY, name text NOT NULL DEFAULT '', \
             code varchar(20) UNIQUE, amount numeric(10,2) CHECK (amount >= 0), \
             created_at timestamptz NOT NULL DEFAULT now(){fk});\n\
             CREATE INDEX t{i}_name ON t{i} (name);\n"
        ));
    }
    sql
}

/// The pg_dump to compare with: `PG_DUMP`, else the newest under /usr/lib/postgresql.
fn pg_dump() -> PathBuf {
    if let Ok(path) = std::env::var("PG_DUMP") {
        return path.into();
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_str()?.parse().ok()?;
            let path = e.path().join("bin/pg_dump");
            path.exists().then_some((version, path))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map_or_else(|| PathBuf::from("pg_dump"), |(_, p)| p)
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let tables = args.first().copied().unwrap_or(2000);
    let runs = args.get(1).copied().unwrap_or(7);
    let namespaces = vec!["public".to_string()];
    let filter = Filter::new(Engine::Postgres, "migrate_version");

    let mut counts = Vec::new();
    let small = Scratch::create("small");
    small.client().batch_execute(&schema_sql(2)).expect("load");
    let large = Scratch::create("large");
    let load = Instant::now();
    // In batches: one multi-statement string runs in one transaction, whose locks on
    // thousands of new tables would pass max_locks_per_transaction.
    let mut client = large.client();
    let sql = schema_sql(tables);
    let lines: Vec<&str> = sql.lines().collect();
    for batch in lines.chunks(200) {
        client.batch_execute(&batch.join("\n")).expect("load");
    }
    eprintln!(
        "loaded {tables} tables in {:.1} s",
        load.elapsed().as_secs_f64()
    );
    large
        .client()
        .batch_execute("ANALYZE")
        .expect("analyze the catalogs");
    for (n, db) in [(2, &small), (tables, &large)] {
        let (schema, queries) =
            inspect_counting(&mut db.client(), None, &namespaces, &filter).expect("inspect");
        assert_eq!(schema.tables.len(), n);
        counts.push((n, queries));
    }
    for (n, queries) in &counts {
        println!("{n:>6} tables: {queries} catalog queries");
    }

    let url = large.url();
    let connect = || Ok(postgres::Client::connect(&url, postgres::NoTls)?);
    let warm = best_of(runs, || {
        inspect_counting(&mut client, None, &namespaces, &filter).expect("inspect");
    });
    let cold = best_of(runs, || {
        let mut client = connect().expect("connect");
        inspect_counting(&mut client, None, &namespaces, &filter).expect("inspect");
    });
    let paired = best_of(runs, || {
        let mut client = connect().expect("connect");
        inspect_counting(&mut client, Some(&connect), &namespaces, &filter).expect("inspect");
    });
    let dump = pg_dump();
    let dumped = best_of(runs, || {
        let status = Command::new(&dump)
            .args(["--schema-only", "--file", "/dev/null", "--dbname", &url])
            .status()
            .expect("run pg_dump");
        assert!(status.success(), "{} failed", dump.display());
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("best of {runs}, {tables} tables:");
    println!(
        "  inspect, connection open   {:>8.1} ms  {:.2}x pg_dump",
        ms(warm),
        ms(warm) / ms(dumped)
    );
    println!(
        "  connect + inspect          {:>8.1} ms  {:.2}x pg_dump",
        ms(cold),
        ms(cold) / ms(dumped)
    );
    println!(
        "  connect + inspect, 2 sessions {:>5.1} ms  {:.2}x pg_dump",
        ms(paired),
        ms(paired) / ms(dumped)
    );
    println!("  {} --schema-only {:>8.1} ms", dump.display(), ms(dumped));
}
