//! Where `migrate check` spends its time: hashes the schema files for the cache key, loads
//! schema.sql into a scratch database (the first run), writes and reads back the cached
//! model (its own file in `DIR/.migrate/`), inspects the live `DIR/bench.db` and diffs,
//! each the best of several runs.
//!
//! usage: cargo bench --bench check -- DIR      (a project made by benches/run.sh)

use migrate::autogen::{cache, scratch};
use migrate::dialect::sqlite::SqliteDriver;
use migrate::dialect::{Driver, Engine};
use migrate::schema::filter::Filter;
use migrate::url::{DatabaseUrl, SqliteLocation};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .skip(1)
            .find(|a| !a.starts_with('-'))
            .unwrap_or_else(|| "/tmp/bench/schema1000".into()),
    );
    let engine = Engine::Sqlite;
    let filter = Filter::new(engine, "migrate_version");
    let url = DatabaseUrl::Sqlite(SqliteLocation::Memory);
    let (read, files) = best_of(10, || {
        scratch::read_schema_files(&dir.join("schema.sql")).expect("schema.sql")
    });
    let server = engine.dialect().server().to_string();
    let (hash, key) = best_of(10, || {
        cache::key(&cache::Inputs {
            files: &files,
            server: &server,
            scratch: &url.to_string(),
            namespaces: &[String::new()],
            exclude: filter.own_tables(),
        })
    });
    let (build, built) = best_of(3, || {
        let options = migrate::engine::ConnectOptions::new(migrate::engine::Access::ReadOnly);
        scratch::desired_schema(&url, &options, &files, &filter).expect("load schema.sql")
    });
    // The key names the executable that wrote the cache, so this bench writes its own
    // (to a file of its own, leaving DIR/.migrate/ to the binary).
    let file = cache::path(&dir).with_file_name("bench-desired-schema.json");
    let (store, ()) = best_of(10, || {
        cache::store(&file, &key, &built).expect("write cache")
    });
    let (load, desired) = best_of(10, || cache::load(&file, &key));
    let desired = desired.expect("the cache just written reads back");
    let mut live = SqliteDriver::open(&SqliteLocation::File(dir.join("bench.db"))).expect("db");
    let (inspect, current) = best_of(10, || live.inspect(&filter).expect("inspect"));
    let (diff, ops) = best_of(10, || {
        migrate::diff::diff(&current, &desired, &*live.dialect())
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{} tables, {} ops", desired.tables.len(), ops.len());
    println!("read schema files    {:8.1} ms", ms(read));
    println!("cache key (SHA-256)  {:8.1} ms", ms(hash));
    println!("cache load + parse   {:8.1} ms", ms(load));
    println!("cache write          {:8.1} ms", ms(store));
    println!("inspect live db      {:8.1} ms", ms(inspect));
    println!("diff                 {:8.1} ms", ms(diff));
    println!("(cold: scratch load  {:8.1} ms)", ms(build));
}
