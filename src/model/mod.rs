//! What the front ends show, reduced from the engine's events and results: one session model
//! and the statistics of many runs. No threads, no terminal.

pub mod curves;
pub mod session;
pub mod stats;

pub use session::{Curves, EpochMetrics, LearningRateChange, RunHistory, SessionModel};
