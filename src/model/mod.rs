//! What the front ends show, reduced from the engine's events and results: one session model
//! and the statistics of many runs. No threads, no terminal.

pub mod curves;
pub mod health;
mod run_history;
pub mod session;
pub mod stats;

pub use health::HealthHistory;
pub use run_history::{Curves, EpochMetrics, LearningRateChange, RunHistory};
pub use session::SessionModel;
