//! One way to write each kind of figure, for every place that shows one: the dashboard, the
//! headless table and (later) the comparison table. Output is plain ASCII, so it is safe on any
//! terminal and in any file; the dashboard's theme only adds decoration around it.

use std::time::Duration;

use crate::train::{BASELINE_LOSS_NOTE, Contender, RunSummary};

/// What stands where a figure does not exist yet (before the first epoch, say).
pub const MISSING: &str = "-";

/// A run's loss as a table cell: `1.348e-2`, or `diverged@12` once the run diverged (the
/// loss is then not a number worth showing), or [`MISSING`] before the first epoch.
pub fn loss(loss: Option<f64>, diverged_at: Option<u32>) -> String {
    match (loss, diverged_at) {
        (_, Some(epoch)) => format!("diverged@{epoch}"),
        (Some(l), None) => format!("{l:.3e}"),
        (None, None) => MISSING.to_owned(),
    }
}

/// A loss in few cells, for narrow places: `3.5e-4`.
pub fn loss_short(loss: f64) -> String {
    if loss.is_finite() {
        format!("{loss:.1e}")
    } else {
        MISSING.to_owned()
    }
}

/// An accuracy in `[0, 1]` with `decimals` digits: `0.9360`.
pub fn accuracy(acc: f64, decimals: usize) -> String {
    format!("{acc:.decimals$}")
}

/// An accuracy that may not exist yet (no run finished): 4 digits, or [`MISSING`].
pub fn maybe_accuracy(acc: Option<f64>) -> String {
    acc.map_or_else(|| MISSING.to_owned(), |a| accuracy(a, 4))
}

/// A mean accuracy over runs and its sample standard deviation: `0.9792 ± 0.0042`; the mean
/// alone for a single run, [`MISSING`] for none. (The one sign here that is not ASCII; the
/// dashboard's theme spells it `+-`.)
pub fn mean_sd(mean: Option<f64>, sd: Option<f64>) -> String {
    match (mean, sd) {
        (Some(m), Some(sd)) => format!("{} ± {}", accuracy(m, 4), accuracy(sd, 4)),
        (m, _) => maybe_accuracy(m),
    }
}

/// The epoch a figure was reached at: `@ 268`.
pub fn at_epoch(epoch: u32) -> String {
    format!("@ {epoch}")
}

/// A learning rate as written on the command line (`0.01`, `0.0025`); tiny or odd rates that
/// would take many cells in scientific notation (`7.813e-5`).
pub fn learning_rate(lr: f64) -> String {
    let plain = format!("{lr}");
    if plain.len() <= 8 {
        plain
    } else {
        format!("{lr:.3e}")
    }
}

/// An optimizer constant as the shorter of its plain and scientific spellings, both exact:
/// `0.9`, `0.99`, `1e-8`.
pub fn constant(x: f64) -> String {
    let (plain, sci) = (format!("{x}"), format!("{x:e}"));
    if sci.len() < plain.len() { sci } else { plain }
}

/// A training pace: `1 epoch/s`, `50 epochs/s`, or `- epochs/s` before it can be measured.
/// Under one epoch a second (60 000 images) as seconds per epoch, since `0 epochs/s` would
/// read as stalled.
pub fn pace(rate: Option<f64>) -> String {
    match rate {
        Some(r) if r > 0.0 && r < 0.95 => match 1.0 / r {
            s if s < 10.0 => format!("{s:.1} s/epoch"),
            s => format!("{s:.0} s/epoch"),
        },
        Some(r) if r.round() == 1.0 => "1 epoch/s".to_owned(),
        Some(r) => format!("{:.0} epochs/s", r.round()),
        None => format!("{MISSING} epochs/s"),
    }
}

/// Wall time as a clock: `03:07`, or `1:02:03` past the hour.
pub fn clock(elapsed: Duration) -> String {
    let s = elapsed.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// The lab-style table: one line per optimizer.
pub fn summary_table(rows: &[RunSummary]) -> String {
    let mut out =
        String::from("optimizer      epochs  final loss  train acc  test acc  best test acc\n");
    for r in rows {
        let acc = |a| accuracy(a, 4);
        out.push_str(&format!(
            "{:<13}  {:>6}  {:>10}  {:>9}  {:>8}  {:>6} {}\n",
            r.optimizer.label(),
            r.epochs,
            loss(r.final_loss, r.diverged_at),
            acc(r.train_acc),
            acc(r.test_acc),
            acc(r.best_test_acc),
            at_epoch(r.best_epoch)
        ));
    }
    if rows.iter().any(|r| r.optimizer == Contender::Mlp) {
        out.push_str(BASELINE_LOSS_NOTE);
        out.push('\n');
    }
    out
}

/// A rate as tables print it: as written when short (`0.003`, `1`, `1e300`), else to four
/// digits (`3.162e-4`).
pub fn rate_text(lr: f64) -> String {
    let (plain, exponent) = (lr.to_string(), format!("{lr:e}"));
    if plain.len() <= 7 {
        plain
    } else if exponent.len() <= 8 {
        exponent
    } else {
        format!("{lr:.3e}")
    }
}

/// `seeds 7..=16`, or `seed 7` for one.
pub fn seed_span(seeds: &[u32]) -> String {
    match (seeds.first(), seeds.last()) {
        (Some(a), Some(b)) if a != b => format!("seeds {a}..={b}"),
        (Some(a), _) => format!("seed {a}"),
        _ => "no seeds".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::EpochReport;

    #[test]
    fn losses_have_one_spelling() {
        assert_eq!(loss(Some(3.697e-4), None), "3.697e-4");
        assert_eq!(loss(Some(1.0), Some(7)), "diverged@7");
        assert_eq!(loss(None, Some(7)), "diverged@7");
        assert_eq!(loss(None, None), "-");
        assert_eq!(loss_short(3.5e-4), "3.5e-4");
        assert_eq!(loss_short(1.0), "1.0e0");
        assert_eq!(loss_short(f64::NAN), "-");
    }

    #[test]
    fn rates_clocks_and_accuracies() {
        assert_eq!(pace(Some(1.2)), "1 epoch/s");
        assert_eq!(pace(Some(49.6)), "50 epochs/s");
        assert_eq!(pace(None), "- epochs/s");
        // An MNIST epoch takes seconds: not `0 epochs/s`.
        assert_eq!(pace(Some(0.4)), "2.5 s/epoch");
        assert_eq!(pace(Some(0.05)), "20 s/epoch");
        assert_eq!(clock(Duration::from_secs(187)), "03:07");
        assert_eq!(clock(Duration::from_secs(3723)), "1:02:03");
        assert_eq!(accuracy(0.93604, 4), "0.9360");
        assert_eq!(at_epoch(268), "@ 268");
        assert_eq!(learning_rate(0.01), "0.01");
        assert_eq!(learning_rate(0.01 / 128.0), "7.813e-5");
        assert_eq!(
            [constant(0.9), constant(0.99), constant(1e-8), constant(0.0)],
            ["0.9", "0.99", "1e-8", "0"]
        );
    }

    fn summary(epochs: u32, loss: f64, test_acc: f64, diverged: bool) -> RunSummary {
        let mut s = RunSummary::new(Contender::Adam);
        for epoch in 1..=epochs {
            s.observe(&EpochReport {
                epoch,
                loss,
                train_acc: 0.5,
                test_acc,
                wall: std::time::Duration::ZERO,
                predictions: std::sync::Arc::from(Vec::new()),
                diverged: diverged && epoch == epochs,
                penalty: None,
                health: None,
            });
        }
        s
    }

    #[test]
    fn summary_rows_keep_their_layout_and_say_diverged() {
        let row = "Adam              268    3.697e-4     0.5000    0.9722  0.9722 @ 1";
        let table = summary_table(&[summary(268, 3.697e-4, 0.9722, false)]);
        assert_eq!(table.lines().nth(1), Some(row));
        assert!(summary_table(&[summary(2, f64::NAN, 0.1, true)]).contains("diverged@2"));
    }
}
