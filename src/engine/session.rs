//! A training session: one run per contender, advanced epoch by epoch as live tasks on the
//! [`Pool`], steered by [`Command`]s and reporting [`Event`]s, so that a UI (or the headless
//! printer) can drive it without touching its internals.
//!
//! ```text
//!  UI ──Command──▶ coordinator ──task (one epoch)──▶ pool workers ─┐
//!  UI ◀──Event──── coordinator ◀────────────── Done ───────────────┘
//! ```
//!
//! The coordinator owns every [`Run`] that is not on a worker, decides which may train next
//! (runs stay within two epochs of each other; pausing lets the laggards catch up, so a paused
//! session shows every run at the same epoch) and forwards reports. Under the chain protocol
//! the lab optimizers wait their turn: each starts when the previous one ends, from its
//! weights. The event channel is unbounded: training never waits for the UI.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select, unbounded};

use crate::data::Dataset;
use crate::train::{Contender, EpochReport, Model, Progress, Protocol, Settings, Trainer};

use super::pool::{self, Pool, Spawner};
use super::stages;

/// Least time between two model snapshots of one run: views redraw at 30 fps at most, and a
/// snapshot is a full copy of the network.
pub const MODEL_EVERY: Duration = Duration::from_millis(100);

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
pub enum Command {
    /// Stop starting new epochs; runs that fell behind catch up, then all wait.
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
        /// Index of the run.
        run: usize,
        /// The new rate.
        lr: f64,
    },
    /// Start or stop sending [`Event::Model`] snapshots (for views that look inside the
    /// networks); off by default, since cloning a network per epoch is wasted work otherwise.
    WatchModels(bool),
    /// End the session.
    Shutdown,
}

/// A loaded data set handed to [`Command::Reconfigure`]. Equal only to itself (the same
/// allocation): commands compare, and comparing two data sets value by value would be both
/// slow and beside the point.
#[derive(Clone, Debug)]
pub struct SharedData(pub Arc<Dataset>);

impl PartialEq for SharedData {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Reports to the UI. `generation` increases with every restart, so reports that were in
/// flight when the user restarted can be recognised and dropped.
#[derive(Clone, Debug)]
pub enum Event {
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
        /// Index into the session's optimizer list.
        run: usize,
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
        /// Index of the run.
        run: usize,
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
        /// Index of the run.
        run: usize,
        /// Batches trained in the epoch in progress.
        done: usize,
        /// Batches in an epoch.
        total: usize,
    },
    /// A frozen copy of a run's network, at most every [`MODEL_EVERY`] per run while models
    /// are watched (and always after a run's last epoch).
    Model {
        /// Restart counter.
        generation: u64,
        /// Index of the run.
        run: usize,
        /// Epochs completed.
        epoch: u32,
        /// The snapshot.
        model: Arc<Model>,
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

/// Where the coordinator reads the time: [`Instant::now`] in production, a test's own clock in
/// the pacing tests, so pacing can be driven without waiting.
type Clock = Box<dyn Fn() -> Instant + Send>;

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
    pub fn start_with(
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
    pub fn spawner(&self) -> Spawner {
        self.pool.spawner()
    }

    /// Sends a command. A session that already ended ignores it (its end was reported).
    pub fn send(&self, command: Command) {
        let _ = self.commands.send(command);
    }

    /// The event stream.
    pub fn events(&self) -> &Receiver<Event> {
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

/// A worker's answer.
enum Done {
    Trained {
        generation: u64,
        index: usize,
        run: Box<Trainer>,
        report: EpochReport,
    },
    /// A slice of a long epoch: the run comes home mid-epoch, so a pause can hold it there.
    Sliced {
        generation: u64,
        index: usize,
        run: Box<Trainer>,
        done: usize,
        total: usize,
    },
    Panicked {
        message: String,
    },
}

/// Where a run is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// A chain stage whose predecessor has not finished.
    Waiting,
    Training,
    Complete,
    Diverged,
}

struct Slot {
    contender: Contender,
    /// Home between epochs; `None` while a worker has it (or before a chain stage starts).
    run: Option<Box<Trainer>>,
    done: u32,
    status: Status,
    pending_lr: Option<f64>,
    /// When the last model snapshot of this run was sent.
    model_sent: Option<Instant>,
    /// True while the run is home in the middle of an epoch (a pause fell inside it).
    mid_epoch: bool,
}

impl Slot {
    fn in_flight(&self) -> bool {
        self.run.is_none() && self.status == Status::Training
    }
    /// Epochs this run will have once its in-flight epoch lands.
    fn target(&self) -> u32 {
        self.done + u32::from(self.in_flight() && self.status == Status::Training)
    }
}

/// What the scheduler may start.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Flow {
    Running,
    Paused,
    Stepping { to: u32 },
    Halted,
}

struct Coordinator {
    settings: Settings,
    data: Arc<Dataset>,
    generation: u64,
    slots: Vec<Slot>,
    flow: Flow,
    speed: Speed,
    /// Pacing anchor: at `.0`, the slowest run had `.1` epochs.
    anchor: (Instant, u32),
    /// The only source of the time the coordinator reads.
    clock: Clock,
    busy: usize,
    /// Epochs that may be in flight at once: one per worker.
    slots_free: usize,
    spawner: Spawner,
    done_tx: Sender<Done>,
    done_rx: Receiver<Done>,
    events: Sender<Event>,
    finished_sent: bool,
    watch_models: bool,
}

impl Coordinator {
    fn new(
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
            watch_models: false,
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
                run: run.map(Box::new),
                done: 0,
                pending_lr: None,
                model_sent: None,
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

    fn serve(&mut self, commands: &Receiver<Command>) {
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

    fn handle(&mut self, command: Command) {
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
            Command::SetLearningRate { run, lr } => {
                let Some(slot) = self.slots.get_mut(run) else {
                    return;
                };
                // A run that ended, or a session that failed, has no epoch left to apply it to.
                if halted || !matches!(slot.status, Status::Training | Status::Waiting) {
                    return;
                }
                slot.pending_lr = Some(lr);
                self.apply_pending_lr(run);
            }
            Command::WatchModels(on) => {
                self.watch_models = on;
                if on {
                    for index in 0..self.slots.len() {
                        self.send_model(index, true);
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
        let continued = previous.run.as_ref().and_then(|prev| {
            let diverged = previous.status == Status::Diverged;
            stages::continue_stage(prev, diverged, self.slots[next].contender, &self.settings)
        });
        let slot = &mut self.slots[next];
        match continued {
            Some(run) => {
                slot.run = Some(Box::new(run));
                slot.status = Status::Training;
                // Pace the new stage from now, not from the session's start.
                self.anchor = ((self.clock)(), 0);
                self.apply_pending_lr(next);
                self.send_model(next, true);
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
        let Some(run) = slot.run.as_mut() else {
            return;
        };
        let Some(lr) = slot.pending_lr.take() else {
            return;
        };
        if run.set_learning_rate(lr) {
            let epoch = slot.done;
            self.emit(Event::LearningRate {
                generation,
                run: index,
                epoch,
                lr,
            });
        }
    }

    /// Sends run `index`'s weights if models are watched, the run is home, and either `now`
    /// or [`MODEL_EVERY`] has passed since the last snapshot.
    fn send_model(&mut self, index: usize, now: bool) {
        if !self.watch_models {
            return;
        }
        let (generation, now_at) = (self.generation, (self.clock)());
        let slot = &mut self.slots[index];
        let due = now
            || slot
                .model_sent
                .is_none_or(|t| now_at.saturating_duration_since(t) >= MODEL_EVERY);
        let Some(run) = slot.run.as_ref().filter(|_| due) else {
            return;
        };
        let event = Event::Model {
            generation,
            run: index,
            epoch: run.epoch(),
            model: Arc::new(run.model()),
        };
        slot.model_sent = Some((self.clock)());
        self.emit(event);
    }

    /// Epoch count of the slowest run still training (ignoring finished ones).
    fn slowest(&self) -> u32 {
        self.training().map(|s| s.done).min().unwrap_or(0)
    }

    /// The epoch every run will have reached once in-flight work lands.
    fn leading(&self) -> u32 {
        self.training().map(Slot::target).max().unwrap_or(0)
    }

    fn training(&self) -> impl Iterator<Item = &Slot> {
        self.slots.iter().filter(|s| s.status == Status::Training)
    }

    /// Hands eligible runs to idle workers; returns when pacing next allows one to start.
    fn schedule(&mut self) -> Option<Instant> {
        let total = self.settings.epochs;
        let leading = self.leading();
        let slowest = self.slowest();
        let (paced_limit, wake) = self.pace_limit();
        // The runs furthest behind go first: with more runs than workers, taking them in list
        // order let the first runs race to the two-epoch limit while the last ones held the
        // window shut, and a worker sat idle (5 runs on 2 workers kept 1.64 cores busy).
        let mut order: Vec<usize> = (0..self.slots.len()).collect();
        order.sort_by_key(|&i| self.slots[i].done);
        for index in order {
            if self.busy >= self.slots_free {
                break;
            }
            let slot = &self.slots[index];
            if slot.status != Status::Training || slot.in_flight() || slot.done >= total {
                continue;
            }
            let next = slot.done + 1;
            let eligible = match self.flow {
                Flow::Running => next <= slowest + 2 && next <= paced_limit,
                // Laggards catch up, but a run held mid-epoch stays held: a pause takes
                // effect at the next slice of a long epoch.
                Flow::Paused => slot.done < leading && !slot.mid_epoch,
                Flow::Stepping { to } => next <= to,
                Flow::Halted => false,
            };
            if !eligible {
                continue;
            }
            let Some(mut run) = self.slots[index].run.take() else {
                continue;
            };
            self.busy += 1;
            let (generation, done) = (self.generation, self.done_tx.clone());
            self.spawner.live(move || {
                let reply = match pool::train_slice(&mut run) {
                    Ok(Progress::Epoch(report)) => Done::Trained {
                        generation,
                        index,
                        run,
                        report,
                    },
                    Ok(Progress::Batches { done, total }) => Done::Sliced {
                        generation,
                        index,
                        run,
                        done,
                        total,
                    },
                    Err(message) => Done::Panicked { message },
                };
                // The coordinator gone means the session is over.
                let _ = done.send(reply);
            });
        }
        if let Flow::Stepping { to } = self.flow {
            let all_there = self.slots.iter().all(|s| {
                s.status != Status::Training
                    || (!s.in_flight() && (s.done >= to || s.done >= total))
            });
            if all_there {
                self.flow = Flow::Paused;
            }
        }
        if self.flow == Flow::Running {
            wake
        } else {
            None
        }
    }

    /// The highest epoch pacing allows now, and when it next rises.
    fn pace_limit(&self) -> (u32, Option<Instant>) {
        match self.speed {
            Speed::Unlimited => (u32::MAX, None),
            Speed::PerSecond(rate) => {
                let (at, base) = self.anchor;
                let elapsed = (self.clock)().saturating_duration_since(at).as_secs_f64();
                let earned = (elapsed * rate).floor();
                let limit = base.saturating_add(earned as u32).saturating_add(1);
                let next = at + Duration::from_secs_f64((earned + 1.0) / rate);
                (limit, Some(next))
            }
        }
    }

    fn land(&mut self, done: Done) {
        self.busy = self.busy.saturating_sub(1);
        match done {
            Done::Trained {
                generation,
                index,
                run,
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
                slot.run = Some(run);
                self.emit(Event::Epoch {
                    generation,
                    run: index,
                    report,
                    last,
                });
                // A change that arrived mid-epoch applies from the next one, if there is one.
                self.apply_pending_lr(index);
                self.send_model(index, last);
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
                run,
                done,
                total,
            } => {
                if generation != self.generation {
                    return;
                }
                let slot = &mut self.slots[index];
                slot.run = Some(run);
                slot.mid_epoch = true;
                self.emit(Event::Batches {
                    generation,
                    run: index,
                    done,
                    total,
                });
                self.send_model(index, false);
            }
            Done::Panicked { message } => {
                self.flow = Flow::Halted;
                self.emit(Event::Failed { message });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Trains what pacing allows at the clock's present time, to the end of every epoch it
    /// started; returns the epochs done.
    fn settle(c: &mut Coordinator) -> u32 {
        loop {
            c.schedule();
            if c.busy == 0 {
                return c.slots[0].done;
            }
            let done = c.done_rx.recv().expect("the worker replies");
            c.land(done);
        }
    }

    #[test]
    fn pacing_follows_the_clock_it_is_handed() {
        let start = Instant::now();
        let offset = Arc::new(Mutex::new(Duration::ZERO));
        let reading = Arc::clone(&offset);
        let clock: Clock = Box::new(move || start + *reading.lock().expect("clock"));
        let at = |seconds: f64| *offset.lock().expect("clock") = Duration::from_secs_f64(seconds);
        let settings = Settings {
            epochs: 10,
            optimizers: vec![Contender::Sgd],
            ..Settings::default()
        };
        let pool = Pool::new(1);
        let (events, _kept) = unbounded();
        let mut c = Coordinator::new(
            settings,
            Arc::new(Dataset::lab()),
            (false, Speed::PerSecond(2.0), clock),
            (pool.spawner(), pool.size()),
            events,
        );
        // At 2 epochs a second: the first epoch at once, the next one at 0.5 s, then 1.0 s.
        assert_eq!(settle(&mut c), 1);
        at(0.4);
        assert_eq!(settle(&mut c), 1, "0.4 s allows no second epoch");
        assert_eq!(c.schedule(), Some(start + Duration::from_millis(500)));
        at(0.6);
        assert_eq!(settle(&mut c), 2, "0.6 s allows the second epoch");
        at(0.99);
        assert_eq!(settle(&mut c), 2);
        at(1.0);
        assert_eq!(settle(&mut c), 3);
        // A new speed paces from the moment it is set.
        c.handle(Command::SetSpeed(Speed::PerSecond(10.0)));
        at(1.05);
        assert_eq!(settle(&mut c), 4);
        at(1.09);
        assert_eq!(settle(&mut c), 4);
        at(1.11);
        assert_eq!(settle(&mut c), 5);
    }
}
