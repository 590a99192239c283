//! `migrate init [DIR]`: a new project's config.toml, schema.sql and migrations/.

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

/// Writes the three entries into `dir` (default: the current directory), refusing to
/// overwrite any of them.
pub fn run(dir: Option<&Path>, out: &Output) -> Result<()> {
    let dir = dir.unwrap_or(Path::new("."));
    let config = dir.join("config.toml");
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
    out.log(&format!(
        "Created {}, {} and {}/; next: migrate revision -m \"first revision\"",
        config.display(),
        schema.display(),
        migrations.display()
    ));
    Ok(())
}
