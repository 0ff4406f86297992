//! The IDX format MNIST, Fashion-MNIST and KMNIST ship in: a directory of four files (train and
//! test images and labels), each raw or gzip'd, found also inside torchvision's `raw/` layout.
//!
//! An IDX file is a big-endian header (magic `0x00000803` for `u8` images of rank 3, `0x00000801`
//! for `u8` labels of rank 1, then one `u32` per dimension) followed by the bytes themselves.

use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use ndarray::Array2;

use super::csv::check_width;
use super::digits::{CLASSES, Digits, MAX_BYTE_PIXEL};
use crate::error::DataError;

/// Magic number of an IDX file of unsigned bytes with three dimensions (images).
const IMAGE_MAGIC: u32 = 0x0000_0803;
/// Magic number of an IDX file of unsigned bytes with one dimension (labels).
const LABEL_MAGIC: u32 = 0x0000_0801;
/// The four files of an MNIST-format directory, in the order train images, train labels,
/// test images, test labels.
pub(crate) const FILES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];
/// Where inside `--data` the files may sit: the directory itself, or torchvision's layouts.
const SUBDIRS: [&str; 5] = ["", "raw", "MNIST/raw", "FashionMNIST/raw", "KMNIST/raw"];

/// Reads the train and test sets of the IDX directory `dir`.
pub(crate) fn load_dir(dir: &Path) -> Result<(Digits, Digits), DataError> {
    let home = SUBDIRS
        .iter()
        .map(|sub| dir.join(sub))
        .find(|d| FILES.iter().any(|name| find(d, name).is_some()))
        .ok_or_else(|| DataError::MissingFile {
            dir: dir.display().to_string(),
            name: FILES[0],
        })?;
    let [train_x, train_y, test_x, test_y] = FILES.map(|name| {
        find(&home, name).ok_or_else(|| DataError::MissingFile {
            dir: home.display().to_string(),
            name,
        })
    });
    let train = load_set(&train_x?, &train_y?)?;
    let test = load_set(&test_x?, &test_y?)?;
    Ok((train, test))
}

/// `name` in `dir` as one of its usual spellings: as is or with `.gz`, and with a dot before
/// `idx` (`train-images.idx3-ubyte`) as some mirrors write it.
fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    let dotted = name.replacen("-idx", ".idx", 1);
    [
        name.to_owned(),
        format!("{name}.gz"),
        dotted.clone(),
        format!("{dotted}.gz"),
    ]
    .into_iter()
    .map(|n| dir.join(n))
    .find(|p| p.is_file())
}

/// One image file and its label file, checked against each other.
/// The set's `source` is the image file, so a size mismatch names the files that differ.
fn load_set(images: &Path, labels: &Path) -> Result<Digits, DataError> {
    let (image_name, label_name) = (images.display().to_string(), labels.display().to_string());
    let pixels = parse_images(read(images)?, &image_name)?;
    let labels = parse_labels(&read(labels)?, &label_name)?;
    if pixels.nrows() != labels.len() {
        return Err(DataError::CountMismatch {
            images: image_name,
            image_count: pixels.nrows(),
            labels: label_name,
            label_count: labels.len(),
        });
    }
    if labels.is_empty() {
        return Err(DataError::Empty { path: image_name });
    }
    Ok(Digits {
        pixels,
        labels,
        max_pixel: MAX_BYTE_PIXEL,
        source: image_name,
    })
}

/// The file's bytes, decompressed when they start with the gzip magic (whatever the name).
fn read(path: &Path) -> Result<Vec<u8>, DataError> {
    let shown = || path.display().to_string();
    let raw = std::fs::read(path).map_err(|source| DataError::Io {
        path: shown(),
        source,
    })?;
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return Ok(raw);
    }
    // MNIST compresses about 5:1; reserving that much saves most of the regrowth.
    let mut out = Vec::with_capacity(raw.len().saturating_mul(5));
    GzDecoder::new(&raw[..])
        .read_to_end(&mut out)
        .map_err(|e| DataError::Gzip {
            path: shown(),
            reason: e.to_string(),
        })?;
    Ok(out)
}

/// The header's dimensions after checking the magic number and that the body has exactly the
/// bytes they imply.
fn header(bytes: &[u8], path: &str, magic: u32, dims: usize) -> Result<Vec<usize>, DataError> {
    let word = |i: usize| {
        bytes
            .get(4 * i..4 * i + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let head = 4 * (dims + 1);
    let short = |expected| DataError::Length {
        path: path.to_owned(),
        expected,
        found: bytes.len(),
    };
    let found = word(0).ok_or_else(|| short(head))?;
    if found != magic {
        return Err(DataError::Magic {
            path: path.to_owned(),
            kind: if magic == IMAGE_MAGIC {
                "image"
            } else {
                "label"
            },
            found,
            expected: magic,
        });
    }
    let sizes: Vec<usize> = (1..=dims)
        .map(|i| word(i).map(|w| w as usize))
        .collect::<Option<_>>()
        .ok_or_else(|| short(head))?;
    let body = sizes.iter().try_fold(1usize, |acc, &s| acc.checked_mul(s));
    let expected = body.and_then(|b| b.checked_add(head)).unwrap_or(usize::MAX);
    if bytes.len() != expected {
        return Err(short(expected));
    }
    Ok(sizes)
}

/// An image file: `(n, rows·cols)` bytes, square images no larger than the limit.
fn parse_images(mut bytes: Vec<u8>, path: &str) -> Result<Array2<u8>, DataError> {
    let word = |i: usize| {
        bytes
            .get(4 * i..4 * i + 4)
            .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    // Check the image size before the length, so an oversized set is named as such.
    if bytes.len() >= 16 && word(0) as u32 == IMAGE_MAGIC {
        let (rows, cols) = (word(2), word(3));
        let pixels = rows.saturating_mul(cols);
        check_width(pixels, path)?;
        if rows != cols {
            return Err(DataError::NotSquare {
                path: path.to_owned(),
                pixels,
            });
        }
    }
    let dims = header(&bytes, path, IMAGE_MAGIC, 3)?;
    let (n, width) = (dims[0], dims[1] * dims[2]);
    // The pixels in place: no second copy of a 47 MB body.
    bytes.drain(..16);
    Ok(Array2::from_shape_vec((n, width), bytes).expect("the header check sized the body"))
}

/// A label file: one digit per record.
fn parse_labels(bytes: &[u8], path: &str) -> Result<Vec<u8>, DataError> {
    header(bytes, path, LABEL_MAGIC, 1)?;
    let labels = &bytes[8..];
    if let Some(i) = labels.iter().position(|&l| usize::from(l) >= CLASSES) {
        return Err(DataError::RecordLabel {
            path: path.to_owned(),
            record: i + 1,
            value: labels[i],
        });
    }
    Ok(labels.to_vec())
}
