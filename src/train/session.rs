//! A training session: one run per contender, advanced epoch by epoch on a pool of worker
//! threads, steered by [`Command`]s and reporting [`Event`]s, so that a UI (or the headless
//! printer) can drive it without touching its internals.
//!
//! ```text
//!  UI ──Command──▶ coordinator ──Job──▶ workers (one per core) ─┐
//!  UI ◀──Event──── coordinator ◀──────────── Done ──────────────┘
//! ```
//!
//! The coordinator owns every [`Run`] that is not on a worker, decides which may train next
//! (runs stay within two epochs of each other; pausing lets the laggards catch up, so a paused
//! session shows every run at the same epoch) and forwards reports. Under the chain protocol
//! the lab optimizers wait their turn: each starts when the previous one ends, from its
//! weights. The event channel is unbounded: training never waits for the UI.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select, unbounded};

use crate::data::Dataset;

use super::run::EpochReport;
use super::{Contender, Model, Protocol, Settings, Trainer};

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

/// The handle a front end holds. Dropping it shuts the session down and joins its threads.
pub struct Session {
    commands: Sender<Command>,
    events: Receiver<Event>,
    coordinator: Option<JoinHandle<()>>,
}

impl Session {
    /// Starts training every contender of `settings` on `data` on all cores.
    pub fn start(settings: Settings, data: Arc<Dataset>, paused: bool, speed: Speed) -> Self {
        Self::start_with(settings, data, paused, speed, default_workers())
    }

    /// As [`Session::start`] with an explicit number of worker threads.
    pub fn start_with(
        settings: Settings,
        data: Arc<Dataset>,
        paused: bool,
        speed: Speed,
        workers: usize,
    ) -> Self {
        let (cmd_tx, cmd_rx) = unbounded();
        let (event_tx, event_rx) = unbounded();
        let coordinator = thread::Builder::new()
            .name("digits-coordinator".into())
            .spawn(move || {
                let mut c = Coordinator::new(settings, data, paused, speed, workers, event_tx);
                c.serve(&cmd_rx);
            })
            .expect("the OS can start a thread");
        Self {
            commands: cmd_tx,
            events: event_rx,
            coordinator: Some(coordinator),
        }
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

/// One worker per core (callers cap it at the work there is).
pub(crate) fn default_workers() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// Work for a worker: train `run` one epoch.
struct Job {
    generation: u64,
    index: usize,
    run: Box<Trainer>,
}

/// A worker's answer.
enum Done {
    Trained {
        generation: u64,
        index: usize,
        run: Box<Trainer>,
        report: EpochReport,
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

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
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
    mode: Mode,
    speed: Speed,
    /// Pacing anchor: at `.0`, the slowest run had `.1` epochs.
    anchor: (Instant, u32),
    busy: usize,
    workers: Vec<JoinHandle<()>>,
    jobs: Option<Sender<Job>>,
    done_rx: Receiver<Done>,
    events: Sender<Event>,
    finished_sent: bool,
    watch_models: bool,
}

impl Coordinator {
    fn new(
        settings: Settings,
        data: Arc<Dataset>,
        paused: bool,
        speed: Speed,
        workers: usize,
        events: Sender<Event>,
    ) -> Self {
        let n_workers = workers.clamp(1, settings.optimizers.len().max(1));
        let (job_tx, job_rx) = unbounded::<Job>();
        let (done_tx, done_rx) = unbounded::<Done>();
        let handles = (0..n_workers)
            .map(|i| {
                let jobs = job_rx.clone();
                let done = done_tx.clone();
                thread::Builder::new()
                    .name(format!("digits-worker-{i}"))
                    .spawn(move || work(&jobs, &done))
                    .expect("the OS can start a thread")
            })
            .collect();
        let mut c = Self {
            settings,
            data,
            generation: 0,
            slots: Vec::new(),
            mode: if paused { Mode::Paused } else { Mode::Running },
            speed,
            anchor: (Instant::now(), 0),
            busy: 0,
            workers: handles,
            jobs: Some(job_tx),
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
        let chain = self.settings.protocol == Protocol::Chain;
        let mut first_stage = true;
        self.slots = self
            .settings
            .optimizers
            .iter()
            .map(|&contender| {
                let waits = chain && contender.optimizer().is_some() && !first_stage;
                first_stage &= !(chain && contender.optimizer().is_some());
                Slot {
                    contender,
                    run: (!waits).then(|| {
                        Box::new(Trainer::new(
                            contender,
                            &self.settings,
                            Arc::clone(&self.data),
                        ))
                    }),
                    done: 0,
                    status: if waits {
                        Status::Waiting
                    } else {
                        Status::Training
                    },
                    pending_lr: None,
                    model_sent: None,
                }
            })
            .collect();
        self.anchor = (Instant::now(), 0);
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
                at.saturating_duration_since(Instant::now())
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
        self.jobs = None;
        for handle in self.workers.drain(..) {
            let _ = handle.join();
        }
    }

    fn handle(&mut self, command: Command) {
        let halted = self.mode == Mode::Halted;
        match command {
            Command::Pause if !halted => self.mode = Mode::Paused,
            Command::Resume if !halted => {
                self.mode = Mode::Running;
                self.anchor = (Instant::now(), self.slowest());
            }
            Command::Step if !halted => {
                let to = self.leading() + 1;
                self.mode = Mode::Stepping { to };
            }
            Command::SetSpeed(speed) => {
                self.speed = speed;
                self.anchor = (Instant::now(), self.slowest());
            }
            Command::Restart { seed } if !halted => {
                if matches!(self.mode, Mode::Stepping { .. }) {
                    self.mode = Mode::Paused;
                }
                self.reset(seed);
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
        let continued = match (self.slots[index].status, &self.slots[index].run) {
            (Status::Complete, Some(prev)) => self.slots[next]
                .contender
                .optimizer()
                .and_then(|kind| prev.continue_as(kind, &self.settings)),
            _ => None,
        };
        let slot = &mut self.slots[next];
        match continued {
            Some(run) => {
                slot.run = Some(Box::new(run));
                slot.status = Status::Training;
                // Pace the new stage from now, not from the session's start.
                self.anchor = (Instant::now(), 0);
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
        let generation = self.generation;
        let slot = &mut self.slots[index];
        let due = now || slot.model_sent.is_none_or(|t| t.elapsed() >= MODEL_EVERY);
        let Some(run) = slot.run.as_ref().filter(|_| due) else {
            return;
        };
        let event = Event::Model {
            generation,
            run: index,
            epoch: run.epoch(),
            model: Arc::new(run.model()),
        };
        slot.model_sent = Some(Instant::now());
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
        let n_workers = self.workers.len();
        for index in 0..self.slots.len() {
            if self.busy >= n_workers {
                break;
            }
            let slot = &self.slots[index];
            if slot.status != Status::Training || slot.in_flight() || slot.done >= total {
                continue;
            }
            let next = slot.done + 1;
            let eligible = match self.mode {
                Mode::Running => next <= slowest + 2 && next <= paced_limit,
                Mode::Paused => slot.done < leading,
                Mode::Stepping { to } => next <= to,
                Mode::Halted => false,
            };
            if !eligible {
                continue;
            }
            let run = self.slots[index]
                .run
                .take()
                .expect("checked: the run is home");
            self.busy += 1;
            if let Some(jobs) = &self.jobs {
                let _ = jobs.send(Job {
                    generation: self.generation,
                    index,
                    run,
                });
            }
        }
        if let Mode::Stepping { to } = self.mode {
            let all_there = self.slots.iter().all(|s| {
                s.status != Status::Training
                    || (!s.in_flight() && (s.done >= to || s.done >= total))
            });
            if all_there {
                self.mode = Mode::Paused;
            }
        }
        if self.mode == Mode::Running {
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
                let elapsed = at.elapsed().as_secs_f64();
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
            Done::Panicked { message } => {
                self.mode = Mode::Halted;
                self.emit(Event::Failed { message });
            }
        }
    }
}

/// Set to an epoch number, makes the worker panic instead of training that epoch: fault
/// injection for the tests that prove a worker panic ends the program cleanly.
pub const FAULT_ENV: &str = "DIGITS_TUI_PANIC_AT_EPOCH";

/// True on the threads that train (the session's and `compare`'s workers): their panics are
/// caught and reported as one line by whoever runs them, so panic hooks keep quiet for them.
pub fn is_worker_thread() -> bool {
    std::thread::current()
        .name()
        .is_some_and(|n| n.starts_with("digits-worker") || n.starts_with("digits-compare"))
}

/// The epoch [`FAULT_ENV`] asks a worker to panic at, read once per worker.
pub(crate) fn fault_epoch() -> Option<u32> {
    std::env::var(FAULT_ENV).ok().and_then(|v| v.parse().ok())
}

/// Panics if `next` is the epoch [`fault_epoch`] named.
pub(crate) fn inject_fault(fault: Option<u32>, next: u32) {
    if fault == Some(next) {
        panic!("injected fault ({FAULT_ENV}={next})");
    }
}

/// A worker: trains whatever it is given until the job channel closes.
fn work(jobs: &Receiver<Job>, done: &Sender<Done>) {
    let fault = fault_epoch();
    for job in jobs {
        let Job {
            generation,
            index,
            mut run,
        } = job;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            inject_fault(fault, run.epoch() + 1);
            run.train_epoch()
        }));
        let reply = match outcome {
            Ok(report) => Done::Trained {
                generation,
                index,
                run,
                report,
            },
            Err(payload) => Done::Panicked {
                message: panic_message(payload.as_ref()),
            },
        };
        if done.send(reply).is_err() {
            return;
        }
    }
}

/// The text of a panic payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a worker panicked".to_owned())
}
