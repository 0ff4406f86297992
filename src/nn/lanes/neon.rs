//! The aarch64 width: NEON (Advanced SIMD, `float64x2_t`, 2 lanes), which every aarch64 CPU
//! has. NEON has no masked loads or stores; with two lanes a partial vector is one lane, so the
//! mask is a lane count and a partial access touches that lane alone.

use std::arch::aarch64::*;

use super::super::exp_table::TAB;
use super::Lanes;

/// NEON: 2 lanes, 32 registers (a 12×4 tile is 24 accumulators, next to the two column
/// vectors and the broadcast row value, as on AVX-512).
#[derive(Clone, Copy)]
pub(crate) struct Neon;

impl Lanes for Neon {
    const N: usize = 2;
    const MR: usize = 12;
    type V = float64x2_t;
    type M = usize;

    #[inline(always)]
    unsafe fn splat(x: f64) -> float64x2_t {
        unsafe { vdupq_n_f64(x) }
    }
    #[inline(always)]
    unsafe fn load(p: *const f64) -> float64x2_t {
        unsafe { vld1q_f64(p) }
    }
    #[inline(always)]
    unsafe fn store(p: *mut f64, v: float64x2_t) {
        unsafe { vst1q_f64(p, v) }
    }
    #[inline(always)]
    unsafe fn mask(n: usize) -> usize {
        n
    }
    #[inline(always)]
    unsafe fn load_masked(p: *const f64, m: usize) -> float64x2_t {
        unsafe {
            match m {
                0 => vdupq_n_f64(0.0),
                1 => vld1q_lane_f64::<0>(p, vdupq_n_f64(0.0)),
                _ => vld1q_f64(p),
            }
        }
    }
    #[inline(always)]
    unsafe fn store_masked(p: *mut f64, m: usize, v: float64x2_t) {
        unsafe {
            match m {
                0 => {}
                1 => vst1q_lane_f64::<0>(p, v),
                _ => vst1q_f64(p, v),
            }
        }
    }
    #[inline(always)]
    unsafe fn fma(a: float64x2_t, b: float64x2_t, c: float64x2_t) -> float64x2_t {
        // `vfmaq_f64(c, a, b)` is `c + a·b`, rounded once.
        unsafe { vfmaq_f64(c, a, b) }
    }
    #[inline(always)]
    unsafe fn add(a: float64x2_t, b: float64x2_t) -> float64x2_t {
        unsafe { vaddq_f64(a, b) }
    }
    #[inline(always)]
    unsafe fn sub(a: float64x2_t, b: float64x2_t) -> float64x2_t {
        unsafe { vsubq_f64(a, b) }
    }
    #[inline(always)]
    unsafe fn mul(a: float64x2_t, b: float64x2_t) -> float64x2_t {
        unsafe { vmulq_f64(a, b) }
    }
    #[inline(always)]
    unsafe fn div(a: float64x2_t, b: float64x2_t) -> float64x2_t {
        unsafe { vdivq_f64(a, b) }
    }
    #[inline(always)]
    unsafe fn sqrt(a: float64x2_t) -> float64x2_t {
        unsafe { vsqrtq_f64(a) }
    }
    #[inline(always)]
    unsafe fn neg(a: float64x2_t) -> float64x2_t {
        unsafe { vnegq_f64(a) }
    }
    #[inline(always)]
    unsafe fn any_abs_from(x: float64x2_t, limit: f64) -> bool {
        // |x| < limit is false for NaN, so a lane that fails it is large or NaN.
        unsafe {
            let below = vcaltq_f64(x, vdupq_n_f64(limit));
            vminvq_u32(vreinterpretq_u32_u64(below)) == 0
        }
    }
    #[inline(always)]
    unsafe fn and_bits(a: float64x2_t, mask: u64) -> float64x2_t {
        unsafe { vreinterpretq_f64_u64(vandq_u64(vreinterpretq_u64_f64(a), vdupq_n_u64(mask))) }
    }
    #[inline(always)]
    unsafe fn all_less(a: float64x2_t, b: float64x2_t) -> bool {
        // All-ones lanes where `a < b`: the smallest 32-bit word is non-zero only if both are.
        unsafe { vminvq_u32(vreinterpretq_u32_u64(vcltq_f64(a, b))) != 0 }
    }
    #[inline(always)]
    unsafe fn exp_table(kd: float64x2_t) -> (float64x2_t, float64x2_t) {
        unsafe {
            let ki = vreinterpretq_u64_f64(kd);
            // Byte offsets of the (tail, scale) pairs, 16 bytes each: one 128-bit load a lane.
            let off = vshlq_n_u64::<4>(vandq_u64(ki, vdupq_n_u64(127)));
            let base = TAB.as_ptr().cast::<u8>();
            let a = vld1q_f64(base.add(vgetq_lane_u64::<0>(off) as usize).cast::<f64>());
            let b = vld1q_f64(base.add(vgetq_lane_u64::<1>(off) as usize).cast::<f64>());
            let tail = vzip1q_f64(a, b);
            let scale = vreinterpretq_u64_f64(vzip2q_f64(a, b));
            let scale = vaddq_u64(scale, vshlq_n_u64::<45>(ki));
            (tail, vreinterpretq_f64_u64(scale))
        }
    }
}
