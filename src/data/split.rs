//! `train_test_split(test_size=0.2, random_state=101)` and `StandardScaler`, reproduced exactly
//! (LAB.md A.7–A.8), so digits-tui trains on the lab's very rows and values.

use ndarray::Array2;

use crate::rng::RandomState;

/// The lab's split seed.
pub(crate) const SPLIT_SEED: u32 = 101;
/// The lab's test fraction.
pub(crate) const TEST_FRACTION: f64 = 0.20;

/// Row indices of the test and train parts, each in permutation order (test first, as
/// scikit-learn takes them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// Rows used for training.
    pub train: Vec<usize>,
    /// Rows held out for testing.
    pub test: Vec<usize>,
}

/// scikit-learn's shuffled split: `ceil(0.2·n)` test rows from the front of a permutation.
pub(crate) fn train_test_split(n: usize, test_fraction: f64, seed: u32) -> Split {
    let n_test = (test_fraction * n as f64).ceil() as usize;
    let perm = RandomState::new(seed).permutation(n);
    Split {
        test: perm[..n_test].to_vec(),
        train: perm[n_test..].to_vec(),
    }
}

/// Per-column standardisation fitted on the training rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Scaler {
    /// Column means.
    pub mean: Vec<f64>,
    /// Population variances (corrected two-pass).
    pub var: Vec<f64>,
    /// `sqrt(var)`, or 1 for constant columns.
    pub scale: Vec<f64>,
}

impl Scaler {
    /// Fits like `StandardScaler().fit(x)`: sequential sums, corrected two-pass variance and the
    /// constant-feature test. Reads bytes or floats alike (a byte is exactly its float), so 60 000
    /// MNIST images need no float copy to be fitted.
    ///
    /// Each column's sums run over the rows in order, as numpy's; walking row by row with one
    /// accumulator per column keeps that order while reading memory sequentially.
    pub(crate) fn fit<T: Copy + Into<f64>>(x: &Array2<T>) -> Self {
        let n = x.nrows() as f64;
        let cols = x.ncols();
        let mut sum = vec![0.0; cols];
        for row in x.rows() {
            for (s, &v) in sum.iter_mut().zip(row) {
                *s += v.into();
            }
        }
        let mean: Vec<f64> = sum.iter().map(|&s| s / n).collect();
        let (mut c, mut q) = (vec![0.0; cols], vec![0.0; cols]);
        for row in x.rows() {
            for (((&v, &m), c), q) in row.iter().zip(&mean).zip(&mut c).zip(&mut q) {
                let t = v.into() - m;
                *c += t;
                *q += t * t;
            }
        }
        let mut var = vec![0.0; cols];
        let mut scale = vec![1.0; cols];
        for j in 0..cols {
            let (m, variance) = (mean[j], (q[j] - (c[j] * c[j]) / n) / n);
            let eps = f64::EPSILON;
            let upper = (n * eps) * variance + ((n * m) * eps) * ((n * m) * eps);
            var[j] = variance;
            if variance > upper {
                scale[j] = variance.sqrt();
            }
        }
        Self { mean, var, scale }
    }

    /// One image standardised like [`Scaler::transform`]'s rows, for a drawn digit.
    pub(crate) fn transform_row(&self, row: &[f64]) -> Vec<f64> {
        (row.iter().zip(&self.mean).zip(&self.scale))
            .map(|((&v, &m), &s)| (v - m) / s)
            .collect()
    }

    /// `(x − mean) / scale` with a true division, as scikit-learn does, from bytes or floats.
    pub(crate) fn transform<T: Copy + Into<f64>>(&self, x: &Array2<T>) -> Array2<f64> {
        let mut out = Array2::zeros(x.dim());
        for (mut dst, src) in out.rows_mut().into_iter().zip(x.rows()) {
            for (((d, &v), &m), &s) in dst.iter_mut().zip(src).zip(&self.mean).zip(&self.scale) {
                *d = (v.into() - m) / s;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_part_is_the_ceiling_of_a_fifth() {
        let s = train_test_split(1797, TEST_FRACTION, SPLIT_SEED);
        assert_eq!((s.train.len(), s.test.len()), (1437, 360));
        let s = train_test_split(10, TEST_FRACTION, SPLIT_SEED);
        assert_eq!((s.train.len(), s.test.len()), (8, 2));
    }

    #[test]
    fn constant_columns_keep_scale_one() {
        let x = Array2::from_shape_vec((3, 2), vec![5.0, 1.0, 5.0, 2.0, 5.0, 3.0]).unwrap();
        let s = Scaler::fit(&x);
        assert_eq!(s.scale[0], 1.0);
        assert_eq!(s.var[0], 0.0);
        let t = s.transform(&x);
        assert_eq!(t.column(0).to_vec(), vec![0.0; 3]);
    }
}
