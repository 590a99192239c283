//! Settings: config.toml + environment, validated once before any work starts.

use crate::dialect::postgres::LockMode;
use crate::dialect::Engine;
use crate::echo::{cut, quote};
use crate::url::{redact, DatabaseUrl};
use std::collections::BTreeMap;
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
    /// How the run-wide lock is held (`database.lock`, PostgreSQL only).
    pub lock: LockMode,
    /// The schemas autogenerate manages (`database.schemas`, PostgreSQL only).
    pub schemas: Vec<String>,
    /// The migrations directories (`migrations.dir`, or `migrations.dirs`, Alembic's
    /// version_locations): one graph from all of them; never empty.
    pub migrations_dirs: Vec<PathBuf>,
    pub version_table: String,
    pub schema_path: PathBuf,
}

impl Settings {
    /// The migrations directories, for messages: `migrations` or `a, b`.
    pub fn migrations_shown(&self) -> String {
        let dirs: Vec<String> = self
            .migrations_dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect();
        dirs.join(", ")
    }
}

/// A config file that cannot be read or is invalid; the message names the key and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The environment variable naming the config file when `-c/--config` is not given.
pub const CONFIG_VAR: &str = "MIGRATE_CONFIG";
/// The config file read by default.
pub const DEFAULT_CONFIG_PATH: &str = "config.toml";

/// The environment variable that overrides `database.url`.
pub const DATABASE_URL_VAR: &str = "DATABASE_URL";

/// Default of `database.url`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:///app.db";
/// Default of `database.lock_timeout`.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest `database.lock_timeout` accepted. Engines take lock waits as 32-bit
/// milliseconds (SQLite's busy timeout, PostgreSQL's `lock_timeout`), about 24.8 days at
/// most; a day is well inside that and longer than any sensible wait for a migration.
pub const MAX_LOCK_TIMEOUT: Duration = Duration::from_secs(24 * 3600);
/// Default of `database.schemas`.
pub const DEFAULT_SCHEMA: &str = "public";
/// Default of `migrations.dir`.
pub const DEFAULT_MIGRATIONS_DIR: &str = "migrations";
/// Default of `migrations.version_table`.
pub const DEFAULT_VERSION_TABLE: &str = "migrate_version";
/// Default of `schema.path`.
pub const DEFAULT_SCHEMA_PATH: &str = "schema.sql";
/// The longest `version_table` accepted (`<version_table>_history` must fit engine limits).
pub const MAX_VERSION_TABLE_LEN: usize = 60;

/// The entries of one TOML table: each key with the byte offset where it is written.
type RawTable = BTreeMap<String, (usize, Raw)>;

/// A TOML value as far as validation needs it.
#[derive(Clone, Debug, PartialEq)]
enum Raw {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    Datetime(String),
    Array,
    Table,
}

impl Raw {
    /// What validation needs of a parsed value. (`Item::None`, an absent value, is
    /// never yielded when iterating a table.)
    fn of(item: &toml_edit::Item) -> Raw {
        use toml_edit::{Item, Value};
        match item {
            Item::Value(Value::String(s)) => Raw::String(s.value().clone()),
            Item::Value(Value::Integer(n)) => Raw::Integer(*n.value()),
            Item::Value(Value::Float(x)) => Raw::Float(*x.value()),
            Item::Value(Value::Boolean(b)) => Raw::Boolean(*b.value()),
            Item::Value(Value::Datetime(d)) => Raw::Datetime(d.value().to_string()),
            Item::Value(Value::Array(_)) | Item::ArrayOfTables(_) => Raw::Array,
            Item::Value(Value::InlineTable(_)) | Item::Table(_) | Item::None => Raw::Table,
        }
    }
}

/// The entries of `table`, each with where its key is written. A parsed
/// [`toml_edit::ImDocument`] gives every key a span, also keys of tables made by dotted
/// keys (`a.b = 1`, `[a.b]`), which have no span of their own; the key is on the
/// line its value starts on.
fn entries(table: &dyn toml_edit::TableLike) -> RawTable {
    table
        .iter()
        .map(|(name, item)| {
            let key_span = table.key(name).and_then(toml_edit::Key::span);
            let pos = key_span
                .or_else(|| item.span())
                .map_or(0, |span| span.start);
            (name.to_string(), (pos, Raw::of(item)))
        })
        .collect()
}

/// Reads and validates the config file at `path`; `env` looks up environment variables
/// (`DATABASE_URL` and `${VAR}` expansion).
pub fn load(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfigError(format!(
                "config file {} not found (run `migrate init` to create one)",
                path.display()
            )))
        }
        Err(e) => {
            return Err(ConfigError(format!(
                "cannot read config file {}: {e}",
                path.display()
            )))
        }
    };
    let parent = path.parent().unwrap_or(Path::new(""));
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let base_dir = std::path::absolute(parent).map_err(|e| {
        ConfigError(format!(
            "cannot resolve the directory of config file {}: {e}",
            path.display()
        ))
    })?;
    let base_dir = clean_path(&base_dir);
    parse_settings(&text, path, &base_dir, env)
}

/// Validates config text as if read from `path`, whose directory is `base_dir`.
pub fn parse_settings(
    text: &str,
    path: &Path,
    base_dir: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Settings, ConfigError> {
    let doc = Doc {
        name: path.display().to_string(),
        text,
    };
    let parsed = toml_edit::ImDocument::parse(text).map_err(|e| doc.toml_error(&e))?;
    let root = parsed.as_table();
    // First pass: the top-level keys must be the three tables.
    let mut first_error: Option<(usize, String)> = None;
    for (key, (pos, value)) in entries(root) {
        let msg = match key.as_str() {
            "database" | "migrations" | "schema" if value == Raw::Table => continue,
            "database" | "migrations" | "schema" => format!("[{key}] must be a table"),
            other if value == Raw::Table => {
                format!(
                    "unknown table [{}] (expected [database], [migrations] or [schema])",
                    cut(other)
                )
            }
            other => format!(
                "unknown top-level key {} (expected [database], [migrations] or [schema])",
                quote(other)
            ),
        };
        if first_error.as_ref().is_none_or(|(p, _)| pos < *p) {
            first_error = Some((pos, msg));
        }
    }
    if let Some((pos, msg)) = first_error {
        return Err(doc.error(pos, msg));
    }

    // Second pass: the keys of each table, with where they are written.
    let table = |name: &str| {
        root.get(name)
            .and_then(toml_edit::Item::as_table_like)
            .map(entries)
            .unwrap_or_default()
    };
    let db = Section::new(
        &doc,
        "database",
        table("database"),
        &["url", "dev_url", "lock_timeout", "lock", "schemas"],
    )?;
    let mig = Section::new(
        &doc,
        "migrations",
        table("migrations"),
        &["dir", "dirs", "version_table"],
    )?;
    let sch = Section::new(&doc, "schema", table("schema"), &["path"])?;

    // database.url, overridden by a non-empty DATABASE_URL.
    let database = match env(DATABASE_URL_VAR).filter(|v| !v.trim().is_empty()) {
        Some(raw) => {
            // The file's value is not used, but it must still be a string.
            db.raw_string("url")?;
            DatabaseUrl::parse(&raw, base_dir).map_err(|e| {
                ConfigError(format!(
                    "environment variable {DATABASE_URL_VAR}: {}",
                    redact(&e.0)
                ))
            })?
        }
        None => match db.string("url", env)? {
            Some((raw, pos)) => db.url("url", &raw, pos, base_dir)?,
            None => {
                DatabaseUrl::parse(DEFAULT_DATABASE_URL, base_dir).map_err(|e| ConfigError(e.0))?
            }
        },
    };
    let dev_url = match db.string("dev_url", env)? {
        // An empty dev_url (e.g. "${DEV_URL}" with DEV_URL="") is no dev_url.
        Some((raw, _)) if raw.trim().is_empty() => None,
        Some((raw, pos)) => Some(db.url("dev_url", &raw, pos, base_dir)?),
        None => None,
    };
    let lock_timeout = db
        .duration("lock_timeout", MAX_LOCK_TIMEOUT, env)?
        .unwrap_or(DEFAULT_LOCK_TIMEOUT);

    let lock = match db.string("lock", env)? {
        None => LockMode::default(),
        Some((name, pos)) => {
            let mode = LockMode::parse(&name).ok_or_else(|| {
                db.error(
                    pos,
                    "lock",
                    format!(" must be \"advisory\" or \"table\", got {}", quote(&name)),
                )
            })?;
            db.postgres_only("lock", pos, &database)?;
            mode
        }
    };
    let schemas = match db.values.get("schemas") {
        None => vec![DEFAULT_SCHEMA.to_string()],
        Some((pos, _)) => {
            let item = root
                .get("database")
                .and_then(toml_edit::Item::as_table_like)
                .and_then(|t| t.get("schemas"));
            let schemas = db.string_list("schemas", *pos, item, "names, like [\"public\"]")?;
            db.postgres_only("schemas", *pos, &database)?;
            schemas
        }
    };

    let migrations_dirs = match (mig.path("dir", env, base_dir)?, mig.values.get("dirs")) {
        (Some(_), Some((pos, _))) => {
            return Err(mig.error(*pos, "dirs", " and migrations.dir are both set: keep one"))
        }
        (Some(dir), None) => vec![dir],
        (None, None) => vec![base_dir.join(DEFAULT_MIGRATIONS_DIR)],
        (None, Some((pos, _))) => {
            let item = root
                .get("migrations")
                .and_then(toml_edit::Item::as_table_like)
                .and_then(|t| t.get("dirs"));
            let example = "directories, like [\"migrations\", \"billing/migrations\"]";
            mig.string_list("dirs", *pos, item, example)?
                .iter()
                .map(|dir| {
                    let dir = expand_vars(dir, env)
                        .map_err(|e| mig.error(*pos, "dirs", format!(": {e}")))?;
                    Ok(clean_path(&base_dir.join(dir)))
                })
                .collect::<Result<Vec<_>, ConfigError>>()?
        }
    };
    let version_table = match mig.string("version_table", env)? {
        Some((name, pos)) => {
            if !is_identifier(&name) {
                return Err(doc.error(
                    pos,
                    format!(
                        "migrations.version_table must be a table name of letters, digits and \
                         underscores, not starting with a digit, got {}",
                        quote(&name)
                    ),
                ));
            }
            if name.len() > MAX_VERSION_TABLE_LEN {
                return Err(doc.error(
                    pos,
                    format!(
                        "migrations.version_table must be at most {MAX_VERSION_TABLE_LEN} \
                         characters, got {} characters",
                        name.len()
                    ),
                ));
            }
            name
        }
        None => DEFAULT_VERSION_TABLE.to_string(),
    };
    let schema_path = sch
        .path("path", env, base_dir)?
        .unwrap_or_else(|| base_dir.join(DEFAULT_SCHEMA_PATH));

    Ok(Settings {
        config_path: path.to_path_buf(),
        base_dir: base_dir.to_path_buf(),
        database,
        dev_url,
        lock_timeout,
        lock,
        schemas,
        migrations_dirs,
        version_table,
        schema_path,
    })
}

/// The config text, for error positions.
struct Doc<'a> {
    name: String,
    text: &'a str,
}

impl Doc<'_> {
    /// The 1-based line holding byte `offset`.
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// `file:line: msg`, any URL password in `msg` masked.
    fn error(&self, offset: usize, msg: impl AsRef<str>) -> ConfigError {
        ConfigError(format!(
            "{}:{}: {}",
            self.name,
            self.line(offset),
            redact(msg.as_ref())
        ))
    }

    fn toml_error(&self, e: &toml_edit::TomlError) -> ConfigError {
        let msg = e.message().trim().replace('\n', ", ");
        match e.span() {
            Some(span) => self.error(span.start, msg),
            None => ConfigError(format!("{}: {}", self.name, redact(&msg))),
        }
    }
}

/// One table of the config file, its keys checked.
struct Section<'a> {
    doc: &'a Doc<'a>,
    name: &'static str,
    values: RawTable,
}

impl<'a> Section<'a> {
    fn new(
        doc: &'a Doc<'a>,
        name: &'static str,
        table: RawTable,
        known: &[&str],
    ) -> Result<Self, ConfigError> {
        let mut values = BTreeMap::new();
        // The first unknown key in file order is reported.
        let mut unknown: Option<(usize, String)> = None;
        for (key, (pos, value)) in table {
            if !known.contains(&key.as_str()) {
                if unknown.as_ref().is_none_or(|(p, _)| pos < *p) {
                    unknown = Some((pos, key));
                }
                continue;
            }
            values.insert(key, (pos, value));
        }
        if let Some((pos, key)) = unknown {
            return Err(doc.error(pos, format!("unknown key {} in [{name}]", quote(&key))));
        }
        Ok(Section { doc, name, values })
    }

    /// `file:line: section.key<msg>`.
    fn error(&self, pos: usize, key: &str, msg: impl AsRef<str>) -> ConfigError {
        self.doc
            .error(pos, format!("{}.{key}{}", self.name, msg.as_ref()))
    }

    /// A string value as written, with its position.
    fn raw_string(&self, key: &str) -> Result<Option<(&str, usize)>, ConfigError> {
        match self.values.get(key) {
            None => Ok(None),
            Some((pos, Raw::String(s))) => Ok(Some((s, *pos))),
            Some((pos, value)) => Err(self.error(
                *pos,
                key,
                format!(" must be a string, got {}", describe(value)),
            )),
        }
    }

    /// A string value, `${VAR}` expanded, with its position.
    fn string(
        &self,
        key: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<(String, usize)>, ConfigError> {
        let Some((s, pos)) = self.raw_string(key)? else {
            return Ok(None);
        };
        let expanded = expand_vars(s, env).map_err(|e| self.error(pos, key, format!(": {e}")))?;
        Ok(Some((expanded, pos)))
    }

    fn url(
        &self,
        key: &str,
        raw: &str,
        pos: usize,
        base_dir: &Path,
    ) -> Result<DatabaseUrl, ConfigError> {
        DatabaseUrl::parse(raw, base_dir).map_err(|e| self.error(pos, key, format!(": {}", e.0)))
    }

    /// A non-empty array of non-empty strings, without repeats; `example` says what the
    /// strings are (`names, like ["public"]`).
    fn string_list(
        &self,
        key: &str,
        pos: usize,
        item: Option<&toml_edit::Item>,
        example: &str,
    ) -> Result<Vec<String>, ConfigError> {
        let expected = format!(" must be a non-empty array of {example}");
        let Some(array) = item.and_then(toml_edit::Item::as_array) else {
            let got = self
                .values
                .get(key)
                .map(|(_, v)| describe(v))
                .unwrap_or_default();
            return Err(self.error(pos, key, format!("{expected}, got {got}")));
        };
        let mut names: Vec<String> = Vec::new();
        for value in array.iter() {
            let Some(name) = value.as_str() else {
                return Err(self.error(pos, key, format!("{expected}, got an element {value}")));
            };
            if name.is_empty() {
                return Err(self.error(pos, key, " must not hold an empty name"));
            }
            if names.iter().any(|n| n == name) {
                return Err(self.error(pos, key, format!(" names {} twice", quote(name))));
            }
            names.push(name.to_string());
        }
        if names.is_empty() {
            return Err(self.error(pos, key, format!("{expected}, got an empty array")));
        }
        Ok(names)
    }

    /// Refuses `key` when the database is not PostgreSQL.
    fn postgres_only(
        &self,
        key: &str,
        pos: usize,
        database: &DatabaseUrl,
    ) -> Result<(), ConfigError> {
        match database.engine() {
            Engine::Postgres => Ok(()),
            other => Err(self.error(
                pos,
                key,
                format!(
                    " is for PostgreSQL only, but the database is {}",
                    other.name()
                ),
            )),
        }
    }

    /// A path value, relative to `base_dir`.
    fn path(
        &self,
        key: &str,
        env: &dyn Fn(&str) -> Option<String>,
        base_dir: &Path,
    ) -> Result<Option<PathBuf>, ConfigError> {
        match self.string(key, env)? {
            None => Ok(None),
            Some((p, pos)) if p.trim().is_empty() => {
                Err(self.error(pos, key, " must not be empty"))
            }
            Some((p, _)) => Ok(Some(clean_path(&base_dir.join(p)))),
        }
    }

    /// A duration of at most `max`: a string such as "60s" or an integer of seconds.
    fn duration(
        &self,
        key: &str,
        max: Duration,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Duration>, ConfigError> {
        let Some((pos, value)) = self.values.get(key) else {
            return Ok(None);
        };
        let (parsed, shown) = match value {
            Raw::Integer(n) => (
                u64::try_from(*n).ok().map(Duration::from_secs),
                n.to_string(),
            ),
            Raw::String(_) => {
                let (s, _) = self.string(key, env)?.unwrap_or_default();
                (parse_duration(&s), quote(&s))
            }
            other => (None, describe(other)),
        };
        match parsed {
            Some(duration) if duration <= max => Ok(Some(duration)),
            Some(_) => Err(self.error(
                *pos,
                key,
                format!(" must be at most {}s, got {shown}", max.as_secs()),
            )),
            None => Err(self.error(
                *pos,
                key,
                format!(" must be a duration like \"60s\", got {shown}"),
            )),
        }
    }
}

/// A TOML value as written, for messages.
fn describe(value: &Raw) -> String {
    match value {
        Raw::String(s) => quote(s),
        Raw::Integer(n) => n.to_string(),
        Raw::Float(x) => {
            // The shorter of the two forms: `1e300` has 301 digits written out.
            let (plain, exponent) = (x.to_string(), format!("{x:e}"));
            let s = if exponent.len() < plain.len() {
                exponent
            } else {
                plain
            };
            if s.contains(['.', 'e', 'E', 'i', 'N']) {
                s
            } else {
                format!("{s}.0")
            }
        }
        Raw::Boolean(b) => b.to_string(),
        Raw::Datetime(d) => d.to_string(),
        Raw::Array => "an array".to_string(),
        Raw::Table => "a table".to_string(),
    }
}

/// `[A-Za-z_][A-Za-z0-9_]*`.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `path` without `.` components.
fn clean_path(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// Expands `${NAME}` with `env`. `$${` is a literal `${`; any other `$` is kept as is.
/// The error names the variable but never the value.
pub fn expand_vars(s: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(literal) = after.strip_prefix("$${") {
            out.push_str("${");
            rest = literal;
        } else if let Some(inner) = after.strip_prefix("${") {
            let Some(end) = inner.find('}') else {
                return Err("'${' without a closing '}' (write '$${' for a literal '${')".into());
            };
            let name = &inner[..end];
            if !is_identifier(name) {
                return Err(format!(
                    "{} is not a valid variable reference (names are letters, digits and \
                     underscores; write '$${{' for a literal '${{')",
                    quote(&format!("${{{name}}}"))
                ));
            }
            match env(name) {
                Some(value) => out.push_str(&value),
                None => return Err(format!("environment variable {name} is not set")),
            }
            rest = &inner[end + 1..];
        } else {
            out.push('$');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Parses `500ms`, `60s`, `5m`, `1h` or a bare number of seconds (`60`).
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if digits_end == 0 {
        return None;
    }
    let n: u64 = s[..digits_end].parse().ok()?;
    let unit = s[digits_end..].trim_start();
    match unit {
        "" | "s" => Some(Duration::from_secs(n)),
        "ms" => Some(Duration::from_millis(n)),
        "m" => n.checked_mul(60).map(Duration::from_secs),
        "h" => n.checked_mul(3600).map(Duration::from_secs),
        _ => None,
    }
}

/// The config.toml that `migrate init` writes.
pub const DEFAULT_CONFIG: &str = r#"[database]
url = "sqlite:///app.db"     # env DATABASE_URL overrides it; ${VAR} is expanded
# dev_url = "postgres://localhost/scratch"   # scratch database for autogenerate/check
lock_timeout = "60s"
# lock = "advisory"          # PostgreSQL: "advisory", or "table" behind a transaction pooler
# schemas = ["public"]       # PostgreSQL: the schemas autogenerate manages

[migrations]
dir = "migrations"
version_table = "migrate_version"

[schema]
path = "schema.sql"          # a file, or a directory of .sql files applied in name order
"#;

#[cfg(test)]
mod tests;
