//! scikit-learn's `MLPClassifier` network, beside the lab's [`Network`](super::Network): its
//! Glorot-uniform initialisation, forward pass, log-loss, backpropagation and Nesterov-momentum
//! SGD, in the lab's reference arithmetic. The training recipe around it (batches, stopping,
//! evaluation) is [`crate::train::Baseline`]'s.
//!
//! The layout follows scikit-learn, not the lab's network: each `coefs_[l]` is `(n_in, n_out)`,
//! so the forward product reads it directly and only the backward product `δ·coefᵀ` needs a
//! transposed mirror.

use super::Activation;
use super::gemm::{Layout, Lhs, product};
use super::network::{forward_dense, weight_gradient};
use super::sum::{column_sums, pairwise_sum};
use super::transpose::transpose;
use crate::data::CLASSES;
use crate::rng::RandomState;

/// `np.finfo(float64).eps`: log-loss clips probabilities to `[EPS, 1 − EPS]`.
const EPS: f64 = f64::EPSILON;

/// What one SGD step needs from the classifier's parameters, so the recipe that sets them
/// stays in one place.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Solver {
    /// `learning_rate_init`, the constant schedule's η.
    pub(crate) learning_rate: f64,
    /// `momentum` μ, applied the Nesterov way.
    pub(crate) momentum: f64,
    /// The L2 penalty `alpha`.
    pub(crate) alpha: f64,
}

/// The network's weights, with their optimizer state and gradient buffers: what a fit trains
/// and what a snapshot of it shows (`predict_proba`, the first layer's weights).
#[derive(Clone)]
pub struct Mlp {
    layers: Vec<Dense>,
    /// `activation` of the hidden layers.
    activation: Activation,
}

impl Mlp {
    /// `_initialize`: the layers of `sizes` (inputs first, classes last), each drawn by
    /// `_init_coef` from `rng` in order.
    pub(crate) fn new(sizes: &[usize], activation: Activation, rng: &mut RandomState) -> Self {
        let layers = (sizes.windows(2).enumerate())
            .map(|(l, pair)| Dense::init(pair[0], pair[1], l > 0, activation, rng))
            .collect();
        Self { layers, activation }
    }

    /// One buffer per layer for the outputs (or deltas) of up to `rows` rows.
    pub(crate) fn buffers(&self, rows: usize) -> Vec<Vec<f64>> {
        (self.layers.iter())
            .map(|l| vec![0.0; l.n_out * rows])
            .collect()
    }

    /// Inputs per row.
    pub(crate) fn inputs(&self) -> usize {
        self.layers[0].n_in
    }

    /// `_forward_pass` over `rows` rows of `x` into `acts` (from [`buffers`](Self::buffers));
    /// returns the output probabilities, `rows × n_classes`.
    pub(crate) fn forward<'a>(
        &self,
        x: &[f64],
        rows: usize,
        acts: &'a mut [Vec<f64>],
    ) -> &'a [f64] {
        forward((&self.layers, self.activation), x, rows, acts)
    }

    /// `_backprop` plus the optimizer step on one batch; returns the batch loss (computed
    /// before the step, as scikit-learn does).
    pub(crate) fn train_batch(
        &mut self,
        (x, labels): (&[f64], &[u8]),
        solver: &Solver,
        acts: &mut [Vec<f64>],
        deltas: &mut [Vec<f64>],
    ) -> f64 {
        let m = labels.len();
        let probs = forward((&self.layers, self.activation), x, m, acts);
        let loss = batch_loss(probs, labels, &self.layers, solver.alpha);
        let layers = (&mut self.layers[..], self.activation);
        backward(layers, solver.alpha, x, labels, acts, deltas);
        for layer in &mut self.layers {
            layer.step(solver);
        }
        loss
    }

    /// Every weight and intercept is finite (training diverged otherwise).
    pub(crate) fn is_finite(&self) -> bool {
        self.layers.iter().all(Dense::is_finite)
    }

    /// Class probabilities for one standardised image, as `predict_proba` gives them.
    pub fn probabilities(&self, x: &[f64]) -> Vec<f64> {
        let mut acts = self.buffers(1);
        self.forward(x, 1, &mut acts).to_vec()
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
    /// `_init_coef`: `b = sqrt(f / (fan_in + fan_out))` (f = 2 for logistic, 6 otherwise),
    /// then `uniform(−b, b, (fan_in, fan_out))` in C order, then `uniform(−b, b, fan_out)`.
    fn init(
        n_in: usize,
        n_out: usize,
        propagates: bool,
        activation: Activation,
        rng: &mut RandomState,
    ) -> Self {
        let bound = init_bound(n_in, n_out, activation);
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
    fn step(&mut self, solver: &Solver) {
        nesterov(
            &mut self.coef,
            &self.coef_grad,
            &mut self.coef_velocity,
            solver,
        );
        nesterov(
            &mut self.intercept,
            &self.intercept_grad,
            &mut self.intercept_velocity,
            solver,
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

/// `np.sqrt(factor / (fan_in + fan_out))`, the factor 2.0 for logistic and 6.0 otherwise.
fn init_bound(n_in: usize, n_out: usize, activation: Activation) -> f64 {
    let factor = match activation {
        Activation::Sigmoid => 2.0,
        Activation::Tanh | Activation::Relu => 6.0,
    };
    (factor / (n_in + n_out) as f64).sqrt()
}

/// `V = μV − ηG` (products first), then `P += μV − ηG` with the new `V`.
fn nesterov(params: &mut [f64], grads: &[f64], velocity: &mut [f64], solver: &Solver) {
    let (momentum, lr) = (solver.momentum, solver.learning_rate);
    for ((p, &g), v) in params.iter_mut().zip(grads).zip(velocity) {
        *v = momentum * *v - lr * g;
        *p += momentum * *v - lr * g;
    }
}

/// `_forward_pass`: `Z = A·coef`, then `+= intercept`; the activation on hidden layers,
/// softmax output (the lab's network runs the same pass). Returns the output probabilities,
/// `rows × n_classes`.
fn forward<'a>(
    (layers, activation): (&[Dense], Activation),
    x: &[f64],
    rows: usize,
    acts: &'a mut [Vec<f64>],
) -> &'a [f64] {
    let layers = (layers.iter()).map(|l| ((&l.coef[..], Layout::rows(l.n_out)), &l.intercept[..]));
    forward_dense(layers, activation, x, rows, acts)
}

/// The batch's `log_loss` plus the L2 term:
/// `−Σ_classes(colsum(xlogy(Y, clip(P))) / m) + (0.5·α)·Σ_l‖coef_l‖² / m`.
///
/// `xlogy(0, p)` is `+0.0`, and adding `+0.0` to a column sum that started at `+0.0` and only
/// ever received negative logs changes nothing, so each column sum is accumulated from its
/// label's rows alone, in row order, without materialising the `m × 10` matrix.
fn batch_loss(probs: &[f64], labels: &[u8], layers: &[Dense], alpha: f64) -> f64 {
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
    data_loss + (0.5 * alpha) * squared / m
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
/// then `δ ← (δ·coefᵀ) ⊙ f'(A)` for the layer below. Weights are not touched.
fn backward(
    (layers, activation): (&mut [Dense], Activation),
    alpha: f64,
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
        let grad = (&mut layer.coef_grad[..], Layout::rows(n_out));
        weight_gradient(&input[..rows * n_in], delta, rows, grad);
        for (g, &w) in layer.coef_grad.iter_mut().zip(&layer.coef) {
            *g += alpha * w;
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
            match activation {
                Activation::Sigmoid => logistic_derivative(below, input),
                // `inplace_tanh_derivative`: `δ *= 1 − A²`, the lab network's formula too.
                Activation::Tanh => activation.backward(below, input),
                Activation::Relu => relu_derivative(below, input),
            }
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

/// scikit-learn's `inplace_relu_derivative`: `δ[A == 0] = 0` (a plain zero, where the lab
/// network's `δ·[a > 0]` keeps the sign).
fn relu_derivative(delta: &mut [f64], acts: &[f64]) {
    for (d, &a) in delta.iter_mut().zip(acts) {
        if a == 0.0 {
            *d = 0.0;
        }
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
        let bound = |n_in, n_out| init_bound(n_in, n_out, Activation::Sigmoid);
        let got = [bound(64, 80), bound(80, 70), bound(70, 10)];
        assert_eq!(bits(&got), bits(&want));
        // `activation='tanh'` or `'relu'`: the factor 6 instead of 2.
        for activation in [Activation::Tanh, Activation::Relu] {
            let wide = init_bound(64, 80, activation);
            assert_eq!(wide.to_bits(), (6.0f64 / 144.0).sqrt().to_bits());
        }
    }

    #[test]
    fn relu_derivative_zeroes_dead_units_only() {
        let mut delta = [-2.0, 3.0, f64::INFINITY];
        relu_derivative(&mut delta, &[0.0, 0.5, 0.0]);
        assert_eq!(bits(&delta), bits(&[0.0, 3.0, 0.0]));
    }

    #[test]
    fn seed0_initial_weights_are_drawn_coef_then_intercept() {
        let v = &mlp_vectors()["seed0_init"];
        let mut rng = RandomState::new(0);
        let layer = Dense::init(64, 80, false, Activation::Sigmoid, &mut rng);
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
        let mut layer = Dense::init(3, 2, true, Activation::Sigmoid, &mut rng);
        layer.coef_grad.fill(1.0);
        layer.intercept_grad.fill(-1.0);
        let before = layer.coef.clone();
        layer.step(&Solver {
            learning_rate: 0.01,
            momentum: 0.9,
            alpha: 0.01,
        });
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
    fn loss_uses_clipped_label_probabilities_and_the_l2_term() {
        let mut rng = RandomState::new(1);
        let layers = vec![Dense::init(
            2,
            CLASSES,
            false,
            Activation::Sigmoid,
            &mut rng,
        )];
        let mut probs = [0.0; 2 * CLASSES];
        probs[3] = 1.0; // row 0: label 3, clipped to 1 − eps
        probs[CLASSES + 7] = 0.25; // row 1: label 7
        let got = batch_loss(&probs, &[3, 7], &layers, 0.01);
        let sq = layers[0].coef.iter().fold(0.0, |a, &w| w.mul_add(w, a));
        assert_eq!(squared_norm(&layers[0].coef).to_bits(), sq.to_bits());
        let mut cols = [0.0; CLASSES];
        cols[3] = (1.0 - EPS).ln() / 2.0;
        cols[7] = 0.25f64.ln() / 2.0;
        let want = -pairwise_sum(&cols) + 0.005 * sq / 2.0;
        assert_eq!(got.to_bits(), want.to_bits());
    }
}
