//! Revision files compiled into a binary: [`embed_migrations!`](crate::embed_migrations)
//! and [`check_embedded`], which a service's test runs to catch a file left off its list.
//!
//! A declarative macro cannot list a directory, and a build script or a proc-macro crate
//! would add a build step or a crate for what one `include_str!` per file does: so the
//! macro takes the file names. `include_str!` fails the build when a listed file is
//! missing; [`check_embedded`] fails a test when a file of the directory is not listed.

use super::Error;
use crate::revision::file::ParseError;
use std::path::Path;

/// The revision files of a directory (relative to the crate's `Cargo.toml`) compiled
/// into the binary with `include_str!`, as the `&[(path, contents)]` that
/// [`Migrations::embedded`](crate::Migrations::embedded) takes.
///
/// ```
/// const MIGRATIONS: &[(&str, &str)] = migrate::embed_migrations!(
///     "examples/migrations",
///     ["0001_users.sql", "0002_posts.sql"]
/// );
/// assert_eq!(MIGRATIONS[0].0, "examples/migrations/0001_users.sql");
/// assert!(MIGRATIONS[1].1.contains("-- migrate:upgrade"));
/// migrate::check_embedded(
///     concat!(env!("CARGO_MANIFEST_DIR"), "/examples/migrations"),
///     MIGRATIONS,
/// )?;
/// # Ok::<(), migrate::Error>(())
/// ```
#[macro_export]
macro_rules! embed_migrations {
    ($dir:literal, [$($file:literal),* $(,)?]) => {
        &[$((
            concat!($dir, "/", $file),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $dir, "/", $file)),
        )),*]
    };
}

/// Fails with [`Error::RevisionFile`] unless the revision files of `dir` (`*.sql`, not
/// hidden) are exactly the embedded ones, by file name.
pub fn check_embedded(dir: impl AsRef<Path>, embedded: &[(&str, &str)]) -> Result<(), Error> {
    let dir = dir.as_ref();
    let on_disk: Vec<String> = crate::revision::file::load_dir(dir)?
        .iter()
        .filter_map(|r| r.path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let listed: Vec<&str> = embedded
        .iter()
        .filter_map(|(path, _)| Path::new(path).file_name()?.to_str())
        .collect();
    for name in &on_disk {
        if !listed.contains(&name.as_str()) {
            return Err(ParseError::new(
                dir.join(name),
                0,
                "revision file not embedded: add it to embed_migrations!",
            )
            .into());
        }
    }
    for name in listed {
        if !on_disk.iter().any(|n| n == name) {
            return Err(ParseError::new(
                dir.join(name),
                0,
                "embedded file not in the migrations directory",
            )
            .into());
        }
    }
    Ok(())
}
