//! Connecting to MySQL/MariaDB from a `mysql://`, `mariadb://` or `mysql+pymysql://` URL:
//! the URL's parts and query keys mapped to the client's options, TLS as the MySQL client's
//! `--ssl-mode` means it, and errors that name the server and user but never the password.
//!
//! TLS stack: rustls with the *ring* provider, through the `mysql` crate's
//! `rustls-tls-ring` feature: the same stack as PostgreSQL's, maintained, no OpenSSL at
//! build or run time (the binary stays portable across distributions) and, unlike the
//! aws-lc provider, no cmake or C toolchain to build it.

use crate::dialect::password::Password;
pub use crate::dialect::server::Host;
use crate::dialect::server::{impl_server_settings, ServerSettings};
use crate::url::ServerUrl;
use anyhow::Result;
use mysql::{Conn, Opts, OptsBuilder, SslOpts};
use std::path::PathBuf;
use std::time::Duration;

/// The MySQL client's `--ssl-mode`, with its meanings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SslMode {
    /// Plain connection only.
    Disabled,
    /// TLS when the server offers it, else plain (the default); the certificate is not
    /// checked.
    Preferred,
    /// TLS or nothing; the certificate is not checked.
    Required,
    /// TLS with a certificate chain to a trusted root (`ssl-ca`); the host name is not
    /// checked.
    VerifyCa,
    /// TLS with a trusted chain and a certificate for the host name.
    VerifyIdentity,
}

impl SslMode {
    /// The mode named `value`, in any case (`REQUIRED`, `required`).
    fn parse(value: &str) -> Option<SslMode> {
        match value.to_ascii_lowercase().as_str() {
            "disabled" => Some(SslMode::Disabled),
            "preferred" => Some(SslMode::Preferred),
            "required" => Some(SslMode::Required),
            "verify_ca" => Some(SslMode::VerifyCa),
            "verify_identity" => Some(SslMode::VerifyIdentity),
            _ => None,
        }
    }

    /// The mode's name as the MySQL client spells it.
    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disabled => "DISABLED",
            SslMode::Preferred => "PREFERRED",
            SslMode::Required => "REQUIRED",
            SslMode::VerifyCa => "VERIFY_CA",
            SslMode::VerifyIdentity => "VERIFY_IDENTITY",
        }
    }
}

/// The query keys a URL may carry.
const KNOWN_KEYS: &[&str] = &[
    "charset",
    "ssl-mode",
    "ssl_mode",
    "sslmode",
    "ssl-ca",
    "ssl_ca",
    "socket",
    "unix_socket",
    "connect_timeout",
];

/// The character set of the session when the URL names none.
pub const DEFAULT_CHARSET: &str = "utf8mb4";

/// Everything needed to open a connection. `Debug` never shows the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectSettings {
    /// The host, or the socket file.
    pub host: Host,
    /// The TCP port; 3306 by default.
    pub port: u16,
    /// The user name; the URL's, else `$USER`, else `root`.
    pub user: String,
    password: Option<Password>,
    /// The database to connect to.
    pub database: String,
    /// The session's character set (`SET NAMES`), `utf8mb4` by default.
    pub charset: String,
    /// How TLS is used.
    pub ssl_mode: SslMode,
    /// `ssl-ca`: a PEM (or DER) file of trusted roots, added to the compiled-in Mozilla
    /// roots.
    pub root_cert: Option<PathBuf>,
    /// How long connecting may take; `None` waits as long as the network does.
    pub connect_timeout: Option<Duration>,
}

impl_server_settings!(ConnectSettings, "MySQL/MariaDB", |_settings, path| path
    .display()
    .to_string());

impl ConnectSettings {
    /// The settings a parsed URL gives; an unknown or malformed query key is an error
    /// naming it.
    pub fn from_url(url: &ServerUrl) -> Result<ConnectSettings> {
        let mut settings = ConnectSettings {
            host: Host::Tcp(url.host.clone()),
            port: url.port.unwrap_or(3306),
            user: url
                .user
                .clone()
                .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
                .unwrap_or_else(|| "root".to_string()),
            password: url.password.clone().map(Password::new),
            database: url.database.clone(),
            charset: DEFAULT_CHARSET.to_string(),
            ssl_mode: SslMode::Preferred,
            root_cert: None,
            connect_timeout: None,
        };
        let mut explicit_mode = false;
        for (key, value) in &url.params {
            let bad = |expected: &str| {
                anyhow::anyhow!(
                    "invalid value {} for MySQL URL key {key} (expected {expected})",
                    crate::echo::quote(value)
                )
            };
            match key.as_str() {
                "charset" => {
                    let name_like = !value.is_empty()
                        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if !name_like {
                        return Err(bad("a character set name such as utf8mb4"));
                    }
                    settings.charset = value.clone();
                }
                "ssl-mode" | "ssl_mode" | "sslmode" => {
                    settings.ssl_mode = SslMode::parse(value).ok_or_else(|| {
                        bad("disabled, preferred, required, verify_ca or verify_identity")
                    })?;
                    explicit_mode = true;
                }
                "ssl-ca" | "ssl_ca" => settings.root_cert = Some(PathBuf::from(value)),
                "socket" | "unix_socket" => {
                    if value.is_empty() {
                        return Err(bad("the path of the server's socket file"));
                    }
                    settings.host = Host::Socket(PathBuf::from(value));
                }
                "connect_timeout" => {
                    let seconds: u64 = value.parse().map_err(|_| bad("a number of seconds"))?;
                    settings.connect_timeout = (seconds > 0).then(|| Duration::from_secs(seconds));
                }
                other => anyhow::bail!(
                    "unknown MySQL URL key {} (known: {})",
                    crate::echo::quote(other),
                    KNOWN_KEYS.join(", ")
                ),
            }
        }
        // The MySQL client: a CA given without a mode asks for the chain to be verified.
        if settings.root_cert.is_some() && !explicit_mode {
            settings.ssl_mode = SslMode::VerifyCa;
        }
        if matches!(settings.host, Host::Socket(_)) && settings.ssl_mode >= SslMode::VerifyCa {
            anyhow::bail!(
                "ssl-mode={} cannot be used with a Unix socket (TLS runs over TCP only; a \
                 socket is local and needs none)",
                settings.ssl_mode.name()
            );
        }
        Ok(settings)
    }

    /// Opens a connection; the error names the server, the user and the server's reason.
    /// `preferred` tries TLS first and, when the server has none, connects again without.
    pub fn connect(&self) -> Result<Conn> {
        let fail =
            |reason: String| anyhow::anyhow!("cannot connect to {}: {reason}", self.describe());
        if let Some(path) = &self.root_cert {
            // The client library's own error would not name the file.
            std::fs::metadata(path).map_err(|e| {
                fail(format!(
                    "cannot read ssl-ca file {}: {}",
                    crate::echo::quote(&path.display().to_string()),
                    crate::dialect::reason::innermost_cause(&e)
                ))
            })?;
        }
        let tls = self.ssl_opts();
        match Conn::new(self.opts(tls.clone())) {
            Ok(conn) => Ok(conn),
            Err(error) if self.ssl_mode == SslMode::Preferred && tls_unsupported(&error) => {
                Conn::new(self.opts(None)).map_err(|e| fail(reason(&e)))
            }
            Err(error) if tls_unsupported(&error) => Err(fail(format!(
                "the server does not support TLS, which ssl-mode={} requires",
                self.ssl_mode.name()
            ))),
            Err(error) => Err(fail(reason(&error))),
        }
    }

    /// The client library's TLS options for the `ssl-mode` (none for `disabled` and over
    /// a socket, which the library never encrypts).
    fn ssl_opts(&self) -> Option<SslOpts> {
        if self.ssl_mode == SslMode::Disabled || matches!(self.host, Host::Socket(_)) {
            return None;
        }
        // Known limit of mysql 26 with rustls 0.23.48: a name mismatch comes as
        // `NotValidForNameContext`, which the library's "skip domain validation" does not
        // match, so `verify_ca` then fails as `verify_identity` would (closed, not open).
        Some(
            SslOpts::default()
                .with_root_cert_path(self.root_cert.clone())
                .with_danger_accept_invalid_certs(self.ssl_mode < SslMode::VerifyCa)
                .with_danger_skip_domain_validation(self.ssl_mode < SslMode::VerifyIdentity),
        )
    }

    /// The client library's options: where, who, which database; TLS as given; no
    /// switch to a socket behind the URL's back (the library's `prefer_socket`).
    fn opts(&self, tls: Option<SslOpts>) -> Opts {
        let builder = OptsBuilder::new()
            .user(Some(&self.user))
            .pass(self.password.as_ref().map(Password::expose))
            .db_name(Some(&self.database))
            .prefer_socket(false)
            .tcp_connect_timeout(self.connect_timeout)
            .ssl_opts(tls)
            .connect_attrs(Some(std::collections::HashMap::from([(
                "program_name",
                "migrate",
            )])));
        let builder = match &self.host {
            Host::Tcp(host) => builder.ip_or_hostname(Some(host)).tcp_port(self.port),
            Host::Socket(path) => builder.socket(Some(path.display().to_string())),
        };
        Opts::from(builder)
    }
}

/// Whether the connection failed because the server offers no TLS.
fn tls_unsupported(error: &mysql::Error) -> bool {
    matches!(
        error,
        mysql::Error::DriverError(mysql::DriverError::TlsNotSupported)
    )
}

/// The server's reason for a failed connection or statement: its own message (with its
/// error number) for an error it sent, else the innermost cause (`connection refused`).
pub fn reason(error: &mysql::Error) -> String {
    use crate::dialect::reason::{clause, innermost_cause};
    use mysql::DriverError;
    match error {
        mysql::Error::MySqlError(server) => {
            format!("{} (error {})", server.message, server.code)
        }
        mysql::Error::DriverError(DriverError::CouldNotConnect(Some((_, why, _)))) => {
            clause(why.clone())
        }
        mysql::Error::DriverError(DriverError::ConnectTimeout) => {
            "timed out (connect_timeout)".to_string()
        }
        mysql::Error::DriverError(other) => clause(other.to_string()),
        mysql::Error::IoError(io) => innermost_cause(io),
        // A TLS failure comes as an I/O error of the packet codec.
        mysql::Error::CodecError(codec) => innermost_cause(codec),
        mysql::Error::TlsError(tls) => format!("TLS: {}", innermost_cause(tls)),
        other => clause(other.to_string()),
    }
}

#[cfg(test)]
mod tests;
