//! libFuzzer target: arbitrary bytes through the `url` check of checks.rs.
#![no_main]

#[allow(dead_code)] // each target uses one check
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::url(data));
