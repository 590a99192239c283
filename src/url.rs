//! Database URLs: parsing, the engine they name, and display with the password as `***`.

use crate::dialect::Engine;
use crate::echo::quote;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// Where a SQLite database lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SqliteLocation {
    Memory,
    File(PathBuf),
}

/// The parts of a `postgres://` or `mysql://` URL (percent-decoded).
#[derive(Clone, PartialEq, Eq)]
pub struct ServerUrl {
    pub user: Option<String>,
    pub password: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    pub database: String,
    /// Query parameters in order, e.g. `sslmode=require`.
    pub params: Vec<(String, String)>,
}

/// A parsed database URL.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(SqliteLocation),
    Postgres(ServerUrl),
    Mysql(ServerUrl),
}

/// A URL that cannot be parsed; the message never holds the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UrlError(pub String);

/// What [`redact`] and [`fmt::Display`] print in place of a password.
pub const MASK: &str = "***";

fn err(msg: impl Into<String>) -> UrlError {
    UrlError(msg.into())
}

impl DatabaseUrl {
    /// Parses `raw`; a relative SQLite path is taken relative to `base_dir`.
    pub fn parse(raw: &str, base_dir: &Path) -> Result<Self, UrlError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(err("database URL is empty"));
        }
        let Some((scheme, rest)) = raw.split_once("://") else {
            return Err(err(
                "database URL must start with a scheme: sqlite://, postgres:// or mysql://",
            ));
        };
        let valid_scheme = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.' | '_'));
        if !valid_scheme {
            return Err(err(
                "database URL must start with a scheme: sqlite://, postgres:// or mysql://",
            ));
        }
        // SQLAlchemy driver suffixes (`postgresql+psycopg2`) are accepted and ignored.
        let base = scheme
            .split('+')
            .next()
            .unwrap_or(scheme)
            .to_ascii_lowercase();
        match base.as_str() {
            "sqlite" => parse_sqlite(rest, base_dir).map(DatabaseUrl::Sqlite),
            "postgres" | "postgresql" => parse_server(rest).map(DatabaseUrl::Postgres),
            "mysql" | "mariadb" => parse_server(rest).map(DatabaseUrl::Mysql),
            _ => Err(err(format!(
                "unsupported database URL scheme {} (expected sqlite, postgres or mysql)",
                quote(&base)
            ))),
        }
    }

    /// The engine the URL names.
    pub fn engine(&self) -> Engine {
        match self {
            DatabaseUrl::Sqlite(_) => Engine::Sqlite,
            DatabaseUrl::Postgres(_) => Engine::Postgres,
            DatabaseUrl::Mysql(_) => Engine::Mysql,
        }
    }

    /// The server parts of a PostgreSQL or MySQL URL; `None` for SQLite.
    pub fn server(&self) -> Option<&ServerUrl> {
        match self {
            DatabaseUrl::Sqlite(_) => None,
            DatabaseUrl::Postgres(s) | DatabaseUrl::Mysql(s) => Some(s),
        }
    }
}

impl ServerUrl {
    /// The value of query parameter `key` (the first one when repeated).
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Writes `user:***@host:port/database?params` (no scheme), password masked.
    fn write_masked(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.user.is_some() || self.password.is_some() {
            if let Some(user) = &self.user {
                f.write_str(&encode(user))?;
            }
            if self.password.is_some() {
                write!(f, ":{MASK}")?;
            }
            f.write_str("@")?;
        }
        if self.host.contains(':') {
            write!(f, "[{}]", self.host)?;
        } else {
            f.write_str(&encode(&self.host))?;
        }
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        write!(f, "/{}", encode(&self.database))?;
        for (i, (k, v)) in self.params.iter().enumerate() {
            let sep = if i == 0 { '?' } else { '&' };
            let v = if is_secret_param(k) {
                MASK.to_string()
            } else {
                encode(v)
            };
            write!(f, "{sep}{}={v}", encode(k))?;
        }
        Ok(())
    }
}

/// Query parameters whose values are secrets and are masked like the password.
pub fn is_secret_param(key: &str) -> bool {
    matches!(
        key.to_ascii_lowercase().as_str(),
        "password" | "passwd" | "pwd" | "sslpassword"
    )
}

fn parse_sqlite(rest: &str, base_dir: &Path) -> Result<SqliteLocation, UrlError> {
    // `sqlite://` alone is an in-memory database, as in SQLAlchemy.
    if rest.is_empty() {
        return Ok(SqliteLocation::Memory);
    }
    let Some(path) = rest.strip_prefix('/') else {
        return Err(err(
            "sqlite URL must have three slashes: sqlite:///relative/path.db, \
             sqlite:////absolute/path.db or sqlite:///:memory:",
        ));
    };
    if path.contains('?') {
        return Err(err(
            "sqlite URL query parameters are not supported (remove the '?...' part)",
        ));
    }
    let path = percent_decode(path)
        .ok_or_else(|| err("sqlite URL path is not valid UTF-8 after percent-decoding"))?;
    if path.is_empty() || path == ":memory:" {
        return Ok(SqliteLocation::Memory);
    }
    let path = Path::new(&path);
    let full = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base_dir.join(path)
    };
    // Drop `.` components so that `sqlite:///./app.db` names `<base>/app.db`.
    let cleaned: PathBuf = full
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    Ok(SqliteLocation::File(cleaned))
}

/// Splits `rest` (what follows `scheme://`) into the userinfo and the remainder.
///
/// Passwords are often pasted (or expanded from `${VAR}`) without percent-encoding, so
/// the userinfo ends at the rightmost '@' that is followed by `host[:port]/` and preceded
/// by a user name free of '/', '?' and '#'; the password may then hold any character.
/// An '@' in a query value or a database name is thereby not taken for the userinfo's.
/// (Without a database name, a password holding '/' and '@' is still ambiguous.)
fn split_userinfo(rest: &str) -> (Option<&str>, &str) {
    for (at, _) in rest
        .match_indices('@')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        let (userinfo, after) = (&rest[..at], &rest[at + 1..]);
        let user = userinfo.split(':').next().unwrap_or("");
        let host_end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let host_then_database =
            !after[..host_end].contains('@') && after[host_end..].starts_with('/');
        // `user:pass@host` lacking its database: taken as such so that the error says
        // so (a '?' before the '@' means the '@' is in a query value instead).
        let host_only = !after.contains(['/', '@']) && !userinfo.contains('?');
        if !user.contains(['/', '?', '#']) && (host_then_database || host_only) {
            return (Some(userinfo), after);
        }
    }
    // No such '@' (e.g. no database name): the usual form, for a clear error later.
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
        None => (None, rest),
    }
}

fn parse_server(rest: &str) -> Result<ServerUrl, UrlError> {
    let (userinfo, rest) = split_userinfo(rest);
    let (mut user, mut password) = (None, None);
    if let Some(userinfo) = userinfo {
        let (u, p) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        if !u.is_empty() {
            user = Some(
                percent_decode(u)
                    .ok_or_else(|| err("database URL user name is not valid UTF-8"))?,
            );
        }
        if let Some(p) = p {
            password = Some(
                percent_decode(p).ok_or_else(|| err("database URL password is not valid UTF-8"))?,
            );
        }
    }
    // Drop any fragment.
    let rest = rest.split('#').next().unwrap_or("");
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(authority_end);
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let Some((host, after_host)) = bracketed.split_once(']') else {
            return Err(err("database URL has an IPv6 host without its closing ']'"));
        };
        let port = match after_host {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or_else(|| {
                err("database URL has unexpected text after the IPv6 host's ']'")
            })?),
        };
        (host.to_string(), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let host =
            percent_decode(host).ok_or_else(|| err("database URL host is not valid UTF-8"))?;
        (host, port)
    };
    let port = match port {
        None | Some("") => None,
        // The port text is not echoed: a mistyped URL may have a password there.
        Some(p) => Some(parse_port(p).ok_or_else(|| {
            err("invalid port in database URL (expected a number from 1 to 65535)")
        })?),
    };
    let (path, query) = match after.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (after, None),
    };
    let database = percent_decode(path.strip_prefix('/').unwrap_or(path))
        .ok_or_else(|| err("database URL database name is not valid UTF-8"))?;
    if database.is_empty() {
        return Err(err(
            "database URL has no database name (e.g. postgres://user@localhost:5432/mydb)",
        ));
    }
    let mut params = Vec::new();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_decode(&s.replace('+', " "))
                .ok_or_else(|| err("database URL query parameter is not valid UTF-8"))
        };
        params.push((decode(k)?, decode(v)?));
    }
    // libpq's URLs may name the host (a socket directory) in the query instead.
    if host.is_empty() && !params.iter().any(|(k, v)| k == "host" && !v.is_empty()) {
        return Err(err(
            "database URL has no host (e.g. postgres://user@localhost:5432/mydb)",
        ));
    }
    Ok(ServerUrl {
        user,
        password,
        host,
        port,
        database,
        params,
    })
}

fn parse_port(p: &str) -> Option<u16> {
    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse::<u16>().ok().filter(|&n| n != 0)
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits is kept as is.
/// `None` when the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes everything but the unreserved characters (RFC 3986).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl fmt::Display for DatabaseUrl {
    /// The URL with any password shown as `***`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(SqliteLocation::Memory) => f.write_str("sqlite:///:memory:"),
            DatabaseUrl::Sqlite(SqliteLocation::File(path)) => {
                write!(f, "sqlite:///{}", path.display())
            }
            DatabaseUrl::Postgres(s) => {
                f.write_str("postgres://")?;
                s.write_masked(f)
            }
            DatabaseUrl::Mysql(s) => {
                f.write_str("mysql://")?;
                s.write_masked(f)
            }
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(k, v)| {
                let v = if is_secret_param(k) { MASK } else { v.as_str() };
                (k.as_str(), v)
            })
            .collect();
        f.debug_struct("ServerUrl")
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| MASK))
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("params", &params)
            .finish()
    }
}

/// Characters that end a URL inside free text.
fn ends_token(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>')
}

/// `raw` with the password of any `scheme://user:password@host` it holds replaced by `***`.
/// A `password=...` query parameter inside such a URL is masked too.
pub fn redact(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(pos) = rest.find("://") {
        let scheme_ok = rest[..pos]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let start = pos + 3;
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let token_len = after.find(ends_token).unwrap_or(after.len());
        let token = &after[..token_len];
        if scheme_ok {
            out.push_str(&redact_url_token(token));
        } else {
            out.push_str(token);
        }
        rest = &after[token_len..];
    }
    out.push_str(rest);
    out
}

/// Masks the password of `user:password@host...` (what follows `://`).
fn redact_url_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    let mut tail = token;
    if let Some(at) = token.rfind('@') {
        if let Some((user, _)) = token[..at].split_once(':') {
            if !user.contains(['/', '?', '#']) {
                out.push_str(user);
                out.push(':');
                out.push_str(MASK);
                tail = &token[at..];
            }
        }
    }
    // Secret query parameters.
    match tail.find('?') {
        Some(q) => {
            out.push_str(&tail[..=q]);
            let pairs: Vec<String> = tail[q + 1..]
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) if is_secret_param(k) => format!("{k}={MASK}"),
                    _ => pair.to_string(),
                })
                .collect();
            out.push_str(&pairs.join("&"));
        }
        None => out.push_str(tail),
    }
    out
}

#[cfg(test)]
mod tests;
