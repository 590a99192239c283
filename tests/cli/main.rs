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
mod postgres_inspect;
mod postgres_render;
mod postgres_render_alter;
mod postgres_render_roundtrip;
mod project;
mod rebuild;
mod roundtrip;
mod roundtrip_props;
mod servers;
