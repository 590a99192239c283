//! The one integration-test binary: drives the real `migrate` executable in temp dirs.

mod apply;
mod autogenerate;
mod cases;
mod commands;
mod concurrency;
mod errors;
mod fuzz;
mod model_round_trip;
mod project;
mod roundtrip;
mod roundtrip_props;
