//! Layer health: what each hidden layer of a lab network is doing, epoch by epoch. Whether its
//! units sit saturated (the lab's unit-normal weights drive most sigmoids to 0 or 1), how large
//! its gradients are, and how far each update moves its weights relative to their size.
//!
//! The probe only reads: the gradients after a backward pass, the weights around an update, and
//! the activations the test-set evaluation computes anyway. Training is the same to the bit
//! with or without it (tested in `run.rs`).

use std::ops::Range;
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Deserializer, Serialize};

use crate::nn::sum::{first_split, squared_distance, sum_of_squares};
use crate::nn::{Activation, Network, Workspace, team};

/// Bins of the activation histogram.
pub(crate) const BINS: usize = 20;

/// One hidden layer's figures for one epoch. JSON writes a figure that is not a number (a
/// diverged run's) as `null`, which reads back as NaN, so a session file keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerHealth {
    /// Share of the layer's activations on the test set (every unit × every image) in the
    /// activation's saturated region ([`Activation::is_saturated`]).
    #[serde(deserialize_with = "nan_if_null")]
    pub saturated: f64,
    /// Units saturated on every test image: they pass no gradient at all.
    pub stuck_units: usize,
    /// Mean over the epoch's batches of the Frobenius norm of the weight gradient the
    /// optimizer was given (summed over the batch, weight decay included).
    #[serde(deserialize_with = "nan_if_null")]
    pub grad_norm: f64,
    /// Mean over the epoch's updates of `‖ΔW‖ / ‖W‖` (`W` before the update).
    #[serde(deserialize_with = "nan_if_null")]
    pub update_ratio: f64,
    /// The histogram's range: `[0, 1]` sigmoid, `[-1, 1]` tanh, `[0, 4]` relu (larger values
    /// count in the last bin).
    pub range: [f64; 2],
    /// Test-set activations per bin, [`BINS`] equal bins over `range`.
    pub histogram: Vec<u64>,
}

/// A figure as JSON holds it: `null` for what was not a number.
fn nan_if_null<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// The bin of activation `a` over `[lo, hi]`; values beyond the ends go to the end bins.
/// The definition [`Binning`] computes faster, for the checks.
#[cfg(test)]
pub(crate) fn bin(a: f64, (lo, hi): (f64, f64)) -> usize {
    let x = (a - lo) / (hi - lo) * BINS as f64;
    // `as` saturates: negative values and NaN give 0.
    (x as usize).min(BINS - 1)
}

/// [`bin`] over an activation's range without its division: every range is a power of two
/// wide (1, 2, 4), so multiplying by the exact reciprocal rounds as dividing does.
#[derive(Clone, Copy)]
struct Binning {
    lo: f64,
    per_width: f64,
}

impl Binning {
    fn new(act: Activation) -> Self {
        let (lo, hi) = act.histogram_range();
        Self {
            lo,
            per_width: 1.0 / (hi - lo),
        }
    }

    fn bin(self, a: f64) -> usize {
        let x = (a - self.lo) * self.per_width * BINS as f64;
        // As `bin`'s `min` after the cast, and NaN stays NaN, which the cast makes 0.
        x.clamp(0.0, (BINS - 1) as f64) as usize
    }
}

/// Accumulates the figures of the epoch under way; every buffer is sized once. Its norms sum
/// squares over the stored layout in `np.sum`'s pairwise order: display figures, whose order
/// is ours, and a sum in the lab's order is a chain of dependent additions (62 720, three
/// times per MNIST batch) that made the dashboard, always watching health, train slower.
#[derive(Clone, Debug)]
pub(crate) struct HealthProbe {
    layers: Vec<Accumulator>,
    /// What the test set's evaluation counts: one set per thread that may evaluate chunks of
    /// it ([`HealthProbe::test_counts`]), added up at the epoch's end.
    counts: Vec<TestCounts>,
}

#[derive(Clone, Debug)]
struct Accumulator {
    grad_norms: f64,
    ratios: f64,
    updates: u32,
    before: Vec<f64>,
}

/// The test-set counts of the chunks one thread evaluated. They are integer counts and an
/// AND, so chunks counted on any threads, in any order, add up to the same figures.
#[derive(Clone, Debug)]
pub(crate) struct TestCounts {
    activation: Activation,
    layers: Vec<LayerCounts>,
}

#[derive(Clone, Debug)]
struct LayerCounts {
    histogram: [u64; BINS],
    saturated: u64,
    seen: u64,
    /// Per unit: saturated on every test image counted so far.
    always: Vec<bool>,
}

impl HealthProbe {
    /// A probe for `net`'s hidden layers.
    pub(crate) fn new(net: &Network) -> Self {
        let hidden = &net.layers()[..net.layers().len() - 1];
        let counts = TestCounts {
            activation: net.activation(),
            layers: (hidden.iter())
                .map(|l| LayerCounts {
                    histogram: [0; BINS],
                    saturated: 0,
                    seen: 0,
                    always: vec![true; l.n_out()],
                })
                .collect(),
        };
        Self {
            layers: (hidden.iter())
                .map(|l| Accumulator {
                    grad_norms: 0.0,
                    ratios: 0.0,
                    updates: 0,
                    before: vec![0.0; l.stored().len()],
                })
                .collect(),
            counts: vec![counts],
        }
    }

    /// Before an update: the gradients it will apply, and the weights it will change.
    pub(crate) fn before_update(&mut self, net: &Network, ws: &Workspace) {
        for ((acc, layer), grad) in self.layers.iter_mut().zip(net.layers()).zip(ws.grads()) {
            let w = layer.stored();
            let [squares, _] = in_halves(&mut acc.before, |range, before| {
                before.copy_from_slice(&w[range.clone()]);
                [sum_of_squares(&grad.w[range]), 0.0]
            });
            acc.grad_norms += squares.sqrt();
        }
    }

    /// After the update: how far it moved each layer.
    pub(crate) fn after_update(&mut self, net: &Network) {
        for (acc, layer) in self.layers.iter_mut().zip(net.layers()) {
            let w = layer.stored();
            let [moved, size] = in_halves(&mut acc.before, |range, before| {
                [squared_distance(&w[range], before), sum_of_squares(before)]
            });
            acc.ratios += moved.sqrt() / size.sqrt();
            acc.updates += 1;
        }
    }

    /// Counts for the test set's evaluation, at least `threads` of them, one for each thread
    /// that may take part (a thread's counts are only ever added to).
    pub(crate) fn test_counts(&mut self, threads: usize) -> &mut [TestCounts] {
        if self.counts.len() < threads {
            let mut fresh = self.counts[0].clone();
            fresh.clear();
            self.counts.resize(threads, fresh);
        }
        &mut self.counts
    }

    /// The epoch's figures, and a fresh start for the next epoch.
    pub(crate) fn take(&mut self) -> Vec<LayerHealth> {
        let (first, others) = self.counts.split_first_mut().expect("one set of counts");
        for other in others {
            first.add(other);
            other.clear();
        }
        let (lo, hi) = first.activation.histogram_range();
        let figures = (self.layers.iter_mut().zip(&first.layers))
            .map(|(acc, counts)| {
                let per_update = f64::from(acc.updates.max(1));
                let figures = LayerHealth {
                    saturated: counts.saturated as f64 / counts.seen.max(1) as f64,
                    stuck_units: counts.always.iter().filter(|&&a| a).count(),
                    grad_norm: acc.grad_norms / per_update,
                    update_ratio: acc.ratios / per_update,
                    range: [lo, hi],
                    histogram: counts.histogram.to_vec(),
                };
                acc.grad_norms = 0.0;
                acc.ratios = 0.0;
                acc.updates = 0;
                figures
            })
            .collect();
        first.clear();
        figures
    }
}

/// Multiply-adds of the batch products that one weight's pass in [`in_halves`] costs as much
/// time as: a pass streams its matrices from cache (about 0.26 ns a weight on this project's
/// Xeon) where the products reuse theirs (0.029 ns a multiply-add).
const PASS_COST: usize = 9;

/// `pass(range, &mut before[range])` over `before`'s two halves as numpy's pairwise tree
/// first splits it ([`first_split`]), its two sums added half to half: the whole tree's bits.
/// The halves are two parts of a team's split when helpers are idle and the matrix is large
/// (62 720 weights: two passes at about 16 µs each per MNIST batch); otherwise one pass.
fn in_halves(
    before: &mut [f64],
    pass: impl Fn(Range<usize>, &mut [f64]) -> [f64; 2] + Sync,
) -> [f64; 2] {
    let n = before.len();
    let Some(m) = first_split(n).filter(|_| team::participants(2 * PASS_COST * n) > 1) else {
        return pass(0..n, before);
    };
    let (left, right) = before.split_at_mut(m);
    // Each lock is taken once, by its part: only there to hand out the `&mut` halves.
    let halves =
        [(0..m, left), (m..n, right)].map(|(range, half)| Mutex::new((range, half, [0.0; 2])));
    team::split(2, |part, _| {
        let mut half = halves[part].lock().unwrap_or_else(PoisonError::into_inner);
        let (range, before, sums) = &mut *half;
        *sums = pass(range.clone(), before);
    });
    let [left, right] = halves.map(|h| h.into_inner().unwrap_or_else(PoisonError::into_inner).2);
    [left[0] + right[0], left[1] + right[1]]
}

impl TestCounts {
    /// Counts the activations of one evaluated chunk of test images: `acts(l)` is hidden layer
    /// `l`'s output for `rows` images.
    pub(crate) fn observe<'a>(&mut self, rows: usize, acts: impl Fn(usize) -> &'a [f64]) {
        let act = self.activation;
        let binning = Binning::new(act);
        for (l, counts) in self.layers.iter_mut().enumerate() {
            let units = counts.always.len();
            let acts = &acts(l)[..rows * units];
            // Four histograms taking activations in turn: most land in an end bin, and with one
            // histogram each count would wait for the one before.
            let mut histograms = [[0u64; BINS]; 4];
            let [h0, h1, h2, h3] = &mut histograms;
            let mut fours = acts.chunks_exact(4);
            for four in &mut fours {
                h0[binning.bin(four[0])] += 1;
                h1[binning.bin(four[1])] += 1;
                h2[binning.bin(four[2])] += 1;
                h3[binning.bin(four[3])] += 1;
            }
            for &a in fours.remainder() {
                h0[binning.bin(a)] += 1;
            }
            for histogram in &histograms {
                for (total, n) in counts.histogram.iter_mut().zip(histogram) {
                    *total += n;
                }
            }
            // Counted here, not in `counts`: a count kept in memory would wait for each store.
            let mut saturated = 0;
            for row in acts.chunks_exact(units) {
                for (&a, always) in row.iter().zip(&mut counts.always) {
                    let is = act.is_saturated(a);
                    saturated += u64::from(is);
                    *always &= is;
                }
            }
            counts.saturated += saturated;
            counts.seen += (rows * units) as u64;
        }
    }

    /// Adds `other`'s counts to these.
    fn add(&mut self, other: &Self) {
        for (counts, other) in self.layers.iter_mut().zip(&other.layers) {
            for (bin, n) in counts.histogram.iter_mut().zip(other.histogram) {
                *bin += n;
            }
            counts.saturated += other.saturated;
            counts.seen += other.seen;
            for (always, &also) in counts.always.iter_mut().zip(&other.always) {
                *always &= also;
            }
        }
    }

    /// Nothing counted yet.
    fn clear(&mut self) {
        for counts in &mut self.layers {
            counts.histogram.fill(0);
            counts.saturated = 0;
            counts.seen = 0;
            counts.always.fill(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binning_without_the_division_gives_every_bin_as_dividing_does() {
        let edges = (0..=4 * BINS).map(|i| i as f64 / BINS as f64 - 1.0);
        let near = edges.flat_map(|e: f64| [e, e.next_down(), e.next_up()]);
        let spread = (0..20_000).map(|i| (f64::from(i) * 0.618_034).sin() * 5.0);
        let odd = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e-310,
            -1e-310,
            0.0,
            -0.0,
        ];
        let values: Vec<f64> = near.chain(spread).chain(odd).collect();
        for act in Activation::ALL {
            let (lo, hi) = act.histogram_range();
            assert_eq!(
                (hi - lo).to_bits() & ((1 << 52) - 1),
                0,
                "{act:?}: a power of two"
            );
            let binning = Binning::new(act);
            for &a in &values {
                assert_eq!(binning.bin(a), bin(a, (lo, hi)), "{act:?} {a:e}");
            }
        }
    }

    #[test]
    fn bins_cover_the_range_and_clamp_the_rest() {
        let r = (0.0, 1.0);
        assert_eq!(bin(0.0, r), 0);
        assert_eq!(bin(0.049, r), 0);
        assert_eq!(bin(0.051, r), 1);
        assert_eq!(bin(1.0, r), BINS - 1);
        assert_eq!(bin(-3.0, r), 0);
        assert_eq!(bin(f64::NAN, r), 0);
        assert_eq!(bin(9.0, (0.0, 4.0)), BINS - 1);
        assert_eq!(bin(0.0, (-1.0, 1.0)), BINS / 2);
    }
}
