//! `--export FILE.csv`: one tidy row per run and epoch, read back and compared with the JSON
//! session file of the same run, figure for figure and bit for bit.

use std::path::Path;

use digits_tui::export::{self, SessionRecord};
use digits_tui::model::LearningRateChange;
use digits_tui::train::BASELINE_LEARNING_RATE;

use crate::binary::{run, scratch, stderr};

/// Trains headless with `args`, exporting to `path`.
fn export_to(path: &Path, args: &[&str]) {
    let path = path.to_str().expect("UTF-8 scratch path");
    let o = run(&[&["--headless", "--export", path], args].concat());
    assert!(o.status.success(), "{}", stderr(&o));
}

/// One CSV row as read back: the cells by the header's names.
struct Row {
    run: usize,
    optimizer: String,
    epoch: u32,
    loss: Option<f64>,
    train_acc: f64,
    test_acc: f64,
    lr: f64,
    diverged: bool,
}

fn read_csv(path: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path).expect("the CSV was written");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    assert_eq!(
        header,
        [
            "run",
            "optimizer",
            "epoch",
            "loss",
            "train_acc",
            "test_acc",
            "lr",
            "diverged"
        ]
    );
    let float = |s: &str| s.parse::<f64>().expect("a number");
    lines
        .map(|line| {
            let c: Vec<&str> = line.split(',').collect();
            assert_eq!(c.len(), header.len(), "{line}");
            Row {
                run: c[0].parse().expect("run"),
                optimizer: c[1].to_owned(),
                epoch: c[2].parse().expect("epoch"),
                loss: (!c[3].is_empty()).then(|| float(c[3])),
                train_acc: float(c[4]),
                test_acc: float(c[5]),
                lr: float(c[6]),
                diverged: c[7].parse().expect("true or false"),
            }
        })
        .collect()
}

/// Every row is the record's epoch, bit for bit, in run order then epoch order.
fn assert_same(rows: &[Row], record: &SessionRecord) {
    let epochs: usize = record.runs.iter().map(|r| r.epochs.len()).sum();
    assert_eq!(rows.len(), epochs, "one row per run and epoch");
    let mut rows = rows.iter();
    for (i, run) in record.runs.iter().enumerate() {
        let start = match run.optimizer.optimizer() {
            Some(_) => record.settings.hyper.lr,
            None => BASELINE_LEARNING_RATE,
        };
        for m in &run.epochs {
            let row = rows.next().expect("a row");
            let what = format!("{} epoch {}", run.optimizer.name(), m.epoch);
            assert_eq!(
                (row.run, row.optimizer.as_str()),
                (i + 1, run.optimizer.name())
            );
            assert_eq!((row.epoch, row.diverged), (m.epoch, m.diverged), "{what}");
            assert_eq!(
                row.loss.map(f64::to_bits),
                m.loss.map(f64::to_bits),
                "{what}"
            );
            assert_eq!(row.train_acc.to_bits(), m.train_acc.to_bits(), "{what}");
            assert_eq!(row.test_acc.to_bits(), m.test_acc.to_bits(), "{what}");
            let lr = LearningRateChange::rate_at(&run.lr_changes, m.epoch, start);
            assert_eq!(row.lr.to_bits(), lr.to_bits(), "{what}");
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
        let record = export::read(&json).expect("the JSON export reads");
        let rows = read_csv(&csv);
        assert_same(&rows, &record);
        if name == "diverged" {
            assert!(rows.iter().any(|r| r.diverged && r.loss.is_none()));
            assert!(rows.iter().any(|r| !r.diverged && r.loss.is_some()));
        }
    }
}

#[test]
fn the_lr_column_follows_each_runs_rate_changes() {
    let dir = scratch("export-csv", "rates");
    let json = dir.join("session.json");
    export_to(
        &json,
        &[
            "--epochs",
            "4",
            "--optimizers",
            "momentum,mlp",
            "--lr",
            "0.02",
        ],
    );
    let mut record = export::read(&json).expect("the JSON export reads");
    record.runs[0].lr_changes = vec![
        LearningRateChange {
            after_epoch: 1,
            lr: 0.04,
        },
        LearningRateChange {
            after_epoch: 3,
            lr: 0.005,
        },
    ];
    record.runs[1].lr_changes = vec![LearningRateChange {
        after_epoch: 2,
        lr: 0.1,
    }];
    let csv = dir.join("session.CSV");
    export::write_atomic(&csv, &record).expect("written");
    let rows = read_csv(&csv);
    assert_same(&rows, &record);
    let lrs: Vec<f64> = rows.iter().map(|r| r.lr).collect();
    assert_eq!(lrs[..4], [0.02, 0.04, 0.04, 0.005]);
    assert_eq!(lrs[4..6], [BASELINE_LEARNING_RATE, BASELINE_LEARNING_RATE]);
    assert_eq!(lrs[6], 0.1);
    // A CSV export is figures only: --open asks for the JSON one.
    let err = export::read(&csv)
        .expect_err("not a session file")
        .to_string();
    assert!(err.contains("open the JSON export"), "{err}");
}
