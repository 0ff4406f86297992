//! Training without threads: the lab's trainer, the settings runs share, the scikit-learn
//! baseline the lab compares against, what fills a session's slot (a [`Trainer`]), the epoch
//! sliced into batches both trainers share, and snapshots of their networks.

mod baseline;
mod contender;
mod evaluate;
pub(crate) mod health;
mod lab_trainer;
mod settings;
mod sliced_epoch;
mod snapshot;
mod summary;
mod trainer;

pub(crate) use baseline::{
    Baseline, LEARNING_RATE as BASELINE_LEARNING_RATE, recipe as baseline_recipe,
};
pub use contender::Contender;
pub(crate) use contender::Protocol;
pub(crate) use health::LayerHealth;
pub(crate) use lab_trainer::argmax;
pub use lab_trainer::{EpochReport, LabTrainer};
pub use settings::Settings;
pub use sliced_epoch::Progress;
pub use snapshot::Snapshot;
pub(crate) use summary::{BASELINE_LOSS_NOTE, RunSummary};
pub use trainer::Trainer;
