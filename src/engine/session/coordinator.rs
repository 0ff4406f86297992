//! The thread that owns a session's runs between epochs: it answers [`Command`]s, hands
//! eligible runs to the pool ([`schedule`](super::schedule)), takes their results back and
//! turns them into [`Event`]s, and starts each chain stage from the one before.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select, unbounded};

use crate::data::Dataset;
use crate::engine::pool::{self, Spawner};
use crate::engine::stages;
use crate::train::{Protocol, Settings};

use super::messages::{Command, Event, SNAPSHOT_EVERY, SharedData, Speed};
use super::slot::{Done, Slot, Status};

/// Where the coordinator reads the time: [`Instant::now`] in production, a test's own clock in
/// the pacing tests, so pacing can be driven without waiting.
pub(super) type Clock = Box<dyn Fn() -> Instant + Send>;

/// What the scheduler may start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Flow {
    Running,
    Paused,
    Stepping { to: u32 },
    Halted,
}

/// The coordinator thread's state: what the session trains, one slot per run, the flow and
/// the pace, and the channels to the workers and the front end.
pub(super) struct Coordinator {
    pub(super) settings: Settings,
    pub(super) data: Arc<Dataset>,
    pub(super) generation: u64,
    pub(super) slots: Vec<Slot>,
    pub(super) flow: Flow,
    pub(super) speed: Speed,
    /// Pacing anchor: at `.0`, the slowest run had `.1` epochs.
    pub(super) anchor: (Instant, u32),
    /// The only source of the time the coordinator reads.
    pub(super) clock: Clock,
    pub(super) busy: usize,
    /// Epochs that may be in flight at once: one per worker.
    pub(super) slots_free: usize,
    pub(super) spawner: Spawner,
    pub(super) done_tx: Sender<Done>,
    pub(super) done_rx: Receiver<Done>,
    pub(super) events: Sender<Event>,
    pub(super) finished_sent: bool,
    pub(super) watch_snapshots: bool,
    /// How long a worker trains a run before handing it back ([`pool::SLICE`]).
    pub(super) slice: Duration,
}

impl Coordinator {
    pub(super) fn new(
        settings: Settings,
        data: Arc<Dataset>,
        (paused, speed, clock): (bool, Speed, Clock),
        (spawner, slots_free): (Spawner, usize),
        events: Sender<Event>,
    ) -> Self {
        let (done_tx, done_rx) = unbounded::<Done>();
        let mut c = Self {
            settings,
            data,
            generation: 0,
            slots: Vec::new(),
            flow: if paused { Flow::Paused } else { Flow::Running },
            speed,
            anchor: (clock(), 0),
            clock,
            busy: 0,
            slots_free,
            spawner,
            done_tx,
            done_rx,
            events,
            finished_sent: false,
            watch_snapshots: false,
            slice: pool::SLICE,
        };
        c.reset(c.settings.seed);
        c
    }

    fn reset(&mut self, seed: u32) {
        self.settings.seed = seed;
        self.generation += 1;
        self.finished_sent = false;
        let starters = stages::starters(&self.settings, &self.data);
        self.slots = (self.settings.optimizers.iter().zip(starters))
            .map(|(&contender, run)| Slot {
                contender,
                status: if run.is_some() {
                    Status::Training
                } else {
                    Status::Waiting
                },
                trainer: run.map(Box::new),
                done: 0,
                pending_lr: None,
                snapshot_sent: None,
                mid_epoch: false,
            })
            .collect();
        self.anchor = ((self.clock)(), 0);
        self.emit(Event::Started {
            generation: self.generation,
            seed,
        });
    }

    fn emit(&self, event: Event) {
        // A vanished UI is not an error for training; the session ends with its handle.
        let _ = self.events.send(event);
    }

    pub(super) fn serve(&mut self, commands: &Receiver<Command>) {
        loop {
            let wake = self.schedule();
            let timeout = wake.map_or(Duration::from_secs(3600), |at| {
                at.saturating_duration_since((self.clock)())
            });
            select! {
                recv(commands) -> cmd => match cmd {
                    Ok(Command::Shutdown) | Err(_) => break,
                    Ok(cmd) => self.handle(cmd),
                },
                recv(self.done_rx) -> done => {
                    if let Ok(done) = done {
                        self.land(done);
                    }
                },
                default(timeout) => {}
            }
        }
    }

    pub(super) fn handle(&mut self, command: Command) {
        let halted = self.flow == Flow::Halted;
        match command {
            Command::Pause if !halted => self.flow = Flow::Paused,
            Command::Resume if !halted => {
                self.flow = Flow::Running;
                self.anchor = ((self.clock)(), self.slowest());
            }
            Command::Step if !halted => {
                // Presses made while a step is under way each add an epoch.
                let to = match self.flow {
                    Flow::Stepping { to } => to + 1,
                    _ => self.leading() + 1,
                };
                self.flow = Flow::Stepping { to };
            }
            Command::SetSpeed(speed) => {
                self.speed = speed;
                self.anchor = ((self.clock)(), self.slowest());
            }
            Command::Restart { seed } if !halted => {
                if matches!(self.flow, Flow::Stepping { .. }) {
                    self.flow = Flow::Paused;
                }
                self.reset(seed);
            }
            Command::Reconfigure { settings, data } if !halted => {
                if matches!(self.flow, Flow::Stepping { .. }) {
                    self.flow = Flow::Paused;
                }
                if let Some(SharedData(data)) = data {
                    self.data = data;
                }
                self.settings = *settings;
                self.reset(self.settings.seed);
            }
            Command::SetLearningRate { slot: index, lr } => {
                let Some(slot) = self.slots.get_mut(index) else {
                    return;
                };
                // A run that ended, or a session that failed, has no epoch left to apply it to.
                if halted || !matches!(slot.status, Status::Training | Status::Waiting) {
                    return;
                }
                slot.pending_lr = Some(lr);
                self.apply_pending_lr(index);
            }
            Command::WatchSnapshots(on) => {
                self.watch_snapshots = on;
                if on {
                    for index in 0..self.slots.len() {
                        self.send_snapshot(index, true);
                    }
                }
            }
            _ => {}
        }
    }

    /// Under the chain protocol, starts the lab stage after `index` from its weights; after a
    /// divergence there is nothing to continue from, so the later stages end unstarted.
    fn next_stage(&mut self, index: usize) {
        let Some(next) =
            (index + 1..self.slots.len()).find(|&i| self.slots[i].status == Status::Waiting)
        else {
            return;
        };
        let previous = &self.slots[index];
        let continued = previous.trainer.as_ref().and_then(|prev| {
            let diverged = previous.status == Status::Diverged;
            stages::continue_stage(prev, diverged, self.slots[next].contender, &self.settings)
        });
        let slot = &mut self.slots[next];
        match continued {
            Some(run) => {
                slot.trainer = Some(Box::new(run));
                slot.status = Status::Training;
                // Pace the new stage from now, not from the session's start.
                self.anchor = ((self.clock)(), 0);
                self.apply_pending_lr(next);
                self.send_snapshot(next, true);
            }
            None => {
                for slot in &mut self.slots[next..] {
                    if slot.status == Status::Waiting {
                        slot.status = Status::Complete;
                    }
                }
            }
        }
    }

    /// Gives run `index` the rate waiting for it, once it is home and training (a rate for a
    /// run that has ended is dropped), and reports the epoch it takes effect after. The one
    /// path for a change made between epochs, during one, or before a chain stage starts.
    fn apply_pending_lr(&mut self, index: usize) {
        let generation = self.generation;
        let slot = &mut self.slots[index];
        if slot.status != Status::Training {
            if slot.status != Status::Waiting {
                slot.pending_lr = None;
            }
            return;
        }
        if slot.mid_epoch {
            // Rates change between epochs, where the record can say which epochs used which.
            return;
        }
        let Some(run) = slot.trainer.as_mut() else {
            return;
        };
        let Some(lr) = slot.pending_lr.take() else {
            return;
        };
        if run.set_learning_rate(lr) {
            let epoch = slot.done;
            self.emit(Event::LearningRate {
                generation,
                slot: index,
                epoch,
                lr,
            });
        }
    }

    /// Sends run `index`'s weights if snapshots are watched, the run is home, and either `now`
    /// or [`SNAPSHOT_EVERY`] has passed since the last snapshot.
    fn send_snapshot(&mut self, index: usize, now: bool) {
        if !self.watch_snapshots {
            return;
        }
        let (generation, now_at) = (self.generation, (self.clock)());
        let slot = &mut self.slots[index];
        let due = now
            || slot
                .snapshot_sent
                .is_none_or(|t| now_at.saturating_duration_since(t) >= SNAPSHOT_EVERY);
        let Some(run) = slot.trainer.as_ref().filter(|_| due) else {
            return;
        };
        let event = Event::Snapshot {
            generation,
            slot: index,
            snapshot: Arc::new(run.snapshot()),
        };
        slot.snapshot_sent = Some((self.clock)());
        self.emit(event);
    }

    pub(super) fn land(&mut self, done: Done) {
        self.busy = self.busy.saturating_sub(1);
        match done {
            Done::Trained {
                generation,
                index,
                trainer: run,
                report,
            } => {
                if generation != self.generation {
                    return;
                }
                let total = self.settings.epochs;
                let slot = &mut self.slots[index];
                slot.done = report.epoch;
                slot.mid_epoch = false;
                if report.diverged {
                    slot.status = Status::Diverged;
                } else if run.is_done(total) {
                    slot.status = Status::Complete;
                }
                let last = slot.status != Status::Training;
                slot.trainer = Some(run);
                self.emit(Event::Epoch {
                    generation,
                    slot: index,
                    report,
                    last,
                });
                // A change that arrived mid-epoch applies from the next one, if there is one.
                self.apply_pending_lr(index);
                self.send_snapshot(index, last);
                if last && self.settings.protocol == Protocol::Chain {
                    self.next_stage(index);
                }
                if !self.finished_sent && self.slots.iter().all(|s| s.status != Status::Training) {
                    self.finished_sent = true;
                    self.emit(Event::Finished { generation });
                }
            }
            Done::Sliced {
                generation,
                index,
                trainer: run,
                done,
                total,
            } => {
                if generation != self.generation {
                    return;
                }
                let slot = &mut self.slots[index];
                slot.trainer = Some(run);
                slot.mid_epoch = true;
                self.emit(Event::Batches {
                    generation,
                    slot: index,
                    done,
                    total,
                });
                self.send_snapshot(index, false);
            }
            Done::Panicked { message } => {
                self.flow = Flow::Halted;
                self.emit(Event::Failed { message });
            }
        }
    }
}
