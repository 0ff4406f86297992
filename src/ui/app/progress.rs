//! How fast training goes, as the status bar says it: epochs trained so far, epochs per
//! second over the last few seconds, and the time left at that pace.

use std::time::Duration;

use crate::model::RunHistory;
use crate::train::Protocol;

use super::{App, RunState};

impl App {
    /// Epochs trained so far per lab run at a time, a long epoch's batches as its fraction:
    /// what epochs/s counts (an epoch of 60 000 images takes seconds, so whole epochs alone
    /// read `0 epochs/s`). The chain's stages add up, so the figure stays steady when a new
    /// stage starts.
    pub(super) fn progress(&self) -> f64 {
        let lab = (self.runs().iter()).filter(|r| r.contender.optimizer().is_some());
        let within = |r: &RunHistory| r.in_epoch.map_or(0.0, |(d, t)| d as f64 / t.max(1) as f64);
        let total: f64 = (lab.clone())
            .map(|r| f64::from(r.summary.epochs) + within(r))
            .sum();
        match self.settings().protocol {
            Protocol::Chain => total,
            Protocol::Fair => total / lab.count().max(1) as f64,
        }
    }

    /// Epochs per second over the last few seconds, while running: a pause or the end has no
    /// pace, and the last one measured would read as if training went on.
    pub(crate) fn epochs_per_second(&self) -> Option<f64> {
        (self.state == RunState::Running)
            .then(|| self.pace.epochs_per_second())
            .flatten()
    }

    /// Roughly how long training has left at the recent pace, while running (every run
    /// trained to its last epoch; early stops and divergences only shorten it).
    pub(crate) fn time_left(&self) -> Option<Duration> {
        let rate = self.epochs_per_second().filter(|&r| r > 0.0)?;
        let stages = match self.settings().protocol {
            Protocol::Chain => (self.runs().iter())
                .filter(|r| r.contender.optimizer().is_some())
                .count(),
            Protocol::Fair => 1,
        };
        let goal = f64::from(self.settings().epochs) * stages as f64;
        Some(Duration::from_secs_f64(
            (goal - self.progress()).max(0.0) / rate,
        ))
    }
}
