//! `digits-tui sweep`: every contender over a grid of learning rates on several seeds, because
//! whether an optimizer "wins" depends on the rate it is given. Per contender and rate the
//! spread of final test accuracy, the median loss and the divergences; per contender its best
//! rate and how flat the curve is around it; a table (best first) or a JSON document.

use std::sync::Arc;

use serde::Serialize;

use super::runs::{self, Request, Streams};
use crate::data::Dataset;
use crate::engine::SeedResult;
use crate::exit::RunError;
use crate::format::{self, rate_text, seed_span};
use crate::model::curves::{Curve, Point, curves};
use crate::train::{BASELINE_LOSS_NOTE, Contender, Settings};

/// The document `sweep --json` prints.
#[derive(Serialize)]
pub struct Report<'a> {
    /// Seeds, epochs and protocol.
    #[serde(flatten)]
    pub header: runs::Header<'a>,
    /// The learning-rate grid, increasing.
    pub rates: &'a [f64],
    /// Every run, by contender in `--optimizers` order, then rate, then seed.
    pub results: &'a [SeedResult],
    /// One curve per contender, in `--optimizers` order.
    pub summary: &'a [Curve],
    /// Contender names, best first.
    pub ranking: Vec<Contender>,
}

/// Runs `sweep` with `request` (its `rates` are the grid): see [`runs::run`]. Diverged runs
/// are counted, never fatal.
pub fn report(
    settings: &Settings,
    data: Arc<Dataset>,
    request: Request,
    streams: &mut Streams<'_>,
) -> Result<(), RunError> {
    let render = |settings: &Settings, seeds: &[u32], rates: Option<&[f64]>, results, json| {
        self::render(settings, seeds, rates.unwrap_or_default(), results, json)
    };
    runs::run(settings, data, request, &render, streams)
}

/// The report of a finished sweep, from its results in any order: the table, or the JSON
/// document with a closing newline. `merge` prints the same from the parts.
pub fn render(
    settings: &Settings,
    seeds: &[u32],
    rates: &[f64],
    mut results: Vec<SeedResult>,
    json: bool,
) -> Result<String, RunError> {
    let order = |c: Contender| settings.optimizers.iter().position(|&o| o == c);
    let at = |lr: Option<f64>| rates.iter().position(|&r| Some(r) == lr);
    results.sort_by_key(|r| (order(r.optimizer), at(r.lr), r.seed));
    let curves = curves(&settings.optimizers, rates, &results);
    if !json {
        return Ok(table(settings, seeds, rates, &curves));
    }
    let mut ranked: Vec<&Curve> = curves.iter().collect();
    ranked.sort_by_key(|c| c.rank);
    let report = Report {
        header: runs::Header::of(settings, seeds),
        rates,
        results: &results,
        summary: &curves,
        ranking: ranked.iter().map(|c| c.optimizer).collect(),
    };
    runs::json_line(&report)
}

/// The text table: what was swept, one row per contender best first (best rate, the accuracy
/// there, the flat stretch), then every contender's curve rate by rate, then what it means.
pub fn table(settings: &Settings, seeds: &[u32], rates: &[f64], curves: &[Curve]) -> String {
    let grid = match (rates.first(), rates.last()) {
        (Some(a), Some(b)) if rates.len() > 1 => {
            format!(
                "{} rates from {} to {}",
                rates.len(),
                rate_text(*a),
                rate_text(*b)
            )
        }
        (Some(a), _) => format!("1 rate, {}", rate_text(*a)),
        _ => "no rates".to_owned(),
    };
    let mut out = format!(
        "sweep: {grid}, {} each ({}), {} epochs, {} protocol, batch {}, hidden {}\n",
        crate::format::count(seeds.len(), "run"),
        seed_span(seeds),
        settings.epochs,
        settings.protocol.name(),
        settings.batch_size,
        settings.hidden_list()
    );
    let mut ranked: Vec<&Curve> = curves.iter().collect();
    ranked.sort_by_key(|c| c.rank);
    let dash = || format::MISSING.to_owned();
    let spread = |p: &Point| format::mean_sd(p.stats.mean_test_acc, p.stats.sd_test_acc);
    let loss = |p: &Point| format::loss(p.stats.median_loss, None);
    out.push_str(&format!(
        "{:>4}  {:<13}  {:>9}  {:>15}  {:>11}  {:>21}  {:>7}\n",
        "rank",
        "optimizer",
        "best lr",
        "test acc ± sd",
        "median loss",
        "within 0.01 of best",
        "decades"
    ));
    for c in &ranked {
        let best = (c.points.iter()).find(|p| Some(p.lr) == c.best_lr);
        let flat = match (c.flat_from, c.flat_to) {
            (Some(a), Some(b)) => format!("{}..={}", rate_text(a), rate_text(b)),
            _ => dash(),
        };
        out.push_str(&format!(
            "{:>4}  {:<13}  {:>9}  {:>15}  {:>11}  {:>21}  {:>7}\n",
            c.rank,
            c.optimizer.label(),
            c.best_lr.map_or_else(dash, rate_text),
            best.map_or_else(dash, spread),
            best.map_or_else(dash, loss),
            flat,
            c.flat_decades.map_or_else(dash, |d| format!("{d:.1}")),
        ));
    }
    out.push('\n');
    out.push_str(&format!(
        "{:<13}  {:>9}    {:>15}  {:>6}  {:>6}  {:>11}  {:>8}\n",
        "optimizer", "lr", "test acc ± sd", "min", "max", "median loss", "diverged"
    ));
    let acc = format::maybe_accuracy;
    for c in &ranked {
        for p in &c.points {
            out.push_str(&format!(
                "{:<13}  {:>9} {}  {:>15}  {:>6}  {:>6}  {:>11}  {:>8}\n",
                c.optimizer.label(),
                rate_text(p.lr),
                if Some(p.lr) == c.best_lr { "*" } else { " " },
                spread(p),
                acc(p.stats.min_test_acc),
                acc(p.stats.max_test_acc),
                loss(p),
                format!(
                    "{}/{}",
                    p.stats.diverged,
                    p.stats.runs - p.stats.not_started
                )
            ));
        }
    }
    out.push_str(
        "test acc: final test accuracy over seeds, mean ± sample standard deviation (n-1); a\n\
         diverged run counts with the accuracy it ended at. median loss: over the runs that did\n\
         not diverge. best lr (*): the highest mean test accuracy, then the lower median loss.\n\
         within 0.01 of best: the unbroken stretch of the grid around the best rate whose mean\n\
         test accuracy is at most 0.01 below the best; decades: log10 of its last rate over its\n\
         first. rank: by the mean test accuracy at the best rate, then by median loss.\n",
    );
    for c in ranked.iter() {
        let never: usize = c.points.iter().map(|p| p.stats.not_started).sum();
        if never > 0 {
            out.push_str(&format!(
                "{}: {never} chain stages never started (an earlier stage diverged).\n",
                c.optimizer.label()
            ));
        }
    }
    if curves.iter().any(|c| c.optimizer == Contender::Mlp) {
        out.push_str(
            "MLP (sklearn): the rate is its learning_rate_init; its other settings stay \
             scikit-learn's.\n",
        );
        out.push_str(BASELINE_LOSS_NOTE);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One seed's result of `optimizer` at `lr`.
    fn run(optimizer: Contender, lr: f64, seed: u32, acc: f64, diverged: bool) -> SeedResult {
        SeedResult {
            seed,
            optimizer,
            lr: Some(lr),
            epochs: 10,
            test_acc: Some(acc),
            final_loss: (!diverged).then_some(1.0 - acc),
            diverged,
            perfect_train_epoch: None,
        }
    }

    #[test]
    fn best_rates_flat_stretches_and_the_ranking_by_hand() {
        use Contender::{Adam, Sgd};
        let rates = [0.001, 0.01, 0.1, 1.0];
        // SGD: 0.90, 0.95, 0.96, diverged at 1 (0.10). Adam: 0.97, 0.965, 0.95, 0.955.
        let sgd = [0.90, 0.95, 0.96, 0.10];
        let adam = [0.97, 0.965, 0.95, 0.955];
        let mut results = Vec::new();
        for (i, &lr) in rates.iter().enumerate() {
            for seed in [1, 2] {
                results.push(run(Sgd, lr, seed, sgd[i], lr == 1.0));
                results.push(run(Adam, lr, seed, adam[i], false));
            }
        }
        results.reverse();
        let curves = curves(&[Sgd, Adam], &rates, &results);
        let (s, a) = (&curves[0], &curves[1]);
        assert_eq!((s.best_lr, s.rank), (Some(0.1), 2));
        // 0.95 at 0.01 is within 0.01 of 0.96; 0.90 and the diverged 0.10 are not.
        assert_eq!((s.flat_from, s.flat_to), (Some(0.01), Some(0.1)));
        assert_eq!(s.flat_decades, Some(1.0));
        assert_eq!(s.points[3].stats.diverged, 2);
        assert_eq!(s.points[3].stats.median_loss, None);
        assert_eq!((a.best_lr, a.rank), (Some(0.001), 1));
        // 0.95 at 0.1 breaks the stretch, although 0.955 at 1 is within 0.01 again.
        assert_eq!((a.flat_from, a.flat_to), (Some(0.001), Some(0.01)));
        assert_eq!(a.points[0].stats.mean_test_acc, Some(0.97));
        assert_eq!(a.points[0].stats.sd_test_acc, Some(0.0));
    }

    #[test]
    fn a_contender_without_results_has_no_best_rate_and_ranks_last() {
        let results = vec![run(Contender::Sgd, 0.1, 1, 0.5, false)];
        let curves = curves(&[Contender::Adam, Contender::Sgd], &[0.1], &results);
        assert_eq!((curves[0].best_lr, curves[0].rank), (None, 2));
        assert_eq!(curves[0].flat_decades, None);
        assert_eq!((curves[1].best_lr, curves[1].rank), (Some(0.1), 1));
    }

    #[test]
    fn rates_print_short() {
        assert_eq!(rate_text(0.0001), "0.0001");
        assert_eq!(rate_text(1.0), "1");
        assert_eq!(rate_text(1e300), "1e300");
        assert_eq!(rate_text(10f64.powf(-3.5)), "3.162e-4");
    }
}
