//! Settings: config.toml + environment, validated once before any work starts.

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
    pub migrations_dir: PathBuf,
    pub version_table: String,
    pub schema_path: PathBuf,
}

/// A config file that cannot be read or is invalid; the message names the key and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The environment variable that overrides `database.url`.
pub const DATABASE_URL_VAR: &str = "DATABASE_URL";

/// Default of `database.url`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:///app.db";
/// Default of `database.lock_timeout`.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);
/// Default of `migrations.dir`.
pub const DEFAULT_MIGRATIONS_DIR: &str = "migrations";
/// Default of `migrations.version_table`.
pub const DEFAULT_VERSION_TABLE: &str = "migrate_version";
/// Default of `schema.path`.
pub const DEFAULT_SCHEMA_PATH: &str = "schema.sql";
/// The longest `version_table` accepted (`<version_table>_history` must fit engine limits).
pub const MAX_VERSION_TABLE_LEN: usize = 60;

type RawTable = BTreeMap<String, Located>;

/// A value and the byte offset where it starts. toml gives no span for a table made
/// by dotted keys (`a.b = 1`, `[a.b]`), so the offset is optional; `toml::Spanned`
/// would fail on those, hence this type speaking serde_spanned's protocol.
#[derive(Clone, Debug, PartialEq)]
struct Located {
    start: Option<usize>,
    value: Raw,
}

const SPANNED_NAME: &str = "$__serde_spanned_private_Spanned";
const SPANNED_START: &str = "$__serde_spanned_private_start";
const SPANNED_END: &str = "$__serde_spanned_private_end";
const SPANNED_VALUE: &str = "$__serde_spanned_private_value";
const SPANNED_FIELDS: &[&str] = &[SPANNED_START, SPANNED_END, SPANNED_VALUE];

impl<'de> serde::Deserialize<'de> for Located {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Located;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a TOML value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Located, A::Error> {
                let Some(first) = map.next_key::<String>()? else {
                    return Ok(Located {
                        start: None,
                        value: Raw::Table,
                    });
                };
                if first != SPANNED_START {
                    // A table without a span: drain it.
                    map.next_value::<IgnoredAny>()?;
                    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                    return Ok(Located {
                        start: None,
                        value: Raw::Table,
                    });
                }
                let start: usize = map.next_value()?;
                if map.next_key::<String>()?.as_deref() != Some(SPANNED_END) {
                    return Err(A::Error::custom("span end missing"));
                }
                map.next_value::<usize>()?;
                if map.next_key::<String>()?.as_deref() != Some(SPANNED_VALUE) {
                    return Err(A::Error::custom("spanned value missing"));
                }
                let value: Raw = map.next_value()?;
                Ok(Located {
                    start: Some(start),
                    value,
                })
            }
        }
        d.deserialize_struct(SPANNED_NAME, SPANNED_FIELDS, V)
    }
}

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

/// The key under which toml hands a date-time to serde.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> serde::Deserialize<'de> for Raw {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a TOML value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::String(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Raw, E> {
                Ok(Raw::String(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
                Ok(Raw::Integer(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Raw, E> {
                i64::try_from(v)
                    .map(Raw::Integer)
                    .map_err(|_| E::custom("integer out of range"))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
                Ok(Raw::Float(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
                Ok(Raw::Boolean(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Raw::Array)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
                let mut first = true;
                while let Some(key) = map.next_key::<String>()? {
                    if first && key == TOML_DATETIME_KEY {
                        let value: String = map.next_value()?;
                        return Ok(Raw::Datetime(value));
                    }
                    first = false;
                    map.next_value::<IgnoredAny>()?;
                }
                Ok(Raw::Table)
            }
        }
        d.deserialize_any(V)
    }
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
    // First pass: the top-level keys must be the three tables.
    let top: RawTable = toml::from_str(text).map_err(|e| doc.toml_error(&e))?;
    let mut first_error: Option<(usize, String)> = None;
    for (key, value) in &top {
        let pos = value.start.unwrap_or_else(|| doc.find_key(None, key));
        let msg = match key.as_str() {
            "database" | "migrations" | "schema" if value.value == Raw::Table => continue,
            "database" | "migrations" | "schema" => format!("[{key}] must be a table"),
            other if value.value == Raw::Table => {
                format!("unknown table [{other}] (expected [database], [migrations] or [schema])")
            }
            other => format!(
                "unknown top-level key '{other}' (expected [database], [migrations] or [schema])"
            ),
        };
        if first_error.as_ref().is_none_or(|(p, _)| pos < *p) {
            first_error = Some((pos, msg));
        }
    }
    if let Some((pos, msg)) = first_error {
        return Err(doc.error(pos, msg));
    }

    // Second pass: the keys of each table, with where their values start.
    #[derive(serde::Deserialize)]
    struct Tables {
        #[serde(default)]
        database: RawTable,
        #[serde(default)]
        migrations: RawTable,
        #[serde(default)]
        schema: RawTable,
    }
    let tables: Tables = toml::from_str(text).map_err(|e| doc.toml_error(&e))?;
    let db = Section::new(
        &doc,
        "database",
        tables.database,
        &["url", "dev_url", "lock_timeout"],
    )?;
    let mig = Section::new(
        &doc,
        "migrations",
        tables.migrations,
        &["dir", "version_table"],
    )?;
    let sch = Section::new(&doc, "schema", tables.schema, &["path"])?;

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
        .duration("lock_timeout", env)?
        .unwrap_or(DEFAULT_LOCK_TIMEOUT);

    let migrations_dir = mig
        .path("dir", env, base_dir)?
        .unwrap_or_else(|| base_dir.join(DEFAULT_MIGRATIONS_DIR));
    let version_table = match mig.string("version_table", env)? {
        Some((name, pos)) => {
            if !is_identifier(&name) {
                return Err(doc.error(
                    pos,
                    format!(
                        "migrations.version_table must be a table name of letters, digits and \
                         underscores, not starting with a digit, got {name:?}"
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
        migrations_dir,
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

    fn toml_error(&self, e: &toml::de::Error) -> ConfigError {
        let msg = e.message().trim().replace('\n', ", ");
        match e.span() {
            Some(span) => self.error(span.start, msg),
            None => ConfigError(format!("{}: {}", self.name, redact(&msg))),
        }
    }

    /// Where key `key` of `section` (or of the top level) is first written, for a table
    /// toml gives no span for: `[key.sub]`, `key.sub = ...`, `section.key.sub = ...`.
    fn find_key(&self, section: Option<&str>, key: &str) -> usize {
        let dotted = |s: &str| -> Vec<String> {
            s.split('.')
                .map(|part| part.trim().trim_matches(['"', '\'']).to_string())
                .collect()
        };
        let mut current: Vec<String> = Vec::new();
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            let here = offset;
            offset += line.len();
            let t = line.trim();
            if t.starts_with('#') || t.is_empty() {
                continue;
            }
            // The full key path this line names, from its header or its dotted key.
            let path: Vec<String> = if t.starts_with('[') {
                let inner = t.trim_start_matches('[');
                let inner = inner.split(']').next().unwrap_or("");
                current = dotted(inner);
                current.clone()
            } else {
                let k = t.split('=').next().unwrap_or("");
                let mut p = current.clone();
                p.extend(dotted(k));
                p
            };
            let wanted: Vec<&str> = section.into_iter().chain([key]).collect();
            if path.len() > wanted.len() && path.iter().zip(&wanted).all(|(a, b)| a == b) {
                return here + (line.len() - line.trim_start().len());
            }
        }
        0
    }
}

/// One table of the config file, its keys checked.
struct Section<'a> {
    doc: &'a Doc<'a>,
    name: &'static str,
    values: BTreeMap<String, (usize, Raw)>,
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
        for (key, located) in table {
            // A value starts on its key's line.
            let pos = located
                .start
                .unwrap_or_else(|| doc.find_key(Some(name), &key));
            if !known.contains(&key.as_str()) {
                if unknown.as_ref().is_none_or(|(p, _)| pos < *p) {
                    unknown = Some((pos, key));
                }
                continue;
            }
            values.insert(key, (pos, located.value));
        }
        if let Some((pos, key)) = unknown {
            return Err(doc.error(pos, format!("unknown key '{key}' in [{name}]")));
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

    /// A duration: a string such as "60s" or an integer of seconds.
    fn duration(
        &self,
        key: &str,
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
                (parse_duration(&s), format!("{s:?}"))
            }
            other => (None, describe(other)),
        };
        parsed.map(Some).ok_or_else(|| {
            self.error(
                *pos,
                key,
                format!(" must be a duration like \"60s\", got {shown}"),
            )
        })
    }
}

/// A TOML value as written, for messages.
fn describe(value: &Raw) -> String {
    match value {
        Raw::String(s) => format!("{s:?}"),
        Raw::Integer(n) => n.to_string(),
        Raw::Float(x) => {
            let s = x.to_string();
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
                    "'${{{name}}}' is not a valid variable reference (names are letters, \
                     digits and underscores; write '$${{' for a literal '${{')"
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

[migrations]
dir = "migrations"
version_table = "migrate_version"

[schema]
path = "schema.sql"          # a file, or a directory of .sql files applied in name order
"#;

#[cfg(test)]
mod tests;
