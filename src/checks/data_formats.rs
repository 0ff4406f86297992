//! `--data` and `--test-data` beyond the lab's CSV, as the library reads them: MNIST-format
//! IDX directories (raw or gzip'd, in torchvision's layout too), CSVs with a header, and one
//! clear error for each way a file can be wrong. The binary's side (one line, exit code 2,
//! before training) is in `tests/cli/data_formats.rs`, which builds its files with the same
//! helpers.

use std::sync::Arc;

#[path = "../../tests/cli/digit_files.rs"]
mod digit_files;

use super::fixtures::{assert_has, load_err, scratch};
use crate::data::source::{self, DataSource};
use crate::data::{self, Dataset, Digits, Scaler};
use crate::export;
use crate::front::headless::{self, Options, SummaryFormat};
use crate::train::{Contender, Settings};
use digit_files::{gzip, idx_dir, idx_images, idx_labels, mnist_csv, mnist_files};

#[test]
fn an_idx_directory_brings_its_own_test_set() {
    let dir = scratch("data-formats", "idx-ok");
    idx_dir(&dir, mnist_files(30, 12, 5), [true, false, false, true]);
    let d = data::load(Some(&dir), None).expect("valid");
    assert_eq!((d.x_train.dim(), d.x_test.dim()), ((30, 25), (12, 25)));
    assert_eq!((d.side, d.width(), d.max_pixel), (5, 25, 255));
    assert!(d.split.is_none(), "a given test set is not split");
    assert_eq!(d.test_pixels.dim(), (12, 25));
    assert_eq!(d.test_pixels[[0, 1]], 37);
    assert_eq!(d.y_train[..12], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    // Standardised on the training part only, exactly as the scaler does it on floats.
    let raw_train = idx_images(30, 5)[16..]
        .iter()
        .map(|&b| f64::from(b))
        .collect::<Vec<f64>>();
    let raw_train = ndarray::Array2::from_shape_vec((30, 25), raw_train).unwrap();
    let scaler = Scaler::fit(&raw_train);
    assert_eq!(scaler, d.scaler);
    assert_eq!(scaler.transform(&raw_train), d.x_train);
}

#[test]
fn torchvision_layout_and_dotted_names_are_found() {
    for (sub, dotted) in [("raw", false), ("MNIST/raw", true)] {
        let dir = scratch("data-formats", &format!("idx-tv-{}", sub.replace('/', "-")));
        let home = dir.join(sub);
        std::fs::create_dir_all(&home).expect("dir");
        let files = mnist_files(20, 10, 4).map(|(name, bytes)| {
            let name = if dotted {
                name.replacen("-idx", ".idx", 1)
            } else {
                name.to_owned()
            };
            (name, bytes)
        });
        for (name, bytes) in files {
            std::fs::write(home.join(name), gzip(&bytes)).expect("write");
        }
        let d = data::load(Some(&dir), None).expect(sub);
        assert_eq!((d.y_train.len(), d.y_test.len(), d.side), (20, 10, 4));
    }
}

#[test]
fn a_directory_missing_a_file_names_it() {
    let dir = scratch("data-formats", "idx-missing");
    let [a, b, c, _] = mnist_files(20, 10, 4);
    for (name, bytes) in [a, b, c] {
        std::fs::write(dir.join(name), bytes).expect("write");
    }
    let err = load_err(&dir, None);
    assert_has(
        &err,
        &["no t10k-labels-idx1-ubyte (nor t10k-labels-idx1-ubyte.gz)"],
    );
    let empty = scratch("data-formats", "idx-empty");
    assert_has(&load_err(&empty, None), &["no train-images-idx3-ubyte"]);
}

#[test]
fn a_wrong_magic_number_is_named() {
    let dir = scratch("data-formats", "idx-magic");
    let mut files = mnist_files(20, 10, 4);
    files[2].1 = idx_labels(10); // a label file where the test images should be
    idx_dir(&dir, files, [false; 4]);
    assert_has(
        &load_err(&dir, None),
        &[
            "t10k-images-idx3-ubyte: not an IDX image file",
            "magic 0x00000801, expected 0x00000803",
        ],
    );
}

#[test]
fn a_truncated_file_is_named() {
    let dir = scratch("data-formats", "idx-truncated");
    let mut files = mnist_files(20, 10, 4);
    files[0].1.truncate(16 + 19 * 16 + 3);
    idx_dir(&dir, files, [true, false, false, false]);
    assert_has(
        &load_err(&dir, None),
        &[
            "train-images-idx3-ubyte.gz: 323 bytes, but its header promises 336",
            "truncated",
        ],
    );
    let dir = scratch("data-formats", "idx-header-only");
    let mut files = mnist_files(20, 10, 4);
    files[3].1.truncate(6);
    idx_dir(&dir, files, [false; 4]);
    assert_has(
        &load_err(&dir, None),
        &["t10k-labels-idx1-ubyte: 6 bytes", "truncated"],
    );
}

#[test]
fn image_and_label_counts_must_agree() {
    let dir = scratch("data-formats", "idx-counts");
    let mut files = mnist_files(20, 10, 4);
    files[1].1 = idx_labels(19);
    idx_dir(&dir, files, [false; 4]);
    assert_has(
        &load_err(&dir, None),
        &[
            "train-labels-idx1-ubyte: 19 labels",
            "train-images-idx3-ubyte holds 20 images",
        ],
    );
}

#[test]
fn a_label_above_nine_names_the_record() {
    let dir = scratch("data-formats", "idx-label");
    let mut files = mnist_files(20, 10, 4);
    files[3].1[8 + 2] = 12;
    idx_dir(&dir, files, [false; 4]);
    assert_has(
        &load_err(&dir, None),
        &["t10k-labels-idx1-ubyte: record 3: label is 12; labels must be 0..9"],
    );
}

#[test]
fn train_and_test_images_must_have_one_size() {
    let dir = scratch("data-formats", "idx-sizes");
    let mut files = mnist_files(20, 10, 4);
    files[2].1 = idx_images(10, 5);
    idx_dir(&dir, files, [false; 4]);
    assert_has(
        &load_err(&dir, None),
        &["t10k-images-idx3-ubyte: images have 25 pixels", "have 16"],
    );
}

#[test]
fn a_corrupt_gzip_stream_is_named() {
    let dir = scratch("data-formats", "idx-gzip");
    idx_dir(&dir, mnist_files(20, 10, 4), [false, false, false, true]);
    let path = dir.join("t10k-labels-idx1-ubyte.gz");
    let mut bytes = std::fs::read(&path).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle..].iter_mut().for_each(|b| *b ^= 0x5a);
    std::fs::write(&path, bytes).expect("write");
    assert_has(
        &load_err(&dir, None),
        &["t10k-labels-idx1-ubyte.gz: corrupt gzip stream"],
    );
}

#[test]
fn images_larger_than_the_limit_are_refused() {
    let dir = scratch("data-formats", "idx-large");
    let mut files = mnist_files(2, 1, 4);
    files[0].1 = idx_images(2, 65);
    idx_dir(&dir, files, [false; 4]);
    assert_has(
        &load_err(&dir, None),
        &["train-images-idx3-ubyte: 4225 pixels per image; at most 4096 (64×64)"],
    );
    let csv = scratch("data-formats", "csv-large").join("big.csv");
    let header = std::iter::once("label".to_owned())
        .chain((0..4225).map(|i| format!("pixel{i}")))
        .collect::<Vec<_>>()
        .join(",");
    std::fs::write(&csv, header + "\n").expect("write");
    assert_has(
        &load_err(&csv, None),
        &["big.csv: 4225 pixels per image; at most 4096"],
    );
}

#[test]
fn a_csv_header_needs_a_label_column_and_square_images() {
    let dir = scratch("data-formats", "csv-header");
    let no_label = dir.join("nolabel.csv");
    std::fs::write(&no_label, "digit,p1,p2,p3,p4\n1,0,0,0,0\n").expect("write");
    assert_has(
        &load_err(&no_label, None),
        &["nolabel.csv:1: the header has no `label` column"],
    );
    let oblong = dir.join("oblong.csv");
    std::fs::write(&oblong, "label,a,b,c\n1,0,0,0\n").expect("write");
    assert_has(
        &load_err(&oblong, None),
        &["oblong.csv: 3 pixels per image is not a square image"],
    );
    let ragged = dir.join("ragged.csv");
    std::fs::write(&ragged, "label,a,b,c,d\n1,0,0,0,0\n2,0,0,0\n").expect("write");
    assert_has(
        &load_err(&ragged, None),
        &["ragged.csv:3: expected 5 comma-separated values (4 pixels and a label), found 4"],
    );
    let bright = dir.join("bright.csv");
    std::fs::write(&bright, "label,a,b,c,d\n1,0,256,0,0\n").expect("write");
    assert_has(
        &load_err(&bright, None),
        &["bright.csv:2: pixel 2 is 256; pixels must be 0..255"],
    );
}

#[test]
fn a_csv_test_file_is_used_as_given() {
    let dir = scratch("data-formats", "csv-test-data");
    let (train, test) = (dir.join("train.csv"), dir.join("test.csv"));
    std::fs::write(&train, mnist_csv(40, 6, true)).expect("write");
    std::fs::write(&test, mnist_csv(15, 6, false)).expect("write");
    let d = data::load(Some(&train), Some(&test)).expect("valid");
    assert_eq!((d.y_train.len(), d.y_test.len()), (40, 15));
    assert_eq!((d.side, d.max_pixel), (6, 255));
    assert!(d.split.is_none());
    assert_eq!(d.test_pixels[[1, 1]], 38);
    assert_eq!(d.y_test[..3], [0, 1, 2]);
    // Without a test file, the lab's 80/20 split of the same rows.
    let d = data::load(Some(&train), None).expect("valid");
    assert_eq!((d.y_train.len(), d.y_test.len()), (32, 8));
    assert!(d.split.is_some());

    let other = dir.join("other.csv");
    std::fs::write(&other, mnist_csv(15, 5, true)).expect("write");
    assert_has(
        &load_err(&train, Some(&other)),
        &[
            "other.csv: images have 25 pixels but the training images",
            "train.csv) have 36",
        ],
    );
    let idx = scratch("data-formats", "idx-with-test");
    idx_dir(&idx, mnist_files(20, 10, 4), [false; 4]);
    assert_has(
        &load_err(&idx, Some(&test)),
        &["--test-data is for CSV files"],
    );
}

#[test]
fn the_lab_csv_from_a_file_is_the_embedded_data_bit_for_bit() {
    let path = scratch("data-formats", "lab-csv").join("digits.csv");
    std::fs::write(&path, include_str!("../../data/digits.csv")).expect("write");
    let from_file = data::load(Some(&path), None).expect("valid");
    let lab = Dataset::lab();
    assert_eq!((from_file.side, from_file.max_pixel), (8, 16));
    assert_eq!(from_file.split, lab.split);
    assert_eq!(from_file.scaler, lab.scaler);
    let bits = |a: &ndarray::Array2<f64>| a.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&from_file.x_train), bits(&lab.x_train));
    assert_eq!(bits(&from_file.x_test), bits(&lab.x_test));
    assert_eq!(from_file.test_pixels, lab.test_pixels);
    assert_eq!(Digits::embedded().width(), 64);
}

/// A session on a CSV pair records both files; the record names them as the flags did, and
/// its paths load the same test set again. Records without a test file keep the plain string
/// they always had.
#[test]
fn a_session_records_both_files_and_their_paths_load_again() {
    let dir = scratch("data-formats", "session-test-data");
    let (train, test) = (dir.join("train.csv"), dir.join("test.csv"));
    std::fs::write(&train, mnist_csv(30, 4, true)).expect("write");
    std::fs::write(&test, mnist_csv(10, 4, true)).expect("write");
    let session = dir.join("session.json");
    let settings = Settings {
        epochs: 1,
        optimizers: vec![Contender::Sgd, Contender::Mlp],
        ..Settings::default()
    };
    let data = Arc::new(data::load(Some(&train), Some(&test)).expect("valid"));
    let options = Options {
        summary: SummaryFormat::Table,
        export: Some(session.clone()),
        data_source: source::source(Some(&train), Some(&test)),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    headless::train(settings, data, &options, &mut out, &mut err).expect("trains");
    let record = export::read(&session).expect("readable");
    assert_eq!(record.data, source::source(Some(&train), Some(&test)));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&session).expect("read")).expect("json");
    assert_eq!(json["data"]["test"], test.display().to_string());
    assert_eq!(record.runs[0].predictions.len(), 10, "the given test set");
    let (a, b) = record.data.paths();
    let reopened = data::load(a, b).expect("the recorded paths load again");
    assert_eq!(reopened.y_test.len(), 10);
    let plain = serde_json::to_value(DataSource::from("embedded")).expect("serialises");
    assert_eq!(plain, serde_json::json!("embedded"));
    assert_eq!(DataSource::from("embedded").paths(), (None, None));
}
