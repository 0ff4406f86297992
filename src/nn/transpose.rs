//! `dst = srcᵀ`: the mirrored weight layout one of a layer's products reads, refreshed after
//! every update.
//!
//! A transpose only moves data, so every path gives the same result; the x86 vector paths move
//! 4×4 blocks through registers (NEON 2×2), about four times faster than element by element (whose
//! strided stores made it 4–5 % of an epoch).

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
use super::simd::Path;

/// Writes `srcᵀ` to `dst` for a row-major `src` with `cols` columns. Not split across a team:
/// the weights a batch trains are stored as its products read them, so only the small mirrors
/// of the layers that pass δ down are copied per batch.
///
/// # Panics
/// If `cols` is zero or does not divide `src.len()`, or `dst` is shorter than `src` (internal
/// bugs, never user input).
pub fn transpose(src: &[f64], cols: usize, dst: &mut [f64]) {
    assert!(
        cols > 0 && src.len().is_multiple_of(cols) && dst.len() >= src.len(),
        "transpose: shapes disagree"
    );
    let rows = src.len() / cols;
    // SAFETY: `src` is `rows × cols` and `dst` at least as long (checked above).
    unsafe { rect(src.as_ptr(), cols, rows, cols, dst.as_mut_ptr(), rows) };
}

/// `dst[c * ld + r] = src[r * stride + c]` for `r < rows`, `c < width`, on the active path:
/// a whole transpose (`ld` = `rows`) or a band of its rows.
///
/// # Safety
/// Those elements lie inside the buffers behind `src` and `dst`, and nothing else accesses
/// the written ones meanwhile.
unsafe fn rect(
    src: *const f64,
    stride: usize,
    rows: usize,
    width: usize,
    dst: *mut f64,
    ld: usize,
) {
    let shape = (stride, rows, width, ld);
    match super::simd::active() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: both vector paths imply AVX (`active` only returns supported paths); the
        // bounds are this function's contract.
        Path::Avx512 | Path::Avx2 => unsafe { blocks_avx(src, shape, dst) },
        #[cfg(target_arch = "aarch64")]
        // SAFETY: as above, for NEON.
        Path::Neon => unsafe { blocks_neon(src, shape, dst) },
        // SAFETY: as this function's contract.
        _ => unsafe { elements(src, shape, (0, 0), dst) },
    }
}

/// Element by element, from row `r0` and (for rows below the last full block) column `c0`:
/// the portable path, and the vector path's edges.
///
/// # Safety
/// As [`rect`]'s, for `shape` = `(stride, rows, width, ld)`.
unsafe fn elements(
    src: *const f64,
    (stride, rows, width, ld): (usize, usize, usize, usize),
    (r0, c0): (usize, usize),
    dst: *mut f64,
) {
    for r in 0..rows {
        let from = if r < r0 { c0 } else { 0 };
        for c in from..width {
            // SAFETY: as this function's contract.
            unsafe { *dst.add(c * ld + r) = *src.add(r * stride + c) };
        }
    }
}

/// Full 4×4 blocks through registers (two unpacks and a lane swap), then the edges.
///
/// # Safety
/// The CPU has AVX; otherwise as [`rect`]'s, for `shape` = `(stride, rows, width, ld)`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn blocks_avx(src: *const f64, shape: (usize, usize, usize, usize), dst: *mut f64) {
    use std::arch::x86_64::*;
    let (stride, rows, width, ld) = shape;
    let (r4, c4) = (rows / 4 * 4, width / 4 * 4);
    // SAFETY: every block reads rows r..r + 4 <= rows, columns c..c + 4 <= width of `src`, and
    // writes rows c..c + 4 of `dst` at columns r..r + 4 <= rows.
    unsafe {
        for r in (0..r4).step_by(4) {
            for c in (0..c4).step_by(4) {
                let s = src.add(r * stride + c);
                let a = _mm256_loadu_pd(s);
                let b = _mm256_loadu_pd(s.add(stride));
                let e = _mm256_loadu_pd(s.add(2 * stride));
                let f = _mm256_loadu_pd(s.add(3 * stride));
                let (ab0, ab1) = (_mm256_unpacklo_pd(a, b), _mm256_unpackhi_pd(a, b));
                let (ef0, ef1) = (_mm256_unpacklo_pd(e, f), _mm256_unpackhi_pd(e, f));
                let o = dst.add(c * ld + r);
                _mm256_storeu_pd(o, _mm256_permute2f128_pd::<0x20>(ab0, ef0));
                _mm256_storeu_pd(o.add(ld), _mm256_permute2f128_pd::<0x20>(ab1, ef1));
                _mm256_storeu_pd(o.add(2 * ld), _mm256_permute2f128_pd::<0x31>(ab0, ef0));
                _mm256_storeu_pd(o.add(3 * ld), _mm256_permute2f128_pd::<0x31>(ab1, ef1));
            }
        }
        elements(src, shape, (r4, c4), dst);
    }
}

/// Full 2×2 blocks through registers (a zip of two rows gives two columns), then the edges.
///
/// # Safety
/// The CPU has NEON; otherwise as [`rect`]'s, for `shape` = `(stride, rows, width, ld)`.
#[cfg(target_arch = "aarch64")]
#[target_feature(enable = "neon")]
unsafe fn blocks_neon(src: *const f64, shape: (usize, usize, usize, usize), dst: *mut f64) {
    use std::arch::aarch64::*;
    let (stride, rows, width, ld) = shape;
    let (r2, c2) = (rows / 2 * 2, width / 2 * 2);
    // SAFETY: every block reads rows r..r + 2 <= rows, columns c..c + 2 <= width of `src`, and
    // writes rows c..c + 2 of `dst` at columns r..r + 2 <= rows.
    unsafe {
        for r in (0..r2).step_by(2) {
            for c in (0..c2).step_by(2) {
                let s = src.add(r * stride + c);
                let (a, b) = (vld1q_f64(s), vld1q_f64(s.add(stride)));
                let o = dst.add(c * ld + r);
                vst1q_f64(o, vzip1q_f64(a, b));
                vst1q_f64(o.add(ld), vzip2q_f64(a, b));
            }
        }
        elements(src, shape, (r2, c2), dst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::simd::Path;
    use crate::nn::simd::with_path;

    #[test]
    fn every_path_transposes_every_shape() {
        for (rows, cols) in [
            (80, 64),
            (70, 80),
            (10, 70),
            (1, 1),
            (3, 5),
            (5, 3),
            (9, 4),
            (4, 9),
        ] {
            let src: Vec<f64> = (0..rows * cols).map(|i| i as f64).collect();
            for path in Path::supported_here() {
                let mut dst = vec![f64::NAN; rows * cols];
                with_path(path, || transpose(&src, cols, &mut dst)).expect("a supported path");
                for r in 0..rows {
                    for c in 0..cols {
                        assert_eq!(dst[c * rows + r], src[r * cols + c], "{path} {rows}x{cols}");
                    }
                }
            }
        }
    }
}
