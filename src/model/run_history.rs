//! One run's history as the session reduced it: every epoch's figures, its curves, its
//! learning-rate changes, its latest weights and predictions.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::HealthHistory;
use crate::train::{Contender, EpochReport, RunSummary, Snapshot};

/// One epoch's figures, exactly as reported.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpochMetrics {
    /// Epochs completed, counting from 1.
    pub epoch: u32,
    /// The lab's full training-set loss; `null` once diverged (it is not a number then).
    pub loss: Option<f64>,
    /// Fraction of training images classified correctly.
    pub train_acc: f64,
    /// Fraction of test images classified correctly.
    pub test_acc: f64,
    /// The run diverged at this epoch (always its last).
    pub diverged: bool,
    /// The weight-decay term after the epoch, with weight decay on (absent in files without).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<f64>,
}

impl From<&EpochReport> for EpochMetrics {
    fn from(report: &EpochReport) -> Self {
        Self {
            epoch: report.epoch,
            loss: (!report.diverged).then_some(report.loss),
            train_acc: report.train_acc,
            test_acc: report.test_acc,
            diverged: report.diverged,
            penalty: report.penalty,
        }
    }
}

/// A learning-rate change, placed where a chart marks it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearningRateChange {
    /// The last epoch trained with the previous rate: epochs `1..=after_epoch` used the old
    /// rate, epoch `after_epoch + 1` onwards the new one. 0 means from the first epoch on.
    pub after_epoch: u32,
    /// The new rate.
    pub lr: f64,
}

impl LearningRateChange {
    /// The rate epoch `epoch` (1-based) trained with, given a run's `changes` (by increasing
    /// `after_epoch`) and the rate it started with: the definition of `after_epoch` in code.
    pub(crate) fn rate_at(changes: &[Self], epoch: u32, initial: f64) -> f64 {
        (changes.iter())
            .take_while(|c| c.after_epoch < epoch)
            .last()
            .map_or(initial, |c| c.lr)
    }
}

/// One run's history as far as it got.
#[derive(Clone, Debug)]
pub struct RunHistory {
    /// Who trains.
    pub contender: Contender,
    /// Every epoch's figures, from epoch 1.
    pub epochs: Vec<EpochMetrics>,
    /// Live learning-rate changes by increasing `after_epoch`; two that took effect after the
    /// same epoch are one (only the last trained anything).
    pub lr_changes: Vec<LearningRateChange>,
    /// No further epoch will come (done, stopped early, or diverged).
    pub ended: bool,
    /// Running figures and the final-table row.
    pub summary: RunSummary,
    /// The latest predicted label per test image.
    pub predictions: Option<Arc<[u8]>>,
    /// The latest weights, while something watches them.
    pub snapshot: Option<Arc<Snapshot>>,
    /// Batches done and in all of a long epoch under way (`None` between epochs, and for
    /// epochs shorter than one slice of work).
    pub in_epoch: Option<(usize, usize)>,
    /// The epochs as charts plot them; kept beside `epochs` because ratatui's charts borrow
    /// their points as slices.
    pub curves: Curves,
    /// Each epoch's layer health, from epoch 1, when the session watches it (lab runs only).
    pub health: HealthHistory,
}

/// `(epoch, value)` points of every epoch with figures: a diverged epoch has none, so the
/// curves end at the last real epoch instead of drawing a non-number as data.
#[derive(Clone, Debug, Default)]
pub struct Curves {
    /// log10 of the loss (ratatui's `Chart` has no log axis).
    pub log_loss: Vec<(f64, f64)>,
    /// Training accuracy.
    pub train_acc: Vec<(f64, f64)>,
    /// Test accuracy.
    pub test_acc: Vec<(f64, f64)>,
}

impl Curves {
    /// Adds an epoch's points (none for a diverged epoch: its figures are not a network's).
    pub(super) fn push(&mut self, report: &EpochReport) {
        if report.diverged {
            return;
        }
        let x = f64::from(report.epoch);
        (self.log_loss).push((x, report.loss.max(f64::MIN_POSITIVE).log10()));
        self.train_acc.push((x, report.train_acc));
        self.test_acc.push((x, report.test_acc));
    }
}

impl RunHistory {
    pub(super) fn new(contender: Contender) -> Self {
        Self {
            contender,
            epochs: Vec::new(),
            lr_changes: Vec::new(),
            ended: false,
            summary: RunSummary::new(contender),
            predictions: None,
            snapshot: None,
            in_epoch: None,
            curves: Curves::default(),
            health: HealthHistory::default(),
        }
    }

    /// The rate epoch `epoch` (1-based) trained with, given the rate the run started with
    /// ([`LearningRateChange::rate_at`]).
    #[cfg(test)]
    pub(crate) fn learning_rate_at(&self, epoch: u32, initial: f64) -> f64 {
        LearningRateChange::rate_at(&self.lr_changes, epoch, initial)
    }

    /// The rate in force now: the last live change, if any (the lab runs' only; the baseline
    /// keeps scikit-learn's).
    pub(crate) fn lr(&self, initial: f64) -> f64 {
        self.lr_changes.last().map_or(initial, |c| c.lr)
    }

    /// True once the run diverged.
    pub(crate) fn diverged(&self) -> bool {
        self.summary.diverged_at.is_some()
    }

    pub(super) fn learning_rate_changed(&mut self, after_epoch: u32, lr: f64) {
        let change = LearningRateChange { after_epoch, lr };
        match (self.lr_changes).binary_search_by_key(&after_epoch, |c| c.after_epoch) {
            Ok(i) => self.lr_changes[i] = change,
            Err(i) => self.lr_changes.insert(i, change),
        }
    }
}
