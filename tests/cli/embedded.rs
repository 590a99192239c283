//! `examples/embedded.rs`, a service that embeds its migrations and upgrades its SQLite
//! database at start-up: the built example is run and SQLite's catalog checked.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// Builds the example into this test binary's target directory (a no-op when up to
/// date) and returns its path.
fn example() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        // target/<profile>/deps/cli-<hash>
        let exe = std::env::current_exe().expect("test binary");
        let profile_dir = exe.parent().and_then(|d| d.parent()).expect("profile dir");
        let target_dir = profile_dir.parent().expect("target dir");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "--example", "embedded", "--target-dir"])
            .arg(target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build --example embedded");
        assert!(status.success(), "cargo build --example embedded failed");
        profile_dir.join("examples").join("embedded")
    })
}

fn run(url: &str) -> (i32, String, String) {
    let output = Command::new(example())
        .arg(url)
        .output()
        .expect("run example");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_example_service_upgrades_its_database_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("service.db");
    let url = format!("sqlite:///{}", db.display());
    let (code, stdout, stderr) = run(&url);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "applied 0001\napplied 0002\ndatabase at 0002\n");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let names: Vec<String> = conn
        .prepare("SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        names,
        [
            "index ix_posts_user_id",
            "table migrate_version",
            "table migrate_version_history",
            "table posts",
            "table users"
        ]
    );
    let version: String = conn
        .query_row("SELECT version_num FROM migrate_version", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(version, "0002");
    // A second start finds the database at head and applies nothing.
    let (code, stdout, _) = run(&url);
    assert_eq!((code, stdout.as_str()), (0, "database at 0002\n"));
}

#[test]
fn the_example_service_reports_a_bad_url_in_one_line() {
    let (code, stdout, stderr) = run("nosuch");
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.starts_with("error: database URL must start with a scheme"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
