//! The lab's dense network: sigmoid hidden layers (or tanh, relu), a softmax output, summed
//! gradients (LAB.md B.3), computed in the reference arithmetic into buffers allocated once.

use std::ops::DerefMut;

use super::activation::Activation;
use super::exp;
use super::gemm::{Cut, Layout, Lhs, product, product_cut};
use super::init::Init;
use super::lines::Lines;
use super::optimizer::{self, Hyper, Moments, OptimizerKind};
use super::sum::{column_sums, pairwise_sum};
use super::transpose::transpose;
use crate::rng::RandomState;

/// One dense layer, its weights stored by input: `(n_in, n_out)`, a column per unit
/// (scikit-learn's `coefs_` layout), as the forward product `A·W` reads them and the weight
/// gradient `Aᵀ·δ` is written, so that neither is copied per batch; the optimizer state
/// follows the same layout, and the update is element by element, so its bits do not depend
/// on the layout. A layer that passes δ down also keeps the lab's `(n_out, n_in)` layout for
/// `δ·W`, refreshed after each update; the first layer, which passes nothing down, keeps none.
///
/// The first layer keeps its columns in panels of 8 units ([`Layout::panels`]) when its
/// units fill whole panels: a team splits its forward product, weight gradient and update by
/// units, and in panels each thread's units are one range of memory, so no cache line of the
/// weights, the gradient or the optimizer state moves between cores. Row-major, each row mixed
/// the threads' lines, and the split update took 27 µs a half where one thread took 13.5 µs
/// for the whole (MNIST's 784×80 on a 2-core Xeon).
#[derive(Clone, Debug)]
pub struct Layer {
    /// Weights by input, laid out as `layout` says; on cache lines, so that the ranges two
    /// threads update share none.
    w: Lines,
    /// Where `w[k, j]` sits (the gradient and optimizer state sit alike).
    layout: Layout,
    /// Biases, `n_out`.
    pub b: Vec<f64>,
    /// Optimizer state for the weights, by input like them.
    pub w_state: Moments,
    /// Optimizer state for `b`.
    pub b_state: Moments,
    /// The weights by unit, `(n_out, n_in)`, for `δ·W`; empty for the first layer.
    mirror: Vec<f64>,
}

impl Layer {
    /// A layer from weights in the lab's `(n_out, n_in)` layout (`by_unit`) and biases, with
    /// zeroed optimizer state; `propagates` when its δ is passed to a layer below.
    fn new(by_unit: Vec<f64>, b: Vec<f64>, propagates: bool) -> Self {
        let (n_out, n_in) = (b.len(), by_unit.len() / b.len().max(1));
        let panels = !propagates && n_out > Layout::PANEL && n_out % Layout::PANEL == 0;
        let layout = if panels {
            Layout::panels(n_in)
        } else {
            Layout::rows(n_out)
        };
        let mut w = Lines::zeros(by_unit.len());
        for (j, unit) in by_unit.chunks_exact(n_in.max(1)).enumerate() {
            for (k, &v) in unit.iter().enumerate() {
                w[layout.at(k, j)] = v;
            }
        }
        Self {
            w_state: Moments::zeros(w.len()),
            b_state: Moments::zeros(n_out),
            mirror: if propagates { by_unit } else { Vec::new() },
            w,
            layout,
            b,
        }
    }

    /// Inputs per unit.
    pub fn n_in(&self) -> usize {
        self.w.len() / self.n_out()
    }

    /// Units.
    pub fn n_out(&self) -> usize {
        self.b.len()
    }

    /// The weights as stored, in [`layout`](Self::layout): for element-wise uses, whose
    /// results do not depend on the order.
    pub fn stored(&self) -> &[f64] {
        &self.w
    }

    /// Where weight `(k, j)` (input `k`, unit `j`) sits in [`stored`](Self::stored), and
    /// where it sits in the layer's gradient and optimizer state.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The weights by input, `(n_in, n_out)` row-major (scikit-learn's `coefs_` order).
    pub fn by_input(&self) -> Vec<f64> {
        let (n_in, n_out, layout) = (self.n_in(), self.n_out(), self.layout);
        (0..n_in)
            .flat_map(|k| (0..n_out).map(move |j| self.w[layout.at(k, j)]))
            .collect()
    }

    /// The weights in the lab's `(n_out, n_in)` order (`W1[j, k]` is unit `j`'s weight on
    /// input `k`), as numpy's arrays and the dashboard's weight images list them.
    pub fn by_unit(&self) -> impl Iterator<Item = f64> + '_ {
        let (n_in, n_out, layout) = (self.n_in(), self.n_out(), self.layout);
        (0..n_out).flat_map(move |j| (0..n_in).map(move |k| self.w[layout.at(k, j)]))
    }

    fn refresh_mirror(&mut self) {
        if !self.mirror.is_empty() {
            transpose(&self.w, self.b.len(), &mut self.mirror);
        }
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
        let layers = (sizes.windows(2).enumerate())
            .map(|(l, pair)| {
                let (n_in, n_out) = (pair[0], pair[1]);
                let mut w = vec![0.0; n_out * n_in];
                rng.fill_randn(&mut w);
                if let Some(s) = init.scale(n_in) {
                    for v in &mut w {
                        *v *= s;
                    }
                }
                Layer::new(w, vec![0.0; n_out], l > 0)
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
            .all(|l| l.w.iter().chain(&l.b).all(|x| x.is_finite()))
    }

    /// Forward pass over `rows` samples of `x` (row-major, `rows × n_in`); activations land in
    /// `ws`, and the returned slice is the softmax output (`rows × n_classes`).
    pub fn forward<'w>(&self, x: &[f64], rows: usize, ws: &'w mut Workspace) -> &'w [f64] {
        forward_dense(self.dense_layers(), self.activation, x, rows, &mut ws.acts)
    }

    /// Each layer as [`forward_dense`] reads it: `((weights by input, their layout), bias)`.
    pub(crate) fn dense_layers(&self) -> impl ExactSizeIterator<Item = ((&[f64], Layout), &[f64])> {
        self.layers.iter().map(|l| ((&l.w[..], l.layout), &l.b[..]))
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
            let w_grad = (&mut grad.w[..], layer.layout);
            weight_gradient(&input[..rows * n_in], delta, rows, w_grad);
            column_sums(delta, rows, n_out, &mut grad.b);
            if l > 0 {
                let prev = &mut lower[l - 1][..rows * n_in];
                let by_row = Lhs {
                    data: delta,
                    row_stride: n_out,
                    depth_stride: 1,
                };
                product(rows, n_in, n_out, by_row, &layer.mirror, n_in, prev, n_in);
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
            for (g, &w) in grad.w.iter_mut().zip(&layer.w[..]) {
                *g += lambda * w;
            }
        }
    }

    /// The weight-decay term `0.5·λ·ΣW²` over the weight matrices, as numpy sums it: each
    /// matrix's squares pairwise in the lab's order, then the matrices in order. `squares` is
    /// scratch space at least as long as the largest matrix.
    pub fn penalty(&self, lambda: f64, squares: &mut [f64]) -> f64 {
        let mut total = 0.0;
        for layer in &self.layers {
            let sq = &mut squares[..layer.w.len()];
            for (s, v) in sq.iter_mut().zip(layer.by_unit()) {
                *s = v * v;
            }
            total += pairwise_sum(sq);
        }
        0.5 * lambda * total
    }

    /// The most weights any one layer has: the scratch [`penalty`](Self::penalty) needs.
    pub fn largest_layer(&self) -> usize {
        (self.layers.iter()).map(|l| l.w.len()).max().unwrap_or(0)
    }

    /// Applies the gradients in `ws` to every layer in order with `kind`.
    pub fn update(&mut self, kind: OptimizerKind, hyper: &Hyper, iter: u32, ws: &Workspace) {
        for (layer, grad) in self.layers.iter_mut().zip(&ws.grads) {
            // Cut in whole panels, as the products cut the units.
            let unit = layer.layout.panel_len();
            let (w, state) = ((&mut layer.w[..], unit), &mut layer.w_state);
            optimizer::apply_shared(kind, hyper, iter, w, &grad.w, state);
            optimizer::apply(kind, hyper, iter, &mut layer.b, &grad.b, &mut layer.b_state);
            layer.refresh_mirror();
        }
    }
}

/// The forward pass both the lab's network and the scikit-learn baseline share: for each layer,
/// given as `((weights, layout), bias)` with the weights `(n_in, n_out)` laid out as `layout`
/// says, `Z = A·W` in reference order, `+= bias`, then `activation` on hidden layers and
/// softmax on the last. Activations land in `acts` (one buffer per layer, at least
/// `rows × n_out`); returns the output probabilities, `rows × n_classes`.
pub(crate) fn forward_dense<'a, 'l, B: DerefMut<Target = [f64]>>(
    layers: impl ExactSizeIterator<Item = ((&'l [f64], Layout), &'l [f64])>,
    activation: Activation,
    x: &[f64],
    rows: usize,
    acts: &'a mut [B],
) -> &'a [f64] {
    let last = layers.len() - 1;
    let mut n_out = 0;
    for (l, ((weights, layout), bias)) in layers.enumerate() {
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
        let (w, out) = ((weights, layout), (&mut z[..], Layout::rows(n_out)));
        product_cut(Cut::Columns, rows, n_out, n_in, lhs, w, out);
        if l == last {
            add_bias_softmax(z, bias);
        } else {
            activation.add_bias_forward(z, bias);
        }
    }
    &acts[last][..rows * n_out]
}

/// `Aᵀ·δ` for a batch of `rows` rows, by input (`(n_in, n_out)`, laid out like the weights it
/// updates), cut as the update cuts the weights when a team shares it (by inputs, or by units
/// in panels): the lab's `δᵀ·A` element by element with each FMA's factors swapped, which
/// changes no bits.
pub(crate) fn weight_gradient(
    input: &[f64],
    delta: &[f64],
    rows: usize,
    (grad, layout): (&mut [f64], Layout),
) {
    let (n_in, n_out) = (input.len() / rows, delta.len() / rows);
    let by_input = Lhs {
        data: input,
        row_stride: 1,
        depth_stride: n_in,
    };
    let cut = if layout == Layout::rows(n_out) {
        Cut::Rows
    } else {
        Cut::Columns
    };
    let delta = (delta, Layout::rows(n_out));
    product_cut(cut, n_in, n_out, rows, by_input, delta, (grad, layout));
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
    /// By input like the layer's weights, laid out as they are; on cache lines, as two
    /// threads write its parts.
    pub w: Lines,
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
                    w: Lines::zeros(p[0] * p[1]),
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
                    layer.w[idx] += by;
                    layer.refresh_mirror();
                }
                loss(&n, &x, &labels, lambda)
            };
            for l in 0..2 {
                for bias in [false, true] {
                    let grads = &ws.grads()[l];
                    let analytic: &[f64] = if bias { &grads.b } else { &grads.w };
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
                let want: Vec<f64> = lab.layers()[l].by_unit().map(|v| s * v).collect();
                let got: Vec<f64> = net.layers()[l].by_unit().collect();
                assert_eq!(got, want, "{init:?} layer {l}");
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

    /// The second layer's by-unit mirror follows its weights through an update; the first
    /// layer, which passes no δ down, keeps none.
    #[test]
    fn mirror_tracks_updates_where_delta_is_passed_down() {
        let mut net = tiny(Activation::Sigmoid);
        let mut ws = Workspace::new(&net.sizes(), 1);
        net.backward(&[1.0, 2.0, 3.0, 4.0], &[1], &mut ws);
        net.update(OptimizerKind::Sgd, &Hyper::default(), 1, &ws);
        assert!(net.layers()[0].mirror.is_empty());
        let l = &net.layers()[1];
        assert_eq!((l.n_in(), l.n_out()), (5, 3));
        let by_unit: Vec<f64> = l.by_unit().collect();
        assert_eq!(l.mirror, by_unit);
        assert_eq!(by_unit[2 * 5 + 4], l.by_input()[4 * 3 + 2]);
    }

    /// Split across 2, 3 or 4 threads (every loop, panels cut unevenly too), a first layer in
    /// panels trains to the bits it reaches alone.
    #[test]
    fn panels_split_across_threads_train_to_the_same_bits() {
        let sizes = [24, 32, 16, 10];
        let train = || {
            let mut rng = RandomState::new(11);
            let mut net = Network::new(&sizes, Init::Lab, Activation::Sigmoid, &mut rng);
            assert_eq!(net.layers()[0].layout(), Layout::panels(24));
            let mut ws = Workspace::new(&sizes, 5);
            for step in 1..=3 {
                let x: Vec<f64> = (0..5 * 24)
                    .map(|i| f64::from(i * step % 17) * 0.1 - 0.8)
                    .collect();
                net.backward(&x, &[1, 7, 3, 0, 9], &mut ws);
                net.update(OptimizerKind::Adam, &Hyper::default(), step as u32, &ws);
            }
            (net.layers().iter())
                .flat_map(|l| l.stored().iter().chain(&l.b).map(|v| v.to_bits()))
                .collect::<Vec<_>>()
        };
        let alone = train();
        for helpers in 1..=3 {
            assert_eq!(
                crate::nn::team::with_helpers(helpers, train),
                alone,
                "{helpers} helpers"
            );
        }
    }

    /// A first layer whose units fill panels of 8 keeps them in panels; read by input or by
    /// unit it holds the lab's draws, and it computes what the row-major layer computes.
    #[test]
    fn first_layer_in_panels_reads_and_computes_as_row_major() {
        let sizes = [6, 16, 3];
        let net = Network::new(
            &sizes,
            Init::Lab,
            Activation::Sigmoid,
            &mut RandomState::new(5),
        );
        let first = &net.layers()[0];
        assert_eq!(first.layout(), Layout::panels(6));
        let mut rng = RandomState::new(5);
        let mut draws = vec![0.0; 16 * 6];
        rng.fill_randn(&mut draws);
        assert_eq!(first.by_unit().collect::<Vec<_>>(), draws);
        let by_input = first.by_input();
        assert_eq!(by_input[4 * 16 + 11], draws[11 * 6 + 4]);
        // The same network with its first layer row-major: equal outputs and gradients.
        let mut flat = net.clone();
        let layer = &mut flat.layers[0];
        (layer.w, layer.layout) = (Lines::from_slice(&by_input), Layout::rows(16));
        let x: Vec<f64> = (0..12).map(|i| f64::from(i) * 0.37 - 2.0).collect();
        let (mut a, mut b) = (Workspace::new(&sizes, 2), Workspace::new(&sizes, 2));
        net.backward(&x, &[2, 0], &mut a);
        flat.backward(&x, &[2, 0], &mut b);
        assert_eq!(a.activations(1), b.activations(1));
        let grad: Vec<f64> = (0..6)
            .flat_map(|k| (0..16).map(move |j| Layout::panels(6).at(k, j)))
            .map(|at| a.grads()[0].w[at])
            .collect();
        assert_eq!(grad, &b.grads()[0].w[..]);
    }
}
