//! The typed errors of the library API: one variant per failure a service may handle.

use crate::engine::lock::LockTimeout;
use crate::engine::migrator::ChecksumChanged;
use crate::engine::resume::DirtyRevision;
use crate::engine::sink::ApplyError;
use crate::revision::file::ParseError;
use crate::revision::graph::GraphError;
use crate::revision::target::InvalidTarget;
use crate::settings::ConfigError;
use crate::url::UrlError;

/// An error of the engine kept as the source of an [`Error`] without a finer type yet.
pub type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a migration run (or a read of the version table) failed.
///
/// The messages are the CLI's own; the variants carry what a service may act on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The config file cannot be read or is invalid (the message names key and line).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The database URL given to [`super::Migrations::migrator_for`] is invalid.
    #[error(transparent)]
    Url(#[from] UrlError),
    /// A revision file cannot be read or parsed (file and line in the error).
    #[error(transparent)]
    RevisionFile(#[from] Box<ParseError>),
    /// The revision files do not form a valid graph (duplicate id, unknown parent, cycle).
    #[error(transparent)]
    RevisionGraph(#[from] Box<GraphError>),
    /// The target does not parse (`head`, `base`, an id, `+N`, `LABEL@head`...).
    #[error(transparent)]
    Target(#[from] InvalidTarget),
    /// The database cannot be opened or reached.
    #[error("{message}")]
    Connection {
        /// The engine's message, naming the database (password masked).
        message: String,
        /// The driver's error.
        #[source]
        source: Source,
    },
    /// Another run held the migration lock for longer than the lock timeout.
    #[error(transparent)]
    LockTimeout(#[from] LockTimeout),
    /// A statement failed: [`ApplyError`] names the revision, `file:line` and statement.
    #[error(transparent)]
    Statement(#[from] Box<ApplyError>),
    /// A revision was left part way by an earlier run and may not be resumed.
    #[error(transparent)]
    DirtyRevision(#[from] Box<DirtyRevision>),
    /// Applied revisions changed on disk (or in the binary) since they were applied.
    #[error(transparent)]
    ChangedRevision(#[from] Box<ChecksumChanged>),
    /// Any other failure (planning, the version table, the engine): the message is the
    /// CLI's, the engine's error is the source.
    #[error("{message}")]
    Other {
        /// The engine's message with its context.
        message: String,
        /// The engine's error.
        #[source]
        source: Source,
    },
}

impl Error {
    /// The typed error for an engine error: its own variant when its type is known,
    /// [`Error::Other`] (source kept) otherwise.
    pub fn from_engine(error: anyhow::Error) -> Error {
        macro_rules! typed {
            ($error:ident, $($ty:ty => $variant:ident),+) => {
                $(let $error = match $error.downcast::<$ty>() {
                    Ok(e) => return Error::$variant(e.into()),
                    Err(other) => other,
                };)+
            };
        }
        typed!(error,
            LockTimeout => LockTimeout,
            ApplyError => Statement,
            DirtyRevision => DirtyRevision,
            ChecksumChanged => ChangedRevision,
            GraphError => RevisionGraph,
            ParseError => RevisionFile,
            ConfigError => Config,
            InvalidTarget => Target
        );
        Error::Other {
            message: format!("{error:#}"),
            source: error.into(),
        }
    }

    /// A failure to open or reach the database.
    pub(crate) fn connection(error: anyhow::Error) -> Error {
        Error::Connection {
            message: format!("{error:#}"),
            source: error.into(),
        }
    }
}

/// `?` on the engine's own error types: the large ones are boxed, so that `Result<_, Error>`
/// stays small.
macro_rules! boxed_from {
    ($($ty:ty => $variant:ident),+) => {
        $(impl From<$ty> for Error {
            fn from(error: $ty) -> Error {
                Error::$variant(Box::new(error))
            }
        })+
    };
}

boxed_from!(
    ParseError => RevisionFile,
    GraphError => RevisionGraph,
    ApplyError => Statement,
    DirtyRevision => DirtyRevision,
    ChecksumChanged => ChangedRevision
);
