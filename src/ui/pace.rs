//! The pace: the speed asked of the session, the ladder `[`/`]` move along, and the samples
//! behind the epochs/s figure.

use std::time::Duration;

use crate::engine::Speed;

/// The speed ladder `[`/`]` move along, in epochs per second; past the top is "unlimited".
pub(crate) const SPEED_LADDER: [f64; 9] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0];

/// How far back the epochs/s figure looks.
const WINDOW: Duration = Duration::from_secs(2);

/// The ladder's first rung as the status bar names it: `1 epoch/s`.
pub(crate) fn slowest_text() -> String {
    format!("{} epoch/s", SPEED_LADDER[0])
}

/// The ladder as the help names it, from its first rung: what `[`/`]` reach.
pub(crate) fn ladder_text() -> String {
    format!("{} up to unlimited", slowest_text())
}

/// The speed the session was asked for, and recent progress for the epochs/s figure.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Pace {
    /// Current pace.
    speed: Speed,
    /// Recent `(elapsed, progress)` samples, oldest first, none older than [`WINDOW`].
    samples: Vec<(Duration, f64)>,
}

impl Pace {
    /// Starting at `speed`, with no samples.
    pub(crate) fn new(speed: Speed) -> Self {
        Self {
            speed,
            samples: Vec::new(),
        }
    }

    /// Current pace.
    pub(crate) fn speed(&self) -> Speed {
        self.speed
    }

    /// Moves one rung slower or faster; `Some` with the new speed if it changed.
    pub(crate) fn step(&mut self, faster: bool) -> Option<Speed> {
        let next = match (self.speed, faster) {
            (Speed::Unlimited, true) => Speed::Unlimited,
            (Speed::Unlimited, false) => Speed::PerSecond(SPEED_LADDER[SPEED_LADDER.len() - 1]),
            (Speed::PerSecond(now), true) => SPEED_LADDER
                .iter()
                .find(|&&s| s > now)
                .map_or(Speed::Unlimited, |&s| Speed::PerSecond(s)),
            (Speed::PerSecond(now), false) => Speed::PerSecond(
                SPEED_LADDER
                    .iter()
                    .rev()
                    .find(|&&s| s < now)
                    .copied()
                    .unwrap_or(SPEED_LADDER[0]),
            ),
        };
        (next != self.speed).then(|| {
            self.speed = next;
            next
        })
    }

    /// Notes `progress` epochs (a fraction within a long epoch) at `elapsed`, forgetting
    /// samples past the window.
    pub(crate) fn sample(&mut self, elapsed: Duration, progress: f64) {
        self.samples.push((elapsed, progress));
        while (self.samples.first()).is_some_and(|s| elapsed.saturating_sub(s.0) > WINDOW) {
            self.samples.remove(0);
        }
    }

    /// Forgets the samples (a new generation counts from zero).
    pub(crate) fn clear(&mut self) {
        self.samples.clear();
    }

    /// Epochs per second over the last few seconds.
    pub(crate) fn epochs_per_second(&self) -> Option<f64> {
        let (first, last) = (self.samples.first()?, self.samples.last()?);
        let dt = last.0.checked_sub(first.0)?.as_secs_f64();
        (dt > 0.2).then(|| (last.1 - first.1).max(0.0) / dt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_stops_at_both_ends() {
        let mut pace = Pace::new(Speed::Unlimited);
        assert_eq!(pace.step(true), None);
        assert_eq!(pace.step(false), Some(Speed::PerSecond(500.0)));
        for _ in 0..20 {
            pace.step(false);
        }
        assert_eq!(pace.speed(), Speed::PerSecond(1.0));
        assert_eq!(pace.step(false), None);
        assert_eq!(pace.step(true), Some(Speed::PerSecond(2.0)));
    }

    #[test]
    fn epochs_per_second_counts_the_last_two_seconds() {
        let mut pace = Pace::new(Speed::Unlimited);
        assert_eq!(pace.epochs_per_second(), None);
        for s in 0..=4 {
            pace.sample(Duration::from_secs(s), 10.0 * s as f64);
        }
        // Samples at 2, 3 and 4 s remain: 20 epochs in 2 s.
        assert_eq!(pace.epochs_per_second(), Some(10.0));
        pace.clear();
        assert_eq!(pace.epochs_per_second(), None);
    }

    #[test]
    fn the_help_names_the_ladder_it_climbs() {
        assert_eq!(ladder_text(), "1 epoch/s up to unlimited");
    }
}
