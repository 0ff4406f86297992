//! The core's typed errors, with messages that name the file, line or record and the rule that
//! was broken. The errors of the layers above live with them: [`crate::export::ExportError`],
//! [`crate::settings::error::ConfigError`] and [`crate::exit::RunError`].

use thiserror::Error;

/// A data file that cannot be used.
#[derive(Debug, Error)]
pub enum DataError {
    /// The file could not be read at all.
    #[error("cannot read data file {path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is binary or not UTF-8.
    #[error("{path}: the data file is not text (expected CSV)")]
    NotText {
        /// The path as given.
        path: String,
    },
    /// No rows at all.
    #[error("{path}: the data file is empty")]
    Empty {
        /// The path as given.
        path: String,
    },
    /// A line with another number of cells than the file's first one (or than the lab's 65).
    #[error(
        "{path}:{line}: expected {expected} comma-separated values ({} pixels and a label), found {found}",
        expected - 1
    )]
    Columns {
        /// The path as given.
        path: String,
        /// 1-based line number.
        line: usize,
        /// Cells every line must have.
        expected: usize,
        /// Cells found.
        found: usize,
    },
    /// A cell that is not a non-negative integer.
    #[error("{path}:{line}: column {column}: '{text}' is not a whole number")]
    NotNumber {
        /// The path as given.
        path: String,
        /// 1-based line number.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The cell's text.
        text: String,
    },
    /// A pixel above the format's maximum (16 in the lab's layout, 255 otherwise).
    #[error("{path}:{line}: pixel {column} is {value}; pixels must be 0..{max}")]
    Pixel {
        /// The path as given.
        path: String,
        /// 1-based line number.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The value found.
        value: u32,
        /// The largest value the format allows.
        max: u8,
    },
    /// A label outside 0..9.
    #[error("{path}:{line}: label is {value}; labels must be 0..9")]
    Label {
        /// The path as given.
        path: String,
        /// 1-based line number.
        line: usize,
        /// The value found.
        value: u32,
    },
    /// A CSV header (a first line with a word in it) that does not say which column is the
    /// label.
    #[error("{path}:1: the header has no `label` column; name the label column `label`")]
    NoLabelColumn {
        /// The path as given.
        path: String,
    },
    /// An image that cannot be drawn as a square.
    #[error("{path}: {pixels} pixels per image is not a square image (side × side)")]
    NotSquare {
        /// The path as given.
        path: String,
        /// Pixels per image found.
        pixels: usize,
    },
    /// An image larger than the network and display are built for.
    #[error(
        "{path}: {pixels} pixels per image; at most {} ({}×{}) are supported",
        crate::data::digits::MAX_INPUTS,
        crate::data::digits::MAX_SIDE,
        crate::data::digits::MAX_SIDE
    )]
    TooLarge {
        /// The path as given.
        path: String,
        /// Pixels per image found.
        pixels: usize,
    },
    /// The training and test images differ in size, so one network cannot read both.
    #[error(
        "{test}: images have {test_pixels} pixels but the training images ({train}) have \
         {train_pixels}; both sets need the same size"
    )]
    SizeMismatch {
        /// The training file as given.
        train: String,
        /// Pixels per training image.
        train_pixels: usize,
        /// The test file as given.
        test: String,
        /// Pixels per test image.
        test_pixels: usize,
    },
    /// An IDX file whose first four bytes are not the magic number of its kind.
    #[error("{path}: not an IDX {kind} file (magic {found:#010x}, expected {expected:#010x})")]
    Magic {
        /// The path as given.
        path: String,
        /// "image" or "label".
        kind: &'static str,
        /// The magic number found.
        found: u32,
        /// The magic number of the kind.
        expected: u32,
    },
    /// An IDX file shorter, or longer, than its header says.
    #[error("{path}: {found} bytes, but its header promises {expected}; {}",
        if found < expected { "the file is truncated" } else { "extra bytes after the last record" })]
    Length {
        /// The path as given.
        path: String,
        /// Bytes the header implies.
        expected: usize,
        /// Bytes found (after decompression).
        found: usize,
    },
    /// An IDX label file holding a label that is not a digit.
    #[error("{path}: record {record}: label is {value}; labels must be 0..9")]
    RecordLabel {
        /// The path as given.
        path: String,
        /// 1-based record number.
        record: usize,
        /// The value found.
        value: u8,
    },
    /// Image and label files of one set that disagree on how many records there are.
    #[error("{labels}: {label_count} labels, but {images} holds {image_count} images")]
    CountMismatch {
        /// The image file as given.
        images: String,
        /// Images it holds.
        image_count: usize,
        /// The label file as given.
        labels: String,
        /// Labels it holds.
        label_count: usize,
    },
    /// A `.gz` file whose compressed stream is damaged.
    #[error("{path}: corrupt gzip stream: {reason}")]
    Gzip {
        /// The path as given.
        path: String,
        /// The decoder's reason.
        reason: String,
    },
    /// A directory given as `--data` without one of the four MNIST files.
    #[error(
        "{dir}: no {name} (nor {name}.gz); an IDX directory needs train-images-idx3-ubyte, \
         train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte"
    )]
    MissingFile {
        /// The directory searched (the one holding the other files, if any).
        dir: String,
        /// The missing file's name.
        name: &'static str,
    },
    /// `--test-data` with an IDX directory, which brings its own test set.
    #[error("{path}: --test-data is for CSV files; an IDX directory brings its own test set")]
    TestWithIdx {
        /// The `--data` directory as given.
        path: String,
    },
    /// A NumPy array (a `.npy` file or an `.npz` member) that is not images or labels as read.
    #[error("{what}: {rule}")]
    Array {
        /// The file, and the member within an archive: `mnist.npz, member x_train.npy`.
        what: String,
        /// The rule it breaks, e.g. "stored in Fortran order; save it in C order".
        rule: String,
    },
    /// An `.npz` file that is not a readable zip archive (truncated, or not a zip at all).
    #[error("{path}: not a readable .npz (zip) archive: {reason}")]
    Archive {
        /// The path as given.
        path: String,
        /// The zip reader's reason.
        reason: String,
    },
    /// An `.npz` archive of a known layout without one of its arrays.
    #[error("{path}: no member {member}; an archive with {seen} needs {layout}")]
    MissingMember {
        /// The path as given.
        path: String,
        /// The missing member, e.g. `y_test.npy`.
        member: String,
        /// The member that told the layout.
        seen: String,
        /// Every array of the layout, comma-separated.
        layout: String,
    },
    /// An `.npz` archive holding none of the layouts read.
    #[error(
        "{path}: no known layout: expected x_train, y_train, x_test, y_test (Keras), x and y, \
         images and labels, or arr_0 (KMNIST's *-imgs.npz beside *-labels.npz); it holds {found}"
    )]
    Layout {
        /// The path as given.
        path: String,
        /// Its members, comma-separated.
        found: String,
    },
    /// A NumPy images file whose name does not say where its labels are.
    #[error(
        "{path}: cannot tell its labels file: name the images file x…, X…, …images… or …imgs…, \
         with its labels beside it as y…, …labels…"
    )]
    Unpaired {
        /// The path as given.
        path: String,
    },
    /// A NumPy images file without its labels file beside it.
    #[error("{path}: no labels file {labels} beside it")]
    NoLabels {
        /// The images file as given.
        path: String,
        /// The labels file looked for.
        labels: String,
    },
    /// `--test-data` with, or naming, a file that brings its own test set.
    #[error("{path}: holds its own test set (x_test, y_test); --test-data does not apply")]
    OwnTestSet {
        /// The file as given.
        path: String,
    },
    /// Fewer rows than a split needs.
    #[error("{path}: {rows} rows; at least 10 are needed")]
    TooFewRows {
        /// The path as given.
        path: String,
        /// Rows found.
        rows: usize,
    },
}
