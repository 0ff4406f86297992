//! The lab's five optimizers (LAB.md B.2), element by element in the lab's exact order of
//! operations, so that the optimizer check reproduces numpy's bits.

use serde::{Deserialize, Serialize};

/// Which update rule a run uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// Plain gradient descent.
    Sgd,
    /// Heavy-ball momentum.
    Momentum,
    /// Accumulated squared gradients.
    Adagrad,
    /// Decaying squared-gradient average.
    Rmsprop,
    /// Adam with the lab's epoch-counted bias correction.
    Adam,
}

impl OptimizerKind {
    /// All five, in the lab's order (which is also the dashboard's order).
    pub const ALL: [Self; 5] = [
        Self::Sgd,
        Self::Momentum,
        Self::Adagrad,
        Self::Rmsprop,
        Self::Adam,
    ];

    /// The lower-case name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sgd => "sgd",
            Self::Momentum => "momentum",
            Self::Adagrad => "adagrad",
            Self::Rmsprop => "rmsprop",
            Self::Adam => "adam",
        }
    }

    /// The name as the lab's tables print it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Sgd => "SGD",
            Self::Momentum => "Momentum",
            Self::Adagrad => "AdaGrad",
            Self::Rmsprop => "RMSProp",
            Self::Adam => "Adam",
        }
    }
}

/// Hyperparameters; the defaults are the lab's.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hyper {
    /// Step size.
    pub lr: f64,
    /// Momentum's γ.
    pub momentum: f64,
    /// RMSProp's decay β.
    pub rho: f64,
    /// Adam's first-moment decay.
    pub beta1: f64,
    /// Adam's second-moment decay.
    pub beta2: f64,
    /// Denominator guard.
    pub eps: f64,
}

impl Default for Hyper {
    fn default() -> Self {
        Self {
            lr: 0.01,
            momentum: 0.9,
            rho: 0.9,
            beta1: 0.9,
            beta2: 0.99,
            eps: 1e-8,
        }
    }
}

/// Optimizer state for one parameter array. The lab keeps one set per layer and lets AdaGrad,
/// RMSProp and Adam share `v`, so all three arrays always exist.
#[derive(Clone, Debug, PartialEq)]
pub struct Moments {
    /// Momentum's previous step (`W_dt`/`B_dt`).
    pub d: Vec<f64>,
    /// Adam's first moment (`W_mt`/`B_mt`).
    pub m: Vec<f64>,
    /// Squared-gradient accumulator (`W_vt`/`B_vt`).
    pub v: Vec<f64>,
}

impl Moments {
    /// Zeroed state for `len` parameters.
    pub fn zeros(len: usize) -> Self {
        Self {
            d: vec![0.0; len],
            m: vec![0.0; len],
            v: vec![0.0; len],
        }
    }
}

/// Applies one update of `kind` to `param` in place. `iter` is Adam's bias-correction count
/// (the lab passes `epoch + 1`).
pub fn apply(
    kind: OptimizerKind,
    h: &Hyper,
    iter: u32,
    param: &mut [f64],
    grad: &[f64],
    st: &mut Moments,
) {
    #[cfg(target_arch = "x86_64")]
    if super::has_avx2_fma() {
        // SAFETY: the CPU has AVX2, checked just above.
        unsafe { apply_avx2(kind, h, iter, param, grad, st) };
        return;
    }
    apply_portable(kind, h, iter, param, grad, st);
}

/// The same loops compiled for 4-wide vectors. Every operation is an IEEE mul, add, div or
/// sqrt, whose results do not depend on the vector width, and Rust never fuses a mul and an
/// add on its own, so the bits are the portable version's.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn apply_avx2(
    kind: OptimizerKind,
    h: &Hyper,
    iter: u32,
    param: &mut [f64],
    grad: &[f64],
    st: &mut Moments,
) {
    apply_portable(kind, h, iter, param, grad, st);
}

#[inline(always)]
fn apply_portable(
    kind: OptimizerKind,
    h: &Hyper,
    iter: u32,
    param: &mut [f64],
    grad: &[f64],
    st: &mut Moments,
) {
    let lr = h.lr;
    match kind {
        OptimizerKind::Sgd => {
            for (p, &g) in param.iter_mut().zip(grad) {
                *p -= lr * g;
            }
        }
        OptimizerKind::Momentum => {
            let gamma = h.momentum;
            for ((p, &g), d) in param.iter_mut().zip(grad).zip(&mut st.d) {
                let step = gamma * *d + lr * g;
                *d = step;
                *p -= step;
            }
        }
        OptimizerKind::Adagrad => {
            for ((p, &g), v) in param.iter_mut().zip(grad).zip(&mut st.v) {
                *v += g * g;
                *p -= (lr * g) / (*v + h.eps).sqrt();
            }
        }
        OptimizerKind::Rmsprop => {
            let keep = h.rho;
            let take = 1.0 - h.rho;
            for ((p, &g), v) in param.iter_mut().zip(grad).zip(&mut st.v) {
                *v = keep * *v + take * (g * g);
                *p -= (lr * g) / (*v + h.eps).sqrt();
            }
        }
        OptimizerKind::Adam => {
            let (b1, b2) = (h.beta1, h.beta2);
            let (c1, c2) = (1.0 - b1, 1.0 - b2);
            // libm pow, as Python's `float ** int`; `powi` rounds differently.
            let t = f64::from(iter);
            let corr1 = 1.0 - b1.powf(t);
            let corr2 = 1.0 - b2.powf(t);
            let moments = st.m.iter_mut().zip(&mut st.v);
            for ((p, &g), (m, v)) in param.iter_mut().zip(grad).zip(moments) {
                *m = b1 * *m + c1 * g;
                *v = b2 * *v + c2 * (g * g);
                let mc = *m / corr1;
                let vc = *v / corr2;
                *p -= (lr * mc) / (vc.sqrt() + h.eps);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_coefficients_are_the_rounded_differences() {
        let h = Hyper::default();
        assert_eq!(1.0 - h.beta1, 0.09999999999999998);
        assert_eq!(1.0 - h.beta2, 0.010000000000000009);
    }

    #[test]
    fn adam_bias_correction_uses_libm_pow() {
        // 0.99^3 by pow is 0.970299; by repeated products it is one ulp lower.
        assert_eq!(0.99f64.powf(f64::from(3u32)), 0.970299);
    }

    #[test]
    fn sgd_steps_against_the_gradient() {
        let mut p = [1.0, 2.0];
        let mut st = Moments::zeros(2);
        apply(
            OptimizerKind::Sgd,
            &Hyper {
                lr: 0.5,
                ..Hyper::default()
            },
            1,
            &mut p,
            &[2.0, -2.0],
            &mut st,
        );
        assert_eq!(p, [0.0, 3.0]);
    }
}
