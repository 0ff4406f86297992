//! The job list of `compare` and `sweep`: which runs there are (seed, value of what is swept,
//! stages), in a deterministic order that [`Shard`]s slice, and how each run ended.

use serde::{Deserialize, Serialize};

use super::grid::{Grid, Value};
use crate::train::{Contender, Protocol, Settings};

/// How one (seed, contender) run ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct SeedResult {
    /// The seed the run started from (under the chain protocol: the chain's seed).
    pub seed: u32,
    /// Who trained.
    pub optimizer: Contender,
    /// What a sweep trained this run at, e.g. `"lr": 0.01` (the baseline's
    /// `learning_rate_init`) or `"init": "he"`; absent when the run used the settings as they
    /// are, so `compare`'s output has no such key.
    #[serde(flatten)]
    pub at: Option<Value>,
    /// Epochs trained (the baseline stops early; 0 for a chain stage that never started).
    pub epochs: u32,
    /// Test accuracy after the last epoch; `None` for a chain stage that never started.
    pub test_acc: Option<f64>,
    /// Loss after the last epoch; `None` if the run diverged or never started.
    pub final_loss: Option<f64>,
    /// True when the loss or a weight stopped being finite; the run ended there.
    pub diverged: bool,
    /// The first epoch after which every training image was classified right.
    pub perfect_train_epoch: Option<u32>,
}

impl SeedResult {
    /// A run with no epochs yet: where every result starts, and what a chain stage after a
    /// diverged one reports (there are no weights to continue from).
    pub(crate) fn unstarted(seed: u32, optimizer: Contender) -> Self {
        Self {
            seed,
            optimizer,
            at: None,
            epochs: 0,
            test_acc: None,
            final_loss: None,
            diverged: false,
            perfect_train_epoch: None,
        }
    }
}

/// A run whose worker panicked: which one, and what the panic said.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} on seed {seed}: {message}", optimizer.label())]
pub(crate) struct Failure {
    /// The seed of the failed run.
    pub seed: u32,
    /// The contender that was training.
    pub optimizer: Contender,
    /// The panic's message.
    pub message: String,
}

/// What the result channel carries: a finished run, or a run whose worker panicked (the job's
/// later chain stages then never report; other jobs carry on).
pub(crate) type Outcome = Result<SeedResult, Failure>;

/// The seeds `compare --seeds n` trains: `first`, `first + 1`, …, so the default starts at the
/// lab's 7 and seed 7's runs are the ones the dashboard shows. `None` if they would pass
/// `u32::MAX`, the largest seed numpy accepts.
pub(crate) fn seeds(first: u32, n: u32) -> Option<Vec<u32>> {
    let last = first.checked_add(n.checked_sub(1)?)?;
    Some((first..=last).collect())
}

/// One seed's stages, trained one after another, at one value of what is swept.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// The seed every stage's run starts from.
    pub seed: u32,
    /// The value of what is swept, or `None` for the settings as they are (the baseline then
    /// keeps its learning rate, 0.01).
    pub at: Option<Value>,
    /// The contenders, in training order: one, or the lab's chain.
    pub stages: Vec<Contender>,
}

impl Job {
    /// The settings the job's runs train with: `settings` at the job's seed and value.
    pub(super) fn settings(&self, settings: &Settings) -> Settings {
        let mut mine = Settings {
            seed: self.seed,
            // Only final results are kept: no layer-health figures to compute.
            health: false,
            ..settings.clone()
        };
        if let Some(value) = self.at {
            value.apply(&mut mine);
        }
        mine
    }

    /// `contender`'s result before its first epoch.
    pub(super) fn unstarted(&self, contender: Contender) -> SeedResult {
        SeedResult {
            at: self.at,
            ..SeedResult::unstarted(self.seed, contender)
        }
    }
}

/// The jobs for `seeds` at each value of `grid` (`None`: the settings as they are), longest
/// first so no long job starts last while the other cores idle: chains, then single lab runs,
/// then the baseline (it stops early). Seed-major, then by value, within each group, so results arrive
/// roughly seed by seed. The order depends only on the arguments: shards rely on it.
pub(crate) fn jobs(settings: &Settings, seeds: &[u32], grid: Option<&Grid>) -> Vec<Job> {
    let (lab, baseline): (Vec<Contender>, Vec<Contender>) =
        (settings.optimizers.iter()).partition(|c| c.optimizer().is_some());
    let values: Vec<Option<Value>> =
        grid.map_or(vec![None], |g| g.values().into_iter().map(Some).collect());
    let each = |stages: &[Vec<Contender>]| -> Vec<Job> {
        let mut jobs = Vec::new();
        for &seed in seeds {
            for &at in &values {
                jobs.extend(stages.iter().map(|stages| Job {
                    seed,
                    at,
                    stages: stages.clone(),
                }));
            }
        }
        jobs
    };
    let lab_jobs: Vec<Vec<Contender>> = if settings.protocol == Protocol::Chain && !lab.is_empty() {
        vec![lab]
    } else {
        lab.iter().map(|&c| vec![c]).collect()
    };
    let baseline_jobs: Vec<Vec<Contender>> = baseline.iter().map(|&c| vec![c]).collect();
    let mut jobs = each(&lab_jobs);
    jobs.extend(each(&baseline_jobs));
    jobs
}

/// The K-th of N slices of a job list (`--shard K/N`): every N-th job from the K-th on, so
/// each slice gets its share of long and short jobs. The slices of one list are disjoint and
/// together hold every job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// K, from 1.
    pub index: u32,
    /// N, at least 1.
    pub count: u32,
}

impl Shard {
    /// The jobs of this slice, in their order.
    pub fn select(self, jobs: Vec<Job>) -> Vec<Job> {
        (jobs.into_iter().enumerate())
            .filter(|(i, _)| *i as u64 % u64::from(self.count) == u64::from(self.index) - 1)
            .map(|(_, job)| job)
            .collect()
    }
}
