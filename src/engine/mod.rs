//! Training on threads: the one worker pool, the chain rule, the interactive session and
//! sweeps of many runs. Everything above it (the model, the front ends) only sends commands
//! and reads events; nothing here knows about terminals.

pub mod pool;
pub(crate) mod session;
pub(crate) mod stages;
pub(crate) mod sweep;

pub use pool::Pool;
pub(crate) use pool::is_worker_thread;
pub(crate) use session::{Command, Event, SharedData};
pub use session::{Session, Speed};
pub(crate) use sweep::{Grid, Job, Knob, Outcome, SeedResult, SeedRuns, Shard, Value, jobs, seeds};
