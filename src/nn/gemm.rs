//! Matrix products in the lab's reference arithmetic (LAB.md B.0): every output element is
//! `acc = +0.0; for t ascending: acc = fma(p, q, acc)`.
//!
//! Keeping that order per element is what makes training traces reproducible to the bit; the
//! speed comes from computing many independent elements at once (a register tile of
//! `MR` rows × `NR` columns), which vectorises without reordering any single sum.

/// The left operand, read as `P[r, t] = data[r * row_stride + t * depth_stride]`, so one kernel
/// serves `A·Wᵀ`, `δ·W` and `δᵀ·A` without transposing anything.
#[derive(Clone, Copy)]
pub struct Lhs<'a> {
    /// Backing storage.
    pub data: &'a [f64],
    /// Distance between consecutive output rows.
    pub row_stride: usize,
    /// Distance between consecutive summation steps.
    pub depth_stride: usize,
}

/// Rows per register tile: 6 rows × 8 columns is 12 AVX2 accumulators plus two row loads and
/// a broadcast, which fills the 16 vector registers and balances loads against FMAs.
const MR: usize = 6;

/// Overwrites `c[r * ldc + j]` (for `r < rows`, `j < cols`) with `Σ_t fma(P[r,t], q[t * ldq + j])`.
///
/// # Panics
/// If an operand is too short for the stated shape (an internal bug, never user input).
#[allow(clippy::too_many_arguments)]
pub fn product(
    rows: usize,
    cols: usize,
    depth: usize,
    p: Lhs<'_>,
    q: &[f64],
    ldq: usize,
    c: &mut [f64],
    ldc: usize,
) {
    if rows == 0 || cols == 0 {
        return;
    }
    assert!(
        cols <= ldc && (rows - 1) * ldc + cols <= c.len(),
        "product: output too short"
    );
    if depth == 0 {
        for r in 0..rows {
            c[r * ldc..r * ldc + cols].fill(0.0);
        }
        return;
    }
    assert!(
        (rows - 1) * p.row_stride + (depth - 1) * p.depth_stride < p.data.len(),
        "product: left operand too short"
    );
    assert!(
        cols <= ldq && (depth - 1) * ldq + cols <= q.len(),
        "product: right operand too short"
    );
    let args = Args {
        rows,
        cols,
        depth,
        p: p.data.as_ptr(),
        prs: p.row_stride,
        pts: p.depth_stride,
        q: q.as_ptr(),
        ldq,
        c: c.as_mut_ptr(),
        ldc,
    };
    #[cfg(target_arch = "x86_64")]
    {
        if super::has_avx2_fma() {
            // SAFETY: the CPU supports the enabled features; bounds were checked above.
            unsafe { avx2::product(&args) };
            return;
        }
    }
    // SAFETY: bounds were checked above.
    unsafe { product_body(&args) };
}

/// Raw operands after the bounds checks.
struct Args {
    rows: usize,
    cols: usize,
    depth: usize,
    p: *const f64,
    prs: usize,
    pts: usize,
    q: *const f64,
    ldq: usize,
    c: *mut f64,
    ldc: usize,
}

/// The AVX2+FMA kernel, written with intrinsics so the register tile is explicit: the row
/// pointers advance independently (no chain of dependent address adds in the inner loop), and
/// a partial column block is one masked tile instead of scalar columns. Each element is still
/// `acc = fma(P[r, t], q[t, j], acc)` for `t` ascending, so the bits are the portable kernel's.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{Args, MR};

    /// Lanes on for the first `width` of 8 columns.
    #[target_feature(enable = "avx2")]
    fn masks(width: usize) -> [__m256i; 2] {
        let lane = |k: usize| if k < width { -1 } else { 0 };
        [
            _mm256_setr_epi64x(lane(0), lane(1), lane(2), lane(3)),
            _mm256_setr_epi64x(lane(4), lane(5), lane(6), lane(7)),
        ]
    }

    /// # Safety
    /// The CPU has AVX2 and FMA, and `a` passed `product`'s bounds checks.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn product(a: &Args) {
        let mut r = 0;
        // SAFETY (all blocks): r + height <= rows.
        while r + MR <= a.rows {
            unsafe { row_block::<MR>(a, r) };
            r += MR;
        }
        match a.rows - r {
            5 => unsafe { row_block::<5>(a, r) },
            4 => unsafe { row_block::<4>(a, r) },
            3 => unsafe { row_block::<3>(a, r) },
            2 => unsafe { row_block::<2>(a, r) },
            1 => unsafe { row_block::<1>(a, r) },
            _ => {}
        }
    }

    #[inline(always)]
    unsafe fn row_block<const R: usize>(a: &Args, r: usize) {
        let mut j = 0;
        // SAFETY (both): j + 8 <= cols, or the mask stops at cols; r + R <= rows.
        while j + 8 <= a.cols {
            unsafe { tile::<R, false>(a, r, j, [_mm256_set1_epi64x(-1); 2]) };
            j += 8;
        }
        if j < a.cols {
            unsafe { tile::<R, true>(a, r, j, masks(a.cols - j)) };
        }
    }

    #[inline(always)]
    unsafe fn tile<const R: usize, const MASKED: bool>(
        a: &Args,
        r: usize,
        j: usize,
        mask: [__m256i; 2],
    ) {
        // SAFETY: every P[r + i, t] and unmasked q[t, j + x] read here is in bounds, as
        // `product` checked; masked-off lanes are never touched. Callers run with AVX2+FMA.
        unsafe {
            let mut lo = [_mm256_setzero_pd(); R];
            let mut hi = [_mm256_setzero_pd(); R];
            let mut p: [*const f64; R] = std::array::from_fn(|i| a.p.add((r + i) * a.prs));
            let mut q = a.q.add(j);
            for _ in 0..a.depth {
                let (q0, q1) = if MASKED {
                    (
                        _mm256_maskload_pd(q, mask[0]),
                        _mm256_maskload_pd(q.add(4), mask[1]),
                    )
                } else {
                    (_mm256_loadu_pd(q), _mm256_loadu_pd(q.add(4)))
                };
                for i in 0..R {
                    let b = _mm256_broadcast_sd(&*p[i]);
                    lo[i] = _mm256_fmadd_pd(b, q0, lo[i]);
                    hi[i] = _mm256_fmadd_pd(b, q1, hi[i]);
                    p[i] = p[i].add(a.pts);
                }
                q = q.add(a.ldq);
            }
            for i in 0..R {
                let out = a.c.add((r + i) * a.ldc + j);
                if MASKED {
                    _mm256_maskstore_pd(out, mask[0], lo[i]);
                    _mm256_maskstore_pd(out.add(4), mask[1], hi[i]);
                } else {
                    _mm256_storeu_pd(out, lo[i]);
                    _mm256_storeu_pd(out.add(4), hi[i]);
                }
            }
        }
    }
}

#[inline(always)]
unsafe fn product_body(a: &Args) {
    let mut r = 0;
    while r + MR <= a.rows {
        // SAFETY: r + MR <= rows.
        unsafe { row_block::<MR>(a, r) };
        r += MR;
    }
    // SAFETY (all blocks): r + height <= rows.
    if r + 4 <= a.rows {
        unsafe { row_block::<4>(a, r) };
        r += 4;
    }
    if r + 2 <= a.rows {
        unsafe { row_block::<2>(a, r) };
        r += 2;
    }
    if r < a.rows {
        unsafe { row_block::<1>(a, r) };
    }
}

#[inline(always)]
unsafe fn row_block<const R: usize>(a: &Args, r: usize) {
    let mut j = 0;
    // SAFETY (all tiles): j + width <= cols and r + R <= rows.
    while j + 8 <= a.cols {
        unsafe { tile::<R, 8>(a, r, j) };
        j += 8;
    }
    if j + 4 <= a.cols {
        unsafe { tile::<R, 4>(a, r, j) };
        j += 4;
    }
    while j < a.cols {
        unsafe { tile::<R, 1>(a, r, j) };
        j += 1;
    }
}

#[inline(always)]
unsafe fn tile<const R: usize, const C: usize>(a: &Args, r: usize, j: usize) {
    let mut acc = [[0.0f64; C]; R];
    // SAFETY: `product` checked that every P[r', t] and q[t, j'] read here is in bounds.
    unsafe {
        let mut pp = a.p.add(r * a.prs);
        let mut qq = a.q.add(j);
        for _ in 0..a.depth {
            let mut qv = [0.0f64; C];
            for (x, v) in qv.iter_mut().enumerate() {
                *v = *qq.add(x);
            }
            for (i, row) in acc.iter_mut().enumerate() {
                let pv = *pp.add(i * a.prs);
                for (acc, &qx) in row.iter_mut().zip(&qv) {
                    *acc = pv.mul_add(qx, *acc);
                }
            }
            pp = pp.add(a.pts);
            qq = qq.add(a.ldq);
        }
        for (i, row) in acc.iter().enumerate() {
            let out = a.c.add((r + i) * a.ldc + j);
            for (x, &v) in row.iter().enumerate() {
                *out.add(x) = v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, one element at a time.
    fn naive(
        rows: usize,
        cols: usize,
        depth: usize,
        p: Lhs<'_>,
        q: &[f64],
        ldq: usize,
    ) -> Vec<f64> {
        let mut c = vec![0.0; rows * cols];
        for r in 0..rows {
            for j in 0..cols {
                let mut acc = 0.0f64;
                for t in 0..depth {
                    let pv = p.data[r * p.row_stride + t * p.depth_stride];
                    acc = pv.mul_add(q[t * ldq + j], acc);
                }
                c[r * cols + j] = acc;
            }
        }
        c
    }

    fn noise(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
            })
            .collect()
    }

    #[test]
    fn tiles_and_tails_match_the_sequential_definition_bit_for_bit() {
        for &(rows, cols, depth) in &[
            (7, 70, 80),
            (29, 10, 70),
            (64, 80, 64),
            (1, 3, 5),
            (5, 13, 1),
        ] {
            let p = noise(rows * depth, 1);
            let q = noise(depth * cols, 2);
            let lhs = Lhs {
                data: &p,
                row_stride: depth,
                depth_stride: 1,
            };
            let mut c = vec![f64::NAN; rows * cols];
            product(rows, cols, depth, lhs, &q, cols, &mut c, cols);
            let want = naive(rows, cols, depth, lhs, &q, cols);
            let same = c.iter().zip(&want).all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "{rows}x{cols}x{depth}");
        }
    }

    #[test]
    fn transposed_left_operand_reads_columns() {
        // P = Mᵀ for a 3×2 M stored row-major: P[r, t] = M[t, r].
        let m = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let q = [1.0, 10.0, 100.0];
        let lhs = Lhs {
            data: &m,
            row_stride: 1,
            depth_stride: 2,
        };
        let mut c = [0.0; 2];
        product(2, 1, 3, lhs, &q, 1, &mut c, 1);
        assert_eq!(c, [1.0 + 30.0 + 500.0, 2.0 + 40.0 + 600.0]);
    }

    #[test]
    fn zero_depth_gives_zeros() {
        let mut c = [9.0; 4];
        product(
            2,
            2,
            0,
            Lhs {
                data: &[],
                row_stride: 0,
                depth_stride: 0,
            },
            &[],
            2,
            &mut c,
            2,
        );
        assert_eq!(c, [0.0; 4]);
    }
}
