//! `TestProject`: a config.toml and migrations/ in a temp dir, and the real binary run on it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A throwaway project directory.
pub struct TestProject {
    dir: tempfile::TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from_output(output: Output) -> Run {
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked") && !run.stdout.contains("panicked"),
            "the binary panicked: {run:?}"
        );
        run
    }

    /// Asserts success and returns self.
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success: {self:?}");
        self
    }

    /// Asserts exit status `code` and an error naming `needle`; returns self.
    #[track_caller]
    pub fn fails(self, code: i32, needle: &str) -> Run {
        assert_eq!(self.code, code, "expected exit {code}: {self:?}");
        assert!(
            self.stderr.contains(needle),
            "stderr should mention {needle:?}: {self:?}"
        );
        self
    }
}

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_migrate")
}

impl TestProject {
    /// An empty project on `sqlite:///app.db`.
    pub fn new() -> TestProject {
        Self::on_url("sqlite:///app.db")
    }

    /// An empty project on the database `url`, waiting up to 20 s for the migration lock.
    pub fn on_url(url: &str) -> TestProject {
        Self::with_config(&format!(
            "[database]\nurl = \"{url}\"\nlock_timeout = \"20s\"\n"
        ))
    }

    /// A project with this config.toml and an empty migrations/.
    pub fn with_config(config: &str) -> TestProject {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("migrations")).expect("migrations dir");
        std::fs::write(dir.path().join("config.toml"), config).expect("config");
        TestProject { dir }
    }

    /// A copy of the example project at the top of the repository.
    pub fn example() -> TestProject {
        let project = Self::with_config(&read(&repo().join("config.toml")));
        std::fs::write(project.path("schema.sql"), read(&repo().join("schema.sql")))
            .expect("schema");
        for entry in std::fs::read_dir(repo().join("migrations")).expect("example migrations") {
            let entry = entry.expect("entry");
            std::fs::copy(
                entry.path(),
                project.path("migrations").join(entry.file_name()),
            )
            .expect("copy");
        }
        project
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        std::fs::write(self.path(relative), text).expect("write");
    }

    /// Writes `migrations/<id>_rev.sql` with these headers and sections.
    pub fn revision(&self, id: &str, revises: &str, upgrade: &str, downgrade: &str) {
        self.revision_with(id, revises, "", upgrade, downgrade);
    }

    /// Like `revision`, with extra header lines (e.g. `-- depends_on: x\n`).
    pub fn revision_with(
        &self,
        id: &str,
        revises: &str,
        extra: &str,
        upgrade: &str,
        downgrade: &str,
    ) {
        let text = format!(
            "-- revision: {id}\n-- revises: {revises}\n-- message: rev {id}\n{extra}\n\
             -- migrate:upgrade\n{upgrade}\n\n-- migrate:downgrade\n{downgrade}\n"
        );
        self.write(&format!("migrations/{id}_rev.sql"), &text);
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(binary());
        command
            .args(args)
            .current_dir(self.root())
            .env_remove("DATABASE_URL");
        command
    }

    /// Runs the binary in the project directory.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from_output(self.command(args).output().expect("run migrate"))
    }

    /// Runs the binary and returns its process id (which names the scratch databases it
    /// makes) with what it did.
    pub fn run_with_pid(&self, args: &[&str]) -> (u32, Run) {
        let child = self.spawn_piped(args);
        let pid = child.id();
        (
            pid,
            Run::from_output(child.wait_with_output().expect("wait")),
        )
    }

    /// Starts the binary, waits (at most 15 s) until `ready(pid)` holds, interrupts it with
    /// SIGINT, and returns its pid and what it did; asserts that it then ended within 10 s.
    pub fn interrupt_when(&self, args: &[&str], ready: impl Fn(u32) -> bool) -> (u32, Run) {
        use std::time::{Duration, Instant};
        let started = Instant::now();
        let child = self.spawn_piped(args);
        let pid = child.id();
        while !ready(pid) {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "the run never got ready to be interrupted"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let interrupted = Instant::now();
        let kill = Command::new("kill")
            .args(["-INT", &pid.to_string()])
            .status()
            .expect("run kill");
        assert!(kill.success());
        let run = Run::from_output(child.wait_with_output().expect("wait"));
        assert!(
            interrupted.elapsed() < Duration::from_secs(10),
            "the interrupt took {:?}",
            interrupted.elapsed()
        );
        (pid, run)
    }

    fn spawn_piped(&self, args: &[&str]) -> std::process::Child {
        self.command(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn migrate")
    }

    /// Runs with extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = self.command(args);
        command.envs(env.iter().copied());
        Run::from_output(command.output().expect("run migrate"))
    }

    /// Opens app.db.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.path("app.db")).expect("open app.db")
    }

    /// The names of the user tables in app.db, sorted.
    pub fn tables(&self) -> Vec<String> {
        self.strings(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
    }

    /// The first column of every row of a query on app.db, as text.
    pub fn strings(&self, sql: &str) -> Vec<String> {
        let conn = self.db();
        let mut stmt = conn.prepare(sql).expect(sql);
        let rows = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .expect(sql)
            .collect::<Result<Vec<_>, _>>()
            .expect(sql);
        rows
    }

    /// One integer from a query on app.db.
    pub fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |row| row.get(0)).expect(sql)
    }

    /// The rows of the version table.
    pub fn version_rows(&self) -> Vec<String> {
        self.strings("SELECT version_num FROM migrate_version ORDER BY version_num")
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `sql` statement by statement on `driver` (split as the tool splits revisions).
pub fn run_sql(driver: &mut dyn migrate::dialect::Driver, sql: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    let statements = migrate::sql::lex::split(sql, &migrate::sql::lex::LexOptions::SQLITE)?;
    for statement in statements {
        driver
            .execute(&statement.sql)
            .with_context(|| format!("line {}: {}", statement.line, statement.sql))?;
    }
    Ok(())
}

/// A fresh in-memory SQLite database loaded with `sql`.
pub fn memory_db(sql: &str) -> migrate::dialect::sqlite::SqliteDriver {
    let location = migrate::url::SqliteLocation::Memory;
    let mut driver = migrate::dialect::sqlite::SqliteDriver::open(&location).expect("memory db");
    run_sql(&mut driver, sql).unwrap_or_else(|e| panic!("loading a test schema: {e:#}"));
    driver
}
