//! The typed errors of the library API: one variant per failure a service may handle.

use crate::engine::lock::LockTimeout;
use crate::engine::migrator::ChecksumChanged;
use crate::engine::resume::DirtyRevision;
use crate::engine::sink::ApplyError;
use crate::revision::file::ParseError;
use crate::revision::graph::GraphError;
use crate::revision::plan::PlanError;
use crate::revision::target::InvalidTarget;
use crate::settings::ConfigError;
use crate::url::UrlError;

/// An engine failure without a finer type: its message carries every context the engine
/// added ("revision 0002: cannot record its start...: the driver's message"), so it has no
/// separate `source()` to print twice.
pub struct Failure(anyhow::Error);

impl Failure {
    /// The engine's error of type `E` somewhere in the chain (a driver's error, say).
    pub fn downcast_ref<E>(&self) -> Option<&E>
    where
        E: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static,
    {
        self.0.downcast_ref()
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl std::fmt::Debug for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Failure({:#})", self.0)
    }
}

impl std::error::Error for Failure {}

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
    /// The target names no revision, is ambiguous, or cannot be reached from where the
    /// database is (the message says which, with suggestions for a mistyped name).
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The database cannot be opened or reached: the message names the database
    /// (password masked) and carries the driver's.
    #[error(transparent)]
    Connection(Failure),
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
    /// Any other failure (planning, the version table, the engine, schema.sql): the
    /// message is the CLI's, with every context.
    #[error(transparent)]
    Other(Failure),
}

impl Error {
    /// The typed error for an engine error: its own variant when its type is known and
    /// nothing was said around it, [`Error::Other`] (every context kept) otherwise.
    pub fn from_engine(error: anyhow::Error) -> Error {
        macro_rules! typed {
            ($error:ident, $($ty:ty => $variant:ident),+) => {
                $(let $error = match outermost_is::<$ty>(&$error) {
                    true => match $error.downcast::<$ty>() {
                        Ok(e) => return Error::$variant(e.into()),
                        Err(other) => other,
                    },
                    false => $error,
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
            InvalidTarget => Target,
            PlanError => Plan
        );
        Error::Other(Failure(error))
    }

    /// A failure to open or reach the database.
    pub(crate) fn connection(error: anyhow::Error) -> Error {
        Error::Connection(Failure(error))
    }

    /// The error as the CLI reports it: the engine's own error again (so that `main`
    /// finds the statement listing or the diff it prints above the error line), with
    /// every context.
    pub(crate) fn into_anyhow(self) -> anyhow::Error {
        match self {
            Error::Config(e) => e.into(),
            Error::Url(e) => e.into(),
            Error::RevisionFile(e) => (*e).into(),
            Error::RevisionGraph(e) => (*e).into(),
            Error::Target(e) => e.into(),
            Error::Plan(e) => e.into(),
            Error::LockTimeout(e) => e.into(),
            Error::Statement(e) => (*e).into(),
            Error::DirtyRevision(e) => (*e).into(),
            Error::ChangedRevision(e) => (*e).into(),
            Error::Connection(Failure(e)) | Error::Other(Failure(e)) => e,
        }
    }
}

/// Whether the outermost error of `error` is a `T`: a typed variant must not drop a
/// context the engine put around it.
fn outermost_is<T: std::error::Error + 'static>(error: &anyhow::Error) -> bool {
    error
        .chain()
        .next()
        .is_some_and(|outer| outer.downcast_ref::<T>().is_some())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_error_with_nothing_around_it_keeps_its_variant() {
        let error = anyhow::Error::new(PlanError("no revision 'x'".into()));
        assert!(matches!(Error::from_engine(error), Error::Plan(_)));
    }

    #[test]
    fn a_context_around_a_typed_error_is_kept_in_the_message() {
        let error = anyhow::Error::new(PlanError("no revision 'x'".into()))
            .context("cannot plan the downgrade");
        match Error::from_engine(error) {
            Error::Other(failure) => {
                assert_eq!(
                    failure.to_string(),
                    "cannot plan the downgrade: no revision 'x'"
                );
                assert!(failure.downcast_ref::<PlanError>().is_some());
                assert!(std::error::Error::source(&failure).is_none());
            }
            other => panic!("expected Error::Other, got {other:?}"),
        }
    }

    #[test]
    fn the_cli_gets_the_engine_error_back_with_its_context() {
        let error = anyhow::Error::new(PlanError("no revision 'x'".into()))
            .context("cannot plan the downgrade");
        let back = Error::from_engine(error).into_anyhow();
        assert_eq!(
            format!("{back:#}"),
            "cannot plan the downgrade: no revision 'x'"
        );
        let plain = Error::from_engine(anyhow::Error::new(PlanError("gone".into())));
        assert!(plain.into_anyhow().downcast_ref::<PlanError>().is_some());
    }
}
