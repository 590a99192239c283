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
mod postgres_apply;
mod postgres_connect;
mod postgres_inspect;
mod postgres_lock;
mod postgres_lock_pooler;
mod postgres_lock_runs;
mod postgres_objects;
mod postgres_scratch;
mod project;
mod rebuild;
mod roundtrip;
mod roundtrip_props;
mod servers;
