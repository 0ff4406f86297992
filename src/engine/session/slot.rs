//! What the coordinator knows of each run: where it is in its life, where its trainer is, and
//! what a worker sends back after training it.

use std::time::Instant;

use crate::train::{Contender, EpochReport, Trainer};

/// A worker's answer.
pub(super) enum Done {
    Trained {
        generation: u64,
        index: usize,
        trainer: Box<Trainer>,
        report: EpochReport,
    },
    /// A slice of a long epoch: the run comes home mid-epoch, so a pause can hold it there.
    Sliced {
        generation: u64,
        index: usize,
        trainer: Box<Trainer>,
        done: usize,
        total: usize,
    },
    Panicked {
        message: String,
    },
}

/// Where a run is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Status {
    /// A chain stage whose predecessor has not finished.
    Waiting,
    Training,
    Complete,
    Diverged,
}

pub(super) struct Slot {
    pub(super) contender: Contender,
    /// Home between epochs; `None` while a worker has it (or before a chain stage starts).
    pub(super) trainer: Option<Box<Trainer>>,
    pub(super) done: u32,
    pub(super) status: Status,
    pub(super) pending_lr: Option<f64>,
    /// When the last snapshot of this run was sent.
    pub(super) snapshot_sent: Option<Instant>,
    /// True while the run is home in the middle of an epoch (a pause fell inside it).
    pub(super) mid_epoch: bool,
}

impl Slot {
    pub(super) fn in_flight(&self) -> bool {
        self.trainer.is_none() && self.status == Status::Training
    }
    /// Epochs this run will have once the epoch it started lands: one more than `done` while
    /// a worker has it or while it is home mid-epoch, since a started epoch is always finished.
    pub(super) fn target(&self) -> u32 {
        self.done
            + u32::from(self.in_flight() || (self.mid_epoch && self.status == Status::Training))
    }
}
