//! The runs beside the session: the seeds view's (`m`) and the sweep view's (`g`). Their
//! statistics are computed as each result arrives, so the views only draw them.
//!
//! Each is a job with a [`JobState`] that the loop makes true of the real sweep every frame
//! (pausing, resuming or dropping it): a job runs while its view is open, or after it closed
//! only if the user chose `k` (keep); closing the view otherwise pauses it, `x` cancels it, and
//! at most one job runs at a time (one core, as the README promises). On large data a job
//! waits for Enter, its view showing an estimate first.

use std::time::Duration;

use crate::engine::{Grid, Outcome, SeedResult, seeds};
use crate::model::curves::{Curve, curves};
use crate::model::stats::{ContenderStats, summarize};
use crate::settings::{COMPARE_SEEDS, SWEEP_SEEDS, sweep_rates};
use crate::train::Contender;

use super::view::View;

/// Which background runs: the seeds view's (`m`: the session's settings on several seeds, as
/// `compare`) or the sweep view's (`g`: over learning rates too, as `sweep`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Background {
    /// The seeds view's.
    Seeds,
    /// The sweep view's.
    Sweep,
}

impl Background {
    /// Both, in the order [`Backgrounds`] keeps them.
    pub(crate) const ALL: [Self; 2] = [Self::Seeds, Self::Sweep];

    /// The view that shows them.
    pub(crate) fn view(self) -> View {
        match self {
            Self::Seeds => View::Seeds,
            Self::Sweep => View::Sweep,
        }
    }

    /// The job `view` shows, if it shows one.
    pub(crate) fn of(view: View) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.view() == view)
    }

    /// What the status bar and notices call it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Seeds => "seeds",
            Self::Sweep => "sweep",
        }
    }

    /// The key that opens its view (from the keymap, so a notice never names a dead key).
    pub(crate) fn key(self) -> String {
        let intent = crate::ui::intent::Intent::ToggleView(self.view());
        (crate::ui::keymap::KEYMAP.iter())
            .find(|b| b.intent == intent)
            .and_then(|b| b.keys.first())
            .map_or_else(String::new, |&k| crate::ui::keymap::key_name(k, false))
    }

    /// How many seeds they train: the session's own and those after it, as many as the
    /// subcommand trains by default.
    fn seed_count(self) -> u32 {
        match self {
            Self::Seeds => COMPARE_SEEDS,
            Self::Sweep => SWEEP_SEEDS,
        }
    }

    /// The learning rates tried (empty: the session's own only).
    fn rates(self) -> Vec<f64> {
        match self {
            Self::Seeds => Vec::new(),
            Self::Sweep => sweep_rates(),
        }
    }
}

/// Training images from which a job asks before it starts: the lab's 1 437 start at once,
/// MNIST's 60 000 (hours of work on one core) wait for Enter.
pub(crate) const LARGE_DATA: usize = 10_000;

/// Where a background job stands; the loop makes the real sweep follow it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum JobState {
    /// Never started (or forgotten by a restart).
    #[default]
    Idle,
    /// On large data: its view shows the estimate; Enter starts it.
    Confirm,
    /// Training, on one core's spare time.
    Running,
    /// Parked where it stood (its view closed): opening the view resumes it.
    Paused,
    /// Stopped by `x`: its results so far stay on show.
    Cancelled,
}

/// The background runs behind the seeds view (`m`) or the sweep view (`g`): started the first
/// time the view opens (on large data once confirmed), paused when it closes unless kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct BackgroundRuns {
    /// The seeds being compared (empty until started).
    pub seeds: Vec<u32>,
    /// The sweep view's learning rates; empty for the seeds view.
    pub rates: Vec<f64>,
    /// Runs in all.
    pub runs: usize,
    /// Runs finished so far, in arrival order.
    pub results: Vec<SeedResult>,
    /// Runs whose worker failed.
    pub failures: Vec<String>,
    /// Who trains, in session order: what the statistics are kept for.
    contenders: Vec<Contender>,
    /// Per contender, the spread of final test accuracy over the results so far.
    stats: Vec<ContenderStats>,
    /// Per contender, accuracy against the learning rate over the results so far (empty for
    /// the seeds view, which tries one rate).
    curves: Vec<Curve>,
    /// The accuracies the seeds view's spread bars span, `[lo, 1]`.
    scale: [f64; 2],
    /// Whether it trains, waits, or stopped.
    pub state: JobState,
    /// Whether it keeps running after its view closes (`k`).
    pub kept: bool,
    /// Epochs each run trains at most (the session's).
    pub epochs: u32,
    /// Epochs trained by every run so far, finished or not (as the sweep counts them).
    pub epochs_trained: u64,
    /// `(clock, epochs_trained)` when it last started or resumed: where its rate counts from.
    since: Option<(Duration, u64)>,
    /// Epochs per second since [`BackgroundRuns::since`].
    rate: Option<f64>,
}

impl BackgroundRuns {
    /// Runs of `contenders` over `seeds` at `rates` (none: the session's own rate), nothing
    /// finished yet.
    fn new(contenders: &[Contender], seeds: Vec<u32>, rates: Vec<f64>) -> Self {
        let mut runs = Self {
            runs: seeds.len() * rates.len().max(1) * contenders.len(),
            seeds,
            rates,
            contenders: contenders.to_vec(),
            ..Self::default()
        };
        runs.summarize();
        runs
    }

    /// True once a comparison was started.
    pub(crate) fn started(&self) -> bool {
        !self.seeds.is_empty()
    }

    /// True once every run finished or failed.
    pub(crate) fn done(&self) -> bool {
        self.started() && self.results.len() + self.failures.len() >= self.runs
    }

    /// Per contender, the spread of final test accuracy over the results so far.
    pub(crate) fn stats(&self) -> &[ContenderStats] {
        &self.stats
    }

    /// Per contender, accuracy against the learning rate over the results so far.
    pub(crate) fn curves(&self) -> &[Curve] {
        &self.curves
    }

    /// The accuracies the seeds view's spread bars span: from just under the lowest final
    /// test accuracy so far, on whole hundredths (at most 0.99), to 1.
    pub(crate) fn accuracy_scale(&self) -> [f64; 2] {
        self.scale
    }

    /// Adds one run's outcome and brings the statistics up to date.
    fn record(&mut self, outcome: Outcome) {
        match outcome {
            Ok(result) => {
                self.results.push(result);
                self.summarize();
            }
            Err(failure) => self.failures.push(failure.to_string()),
        }
    }

    /// Runs finished or failed.
    pub(crate) fn ended(&self) -> usize {
        self.results.len() + self.failures.len()
    }

    /// Within-run progress, `(run, epoch)`: the run under way (from 1; one lane trains one run
    /// at a time) and the epochs it trained, the epochs counted but not yet in a result.
    pub(crate) fn current(&self) -> (usize, u32) {
        let reported: u64 = self.results.iter().map(|r| u64::from(r.epochs)).sum();
        let epoch = self.epochs_trained.saturating_sub(reported);
        let epoch = u32::try_from(epoch).unwrap_or(u32::MAX).min(self.epochs);
        ((self.ended() + 1).min(self.runs), epoch)
    }

    /// Epochs left at most (the baseline and diverged runs stop early).
    pub(crate) fn epochs_left(&self) -> u64 {
        let runs_left = self.runs.saturating_sub(self.ended()) as u64;
        (runs_left * u64::from(self.epochs)).saturating_sub(u64::from(self.current().1))
    }

    /// Time left at the rate measured since it last (re)started, once there is one.
    pub(crate) fn time_left(&self) -> Option<Duration> {
        let rate = self.rate.filter(|r| *r > 0.0)?;
        Some(Duration::from_secs_f64(self.epochs_left() as f64 / rate))
    }

    /// Whether it trains now.
    pub(crate) fn running(&self) -> bool {
        self.state == JobState::Running && !self.done()
    }

    /// The sweep's epoch count at `clock`: progress within runs, and the rate.
    fn progress(&mut self, clock: Duration, epochs_trained: u64) {
        self.epochs_trained = epochs_trained;
        if self.state != JobState::Running {
            self.since = None;
            return;
        }
        let (t0, e0) = *self.since.get_or_insert((clock, epochs_trained));
        let dt = clock.saturating_sub(t0).as_secs_f64();
        if dt >= 1.0 {
            self.rate = Some(epochs_trained.saturating_sub(e0) as f64 / dt);
        }
    }

    fn summarize(&mut self) {
        self.stats = summarize(&self.contenders, &self.results);
        self.scale = accuracy_scale(&self.stats);
        if !self.rates.is_empty() {
            self.curves = curves(
                &self.contenders,
                &Grid::Lr(self.rates.clone()),
                &self.results,
            );
        }
    }
}

/// The span of [`BackgroundRuns::accuracy_scale`] for `stats`.
fn accuracy_scale(stats: &[ContenderStats]) -> [f64; 2] {
    let lowest = (stats.iter().filter_map(|s| s.min_test_acc)).fold(1.0f64, f64::min);
    let lo = ((lowest - 0.005) * 100.0).floor() / 100.0;
    [lo.min(0.99), 1.0]
}

/// Both views' background runs as the app knows them, as far as they got (in [`Background::ALL`] order).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Backgrounds {
    /// Each view's job.
    jobs: [BackgroundRuns; 2],
    /// The latest lab epoch's compute time in the session: what one epoch of a background
    /// run costs too, so what a job's estimate multiplies.
    epoch_cost: Option<Duration>,
}

impl Backgrounds {
    /// One view's runs.
    pub(crate) fn get(&self, which: Background) -> &BackgroundRuns {
        &self.jobs[which as usize]
    }

    /// A session's lab run trained an epoch in `wall` (its slices added up).
    pub(crate) fn epoch_took(&mut self, wall: Duration) {
        self.epoch_cost = Some(wall).filter(|w| !w.is_zero()).or(self.epoch_cost);
    }

    /// How long `which` would take on one core, from the session's epoch time: every run
    /// trained to the last epoch (the baseline stops earlier, so this is an upper bound).
    pub(crate) fn estimate(&self, which: Background) -> Option<Duration> {
        let job = self.get(which);
        let epochs = job.runs as f64 * f64::from(job.epochs);
        Some(self.epoch_cost?.mul_f64(epochs))
    }

    /// Lays out `which` for `contenders` from `first` on (its seeds and rates), `epochs` each,
    /// running unless `confirm` (then it waits for [`Backgrounds::confirm`]); `Err` says why
    /// there is no room for its seeds. Returns the seeds and rates the loop must train.
    pub(crate) fn start(
        &mut self,
        which: Background,
        contenders: &[Contender],
        first: u32,
        (epochs, confirm): (u32, bool),
    ) -> Result<(Vec<u32>, Vec<f64>), String> {
        let count = which.seed_count();
        let seeds =
            seeds(first, count).ok_or(format!("no room for {count} seeds above this one"))?;
        let rates = which.rates();
        let mut runs = BackgroundRuns::new(contenders, seeds.clone(), rates.clone());
        runs.epochs = epochs;
        self.jobs[which as usize] = runs;
        match confirm {
            true => self.jobs[which as usize].state = JobState::Confirm,
            false => {
                self.run(which);
            }
        }
        Ok((seeds, rates))
    }

    /// `which` runs (any other running job pauses: one core for them all). Returns the job
    /// paused for it, if any.
    pub(crate) fn run(&mut self, which: Background) -> Option<Background> {
        let other = Background::ALL.into_iter().find(|&b| b != which)?;
        let paused = self.get(other).running().then(|| {
            self.jobs[other as usize].state = JobState::Paused;
            other
        });
        self.jobs[which as usize].state = JobState::Running;
        paused
    }

    /// Its view closed: `which` pauses unless kept.
    pub(crate) fn closed(&mut self, which: Background) {
        let job = &mut self.jobs[which as usize];
        if job.state == JobState::Running && !job.kept {
            job.state = JobState::Paused;
        }
    }

    /// Its view opened: a paused job resumes (and is no longer kept past its view); returns
    /// the job paused for it.
    pub(crate) fn opened(&mut self, which: Background) -> Option<Background> {
        self.jobs[which as usize].kept = false;
        match self.get(which).state {
            JobState::Paused => self.run(which),
            _ => None,
        }
    }

    /// `k`: `which` keeps running after its view closes.
    pub(crate) fn keep(&mut self, which: Background) {
        self.jobs[which as usize].kept = true;
    }

    /// `x`: `which` stops for good; what it found stays.
    pub(crate) fn cancel(&mut self, which: Background) {
        self.jobs[which as usize].state = JobState::Cancelled;
    }

    /// The job training now, if any.
    pub(crate) fn active(&self) -> Option<Background> {
        Background::ALL.into_iter().find(|&b| self.get(b).running())
    }

    /// The sweep of `which` reports `epochs_trained` at `clock`.
    pub(crate) fn progress(&mut self, which: Background, clock: Duration, epochs_trained: u64) {
        self.jobs[which as usize].progress(clock, epochs_trained);
    }

    /// One run of `which` finished (or failed).
    pub(crate) fn record(&mut self, which: Background, outcome: Outcome) {
        self.jobs[which as usize].record(outcome);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Value;

    fn result(seed: u32, contender: Contender, lr: f64, test_acc: f64) -> SeedResult {
        SeedResult {
            at: Some(Value::Lr(lr)),
            epochs: 1,
            test_acc: Some(test_acc),
            final_loss: Some(0.1),
            ..SeedResult::unstarted(seed, contender)
        }
    }

    #[test]
    fn statistics_follow_each_result_as_it_arrives() {
        let mut all = Backgrounds::default();
        let contenders = [Contender::Adam, Contender::Sgd];
        let (seeds, rates) =
            (all.start(Background::Seeds, &contenders, 7, (10, false))).expect("room");
        assert_eq!((seeds.len(), rates.len()), (COMPARE_SEEDS as usize, 0));
        let runs = all.get(Background::Seeds);
        assert_eq!(runs.runs, 2 * COMPARE_SEEDS as usize);
        assert_eq!(runs.stats()[0].runs, 0);
        let mut seeds_result = |seed, acc| {
            let run = SeedResult {
                at: None,
                ..result(seed, Contender::Adam, 0.0, acc)
            };
            all.record(Background::Seeds, Ok(run));
        };
        seeds_result(7, 0.9);
        seeds_result(8, 0.8);
        let stats = &all.get(Background::Seeds).stats()[0];
        assert_eq!((stats.runs, stats.max_test_acc), (2, Some(0.9)));
        // The spread bars' span follows the lowest result: 0.8 less half a hundredth, floored.
        assert_eq!(all.get(Background::Seeds).accuracy_scale(), [0.79, 1.0]);
        assert!(all.get(Background::Seeds).curves().is_empty());
        assert!(!all.get(Background::Sweep).started());
    }

    #[test]
    fn the_sweep_keeps_curves_over_its_rates() {
        let mut all = Backgrounds::default();
        let (_, rates) =
            (all.start(Background::Sweep, &[Contender::Sgd], 7, (10, false))).expect("room");
        all.record(
            Background::Sweep,
            Ok(result(7, Contender::Sgd, rates[0], 0.5)),
        );
        let curves = all.get(Background::Sweep).curves();
        assert_eq!(curves.len(), 1);
        assert_eq!(curves[0].points[0].stats.mean_test_acc, Some(0.5));
    }

    #[test]
    fn a_seed_range_past_the_last_seed_is_refused() {
        let mut all = Backgrounds::default();
        let refused = all.start(Background::Seeds, &[Contender::Sgd], u32::MAX, (10, false));
        assert!(refused.is_err_and(|e| e.contains("no room")));
        assert!(!all.get(Background::Seeds).started());
    }

    #[test]
    fn one_job_runs_at_a_time_and_a_closed_view_pauses_its_own() {
        let mut all = Backgrounds::default();
        let sgd = [Contender::Sgd];
        all.start(Background::Seeds, &sgd, 7, (10, false))
            .expect("room");
        assert_eq!(all.active(), Some(Background::Seeds));
        all.closed(Background::Seeds);
        assert_eq!(all.get(Background::Seeds).state, JobState::Paused);
        assert_eq!(all.opened(Background::Seeds), None);
        all.keep(Background::Seeds);
        all.closed(Background::Seeds);
        assert_eq!(all.active(), Some(Background::Seeds));
        all.start(Background::Sweep, &sgd, 7, (10, false))
            .expect("room");
        assert_eq!(all.get(Background::Seeds).state, JobState::Paused);
        assert_eq!(all.active(), Some(Background::Sweep));
        all.cancel(Background::Sweep);
        assert_eq!(all.active(), None);
    }

    #[test]
    fn progress_within_a_run_and_time_left_follow_the_epoch_count() {
        let mut all = Backgrounds::default();
        all.start(Background::Seeds, &[Contender::Sgd], 7, (100, false))
            .expect("room");
        all.progress(Background::Seeds, Duration::from_secs(5), 0);
        all.record(Background::Seeds, Ok(result(7, Contender::Sgd, 0.1, 0.9)));
        // One run of 1 epoch reported, 41 more counted: run 2, epoch 41.
        all.progress(Background::Seeds, Duration::from_secs(7), 42);
        let job = all.get(Background::Seeds);
        assert_eq!(job.current(), (2, 41));
        assert_eq!(job.epochs_left(), 9 * 100 - 41);
        // 42 epochs in 2 s: 21 epochs/s.
        assert_eq!(job.time_left(), Some(Duration::from_secs_f64(859.0 / 21.0)));
    }
}
