//! `check`: whether the database at head matches schema.sql (the comparison itself is the
//! library API's, as is autogenerate's).

use super::json::{emit_json, CheckDoc, OperationDoc};
use super::{cli_error, emit, Project};
use anyhow::Result;

/// `migrate check`: exit 0 when the migrations, the database and schema.sql agree. Exit 1
/// naming what disagrees: a database ahead of head, a revision a run left part way
/// (dirty), an applied revision whose file changed (the same verification as `upgrade`),
/// a database behind head, or the pending operations (listed one per line on stdout).
pub fn check(project: &Project) -> Result<()> {
    let check = project.migrator().check().map_err(cli_error)?;
    if project.out.json {
        emit_json(&CheckDoc {
            matches: check.matches(),
            operations: check
                .operations
                .iter()
                .map(|description| OperationDoc {
                    description: description.clone(),
                })
                .collect(),
        })?;
    }
    if check.matches() {
        project
            .out
            .log("No changes detected: the database is at head and matches the schema");
        return Ok(());
    }
    if !project.out.json {
        let listing: String = check
            .operations
            .iter()
            .map(|op| format!("{op}\n"))
            .collect();
        emit(&listing);
    }
    anyhow::bail!(
        "{} pending operation(s) between the database and {}: run `migrate revision --autogenerate -m MESSAGE`",
        check.operations.len(),
        project.settings.schema_path.display()
    )
}
