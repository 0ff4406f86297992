//! What the front ends show, reduced from the engine's events and results: one session model
//! and the statistics of many runs. No threads, no terminal.

pub(crate) mod curves;
pub(crate) mod health;
mod run_history;
pub(crate) mod session;
pub(crate) mod stats;

pub(crate) use health::HealthHistory;
pub(crate) use run_history::{EpochMetrics, LearningRateChange, RunHistory};
pub(crate) use session::SessionModel;
