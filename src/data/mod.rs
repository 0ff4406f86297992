//! Everything between the CSV and the network's inputs: parsing, the lab's split, scaling.

mod digits;
mod split;

pub use digits::{CLASSES, Digits, MAX_PIXEL, MIN_ROWS, PIXELS};
pub use split::{SPLIT_SEED, Scaler, Split, TEST_FRACTION, train_test_split};

use ndarray::{Array2, Axis};

/// The lab's prepared data: split, standardised on the train part, ready to train on.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// Standardised training inputs, `(n_train, 64)`, in split order.
    pub x_train: Array2<f64>,
    /// Training labels.
    pub y_train: Vec<u8>,
    /// Standardised test inputs, `(n_test, 64)`.
    pub x_test: Array2<f64>,
    /// Test labels.
    pub y_test: Vec<u8>,
    /// Raw test intensities 0..16, kept for drawing the digits.
    pub test_pixels: Array2<f64>,
    /// Original row numbers of the split.
    pub split: Split,
    /// The scaler fitted on the training part.
    pub scaler: Scaler,
    /// Where the rows came from.
    pub source: String,
}

impl Dataset {
    /// Splits with `random_state=101`, fits the scaler on the train part and applies it to both.
    pub fn prepare(digits: &Digits) -> Self {
        let split = train_test_split(digits.len(), TEST_FRACTION, SPLIT_SEED);
        let raw_train = digits.pixels.select(Axis(0), &split.train);
        let test_pixels = digits.pixels.select(Axis(0), &split.test);
        let scaler = Scaler::fit(&raw_train);
        Self {
            x_train: scaler.transform(&raw_train),
            x_test: scaler.transform(&test_pixels),
            y_train: split.train.iter().map(|&i| digits.labels[i]).collect(),
            y_test: split.test.iter().map(|&i| digits.labels[i]).collect(),
            test_pixels,
            split,
            scaler,
            source: digits.source.clone(),
        }
    }

    /// The lab's dataset from the embedded CSV.
    pub fn lab() -> Self {
        Self::prepare(&Digits::embedded())
    }
}
