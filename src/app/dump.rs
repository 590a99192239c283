//! `migrate dump`: the live database's schema as DDL of its engine, loadable back into an
//! empty database (see [`crate::api::Migrator::dump`]).

use super::{cli_error, emit, Project};
use anyhow::{Context, Result};
use std::path::Path;

/// Prints the schema to stdout, or writes it to `output`.
pub fn run(project: &Project, output: Option<&Path>) -> Result<()> {
    let text = project.migrator().dump().map_err(cli_error)?;
    match output {
        None => emit(&text),
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            project.out.log(&format!("Wrote {}", path.display()));
        }
    }
    Ok(())
}
