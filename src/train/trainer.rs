//! What fills one slot of a session: a lab optimizer's [`LabTrainer`] or the scikit-learn
//! [`Baseline`]. The session schedules both the same way; only these few calls differ.

use std::sync::Arc;

use crate::data::Dataset;
use crate::nn::OptimizerKind;

use std::time::Duration;

use super::{Baseline, Contender, EpochReport, LabTrainer, Progress, Settings, Snapshot};

/// A run of either kind.
pub enum Trainer {
    /// One of the lab's optimizers on the lab's network.
    Lab(LabTrainer),
    /// `MLPClassifier`'s recipe.
    Baseline(Baseline),
}

impl Trainer {
    /// A fresh run of `contender` from `settings.seed`. The baseline takes the seed as its
    /// `random_state`, `settings.epochs` as its `max_iter` and `settings.activation` as its
    /// `activation`; its other settings are scikit-learn's, as in the lab's call (its `alpha`
    /// stays its own L2 term, and its initialisation its own).
    pub fn new(contender: Contender, settings: &Settings, data: Arc<Dataset>) -> Self {
        match contender.optimizer() {
            Some(kind) => Self::Lab(LabTrainer::new(kind, settings, data)),
            None => Self::Baseline(baseline(settings, data)),
        }
    }

    /// A fresh run like [`new`](Self::new) at learning rate `lr` instead of the settings' own:
    /// a lab optimizer's step size, or the baseline's `learning_rate_init` (which otherwise
    /// keeps scikit-learn's 0.01 whatever `--lr` says). What a learning-rate sweep trains.
    pub fn at_rate(contender: Contender, settings: &Settings, lr: f64, data: Arc<Dataset>) -> Self {
        match contender.optimizer() {
            Some(kind) => {
                let mut at_rate = settings.clone();
                at_rate.hyper.lr = lr;
                Self::Lab(LabTrainer::new(kind, &at_rate, data))
            }
            None => Self::Baseline(baseline(settings, data).with_learning_rate_init(lr)),
        }
    }

    /// The lab's chain protocol: a lab run for `kind` that continues from this one's weights,
    /// optimizer state and random stream. `None` for the baseline, which never chains.
    pub fn continue_as(&self, kind: OptimizerKind, settings: &Settings) -> Option<Self> {
        match self {
            Self::Lab(run) => Some(Self::Lab(run.continue_as(kind, settings))),
            Self::Baseline(_) => None,
        }
    }

    /// The weights as they stand, frozen for a view.
    pub fn snapshot(&self) -> Snapshot {
        match self {
            Self::Lab(run) => Snapshot::Lab(run.network().clone()),
            Self::Baseline(b) => Snapshot::Baseline(b.snapshot()),
        }
    }

    /// Trains one epoch and reports it.
    pub fn train_epoch(&mut self) -> EpochReport {
        match self {
            Self::Lab(run) => run.train_epoch(),
            Self::Baseline(b) => b.train_epoch(),
        }
    }

    /// Trains until `budget` has passed or the epoch ends (see [`LabTrainer::train_for`]).
    pub fn train_for(&mut self, budget: Duration) -> Progress {
        match self {
            Self::Lab(run) => run.train_for(budget),
            Self::Baseline(b) => b.train_for(budget),
        }
    }

    /// Epochs completed.
    pub fn epoch(&self) -> u32 {
        match self {
            Self::Lab(run) => run.epoch(),
            Self::Baseline(b) => b.n_iter(),
        }
    }

    /// True when no further epoch should run: `epochs` reached, or the baseline's own stopping
    /// rule fired.
    pub fn is_done(&self, epochs: u32) -> bool {
        match self {
            Self::Lab(run) => run.epoch() >= epochs,
            Self::Baseline(b) => b.is_done(),
        }
    }

    /// Changes a lab run's learning rate from its next batch on. The baseline keeps
    /// scikit-learn's constant rate; returns false for it.
    pub fn set_learning_rate(&mut self, lr: f64) -> bool {
        match self {
            Self::Lab(run) => {
                run.set_learning_rate(lr);
                true
            }
            Self::Baseline(_) => false,
        }
    }
}

/// The baseline `settings` describe: scikit-learn's recipe with the seed as `random_state`,
/// the epochs as `max_iter` and the activation.
fn baseline(settings: &Settings, data: Arc<Dataset>) -> Baseline {
    Baseline::activated(settings.seed, data, settings.activation).with_max_iter(settings.epochs)
}
