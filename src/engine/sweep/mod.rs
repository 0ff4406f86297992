//! Many runs to the end: every contender on many seeds, perhaps at many learning rates or
//! values of a knob (`compare`, `sweep`, the seeds view), as background tasks on the [`Pool`](super::pool::Pool),
//! one epoch per task.
//!
//! ```text
//!  jobs (seed, value, stages) ─▶ lanes (at most `lanes` jobs at once) ──epoch tasks──▶ pool
//!  results() ◀── SeedResult per run, as each ends;  cancel()/drop ── checked before every epoch
//!  pause() ── lanes park between slices (no core used);  resume() ── parked lanes queue again
//! ```
//!
//! A job is one seed's lab stages trained one after another (chain protocol) or a single
//! contender, with the settings as they are or at a value of its own ([`grid`]). Limiting the lanes makes
//! results arrive job by job rather than all at the end, and lets the seeds view take one
//! core's worth of spare time beside a live session. The job list is deterministic, so a
//! [`Shard`] of it can run on another machine and the parts add up to the whole.

mod grid;
mod jobs;

use std::collections::VecDeque;
use std::sync::atomic::{self, AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex};

use crossbeam_channel::{Receiver, Sender, unbounded};

use crate::data::Dataset;
use crate::train::{Progress, Settings, Trainer};

use super::pool::{self, Spawner};
use super::stages;

pub(crate) use grid::{Grid, Knob, Value};
pub(crate) use jobs::{Failure, Job, Outcome, SeedResult, Shard, jobs, seeds};

/// A sweep in progress. Results stream through [`results`] (the channel closes when every job
/// has reported); dropping the handle cancels what is left.
///
/// [`results`]: SeedRuns::results
pub(crate) struct SeedRuns {
    results: Receiver<Outcome>,
    cancelled: Arc<AtomicBool>,
    parking: Arc<Parking>,
    epochs_trained: Arc<AtomicU64>,
    runs: usize,
}

/// What every lane of one sweep shares.
struct Shared {
    settings: Settings,
    data: Arc<Dataset>,
    queue: Mutex<VecDeque<Job>>,
    cancelled: Arc<AtomicBool>,
    parking: Arc<Parking>,
    epochs_trained: Arc<AtomicU64>,
    results: Sender<Outcome>,
    spawner: Spawner,
}

/// Where a paused sweep's lanes wait: a paused lane parks itself here instead of queueing
/// its next slice, so a paused sweep holds no core; resuming queues them again. The flag is
/// read and written under the lock, so no lane parks after a resume has emptied the list.
#[derive(Default)]
struct Parking {
    paused: AtomicBool,
    lanes: Mutex<Vec<Lane>>,
}

impl SeedRuns {
    /// Starts training `jobs` (from [`jobs`], perhaps one [`Shard`] of them) with `settings`
    /// at each job's seed and rate, at most `lanes` jobs at a time.
    pub(crate) fn of_jobs(
        spawner: &Spawner,
        settings: &Settings,
        data: Arc<Dataset>,
        jobs: Vec<Job>,
        lanes: usize,
    ) -> Self {
        let runs = jobs.iter().map(|job| job.stages.len()).sum();
        let jobs = VecDeque::from(jobs);
        let lanes = lanes.clamp(1, jobs.len().max(1));
        let (results_tx, results) = unbounded();
        let cancelled = Arc::new(AtomicBool::new(false));
        let parking = Arc::new(Parking::default());
        let epochs_trained = Arc::new(AtomicU64::new(0));
        let shared = Arc::new(Shared {
            settings: settings.clone(),
            data,
            queue: Mutex::new(jobs),
            cancelled: Arc::clone(&cancelled),
            parking: Arc::clone(&parking),
            epochs_trained: Arc::clone(&epochs_trained),
            results: results_tx,
            spawner: spawner.clone(),
        });
        for _ in 0..lanes {
            Lane {
                shared: Arc::clone(&shared),
                job: None,
            }
            .queue();
        }
        Self {
            results,
            cancelled,
            parking,
            epochs_trained,
            runs,
        }
    }

    /// How many results a sweep that runs to the end delivers: one per job and stage.
    pub(crate) fn runs(&self) -> usize {
        self.runs
    }

    /// Epochs trained so far by every run, finished or not, counted before a run's result is
    /// sent: progress finer than whole runs, which at 1000 epochs take seconds each.
    pub(crate) fn epochs_trained(&self) -> u64 {
        self.epochs_trained.load(atomic::Ordering::Relaxed)
    }

    /// Results in the order runs finish; closes when every job has reported or was cancelled.
    pub(crate) fn results(&self) -> &Receiver<Outcome> {
        &self.results
    }

    /// Stops before the next epoch of every run; runs cut short report nothing.
    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, atomic::Ordering::Relaxed);
        // Parked lanes would never look at the flag: drop them (and their senders) now.
        if let Ok(mut lanes) = self.parking.lanes.lock() {
            lanes.clear();
        }
    }

    /// Parks every run after its current slice, keeping its place: a closed view's job
    /// holds no core until [`SeedRuns::resume`].
    pub(crate) fn pause(&self) {
        if let Ok(_lanes) = self.parking.lanes.lock() {
            self.parking.paused.store(true, atomic::Ordering::Relaxed);
        }
    }

    /// Carries on from where [`SeedRuns::pause`] stopped (nothing if it was not paused).
    pub(crate) fn resume(&self) {
        let parked = match self.parking.lanes.lock() {
            Ok(mut lanes) => {
                self.parking.paused.store(false, atomic::Ordering::Relaxed);
                std::mem::take(&mut *lanes)
            }
            Err(_) => Vec::new(),
        };
        parked.into_iter().for_each(Lane::queue);
    }
}

impl Drop for SeedRuns {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// The job a lane is on: which stage trains, and how it stands.
struct Current {
    job: Job,
    stage: usize,
    trainer: Trainer,
    result: SeedResult,
}

/// One job at a time, one epoch per pool task; a lane ends when the queue is empty or the
/// sweep is cancelled, and the results channel closes when the last lane ends.
struct Lane {
    shared: Arc<Shared>,
    job: Option<Current>,
}

impl Lane {
    fn queue(self) {
        let spawner = self.shared.spawner.clone();
        spawner.background(move || self.step());
    }

    /// Trains one epoch of the current job (taking the next job first if there is none), then
    /// queues itself again.
    fn step(mut self) {
        let shared = Arc::clone(&self.shared);
        if shared.cancelled.load(atomic::Ordering::Relaxed) {
            return;
        }
        if let Ok(mut parked) = shared.parking.lanes.lock()
            && shared.parking.paused.load(atomic::Ordering::Relaxed)
        {
            parked.push(self);
            return;
        }
        let mut current = match self.job.take() {
            Some(current) => current,
            None => {
                let next = shared.queue.lock().ok().and_then(|mut q| q.pop_front());
                let Some(job) = next else { return };
                let settings = job.settings(&shared.settings);
                let (first, data) = (job.stages[0], Arc::clone(&shared.data));
                Current {
                    trainer: match job.at {
                        Some(Value::Lr(lr)) => Trainer::at_rate(first, &settings, lr, data),
                        _ => Trainer::new(first, &settings, data),
                    },
                    result: job.unstarted(first),
                    stage: 0,
                    job,
                }
            }
        };
        match pool::train_slice(&mut current.trainer) {
            Ok(Progress::Batches { .. }) => self.job = Some(current),
            Ok(Progress::Epoch(report)) => {
                shared
                    .epochs_trained
                    .fetch_add(1, atomic::Ordering::Relaxed);
                let result = &mut current.result;
                result.epochs = report.epoch;
                result.test_acc = Some(report.test_acc);
                result.final_loss = (!report.diverged).then_some(report.loss);
                result.diverged = report.diverged;
                if report.train_acc == 1.0 && result.perfect_train_epoch.is_none() {
                    result.perfect_train_epoch = Some(report.epoch);
                }
                self.job = if report.diverged || current.trainer.is_done(shared.settings.epochs) {
                    self.end_stage(current)
                } else {
                    Some(current)
                };
            }
            Err(message) => {
                let failure = Failure {
                    seed: current.job.seed,
                    optimizer: current.job.stages[current.stage],
                    message,
                };
                let _ = shared.results.send(Err(failure));
            }
        }
        self.queue();
    }

    /// Reports a stage that ended and starts the next one from it; stages after a divergence
    /// report as never started. `None` once the job is done.
    fn end_stage(&self, current: Current) -> Option<Current> {
        let Current {
            job,
            stage,
            trainer,
            result,
        } = current;
        let diverged = result.diverged;
        let _ = self.shared.results.send(Ok(result));
        let settings = job.settings(&self.shared.settings);
        for next in stage + 1..job.stages.len() {
            let contender = job.stages[next];
            match stages::continue_stage(&trainer, diverged, contender, &settings) {
                Some(trainer) => {
                    return Some(Current {
                        result: job.unstarted(contender),
                        stage: next,
                        trainer,
                        job,
                    });
                }
                None => {
                    let _ = (self.shared.results).send(Ok(job.unstarted(contender)));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::pool::Pool;
    use crate::train::{Contender, Protocol};

    /// Every contender of `settings` on every seed of `seeds` (the seed in `settings` is
    /// ignored), at most `lanes` runs at a time, as background tasks of `spawner`'s pool.
    fn start(
        spawner: &Spawner,
        settings: &Settings,
        data: Arc<Dataset>,
        seeds: &[u32],
        lanes: usize,
    ) -> SeedRuns {
        SeedRuns::of_jobs(spawner, settings, data, jobs(settings, seeds, None), lanes)
    }

    fn tiny() -> (Settings, Arc<Dataset>) {
        let settings = Settings {
            epochs: 3,
            hidden: vec![8],
            optimizers: vec![Contender::Sgd, Contender::Adam, Contender::Mlp],
            ..Settings::default()
        };
        (settings, Arc::new(Dataset::lab()))
    }

    fn collect(sweep: &SeedRuns) -> Vec<SeedResult> {
        let mut results: Vec<SeedResult> = (sweep.results().iter())
            .map(|o| o.expect("no worker panics"))
            .collect();
        results.sort_by_key(|r| (r.seed, r.optimizer as u8));
        results
    }

    #[test]
    fn seeds_at_the_edges() {
        assert_eq!(seeds(7, 3), Some(vec![7, 8, 9]));
        assert_eq!(seeds(u32::MAX, 1), Some(vec![u32::MAX]));
        assert_eq!(seeds(u32::MAX, 2), None);
        assert_eq!(seeds(7, 0), None);
    }

    #[test]
    fn runs_match_single_runs_whatever_the_thread_count() {
        let (settings, data) = tiny();
        let (one, two) = (Pool::new(1), Pool::new(2));
        let a = collect(&start(
            &one.spawner(),
            &settings,
            Arc::clone(&data),
            &[3, 4],
            1,
        ));
        let b = collect(&start(
            &two.spawner(),
            &settings,
            Arc::clone(&data),
            &[3, 4],
            2,
        ));
        assert_eq!(a, b);
        assert_eq!(a.len(), 6);
        let seeded = Settings {
            seed: 4,
            ..settings.clone()
        };
        let mut adam = Trainer::new(Contender::Adam, &seeded, data);
        let last = (0..3).map(|_| adam.train_epoch()).last().unwrap();
        assert_eq!(a[4].optimizer, Contender::Adam);
        assert_eq!(a[4].test_acc, Some(last.test_acc));
        assert_eq!(a[4].final_loss, Some(last.loss));
    }

    #[test]
    fn the_chain_protocol_continues_each_stage_from_the_last() {
        let (settings, data) = tiny();
        let chain = Settings {
            protocol: Protocol::Chain,
            ..settings
        };
        let pool = Pool::new(2);
        let results = collect(&start(&pool.spawner(), &chain, Arc::clone(&data), &[5], 2));
        assert_eq!(results.len(), 3);
        let seeded = Settings { seed: 5, ..chain };
        let mut sgd = Trainer::new(Contender::Sgd, &seeded, data);
        for _ in 0..3 {
            sgd.train_epoch();
        }
        let mut adam = sgd
            .continue_as(crate::nn::OptimizerKind::Adam, &seeded)
            .unwrap();
        let last = (0..3).map(|_| adam.train_epoch()).last().unwrap();
        assert_eq!(results[1].test_acc, Some(last.test_acc));
        assert_eq!(results[1].final_loss, Some(last.loss));
    }

    #[test]
    fn a_diverged_stage_leaves_the_later_ones_unstarted() {
        let (settings, data) = tiny();
        let chain = Settings {
            protocol: Protocol::Chain,
            hyper: crate::nn::Hyper {
                lr: 1e6,
                ..settings.hyper
            },
            ..settings
        };
        let pool = Pool::new(1);
        let results = collect(&start(&pool.spawner(), &chain, data, &[5], 1));
        assert!(results[0].diverged, "{results:?}");
        assert_eq!(results[1], SeedResult::unstarted(5, Contender::Adam));
    }

    #[test]
    fn cancelling_stops_every_run_before_its_next_epoch() {
        let (settings, data) = tiny();
        let long = Settings {
            epochs: 1_000_000,
            ..settings
        };
        let pool = Pool::new(2);
        let sweep = start(&pool.spawner(), &long, data, &[1, 2, 3], 2);
        // Wait for the first epochs without a clock: each result-less epoch is counted.
        while sweep.epochs_trained() < 2 {
            std::thread::yield_now();
        }
        sweep.cancel();
        // The channel closes once every lane has stopped; runs cut short report nothing.
        assert_eq!(sweep.results().iter().count(), 0);
    }

    #[test]
    fn a_paused_sweep_trains_nothing_until_resumed() {
        let (settings, data) = tiny();
        let long = Settings {
            epochs: 1_000_000,
            ..settings
        };
        let pool = Pool::new(1);
        let sweep = start(&pool.spawner(), &long, data, &[1], 1);
        while sweep.epochs_trained() < 1 {
            std::thread::yield_now();
        }
        sweep.pause();
        // A live task runs only once the worker is free: after it, the lane has parked.
        let (tx, rx) = crossbeam_channel::bounded(1);
        pool.spawner().live(move || {
            let _ = tx.send(());
        });
        rx.recv().expect("the worker is free");
        let parked = sweep.epochs_trained();
        for _ in 0..3 {
            let (tx, rx) = crossbeam_channel::bounded(1);
            pool.spawner().background(move || {
                let _ = tx.send(());
            });
            rx.recv().expect("the background queue is served");
        }
        assert_eq!(sweep.epochs_trained(), parked, "a paused sweep trained on");
        sweep.resume();
        while sweep.epochs_trained() <= parked {
            std::thread::yield_now();
        }
        sweep.cancel();
        assert_eq!(sweep.results().iter().count(), 0);
    }
}
