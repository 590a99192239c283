//! What the server engines (PostgreSQL, MySQL/MariaDB) share about the server a run
//! connects to: where it listens, the same settings for another database (a scratch
//! database), the server's description in messages, and the key of the run-wide
//! migration lock.

use super::LockKey;
use std::path::{Path, PathBuf};

/// Where a server listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Host {
    /// A host name or IP address, over TCP (MySQL: `localhost` too, as PyMySQL does; the
    /// MySQL client would take its socket instead: say `?socket=` for that).
    Tcp(String),
    /// The server's Unix socket: PostgreSQL the directory holding it
    /// (`/var/run/postgresql`), MySQL the file (`/run/mysqld/mysqld.sock`).
    Socket(PathBuf),
}

/// An engine's connection settings, as far as they name the server and the database.
pub trait ServerSettings: Clone {
    /// The engine's name in messages (`PostgreSQL`, `MySQL/MariaDB`).
    const ENGINE: &'static str;

    /// Where the server listens.
    fn host(&self) -> &Host;
    /// The TCP port (PostgreSQL: also the number of the socket file).
    fn port(&self) -> u16;
    /// The user name.
    fn user(&self) -> &str;
    /// The database to connect to.
    fn database(&self) -> &str;
    /// The database to connect to, to change.
    fn database_mut(&mut self) -> &mut String;
    /// The path of the socket file behind `Host::Socket(path)`.
    fn socket_file(&self, path: &Path) -> String;

    /// The same settings for another database on the same server.
    fn with_database(&self, database: &str) -> Self {
        let mut settings = self.clone();
        *settings.database_mut() = database.to_string();
        settings
    }

    /// `host:port` or the socket file, for messages and lock keys.
    fn address(&self) -> String {
        match self.host() {
            Host::Tcp(host) => super::tcp_address(host, self.port()),
            Host::Socket(path) => self.socket_file(path),
        }
    }

    /// `PostgreSQL at host:port as user name`, for messages.
    fn describe(&self) -> String {
        format!(
            "{} at {} as user {}",
            Self::ENGINE,
            self.address(),
            self.user()
        )
    }

    /// Keyed by the server, the database and the version table: only runs migrating the
    /// same database on the same server contend.
    fn lock_key(&self, version_table: &str) -> LockKey {
        LockKey::on_server(self.database(), &self.address(), version_table)
    }
}

/// Implements [`ServerSettings`] for connection settings `$settings` with fields `host`
/// (a [`Host`]), `port`, `user` and `database`: `impl_server_settings!(ConnectSettings,
/// "PostgreSQL", |settings, path| <the socket file of directory path>)`.
macro_rules! impl_server_settings {
    ($settings:ty, $engine:literal, |$this:ident, $path:ident| $socket_file:expr) => {
        impl $crate::dialect::server::ServerSettings for $settings {
            const ENGINE: &'static str = $engine;

            fn host(&self) -> &$crate::dialect::server::Host {
                &self.host
            }
            fn port(&self) -> u16 {
                self.port
            }
            fn user(&self) -> &str {
                &self.user
            }
            fn database(&self) -> &str {
                &self.database
            }
            fn database_mut(&mut self) -> &mut String {
                &mut self.database
            }
            fn socket_file(&self, $path: &std::path::Path) -> String {
                let $this = self;
                $socket_file
            }
        }
    };
}
pub(crate) use impl_server_settings;
