//! `--data` with NumPy files, as the library reads them: every NumPy layout of the committed
//! IDX fixture reads as the same images and labels with its own test set; every way an
//! archive can be wrong is one line naming the file, the member and the rule. The files are
//! those `tests/cli/numpy_data.rs` gives the binary, written by the same helpers.

use std::path::PathBuf;

#[path = "../../tests/cli/numpy.rs"]
mod numpy;

use super::fixtures::{assert_has, load_err, scratch};
use crate::data::source::{DataSource, source};
use crate::data::{self, idx};
use numpy::{bad_archives, emnist_like, every_form, fixture, fixture_dir, unpaired_images};

#[test]
fn the_fixture_read_by_hand_is_the_idx_reader_s() {
    let (train, test) = fixture();
    let (ours, our_test) = idx::load_dir(&fixture_dir()).expect("the fixture loads");
    for (set, digits) in [(&train, &ours), (&test, &our_test)] {
        assert_eq!(digits.pixels.as_slice(), Some(&set.pixels[..]));
        assert_eq!(digits.labels, set.labels);
        assert_eq!(digits.width(), set.width);
    }
}

#[test]
fn a_keras_archive_and_a_pair_bring_their_own_test_sets() {
    let dir = scratch("numpy-data", "own-test");
    let forms = every_form(&dir);
    let (train, test) = fixture();
    for (form, args) in &forms {
        let path = PathBuf::from(&args[1]);
        let test_path = args.get(3).map(PathBuf::from);
        let d = data::load(Some(&path), test_path.as_deref()).expect(form);
        assert_eq!((d.y_train.len(), d.y_test.len()), (300, 100), "{form}");
        assert_eq!(d.test_pixels.as_slice(), Some(&test.pixels[..]), "{form}");
        assert_eq!((d.side, d.max_pixel), (28, 255), "{form}");
        assert!(d.split.is_none(), "{form}: the given test set, not a split");
        assert_eq!(d.y_train, train.labels, "{form}");
    }
    // Without its test twin a pair is split 80/20 like a CSV.
    std::fs::remove_file(dir.join("x_test.npy")).expect("remove");
    let d = data::load(Some(&dir.join("x_train.npy")), None).expect("valid");
    assert_eq!((d.y_train.len(), d.y_test.len()), (240, 60));
    assert!(d.split.is_some());
    // A Keras archive's test set is its own.
    let err = load_err(&dir.join("mnist.npz"), Some(&dir.join("test.csv")));
    assert_has(
        &err,
        &[
            "mnist.npz: holds its own test set",
            "--test-data does not apply",
        ],
    );
    let err = load_err(&dir.join("train.csv"), Some(&dir.join("mnist.npz")));
    assert_has(&err, &["mnist.npz: holds its own test set"]);
}

#[test]
fn every_bad_archive_is_one_line_naming_file_member_and_rule() {
    let dir = scratch("numpy-data", "bad");
    for (name, bytes, needles) in bad_archives() {
        let path = dir.join(format!("{name}.npz"));
        std::fs::write(&path, bytes).expect("write");
        assert_has(&load_err(&path, None), &needles);
    }
}

#[test]
fn npy_pairs_need_their_labels_beside_them() {
    let dir = scratch("numpy-data", "pairs");
    for (path, needles) in unpaired_images(&dir) {
        assert_has(&load_err(&path, None), &needles);
    }
}

/// A source that says `--transpose-images` (as a session file records it) reads transposed
/// images back as the originals; without it they stay transposed.
#[test]
fn a_transposed_source_reads_the_images_back_as_the_originals() {
    let (path, test, t_test) = emnist_like(&scratch("numpy-data", "transposed"));
    let recorded = source(Some(&path), None).transposed(true);
    let json = serde_json::to_value(&recorded).expect("serialises");
    assert_eq!(json["transpose"], true);
    let recorded: DataSource = serde_json::from_value(json).expect("reads back");
    assert_eq!(source(Some(&path), None).transposed(true), recorded);
    assert!(recorded.transpose());
    let reloaded = data::load_source(&recorded).expect("loads");
    assert_eq!(reloaded.test_pixels.as_slice(), Some(&test.pixels[..]));
    let as_stored = data::load_source(&source(Some(&path), None)).expect("loads");
    assert_eq!(as_stored.test_pixels.as_slice(), Some(&t_test.pixels[..]));
}
