//! numpy's summation orders (LAB.md B.0), so that sums reproduce the lab's bits.

/// numpy's pairwise sum of a contiguous 1-D array (`np.sum(a)`, `axis=1` row sums, whole
/// C-contiguous matrices): eight accumulators up to 128 values, halves above.
pub fn pairwise_sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut r = -0.0;
        for &x in a {
            r += x;
        }
        r
    } else if n <= 128 {
        let mut r = [0.0f64; 8];
        r.copy_from_slice(&a[..8]);
        let full = n - n % 8;
        let mut k = 8;
        while k < full {
            for t in 0..8 {
                r[t] += a[k + t];
            }
            k += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &a[full..] {
            res += x;
        }
        res
    } else {
        let mut m = n / 2;
        m -= m % 8;
        pairwise_sum(&a[..m]) + pairwise_sum(&a[m..])
    }
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
