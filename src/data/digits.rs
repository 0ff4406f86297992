//! The digits CSV: 64 pixel intensities (0..16) and a label (0..9) per line. The lab's copy is
//! embedded in the binary so `digits-tui` runs from any directory with nothing to download.

use std::path::Path;

use ndarray::Array2;

use crate::error::DataError;

/// Pixels per image (8×8).
pub const PIXELS: usize = 64;
/// Distinct labels.
pub const CLASSES: usize = 10;
/// The fewest rows a split can train and test on.
pub const MIN_ROWS: usize = 10;
/// Largest pixel intensity in scikit-learn's digits.
pub const MAX_PIXEL: u8 = 16;

/// scikit-learn's 8x8 digits in `load_digits` order (see `data/README.md`).
const EMBEDDED_CSV: &str = include_str!("../../data/digits.csv");

/// A raw dataset: one row of pixels per image and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Digits {
    /// `(n, 64)` intensities 0..16 as the lab's float64 array.
    pub pixels: Array2<f64>,
    /// Labels 0..9.
    pub labels: Vec<u8>,
    /// Where the rows came from, for messages.
    pub source: String,
}

impl Digits {
    /// The lab's 1797 images, parsed from the copy compiled into the binary.
    pub fn embedded() -> Self {
        Self::parse(EMBEDDED_CSV, "embedded digits.csv").expect("the embedded dataset is valid")
    }

    /// Reads and validates a CSV file of the same shape as the embedded one.
    pub fn load(path: &Path) -> Result<Self, DataError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| DataError::Io {
            path: shown.clone(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| DataError::NotText {
            path: shown.clone(),
        })?;
        Self::parse(&text, &shown)
    }

    /// Parses CSV text, naming `source` and the line in every error.
    pub fn parse(text: &str, source: &str) -> Result<Self, DataError> {
        let mut pixels = Vec::new();
        let mut labels = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            if cells.len() != PIXELS + 1 {
                return Err(DataError::Columns {
                    path: source.to_owned(),
                    line: line_no,
                    found: cells.len(),
                });
            }
            for (column, cell) in cells.iter().enumerate() {
                let value: u32 = cell.parse().map_err(|_| DataError::NotNumber {
                    path: source.to_owned(),
                    line: line_no,
                    column: column + 1,
                    text: (*cell).to_owned(),
                })?;
                if column < PIXELS {
                    if value > u32::from(MAX_PIXEL) {
                        return Err(DataError::Pixel {
                            path: source.to_owned(),
                            line: line_no,
                            column: column + 1,
                            value,
                        });
                    }
                    pixels.push(f64::from(value));
                } else {
                    let label = u8::try_from(value)
                        .ok()
                        .filter(|&l| usize::from(l) < CLASSES)
                        .ok_or_else(|| DataError::Label {
                            path: source.to_owned(),
                            line: line_no,
                            value,
                        })?;
                    labels.push(label);
                }
            }
        }
        if labels.is_empty() {
            return Err(DataError::Empty {
                path: source.to_owned(),
            });
        }
        if labels.len() < MIN_ROWS {
            return Err(DataError::TooFewRows {
                path: source.to_owned(),
                rows: labels.len(),
            });
        }
        let pixels = Array2::from_shape_vec((labels.len(), PIXELS), pixels)
            .expect("every accepted row has exactly 64 pixels");
        Ok(Self {
            pixels,
            labels,
            source: source.to_owned(),
        })
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when there are no images (never, after validation).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str) -> String {
        let mut cells = vec!["0"; PIXELS];
        cells.push(label);
        cells.join(",")
    }

    #[test]
    fn embedded_dataset_has_the_lab_shape() {
        let d = Digits::embedded();
        assert_eq!(d.pixels.dim(), (1797, 64));
        assert_eq!(d.labels.len(), 1797);
    }

    #[test]
    fn errors_name_the_line_and_the_rule() {
        let mut text: Vec<String> = (0..12).map(|_| row("3")).collect();
        text[4] = row("12");
        let err = Digits::parse(&text.join("\n"), "x.csv")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "x.csv:5: label is 12; labels must be 0..9");
        text[4] = row("3").replacen('0', "17", 1);
        let err = Digits::parse(&text.join("\n"), "x.csv")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "x.csv:5: pixel 1 is 17; pixels must be 0..16");
        text[4] = row("3").replacen('0', "a", 1);
        let err = Digits::parse(&text.join("\n"), "x.csv")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("x.csv:5: column 1: 'a' is not a whole number"),
            "{err}"
        );
    }

    #[test]
    fn too_few_rows_and_empty_files_are_rejected() {
        let text: Vec<String> = (0..9).map(|_| row("1")).collect();
        let err = Digits::parse(&text.join("\n"), "s.csv")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "s.csv: 9 rows; at least 10 are needed");
        let err = Digits::parse("\n\n", "e.csv").unwrap_err().to_string();
        assert_eq!(err, "e.csv: the data file is empty");
    }
}
