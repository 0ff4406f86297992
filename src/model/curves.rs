//! A sweep's results per contender: test accuracy against learning rate, the best rate and
//! how flat the curve is around it. Computed when results arrive, for `sweep`'s report, its
//! plot and the dashboard's sweep view alike.

use serde::{Deserialize, Serialize};

use super::stats::{ContenderStats, better_first, summarize};
use crate::engine::SeedResult;
use crate::train::Contender;

/// Rates whose mean test accuracy is within this of the best rate's count as "flat" around it:
/// one percentage point, about 3.6 test images of the lab's 360.
pub const FLAT_WITHIN: f64 = 0.01;

/// One contender's test accuracy against learning rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// Who.
    pub optimizer: Contender,
    /// Place in the ranking, from 1: by the mean test accuracy at the best rate (equal within
    /// rounding is a tie), then by the median loss there.
    pub rank: usize,
    /// The rate with the highest mean test accuracy (ties: lower median loss, then the smaller
    /// rate); `None` if no run at any rate has an accuracy.
    pub best_lr: Option<f64>,
    /// The smallest rate of the unbroken stretch of the grid around `best_lr` whose mean test
    /// accuracy is within [`FLAT_WITHIN`] of the best.
    pub flat_from: Option<f64>,
    /// The largest rate of that stretch.
    pub flat_to: Option<f64>,
    /// `log10(flat_to / flat_from)`: how many decades of rate are as good as the best.
    pub flat_decades: Option<f64>,
    /// One point per rate of the grid, in its order.
    pub points: Vec<Point>,
}

/// One contender at one rate: [`summarize`]'s figures over the seeds at that rate (its rank
/// and wins are among the contenders at the same rate; a diverged run counts with the accuracy
/// it ended at).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The learning rate (the baseline's `learning_rate_init`).
    pub lr: f64,
    /// The figures at this rate.
    #[serde(flatten)]
    pub stats: ContenderStats,
}

/// One curve per contender, in `contenders` order, from results in any order (those at rates
/// off the grid are ignored): the statistics of [`summarize`] at each rate, the best rate by
/// the ranking's own order, the flat stretch around it, and the ranking by best rate.
pub fn curves(contenders: &[Contender], rates: &[f64], results: &[SeedResult]) -> Vec<Curve> {
    let per_rate: Vec<Vec<ContenderStats>> = (rates.iter())
        .map(|&lr| {
            let at: Vec<SeedResult> = (results.iter())
                .filter(|r| r.lr == Some(lr))
                .cloned()
                .collect();
            summarize(contenders, &at)
        })
        .collect();
    let mut bests: Vec<Option<&ContenderStats>> = Vec::new();
    let mut curves: Vec<Curve> = (0..contenders.len())
        .map(|c| {
            let column: Vec<&ContenderStats> = per_rate.iter().map(|s| &s[c]).collect();
            let best = (0..column.len())
                .reduce(|b, i| match better_first(column[i], column[b]) {
                    std::cmp::Ordering::Less => i,
                    _ => b,
                })
                .filter(|&b| column[b].mean_test_acc.is_some());
            bests.push(best.map(|b| column[b]));
            let (mut from, mut to) = (best, best);
            if let Some(b) = best {
                let near = |i: usize| {
                    (column[i].mean_test_acc)
                        .zip(column[b].mean_test_acc)
                        .is_some_and(|(m, top)| m >= top - FLAT_WITHIN)
                };
                let (mut lo, mut hi) = (b, b);
                while lo > 0 && near(lo - 1) {
                    lo -= 1;
                }
                while hi + 1 < column.len() && near(hi + 1) {
                    hi += 1;
                }
                (from, to) = (Some(lo), Some(hi));
            }
            Curve {
                optimizer: contenders[c],
                rank: 0,
                best_lr: best.map(|b| rates[b]),
                flat_from: from.map(|i| rates[i]),
                flat_to: to.map(|i| rates[i]),
                flat_decades: from.zip(to).map(|(a, b)| (rates[b] / rates[a]).log10()),
                points: (rates.iter().zip(&column))
                    .map(|(&lr, &stats)| Point {
                        lr,
                        stats: stats.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..curves.len()).collect();
    order.sort_by(|&a, &b| match (bests[a], bests[b]) {
        (Some(x), Some(y)) => better_first(x, y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    for (place, &i) in order.iter().enumerate() {
        curves[i].rank = place + 1;
    }
    curves
}
