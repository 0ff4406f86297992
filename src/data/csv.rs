//! CSV images as learners find them. Three layouts, told apart by the first line:
//!
//! * the lab's: no header, 64 pixels 0..16 then the label (65 values a line);
//! * a header naming a `label` column anywhere (first in the common "MNIST in CSV" files:
//!   `label,1x1,1x2,…` or `label,pixel0,…`), the other columns pixels 0..255;
//! * no header and any other square pixel count: the label first, pixels 0..255 (the
//!   headerless `mnist_train.csv`).

use std::path::Path;

use ndarray::Array2;

use super::digits::{CLASSES, Digits, MAX_BYTE_PIXEL, MAX_INPUTS, MAX_PIXEL, PIXELS, square_side};
use crate::error::DataError;

/// Where the label sits in each line and what the pixels may hold.
struct Layout {
    /// Values per line.
    cells: usize,
    /// Index of the label among them.
    label: usize,
    /// Largest pixel value allowed.
    max_pixel: u8,
}

/// Parses CSV text, naming `source` and the line in every error.
pub(crate) fn parse(text: &str, source: &str) -> Result<Digits, DataError> {
    let mut lines = (text.lines().enumerate())
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty())
        .peekable();
    let Some(&(_, first)) = lines.peek() else {
        return Err(DataError::Empty {
            path: source.to_owned(),
        });
    };
    let layout = match header_label(first) {
        Some(label) => {
            lines.next();
            let label = label.ok_or_else(|| DataError::NoLabelColumn {
                path: source.to_owned(),
            })?;
            let cells = first.split(',').count();
            check_width(cells - 1, source)?;
            Layout {
                cells,
                label,
                max_pixel: MAX_BYTE_PIXEL,
            }
        }
        None => headerless(first, source)?,
    };
    let width = layout.cells - 1;
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for (line_no, line) in lines {
        let found = line.split(',').count();
        if found != layout.cells {
            return Err(DataError::Columns {
                path: source.to_owned(),
                line: line_no,
                expected: layout.cells,
                found,
            });
        }
        let mut pixel = 0;
        for (column, cell) in line.split(',').enumerate() {
            let cell = cell.trim();
            let value: u32 = cell.parse().map_err(|_| DataError::NotNumber {
                path: source.to_owned(),
                line: line_no,
                column: column + 1,
                text: cell.to_owned(),
            })?;
            if column == layout.label {
                let label = u8::try_from(value)
                    .ok()
                    .filter(|&l| usize::from(l) < CLASSES)
                    .ok_or_else(|| DataError::Label {
                        path: source.to_owned(),
                        line: line_no,
                        value,
                    })?;
                labels.push(label);
            } else {
                pixel += 1;
                match u8::try_from(value) {
                    Ok(v) if v <= layout.max_pixel => pixels.push(v),
                    _ => {
                        return Err(DataError::Pixel {
                            path: source.to_owned(),
                            line: line_no,
                            column: pixel,
                            value,
                            max: layout.max_pixel,
                        });
                    }
                }
            }
        }
    }
    if labels.is_empty() {
        return Err(DataError::Empty {
            path: source.to_owned(),
        });
    }
    let pixels = Array2::from_shape_vec((labels.len(), width), pixels)
        .expect("every accepted row has exactly `width` pixels");
    Ok(Digits {
        pixels,
        labels,
        max_pixel: layout.max_pixel,
        source: source.to_owned(),
    })
}

/// `None` when `line` is data; otherwise a header, with the index of its `label` column if it
/// has one. A header is a line naming `label`, or one whose cells are mostly not numbers (a
/// stray word in a data line is reported as that, not as a header).
fn header_label(line: &str) -> Option<Option<usize>> {
    let names: Vec<&str> = line
        .split(',')
        .map(|c| c.trim().trim_matches('"').trim())
        .collect();
    let label = names.iter().position(|n| n.eq_ignore_ascii_case("label"));
    let words = names.iter().filter(|n| n.parse::<u32>().is_err()).count();
    (label.is_some() || 2 * words > names.len()).then_some(label)
}

/// The layout of a file without a header, from its first line's length.
fn headerless(first: &str, source: &str) -> Result<Layout, DataError> {
    let cells = first.split(',').count();
    if cells == PIXELS + 1 {
        return Ok(Layout {
            cells,
            label: PIXELS,
            max_pixel: MAX_PIXEL,
        });
    }
    if cells - 1 > MAX_INPUTS {
        check_width(cells - 1, source)?;
    }
    match square_side(cells - 1) {
        Some(_) => Ok(Layout {
            cells,
            label: 0,
            max_pixel: MAX_BYTE_PIXEL,
        }),
        // Most likely a damaged lab file: say what the lab's layout needs.
        None => Err(DataError::Columns {
            path: source.to_owned(),
            line: 1,
            expected: PIXELS + 1,
            found: cells,
        }),
    }
}

/// Pixels per image must form a square no larger than [`MAX_INPUTS`].
pub(crate) fn check_width(pixels: usize, source: &str) -> Result<(), DataError> {
    if pixels > MAX_INPUTS {
        return Err(DataError::TooLarge {
            path: source.to_owned(),
            pixels,
        });
    }
    if square_side(pixels).is_none() {
        return Err(DataError::NotSquare {
            path: source.to_owned(),
            pixels,
        });
    }
    Ok(())
}

/// scikit-learn's 8x8 digits in `load_digits` order (see `data/README.md`).
const EMBEDDED_CSV: &str = include_str!("../../data/digits.csv");
/// Where a [`Digits`] set comes from when it is a CSV: the embedded copy, a file, or text.
impl Digits {
    /// The lab's 1797 images, parsed from the copy compiled into the binary.
    pub(crate) fn embedded() -> Self {
        Self::parse(EMBEDDED_CSV, "embedded digits.csv").expect("the embedded dataset is valid")
    }

    /// Reads and validates a CSV file (see this module for the layouts understood).
    pub(crate) fn load(path: &Path) -> Result<Self, DataError> {
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
    pub(crate) fn parse(text: &str, source: &str) -> Result<Self, DataError> {
        parse(text, source)
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
    fn errors_name_the_line_and_the_rule() {
        let mut text: Vec<String> = (0..12).map(|_| row("3")).collect();
        text[4] = row("12");
        let err = parse(&text.join("\n"), "x.csv").unwrap_err().to_string();
        assert_eq!(err, "x.csv:5: label is 12; labels must be 0..9");
        text[4] = row("3").replacen('0', "17", 1);
        let err = parse(&text.join("\n"), "x.csv").unwrap_err().to_string();
        assert_eq!(err, "x.csv:5: pixel 1 is 17; pixels must be 0..16");
        text[4] = row("3").replacen('0', "a", 1);
        let err = parse(&text.join("\n"), "x.csv").unwrap_err().to_string();
        assert!(
            err.starts_with("x.csv:5: column 1: 'a' is not a whole number"),
            "{err}"
        );
        let err = parse("\n\n", "e.csv").unwrap_err().to_string();
        assert_eq!(err, "e.csv: the data file is empty");
    }

    #[test]
    fn a_header_names_the_label_column_first_or_last() {
        let first = "label,1x1,1x2,2x1,2x2\n7,0,255,3,4\n1,1,2,3,4\n";
        let d = parse(first, "f.csv").expect("valid");
        assert_eq!(d.labels, vec![7, 1]);
        assert_eq!(d.pixels.row(0).to_vec(), vec![0, 255, 3, 4]);
        assert_eq!(d.max_pixel, 255);
        let last = "\"pixel0\",\"pixel1\",\"pixel2\",\"pixel3\",\"label\"\n9,8,7,6,5\n";
        let d = parse(last, "l.csv").expect("valid");
        assert_eq!(
            (d.labels[0], d.pixels.row(0).to_vec()),
            (5, vec![9, 8, 7, 6])
        );
    }

    #[test]
    fn headerless_square_rows_put_the_label_first() {
        let d = parse("3,0,1,2,250\n", "m.csv").expect("valid");
        assert_eq!(
            (d.labels[0], d.pixels.row(0).to_vec()),
            (3, vec![0, 1, 2, 250])
        );
        assert_eq!(d.max_pixel, 255);
    }
}
