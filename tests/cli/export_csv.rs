//! `--export FILE.csv` through the binary: one tidy row per run and epoch, read back and
//! compared with the JSON session file of the same run, figure for figure and bit for bit;
//! `--open` refuses a CSV. The `lr` column under rate changes is checked in
//! `src/checks/export_csv.rs`, read by the same reader ([`crate::csv_rows`]).

use std::path::Path;

use serde_json::Value;

use crate::binary::{run, scratch, stderr};
use crate::csv_rows::{Row, read_csv};

/// The baseline's learning rate (sklearn's `learning_rate_init`, the lab's call), which its
/// rows carry whatever `--lr` says.
const BASELINE_LEARNING_RATE: f64 = 0.01;

/// Trains headless with `args`, exporting to `path`.
fn export_to(path: &Path, args: &[&str]) {
    let path = path.to_str().expect("UTF-8 scratch path");
    let o = run(&[&["--headless", "--export", path], args].concat());
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Every row is the session file's epoch, bit for bit, in run order then epoch order, at the
/// run's rate (the file has no rate changes: headless makes none).
fn assert_same(rows: &[Row], record: &Value) {
    let runs = record["runs"].as_array().expect("runs");
    let epochs: usize = (runs.iter())
        .map(|r| r["epochs"].as_array().expect("epochs").len())
        .sum();
    assert_eq!(rows.len(), epochs, "one row per run and epoch");
    let mut rows = rows.iter();
    let bits = |v: &Value| v.as_f64().map(f64::to_bits);
    for (i, run) in runs.iter().enumerate() {
        let name = run["optimizer"].as_str().expect("a name");
        let start = match name {
            "mlp" => BASELINE_LEARNING_RATE,
            _ => record["settings"]["hyper"]["lr"].as_f64().expect("lr"),
        };
        assert_eq!(run["lr_changes"], Value::Array(Vec::new()));
        for m in run["epochs"].as_array().expect("epochs") {
            let row = rows.next().expect("a row");
            let what = format!("{name} epoch {}", m["epoch"]);
            assert_eq!((row.run, row.optimizer.as_str()), (i + 1, name));
            assert_eq!(Some(u64::from(row.epoch)), m["epoch"].as_u64(), "{what}");
            assert_eq!(Some(row.diverged), m["diverged"].as_bool(), "{what}");
            assert_eq!(row.loss.map(f64::to_bits), bits(&m["loss"]), "{what}");
            assert_eq!(
                Some(row.train_acc.to_bits()),
                bits(&m["train_acc"]),
                "{what}"
            );
            assert_eq!(Some(row.test_acc.to_bits()), bits(&m["test_acc"]), "{what}");
            assert_eq!(row.lr.to_bits(), start.to_bits(), "{what}");
        }
    }
}

#[test]
fn the_csv_export_reads_back_as_the_json_export() {
    let dir = scratch("export-csv", "round-trip");
    for (name, args) in [
        (
            "lab",
            &["--epochs", "4", "--optimizers", "adam,sgd,mlp"][..],
        ),
        // SGD diverges at once: a row without loss, `diverged` true; the baseline goes on.
        (
            "diverged",
            &["--epochs", "3", "--optimizers", "sgd,mlp", "--lr", "1e300"],
        ),
    ] {
        let (csv, json) = (
            dir.join(format!("{name}.csv")),
            dir.join(format!("{name}.json")),
        );
        export_to(&csv, args);
        export_to(&json, args);
        let text = std::fs::read(&json).expect("the JSON export");
        let record: Value = serde_json::from_slice(&text).expect("JSON");
        let rows = read_csv(&csv);
        assert_same(&rows, &record);
        if name == "diverged" {
            assert!(rows.iter().any(|r| r.diverged && r.loss.is_none()));
            assert!(rows.iter().any(|r| !r.diverged && r.loss.is_some()));
        }
        // A CSV export is figures only: --open asks for the JSON one.
        let o = run(&["--open", csv.to_str().expect("UTF-8"), "--headless"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("open the JSON export"),
            "{}",
            stderr(&o)
        );
    }
}
