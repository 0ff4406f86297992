//! `--data` with NumPy files through the binary: the same images as an IDX directory, a CSV
//! pair and every NumPy layout train the same networks, byte for byte; every way an archive
//! can be wrong is refused in one line naming the file, the member and the rule, with exit
//! code 2 before any training, never a panic. How the library reads each layout and words
//! each error is checked in `src/checks/numpy_data.rs`, on the same files ([`crate::numpy`]).

use std::path::Path;

use crate::binary::{bin, scratch, stderr};
use crate::numpy::{bad_archives, emnist_like, every_form, fixture_dir, unpaired_images};

#[test]
fn every_form_of_the_same_images_trains_byte_for_byte_alike() {
    let dir = scratch("numpy-data", "forms");
    let mut reference: Option<(Vec<u8>, Vec<u8>)> = None;
    for (form, args) in every_form(&dir) {
        let o = bin()
            .args([
                "--headless",
                "--epochs",
                "2",
                "--hidden",
                "16",
                "--seed",
                "3",
            ])
            .args(["--optimizers", "sgd,adam,mlp"])
            .args(&args)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{form}: {}", stderr(&o));
        assert!(!o.stdout.is_empty(), "{form}: trained");
        match &reference {
            None => reference = Some((o.stdout, o.stderr)),
            Some((out, err)) => {
                assert!(o.stdout == *out, "{form}: stdout differs from IDX");
                assert!(o.stderr == *err, "{form}: stderr differs from IDX");
            }
        }
    }
}

/// The binary refuses `data` (with `test`): exit code 2, nothing on stdout, one line on
/// stderr, `digits-tui: ` and the error, which has every one of `needles`.
fn assert_refused(data: &Path, test: Option<&Path>, needles: &[&str]) {
    let mut command = bin();
    command
        .args(["--headless", "--epochs", "1", "--data"])
        .arg(data);
    if let Some(test) = test {
        command.arg("--test-data").arg(test);
    }
    let o = command.output().expect("runs");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("digits-tui: "), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    }
    assert!(o.stdout.is_empty(), "nothing trained");
}

#[test]
fn a_keras_archive_holds_its_own_test_set_and_takes_no_other() {
    let dir = scratch("numpy-data", "own-test");
    every_form(&dir);
    assert_refused(
        &dir.join("mnist.npz"),
        Some(&dir.join("test.csv")),
        &[
            "mnist.npz: holds its own test set",
            "--test-data does not apply",
        ],
    );
    assert_refused(
        &dir.join("train.csv"),
        Some(&dir.join("mnist.npz")),
        &["mnist.npz: holds its own test set"],
    );
}

#[test]
fn every_bad_archive_is_one_line_naming_file_member_and_rule() {
    let dir = scratch("numpy-data", "bad");
    for (name, bytes, needles) in bad_archives() {
        let path = dir.join(format!("{name}.npz"));
        std::fs::write(&path, bytes).expect("write");
        assert_refused(&path, None, &needles);
    }
}

#[test]
fn npy_pairs_need_their_labels_beside_them() {
    let dir = scratch("numpy-data", "pairs");
    for (path, needles) in unpaired_images(&dir) {
        assert_refused(&path, None, &needles);
    }
}

/// Transposed images read with `--transpose-images` train as the originals, and the session
/// file records the flag (the library reads such a record's images transposed again:
/// `src/checks/numpy_data.rs`).
#[test]
fn transposed_images_read_with_the_flag_train_as_the_originals() {
    let dir = scratch("numpy-data", "transposed");
    let (path, ..) = emnist_like(&dir);
    let session = dir.join("session.json");
    let headless = |data: &Path, extra: &[&str]| {
        let o = bin()
            .args(["--headless", "--epochs", "2", "--hidden", "16"])
            .args(["--optimizers", "sgd,mlp", "--data"])
            .arg(data)
            .args(extra)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    let reference = headless(&fixture_dir(), &[]);
    let export = session.to_str().expect("UTF-8 scratch path");
    let flagged = headless(&path, &["--transpose-images", "--export", export]);
    assert!(
        flagged == reference,
        "transposed back, the same networks train"
    );
    assert!(
        headless(&path, &[]) != reference,
        "without the flag they differ"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&session).expect("read")).expect("json");
    assert_eq!(json["data"]["transpose"], true);
    assert_eq!(json["data"]["train"], path.display().to_string());
}
