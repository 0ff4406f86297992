//! The lab's five optimizers (LAB.md B.2), element by element in the lab's exact order of
//! operations, so that the optimizer check reproduces numpy's bits.

use serde::{Deserialize, Serialize};

use super::lines::Lines;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
use super::simd::Path;
use super::team;

/// Which update rule a run uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// Optimizer state for one parameter array, in the parameters' layout. The lab keeps one set
/// per layer and lets AdaGrad, RMSProp and Adam share `v`, so all three arrays always exist.
/// Each starts on a cache line, like the weights, so that the ranges two threads update share
/// none.
#[derive(Clone, Debug, PartialEq)]
pub struct Moments {
    /// Momentum's previous step (`W_dt`/`B_dt`).
    pub d: Lines,
    /// Adam's first moment (`W_mt`/`B_mt`).
    pub m: Lines,
    /// Squared-gradient accumulator (`W_vt`/`B_vt`).
    pub v: Lines,
}

impl Moments {
    /// Zeroed state for `len` parameters.
    pub fn zeros(len: usize) -> Self {
        Self {
            d: Lines::zeros(len),
            m: Lines::zeros(len),
            v: Lines::zeros(len),
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
    check(param, grad, st);
    // SAFETY: every array holds at least `param.len()` elements (checked above).
    unsafe {
        apply_run(
            &Step::new(kind, h, iter),
            &pointers(param, grad, st),
            param.len(),
        )
    }
}

/// Multiply-adds one element's update is counted as against the team's threshold: it streams
/// up to five arrays, so it costs as much as several FMAs (an estimate, not a measurement).
/// Layer 0 of a 784-80 network (62 720 weights) is split; the 8×8 lab's layers are not.
const UPDATE_WORK: usize = 24;

/// As [`apply`], with the elements cut into contiguous ranges of whole `unit`s (a multiple of
/// 8, a cache line) across the team this thread leads ([`team`]) when there are enough of
/// them: an element's update is the same operations wherever it runs. Ranges of whole units
/// cut as the layer's products cut it (a panel of units, or the weights of a range of inputs)
/// keep each thread on the cache lines it computed.
pub fn apply_shared(
    kind: OptimizerKind,
    h: &Hyper,
    iter: u32,
    (param, unit): (&mut [f64], usize),
    grad: &[f64],
    st: &mut Moments,
) {
    let n = param.len();
    let threads = team::participants(n * UPDATE_WORK);
    if threads <= 1 {
        return apply(kind, h, iter, param, grad, st);
    }
    check(param, grad, st);
    struct Shared(Pointers);
    // SAFETY: the parts write disjoint ranges of the parameters and their state.
    unsafe impl Sync for Shared {}
    impl Shared {
        // A method, so that closures capture the whole wrapper (not its non-`Sync` fields).
        fn get(&self) -> &Pointers {
            &self.0
        }
    }
    let shared = Shared(pointers(param, grad, st));
    let step = Step::new(kind, h, iter);
    let parts = threads.min(n.div_ceil(unit));
    team::split(parts, |part, _| {
        let range = team::part_of(n, unit, part, parts);
        // SAFETY: the range lies in `0..n`, and every array is at least `n` long (checked
        // above); no two parts touch the same range.
        unsafe { apply_run(&step, &shared.get().from(range.start), range.len()) }
    });
}

/// Every array of one update is at least as long as the parameters.
fn check(param: &[f64], grad: &[f64], st: &Moments) {
    assert!(
        grad.len() == param.len() && [&st.d, &st.m, &st.v].iter().all(|s| s.len() >= param.len()),
        "optimizer: gradient or state shorter than the parameters"
    );
}

/// The arrays of one update, from the first element it touches.
struct Pointers {
    param: *mut f64,
    grad: *const f64,
    d: *mut f64,
    m: *mut f64,
    v: *mut f64,
}

fn pointers(param: &mut [f64], grad: &[f64], st: &mut Moments) -> Pointers {
    Pointers {
        param: param.as_mut_ptr(),
        grad: grad.as_ptr(),
        d: st.d.as_mut_ptr(),
        m: st.m.as_mut_ptr(),
        v: st.v.as_mut_ptr(),
    }
}

impl Pointers {
    /// The same arrays from element `from` on.
    ///
    /// # Safety
    /// `from` is within every array.
    unsafe fn from(&self, from: usize) -> Self {
        // SAFETY: as this function's contract.
        unsafe {
            Self {
                param: self.param.add(from),
                grad: self.grad.add(from),
                d: self.d.add(from),
                m: self.m.add(from),
                v: self.v.add(from),
            }
        }
    }
}

/// One update's rule and the numbers it derives once per call, not per part: Adam's bias
/// corrections are two libm `pow`s.
struct Step {
    kind: OptimizerKind,
    h: Hyper,
    /// Adam's `1 − β₁ᵗ` and `1 − β₂ᵗ`.
    corrections: (f64, f64),
    /// The same two as divisors every moment is divided by, where the vector paths can
    /// divide by them without dividing ([`Divisor`]).
    divisors: (Option<Divisor>, Option<Divisor>),
}

impl Step {
    fn new(kind: OptimizerKind, h: &Hyper, iter: u32) -> Self {
        let corrections = bias_corrections(h, iter);
        Self {
            kind,
            h: *h,
            corrections,
            divisors: (Divisor::new(corrections.0), Divisor::new(corrections.1)),
        }
    }
}

/// A number that every lane of many vectors is divided by, and its reciprocal, from which the
/// vector paths compute quotients that they keep where they are proven to be the division's
/// (`wide::divide`). Adam divides every moment by two of them, once per weight and batch.
#[derive(Clone, Copy)]
struct Divisor {
    c: f64,
    /// `1/c`, rounded.
    inverse: f64,
}

impl Divisor {
    /// For a positive `c` whose reciprocal is a normal number; `None` for any other, which is
    /// divided by plainly.
    fn new(c: f64) -> Option<Self> {
        let inverse = 1.0 / c;
        (c > 0.0 && inverse.is_normal()).then_some(Self { c, inverse })
    }
}

/// The update of `len` elements from `at` on the active path.
///
/// # Safety
/// Every array `at` points to holds `len` elements that nothing else accesses meanwhile.
unsafe fn apply_run(step: &Step, at: &Pointers, len: usize) {
    // SAFETY: as this function's contract.
    let a = unsafe {
        let run = |x: *mut f64| std::slice::from_raw_parts_mut(x, len);
        Arrays {
            param: run(at.param),
            grad: std::slice::from_raw_parts(at.grad, len),
            d: run(at.d),
            m: run(at.m),
            v: run(at.v),
        }
    };
    match super::simd::active() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active` only returns paths the CPU supports.
        Path::Avx512 => unsafe { wide::apply_avx512(step, a) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Path::Avx2 => unsafe { wide::apply_avx2(step, a) },
        #[cfg(target_arch = "aarch64")]
        // SAFETY: as above.
        Path::Neon => unsafe { wide::apply_neon(step, a) },
        _ => apply_portable(step, a),
    }
}

/// One run's elements and their state.
struct Arrays<'a> {
    param: &'a mut [f64],
    grad: &'a [f64],
    d: &'a mut [f64],
    m: &'a mut [f64],
    v: &'a mut [f64],
}

/// The loops a vector at a time, one body for every width, in the portable version's order
/// of operations: every step is an IEEE mul, add, div or sqrt (a fused multiply-add only
/// inside `divide`, whose results are proven to be the division's), whose result does not
/// depend on the vector width, so the bits are the portable version's.
/// The last partial vector runs through the portable version itself.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod wide {
    use super::super::lanes::Lanes;
    #[cfg(target_arch = "aarch64")]
    use super::super::lanes::Neon;
    use super::super::lanes::quotient::is_rounded_quotient;
    #[cfg(target_arch = "x86_64")]
    use super::super::lanes::{Avx2, Avx512};
    use super::*;

    /// # Safety
    /// The CPU has AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn apply_avx2(step: &Step, a: Arrays<'_>) {
        // SAFETY: as this function's contract.
        unsafe { apply::<Avx2>(step, a) }
    }

    /// # Safety
    /// The CPU has AVX-512F.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn apply_avx512(step: &Step, a: Arrays<'_>) {
        // SAFETY: as this function's contract.
        unsafe { apply::<Avx512>(step, a) }
    }

    /// # Safety
    /// The CPU has NEON.
    #[cfg(target_arch = "aarch64")]
    #[target_feature(enable = "neon")]
    pub(super) unsafe fn apply_neon(step: &Step, a: Arrays<'_>) {
        // SAFETY: as this function's contract.
        unsafe { apply::<Neon>(step, a) }
    }

    /// Whole vectors here, the rest by the portable loop.
    #[inline(always)]
    unsafe fn apply<L: Lanes>(step: &Step, a: Arrays<'_>) {
        let n = a.param.len();
        let full = n - n % L::N;
        let (p, g) = (a.param.as_mut_ptr(), a.grad.as_ptr());
        let (d, m, v) = (a.d.as_mut_ptr(), a.m.as_mut_ptr(), a.v.as_mut_ptr());
        let h = &step.h;
        // SAFETY: every offset k + N <= full <= n is inside every array (they are slices of
        // `n` elements); the caller runs with L's features.
        unsafe {
            let lr = L::splat(h.lr);
            let eps = L::splat(h.eps);
            let mut k = 0;
            match step.kind {
                OptimizerKind::Sgd => {
                    while k < full {
                        let step = L::mul(lr, L::load(g.add(k)));
                        L::store(p.add(k), L::sub(L::load(p.add(k)), step));
                        k += L::N;
                    }
                }
                OptimizerKind::Momentum => {
                    let gamma = L::splat(h.momentum);
                    while k < full {
                        let gk = L::load(g.add(k));
                        let step = L::add(L::mul(gamma, L::load(d.add(k))), L::mul(lr, gk));
                        L::store(d.add(k), step);
                        L::store(p.add(k), L::sub(L::load(p.add(k)), step));
                        k += L::N;
                    }
                }
                OptimizerKind::Adagrad => {
                    while k < full {
                        let gk = L::load(g.add(k));
                        let vk = L::add(L::load(v.add(k)), L::mul(gk, gk));
                        L::store(v.add(k), vk);
                        let step = L::div(L::mul(lr, gk), L::sqrt(L::add(vk, eps)));
                        L::store(p.add(k), L::sub(L::load(p.add(k)), step));
                        k += L::N;
                    }
                }
                OptimizerKind::Rmsprop => {
                    let keep = L::splat(h.rho);
                    let take = L::splat(1.0 - h.rho);
                    while k < full {
                        let gk = L::load(g.add(k));
                        let vk = L::add(
                            L::mul(keep, L::load(v.add(k))),
                            L::mul(take, L::mul(gk, gk)),
                        );
                        L::store(v.add(k), vk);
                        let step = L::div(L::mul(lr, gk), L::sqrt(L::add(vk, eps)));
                        L::store(p.add(k), L::sub(L::load(p.add(k)), step));
                        k += L::N;
                    }
                }
                OptimizerKind::Adam => {
                    let (b1, b2) = (L::splat(h.beta1), L::splat(h.beta2));
                    let (c1, c2) = (L::splat(1.0 - h.beta1), L::splat(1.0 - h.beta2));
                    let (corr1, corr2) = step.corrections;
                    let (corr1, corr2) = (L::splat(corr1), L::splat(corr2));
                    while k < full {
                        let gk = L::load(g.add(k));
                        let mk = L::add(L::mul(b1, L::load(m.add(k))), L::mul(c1, gk));
                        let vk = L::add(L::mul(b2, L::load(v.add(k))), L::mul(c2, L::mul(gk, gk)));
                        L::store(m.add(k), mk);
                        L::store(v.add(k), vk);
                        let mc = divide::<L>(mk, corr1, step.divisors.0);
                        let vc = divide::<L>(vk, corr2, step.divisors.1);
                        let step = L::div(L::mul(lr, mc), L::add(L::sqrt(vc), eps));
                        L::store(p.add(k), L::sub(L::load(p.add(k)), step));
                        k += L::N;
                    }
                }
            }
        }
        if full < n {
            let rest = Arrays {
                param: &mut a.param[full..],
                grad: &a.grad[full..],
                d: &mut a.d[full..],
                m: &mut a.m[full..],
                v: &mut a.v[full..],
            };
            apply_portable(step, rest);
        }
    }

    /// `a / c` in every lane, to the bit as IEEE division gives it, for the `c` of `by`:
    /// `q = a·y + (a − c·a·y)·y` (`y = 1/c`, rounded), kept where
    /// [`is_rounded_quotient`](super::super::lanes::quotient::is_rounded_quotient) proves it,
    /// divided otherwise (and for a `c` without a [`Divisor`]).
    ///
    /// # Safety
    /// As the caller's: `L`'s features are enabled.
    #[inline(always)]
    unsafe fn divide<L: Lanes>(a: L::V, c: L::V, by: Option<Divisor>) -> L::V {
        // SAFETY: as this function's contract.
        unsafe {
            let Some(by) = by else {
                return L::div(a, c);
            };
            let (minus_c, y) = (L::splat(-by.c), L::splat(by.inverse));
            let q0 = L::mul(a, y);
            let q = L::fma(L::fma(minus_c, q0, a), y, q0);
            if is_rounded_quotient::<L>(a, c, q) {
                q
            } else {
                L::div(a, c)
            }
        }
    }

    /// `a[k] / c` through [`divide`] on `path`, whole vectors only (the tail is left 0):
    /// for the tests that hold it to IEEE division. `None` for a path without vectors here.
    #[cfg(test)]
    pub(super) fn divide_on(path: Path, a: &[f64], c: f64) -> Option<Vec<f64>> {
        #[inline(always)]
        unsafe fn each<L: Lanes>(a: &[f64], c: f64) -> Vec<f64> {
            let mut out = vec![0.0; a.len()];
            let by = Divisor::new(c);
            for (a, out) in a.chunks_exact(L::N).zip(out.chunks_exact_mut(L::N)) {
                // SAFETY: whole vectors of both; the caller runs with L's features.
                unsafe {
                    L::store(
                        out.as_mut_ptr(),
                        divide::<L>(L::load(a.as_ptr()), L::splat(c), by),
                    )
                };
            }
            out
        }
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx512f")]
        fn avx512(a: &[f64], c: f64) -> Vec<f64> {
            // SAFETY: this function has the features.
            unsafe { each::<Avx512>(a, c) }
        }
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2,fma")]
        fn avx2(a: &[f64], c: f64) -> Vec<f64> {
            // SAFETY: as above.
            unsafe { each::<Avx2>(a, c) }
        }
        #[cfg(target_arch = "aarch64")]
        fn neon(a: &[f64], c: f64) -> Vec<f64> {
            // SAFETY: every aarch64 CPU has NEON.
            unsafe { each::<Neon>(a, c) }
        }
        match path {
            // SAFETY: the tests ask only for paths the CPU supports.
            #[cfg(target_arch = "x86_64")]
            Path::Avx512 => Some(unsafe { avx512(a, c) }),
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            Path::Avx2 => Some(unsafe { avx2(a, c) }),
            #[cfg(target_arch = "aarch64")]
            Path::Neon => Some(neon(a, c)),
            _ => None,
        }
    }
}

/// Adam's `1 − β₁ᵗ` and `1 − β₂ᵗ`, with libm pow as Python's `float ** int` (`powi` rounds
/// differently).
fn bias_corrections(h: &Hyper, iter: u32) -> (f64, f64) {
    let t = f64::from(iter);
    (1.0 - h.beta1.powf(t), 1.0 - h.beta2.powf(t))
}

/// The loops element by element: the definition, and the vector paths' partial last vector.
#[inline(always)]
fn apply_portable(step: &Step, a: Arrays<'_>) {
    let Arrays {
        param,
        grad,
        d,
        m,
        v,
    } = a;
    let h = &step.h;
    let lr = h.lr;
    match step.kind {
        OptimizerKind::Sgd => {
            for (p, &g) in param.iter_mut().zip(grad) {
                *p -= lr * g;
            }
        }
        OptimizerKind::Momentum => {
            let gamma = h.momentum;
            for ((p, &g), d) in param.iter_mut().zip(grad).zip(d) {
                let step = gamma * *d + lr * g;
                *d = step;
                *p -= step;
            }
        }
        OptimizerKind::Adagrad => {
            for ((p, &g), v) in param.iter_mut().zip(grad).zip(v) {
                *v += g * g;
                *p -= (lr * g) / (*v + h.eps).sqrt();
            }
        }
        OptimizerKind::Rmsprop => {
            let keep = h.rho;
            let take = 1.0 - h.rho;
            for ((p, &g), v) in param.iter_mut().zip(grad).zip(v) {
                *v = keep * *v + take * (g * g);
                *p -= (lr * g) / (*v + h.eps).sqrt();
            }
        }
        OptimizerKind::Adam => {
            let (b1, b2) = (h.beta1, h.beta2);
            let (c1, c2) = (1.0 - b1, 1.0 - b2);
            let (corr1, corr2) = step.corrections;
            let moments = m.iter_mut().zip(v);
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

    /// The divisions the vector paths skip give IEEE division's bits, for Adam's divisors
    /// (`1 − βᵗ` for the lab's β and others) and for divisors from all over their range, on
    /// every path this CPU has: checked against `/` element by element, NaN's bits included.
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    #[test]
    fn division_without_dividing_is_division_to_the_bit() {
        use crate::nn::lanes::quotient;
        use crate::nn::simd::Path;
        let betas = [0.9, 0.99, 0.999, 0.5, 0.999_999];
        let adams = betas
            .iter()
            .flat_map(|b: &f64| (1..400).map(move |t| 1.0 - b.powf(f64::from(t))));
        let spread = quotient::all_kinds(300, 7)
            .into_iter()
            .map(f64::abs)
            .filter(|c| c.is_finite() && *c > 0.0);
        let divisors: Vec<f64> = adams
            .chain(spread)
            .chain([1.0, 2.0, 0.75, 2f64.powi(-60), 2f64.powi(60)])
            .collect();
        let a = quotient::all_kinds(4096, 1);
        let mut fast = 0;
        for path in Path::ALL.into_iter().filter(|p| p.supported()) {
            for &c in &divisors {
                let Some(out) = wide::divide_on(path, &a, c) else {
                    continue;
                };
                for (&a, &q) in a.iter().zip(&out) {
                    assert_eq!(q.to_bits(), (a / c).to_bits(), "{path:?}: {a:e} / {c:e}");
                }
                fast += usize::from(Divisor::new(c).is_some());
            }
        }
        assert!(
            fast > 0 || !Path::widest().supported(),
            "some divisors qualify for the quotient without division"
        );
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
