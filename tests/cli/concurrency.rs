//! The run-wide lock: concurrent runs apply each revision once; a waiting run says so and
//! gives up after `lock_timeout`.

use crate::project::TestProject;
use std::process::Stdio;

#[test]
fn eight_concurrent_upgrades_apply_each_revision_exactly_once() {
    let p = TestProject::new();
    p.write("migrations/000_log.sql", "-- revision: r000\n-- revises:\n\n-- migrate:upgrade\nCREATE TABLE applied (rev TEXT NOT NULL);\n\n-- migrate:downgrade\nDROP TABLE applied;\n");
    let mut parent = "r000".to_string();
    for i in 1..=30 {
        let id = format!("r{i:03}");
        // No uniqueness constraint: a second application would show as a duplicate row.
        p.revision(
            &id,
            &parent,
            &format!(
                "CREATE TABLE t{i} (id INTEGER);\n\
                 WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)\n\
                 INSERT INTO t{i} SELECT x FROM c;\n\
                 INSERT INTO applied VALUES ('{id}');"
            ),
            &format!("DROP TABLE t{i};\nDELETE FROM applied WHERE rev = '{id}';"),
        );
        parent = id;
    }
    let children: Vec<_> = (0..8)
        .map(|_| {
            p.command(&["upgrade", "head"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut waited = 0;
    for child in children {
        let output = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "a concurrent run failed: {stderr}");
        assert!(!stderr.contains("panicked"));
        if stderr.contains("waiting for the migration lock") {
            waited += 1;
        }
    }
    assert_eq!(p.count("SELECT count(*) FROM applied"), 30);
    assert_eq!(p.count("SELECT count(DISTINCT rev) FROM applied"), 30);
    assert_eq!(
        p.count("SELECT count(*) FROM migrate_version_history WHERE operation = 'upgrade'"),
        31
    );
    assert_eq!(p.version_rows(), ["r030"]);
    assert!(
        waited >= 1,
        "at least one run should have waited for the lock"
    );
}

#[test]
fn a_run_waits_for_the_lock_and_gives_up_after_lock_timeout() {
    let p =
        TestProject::with_config("[database]\nurl = \"sqlite:///app.db\"\nlock_timeout = \"1s\"\n");
    p.revision(
        "a1a1a1a1a1a1",
        "",
        "CREATE TABLE t (id INTEGER);",
        "DROP TABLE t;",
    );
    // Hold the lock as another migrate run would.
    let holder = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(p.path("app.db-migrate-lock"))
        .expect("lock file");
    holder.lock().expect("take lock");
    let started = std::time::Instant::now();
    // The timeout as config.toml writes it, not the time measured (`1.000096344s`).
    let run = p.run(&["upgrade", "head"]).fails(
        1,
        "error: timed out after 1s waiting for the migration lock on ",
    );
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    assert!(
        run.stderr.contains("waiting for the migration lock on "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("lock_timeout 1s"));
    assert!(!p.tables().contains(&"t".to_string()));

    // Released: the next run goes through.
    holder.unlock().expect("unlock");
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(p.version_rows(), ["a1a1a1a1a1a1"]);
}
