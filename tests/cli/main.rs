//! The one integration-test binary: drives the real `migrate` executable in temp dirs.

mod alembic;
mod apply;
mod autogenerate;
mod cases;
mod check;
mod commands;
mod concurrency;
mod errors;
mod fuzz;
mod model_round_trip;
mod oracle;
mod pg_oracle;
mod postgres_apply;
mod postgres_cases;
mod postgres_connect;
mod postgres_scratch;
mod project;
mod rebuild;
mod roundtrip;
mod roundtrip_props;
mod servers;
