//! `exp` exactly as glibc computes it, four lanes at a time.
//!
//! The lab's reference arithmetic uses glibc's `exp` (LAB.md B.0), and calling it once per
//! activation costs more than all the matrix products of an epoch. This is glibc 2.36's
//! algorithm (ARM optimized-routines: a 128-entry table and a degree-5 polynomial) with the
//! fused multiply-adds its FMA build uses, so every result is bit-identical to `f64::exp` on a
//! glibc system with FMA; arguments outside its fast path (|x| < 2^-54 or |x| ≥ 512, NaN, ±∞)
//! are handed to `f64::exp` itself.

use super::exp_table::TAB;

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

/// The logistic function `1 / (1 + e^-z)` in place, as the lab computes it.
pub fn sigmoid_in_place(values: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if super::has_avx2_fma() {
            // SAFETY: the CPU has the features the function is compiled for.
            unsafe { simd::sigmoid(values) };
            return;
        }
    }
    for v in values {
        *v = 1.0 / (1.0 + exp(-*v));
    }
}

/// `e^x` in place.
pub fn exp_in_place(values: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if super::has_avx2_fma() {
            // SAFETY: the CPU has the features the function is compiled for.
            unsafe { simd::exp(values) };
            return;
        }
    }
    for v in values {
        *v = exp(*v);
    }
}

#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::*;

    use super::*;

    /// Four exps; lanes outside the fast path go through the scalar function. Always inlined
    /// into its AVX2 callers: a call would pass the vector through memory.
    ///
    /// # Safety
    /// Only call from a function compiled with AVX2 and FMA.
    #[inline(always)]
    unsafe fn exp4(x: __m256d) -> __m256d {
        // SAFETY: the caller runs with AVX2+FMA; memory is only touched as commented below.
        unsafe {
            let bits = _mm256_castpd_si256(x);
            let abstop = _mm256_and_si256(_mm256_srli_epi64::<52>(bits), _mm256_set1_epi64x(0x7ff));
            let low = _mm256_cmpgt_epi64(_mm256_set1_epi64x(LOW_TOP as i64), abstop);
            let high =
                _mm256_cmpgt_epi64(abstop, _mm256_set1_epi64x((LOW_TOP + FAST_SPAN - 1) as i64));
            if _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_or_si256(low, high))) != 0 {
                let mut lanes = [0.0f64; 4];
                // `lanes` holds four doubles.
                _mm256_storeu_pd(lanes.as_mut_ptr(), x);
                for v in &mut lanes {
                    *v = super::exp(*v);
                }
                return _mm256_loadu_pd(lanes.as_ptr());
            }
            let shift = _mm256_set1_pd(SHIFT);
            let kd = _mm256_fmadd_pd(x, _mm256_set1_pd(INV_LN2_N), shift);
            let ki = _mm256_castpd_si256(kd);
            let kd = _mm256_sub_pd(kd, shift);
            let r = _mm256_fmadd_pd(kd, _mm256_set1_pd(NEG_LN2_HI_N), x);
            let r = _mm256_fmadd_pd(kd, _mm256_set1_pd(NEG_LN2_LO_N), r);
            let idx = _mm256_slli_epi64::<1>(_mm256_and_si256(ki, _mm256_set1_epi64x(127)));
            // idx ≤ 254, so idx and idx + 1 are inside the 256-entry table.
            let base = TAB.as_ptr().cast::<i64>();
            let tail = _mm256_castsi256_pd(_mm256_i64gather_epi64::<8>(base, idx));
            let scale_bits = _mm256_i64gather_epi64::<8>(base.add(1), idx);
            let sbits = _mm256_add_epi64(scale_bits, _mm256_slli_epi64::<45>(ki));
            let r2 = _mm256_mul_pd(r, r);
            let p23 = _mm256_fmadd_pd(r, _mm256_set1_pd(C3), _mm256_set1_pd(C2));
            let low = _mm256_fmadd_pd(p23, r2, _mm256_add_pd(r, tail));
            let p45 = _mm256_fmadd_pd(r, _mm256_set1_pd(C5), _mm256_set1_pd(C4));
            let tmp = _mm256_fmadd_pd(_mm256_mul_pd(r2, r2), p45, low);
            let scale = _mm256_castsi256_pd(sbits);
            _mm256_fmadd_pd(scale, tmp, scale)
        }
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn exp(values: &mut [f64]) {
        let mut chunks = values.chunks_exact_mut(4);
        for c in &mut chunks {
            // SAFETY: each chunk holds four doubles.
            unsafe { _mm256_storeu_pd(c.as_mut_ptr(), exp4(_mm256_loadu_pd(c.as_ptr()))) };
        }
        for v in chunks.into_remainder() {
            *v = super::exp(*v);
        }
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn sigmoid(values: &mut [f64]) {
        let one = _mm256_set1_pd(1.0);
        let sign = _mm256_set1_pd(-0.0);
        let mut chunks = values.chunks_exact_mut(4);
        for c in &mut chunks {
            // SAFETY: each chunk holds four doubles.
            unsafe {
                let z = _mm256_loadu_pd(c.as_ptr());
                let e = exp4(_mm256_xor_pd(z, sign));
                _mm256_storeu_pd(c.as_mut_ptr(), _mm256_div_pd(one, _mm256_add_pd(one, e)));
            }
        }
        for v in chunks.into_remainder() {
            *v = 1.0 / (1.0 + super::exp(-*v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let mut vec = xs.clone();
        exp_in_place(&mut vec);
        for (&x, &v) in xs.iter().zip(&vec) {
            let want = x.exp();
            assert_eq!(exp(x).to_bits(), want.to_bits(), "scalar exp({x:e})");
            assert!(
                v.to_bits() == want.to_bits() || (v.is_nan() && want.is_nan()),
                "simd exp({x:e})"
            );
        }
        let mut sig = xs.clone();
        sigmoid_in_place(&mut sig);
        for (&x, &s) in xs.iter().zip(&sig) {
            let want = 1.0 / (1.0 + (-x).exp());
            assert!(
                s.to_bits() == want.to_bits() || (s.is_nan() && want.is_nan()),
                "sigmoid({x:e})"
            );
        }
    }
}
