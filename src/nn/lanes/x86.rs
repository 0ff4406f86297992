//! The x86 widths: AVX2 (`__m256d`, 4 lanes) and AVX-512 (`__m512d`, 8 lanes).

use std::arch::x86_64::*;

use super::super::exp_table::TAB;
use super::Lanes;

/// AVX2 with FMA: 4 lanes, 16 registers (a 6×8 tile is 12 accumulators).
#[derive(Clone, Copy)]
pub(crate) struct Avx2;

/// AVX-512F: 8 lanes, 32 registers (a 12×16 tile is 24 accumulators).
#[derive(Clone, Copy)]
pub(crate) struct Avx512;

impl Lanes for Avx2 {
    const N: usize = 4;
    const MR: usize = 6;
    type V = __m256d;
    type M = __m256i;

    #[inline(always)]
    unsafe fn splat(x: f64) -> __m256d {
        unsafe { _mm256_set1_pd(x) }
    }
    #[inline(always)]
    unsafe fn load(p: *const f64) -> __m256d {
        unsafe { _mm256_loadu_pd(p) }
    }
    #[inline(always)]
    unsafe fn store(p: *mut f64, v: __m256d) {
        unsafe { _mm256_storeu_pd(p, v) }
    }
    #[inline(always)]
    unsafe fn mask(n: usize) -> __m256i {
        let lane = |k: usize| if k < n { -1 } else { 0 };
        unsafe { _mm256_setr_epi64x(lane(0), lane(1), lane(2), lane(3)) }
    }
    #[inline(always)]
    unsafe fn load_masked(p: *const f64, m: __m256i) -> __m256d {
        unsafe { _mm256_maskload_pd(p, m) }
    }
    #[inline(always)]
    unsafe fn store_masked(p: *mut f64, m: __m256i, v: __m256d) {
        unsafe { _mm256_maskstore_pd(p, m, v) }
    }
    #[inline(always)]
    unsafe fn fma(a: __m256d, b: __m256d, c: __m256d) -> __m256d {
        unsafe { _mm256_fmadd_pd(a, b, c) }
    }
    #[inline(always)]
    unsafe fn add(a: __m256d, b: __m256d) -> __m256d {
        unsafe { _mm256_add_pd(a, b) }
    }
    #[inline(always)]
    unsafe fn sub(a: __m256d, b: __m256d) -> __m256d {
        unsafe { _mm256_sub_pd(a, b) }
    }
    #[inline(always)]
    unsafe fn mul(a: __m256d, b: __m256d) -> __m256d {
        unsafe { _mm256_mul_pd(a, b) }
    }
    #[inline(always)]
    unsafe fn div(a: __m256d, b: __m256d) -> __m256d {
        unsafe { _mm256_div_pd(a, b) }
    }
    #[inline(always)]
    unsafe fn sqrt(a: __m256d) -> __m256d {
        unsafe { _mm256_sqrt_pd(a) }
    }
    #[inline(always)]
    unsafe fn neg(a: __m256d) -> __m256d {
        unsafe { _mm256_xor_pd(a, _mm256_set1_pd(-0.0)) }
    }
    #[inline(always)]
    unsafe fn any_abs_from(x: __m256d, limit: f64) -> bool {
        unsafe {
            let abs = _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
            let out = _mm256_cmp_pd::<_CMP_NLT_UQ>(abs, _mm256_set1_pd(limit));
            _mm256_movemask_pd(out) != 0
        }
    }
    #[inline(always)]
    unsafe fn and_bits(a: __m256d, mask: u64) -> __m256d {
        unsafe { _mm256_and_pd(a, _mm256_castsi256_pd(_mm256_set1_epi64x(mask as i64))) }
    }
    #[inline(always)]
    unsafe fn all_less(a: __m256d, b: __m256d) -> bool {
        unsafe { _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_LT_OQ>(a, b)) == 0b1111 }
    }
    #[inline(always)]
    unsafe fn exp_table(kd: __m256d) -> (__m256d, __m256d) {
        unsafe {
            let ki = _mm256_castpd_si256(kd);
            let idx = _mm256_and_si256(ki, _mm256_set1_epi64x(127));
            let mut at = [0i64; 4];
            _mm256_storeu_si256(at.as_mut_ptr().cast(), idx);
            // Each index < 128 picks a (tail, scale) pair, adjacent in the table: one 128-bit
            // load per lane instead of two gathers (which are slow on AMD's cores).
            let w = at.map(|i| (i as u64) << 4);
            let (a, b) = (two_pairs(w[0], w[2]), two_pairs(w[1], w[3]));
            let tail = _mm256_unpacklo_pd(a, b);
            let scale = _mm256_castpd_si256(_mm256_unpackhi_pd(a, b));
            let scale = _mm256_add_epi64(scale, _mm256_slli_epi64::<45>(ki));
            (tail, _mm256_castsi256_pd(scale))
        }
    }
}

/// The table pairs at byte offsets `lo` and `hi` as one vector `(tail, scale, tail, scale)`.
/// A function, not a closure: closures do not take their caller's target features.
///
/// # Safety
/// Only call from code compiled with AVX; both offsets are pair starts inside the table
/// (multiples of 16 below 2048).
#[inline(always)]
unsafe fn two_pairs(lo: u64, hi: u64) -> __m256d {
    unsafe {
        let base = TAB.as_ptr().cast::<u8>();
        let lo = _mm_loadu_pd(base.add(lo as usize).cast::<f64>());
        let hi = _mm_loadu_pd(base.add(hi as usize).cast::<f64>());
        _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(lo), hi)
    }
}

impl Lanes for Avx512 {
    const N: usize = 8;
    const MR: usize = 12;
    type V = __m512d;
    type M = __mmask8;

    #[inline(always)]
    unsafe fn splat(x: f64) -> __m512d {
        unsafe { _mm512_set1_pd(x) }
    }
    #[inline(always)]
    unsafe fn load(p: *const f64) -> __m512d {
        unsafe { _mm512_loadu_pd(p) }
    }
    #[inline(always)]
    unsafe fn store(p: *mut f64, v: __m512d) {
        unsafe { _mm512_storeu_pd(p, v) }
    }
    #[inline(always)]
    unsafe fn mask(n: usize) -> __mmask8 {
        ((1u32 << n) - 1) as __mmask8
    }
    #[inline(always)]
    unsafe fn load_masked(p: *const f64, m: __mmask8) -> __m512d {
        unsafe { _mm512_maskz_loadu_pd(m, p) }
    }
    #[inline(always)]
    unsafe fn store_masked(p: *mut f64, m: __mmask8, v: __m512d) {
        unsafe { _mm512_mask_storeu_pd(p, m, v) }
    }
    #[inline(always)]
    unsafe fn fma(a: __m512d, b: __m512d, c: __m512d) -> __m512d {
        unsafe { _mm512_fmadd_pd(a, b, c) }
    }
    #[inline(always)]
    unsafe fn add(a: __m512d, b: __m512d) -> __m512d {
        unsafe { _mm512_add_pd(a, b) }
    }
    #[inline(always)]
    unsafe fn sub(a: __m512d, b: __m512d) -> __m512d {
        unsafe { _mm512_sub_pd(a, b) }
    }
    #[inline(always)]
    unsafe fn mul(a: __m512d, b: __m512d) -> __m512d {
        unsafe { _mm512_mul_pd(a, b) }
    }
    #[inline(always)]
    unsafe fn div(a: __m512d, b: __m512d) -> __m512d {
        unsafe { _mm512_div_pd(a, b) }
    }
    #[inline(always)]
    unsafe fn sqrt(a: __m512d) -> __m512d {
        unsafe { _mm512_sqrt_pd(a) }
    }
    #[inline(always)]
    unsafe fn neg(a: __m512d) -> __m512d {
        // Integer xor: the double-typed one is AVX-512DQ, not F.
        unsafe {
            let sign = _mm512_set1_epi64(i64::MIN);
            _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(a), sign))
        }
    }
    #[inline(always)]
    unsafe fn any_abs_from(x: __m512d, limit: f64) -> bool {
        unsafe { _mm512_cmp_pd_mask::<_CMP_NLT_UQ>(_mm512_abs_pd(x), _mm512_set1_pd(limit)) != 0 }
    }
    #[inline(always)]
    unsafe fn and_bits(a: __m512d, mask: u64) -> __m512d {
        // Integer and: the double-typed one is AVX-512DQ, not F.
        unsafe {
            let mask = _mm512_set1_epi64(mask as i64);
            _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(a), mask))
        }
    }
    #[inline(always)]
    unsafe fn all_less(a: __m512d, b: __m512d) -> bool {
        unsafe { _mm512_cmp_pd_mask::<_CMP_LT_OQ>(a, b) == 0xff }
    }
    #[inline(always)]
    unsafe fn exp_table(kd: __m512d) -> (__m512d, __m512d) {
        unsafe {
            let ki = _mm512_castpd_si512(kd);
            // Byte offsets of the pairs (16 bytes each), narrowed to 32 bits so that one
            // 64-bit move to a general register carries two lanes.
            let off = _mm512_slli_epi64::<4>(_mm512_and_si512(ki, _mm512_set1_epi64(127)));
            let off = _mm512_cvtepi64_epi32(off);
            let lo = _mm256_castsi256_si128(off);
            let hi = _mm256_extracti128_si256::<1>(off);
            let w = [
                _mm_cvtsi128_si64(lo) as u64,
                _mm_extract_epi64::<1>(lo) as u64,
                _mm_cvtsi128_si64(hi) as u64,
                _mm_extract_epi64::<1>(hi) as u64,
            ];
            // Lane k's offset is in word k / 2, the low half first.
            let at = |k: usize| (w[k / 2] >> (32 * (k % 2))) & 0xffff_ffff;
            let (a0, a1) = (two_pairs(at(0), at(2)), two_pairs(at(4), at(6)));
            let (b0, b1) = (two_pairs(at(1), at(3)), two_pairs(at(5), at(7)));
            let a = _mm512_insertf64x4::<1>(_mm512_castpd256_pd512(a0), a1);
            let b = _mm512_insertf64x4::<1>(_mm512_castpd256_pd512(b0), b1);
            let tail = _mm512_unpacklo_pd(a, b);
            let scale = _mm512_castpd_si512(_mm512_unpackhi_pd(a, b));
            let scale = _mm512_add_epi64(scale, _mm512_slli_epi64::<45>(ki));
            (tail, _mm512_castsi512_pd(scale))
        }
    }
}
