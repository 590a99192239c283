//! Introspection cost against `sqlite3 DB .schema`: inspects the databases that
//! `benches/run.sh` generated (`WORK/schemaN/bench.db`) and prints the best of 10 runs,
//! next to reading every CREATE statement (what `.schema` does).
//!
//! usage: cargo bench --bench inspect -- WORK_DIR

mod common;

use common::best_of;
use migrate::dialect::sqlite::SqliteDriver;
use migrate::dialect::Driver;
use migrate::url::SqliteLocation;
use std::path::PathBuf;

fn main() {
    let work = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "/tmp/bench".into());
    let mut dirs: Vec<(usize, PathBuf)> = std::fs::read_dir(&work)
        .expect("work dir from benches/run.sh")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let n = path
                .file_name()?
                .to_str()?
                .strip_prefix("schema")?
                .parse()
                .ok()?;
            Some((n, path.join("bench.db")))
        })
        .filter(|(_, db)| db.exists())
        .collect();
    dirs.sort();
    println!(
        "{:>7} {:>12} {:>12} {:>8} {:>12}",
        "tables", "inspect", "read sql", "ratio", "per table"
    );
    for (tables, db) in dirs {
        let location = SqliteLocation::File(db);
        let mut driver = SqliteDriver::open(&location).expect("open");
        let inspect = best_of(10, || {
            driver
                .inspect(&migrate::schema::filter::Filter::internals_only(
                    migrate::dialect::Engine::Sqlite,
                ))
                .expect("inspect");
        });
        let read = best_of(10, || {
            driver
                .query("SELECT sql FROM sqlite_schema ORDER BY tbl_name, type DESC, name")
                .expect("read");
        });
        println!(
            "{tables:>7} {:>9.1} ms {:>9.1} ms {:>7.1}x {:>9.1} us",
            inspect.as_secs_f64() * 1e3,
            read.as_secs_f64() * 1e3,
            inspect.as_secs_f64() / read.as_secs_f64(),
            inspect.as_secs_f64() * 1e6 / tables as f64
        );
    }
}
