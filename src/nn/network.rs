//! The lab's dense network: sigmoid hidden layers (or tanh, relu), a softmax output, summed
//! gradients (LAB.md B.3), computed in the reference arithmetic into buffers allocated once.

use std::ops::DerefMut;

use ndarray::Array2;

use super::activation::Activation;
use super::exp;
use super::gemm::{Cut, Lhs, product, product_cut};
use super::init::Init;
use super::lines::Lines;
use super::optimizer::{self, Hyper, Moments, OptimizerKind};
use super::sum::{column_sums, pairwise_sum};
use super::transpose::transpose;
use crate::rng::RandomState;

/// One dense layer. `w` is `(n_out, n_in)` as in the lab; `wt` mirrors it transposed so the
/// forward product reads contiguous rows.
#[derive(Clone, Debug)]
pub struct Layer {
    /// Weights, `(n_out, n_in)`.
    pub w: Array2<f64>,
    /// Biases, `n_out`.
    pub b: Vec<f64>,
    /// Optimizer state for `w`.
    pub w_state: Moments,
    /// Optimizer state for `b`.
    pub b_state: Moments,
    /// On a cache line, so that the columns two threads write (units of 8) share none.
    wt: Lines,
}

impl Layer {
    /// A layer from explicit weights and biases with zeroed optimizer state.
    pub fn from_parts(w: Array2<f64>, b: Vec<f64>) -> Self {
        let mut layer = Self {
            w_state: Moments::zeros(w.len()),
            b_state: Moments::zeros(b.len()),
            wt: Lines::zeros(w.len()),
            w,
            b,
        };
        layer.refresh_transpose();
        layer
    }

    /// Inputs per unit.
    pub fn n_in(&self) -> usize {
        self.w.ncols()
    }

    /// Units.
    pub fn n_out(&self) -> usize {
        self.w.nrows()
    }

    /// The weights as one row-major slice.
    pub fn weights(&self) -> &[f64] {
        self.w
            .as_slice()
            .expect("layer weights are always in standard layout")
    }

    fn refresh_transpose(&mut self) {
        let w = self
            .w
            .as_slice()
            .expect("layer weights are always in standard layout");
        transpose(w, self.n_in(), &mut self.wt);
    }
}

/// A stack of dense layers; the last one is the softmax output, the others use `activation`.
#[derive(Clone, Debug)]
pub struct Network {
    layers: Vec<Layer>,
    activation: Activation,
}

impl Network {
    /// `s · randn(n_out, n_in)` per layer in order from `rng`, `s` as `init` says, biases
    /// zero; hidden layers use `activation`.
    pub fn new(sizes: &[usize], init: Init, activation: Activation, rng: &mut RandomState) -> Self {
        let layers = sizes
            .windows(2)
            .map(|pair| {
                let (n_in, n_out) = (pair[0], pair[1]);
                let mut w = Array2::zeros((n_out, n_in));
                let flat = flat_mut(&mut w);
                rng.fill_randn(flat);
                if let Some(s) = init.scale(n_in) {
                    for v in flat {
                        *v *= s;
                    }
                }
                Layer::from_parts(w, vec![0.0; n_out])
            })
            .collect();
        Self { layers, activation }
    }

    /// The hidden layers' activation.
    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// The layers, input side first.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Layer widths including input and output, e.g. `[64, 80, 70, 10]`.
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![self.layers[0].n_in()];
        sizes.extend(self.layers.iter().map(Layer::n_out));
        sizes
    }

    /// False once any weight or bias is NaN or infinite (the run has diverged).
    pub fn is_finite(&self) -> bool {
        self.layers
            .iter()
            .all(|l| l.weights().iter().chain(&l.b).all(|x| x.is_finite()))
    }

    /// Forward pass over `rows` samples of `x` (row-major, `rows × n_in`); activations land in
    /// `ws`, and the returned slice is the softmax output (`rows × n_classes`).
    pub fn forward<'w>(&self, x: &[f64], rows: usize, ws: &'w mut Workspace) -> &'w [f64] {
        forward_dense(self.dense_layers(), self.activation, x, rows, &mut ws.acts)
    }

    /// Each layer as [`forward_dense`] reads it: `(weights (n_in, n_out), bias)`.
    pub(crate) fn dense_layers(&self) -> impl ExactSizeIterator<Item = (&[f64], &[f64])> {
        self.layers.iter().map(|l| (&l.wt[..], &l.b[..]))
    }

    /// Output activations for each layer, sized for `rows` samples: what
    /// [`forward_dense`] needs when a whole [`Workspace`] (with gradient buffers) is too much,
    /// as for classifying one drawn image.
    pub(crate) fn activation_buffers(&self, rows: usize) -> Vec<Vec<f64>> {
        self.layers
            .iter()
            .map(|l| vec![0.0; l.n_out() * rows])
            .collect()
    }

    /// Forward and backward pass over one batch; summed gradients land in `ws`.
    pub fn backward(&self, x: &[f64], labels: &[u8], ws: &mut Workspace) {
        let rows = labels.len();
        self.forward(x, rows, ws);
        let last = self.layers.len() - 1;
        let n_classes = self.layers[last].n_out();
        let delta = &mut ws.deltas[last][..rows * n_classes];
        delta.copy_from_slice(&ws.acts[last][..rows * n_classes]);
        for (row, &label) in delta.chunks_exact_mut(n_classes).zip(labels) {
            row[usize::from(label)] -= 1.0;
        }
        for l in (0..self.layers.len()).rev() {
            let layer = &self.layers[l];
            let (n_in, n_out) = (layer.n_in(), layer.n_out());
            let input: &[f64] = if l == 0 { x } else { &ws.acts[l - 1] };
            let (lower, upper) = ws.deltas.split_at_mut(l);
            let delta = &upper[0][..rows * n_out];
            let grad = &mut ws.grads[l];
            let by_unit = Lhs {
                data: delta,
                row_stride: 1,
                depth_stride: n_out,
            };
            product(n_out, n_in, rows, by_unit, input, n_in, &mut grad.w, n_in);
            column_sums(delta, rows, n_out, &mut grad.b);
            if l > 0 {
                let prev = &mut lower[l - 1][..rows * n_in];
                let by_row = Lhs {
                    data: delta,
                    row_stride: n_out,
                    depth_stride: 1,
                };
                product(rows, n_in, n_out, by_row, layer.weights(), n_in, prev, n_in);
                self.activation
                    .backward(prev, &ws.acts[l - 1][..rows * n_in]);
            }
        }
    }

    /// Weight decay on the gradients of the last backward pass: each weight matrix's `g`
    /// becomes `g + λ·W` (the weights before the step; biases are not decayed), so the
    /// optimizer minimises the loss plus [`penalty`](Self::penalty).
    pub fn decay_gradients(&self, lambda: f64, ws: &mut Workspace) {
        for (layer, grad) in self.layers.iter().zip(&mut ws.grads) {
            for (g, &w) in grad.w.iter_mut().zip(layer.weights()) {
                *g += lambda * w;
            }
        }
    }

    /// The weight-decay term `0.5·λ·ΣW²` over the weight matrices, as numpy sums it: each
    /// matrix's squares pairwise, then the matrices in order. `squares` is scratch space at
    /// least as long as the largest matrix.
    pub fn penalty(&self, lambda: f64, squares: &mut [f64]) -> f64 {
        let mut total = 0.0;
        for layer in &self.layers {
            let w = layer.weights();
            let sq = &mut squares[..w.len()];
            for (s, &v) in sq.iter_mut().zip(w) {
                *s = v * v;
            }
            total += pairwise_sum(sq);
        }
        0.5 * lambda * total
    }

    /// Applies the gradients in `ws` to every layer in order with `kind`.
    pub fn update(&mut self, kind: OptimizerKind, hyper: &Hyper, iter: u32, ws: &Workspace) {
        for (layer, grad) in self.layers.iter_mut().zip(&ws.grads) {
            let w = flat_mut(&mut layer.w);
            optimizer::apply_shared(kind, hyper, iter, w, &grad.w, &mut layer.w_state);
            optimizer::apply(kind, hyper, iter, &mut layer.b, &grad.b, &mut layer.b_state);
            layer.refresh_transpose();
        }
    }
}

/// A weight matrix as one mutable row-major slice.
fn flat_mut(w: &mut Array2<f64>) -> &mut [f64] {
    w.as_slice_mut()
        .expect("layer weights are always in standard layout")
}

/// The forward pass both the lab's network and the scikit-learn baseline share: for each layer,
/// given as `(weights, bias)` with the weights `(n_in, n_out)` row-major, `Z = A·W` in reference
/// order, `+= bias`, then `activation` on hidden layers and softmax on the last.
/// Activations land in `acts` (one buffer per layer, at least `rows × n_out`); returns the
/// output probabilities, `rows × n_classes`.
pub(crate) fn forward_dense<'a, 'l, B: DerefMut<Target = [f64]>>(
    layers: impl ExactSizeIterator<Item = (&'l [f64], &'l [f64])>,
    activation: Activation,
    x: &[f64],
    rows: usize,
    acts: &'a mut [B],
) -> &'a [f64] {
    let last = layers.len() - 1;
    let mut n_out = 0;
    for (l, (weights, bias)) in layers.enumerate() {
        n_out = bias.len();
        let n_in = weights.len() / n_out;
        let (before, rest) = acts.split_at_mut(l);
        let input: &[f64] = if l == 0 { x } else { &before[l - 1] };
        let z = &mut rest[0][..rows * n_out];
        let lhs = Lhs {
            data: input,
            row_stride: n_in,
            depth_stride: 1,
        };
        product_cut(
            Cut::Columns,
            rows,
            n_out,
            n_in,
            lhs,
            weights,
            n_out,
            z,
            n_out,
        );
        if l == last {
            add_bias_softmax(z, bias);
        } else {
            activation.add_bias_forward(z, bias);
        }
    }
    &acts[last][..rows * n_out]
}

/// Per row of `z` (rows as long as `bias`): `z += bias`, `e = exp(z − max z)`, `a = e / Σe`
/// with numpy's pairwise row sum. The exps run over all rows in one call, so that rows of ten
/// logits fill whole vectors; each element's operations are the same as row by row.
fn add_bias_softmax(z: &mut [f64], bias: &[f64]) {
    for row in z.chunks_exact_mut(bias.len()) {
        for (v, &b) in row.iter_mut().zip(bias) {
            *v += b;
        }
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for v in row.iter_mut() {
            *v -= max;
        }
    }
    exp::exp_in_place(z);
    for row in z.chunks_exact_mut(bias.len()) {
        let total = pairwise_sum(row);
        for v in row.iter_mut() {
            *v /= total;
        }
    }
}

/// Summed gradients of one layer.
#[derive(Clone, Debug)]
pub struct Gradients {
    /// `(n_out, n_in)` row-major.
    pub w: Vec<f64>,
    /// `n_out`.
    pub b: Vec<f64>,
}

/// Every buffer a forward/backward pass needs, sized once for at most `max_rows` samples so
/// that training never allocates per batch.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// On cache lines: a split first-layer product writes a batch's columns from two threads.
    acts: Vec<Lines>,
    deltas: Vec<Vec<f64>>,
    grads: Vec<Gradients>,
}

impl Workspace {
    /// Buffers for `sizes` (input to output) and batches of up to `max_rows`.
    pub fn new(sizes: &[usize], max_rows: usize) -> Self {
        Self {
            acts: sizes[1..]
                .iter()
                .map(|&n| Lines::zeros(n * max_rows))
                .collect(),
            deltas: sizes[1..]
                .iter()
                .map(|&n| vec![0.0; n * max_rows])
                .collect(),
            grads: sizes
                .windows(2)
                .map(|p| Gradients {
                    w: vec![0.0; p[0] * p[1]],
                    b: vec![0.0; p[1]],
                })
                .collect(),
        }
    }

    /// Gradients of the last backward pass, input layer first.
    pub fn grads(&self) -> &[Gradients] {
        &self.grads
    }

    /// Activations of layer `l` (0 = first hidden layer) from the last forward pass.
    pub fn activations(&self, l: usize) -> &[f64] {
        &self.acts[l]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny(activation: Activation) -> Network {
        let mut rng = RandomState::new(3);
        Network::new(&[4, 5, 3], Init::Xavier, activation, &mut rng)
    }

    /// The summed cross-entropy plus the weight-decay term `0.5·λ·ΣW²`.
    fn loss(net: &Network, x: &[f64], labels: &[u8], lambda: f64) -> f64 {
        let mut ws = Workspace::new(&net.sizes(), labels.len());
        let out = net.forward(x, labels.len(), &mut ws);
        let n = net.sizes()[2];
        let data: f64 = labels
            .iter()
            .enumerate()
            .map(|(i, &c)| -out[i * n + usize::from(c)].ln())
            .sum();
        data + net.penalty(lambda, &mut [0.0; 20])
    }

    /// Central differences of the summed cross-entropy (plus the penalty, with weight decay)
    /// agree with the backward pass, for every activation.
    #[test]
    fn backward_matches_finite_differences() {
        let x = [
            0.5, -1.0, 2.0, 0.1, -0.3, 0.8, -1.5, 1.2, 0.0, 0.7, 0.2, -0.9,
        ];
        let labels = [2u8, 0, 1];
        for (activation, lambda) in Activation::ALL
            .into_iter()
            .flat_map(|a| [(a, 0.0), (a, 0.3)])
        {
            let net = tiny(activation);
            let mut ws = Workspace::new(&net.sizes(), 3);
            net.backward(&x, &labels, &mut ws);
            if lambda > 0.0 {
                net.decay_gradients(lambda, &mut ws);
            }
            let h = 1e-6;
            let nudged = |l: usize, idx: usize, bias: bool, by: f64| {
                let mut n = net.clone();
                let layer = &mut n.layers[l];
                if bias {
                    layer.b[idx] += by;
                } else {
                    flat_mut(&mut layer.w)[idx] += by;
                    layer.refresh_transpose();
                }
                loss(&n, &x, &labels, lambda)
            };
            for l in 0..2 {
                for bias in [false, true] {
                    let grads = &ws.grads()[l];
                    let analytic = if bias { &grads.b } else { &grads.w };
                    for (idx, &g) in analytic.iter().enumerate() {
                        let numeric =
                            (nudged(l, idx, bias, h) - nudged(l, idx, bias, -h)) / (2.0 * h);
                        assert!(
                            (numeric - g).abs() < 1e-6,
                            "{activation:?} λ {lambda} layer {l} bias {bias} [{idx}]: \
                             {numeric} vs {g}"
                        );
                    }
                }
            }
        }
    }

    /// Each layer's draws are the lab's, times `sqrt(k / n_in)` of that layer.
    #[test]
    fn init_scales_the_lab_draws_layer_by_layer() {
        let sizes = [4, 5, 3];
        let draw = |init| Network::new(&sizes, init, Activation::Sigmoid, &mut RandomState::new(3));
        let lab = draw(Init::Lab);
        for (init, k) in [(Init::Xavier, 1.0f64), (Init::He, 2.0)] {
            let net = draw(init);
            for (l, n_in) in [(0, 4.0f64), (1, 5.0)] {
                let s = f64::sqrt(k / n_in);
                let want: Vec<f64> = (lab.layers()[l].weights().iter()).map(|v| s * v).collect();
                assert_eq!(net.layers()[l].weights(), &want[..], "{init:?} layer {l}");
            }
        }
    }

    #[test]
    fn softmax_rows_sum_to_one_and_survive_huge_logits() {
        let mut row = [1000.0, 0.0, -1000.0];
        add_bias_softmax(&mut row, &[0.0; 3]);
        assert_eq!(row[0], 1.0);
        assert!(row.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn transpose_mirror_tracks_updates() {
        let mut net = tiny(Activation::Sigmoid);
        let mut ws = Workspace::new(&net.sizes(), 1);
        net.backward(&[1.0, 2.0, 3.0, 4.0], &[1], &mut ws);
        net.update(OptimizerKind::Sgd, &Hyper::default(), 1, &ws);
        let l = &net.layers()[0];
        assert_eq!(l.wt[3 * l.n_out() + 2], l.w[(2, 3)]);
    }
}
