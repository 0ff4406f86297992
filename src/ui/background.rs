//! The runs beside the session: the seeds view's (`m`) and the sweep view's (`g`). Their
//! statistics are computed as each result arrives, so the views only draw them.

use crate::engine::{Grid, Outcome, SeedResult, seeds};
use crate::model::curves::{Curve, curves};
use crate::model::stats::{ContenderStats, summarize};
use crate::settings::{COMPARE_SEEDS, SWEEP_SEEDS, sweep_rates};
use crate::train::Contender;

use super::view::View;

/// Which background runs: the seeds view's (`m`: the session's settings on several seeds, as
/// `compare`) or the sweep view's (`g`: over learning rates too, as `sweep`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Background {
    /// The seeds view's.
    Seeds,
    /// The sweep view's.
    Sweep,
}

impl Background {
    /// Both, in the order [`Backgrounds`] keeps them.
    pub const ALL: [Self; 2] = [Self::Seeds, Self::Sweep];

    /// The view that shows them.
    pub fn view(self) -> View {
        match self {
            Self::Seeds => View::Seeds,
            Self::Sweep => View::Sweep,
        }
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

/// The background runs behind the seeds view (`m`) or the sweep view (`g`): started the first
/// time the view opens, they keep running while the view is closed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BackgroundRuns {
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
    pub fn started(&self) -> bool {
        !self.seeds.is_empty()
    }

    /// True once every run finished or failed.
    pub fn done(&self) -> bool {
        self.started() && self.results.len() + self.failures.len() >= self.runs
    }

    /// Per contender, the spread of final test accuracy over the results so far.
    pub fn stats(&self) -> &[ContenderStats] {
        &self.stats
    }

    /// Per contender, accuracy against the learning rate over the results so far.
    pub fn curves(&self) -> &[Curve] {
        &self.curves
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

    fn summarize(&mut self) {
        self.stats = summarize(&self.contenders, &self.results);
        if !self.rates.is_empty() {
            self.curves = curves(
                &self.contenders,
                &Grid::Lr(self.rates.clone()),
                &self.results,
            );
        }
    }
}

/// Both views' background runs as the app knows them, as far as they got (in [`Background::ALL`] order).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Backgrounds([BackgroundRuns; 2]);

impl Backgrounds {
    /// One view's runs.
    pub fn get(&self, which: Background) -> &BackgroundRuns {
        &self.0[which as usize]
    }

    /// Starts `which` for `contenders` from `first` on (its seeds and rates); `Err` says why
    /// there is no room for its seeds. Returns the seeds and rates the loop must train.
    pub fn start(
        &mut self,
        which: Background,
        contenders: &[Contender],
        first: u32,
    ) -> Result<(Vec<u32>, Vec<f64>), String> {
        let count = which.seed_count();
        let seeds =
            seeds(first, count).ok_or(format!("no room for {count} seeds above this one"))?;
        let rates = which.rates();
        self.0[which as usize] = BackgroundRuns::new(contenders, seeds.clone(), rates.clone());
        Ok((seeds, rates))
    }

    /// One run of `which` finished (or failed).
    pub fn record(&mut self, which: Background, outcome: Outcome) {
        self.0[which as usize].record(outcome);
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
        let (seeds, rates) = (all.start(Background::Seeds, &contenders, 7)).expect("room");
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
        assert!(all.get(Background::Seeds).curves().is_empty());
        assert!(!all.get(Background::Sweep).started());
    }

    #[test]
    fn the_sweep_keeps_curves_over_its_rates() {
        let mut all = Backgrounds::default();
        let (_, rates) = (all.start(Background::Sweep, &[Contender::Sgd], 7)).expect("room");
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
        let refused = all.start(Background::Seeds, &[Contender::Sgd], u32::MAX);
        assert!(refused.is_err_and(|e| e.contains("no room")));
        assert!(!all.get(Background::Seeds).started());
    }
}
