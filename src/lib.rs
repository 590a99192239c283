//! `migrate`: schema migrations for SQLite, PostgreSQL and MySQL/MariaDB in the style of
//! Alembic, as one binary.
#![deny(unsafe_code)]

pub mod api;
pub mod app;
pub mod autogen;
pub mod cli;
pub mod dialect;
pub mod diff;
pub mod echo;
pub mod engine;
pub mod revision;
pub mod schema;
pub mod settings;
pub mod sql;
pub mod style;
pub mod url;

pub use api::{
    check_embedded, Applied, Check, Direction, Error, Failure, Generated, Migrations, Migrator,
    Status,
};
