//! `lock = "table"` through a real PgBouncer in transaction pooling mode: eight concurrent
//! upgrades, sharing three server sessions, still apply each revision exactly once. The
//! test starts its own PgBouncer on a free port in front of the test server, and skips
//! (saying so) when no `pgbouncer` executable is installed.

use crate::postgres_lock_runs::count;
use crate::project::TestProject;
use crate::server_lock::{all_succeed, each_revision_was_applied_once, logged_revisions, spawn};
use crate::servers::{postgres_admin_url, Pg, PgDatabase};
use std::os::unix::fs::MetadataExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Server sessions PgBouncer opens per database: fewer than the runs' connections.
const POOL_SIZE: i64 = 3;

/// A PgBouncer of this test, killed on drop.
struct Bouncer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Bouncer {
    /// Starts PgBouncer in transaction mode in front of the test server; `None` (after
    /// saying so) when it is not installed or the server is not on a TCP host.
    fn start() -> Option<Bouncer> {
        let Some(binary) = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
        else {
            eprintln!("skipped: no pgbouncer executable (apt-get install pgbouncer)");
            return None;
        };
        let admin = postgres_admin_url();
        let config: postgres::Config = admin.parse().expect("test server URL");
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(host)) => host.clone(),
            _ => {
                eprintln!("skipped: the test server is not on a TCP host");
                return None;
            }
        };
        let server_port = config.get_ports().first().copied().unwrap_or(5432);
        let user = config.get_user().unwrap_or("postgres").to_string();
        let port = free_port();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = |name: &str| dir.path().join(name).display().to_string();
        std::fs::write(path("users.txt"), format!("\"{user}\" \"\"\n")).expect("users");
        std::fs::write(
            path("pgbouncer.ini"),
            format!(
                "[databases]\n* = host={host} port={server_port}\n\n[pgbouncer]\n\
                 listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
                 auth_type = trust\nauth_file = {}\npool_mode = transaction\n\
                 default_pool_size = {POOL_SIZE}\nmax_client_conn = 200\n\
                 ignore_startup_parameters = extra_float_digits\nlogfile = {}\n",
                path("users.txt"),
                path("pgbouncer.log")
            ),
        )
        .expect("pgbouncer.ini");
        let mut command = Command::new(binary);
        // PgBouncer refuses to run as root: it then switches to the postgres user, which
        // must be able to read its files.
        let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        if root {
            let chowned = Command::new("chown")
                .args(["-R", "postgres"])
                .arg(dir.path())
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                chowned,
                "cannot hand the pgbouncer files to the postgres user"
            );
            command.args(["-u", "postgres"]);
        }
        let child = command
            .arg(path("pgbouncer.ini"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start pgbouncer");
        let bouncer = Bouncer {
            child,
            port,
            _dir: dir,
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "pgbouncer did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(bouncer)
    }

    /// The URL of `database` through this PgBouncer.
    fn url(&self, database: &str) -> String {
        let admin: postgres::Config = postgres_admin_url().parse().expect("test server URL");
        let user = admin.get_user().unwrap_or("postgres");
        format!(
            "postgres://{user}@127.0.0.1:{}/{database}?sslmode=disable",
            self.port
        )
    }
}

impl Drop for Bouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

#[test]
fn eight_upgrades_through_pgbouncer_in_transaction_mode_apply_each_revision_once() {
    let Some(db) = PgDatabase::create("pgbouncer lease") else {
        return;
    };
    let Some(bouncer) = Bouncer::start() else {
        return;
    };
    let p = TestProject::with_config(&format!(
        "[database]\nurl = \"{}\"\nlock_timeout = \"60s\"\nlock = \"table\"\n",
        bouncer.url(&db.name)
    ));
    let revisions = 5;
    logged_revisions::<Pg>(&p, revisions);
    let children: Vec<_> = (0..8).map(|_| spawn(&p, &["upgrade", "head"])).collect();
    // Sample the server's sessions on the database while the runs go: the pooler must
    // have kept them at its pool size (the runs open sixteen connections).
    let mut client = db.client();
    let mut most = 0;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        most = most.max(count(
            &mut client,
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        ));
        std::thread::sleep(Duration::from_millis(20));
    }
    let waited = all_succeed(children);
    assert!(waited >= 1, "at least one run should have waited");
    assert!(
        (1..=POOL_SIZE).contains(&most),
        "{most} server sessions: not pooled"
    );
    each_revision_was_applied_once(&db, revisions);
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM migrate_version_lock"),
        0
    );
    drop(bouncer);
}
