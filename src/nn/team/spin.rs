//! How a team's threads wait for each other: spinning first, since a hand-off must take well
//! under a microsecond, then yielding, so that an oversubscribed machine still makes progress.

use std::hint::spin_loop;
use std::time::{Duration, Instant};

/// How long a waiting thread of a team spins before it gives its processor up at each check.
/// Longer than the serial stretches of an MNIST batch (tens of µs between two of its splits):
/// a helper that yields there loses its core to any other runnable process for a scheduler
/// slice and misses the splits that follow (it did after 1024 pauses, which last only 9–13 ns
/// each on the 2-vCPU Xeon `bench` ran on: most of a batch's parts went back to the leader).
pub(super) const SPIN: Duration = Duration::from_micros(200);

/// A waiting thread's back-off: pause instructions for [`SPIN`] (a hand-off then takes well
/// under a microsecond), then the processor given up at each check, so that on an
/// oversubscribed machine a spinning thread does not keep the one it waits for off its core.
pub(super) struct Spin {
    waits: u32,
    since: Option<Instant>,
}

impl Spin {
    pub(super) fn new() -> Self {
        Self {
            waits: 0,
            since: None,
        }
    }

    /// One wait; true if it gave the processor up.
    pub(super) fn wait(&mut self) -> bool {
        self.waits = self.waits.saturating_add(1);
        // The clock is read only once a wait outlasts a few hundred pauses.
        if self.waits < 256 || self.since.get_or_insert_with(Instant::now).elapsed() < SPIN {
            spin_loop();
            return false;
        }
        std::thread::yield_now();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A waiting thread keeps its processor for [`SPIN`] at least (across a batch's serial
    /// stretches), and gives it up after that.
    #[test]
    fn a_waiting_thread_spins_for_its_whole_budget_then_yields() {
        let started = Instant::now();
        let mut spin = Spin::new();
        let mut waits = 0u64;
        while !spin.wait() {
            waits += 1;
        }
        assert!(started.elapsed() >= SPIN, "yielded after {waits} waits");
        assert!(spin.wait(), "keeps yielding once past its budget");
    }
}
