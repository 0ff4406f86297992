//! Training: single runs, the settings they share, and the threaded session that drives them.

mod run;
mod session;
mod settings;
mod summary;

pub use run::{EpochReport, Run, argmax};
pub use session::{Command, Event, Session, Speed, panic_message};
pub use settings::{DEFAULT_SEED, Settings};
pub use summary::{RunSummary, table};
