//! The only thread pool: every epoch of every run, the dashboard's session and `compare`'s
//! seeds alike, is a task here.
//!
//! ```text
//!  Spawner::live ──────▶ ┐
//!                        ├─▶ workers (one per core): live tasks first, background when idle
//!  Spawner::background ─▶ ┘
//! ```
//!
//! Tasks are short (one slice of an epoch), so a background sweep never holds a core for more than an
//! slice while the live session has work: the dashboard stays live while its seeds view fills
//! in. A worker's panic is caught around the slice ([`train_slice`]) and becomes a message its
//! owner reports; a thread-local marks the workers so the panic hooks keep quiet for them.
//!
//! Workers with nothing queued are lent to the runs that train: each worker leads a
//! [`Team`] while it trains a slice, and when that run reaches a loop worth splitting while
//! workers are idle, one helper task per idle worker joins it until the slice ends or any
//! task is queued (so with as many runs as workers, nothing is lent).

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, select_biased, unbounded};

use crate::nn::team::{self, Team};
use crate::train::{Progress, Trainer};

/// A unit of work: one epoch of one run, and whatever it must tell its owner.
pub type Task = Box<dyn FnOnce() + Send>;

/// Set to an epoch number, makes the worker panic instead of training that epoch: fault
/// injection for the tests that prove a worker panic ends the program cleanly.
pub const FAULT_ENV: &str = "DIGITS_TUI_PANIC_AT_EPOCH";

thread_local! {
    static IS_WORKER: Cell<bool> = const { Cell::new(false) };
    /// The team this worker leads while it trains a slice.
    static TEAM: RefCell<Option<Arc<Team>>> = const { RefCell::new(None) };
}

/// True on the pool's threads: their panics are caught and reported as one line by whoever
/// owns the task, so panic hooks keep quiet for them.
pub fn is_worker_thread() -> bool {
    IS_WORKER.with(Cell::get)
}

/// Where tasks are sent: cheap to clone, so a task can queue its own next epoch.
#[derive(Clone)]
pub struct Spawner {
    live: Sender<Task>,
    background: Sender<Task>,
}

impl Spawner {
    /// Queues a task of the interactive session: taken before any background task.
    pub fn live(&self, task: impl FnOnce() + Send + 'static) {
        // The workers are gone only once the pool is dropped; a task sent then is dropped too.
        let _ = self.live.send(Box::new(task));
    }

    /// Queues a task that may wait: taken only when no live task is queued.
    pub fn background(&self, task: impl FnOnce() + Send + 'static) {
        let _ = self.background.send(Box::new(task));
    }
}

/// N worker threads. Dropping the pool stops them after their current task and drops every
/// task still queued (their owners see their channels close).
pub struct Pool {
    spawner: Spawner,
    queues: (Receiver<Task>, Receiver<Task>),
    stop: Option<Sender<()>>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    /// A pool of `workers` threads (at least one).
    pub fn new(workers: usize) -> Self {
        Self::with_min_work(workers, team::MIN_WORK)
    }

    /// A pool whose idle workers help loops of at least `min_work` multiply-adds: tests force
    /// splits of the 8×8 lab's small products with 0, `bench` times them.
    pub fn with_min_work(workers: usize, min_work: usize) -> Self {
        let (live_tx, live_rx) = unbounded::<Task>();
        let (bg_tx, bg_rx) = unbounded::<Task>();
        let (stop_tx, stop_rx) = unbounded::<()>();
        let spawner = Spawner {
            live: live_tx,
            background: bg_tx,
        };
        let idle = Arc::new(AtomicUsize::new(0));
        let lent = Arc::new(AtomicUsize::new(0));
        let count = workers.max(1);
        let workers = (0..count)
            .map(|i| {
                let (live, background, stop) = (live_rx.clone(), bg_rx.clone(), stop_rx.clone());
                let lend = Lend {
                    idle: Arc::clone(&idle),
                    lent: Arc::clone(&lent),
                    spawner: spawner.clone(),
                    queues: (live_rx.clone(), bg_rx.clone()),
                };
                let idle = Arc::clone(&idle);
                thread::Builder::new()
                    .name(format!("digits-worker-{i}"))
                    .spawn(move || {
                        IS_WORKER.with(|w| w.set(true));
                        let enlist = Box::new(move |t: &Arc<Team>, n| lend.send(t, n));
                        let team = Team::new(count - 1, min_work, enlist);
                        TEAM.with(|slot| *slot.borrow_mut() = Some(team));
                        serve(&live, &background, &stop, &idle);
                        // The team holds senders of these queues: gone before the pool drains.
                        TEAM.with(|slot| slot.borrow_mut().take());
                    })
                    .expect("the OS can start a thread")
            })
            .collect();
        Self {
            spawner,
            queues: (live_rx, bg_rx),
            stop: Some(stop_tx),
            workers,
        }
    }

    /// One worker per core.
    pub fn per_core() -> Self {
        Self::new(cores())
    }

    /// How many workers there are.
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    /// A handle to queue tasks with.
    pub fn spawner(&self) -> Spawner {
        self.spawner.clone()
    }

    /// Runs `f` on a worker leading its team, and returns its result: `bench`'s timings of
    /// split loops. `None` if `f` panicked.
    pub fn led<R: Send + 'static>(&self, f: impl FnOnce() -> R + Send + 'static) -> Option<R> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        self.spawner.live(move || {
            let result = TEAM.with(|t| t.borrow().clone()).map(|team| team.lead(f));
            let _ = tx.send(result);
        });
        rx.recv().ok().flatten()
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.stop = None;
        for handle in self.workers.drain(..) {
            let _ = handle.join();
        }
        // Queued tasks may hold spawners of these very queues: drain until none is left.
        while let Ok(task) = (self.queues.0.try_recv()).or_else(|_| self.queues.1.try_recv()) {
            drop(task);
        }
    }
}

/// Starts a thread that coordinates work but trains nothing itself (the session's
/// coordinator): the one other kind of thread the engine runs, so it is started here too.
pub fn spawn_service(name: &str, body: impl FnOnce() + Send + 'static) -> JoinHandle<()> {
    thread::Builder::new()
        .name(name.to_owned())
        .spawn(body)
        .expect("the OS can start a thread")
}

/// The cores this process may use.
pub fn cores() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// A worker's loop: live tasks first, background ones when no live task waits, until the pool
/// is dropped. `idle` counts the workers waiting here, which teams may borrow.
fn serve(
    live: &Receiver<Task>,
    background: &Receiver<Task>,
    stop: &Receiver<()>,
    idle: &AtomicUsize,
) {
    loop {
        idle.fetch_add(1, Ordering::SeqCst);
        let task = select_biased! {
            recv(stop) -> _ => None,
            recv(live) -> task => task.ok(),
            recv(background) -> task => task.ok(),
        };
        idle.fetch_sub(1, Ordering::SeqCst);
        match task {
            Some(task) => task(),
            None => return,
        }
    }
}

/// How a worker's team borrows idle workers: a helper task each, sent while nothing else is
/// queued, and leaving as soon as something is.
struct Lend {
    idle: Arc<AtomicUsize>,
    /// Helper tasks queued and not yet started (of every team), which are no reason to leave.
    lent: Arc<AtomicUsize>,
    spawner: Spawner,
    queues: (Receiver<Task>, Receiver<Task>),
}

impl Lend {
    /// Sends up to `wanted` helper tasks for `team`, one per idle worker; returns how many.
    fn send(&self, team: &Arc<Team>, wanted: usize) -> usize {
        let lent = self.lent.load(Ordering::SeqCst);
        let idle = self.idle.load(Ordering::SeqCst).saturating_sub(lent);
        if idle == 0 || queued(&self.queues) > lent {
            return 0;
        }
        let sent = wanted.min(idle);
        self.lent.fetch_add(sent, Ordering::SeqCst);
        for _ in 0..sent {
            let (team, lent) = (Arc::clone(team), Arc::clone(&self.lent));
            let queues = self.queues.clone();
            self.spawner.live(move || {
                lent.fetch_sub(1, Ordering::SeqCst);
                team.help(&|| queued(&queues) > lent.load(Ordering::SeqCst));
            });
        }
        sent
    }
}

/// Tasks waiting in both queues.
fn queued(queues: &(Receiver<Task>, Receiver<Task>)) -> usize {
    queues.0.len() + queues.1.len()
}

/// How long one task trains before it hands its run back: long epochs come in slices this
/// size, so the background never holds a core for long and a restart drops a run within one.
pub const SLICE: Duration = Duration::from_millis(50);

/// Trains one slice of an epoch (see [`SLICE`]) with panics caught: the one place a worker's
/// failure becomes a message (and where [`FAULT_ENV`] injects one).
pub fn train_slice(trainer: &mut Trainer) -> Result<Progress, String> {
    train_slice_for(trainer, SLICE)
}

/// As [`train_slice`] for `budget` instead of [`SLICE`]: the session's tests slice every
/// batch (a zero budget trains one batch), so a pause can fall mid-epoch on any machine.
pub fn train_slice_for(trainer: &mut Trainer, budget: Duration) -> Result<Progress, String> {
    catch_unwind(AssertUnwindSafe(|| {
        if fault_epoch() == Some(trainer.epoch() + 1) {
            panic!("injected fault ({FAULT_ENV}={})", trainer.epoch() + 1);
        }
        match TEAM.with(|t| t.borrow().clone()) {
            Some(team) => team.lead(|| trainer.train_for(budget)),
            None => trainer.train_for(budget),
        }
    }))
    .map_err(|payload| panic_message(payload.as_ref()))
}

/// The epoch [`FAULT_ENV`] asks a worker to panic at, read once per process.
fn fault_epoch() -> Option<u32> {
    static FAULT: OnceLock<Option<u32>> = OnceLock::new();
    *FAULT.get_or_init(|| std::env::var(FAULT_ENV).ok().and_then(|v| v.parse().ok()))
}

/// The text of a panic payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a worker panicked".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_tasks_go_before_background_ones() {
        let pool = Pool::new(1);
        let spawner = pool.spawner();
        let (gate_tx, gate_rx) = unbounded::<()>();
        let (order_tx, order_rx) = unbounded::<&str>();
        // Hold the one worker until both kinds are queued.
        spawner.live(move || {
            let _ = gate_rx.recv();
        });
        let bg = order_tx.clone();
        spawner.background(move || {
            let _ = bg.send("background");
        });
        let live = order_tx.clone();
        spawner.live(move || {
            let _ = live.send("live");
        });
        drop(order_tx);
        gate_tx.send(()).unwrap();
        let order: Vec<&str> = order_rx.iter().take(2).collect();
        assert_eq!(order, ["live", "background"]);
    }

    #[test]
    fn workers_are_marked_and_a_task_can_queue_its_successor() {
        let pool = Pool::new(2);
        let (tx, rx) = unbounded();
        let spawner = pool.spawner();
        let next = pool.spawner();
        spawner.background(move || {
            let first = is_worker_thread();
            next.background(move || {
                let _ = tx.send((first, is_worker_thread()));
            });
        });
        assert_eq!(rx.recv().unwrap(), (true, true));
        assert!(!is_worker_thread());
    }

    #[test]
    fn dropping_the_pool_drops_queued_tasks_and_their_channels() {
        use crossbeam_channel::TryRecvError;
        let pool = Pool::new(1);
        let spawner = pool.spawner();
        let (gate_tx, gate_rx) = unbounded::<()>();
        let (tx, rx) = unbounded::<()>();
        spawner.live(move || {
            let _ = gate_rx.recv();
        });
        let respawn = pool.spawner();
        spawner.live(move || {
            respawn.live(|| {});
            let _ = tx.send(());
        });
        drop(spawner);
        drop(gate_tx);
        drop(pool);
        // Either the second task ran (one message) or it was dropped unrun; either way the
        // pool is gone and nothing holds the task's sender: the channel is already closed.
        let _ran = rx.try_recv();
        assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    }
}
