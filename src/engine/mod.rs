//! Training on threads: the one worker pool, the chain rule, the interactive session and
//! sweeps of many runs. Everything above it (the model, the front ends) only sends commands
//! and reads events; nothing here knows about terminals.

pub mod pool;
pub(crate) mod session;
pub(crate) mod stages;
pub(crate) mod sweep;

pub use pool::{Pool, Spawner, is_worker_thread};
pub use session::{Command, Event, SNAPSHOT_EVERY, Session, SharedData, Speed};
pub use sweep::{
    Failure, Grid, Job, Knob, Outcome, SeedResult, SeedRuns, Shard, Value, jobs, seeds,
};
