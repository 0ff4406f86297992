//! A sweep's results per contender: test accuracy against learning rate (or a knob's values),
//! the best value and how flat the curve is around it. Computed when results arrive, for `sweep`'s report, its
//! plot and the dashboard's sweep view alike.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::stats::{ContenderStats, better_first, summarize};
use crate::engine::{Grid, Knob, SeedResult, Value};
use crate::train::Contender;

/// Rates whose mean test accuracy is within this of the best rate's count as "flat" around it:
/// one percentage point, about 3.6 test images of the lab's 360.
pub(crate) const FLAT_WITHIN: f64 = 0.01;

/// One contender's test accuracy against learning rate, or against a knob's values.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Curve {
    /// Who.
    pub optimizer: Contender,
    /// What was swept.
    pub knob: Knob,
    /// Place in the ranking, from 1: by the mean test accuracy at the best value (equal within
    /// rounding is a tie), then by the median loss there.
    pub rank: usize,
    /// The value with the highest mean test accuracy (ties: lower median loss, then the first
    /// in the grid); `None` if no run at any value has an accuracy.
    pub best: Option<Value>,
    /// The first value of the unbroken stretch of the grid around `best` whose mean test
    /// accuracy is within [`FLAT_WITHIN`] of the best.
    pub flat_from: Option<Value>,
    /// The last value of that stretch.
    pub flat_to: Option<Value>,
    /// For rates, `log10(flat_to / flat_from)`: how many decades of rate are as good as the
    /// best.
    pub flat_decades: Option<f64>,
    /// One point per value of the grid, in its order.
    pub points: Vec<Point>,
}

/// In JSON the best value is named after the knob (`best_lr`, `best_init`, …) and
/// `flat_decades` is there for rates only, so a rate sweep's summary reads as it always has.
impl Serialize for Curve {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bare = |v: Option<Value>| v.map(Value::bare);
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("optimizer", &self.optimizer)?;
        map.serialize_entry("rank", &self.rank)?;
        map.serialize_entry(&format!("best_{}", self.knob.key()), &bare(self.best))?;
        map.serialize_entry("flat_from", &bare(self.flat_from))?;
        map.serialize_entry("flat_to", &bare(self.flat_to))?;
        if self.knob == Knob::Lr {
            map.serialize_entry("flat_decades", &self.flat_decades)?;
        }
        map.serialize_entry("points", &self.points)?;
        map.end()
    }
}

/// One contender at one value: [`summarize`]'s figures over the seeds there (its rank and wins
/// are among the contenders at the same value; a diverged run counts with the accuracy it ended
/// at).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Point {
    /// The value: `"lr": 0.01` (the baseline's `learning_rate_init`), `"init": "he"`, ….
    #[serde(flatten)]
    pub at: Value,
    /// The figures at this value.
    #[serde(flatten)]
    pub stats: ContenderStats,
}

/// One curve per contender, in `contenders` order, from results in any order (those at values
/// off the grid are ignored): the statistics of [`summarize`] at each value, the best value by
/// the ranking's own order, the flat stretch around it, and the ranking by best value.
pub(crate) fn curves(contenders: &[Contender], grid: &Grid, results: &[SeedResult]) -> Vec<Curve> {
    let values = grid.values();
    let per_value: Vec<Vec<ContenderStats>> = (values.iter())
        .map(|&value| {
            let at: Vec<SeedResult> = (results.iter())
                .filter(|r| r.at == Some(value))
                .cloned()
                .collect();
            summarize(contenders, &at)
        })
        .collect();
    let mut bests: Vec<Option<&ContenderStats>> = Vec::new();
    let mut curves: Vec<Curve> = (0..contenders.len())
        .map(|c| {
            let column: Vec<&ContenderStats> = per_value.iter().map(|s| &s[c]).collect();
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
            let decades = |a: usize, b: usize| match (values[a], values[b]) {
                (Value::Lr(a), Value::Lr(b)) => Some((b / a).log10()),
                _ => None,
            };
            Curve {
                optimizer: contenders[c],
                knob: grid.knob(),
                rank: 0,
                best: best.map(|b| values[b]),
                flat_from: from.map(|i| values[i]),
                flat_to: to.map(|i| values[i]),
                flat_decades: from.zip(to).and_then(|(a, b)| decades(a, b)),
                points: (values.iter().zip(&column))
                    .map(|(&at, &stats)| Point {
                        at,
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
