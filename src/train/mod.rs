//! Training: single runs, the settings they share, the threaded session that drives them, and
//! the scikit-learn baseline the lab compares against.

mod baseline;
mod contender;
mod model;
mod run;
mod session;
mod settings;
mod summary;
mod trainer;

pub use baseline::{Baseline, BaselineModel};
pub use contender::{Contender, Protocol};
pub use model::{FirstLayer, Model};
pub use run::{EpochReport, Run, argmax};
pub use session::{Command, Event, MODEL_EVERY, Session, Speed, is_worker_thread, panic_message};
pub(crate) use session::{default_workers, fault_epoch, inject_fault};
pub use settings::{DEFAULT_SEED, Settings};
pub use summary::{BASELINE_LOSS_NOTE, RunSummary, table};
pub use trainer::Trainer;
