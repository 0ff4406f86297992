//! A session as CSV, for spreadsheets and pandas: one tidy row per run and epoch, the same
//! figures as the JSON session file. Numbers are written as the JSON file writes them
//! (shortest round-tripping form), so both read back to the same bits; a diverged epoch has
//! no loss (an empty cell, which pandas reads as NaN) and `true` in `diverged`.

use super::record::SessionRecord;
use crate::model::LearningRateChange;
use crate::train::{BASELINE_LEARNING_RATE, Contender};

/// The header line: `run` counts the runs from 1 in `--optimizers` order, `optimizer` names
/// it as `--optimizers` does, `lr` is the rate that epoch trained with.
pub(crate) const HEADER: &str = "run,optimizer,epoch,loss,train_acc,test_acc,lr,diverged";

/// The whole file: the header, then every run's epochs in order, run after run.
pub(crate) fn to_csv(record: &SessionRecord) -> String {
    let rows: usize = record.runs.iter().map(|r| r.epochs.len()).sum();
    let mut out = String::with_capacity(64 * (rows + 1));
    out.push_str(HEADER);
    out.push('\n');
    for (i, run) in record.runs.iter().enumerate() {
        let start = starting_rate(run.optimizer, record.settings.hyper.lr);
        for m in &run.epochs {
            let lr = LearningRateChange::rate_at(&run.lr_changes, m.epoch, start);
            let cells = [
                (i + 1).to_string(),
                run.optimizer.name().to_owned(),
                m.epoch.to_string(),
                m.loss.map(number).unwrap_or_default(),
                number(m.train_acc),
                number(m.test_acc),
                number(lr),
                m.diverged.to_string(),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    out
}

/// The rate a run starts with: `--lr` for the lab's optimizers, scikit-learn's own for the
/// baseline (which `--lr` does not change).
fn starting_rate(contender: Contender, lr: f64) -> f64 {
    match contender.optimizer() {
        Some(_) => lr,
        None => BASELINE_LEARNING_RATE,
    }
}

/// A figure as the JSON file spells it.
fn number(x: f64) -> String {
    serde_json::Number::from_f64(x).map_or_else(String::new, |n| n.to_string())
}
