//! Settings: config.toml + environment, validated once before any work starts.

use crate::url::DatabaseUrl;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The validated configuration of one run.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The config file read.
    pub config_path: PathBuf,
    /// Its directory: relative paths are relative to it.
    pub base_dir: PathBuf,
    pub database: DatabaseUrl,
    /// Scratch database for autogenerate/check, when set.
    pub dev_url: Option<DatabaseUrl>,
    pub lock_timeout: Duration,
    pub migrations_dir: PathBuf,
    pub version_table: String,
    pub schema_path: PathBuf,
}

/// A config file that cannot be read or is invalid; the message names the key and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Reads and validates the config file at `path`; `env` looks up environment variables
/// (`DATABASE_URL` and `${VAR}` expansion).
pub fn load(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
    let _ = (path, env);
    todo!("helper: settings")
}

/// The config.toml that `migrate init` writes.
pub const DEFAULT_CONFIG: &str = "";
