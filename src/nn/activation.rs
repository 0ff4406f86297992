//! The hidden layers' activation: the lab's sigmoid, or tanh or relu for a learner asking
//! "what if I change the network?". The output layer stays softmax whichever is chosen.
//!
//! The choice is matched once per layer and pass, outside the loops over elements, so the
//! sigmoid runs through exactly the kernels it always ran through.

use serde::{Deserialize, Serialize};

use super::exp;

/// A hidden layer's nonlinearity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// `1 / (1 + e^-z)`, the lab's.
    #[default]
    Sigmoid,
    /// `tanh z`.
    Tanh,
    /// `max(z, 0)`.
    Relu,
}

impl Activation {
    /// All three, the lab's first.
    pub const ALL: [Self; 3] = [Self::Sigmoid, Self::Tanh, Self::Relu];

    /// The lower-case name used on the command line, in `--config` and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sigmoid => "sigmoid",
            Self::Tanh => "tanh",
            Self::Relu => "relu",
        }
    }

    /// The range a histogram of this activation's outputs spans. relu has no upper bound:
    /// values from the upper end on fall into the last bin.
    pub fn histogram_range(self) -> (f64, f64) {
        match self {
            Self::Sigmoid => (0.0, 1.0),
            Self::Tanh => (-1.0, 1.0),
            Self::Relu => (0.0, 4.0),
        }
    }

    /// True for an output where the unit has stopped learning: the derivative is (nearly) zero.
    /// Sigmoid below 0.01 or above 0.99, tanh beyond ±0.99, relu exactly 0 ("dead").
    pub fn is_saturated(self, a: f64) -> bool {
        match self {
            Self::Sigmoid => !(0.01..=0.99).contains(&a),
            Self::Tanh => a.abs() > 0.99,
            Self::Relu => a == 0.0,
        }
    }

    /// `z += bias` row by row (rows as long as `bias`), then the activation, in place.
    pub(crate) fn add_bias_forward(self, z: &mut [f64], bias: &[f64]) {
        match self {
            Self::Sigmoid => exp::add_bias_sigmoid(z, bias),
            Self::Tanh => add_bias_tanh(z, bias),
            Self::Relu => add_bias_relu(z, bias),
        }
    }

    /// `δ *= f'(z)` written with the layer's outputs `a`, the formulas: sigmoid
    /// `a·(1 − a)` (the lab's order: the product first), tanh `1 − a²`, relu `[a > 0]`.
    pub(crate) fn backward(self, delta: &mut [f64], acts: &[f64]) {
        match self {
            Self::Sigmoid => sigmoid_backward(delta, acts),
            Self::Tanh => tanh_backward(delta, acts),
            Self::Relu => relu_backward(delta, acts),
        }
    }
}

/// `z += b`, then glibc's `tanh` (numpy's `np.tanh` differs from it by an ulp at most).
fn add_bias_tanh(z: &mut [f64], bias: &[f64]) {
    for row in z.chunks_exact_mut(bias.len()) {
        for (v, &b) in row.iter_mut().zip(bias) {
            *v = (*v + b).tanh();
        }
    }
}

super::simd::vectorised! {
    /// `z += b`, then `max(z, 0)` with NaN kept (as `np.maximum` keeps it), so that a
    /// diverging relu network is still seen to diverge.
    fn add_bias_relu = add_bias_relu_plain(z: &mut [f64], bias: &[f64])
}

#[inline(always)]
fn add_bias_relu_plain(z: &mut [f64], bias: &[f64]) {
    for row in z.chunks_exact_mut(bias.len()) {
        for (v, &b) in row.iter_mut().zip(bias) {
            let s = *v + b;
            *v = if s > 0.0 || s.is_nan() { s } else { 0.0 };
        }
    }
}

super::simd::vectorised! {
    /// `δ *= a·(1 − a)`: the lab's sigmoid derivative, applied to the back-propagated `δ`.
    fn sigmoid_backward = sigmoid_backward_plain(delta: &mut [f64], acts: &[f64])
}

#[inline(always)]
fn sigmoid_backward_plain(delta: &mut [f64], acts: &[f64]) {
    for (d, &a) in delta.iter_mut().zip(acts) {
        *d *= a * (1.0 - a);
    }
}

super::simd::vectorised! {
    /// `δ *= 1 − a·a` (numpy's `a**2` is `a*a`).
    fn tanh_backward = tanh_backward_plain(delta: &mut [f64], acts: &[f64])
}

#[inline(always)]
fn tanh_backward_plain(delta: &mut [f64], acts: &[f64]) {
    for (d, &a) in delta.iter_mut().zip(acts) {
        *d *= 1.0 - a * a;
    }
}

super::simd::vectorised! {
    /// `δ *= [a > 0]`: a multiplication by 1.0 or 0.0, as numpy's `up * (a > 0)`, so a
    /// dead unit's `δ` becomes a signed zero (or NaN from an infinite `δ`) exactly as there.
    fn relu_backward = relu_backward_plain(delta: &mut [f64], acts: &[f64])
}

#[inline(always)]
fn relu_backward_plain(delta: &mut [f64], acts: &[f64]) {
    for (d, &a) in delta.iter_mut().zip(acts) {
        *d *= if a > 0.0 { 1.0 } else { 0.0 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_and_backward_follow_the_formulas() {
        let bias = [0.5, -0.5];
        let z = [1.0, -2.0, -0.5, 0.5];
        for act in Activation::ALL {
            let mut out = z;
            act.add_bias_forward(&mut out, &bias);
            let mut delta = [2.0; 4];
            act.backward(&mut delta, &out);
            for (i, (&a, &d)) in out.iter().zip(&delta).enumerate() {
                let s = z[i] + bias[i % 2];
                let (want_a, want_d) = match act {
                    Activation::Sigmoid => {
                        let a = 1.0 / (1.0 + (-s).exp());
                        (a, 2.0 * (a * (1.0 - a)))
                    }
                    Activation::Tanh => (s.tanh(), 2.0 * (1.0 - s.tanh() * s.tanh())),
                    Activation::Relu => (s.max(0.0), if s > 0.0 { 2.0 } else { 0.0 }),
                };
                assert_eq!((a, d), (want_a, want_d), "{act:?} element {i}");
            }
        }
    }

    #[test]
    fn relu_keeps_nan_so_divergence_shows() {
        let mut z = [f64::NAN, -1.0];
        Activation::Relu.add_bias_forward(&mut z, &[0.0]);
        assert!(z[0].is_nan());
        assert_eq!(z[1], 0.0);
    }

    #[test]
    fn saturation_thresholds() {
        let sig = Activation::Sigmoid;
        assert!(sig.is_saturated(0.005) && sig.is_saturated(0.995) && !sig.is_saturated(0.5));
        assert!(Activation::Tanh.is_saturated(-0.995) && !Activation::Tanh.is_saturated(0.99));
        assert!(Activation::Relu.is_saturated(0.0) && !Activation::Relu.is_saturated(1e-300));
    }
}
