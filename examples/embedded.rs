//! A tiny "service" that applies its migrations at start-up without the CLI: the revision
//! files of `examples/migrations/` are compiled into the binary, and the database is the
//! URL given as the first argument (default `sqlite:///app.db`).
//!
//! `cargo run --example embedded -- sqlite:///tmp/service.db` prints the version the
//! database is at, or one error line (exit 1) naming what failed.

/// The revision files, embedded at compile time.
const MIGRATIONS: &[(&str, &str)] =
    migrate::embed_migrations!("examples/migrations", ["0001_users.sql", "0002_posts.sql"]);

/// What a service does at start-up: upgrade to head; returns the version reached.
fn start(url: &str) -> Result<Vec<String>, migrate::Error> {
    let migrator = migrate::Migrations::embedded(MIGRATIONS).migrator_for(url)?;
    let applied = migrator.upgrade("head")?;
    for id in &applied {
        println!("applied {id}");
    }
    migrator.current()
}

fn main() {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sqlite:///app.db".to_string());
    match start(&url) {
        Ok(version) => println!("database at {}", version.join(", ")),
        Err(error @ migrate::Error::LockTimeout(_)) => {
            eprintln!("error: another instance is migrating: {error}");
            std::process::exit(1);
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/migrations");
        migrate::check_embedded(dir, super::MIGRATIONS).unwrap();
    }
}
