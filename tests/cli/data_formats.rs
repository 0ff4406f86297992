//! `--data` and `--test-data` through the binary: a bad file is refused in one line with exit
//! code 2 before any training, and a session on a CSV pair records both files and opens again.
//! How the library reads each format and words each error is checked in
//! `src/checks/data_formats.rs`, on files built by the same helpers ([`crate::digit_files`]).

use crate::binary::{bin, scratch, stderr};
use crate::digit_files::{idx_dir, mnist_csv, mnist_files};

#[test]
fn the_binary_refuses_bad_data_with_one_line_and_exit_2_before_training() {
    let dir = scratch("data-formats", "cli-bad-idx");
    let mut files = mnist_files(20, 10, 4);
    files[1].1[8] = 10;
    idx_dir(&dir, files, [false; 4]);
    let o = bin()
        .args(["--headless", "--epochs", "1", "--data"])
        .arg(&dir)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("train-labels-idx1-ubyte: record 1: label is 10"),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "nothing trained");
}

/// The record names both files as given, holds the given test set's predictions, and opens
/// again: `--open` prints what the run printed.
#[test]
fn a_session_records_both_files_and_opens_them_again() {
    let dir = scratch("data-formats", "cli-test-data");
    let (train, test) = (dir.join("train.csv"), dir.join("test.csv"));
    std::fs::write(&train, mnist_csv(30, 4, true)).expect("write");
    std::fs::write(&test, mnist_csv(10, 4, true)).expect("write");
    let session = dir.join("session.json");
    let o = bin()
        .args(["--headless", "--epochs", "1", "--optimizers", "sgd,mlp"])
        .arg("--data")
        .arg(&train)
        .arg("--test-data")
        .arg(&test)
        .arg("--export")
        .arg(&session)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&session).expect("read")).expect("json");
    assert_eq!(json["data"]["train"], train.display().to_string());
    assert_eq!(json["data"]["test"], test.display().to_string());
    let predictions = json["runs"][0]["predictions"].as_array().map(Vec::len);
    assert_eq!(predictions, Some(10), "the given test set");
    let opened = bin()
        .args(["--headless", "--open"])
        .arg(&session)
        .output()
        .expect("runs");
    assert!(opened.status.success(), "{}", stderr(&opened));
    assert_eq!(stderr(&opened), stderr(&o), "the same table");
    let lines = |out: &[u8]| {
        let mut lines: Vec<String> = String::from_utf8_lossy(out)
            .lines()
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(lines(&opened.stdout), lines(&o.stdout), "the same epochs");
}
