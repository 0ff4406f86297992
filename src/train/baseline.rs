//! scikit-learn's `MLPClassifier` training recipe, reproduced natively (LAB.md part C).
//!
//! The lab judges its five hand-written optimizers against
//! `MLPClassifier(hidden_layer_sizes=(80,70), activation='logistic', solver='sgd', alpha=0.01,
//! learning_rate_init=0.01, max_iter=1000, random_state=s)` trained on the same split. Calling
//! Python from a terminal app is neither portable nor reproducible (scikit-learn's bits depend
//! on the BLAS kernel and on numpy's `exp`), so this module runs the same recipe in the lab's
//! reference arithmetic: Glorot-uniform initialisation drawn from `RandomState(s)`, a shuffle
//! of the sample order every epoch, batches of 200, L2-regularised log-loss with averaged
//! gradients, Nesterov momentum, and scikit-learn's `tol`/`n_iter_no_change` stopping rule.
//! For random states 0–9 it matches scikit-learn's `n_iter_` and every test prediction, with
//! loss curves within a few ulps.
//!
//! The layout follows scikit-learn, not the lab's [`Network`](crate::nn::Network): each
//! `coefs_[l]` is `(n_in, n_out)`, so the forward product reads it directly and only the
//! backward product `δ·coefᵀ` needs a transposed mirror.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ndarray::ArrayView2;

use super::run::{EpochReport, Progress, argmax};
use crate::data::{CLASSES, Dataset};
use crate::nn::gemm::{Lhs, product};
use crate::nn::network::forward_dense;
use crate::nn::sum::{column_sums, pairwise_sum};
use crate::nn::transpose::transpose;
use crate::rng::RandomState;

/// `hidden_layer_sizes=(80, 70)`, as in the lab's call.
const HIDDEN: [usize; 2] = [80, 70];
/// `max_iter` of the lab's call (also scikit-learn's default).
const MAX_ITER: u32 = 1000;
/// `batch_size='auto'`: `min(200, n_samples)`.
const BATCH_SIZE: usize = 200;
/// L2 penalty `alpha`.
const ALPHA: f64 = 0.01;
/// `learning_rate_init` of the lab's call, constant schedule; a learning-rate sweep sets its own
/// ([`Baseline::with_learning_rate_init`]).
pub const LEARNING_RATE: f64 = 0.01;
/// `momentum`, applied the Nesterov way.
const MOMENTUM: f64 = 0.9;
/// `tol`: an epoch "improves" only if its loss beats the best by more than this.
const TOL: f64 = 1e-4;
/// `n_iter_no_change`: training stops once more than this many epochs in a row did not improve.
const N_ITER_NO_CHANGE: u32 = 10;
/// `np.finfo(float64).eps`: log-loss clips probabilities to `[EPS, 1 − EPS]`.
const EPS: f64 = f64::EPSILON;

/// One dense layer in scikit-learn's layout, with its optimizer state and gradient buffers.
#[derive(Clone)]
struct Dense {
    n_in: usize,
    n_out: usize,
    /// `coefs_[l]`, `(n_in, n_out)` row-major.
    coef: Vec<f64>,
    /// `coefᵀ`, `(n_out, n_in)`, for `δ·coefᵀ`; empty for the first layer, whose δ is never
    /// propagated further.
    coef_t: Vec<f64>,
    /// `intercepts_[l]`.
    intercept: Vec<f64>,
    coef_velocity: Vec<f64>,
    intercept_velocity: Vec<f64>,
    coef_grad: Vec<f64>,
    intercept_grad: Vec<f64>,
}

impl Dense {
    /// `_init_coef`: `b = sqrt(2 / (fan_in + fan_out))` (the logistic factor), then
    /// `uniform(−b, b, (fan_in, fan_out))` in C order, then `uniform(−b, b, fan_out)`.
    fn init(n_in: usize, n_out: usize, propagates: bool, rng: &mut RandomState) -> Self {
        let bound = init_bound(n_in, n_out);
        let coef: Vec<f64> = (0..n_in * n_out)
            .map(|_| rng.uniform(-bound, bound))
            .collect();
        let intercept = (0..n_out).map(|_| rng.uniform(-bound, bound)).collect();
        let mut layer = Self {
            n_in,
            n_out,
            coef_t: if propagates {
                vec![0.0; coef.len()]
            } else {
                Vec::new()
            },
            coef_velocity: vec![0.0; coef.len()],
            coef_grad: vec![0.0; coef.len()],
            coef,
            intercept,
            intercept_velocity: vec![0.0; n_out],
            intercept_grad: vec![0.0; n_out],
        };
        layer.refresh_transpose();
        layer
    }

    fn refresh_transpose(&mut self) {
        if !self.coef_t.is_empty() {
            transpose(&self.coef, self.n_out, &mut self.coef_t);
        }
    }

    /// scikit-learn's `SGDOptimizer` with `nesterovs_momentum=True`, for both arrays.
    fn step(&mut self, lr: f64) {
        nesterov(&mut self.coef, &self.coef_grad, &mut self.coef_velocity, lr);
        nesterov(
            &mut self.intercept,
            &self.intercept_grad,
            &mut self.intercept_velocity,
            lr,
        );
        self.refresh_transpose();
    }

    fn is_finite(&self) -> bool {
        self.coef
            .iter()
            .chain(&self.intercept)
            .all(|w| w.is_finite())
    }
}

/// `np.sqrt(2.0 / (fan_in + fan_out))`.
fn init_bound(n_in: usize, n_out: usize) -> f64 {
    (2.0 / (n_in + n_out) as f64).sqrt()
}

/// `V = μV − ηG` (products first), then `P += μV − ηG` with the new `V`; `lr` is η.
fn nesterov(params: &mut [f64], grads: &[f64], velocity: &mut [f64], lr: f64) {
    for ((p, &g), v) in params.iter_mut().zip(grads).zip(velocity) {
        *v = MOMENTUM * *v - lr * g;
        *p += MOMENTUM * *v - lr * g;
    }
}

/// scikit-learn's stopping rule without early stopping (`_update_no_improvement_count`).
#[derive(Clone, Copy, Debug)]
struct Stopping {
    best: f64,
    stale: u32,
}

impl Stopping {
    fn new() -> Self {
        Self {
            best: f64::INFINITY,
            stale: 0,
        }
    }

    /// Records one epoch's loss; true once `n_iter_no_change + 1` epochs in a row failed to
    /// beat the best loss by `tol` (the constant schedule then stops rather than decaying).
    fn observe(&mut self, loss: f64) -> bool {
        if loss > self.best - TOL {
            self.stale += 1;
        } else {
            self.stale = 0;
        }
        if loss < self.best {
            self.best = loss;
        }
        self.stale > N_ITER_NO_CHANGE
    }
}

/// A scikit-learn `MLPClassifier` fit in progress, driven one epoch at a time like a
/// [`Run`](super::Run). Every buffer is allocated here, once; training allocates nothing per
/// batch.
pub struct Baseline {
    layers: Vec<Dense>,
    rng: RandomState,
    data: Arc<Dataset>,
    max_iter: u32,
    /// `learning_rate_init`.
    learning_rate: f64,
    batch_size: usize,
    /// `sample_idx`: shuffled in place each epoch, which composes the permutations exactly as
    /// scikit-learn's `idx = idx[shuffled arange]` does.
    order: Vec<usize>,
    batch_x: Vec<f64>,
    batch_y: Vec<u8>,
    /// Outputs of every layer for up to `batch_size` rows; also reused, in chunks of that
    /// many rows, for evaluation (rows are independent, so chunking changes no bits).
    acts: Vec<Vec<f64>>,
    deltas: Vec<Vec<f64>>,
    train_pred: Vec<u8>,
    test_pred: Vec<u8>,
    loss_curve: Vec<f64>,
    stopping: Stopping,
    converged: bool,
    /// Batches of the epoch under way already trained, and their summed loss (0: the
    /// epoch's shuffle is still to come).
    cursor: (usize, f64),
    /// Time spent so far on the epoch under way.
    spent: Duration,
    diverged: bool,
}

impl Baseline {
    /// `MLPClassifier(hidden_layer_sizes=(80,70), …, random_state=seed)` on `data`'s training
    /// set: draws the initial weights now, then one shuffle per epoch from the same stream.
    ///
    /// The output layer has one unit per digit, as scikit-learn's has when every digit occurs
    /// in the training labels (true of the lab's split).
    pub fn new(seed: u32, data: Arc<Dataset>) -> Self {
        let mut rng = RandomState::new(seed);
        let sizes: Vec<usize> = [data.width()]
            .into_iter()
            .chain(HIDDEN)
            .chain([CLASSES])
            .collect();
        let layers: Vec<Dense> = sizes
            .windows(2)
            .enumerate()
            .map(|(l, pair)| Dense::init(pair[0], pair[1], l > 0, &mut rng))
            .collect();
        let n_train = data.y_train.len();
        let batch_size = BATCH_SIZE.min(n_train).max(1);
        let per_layer = || -> Vec<Vec<f64>> {
            sizes[1..]
                .iter()
                .map(|&n| vec![0.0; n * batch_size])
                .collect()
        };
        Self {
            acts: per_layer(),
            deltas: per_layer(),
            layers,
            rng,
            max_iter: MAX_ITER,
            learning_rate: LEARNING_RATE,
            batch_size,
            order: (0..n_train).collect(),
            batch_x: vec![0.0; batch_size * sizes[0]],
            batch_y: vec![0; batch_size],
            train_pred: vec![0; n_train],
            test_pred: vec![0; data.y_test.len()],
            loss_curve: Vec::new(),
            stopping: Stopping::new(),
            converged: false,
            cursor: (0, 0.0),
            spent: Duration::ZERO,
            diverged: false,
            data,
        }
    }

    /// Overrides `max_iter` (the lab uses 1000): a cap for quick previews and tests.
    pub fn with_max_iter(mut self, max_iter: u32) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Overrides `learning_rate_init` (the lab uses 0.01), so a learning-rate sweep can give the
    /// baseline the same grid as the lab's optimizers. Set before the first epoch.
    pub fn with_learning_rate_init(mut self, learning_rate: f64) -> Self {
        self.learning_rate = learning_rate;
        self
    }

    /// Epochs completed: scikit-learn's `n_iter_`.
    pub fn n_iter(&self) -> u32 {
        self.loss_curve.len() as u32
    }

    /// scikit-learn's `loss_curve_`: each epoch's mean batch loss, L2 term included.
    pub fn loss_curve(&self) -> &[f64] {
        &self.loss_curve
    }

    /// True once the stopping rule fired, `max_iter` epochs ran, or training diverged; further
    /// epochs would not be scikit-learn's.
    pub fn is_done(&self) -> bool {
        self.converged || self.diverged || self.n_iter() >= self.max_iter
    }

    /// Trains epoch after epoch until [`is_done`](Self::is_done), skipping the per-epoch
    /// evaluation that [`train_epoch`](Self::train_epoch) adds for display.
    pub fn fit(&mut self) {
        while !self.is_done() {
            self.fit_for(Duration::MAX);
        }
    }

    /// One scikit-learn epoch, then an evaluation on both sets for display (it reads the
    /// weights only, so it cannot change the training). Once [`is_done`](Self::is_done), no
    /// further training happens and the report describes the final state again.
    ///
    /// The report's `loss` is scikit-learn's `loss_`: the mean of the epoch's batch losses, L2
    /// term included, accumulated while the weights moved. It is not the full-training-set loss
    /// after the epoch that a [`Run`](super::Run) reports, so compare the two only loosely.
    pub fn train_epoch(&mut self) -> EpochReport {
        loop {
            if let Progress::Epoch(report) = self.train_for(Duration::MAX) {
                return report;
            }
        }
    }

    /// As [`train_epoch`](Self::train_epoch), in slices: trains batches until `budget` has
    /// passed (checked between batches) or the epoch ends, then evaluates. The same bits
    /// however an epoch is sliced, so a session can pause inside a long one.
    pub fn train_for(&mut self, budget: Duration) -> Progress {
        let started = Instant::now();
        if !self.is_done() && !self.fit_for(budget) {
            self.spent += started.elapsed();
            let total = self.order.len().div_ceil(self.batch_size);
            return Progress::Batches {
                done: self.cursor.0,
                total,
            };
        }
        let data = Arc::clone(&self.data);
        let train_acc = self.accuracy_into(data.x_train.view(), &data.y_train, false);
        let test_acc = self.accuracy_into(data.x_test.view(), &data.y_test, true);
        let wall = self.spent + started.elapsed();
        self.spent = Duration::ZERO;
        Progress::Epoch(EpochReport {
            epoch: self.n_iter(),
            loss: if self.diverged {
                f64::NAN
            } else {
                self.loss_curve.last().copied().unwrap_or(f64::NAN)
            },
            train_acc,
            test_acc,
            wall,
            predictions: Arc::from(self.test_pred.as_slice()),
            diverged: self.diverged,
        })
    }

    /// Predicted digit for every row of `x` (standardised pixels, one image per row), by the
    /// first maximum of the softmax like `MLPClassifier.predict`.
    ///
    /// # Panics
    /// If `x` does not have one column per pixel (a caller bug).
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Vec<u8> {
        assert_eq!(
            x.ncols(),
            self.data.width(),
            "predict: one column per pixel"
        );
        let mut out = vec![0; x.nrows()];
        let mut acts: Vec<Vec<f64>> = self
            .layers
            .iter()
            .map(|l| vec![0.0; l.n_out * self.batch_size])
            .collect();
        classify(
            &self.layers,
            x.as_standard_layout().as_slice().unwrap_or_default(),
            self.batch_size,
            &mut acts,
            &mut out,
        );
        out
    }

    /// The weights as they stand, frozen, for views that inspect or query them.
    pub fn model(&self) -> BaselineModel {
        BaselineModel {
            layers: self.layers.clone(),
        }
    }

    /// Fraction of the test set classified correctly: `MLPClassifier.score(X_test, y_test)`.
    pub fn test_accuracy(&self) -> f64 {
        let predictions = self.predict(self.data.x_test.view());
        accuracy(&predictions, &self.data.y_test)
    }

    /// Trains the epoch under way until `budget` has passed or it ends; true once it ended
    /// (its loss recorded and the stopping rule consulted).
    fn fit_for(&mut self, budget: Duration) -> bool {
        let started = Instant::now();
        let data = Arc::clone(&self.data);
        let x = data.x_train.as_standard_layout();
        let x = x.as_slice().unwrap_or_default();
        let width = data.width();
        let n = self.order.len();
        if self.cursor.0 == 0 {
            self.rng.shuffle(&mut self.order);
        }
        let total = n.div_ceil(self.batch_size);
        while self.cursor.0 < total {
            let start = self.cursor.0 * self.batch_size;
            let m = self.batch_size.min(n - start);
            for (r, &src) in self.order[start..start + m].iter().enumerate() {
                self.batch_x[r * width..(r + 1) * width]
                    .copy_from_slice(&x[src * width..(src + 1) * width]);
                self.batch_y[r] = data.y_train[src];
            }
            self.cursor.1 += self.train_batch(m) * m as f64;
            self.cursor.0 += 1;
            if self.cursor.0 < total && started.elapsed() >= budget {
                return false;
            }
        }
        let loss = self.cursor.1 / n as f64;
        self.cursor = (0, 0.0);
        self.loss_curve.push(loss);
        self.diverged = !loss.is_finite() || !self.layers.iter().all(Dense::is_finite);
        self.converged = self.stopping.observe(loss);
        true
    }

    /// `_backprop` plus the optimizer step on the first `m` gathered rows; returns the batch
    /// loss.
    fn train_batch(&mut self, m: usize) -> f64 {
        let x = &self.batch_x[..m * self.data.width()];
        let labels = &self.batch_y[..m];
        let probs = forward(&self.layers, x, m, &mut self.acts);
        let loss = batch_loss(probs, labels, &self.layers);
        backward(&mut self.layers, x, labels, &self.acts, &mut self.deltas);
        for layer in &mut self.layers {
            layer.step(self.learning_rate);
        }
        loss
    }

    /// Classifies `x` into the train or test prediction buffer and returns the accuracy.
    fn accuracy_into(&mut self, x: ArrayView2<'_, f64>, labels: &[u8], test: bool) -> f64 {
        let out = if test {
            &mut self.test_pred
        } else {
            &mut self.train_pred
        };
        classify(
            &self.layers,
            x.as_standard_layout().as_slice().unwrap_or_default(),
            self.batch_size,
            &mut self.acts,
            out,
        );
        accuracy(out, labels)
    }
}

/// A baseline network frozen at one epoch: enough to classify a new image or show weights.
#[derive(Clone)]
pub struct BaselineModel {
    layers: Vec<Dense>,
}

impl BaselineModel {
    /// Class probabilities for one standardised image, as `predict_proba` gives them.
    pub fn probabilities(&self, x: &[f64]) -> Vec<f64> {
        let mut acts: Vec<Vec<f64>> = self.layers.iter().map(|l| vec![0.0; l.n_out]).collect();
        forward(&self.layers, x, 1, &mut acts).to_vec()
    }

    /// The first layer's weights in the lab's `(units, inputs)` layout (scikit-learn stores
    /// them as `(inputs, units)`).
    pub fn first_layer(&self) -> (usize, usize, Vec<f64>) {
        let first = &self.layers[0];
        let mut by_unit = vec![0.0; first.coef.len()];
        transpose(&first.coef, first.n_out, &mut by_unit);
        (first.n_out, first.n_in, by_unit)
    }
}

/// Fraction of `predictions` equal to `labels`.
fn accuracy(predictions: &[u8], labels: &[u8]) -> f64 {
    let correct = predictions
        .iter()
        .zip(labels)
        .filter(|(p, y)| p == y)
        .count();
    correct as f64 / labels.len() as f64
}

/// `_forward_pass`: `Z = A·coef`, then `+= intercept`; logistic hidden layers, softmax output
/// (the lab's network runs the same pass). Returns the output probabilities,
/// `rows × n_classes`.
fn forward<'a>(layers: &[Dense], x: &[f64], rows: usize, acts: &'a mut [Vec<f64>]) -> &'a [f64] {
    let layers = layers.iter().map(|l| (&l.coef[..], &l.intercept[..]));
    forward_dense(layers, x, rows, acts)
}

/// Predicted labels for the rows of `x` (row-major, `out.len()` rows), `chunk` rows per pass.
fn classify(layers: &[Dense], x: &[f64], chunk: usize, acts: &mut [Vec<f64>], out: &mut [u8]) {
    let n_in = layers[0].n_in;
    for (xs, labels) in x.chunks(chunk * n_in).zip(out.chunks_mut(chunk)) {
        let probs = forward(layers, xs, labels.len(), acts);
        for (label, p) in labels.iter_mut().zip(probs.chunks_exact(CLASSES)) {
            *label = argmax(p) as u8;
        }
    }
}

/// The batch's `log_loss` plus the L2 term:
/// `−Σ_classes(colsum(xlogy(Y, clip(P))) / m) + (0.5·α)·Σ_l‖coef_l‖² / m`.
///
/// `xlogy(0, p)` is `+0.0`, and adding `+0.0` to a column sum that started at `+0.0` and only
/// ever received negative logs changes nothing, so each column sum is accumulated from its
/// label's rows alone, in row order, without materialising the `m × 10` matrix.
fn batch_loss(probs: &[f64], labels: &[u8], layers: &[Dense]) -> f64 {
    let m = labels.len() as f64;
    let mut columns = [0.0f64; CLASSES];
    for (row, &label) in probs.chunks_exact(CLASSES).zip(labels) {
        let c = usize::from(label);
        columns[c] += row[c].clamp(EPS, 1.0 - EPS).ln();
    }
    for v in &mut columns {
        *v /= m;
    }
    let data_loss = -pairwise_sum(&columns);
    // `values = 0; values += np.dot(s, s)` per layer.
    let mut squared = 0.0;
    for layer in layers {
        squared += squared_norm(&layer.coef);
    }
    data_loss + (0.5 * ALPHA) * squared / m
}

/// `‖w‖²` as the reference arithmetic's dot: `acc = fma(w_k, w_k, acc)` from `+0.0`, k
/// ascending. A 1×1 product, so it runs on the FMA kernel rather than a libm `fma` call.
fn squared_norm(w: &[f64]) -> f64 {
    let mut out = [0.0];
    let lhs = Lhs {
        data: w,
        row_stride: w.len(),
        depth_stride: 1,
    };
    product(1, 1, w.len(), lhs, w, 1, &mut out, 1);
    out[0]
}

/// `_backprop`'s gradients for the batch whose forward pass is in `acts`: `δ_out = P − Y`;
/// per layer from the top, `coef_grad = (Aᵀ·δ + α·coef) / m`, `intercept_grad = colsum(δ) / m`,
/// then `δ ← (δ·coefᵀ) ⊙ A ⊙ (1 − A)` for the layer below. Weights are not touched.
fn backward(
    layers: &mut [Dense],
    x: &[f64],
    labels: &[u8],
    acts: &[Vec<f64>],
    deltas: &mut [Vec<f64>],
) {
    let rows = labels.len();
    let m = rows as f64;
    let last = layers.len() - 1;
    let top = &mut deltas[last][..rows * CLASSES];
    top.copy_from_slice(&acts[last][..rows * CLASSES]);
    for (row, &label) in top.chunks_exact_mut(CLASSES).zip(labels) {
        row[usize::from(label)] -= 1.0;
    }
    for (l, layer) in layers.iter_mut().enumerate().rev() {
        let (n_in, n_out) = (layer.n_in, layer.n_out);
        let input: &[f64] = if l == 0 {
            x
        } else {
            &acts[l - 1][..rows * n_in]
        };
        let (lower, upper) = deltas.split_at_mut(l);
        let delta = &upper[0][..rows * n_out];
        let by_input = Lhs {
            data: input,
            row_stride: 1,
            depth_stride: n_in,
        };
        product(
            n_in,
            n_out,
            rows,
            by_input,
            delta,
            n_out,
            &mut layer.coef_grad,
            n_out,
        );
        for (g, &w) in layer.coef_grad.iter_mut().zip(&layer.coef) {
            *g += ALPHA * w;
            *g /= m;
        }
        column_sums(delta, rows, n_out, &mut layer.intercept_grad);
        for g in &mut layer.intercept_grad {
            *g /= m;
        }
        if l > 0 {
            let below = &mut lower[l - 1][..rows * n_in];
            let by_row = Lhs {
                data: delta,
                row_stride: n_out,
                depth_stride: 1,
            };
            product(rows, n_in, n_out, by_row, &layer.coef_t, n_in, below, n_in);
            logistic_derivative(below, input);
        }
    }
}

crate::nn::simd::vectorised! {
    /// scikit-learn's `inplace_logistic_derivative`: `δ *= A`, then `δ *= 1 − A` (two
    /// roundings, unlike the lab's `δ *= A·(1 − A)`).
    fn logistic_derivative = logistic_derivative_plain(delta: &mut [f64], acts: &[f64])
}

#[inline(always)]
fn logistic_derivative_plain(delta: &mut [f64], acts: &[f64]) {
    for (d, &a) in delta.iter_mut().zip(acts) {
        *d *= a;
        *d *= 1.0 - a;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn mlp_vectors() -> Value {
        let all: Value = serde_json::from_str(include_str!("../../tests/data/vectors.json"))
            .expect("vectors.json parses");
        all["mlp"].clone()
    }

    fn floats(v: &Value) -> Vec<f64> {
        v.as_array()
            .expect("an array")
            .iter()
            .map(|x| x.as_f64().expect("a number"))
            .collect()
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn init_bounds_match_scikit_learn() {
        let want = floats(&mlp_vectors()["init_bounds"]);
        let got = [init_bound(64, 80), init_bound(80, 70), init_bound(70, 10)];
        assert_eq!(bits(&got), bits(&want));
    }

    #[test]
    fn seed0_initial_weights_are_drawn_coef_then_intercept() {
        let v = &mlp_vectors()["seed0_init"];
        let mut rng = RandomState::new(0);
        let layer = Dense::init(64, 80, false, &mut rng);
        assert_eq!(bits(&layer.coef[..5]), bits(&floats(&v["coef0_first5"])));
        let last = layer.coef[layer.coef.len() - 1];
        assert_eq!(last.to_bits(), v["coef0_last"].as_f64().unwrap().to_bits());
        assert_eq!(
            bits(&layer.intercept[..5]),
            bits(&floats(&v["intercept0_first5"]))
        );
    }

    #[test]
    fn transpose_mirror_tracks_the_update() {
        let mut rng = RandomState::new(4);
        let mut layer = Dense::init(3, 2, true, &mut rng);
        layer.coef_grad.fill(1.0);
        layer.intercept_grad.fill(-1.0);
        let before = layer.coef.clone();
        layer.step(LEARNING_RATE);
        // First step from zero velocity: V = −ηG, P += μV − ηG = −1.9ηG.
        let want = before[5] - 0.019;
        assert!((layer.coef[5] - want).abs() < 1e-15);
        for k in 0..3 {
            for j in 0..2 {
                assert_eq!(layer.coef_t[j * 3 + k], layer.coef[k * 2 + j]);
            }
        }
    }

    #[test]
    fn stopping_needs_eleven_stale_epochs_in_a_row() {
        let mut s = Stopping::new();
        // The first epoch always improves on +inf.
        assert!(!s.observe(2.0));
        // A gain smaller than tol is stale but still lowers the best loss.
        assert!(!s.observe(2.0 - 0.5e-4));
        assert_eq!(s.stale, 1);
        assert_eq!(s.best, 2.0 - 0.5e-4);
        // A real improvement resets the count.
        assert!(!s.observe(1.0));
        assert_eq!(s.stale, 0);
        for _ in 0..10 {
            assert!(!s.observe(1.5));
        }
        assert_eq!(s.stale, 10);
        assert!(s.observe(1.0));
        assert_eq!(s.stale, 11);
    }

    #[test]
    fn stale_count_resets_only_on_an_improvement_beyond_tol() {
        let mut s = Stopping::new();
        s.observe(1.0);
        for _ in 0..10 {
            s.observe(1.0);
        }
        // Beating the best by exactly tol is not "within tol" (`1 − tol > 1 − tol` is false),
        // so it counts as an improvement.
        assert!(!s.observe(1.0 - TOL));
        assert_eq!(s.stale, 0);
    }

    #[test]
    fn loss_uses_clipped_label_probabilities_and_the_l2_term() {
        let mut rng = RandomState::new(1);
        let layers = vec![Dense::init(2, CLASSES, false, &mut rng)];
        let mut probs = [0.0; 2 * CLASSES];
        probs[3] = 1.0; // row 0: label 3, clipped to 1 − eps
        probs[CLASSES + 7] = 0.25; // row 1: label 7
        let got = batch_loss(&probs, &[3, 7], &layers);
        let sq = layers[0].coef.iter().fold(0.0, |a, &w| w.mul_add(w, a));
        assert_eq!(squared_norm(&layers[0].coef).to_bits(), sq.to_bits());
        let mut cols = [0.0; CLASSES];
        cols[3] = (1.0 - EPS).ln() / 2.0;
        cols[7] = 0.25f64.ln() / 2.0;
        let want = -pairwise_sum(&cols) + 0.005 * sq / 2.0;
        assert_eq!(got.to_bits(), want.to_bits());
    }

    #[test]
    fn an_epoch_in_slices_is_the_same_epoch_to_the_bit() {
        let data = Arc::new(Dataset::lab());
        let mut whole = Baseline::new(3, Arc::clone(&data));
        let mut sliced = Baseline::new(3, data);
        for _ in 0..2 {
            let a = whole.train_epoch();
            // Batches of 200: 8 calls for 1437 rows.
            let b = crate::train::run::epoch_in_slices(|budget| sliced.train_for(budget), 8);
            assert_eq!(a.loss.to_bits(), b.loss.to_bits());
            assert_eq!((a.epoch, a.test_acc), (b.epoch, b.test_acc));
        }
        assert_eq!(whole.loss_curve(), sliced.loss_curve());
    }
}
