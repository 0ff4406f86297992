//! numpy's summation orders (LAB.md B.0), so that sums reproduce the lab's bits.

/// numpy's pairwise sum of a contiguous 1-D array (`np.sum(a)`, `axis=1` row sums, whole
/// C-contiguous matrices): eight accumulators up to 128 values, halves above.
pub fn pairwise_sum(a: &[f64]) -> f64 {
    pairwise(a, a, |x, _| x)
}

super::simd::vectorised! {
    /// `Σ a²` in [`pairwise_sum`]'s order, to the bit `pairwise_sum` of the squares, without
    /// a buffer for them: the layer-health norms, once per batch over every weight.
    pub fn sum_of_squares = sum_of_squares_plain(a: &[f64]) -> f64
}

#[inline(always)]
fn sum_of_squares_plain(a: &[f64]) -> f64 {
    pairwise(a, a, |x, _| x * x)
}

super::simd::vectorised! {
    /// `Σ (a − b)²` in [`pairwise_sum`]'s order (`b` at least as long as `a`): how far an
    /// update moved a layer, as [`sum_of_squares`] and for the same reason.
    pub fn squared_distance = squared_distance_plain(a: &[f64], b: &[f64]) -> f64
}

#[inline(always)]
fn squared_distance_plain(a: &[f64], b: &[f64]) -> f64 {
    pairwise(a, b, |x, y| (x - y) * (x - y))
}

/// Where numpy's pairwise tree first splits `n` terms (`None`: it sums them as one block).
/// The two halves summed apart and then added give the whole sum's bits, so a long sum can be
/// shared by two threads.
pub fn first_split(n: usize) -> Option<usize> {
    (n > 128).then(|| n / 2 - (n / 2) % 8)
}

/// numpy's pairwise tree over the terms `term(a[i], b[i])`, walked without recursion so that
/// it inlines whole into a vectorised caller: below 8 terms one chain from `-0.0`, up to 128
/// eight chains (one vector at AVX-512) joined as a tree, above that the two halves (the first
/// a multiple of 8 long), left before right.
#[inline(always)]
fn pairwise(a: &[f64], b: &[f64], term: impl Fn(f64, f64) -> f64 + Copy) -> f64 {
    /// A split whose left half is summed and whose right half, `start..end`, is pending.
    #[derive(Clone, Copy)]
    struct Pending {
        start: usize,
        end: usize,
        left: Option<f64>,
    }
    let n = a.len();
    let b = &b[..n];
    if n < 8 {
        let mut r = -0.0;
        for (&x, &y) in a.iter().zip(b) {
            r += term(x, y);
        }
        return r;
    }
    if n <= 128 {
        return block(a, b, term);
    }
    // Halving from usize::MAX terms reaches 128 within 64 splits.
    let mut stack = [Pending {
        start: 0,
        end: 0,
        left: None,
    }; 64];
    let mut depth = 0;
    let (mut start, mut end) = (0, n);
    loop {
        while let Some(half) = first_split(end - start) {
            stack[depth] = Pending {
                start: start + half,
                end,
                left: None,
            };
            depth += 1;
            end = start + half;
        }
        let mut value = block(&a[start..end], &b[start..end], term);
        loop {
            if depth == 0 {
                return value;
            }
            let pending = &mut stack[depth - 1];
            match pending.left {
                None => {
                    pending.left = Some(value);
                    (start, end) = (pending.start, pending.end);
                    break;
                }
                Some(left) => {
                    // `left + value`: IEEE addition commutes, bit for bit.
                    value += left;
                    depth -= 1;
                }
            }
        }
    }
}

/// numpy's sum of 8 to 128 terms: eight chains over the whole multiples of 8, joined as
/// `((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))`, then the rest in order.
#[inline(always)]
fn block(a: &[f64], b: &[f64], term: impl Fn(f64, f64) -> f64 + Copy) -> f64 {
    let full = a.len() - a.len() % 8;
    let eight = |p: &[f64]| -> [f64; 8] { p.try_into().unwrap_or([0.0; 8]) };
    let lanes = |x: [f64; 8], y: [f64; 8]| std::array::from_fn(|t| term(x[t], y[t]));
    let mut r: [f64; 8] = lanes(eight(&a[..8]), eight(&b[..8]));
    for (x, y) in a[8..full].chunks_exact(8).zip(b[8..full].chunks_exact(8)) {
        let add: [f64; 8] = lanes(eight(x), eight(y));
        r = std::array::from_fn(|t| r[t] + add[t]);
    }
    // Through memory: otherwise LLVM keeps the eight chains shuffled into pairs, ready for
    // the tree below, and spends more on the shuffles than on the sums.
    let r = std::hint::black_box(r);
    let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (&x, &y) in a[full..].iter().zip(&b[full..]) {
        res += term(x, y);
    }
    res
}

super::simd::vectorised! {
    /// `np.sum(A, axis=0)` of a row-major `rows × cols` matrix into `out` (length `cols`):
    /// sequential over rows from 0.0, except that a single column is summed pairwise.
    pub fn column_sums = column_sums_plain(a: &[f64], rows: usize, cols: usize, out: &mut [f64])
}

#[inline(always)]
fn column_sums_plain(a: &[f64], rows: usize, cols: usize, out: &mut [f64]) {
    debug_assert!(a.len() >= rows * cols && out.len() == cols);
    if cols == 1 {
        out[0] = pairwise_sum(&a[..rows]);
        return;
    }
    out.fill(0.0);
    for row in a[..rows * cols].chunks_exact(cols) {
        for (o, &x) in out.iter_mut().zip(row) {
            *o += x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_values_follow_the_documented_tree() {
        let a: Vec<f64> = (0..10).map(|i| 0.1 * f64::from(i) + 1e-17).collect();
        let expect =
            (((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7])) + a[8]) + a[9];
        assert_eq!(pairwise_sum(&a).to_bits(), expect.to_bits());
    }

    #[test]
    fn short_sums_start_from_negative_zero() {
        assert_eq!(pairwise_sum(&[]).to_bits(), (-0.0f64).to_bits());
        assert_eq!(pairwise_sum(&[-0.0, -0.0]).to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn long_sums_split_at_a_multiple_of_eight() {
        let a: Vec<f64> = (0..300).map(|i| 1.0 / f64::from(i + 1)).collect();
        let expect = pairwise_sum(&a[..144]) + pairwise_sum(&a[144..]);
        assert_eq!(pairwise_sum(&a).to_bits(), expect.to_bits());
    }

    /// numpy's `pairwise_sum` as it is written (recursive, numpy/core/src/umath/loops_utils.h).
    fn numpy_pairwise(a: &[f64]) -> f64 {
        let n = a.len();
        if n < 8 {
            a.iter().fold(-0.0, |r, &x| r + x)
        } else if n <= 128 {
            let mut r = [0.0f64; 8];
            r.copy_from_slice(&a[..8]);
            let full = n - n % 8;
            for k in (8..full).step_by(8) {
                for t in 0..8 {
                    r[t] += a[k + t];
                }
            }
            let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            a[full..].iter().fold(res, |r, &x| r + x)
        } else {
            let m = n / 2 - (n / 2) % 8;
            numpy_pairwise(&a[..m]) + numpy_pairwise(&a[m..])
        }
    }

    #[test]
    fn the_walk_without_recursion_is_numpys_recursion() {
        let a: Vec<f64> = (0..5000)
            .map(|i| (f64::from(i) * 0.7).tan() - 0.5)
            .collect();
        for n in (0..600).chain([1023, 1024, 1025, 4097, 5000]) {
            let a = &a[..n];
            assert_eq!(
                pairwise_sum(a).to_bits(),
                numpy_pairwise(a).to_bits(),
                "{n}"
            );
        }
    }

    /// The fused sums are `pairwise_sum` of the terms written out, to the bit, on every path
    /// this CPU has, at lengths on both sides of each edge of the tree (8, 128, the halves).
    #[test]
    fn squares_sum_as_pairwise_sum_of_the_written_out_squares() {
        use crate::nn::simd::{Path, with_path};
        let a: Vec<f64> = (0..70_001)
            .map(|i| (f64::from(i) * 0.37).sin() * 3.0)
            .collect();
        let b: Vec<f64> = (0..70_001).map(|i| (f64::from(i) * 0.11).cos()).collect();
        for path in Path::ALL.into_iter().filter(|p| p.supported()) {
            for n in [
                0, 1, 7, 8, 9, 127, 128, 129, 136, 255, 256, 1000, 62_720, 70_001,
            ] {
                let (a, b) = (&a[..n], &b[..n]);
                let squares: Vec<f64> = a.iter().map(|x| x * x).collect();
                let moved: Vec<f64> = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).collect();
                let (sq, dist) = with_path(path, || (sum_of_squares(a), squared_distance(a, b)))
                    .expect("a supported path");
                assert_eq!(
                    sq.to_bits(),
                    pairwise_sum(&squares).to_bits(),
                    "{path:?} {n}"
                );
                assert_eq!(
                    dist.to_bits(),
                    pairwise_sum(&moved).to_bits(),
                    "{path:?} {n}"
                );
                if let Some(m) = first_split(n) {
                    let halves = sum_of_squares(&a[..m]) + sum_of_squares(&a[m..]);
                    assert_eq!(halves.to_bits(), sq.to_bits(), "{n} in halves");
                }
            }
        }
    }

    #[test]
    fn column_sums_are_sequential_and_single_columns_pairwise() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let mut out = [0.0; 2];
        column_sums(&a, 3, 2, &mut out);
        assert_eq!(out, [9.0, 12.0]);
        let mut one = [0.0];
        column_sums(&a, 6, 1, &mut one);
        assert_eq!(one[0], 21.0);
    }
}
