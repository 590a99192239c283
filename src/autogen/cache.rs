//! The cache of the desired schema's model in `.migrate/` beside config.toml, so a repeated
//! `check` or autogenerate skips loading schema.sql into a scratch database.
//!
//! The file holds a header line with the key (SHA-256 over the schema files' names and
//! bytes, the engine, its server version, the excluded tables, the tool version and the
//! executable's size and time), a line with the SHA-256 of the payload, and the model as
//! JSON. A file whose key differs, whose payload does not match its digest, or that does
//! not parse into a consistent model is ignored and rebuilt: the cache is never trusted
//! over schema.sql.

use crate::schema::Schema;
use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The cache's folder, beside config.toml.
pub const DIR: &str = ".migrate";
/// The cache file inside it.
const FILE: &str = "desired-schema.json";
/// First word of the header; bumped when the layout changes.
const MAGIC: &str = "migrate-desired-schema-v1";

/// What the cached model was built from.
pub struct Inputs<'a> {
    /// The schema files in load order, with their contents.
    pub files: &'a [(PathBuf, Vec<u8>)],
    /// The engine flavour and server version (`SQLite 3.50.4`, `PostgreSQL 15.4`).
    pub server: &'a str,
    /// Where the scratch database is made (`dev_url` or the live URL, password hidden).
    pub scratch: &'a str,
    /// The namespaces inspected.
    pub namespaces: &'a [String],
    /// Tables left out of the model.
    pub exclude: &'a [String],
}

/// The cache key: SHA-256 of every input, each length-prefixed so no two input lists
/// hash alike.
pub fn key(inputs: &Inputs<'_>) -> String {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(env!("CARGO_PKG_VERSION").as_bytes());
    field(build_identity().as_bytes());
    field(inputs.server.as_bytes());
    field(inputs.scratch.as_bytes());
    field(&(inputs.namespaces.len() as u64).to_le_bytes());
    for name in inputs.namespaces {
        field(name.as_bytes());
    }
    for name in inputs.exclude {
        field(name.as_bytes());
    }
    for (path, bytes) in inputs.files {
        let name = path.file_name().unwrap_or(path.as_os_str());
        field(name.as_encoded_bytes());
        field(bytes);
    }
    hex(&hasher.finalize())
}

/// The running executable's size and modification time: a rebuilt binary of the same
/// version (a development build, a patched package) may inspect differently, so it does
/// not trust a model an earlier build cached. Empty when the platform cannot say.
fn build_identity() -> String {
    let metadata = std::env::current_exe().and_then(std::fs::metadata);
    let Ok(metadata) = metadata else {
        return String::new();
    };
    let modified = metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{} {modified}", metadata.len())
}

/// The cache file of the project whose config.toml is in `base_dir`.
pub fn path(base_dir: &Path) -> PathBuf {
    base_dir.join(DIR).join(FILE)
}

/// The cached model at `file` when it was built from the inputs with `key`; `None` when
/// the file is missing, stale or corrupt.
pub fn load(file: &Path, key: &str) -> Option<Schema> {
    let bytes = std::fs::read(file).ok()?;
    let (header, payload) = split_header(&bytes)?;
    if header.key != key || hex(&Sha256::digest(payload)) != header.digest {
        return None;
    }
    let schema: Schema = serde_json::from_slice(payload).ok()?;
    consistent(&schema).then_some(schema)
}

/// Writes `schema` under `key` to `file` atomically (a temporary file renamed over it), so
/// a concurrent run reads the old file or the new one, never half of one.
pub fn store(file: &Path, key: &str, schema: &Schema) -> Result<()> {
    let dir = file.parent().expect("the cache file is inside .migrate/");
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let payload = serde_json::to_vec(schema).context("cannot serialize the schema model")?;
    let digest = hex(&Sha256::digest(&payload));
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    write!(temp, "{MAGIC} {key}\n{digest}\n")
        .and_then(|()| temp.write_all(&payload))
        .with_context(|| format!("cannot write {}", temp.path().display()))?;
    // The io error alone: tempfile's PersistError repeats it as its own source.
    temp.persist(file)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", file.display()))?;
    Ok(())
}

/// The two header lines of a cache file.
struct Header<'a> {
    key: &'a str,
    digest: &'a str,
}

fn split_header(bytes: &[u8]) -> Option<(Header<'_>, &[u8])> {
    let mut parts = bytes.splitn(3, |&b| b == b'\n');
    let first = std::str::from_utf8(parts.next()?).ok()?;
    let digest = std::str::from_utf8(parts.next()?).ok()?;
    let payload = parts.next()?;
    let key = first.strip_prefix(MAGIC)?.strip_prefix(' ')?;
    Some((Header { key, digest }, payload))
}

/// Whether every map key names its own object, as introspection builds them.
fn consistent(schema: &Schema) -> bool {
    schema.tables.iter().all(|(key, table)| {
        *key == table.key()
            && table.indexes.iter().all(|(index, i)| {
                *index == i.name && i.table == table.name && i.namespace == table.namespace
            })
    }) && schema.views.iter().all(|(key, view)| *key == view.key())
        && schema.triggers.iter().all(|(key, t)| *key == t.key())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
