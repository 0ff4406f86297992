//! `--export FILE.csv` as the library writes it: one tidy row per run and epoch, each the
//! record's figures bit for bit, the `lr` column following each run's rate changes; a CSV is
//! no session file. The binary's CSV against its JSON export is checked in
//! `tests/cli/export_csv.rs`, read by the same reader.

#[path = "../../tests/cli/csv_rows.rs"]
mod csv_rows;

use super::fixtures::{headless_export, scratch};
use crate::export::{self, SessionRecord};
use crate::model::LearningRateChange;
use crate::nn::Hyper;
use crate::train::{BASELINE_LEARNING_RATE, Contender, Settings};
use csv_rows::{Row, read_csv};

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
fn the_lr_column_follows_each_runs_rate_changes() {
    let dir = scratch("export-csv", "rates");
    let json = dir.join("session.json");
    let settings = Settings {
        epochs: 4,
        optimizers: vec![Contender::Momentum, Contender::Mlp],
        hyper: Hyper {
            lr: 0.02,
            ..Hyper::default()
        },
        ..Settings::default()
    };
    headless_export(settings, &json);
    let mut record = export::read(&json).expect("the JSON export reads");
    // The file as written, then with rate changes.
    let csv = dir.join("session.csv");
    export::write_atomic(&csv, &record).expect("written");
    assert_same(&read_csv(&csv), &record);
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
