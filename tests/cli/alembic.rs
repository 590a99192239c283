//! Differential test against Alembic, the oracle for graph semantics: runs
//! tests/alembic/differential.py, which drives Alembic through its Python API and this
//! binary over the same seeded random graphs, and fails on any difference. Graphs where a
//! revision depends on several others run Alembic under a fixed PYTHONHASHSEED and compare
//! the revisions of a run as a set wherever Alembic's order follows string hashing, each
//! tool's order checked against the graph (tests/alembic/orders.py).
//!
//! `MIGRATE_TEST_ALEMBIC_PYTHON` names a Python with alembic installed (`.ci/run` makes a
//! venv); without it the test says it skipped, except under `CI=true`, where it fails.
//! `MIGRATE_TEST_ALEMBIC_GRAPHS` and `MIGRATE_TEST_ALEMBIC_SEED` pick other graphs.

use super::project::binary;
use std::path::Path;
use std::process::Command;

fn setting(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

#[test]
fn graph_semantics_match_alembic() {
    let Some(python) = std::env::var_os("MIGRATE_TEST_ALEMBIC_PYTHON") else {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI=true but MIGRATE_TEST_ALEMBIC_PYTHON is not set (.ci/run creates the alembic venv)"
        );
        eprintln!(
            "skipped graph_semantics_match_alembic: set MIGRATE_TEST_ALEMBIC_PYTHON to a python with alembic installed (.ci/run does)"
        );
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/alembic/differential.py");
    let output = Command::new(&python)
        .arg(&script)
        .args(["--migrate", binary()])
        .args(["--graphs", &setting("MIGRATE_TEST_ALEMBIC_GRAPHS", "30")])
        .args(["--seed", &setting("MIGRATE_TEST_ALEMBIC_SEED", "0")])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", Path::new(&python).display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "migrate differs from alembic (or the driver failed):\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" 0 differences"), "{stdout}");
}
