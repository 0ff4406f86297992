//! Training without threads: single runs, the settings they share, the scikit-learn baseline
//! the lab compares against, and what fills a session's slot.

mod baseline;
mod contender;
mod evaluate;
pub mod health;
mod model;
mod run;
mod settings;
mod sliced_epoch;
mod summary;
mod trainer;

pub use baseline::{Baseline, LEARNING_RATE as BASELINE_LEARNING_RATE, recipe as baseline_recipe};
pub use contender::{Contender, Protocol};
pub use health::LayerHealth;
pub use model::{FirstLayer, Model};
pub use run::{EpochReport, Run, argmax};
pub use settings::{DEFAULT_SEED, Settings};
pub use sliced_epoch::Progress;
pub use summary::{BASELINE_LOSS_NOTE, RunSummary};
pub use trainer::Trainer;
