//! Engines: the pure `Dialect` (quoting, lexing, capabilities) and the `Driver` that talks to
//! a live database.

/// The database engines `migrate` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Engine {
    Sqlite,
    Postgres,
    Mysql,
}
