//! Layer health: what each hidden layer of a lab network is doing, epoch by epoch. Whether its
//! units sit saturated (the lab's unit-normal weights drive most sigmoids to 0 or 1), how large
//! its gradients are, and how far each update moves its weights relative to their size.
//!
//! The probe only reads: the gradients after a backward pass, the weights around an update, and
//! the activations the test-set evaluation computes anyway. Training is the same to the bit
//! with or without it (tested in `run.rs`).

use serde::{Deserialize, Deserializer, Serialize};

use crate::nn::sum::pairwise_sum;
use crate::nn::{Activation, Network, Workspace};

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
pub(crate) fn bin(a: f64, (lo, hi): (f64, f64)) -> usize {
    let x = (a - lo) / (hi - lo) * BINS as f64;
    // `as` saturates: negative values and NaN give 0.
    (x as usize).min(BINS - 1)
}

/// Accumulates the figures of the epoch under way; every buffer is sized once.
#[derive(Clone, Debug)]
pub(crate) struct HealthProbe {
    activation: Activation,
    layers: Vec<Accumulator>,
    /// Scratch for one layer's squares, summed pairwise.
    squares: Vec<f64>,
}

#[derive(Clone, Debug)]
struct Accumulator {
    grad_norms: f64,
    ratios: f64,
    updates: u32,
    before: Vec<f64>,
    histogram: Vec<u64>,
    saturated: u64,
    seen: u64,
    /// Per unit: saturated on every test image evaluated so far.
    always: Vec<bool>,
}

impl HealthProbe {
    /// A probe for `net`'s hidden layers.
    pub(crate) fn new(net: &Network) -> Self {
        let hidden = &net.layers()[..net.layers().len() - 1];
        Self {
            activation: net.activation(),
            squares: vec![0.0; net.largest_layer()],
            layers: (hidden.iter())
                .map(|l| Accumulator {
                    grad_norms: 0.0,
                    ratios: 0.0,
                    updates: 0,
                    before: vec![0.0; l.by_input().len()],
                    histogram: vec![0; BINS],
                    saturated: 0,
                    seen: 0,
                    always: vec![true; l.n_out()],
                })
                .collect(),
        }
    }

    /// Before an update: the gradients it will apply, and the weights it will change.
    pub(crate) fn before_update(&mut self, net: &Network, ws: &Workspace) {
        for ((acc, layer), grad) in self.layers.iter_mut().zip(net.layers()).zip(ws.grads()) {
            acc.grad_norms += norm(&grad.w, &[], &mut self.squares);
            acc.before.copy_from_slice(layer.by_input());
        }
    }

    /// After the update: how far it moved each layer.
    pub(crate) fn after_update(&mut self, net: &Network) {
        for (acc, layer) in self.layers.iter_mut().zip(net.layers()) {
            let moved = norm(layer.by_input(), &acc.before, &mut self.squares);
            acc.ratios += moved / norm(&acc.before, &[], &mut self.squares);
            acc.updates += 1;
        }
    }

    /// Counts the activations of one evaluated chunk of test images: `acts(l)` is hidden layer
    /// `l`'s output for `rows` images.
    pub(crate) fn observe_test<'a>(&mut self, rows: usize, acts: impl Fn(usize) -> &'a [f64]) {
        let act = self.activation;
        let range = act.histogram_range();
        for (l, acc) in self.layers.iter_mut().enumerate() {
            let units = acc.always.len();
            for row in acts(l)[..rows * units].chunks_exact(units) {
                for (&a, always) in row.iter().zip(&mut acc.always) {
                    acc.histogram[bin(a, range)] += 1;
                    let saturated = act.is_saturated(a);
                    acc.saturated += u64::from(saturated);
                    *always &= saturated;
                }
            }
            acc.seen += (rows * units) as u64;
        }
    }

    /// The epoch's figures, and a fresh start for the next epoch.
    pub(crate) fn take(&mut self) -> Vec<LayerHealth> {
        let (lo, hi) = self.activation.histogram_range();
        (self.layers.iter_mut())
            .map(|acc| {
                let per_update = f64::from(acc.updates.max(1));
                let figures = LayerHealth {
                    saturated: acc.saturated as f64 / acc.seen.max(1) as f64,
                    stuck_units: acc.always.iter().filter(|&&a| a).count(),
                    grad_norm: acc.grad_norms / per_update,
                    update_ratio: acc.ratios / per_update,
                    range: [lo, hi],
                    histogram: acc.histogram.clone(),
                };
                acc.grad_norms = 0.0;
                acc.ratios = 0.0;
                acc.updates = 0;
                acc.histogram.fill(0);
                acc.saturated = 0;
                acc.seen = 0;
                acc.always.fill(true);
                figures
            })
            .collect()
    }
}

/// The Euclidean (Frobenius) norm of `a − b` (of `a` when `b` is empty), its squares summed
/// pairwise as `np.sum` sums an array: a display figure, whose order is ours to choose, and
/// a sum in order is a chain of dependent additions (62 720 of them, three times per MNIST
/// batch), which made the dashboard, always watching health, train markedly slower.
/// `squares` is scratch at least as long as `a`.
fn norm(a: &[f64], b: &[f64], squares: &mut [f64]) -> f64 {
    let squares = &mut squares[..a.len()];
    if b.is_empty() {
        for (s, &x) in squares.iter_mut().zip(a) {
            *s = x * x;
        }
    } else {
        for ((s, &x), &y) in squares.iter_mut().zip(a).zip(b) {
            *s = (x - y) * (x - y);
        }
    }
    pairwise_sum(squares).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

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
