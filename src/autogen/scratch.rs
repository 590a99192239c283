//! The desired schema: schema.sql (a file, or a directory of `.sql` files in name order)
//! loaded into a scratch database of the live database's engine, then inspected.

use crate::engine::{Access, ConnectOptions};
use crate::schema::filter::Filter;
use crate::schema::Schema;
use crate::sql::lex;
use crate::url::DatabaseUrl;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// The files making up the desired schema: `path` itself, or the `*.sql` files directly in
/// it, sorted by name.
pub fn schema_files(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        anyhow::bail!(
            "schema {} not found (set [schema] path in config.toml)",
            path.display()
        );
    }
    let mut files = Vec::new();
    for entry in
        std::fs::read_dir(path).with_context(|| format!("cannot read {}", path.display()))?
    {
        let file = entry?.path();
        if file.is_file() && file.extension().is_some_and(|e| e == "sql") {
            files.push(file);
        }
    }
    files.sort();
    Ok(files)
}

/// Each schema file (see `schema_files`) with its contents, in load order.
pub fn read_schema_files(schema_path: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    schema_files(schema_path)?
        .into_iter()
        .map(|file| {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            Ok((file, bytes))
        })
        .collect()
}

/// Loads the desired schema's `files` into a fresh scratch database made through `url`
/// with `options`' lock mode and schemas (see [`crate::dialect::Driver::create_scratch`]) and inspects it, leaving out what
/// `filter` excludes. The scratch database is gone when this returns.
pub fn desired_schema(
    url: &DatabaseUrl,
    options: &ConnectOptions,
    files: &[(PathBuf, Vec<u8>)],
    filter: &Filter,
) -> Result<Schema> {
    let options = ConnectOptions {
        access: Access::ReadOnly,
        ..options.clone()
    };
    let connected = crate::engine::connect(url, &options);
    let mut server = match url {
        DatabaseUrl::Sqlite(_) => {
            connected.with_context(|| format!("cannot connect to {url} for a scratch database"))?
        }
        // PostgreSQL's and MySQL's errors name the server.
        _ => connected.context("cannot reach the server for a scratch database")?,
    };
    let dialect = server.dialect();
    let mut loads = Vec::with_capacity(files.len());
    for (file, bytes) in files {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{}: file is not valid UTF-8", file.display()))?;
        let statements = lex::split(text, &dialect.lex_options())
            .map_err(|e| anyhow::anyhow!("{}:{}: {}", file.display(), e.line, e.message))?;
        for (index, statement) in statements.iter().enumerate() {
            if let Some(why) = dialect.scratch_refusal(&statement.sql) {
                anyhow::bail!(
                    "{}:{}: statement {} of the desired schema is refused: {why} (the desired \
                     schema may not reach outside its scratch database)\n  statement: {}",
                    file.display(),
                    statement.line,
                    index + 1,
                    statement.sql.lines().next().unwrap_or_default()
                );
            }
        }
        loads.push((file, statements));
    }
    // The whole schema at once first: one round trip (and, on PostgreSQL, one implicit
    // transaction) instead of one per statement. Should it fail (a statement that cannot
    // run in a transaction block, a label added to an enum and used, a mistake), a fresh
    // scratch database takes the statements one by one, which names the failing one.
    let batch: Vec<String> = loads
        .iter()
        .flat_map(|(_, statements)| statements.iter().map(|s| s.sql.clone()))
        .collect();
    let mut database = server.create_scratch()?;
    if database.driver().execute_many(&batch).is_ok() {
        drop(server);
        return database.driver().inspect(filter);
    }
    drop(database);
    let mut database = server.create_scratch()?;
    drop(server);
    let scratch = database.driver();
    for (file, statements) in &loads {
        for (index, statement) in statements.iter().enumerate() {
            scratch.execute(&statement.sql).map_err(|e| {
                let refused = format!("{e:#}").contains("authoriz");
                anyhow::anyhow!(
                    "{}:{}: statement {} of the desired schema failed: {e:#}{}\n  statement: {}",
                    file.display(),
                    statement.line,
                    index + 1,
                    if refused { REFUSED } else { "" },
                    statement.sql.lines().next().unwrap_or_default()
                )
            })?;
        }
    }
    scratch.inspect(filter)
}

/// Why the scratch database refused a statement (see `SqliteDriver::confine`).
const REFUSED: &str = " (the desired schema may not reach outside its scratch database: \
                       no ATTACH, DETACH, VACUUM or load_extension)";
