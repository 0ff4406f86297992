//! What crosses between a session and its front end: [`Command`]s in, [`Event`]s out, and
//! the [`Speed`] a command can set.

use std::sync::Arc;
use std::time::Duration;

use crate::data::Dataset;
use crate::train::{EpochReport, Settings, Snapshot};

/// Least time between two snapshots of one run: views redraw at 30 fps at most, and a
/// snapshot is a full copy of the network.
pub(crate) const SNAPSHOT_EVERY: Duration = Duration::from_millis(100);

/// How fast a session may go.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// At most this many epochs per second for every run.
    PerSecond(f64),
    /// As fast as the cores allow.
    Unlimited,
}

/// Instructions from the UI.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Command {
    /// Stop at the next common epoch boundary: every run finishes the epochs up to the
    /// furthest one started (a long epoch under way included), then all wait there.
    Pause,
    /// Carry on.
    Resume,
    /// Pause (if running), then train exactly one more epoch on every run.
    Step,
    /// Change the pace.
    SetSpeed(Speed),
    /// Throw every run away and start again from `seed`.
    Restart {
        /// The new seed.
        seed: u32,
    },
    /// Throw every run away and start again with other settings (the dashboard's settings
    /// panel): another seed, network, optimizer list or protocol, so the number of runs may
    /// change; with `data`, on other images too. A new generation, like [`Command::Restart`].
    Reconfigure {
        /// What the new generation trains with (its seed included).
        settings: Box<Settings>,
        /// Other images, or `None` to keep the session's.
        data: Option<SharedData>,
    },
    /// Change one run's learning rate from its next batch on.
    SetLearningRate {
        /// The run's slot: its place in the session's optimizer list.
        slot: usize,
        /// The new rate.
        lr: f64,
    },
    /// Start or stop sending [`Event::Snapshot`] snapshots (for views that look inside the
    /// networks); off by default, since cloning a network per epoch is wasted work otherwise.
    WatchSnapshots(bool),
    /// End the session.
    Shutdown,
}

/// A loaded data set handed to [`Command::Reconfigure`]. Equal only to itself (the same
/// allocation): commands compare, and comparing two data sets value by value would be both
/// slow and beside the point.
#[derive(Clone, Debug)]
pub(crate) struct SharedData(pub Arc<Dataset>);

impl PartialEq for SharedData {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Reports to the UI. `generation` increases with every restart, so reports that were in
/// flight when the user restarted can be recognised and dropped.
#[derive(Clone, Debug)]
pub(crate) enum Event {
    /// A (re)start: runs are ready at epoch 0.
    Started {
        /// Restart counter.
        generation: u64,
        /// The seed every run started from.
        seed: u32,
    },
    /// A run finished an epoch.
    Epoch {
        /// Restart counter.
        generation: u64,
        /// The run's slot: its place in the session's optimizer list.
        slot: usize,
        /// The figures.
        report: EpochReport,
        /// No further epoch follows for this run (its epochs are done, it stopped early, or
        /// it diverged).
        last: bool,
    },
    /// A run's learning rate changed: `epoch` epochs were trained at the old rate, the next
    /// one trains at `lr`.
    LearningRate {
        /// Restart counter.
        generation: u64,
        /// The run's slot: its place in the session's optimizer list.
        slot: usize,
        /// Epochs completed when the change took effect.
        epoch: u32,
        /// The new rate.
        lr: f64,
    },
    /// A long epoch is under way: `done` of its `total` batches are trained. Sent after each
    /// slice that does not end the epoch (never for epochs shorter than a slice).
    Batches {
        /// Restart counter.
        generation: u64,
        /// The run's slot: its place in the session's optimizer list.
        slot: usize,
        /// Batches trained in the epoch in progress.
        done: usize,
        /// Batches in an epoch.
        total: usize,
    },
    /// A frozen copy of a run's network, at most every [`SNAPSHOT_EVERY`] per run while
    /// snapshots are watched (and always after a run's last epoch).
    Snapshot {
        /// Restart counter.
        generation: u64,
        /// The run's slot: its place in the session's optimizer list.
        slot: usize,
        /// The snapshot.
        snapshot: Arc<Snapshot>,
    },
    /// Every run has finished or diverged.
    Finished {
        /// Restart counter.
        generation: u64,
    },
    /// A worker panicked; the session stops training.
    Failed {
        /// What the panic said.
        message: String,
    },
}
