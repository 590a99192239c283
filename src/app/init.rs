//! `migrate init [DIR]`: a new project's config.toml, schema.sql, migrations/ and the
//! .gitignore lines for the tool's own files.

use super::Output;
use crate::settings::DEFAULT_CONFIG;
use anyhow::{Context, Result};
use std::path::Path;

/// The schema.sql a new project starts with.
const STARTER_SCHEMA: &str = "\
-- The desired schema of your database: edit it, then run
--   migrate revision --autogenerate -m \"describe the change\"
-- to get a revision that takes the database there.
";

/// The .gitignore lines a project needs: the model cache and the SQLite lock file
/// (`<database>-migrate-lock`, see `SqliteDriver`).
const IGNORED: [&str; 2] = [".migrate/", "*-migrate-lock"];

/// Writes the three entries into `dir` (default: the current directory), refusing to
/// overwrite any of them.
pub fn run(dir: Option<&Path>, out: &Output) -> Result<()> {
    let dir = dir.unwrap_or(Path::new("."));
    let config = dir.join(crate::settings::DEFAULT_CONFIG_PATH);
    let schema = dir.join("schema.sql");
    let migrations = dir.join("migrations");
    let existing: Vec<String> = [&config, &schema, &migrations]
        .iter()
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        anyhow::bail!(
            "refusing to overwrite {}: init writes a new project",
            existing.join(", ")
        );
    }
    std::fs::create_dir_all(&migrations)
        .with_context(|| format!("cannot create {}", migrations.display()))?;
    std::fs::write(&config, DEFAULT_CONFIG)
        .with_context(|| format!("cannot write {}", config.display()))?;
    std::fs::write(&schema, STARTER_SCHEMA)
        .with_context(|| format!("cannot write {}", schema.display()))?;
    ignore(&dir.join(".gitignore"))?;
    out.log(&format!(
        "Created {}, {} and {}/; next: migrate revision -m \"first revision\"",
        config.display(),
        schema.display(),
        migrations.display()
    ));
    Ok(())
}

/// Adds the lines of `IGNORED` that `gitignore` lacks, keeping what it holds.
fn ignore(gitignore: &Path) -> Result<()> {
    let existing = match std::fs::read_to_string(gitignore) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", gitignore.display())),
    };
    let have: Vec<&str> = existing.lines().map(str::trim).collect();
    let missing: Vec<&str> = IGNORED
        .into_iter()
        .filter(|line| !have.contains(line))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(gitignore, text).with_context(|| format!("cannot write {}", gitignore.display()))
}
