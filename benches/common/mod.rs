//! What the benchmarks share: timing a piece of work.

use std::time::{Duration, Instant};

/// The shortest of `runs` timings of `f`.
pub fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}
