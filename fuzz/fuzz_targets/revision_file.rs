//! libFuzzer target: arbitrary bytes through the `revision_file` check of checks.rs.
#![no_main]

#[allow(dead_code)] // each target uses one check
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::revision_file(data));
