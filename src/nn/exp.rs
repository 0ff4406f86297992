//! `exp` exactly as glibc computes it, a vector (2, 4 or 8 lanes) at a time.
//!
//! The lab's reference arithmetic uses glibc's `exp` (LAB.md B.0), and calling it once per
//! activation costs more than all the matrix products of an epoch. This is glibc 2.36's
//! algorithm (ARM optimized-routines: a 128-entry table and a degree-5 polynomial) with the
//! fused multiply-adds its FMA build uses, so every result is bit-identical to `f64::exp` on a
//! glibc system with FMA. Arguments outside its fast path (|x| ≥ 512, NaN, ±∞; and, in the
//! scalar function, |x| < 2^-54) are handed to `f64::exp` itself.

use super::exp_table::TAB;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
use super::simd::Path;

const INV_LN2_N: f64 = f64::from_bits(0x4067_1547_652b_82fe);
const NEG_LN2_HI_N: f64 = f64::from_bits(0xbf76_2e42_fefa_0000);
const NEG_LN2_LO_N: f64 = f64::from_bits(0xbd0c_f79a_bc9e_3b3a);
const C2: f64 = f64::from_bits(0x3fdf_ffff_ffff_fdbd);
const C3: f64 = f64::from_bits(0x3fc5_5555_5555_543c);
const C4: f64 = f64::from_bits(0x3fa5_5555_cf17_2b91);
const C5: f64 = f64::from_bits(0x3f81_1111_67a4_d017);
const SHIFT: f64 = f64::from_bits(0x4338_0000_0000_0000);
/// `top12(2^-54)`: below it glibc returns `1 + x`.
const LOW_TOP: u64 = 0x3c9;
/// `top12(512) - top12(2^-54)`: the width of the fast path in exponent steps.
const FAST_SPAN: u64 = 0x3f;

/// `e^x`, bit-identical to glibc's FMA build.
#[inline]
pub fn exp(x: f64) -> f64 {
    let abstop = (x.to_bits() >> 52) & 0x7ff;
    if abstop.wrapping_sub(LOW_TOP) >= FAST_SPAN {
        return x.exp();
    }
    let kd = x.mul_add(INV_LN2_N, SHIFT);
    let ki = kd.to_bits();
    let kd = kd - SHIFT;
    let r = kd.mul_add(NEG_LN2_HI_N, x);
    let r = kd.mul_add(NEG_LN2_LO_N, r);
    let idx = 2 * (ki % 128) as usize;
    let tail = f64::from_bits(TAB[idx]);
    let sbits = TAB[idx + 1].wrapping_add(ki << 45);
    let r2 = r * r;
    let low = r.mul_add(C3, C2).mul_add(r2, r + tail);
    let tmp = (r2 * r2).mul_add(r.mul_add(C5, C4), low);
    let scale = f64::from_bits(sbits);
    scale.mul_add(tmp, scale)
}

/// The logistic function `1 / (1 + e^-z)` in place, as the lab computes it: the bias-free
/// pass the tests compare every path's [`add_bias_sigmoid`] with.
#[cfg(test)]
fn sigmoid_in_place(values: &mut [f64]) {
    add_bias_sigmoid(values, &[]);
}

/// `z += bias` row by row (rows as long as `bias`; no bias when it is empty), then the
/// logistic function: the hidden layers' two passes in one, with the lab's operations per
/// element (an add, then `1 / (1 + e^-z)`), so the bits are those of the two passes.
pub fn add_bias_sigmoid(values: &mut [f64], bias: &[f64]) {
    let cols = if bias.is_empty() {
        values.len()
    } else {
        bias.len()
    };
    if cols == 0 {
        return;
    }
    match super::simd::active() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active` only returns paths the CPU supports.
        Path::Avx512 => unsafe { wide::add_bias_sigmoid_avx512(values, bias, cols) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Path::Avx2 => unsafe { wide::add_bias_sigmoid_avx2(values, bias, cols) },
        #[cfg(target_arch = "aarch64")]
        // SAFETY: as above.
        Path::Neon => unsafe { wide::add_bias_sigmoid_neon(values, bias, cols) },
        _ => {
            for row in values.chunks_mut(cols) {
                if !bias.is_empty() {
                    for (v, &b) in row.iter_mut().zip(bias) {
                        *v += b;
                    }
                }
                for v in row {
                    *v = 1.0 / (1.0 + exp(-*v));
                }
            }
        }
    }
}

/// `e^x` in place.
pub fn exp_in_place(values: &mut [f64]) {
    match super::simd::active() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active` only returns paths the CPU supports.
        Path::Avx512 => unsafe { wide::exp_avx512(values) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Path::Avx2 => unsafe { wide::exp_avx2(values) },
        #[cfg(target_arch = "aarch64")]
        // SAFETY: as above.
        Path::Neon => unsafe { wide::exp_neon(values) },
        _ => {
            for v in values {
                *v = exp(*v);
            }
        }
    }
}

/// The vector kernels, one body for every width.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod wide {
    use super::super::lanes::Lanes;
    #[cfg(target_arch = "aarch64")]
    use super::super::lanes::Neon;
    #[cfg(target_arch = "x86_64")]
    use super::super::lanes::{Avx2, Avx512};
    use super::*;

    /// The vector kernels' one test: from `|x| = 512` on (and for NaN) glibc leaves its fast
    /// path. Below `2^-54` it returns `1 + x`, which the fast path's arithmetic also gives
    /// exactly there (`r = x`, and every polynomial term under `x` is below half an ulp of it,
    /// so `fma(1, x, 1) = 1 + x`): the vectors need no test for tiny lanes.
    const FAST_LIMIT: f64 = 512.0;

    /// Two vectors of exps; if any lane is large (|x| ≥ 512), NaN or infinite, both vectors go
    /// through the scalar function. Two at a time because the table step's loads are a long
    /// chain: the second vector's arithmetic overlaps the first's wait. Always inlined into
    /// its callers: a call would pass the vectors through memory.
    ///
    /// # Safety
    /// Only call from a function compiled with L's features.
    #[inline(always)]
    unsafe fn exp2<L: Lanes>(x: [L::V; 2]) -> [L::V; 2] {
        // SAFETY: the caller runs with L's features.
        unsafe {
            if L::any_abs_from(x[0], FAST_LIMIT) || L::any_abs_from(x[1], FAST_LIMIT) {
                return [scalar::<L>(x[0]), scalar::<L>(x[1])];
            }
            [fast::<L>(x[0]), fast::<L>(x[1])]
        }
    }

    /// Each lane through the scalar `exp` (which hands the hard cases to glibc). Kept out of
    /// line: it is rare, and inlined it would crowd the fast path's registers.
    ///
    /// # Safety
    /// Only call from a function compiled with L's features.
    #[inline(never)]
    unsafe fn scalar<L: Lanes>(x: L::V) -> L::V {
        // SAFETY: `lanes` holds 8 ≥ N doubles; the caller runs with L's features.
        unsafe {
            let mut lanes = [0.0f64; 8];
            L::store(lanes.as_mut_ptr(), x);
            for v in &mut lanes[..L::N] {
                *v = super::exp(*v);
            }
            L::load(lanes.as_ptr())
        }
    }

    /// glibc's fast path, every lane (exact for tiny ones too: see [`FAST_LIMIT`]).
    ///
    /// # Safety
    /// Only call from a function compiled with L's features.
    #[inline(always)]
    unsafe fn fast<L: Lanes>(x: L::V) -> L::V {
        // SAFETY: the caller runs with L's features.
        unsafe {
            let shift = L::splat(SHIFT);
            let kd = L::fma(x, L::splat(INV_LN2_N), shift);
            let (tail, scale) = L::exp_table(kd);
            let kd = L::sub(kd, shift);
            let r = L::fma(kd, L::splat(NEG_LN2_HI_N), x);
            let r = L::fma(kd, L::splat(NEG_LN2_LO_N), r);
            let r2 = L::mul(r, r);
            let p23 = L::fma(r, L::splat(C3), L::splat(C2));
            let low = L::fma(p23, r2, L::add(r, tail));
            let p45 = L::fma(r, L::splat(C5), L::splat(C4));
            let tmp = L::fma(L::mul(r2, r2), p45, low);
            L::fma(scale, tmp, scale)
        }
    }

    /// `1 / (1 + e^-z)` or `e^z` for one vector: a row's last, when it is alone.
    ///
    /// # Safety
    /// Only call from a function compiled with L's features.
    #[inline(always)]
    unsafe fn f1<L: Lanes, const SIGMOID: bool>(z: L::V) -> L::V {
        // SAFETY: the caller runs with L's features.
        unsafe {
            let x = argument::<L, SIGMOID>(z);
            let e = if L::any_abs_from(x, FAST_LIMIT) {
                scalar::<L>(x)
            } else {
                fast::<L>(x)
            };
            result::<L, SIGMOID>(e)
        }
    }

    /// `1 / (1 + e^-z)` or `e^z` for two vectors. Kernels here use functions, never closures
    /// or `array::map`: a closure is compiled without the caller's target features, so the
    /// intrinsics inside it would become calls.
    ///
    /// # Safety
    /// Only call from a function compiled with L's features.
    #[inline(always)]
    unsafe fn f2<L: Lanes, const SIGMOID: bool>(z: [L::V; 2]) -> [L::V; 2] {
        // SAFETY: the caller runs with L's features.
        unsafe {
            let x = [argument::<L, SIGMOID>(z[0]), argument::<L, SIGMOID>(z[1])];
            let [a, b] = exp2::<L>(x);
            [result::<L, SIGMOID>(a), result::<L, SIGMOID>(b)]
        }
    }

    /// `exp`'s argument for `f`'s input `z`: `−z` for the sigmoid.
    ///
    /// # Safety
    /// Only call from a function compiled with L's features.
    #[inline(always)]
    unsafe fn argument<L: Lanes, const SIGMOID: bool>(z: L::V) -> L::V {
        // SAFETY: the caller runs with L's features.
        unsafe { if SIGMOID { L::neg(z) } else { z } }
    }

    /// `f` from `exp`'s result `e`: `1 / (1 + e)` for the sigmoid.
    ///
    /// # Safety
    /// Only call from a function compiled with L's features.
    #[inline(always)]
    unsafe fn result<L: Lanes, const SIGMOID: bool>(e: L::V) -> L::V {
        // SAFETY: the caller runs with L's features.
        unsafe {
            if SIGMOID {
                let one = L::splat(1.0);
                L::div(one, L::add(one, e))
            } else {
                e
            }
        }
    }

    /// Longest bias pattern [`map`] tiles on the stack (8 KiB).
    const PATTERN: usize = 1024;

    /// `f` over `values` after adding `bias` to each row of `cols` values (when it is not
    /// empty). The whole matrix is one flat run of vectors, the bias tiled to a pattern as
    /// long as the least common multiple of `cols` and the lane count: rows of 70 then cost
    /// 8.75 vectors each, not 10 (8 and a masked 6 that takes a whole vector's work). Widths
    /// whose pattern would not fit go row by row.
    ///
    /// # Safety
    /// Only call from a function compiled with L's features; `bias` is empty or `cols` long.
    #[inline(always)]
    unsafe fn map<L: Lanes, const SIGMOID: bool>(values: &mut [f64], bias: &[f64], cols: usize) {
        if bias.is_empty() {
            // SAFETY: no pattern; the caller runs with L's features.
            return unsafe { flat::<L, SIGMOID>(values, &[]) };
        }
        let period = cols / gcd(cols, L::N) * L::N;
        if period <= PATTERN {
            let mut pattern = [0.0f64; PATTERN];
            for (k, x) in pattern[..period].iter_mut().enumerate() {
                *x = bias[k % cols];
            }
            // SAFETY: the pattern's length is a multiple of N; as above.
            unsafe { flat::<L, SIGMOID>(values, &pattern[..period]) }
        } else {
            for row in values.chunks_mut(cols) {
                // SAFETY: the pattern is as long as the row; as above.
                unsafe { flat::<L, SIGMOID>(row, &bias[..row.len()]) }
            }
        }
    }

    /// `f` over `values` two vectors at a time, `pattern` (if not empty) added cyclically;
    /// the last one or two vectors masked (idle lanes hold zeros, inside `exp`'s vector path).
    ///
    /// # Safety
    /// Only call from a function compiled with L's features; `pattern` is empty, or its length
    /// is a multiple of N, or it is as long as `values`.
    #[inline(always)]
    unsafe fn flat<L: Lanes, const SIGMOID: bool>(values: &mut [f64], pattern: &[f64]) {
        let (n, len, at) = (L::N, values.len(), values.as_mut_ptr());
        // Where the next vector's bias starts in the pattern.
        let advance = |b: usize| if b + n == pattern.len() { 0 } else { b + n };
        // SAFETY: every access covers lanes `j..j + n` of `values` (or the masked `len - j` of
        // them) and the same lanes of the pattern from `b`, which the contract keeps inside
        // it; the caller runs with L's features.
        unsafe {
            let all = L::mask(n);
            let (mut j, mut b) = (0, 0);
            while j + 2 * n <= len {
                let b2 = advance(b);
                let z = [
                    biased::<L, false>(at.add(j), pattern, b, all),
                    biased::<L, false>(at.add(j + n), pattern, b2, all),
                ];
                let [u, v] = f2::<L, SIGMOID>(z);
                L::store(at.add(j), u);
                L::store(at.add(j + n), v);
                j += 2 * n;
                b = advance(b2);
            }
            if j < len && len - j <= n {
                let m = L::mask(len - j);
                let p = at.add(j);
                let z = biased::<L, true>(p, pattern, b, m);
                L::store_masked(p, m, f1::<L, SIGMOID>(z));
            } else if j < len {
                // Pointers past the end only reach masked loads and stores with no lane set,
                // which touch no memory.
                let (first, second) = (L::mask(n), L::mask(len - j - n));
                let (p, q) = (at.add(j), at.wrapping_add(j + n));
                let z = [
                    biased::<L, true>(p, pattern, b, first),
                    biased::<L, true>(q, pattern, advance(b), second),
                ];
                let [u, v] = f2::<L, SIGMOID>(z);
                L::store_masked(p, first, u);
                L::store_masked(q, second, v);
            }
        }
    }

    /// Greatest common divisor (for the bias pattern's period).
    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 { a } else { gcd(b, a % b) }
    }

    /// The lanes at `p` (only those in `m` when `MASKED`) plus `bias[j..]` when there is a
    /// bias.
    ///
    /// # Safety
    /// Only call from a function compiled with L's features; those lanes of `p` and of `bias`
    /// from `j` are readable.
    #[inline(always)]
    unsafe fn biased<L: Lanes, const MASKED: bool>(
        p: *const f64,
        bias: &[f64],
        j: usize,
        m: L::M,
    ) -> L::V {
        // SAFETY: as the contract.
        unsafe {
            let z = if MASKED {
                L::load_masked(p, m)
            } else {
                L::load(p)
            };
            if bias.is_empty() {
                return z;
            }
            let b = bias.as_ptr().wrapping_add(j);
            L::add(
                z,
                if MASKED {
                    L::load_masked(b, m)
                } else {
                    L::load(b)
                },
            )
        }
    }

    /// # Safety
    /// The CPU has AVX2 and FMA.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn exp_avx2(values: &mut [f64]) {
        // SAFETY: compiled with the features.
        unsafe { map::<Avx2, false>(values, &[], 0) }
    }

    /// # Safety
    /// The CPU has AVX-512F.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn exp_avx512(values: &mut [f64]) {
        // SAFETY: compiled with the features.
        unsafe { map::<Avx512, false>(values, &[], 0) }
    }

    /// # Safety
    /// The CPU has AVX2 and FMA; `bias` is empty or `cols` long.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn add_bias_sigmoid_avx2(values: &mut [f64], bias: &[f64], cols: usize) {
        // SAFETY: compiled with the features.
        unsafe { map::<Avx2, true>(values, bias, cols) }
    }

    /// # Safety
    /// The CPU has AVX-512F; `bias` is empty or `cols` long.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn add_bias_sigmoid_avx512(values: &mut [f64], bias: &[f64], cols: usize) {
        // SAFETY: compiled with the features.
        unsafe { map::<Avx512, true>(values, bias, cols) }
    }

    /// # Safety
    /// The CPU has NEON.
    #[cfg(target_arch = "aarch64")]
    #[target_feature(enable = "neon")]
    pub(super) unsafe fn exp_neon(values: &mut [f64]) {
        // SAFETY: compiled with the features.
        unsafe { map::<Neon, false>(values, &[], 0) }
    }

    /// # Safety
    /// The CPU has NEON; `bias` is empty or `cols` long.
    #[cfg(target_arch = "aarch64")]
    #[target_feature(enable = "neon")]
    pub(super) unsafe fn add_bias_sigmoid_neon(values: &mut [f64], bias: &[f64], cols: usize) {
        // SAFETY: compiled with the features.
        unsafe { map::<Neon, true>(values, bias, cols) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::simd::Path;
    use crate::nn::simd::with_path;
    use crate::rng::RandomState;

    fn has_fma() -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("fma")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    /// The replica against the system's glibc on a million arguments across the ranges the
    /// network produces, plus the edges of the fast path. Only meaningful where glibc itself
    /// runs its FMA build.
    #[test]
    fn matches_glibc_bit_for_bit() {
        if !has_fma() || !cfg!(all(target_os = "linux", target_env = "gnu")) {
            return;
        }
        let mut rng = RandomState::new(11);
        let mut xs: Vec<f64> = (0..1_000_000)
            .map(|i| {
                let u = rng.next_f64();
                match i % 4 {
                    0 => 80.0 * u - 40.0,
                    1 => 2.0 * u - 1.0,
                    2 => 1500.0 * u - 750.0,
                    _ => (u - 0.5) * 1e-12,
                }
            })
            .collect();
        xs.extend([
            0.0,
            -0.0,
            1e-300,
            5.5e-17,
            512.0,
            -512.0,
            511.9,
            709.7,
            -745.2,
            -746.0,
            1e4,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ]);
        // Tiny arguments, which the vector paths run through the fast path's arithmetic: every
        // exponent from the subnormals up to 2^-50, both signs, a few mantissas each.
        for e in -1074i64..=-50 {
            let power = if e >= -1022 {
                f64::from_bits(((e + 1023) as u64) << 52)
            } else {
                f64::from_bits(1 << (e + 1074))
            };
            for m in [1.0, 1.25, 1.5, 1.999_999_999_999_999_8] {
                xs.extend([m * power, -m * power]);
            }
        }
        let want: Vec<f64> = xs.iter().map(|x| x.exp()).collect();
        for (&x, &w) in xs.iter().zip(&want) {
            assert_eq!(exp(x).to_bits(), w.to_bits(), "scalar exp({x:e})");
        }
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        for path in Path::supported_here() {
            let mut vec = xs.clone();
            with_path(path, || exp_in_place(&mut vec)).expect("a supported path");
            for ((&x, &v), &w) in xs.iter().zip(&vec).zip(&want) {
                assert!(same(v, w), "{path}: exp({x:e})");
            }
            // Sigmoid with and without a bias: rows of 7 (a partial vector on every row, the
            // bias tiled), and rows of 257 (too long a pattern: row by row); the last row is
            // partial for both.
            let mut sig = xs.clone();
            with_path(path, || sigmoid_in_place(&mut sig)).expect("a supported path");
            for (i, &x) in xs.iter().enumerate() {
                let want = 1.0 / (1.0 + (-x).exp());
                assert!(same(sig[i], want), "{path}: sigmoid({x:e})");
            }
            let seven = [0.25, -1.5, 3.0, 0.0, -0.0, 1e-3, 7.0];
            let long: Vec<f64> = (0..257).map(|k| f64::from(k) / 64.0 - 2.0).collect();
            for bias in [&seven[..], &long] {
                let mut biased = xs.clone();
                with_path(path, || add_bias_sigmoid(&mut biased, bias)).expect("a supported path");
                for (i, &x) in xs.iter().enumerate() {
                    let z = x + bias[i % bias.len()];
                    let want = 1.0 / (1.0 + (-z).exp());
                    assert!(same(biased[i], want), "{path}: biased sigmoid({x:e})");
                }
            }
        }
    }
}
