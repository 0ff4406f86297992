//! Everything between a data file and the network's inputs: parsing (the embedded lab CSV,
//! other CSVs, MNIST-format IDX directories, NumPy archives and arrays), the lab's split,
//! scaling.

mod csv;
pub(crate) mod digits;
pub(crate) mod idx;
mod npy;
mod numpy;
pub(crate) mod source;
mod split;

pub(crate) use digits::{CLASSES, Digits, MIN_ROWS};
pub(crate) use split::{SPLIT_SEED, Scaler, Split, TEST_FRACTION, train_test_split};

use std::path::Path;

use ndarray::{Array2, Axis};

use crate::error::DataError;
use source::DataSource;

/// Prepared data: split (or as given), standardised on the train part, ready to train on.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// Standardised training inputs, `(n_train, width)`, in split order.
    pub x_train: Array2<f64>,
    /// Training labels.
    pub y_train: Vec<u8>,
    /// Standardised test inputs, `(n_test, width)`.
    pub x_test: Array2<f64>,
    /// Test labels.
    pub y_test: Vec<u8>,
    /// Raw test intensities `0..=max_pixel`, kept as bytes for drawing the digits (a float copy
    /// of MNIST's test set would cost 63 MB for the display alone).
    pub test_pixels: Array2<u8>,
    /// Image side: `width = side²`, how a display folds a row into an image.
    pub side: usize,
    /// Full ink: 16 for the lab's 8×8 digits, 255 for 8-bit images.
    pub max_pixel: u8,
    /// Original row numbers of the lab's split; `None` when the data brought its own test set.
    pub split: Option<Split>,
    /// The scaler fitted on the training part.
    pub scaler: Scaler,
    /// Where the rows came from.
    pub source: String,
}

impl Dataset {
    /// Splits with `random_state=101`, fits the scaler on the train part and applies it to both.
    pub(crate) fn prepare(digits: &Digits) -> Self {
        let split = train_test_split(digits.len(), TEST_FRACTION, SPLIT_SEED);
        let raw_train = digits.pixels.select(Axis(0), &split.train);
        let test_pixels = digits.pixels.select(Axis(0), &split.test);
        let scaler = Scaler::fit(&raw_train);
        Self {
            x_train: scaler.transform(&raw_train),
            x_test: scaler.transform(&test_pixels),
            y_train: split.train.iter().map(|&i| digits.labels[i]).collect(),
            y_test: split.test.iter().map(|&i| digits.labels[i]).collect(),
            side: side_of(digits.width()),
            max_pixel: digits.max_pixel,
            test_pixels,
            split: Some(split),
            scaler,
            source: digits.source.clone(),
        }
    }

    /// A set that brings its own test part, used as given: the scaler is fitted on `train`
    /// and applied to both. Fails when the two hold images of different sizes.
    pub(crate) fn with_test_set(train: Digits, test: Digits) -> Result<Self, DataError> {
        let (width, test_width) = (train.width(), test.width());
        if width != test_width {
            return Err(DataError::SizeMismatch {
                train: train.source,
                train_pixels: width,
                test: test.source,
                test_pixels: test_width,
            });
        }
        let scaler = Scaler::fit(&train.pixels);
        Ok(Self {
            x_train: scaler.transform(&train.pixels),
            x_test: scaler.transform(&test.pixels),
            y_train: train.labels,
            y_test: test.labels,
            side: side_of(width),
            max_pixel: train.max_pixel.max(test.max_pixel),
            test_pixels: test.pixels,
            split: None,
            scaler,
            source: train.source,
        })
    }

    /// The lab's dataset from the embedded CSV.
    pub fn lab() -> Self {
        Self::prepare(&Digits::embedded())
    }

    /// Pixels per image: the network's input width.
    pub(crate) fn width(&self) -> usize {
        self.x_train.ncols()
    }
}

/// What `--data` and `--test-data` name, read, checked and prepared: the embedded digits when
/// `data` is `None`; an IDX directory or a Keras `.npz` archive (each with its own test set);
/// a NumPy pair (with its `…test…` twin, if any); or a CSV or another NumPy set, split 80/20
/// like the lab's unless `test_data` gives the test set.
pub fn load(data: Option<&Path>, test_data: Option<&Path>) -> Result<Dataset, DataError> {
    load_as(data, test_data, false)
}

/// The images a record or the flags name, read as [`load`] reads them, transposed when the
/// source says so (`--transpose-images`).
pub(crate) fn load_source(source: &DataSource) -> Result<Dataset, DataError> {
    let (data, test_data) = source.paths();
    load_as(data, test_data, source.transpose())
}

fn load_as(
    data: Option<&Path>,
    test_data: Option<&Path>,
    transpose: bool,
) -> Result<Dataset, DataError> {
    let (mut train, own_test) = match data {
        None => (Digits::embedded(), None),
        Some(dir) if dir.is_dir() => {
            if test_data.is_some() {
                return Err(DataError::TestWithIdx {
                    path: dir.display().to_string(),
                });
            }
            let (train, test) = idx::load_dir(dir)?;
            (train, Some(test))
        }
        Some(path) => read(path, test_data.is_none())?,
    };
    let given_test = match test_data {
        Some(path) => match read(path, false)? {
            (test, None) => Some(test),
            (_, Some(_)) => return Err(own_test_set(path)),
        },
        None => None,
    };
    if let (Some(path), Some(_), Some(_)) = (data, &own_test, test_data) {
        return Err(own_test_set(path));
    }
    let mut test = own_test.or(given_test);
    if transpose {
        train.transpose();
        test.iter_mut().for_each(Digits::transpose);
    }
    let mut dataset = match test {
        Some(test) => Dataset::with_test_set(train, test)?,
        None if train.len() < MIN_ROWS => {
            return Err(DataError::TooFewRows {
                rows: train.len(),
                path: train.source,
            });
        }
        None => Dataset::prepare(&train),
    };
    if let Some(dir) = data.filter(|p| p.is_dir()) {
        dataset.source = dir.display().to_string();
    }
    Ok(dataset)
}

/// One file's set, and its own test set when it brings one: a NumPy file by its extension,
/// otherwise a CSV.
fn read(path: &Path, find_test: bool) -> Result<(Digits, Option<Digits>), DataError> {
    if numpy::is_numpy(path) {
        return numpy::load(path, find_test);
    }
    Ok((Digits::load(path)?, None))
}

fn own_test_set(path: &Path) -> DataError {
    DataError::OwnTestSet {
        path: path.display().to_string(),
    }
}

/// The side of the square images of `width` pixels; every loader has checked they are square.
fn side_of(width: usize) -> usize {
    digits::square_side(width).unwrap_or(0)
}
