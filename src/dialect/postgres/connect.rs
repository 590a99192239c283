//! Connecting to PostgreSQL from a `postgres://` URL: the URL's parts and libpq's query
//! parameters mapped to a client configuration, TLS as libpq's `sslmode` means it, and
//! errors that name the server and user but never the password.
//!
//! TLS stack: rustls with the *ring* provider, through `tokio-postgres-rustls`. It is
//! maintained, needs no OpenSSL at build or run time (the binary stays portable across
//! distributions), and, unlike rustls's default aws-lc provider, needs no cmake or C++
//! toolchain to build. Roots come from `sslrootcert` or, without it, the Mozilla roots
//! compiled in (`webpki-roots`), so no system certificate store is read.

use crate::dialect::password::Password;
pub use crate::dialect::server::Host;
use crate::dialect::server::{impl_server_settings, ServerSettings};
use crate::url::ServerUrl;
use anyhow::{Context, Result};
use postgres::Client;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// libpq's `sslmode`, with libpq's meanings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    /// Plain connection only.
    Disable,
    /// TLS when the server offers it, else plain (the default).
    Prefer,
    /// TLS or nothing; the certificate is not checked unless `sslrootcert` is given
    /// (then as `verify-ca`).
    Require,
    /// TLS with a certificate chain to a trusted root; the host name is not checked.
    VerifyCa,
    /// TLS with a trusted chain and a certificate for the host name.
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Option<SslMode> {
        match value {
            "disable" => Some(SslMode::Disable),
            "prefer" => Some(SslMode::Prefer),
            "require" => Some(SslMode::Require),
            "verify-ca" => Some(SslMode::VerifyCa),
            "verify-full" => Some(SslMode::VerifyFull),
            _ => None,
        }
    }
}

/// The query parameters a URL may carry (libpq's names).
const KNOWN_PARAMS: &[&str] = &[
    "host",
    "port",
    "user",
    "password",
    "dbname",
    "sslmode",
    "sslrootcert",
    "application_name",
    "connect_timeout",
];

/// The default `application_name`, so that `pg_stat_activity` shows who is connected.
pub const DEFAULT_APPLICATION_NAME: &str = "migrate";

/// Everything needed to open a connection. `Debug` never shows the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectSettings {
    /// The host or socket directory.
    pub host: Host,
    /// The TCP port (or the socket file's number); 5432 by default.
    pub port: u16,
    /// The user name; the URL's, else `$USER`.
    pub user: String,
    password: Option<Password>,
    /// The database to connect to.
    pub database: String,
    /// How TLS is used.
    pub ssl_mode: SslMode,
    /// `sslrootcert`: a PEM file of trusted roots, or `system` for the compiled-in roots.
    pub root_cert: Option<PathBuf>,
    /// The session's `application_name` (default `migrate`).
    pub application_name: String,
    /// How long connecting may take; `None` waits as long as the network does.
    pub connect_timeout: Option<Duration>,
}

impl_server_settings!(ConnectSettings, "PostgreSQL", |settings, path| format!(
    "{}/.s.PGSQL.{}",
    path.display(),
    settings.port
));

impl ConnectSettings {
    /// The settings a parsed URL gives; an unknown or malformed query parameter is an
    /// error naming it. Query parameters override the URL's parts, as in libpq.
    pub fn from_url(url: &ServerUrl) -> Result<ConnectSettings> {
        let mut settings = ConnectSettings {
            host: host_of(&url.host),
            port: url.port.unwrap_or(5432),
            user: url
                .user
                .clone()
                .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
                .unwrap_or_else(|| "postgres".to_string()),
            password: url.password.clone().map(Password::new),
            database: url.database.clone(),
            ssl_mode: SslMode::Prefer,
            root_cert: None,
            application_name: DEFAULT_APPLICATION_NAME.to_string(),
            connect_timeout: None,
        };
        for (key, value) in &url.params {
            let bad = |expected: &str| {
                anyhow::anyhow!(
                    "invalid value {} for PostgreSQL URL parameter {key} (expected {expected})",
                    if crate::url::is_secret_param(key) {
                        crate::url::MASK.to_string()
                    } else {
                        crate::echo::quote(value)
                    }
                )
            };
            match key.as_str() {
                "host" => settings.host = host_of(value),
                "port" => {
                    settings.port = value
                        .parse()
                        .ok()
                        .filter(|&p| p != 0)
                        .ok_or_else(|| bad("a port from 1 to 65535"))?
                }
                "user" => settings.user = value.clone(),
                "password" => settings.password = Some(Password::new(value.clone())),
                "dbname" => settings.database = value.clone(),
                "sslmode" => {
                    settings.ssl_mode = SslMode::parse(value)
                        .ok_or_else(|| bad("disable, prefer, require, verify-ca or verify-full"))?
                }
                "sslrootcert" => settings.root_cert = Some(PathBuf::from(value)),
                "application_name" => settings.application_name = value.clone(),
                "connect_timeout" => {
                    let seconds: u64 = value.parse().map_err(|_| bad("a number of seconds"))?;
                    // libpq: zero (or negative) means wait indefinitely.
                    settings.connect_timeout =
                        (seconds > 0).then(|| Duration::from_secs(seconds.max(2)));
                }
                other => anyhow::bail!(
                    "unknown PostgreSQL URL parameter {} (known: {})",
                    crate::echo::quote(other),
                    KNOWN_PARAMS.join(", ")
                ),
            }
        }
        if settings.password.is_none() {
            // libpq's fallbacks, so that a URL without a password works as it does in psql.
            let host = match &settings.host {
                Host::Tcp(host) => host.as_str(),
                Host::Socket(_) => "localhost",
            };
            settings.password =
                pgpass::lookup(host, settings.port, &settings.database, &settings.user)
                    .map(Password::new);
        }
        if matches!(settings.host, Host::Socket(_)) && settings.ssl_mode > SslMode::Prefer {
            anyhow::bail!(
                "sslmode={} cannot be used with a Unix socket host (TLS runs over TCP only)",
                settings.ssl_mode.name()
            );
        }
        Ok(settings)
    }

    /// Opens a connection; the error names the server, the user and the server's reason.
    pub fn connect(&self) -> Result<Client> {
        let config = self.client_config();
        let connected = if self.ssl_mode == SslMode::Disable {
            config.connect(postgres::NoTls)
        } else {
            let tls = self
                .tls_config()
                .with_context(|| format!("cannot connect to {}", self.describe()))?;
            config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
        };
        connected
            .map_err(|e| anyhow::anyhow!("cannot connect to {}: {}", self.describe(), reason(&e)))
    }

    /// The client library's configuration.
    fn client_config(&self) -> postgres::Config {
        let mut config = postgres::Config::new();
        match &self.host {
            Host::Tcp(host) => config.host(host),
            Host::Socket(dir) => config.host_path(dir),
        };
        config
            .port(self.port)
            .user(&self.user)
            .dbname(&self.database)
            .application_name(&self.application_name)
            .ssl_mode(match self.ssl_mode {
                SslMode::Disable => postgres::config::SslMode::Disable,
                SslMode::Prefer => postgres::config::SslMode::Prefer,
                _ => postgres::config::SslMode::Require,
            });
        if let Some(password) = &self.password {
            config.password(password.expose());
        }
        if let Some(timeout) = self.connect_timeout {
            config.connect_timeout(timeout);
        }
        config
    }

    /// The rustls configuration for the `sslmode`: the chain is checked for `verify-ca`
    /// and `verify-full` (and for `require`/`prefer` when `sslrootcert` is given, as
    /// libpq does), the host name for `verify-full` only.
    fn tls_config(&self) -> Result<rustls::ClientConfig> {
        // Deprecated in rustls 0.23.48 only because ring has no post-quantum key exchange;
        // the aws-lc provider that has one needs cmake and a C toolchain to build.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .context("cannot set up TLS")?;
        let check_chain = matches!(self.ssl_mode, SslMode::VerifyCa | SslMode::VerifyFull)
            || self.root_cert.is_some();
        let config = if !check_chain {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Unverified(provider)))
        } else {
            let roots = Arc::new(self.roots()?);
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider)
                .build()
                .context("cannot set up TLS certificate verification")?;
            if self.ssl_mode == SslMode::VerifyFull {
                builder.with_webpki_verifier(webpki)
            } else {
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(ChainOnly(webpki)))
            }
        };
        Ok(config.with_no_client_auth())
    }

    /// The trusted roots: the certificates of the `sslrootcert` file, or the compiled-in
    /// Mozilla roots (without it, or with `sslrootcert=system`).
    fn roots(&self) -> Result<RootCertStore> {
        let mut roots = RootCertStore::empty();
        match &self.root_cert {
            Some(path) if path.as_os_str() != "system" => {
                let shown = path.display();
                let certificates = CertificateDer::pem_file_iter(path)
                    .with_context(|| format!("cannot read sslrootcert file {shown}"))?
                    .collect::<Result<Vec<_>, _>>()
                    .with_context(|| format!("cannot read sslrootcert file {shown}"))?;
                if certificates.is_empty() {
                    anyhow::bail!("sslrootcert file {shown} holds no PEM certificate");
                }
                for certificate in certificates {
                    roots.add(certificate).with_context(|| {
                        format!("sslrootcert file {shown} holds an invalid certificate")
                    })?;
                }
            }
            _ => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        Ok(roots)
    }
}

impl SslMode {
    /// The mode's name in URLs.
    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

impl PartialOrd for SslMode {
    /// Ordered by how much they demand, `disable` least.
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some((*self as u8).cmp(&(*other as u8)))
    }
}

/// A socket directory for an absolute path (libpq's rule), else a TCP host.
fn host_of(host: &str) -> Host {
    if host.starts_with('/') {
        Host::Socket(PathBuf::from(host))
    } else {
        Host::Tcp(host.to_string())
    }
}

/// The server's reason for a failed connection or statement: its own message for an
/// error it sent, else the innermost cause (`connection refused`), without the
/// `(os error N)` suffix.
pub fn reason(error: &postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return super::driver::server_message(db);
    }
    crate::dialect::reason::innermost_cause(error)
}

/// Accepts any certificate (`sslmode=require` without `sslrootcert`, like libpq): the
/// connection is encrypted against eavesdropping, not authenticated. Signatures are still
/// checked, so the handshake proves the server holds the certificate's key.
#[derive(Debug)]
struct Unverified(Arc<CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `sslmode=verify-ca`: the chain must lead to a trusted root, the name may be any.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

mod pgpass;

#[cfg(test)]
mod tests;
