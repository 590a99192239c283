//! `migrate dump`: the live database's schema as DDL of its engine, loadable back into an
//! empty database. Rendered from the model by autogenerate's own path: the diff from what
//! an empty database holds to the live schema gives the `CREATE` statements in dependency
//! order, so a dump used as schema.sql makes `check` agree with the database it came from.

use super::{emit, Project};
use crate::autogen::{self, scratch, Comparison};
use crate::diff;
use crate::engine::Access;
use crate::schema::filter::Filter;
use anyhow::{Context, Result};
use std::path::Path;

/// Prints the schema to stdout, or writes it to `output`.
pub fn run(project: &Project, output: Option<&Path>) -> Result<()> {
    let text = dump(project)?;
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

/// The dump's text: a header comment, then the statements, each ended by `;`.
fn dump(project: &Project) -> Result<String> {
    let settings = &project.settings;
    let filter = Filter::new(settings.database.engine(), &settings.version_table);
    let mut driver = project.connect(Access::ReadOnly)?;
    let live = driver.inspect(&filter)?;
    // What a fresh database of this server already holds (PostgreSQL's `public` schema,
    // say): read from a scratch database rather than assumed, so the dump creates exactly
    // what loading it into an empty database needs.
    let connect = project.connect_options(Access::ReadOnly);
    let scratch_url = settings.dev_url.as_ref().unwrap_or(&settings.database);
    let empty = scratch::desired_schema(scratch_url, &connect, &[], &filter)?;
    let dialect = driver.dialect();
    let comparison = Comparison {
        ops: diff::diff(&empty, &live, &*dialect),
        unmanaged: live.unmanaged.clone(),
    };
    let (statements, _) = autogen::render(&*dialect, &comparison)?;
    Ok(format!(
        "{}{statements}\n",
        header(&dialect.server().to_string(), &filter)
    ))
}

/// The header comment: what made the dump, from which server, and what it leaves out.
/// Nothing in it varies between two dumps of the same schema.
fn header(server: &str, filter: &Filter) -> String {
    format!(
        "-- Schema dumped by `migrate dump` from {server}.\n\
         -- Load it into an empty database; migrate's own tables ({}) are left out.\n\n",
        filter.own_tables().join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Engine;

    #[test]
    fn header_names_the_server_and_the_tables_left_out() {
        let filter = Filter::new(Engine::Sqlite, "alembic_version");
        assert_eq!(
            header("SQLite 3.46.0", &filter),
            "-- Schema dumped by `migrate dump` from SQLite 3.46.0.\n\
             -- Load it into an empty database; migrate's own tables (alembic_version, \
             alembic_version_history) are left out.\n\n"
        );
    }
}
