//! A training session: one run per contender, advanced epoch by epoch as live tasks on the
//! [`Pool`], steered by [`Command`]s and reporting [`Event`]s, so that a UI (or the headless
//! printer) can drive it without touching its internals.
//!
//! ```text
//!  UI ──Command──▶ coordinator ──task (one epoch)──▶ pool workers ─┐
//!  UI ◀──Event──── coordinator ◀────────────── Done ───────────────┘
//! ```
//!
//! The coordinator owns every trainer that is not on a worker, decides which may train next
//! (runs stay within two epochs of each other; pausing lets the laggards catch up, so a paused
//! session shows every run at the same epoch) and forwards reports. Under the chain protocol
//! the lab optimizers wait their turn: each starts when the previous one ends, from its
//! weights. The event channel is unbounded: training never waits for the UI.
//!
//! Here: the handle ([`Session`]); `messages`, what crosses between it and a front end;
//! `coordinator`, the thread behind it; `schedule`, when a run may train; `slot`, what the
//! coordinator keeps of each run.

mod coordinator;
mod messages;
mod schedule;
mod slot;

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender, unbounded};

use crate::data::Dataset;
use crate::train::Settings;

use super::pool::{self, Pool, Spawner};
use coordinator::{Clock, Coordinator};

pub use messages::Speed;
pub(crate) use messages::{Command, Event, SharedData};

/// The handle a front end holds. Dropping it shuts the session down and joins its threads.
pub struct Session {
    commands: Sender<Command>,
    events: Receiver<Event>,
    coordinator: Option<JoinHandle<()>>,
    // Dropped after the coordinator has stopped queueing epochs.
    pool: Pool,
}

impl Session {
    /// Starts training every contender of `settings` on `data` on all cores.
    pub fn start(settings: Settings, data: Arc<Dataset>, paused: bool, speed: Speed) -> Self {
        Self::start_with(settings, data, paused, speed, pool::cores())
    }

    /// As [`Session::start`] with an explicit number of worker threads.
    pub(crate) fn start_with(
        settings: Settings,
        data: Arc<Dataset>,
        paused: bool,
        speed: Speed,
        workers: usize,
    ) -> Self {
        // Every core even for fewer runs: idle workers help the runs' large products.
        let pool = Pool::new(workers.max(1));
        let (cmd_tx, cmd_rx) = unbounded();
        let (event_tx, event_rx) = unbounded();
        let (spawner, slots) = (pool.spawner(), pool.size());
        let coordinator = pool::spawn_service("digits-coordinator", move || {
            let clock: Clock = Box::new(Instant::now);
            let start = (paused, speed, clock);
            let mut c = Coordinator::new(settings, data, start, (spawner, slots), event_tx);
            c.serve(&cmd_rx);
        });
        Self {
            commands: cmd_tx,
            events: event_rx,
            coordinator: Some(coordinator),
            pool,
        }
    }

    /// Where background work (the seeds view's sweep) can run beside the session's epochs,
    /// which always go first.
    pub(crate) fn spawner(&self) -> Spawner {
        self.pool.spawner()
    }

    /// Sends a command. A session that already ended ignores it (its end was reported).
    pub(crate) fn send(&self, command: Command) {
        let _ = self.commands.send(command);
    }

    /// The event stream.
    pub(crate) fn events(&self) -> &Receiver<Event> {
        &self.events
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Shutdown);
        if let Some(handle) = self.coordinator.take() {
            let _ = handle.join();
        }
    }
}
