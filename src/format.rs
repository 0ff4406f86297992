//! One way to write each kind of figure, for every place that shows one: the dashboard, the
//! headless table and (later) the comparison table. Output is plain ASCII, so it is safe on any
//! terminal and in any file; the dashboard's theme only adds decoration around it.

use std::time::Duration;

use crate::engine::Value;
use crate::nn::Init;
use crate::train::{BASELINE_LOSS_NOTE, Contender, RunSummary, Settings};

/// What stands where a figure does not exist yet (before the first epoch, say).
pub(crate) const MISSING: &str = "-";

/// A run's loss as a table cell: `1.348e-2`, or `diverged@12` once the run diverged (the
/// loss is then not a number worth showing), or [`MISSING`] before the first epoch.
pub(crate) fn loss(loss: Option<f64>, diverged_at: Option<u32>) -> String {
    match (loss, diverged_at) {
        (_, Some(epoch)) => format!("diverged@{epoch}"),
        (Some(l), None) => format!("{l:.3e}"),
        (None, None) => MISSING.to_owned(),
    }
}

/// A loss in few cells, for narrow places: `3.5e-4`.
pub(crate) fn loss_short(loss: f64) -> String {
    if loss.is_finite() {
        format!("{loss:.1e}")
    } else {
        MISSING.to_owned()
    }
}

/// An accuracy in `[0, 1]` with `decimals` digits: `0.9360`.
pub(crate) fn accuracy(acc: f64, decimals: usize) -> String {
    format!("{acc:.decimals$}")
}

/// An accuracy that may not exist yet (no run finished): 4 digits, or [`MISSING`].
pub(crate) fn maybe_accuracy(acc: Option<f64>) -> String {
    acc.map_or_else(|| MISSING.to_owned(), |a| accuracy(a, 4))
}

/// A mean accuracy over runs and its sample standard deviation: `0.9792 ± 0.0042`; the mean
/// alone for a single run, [`MISSING`] for none. (The one sign here that is not ASCII; the
/// dashboard's theme spells it `+-`.)
pub(crate) fn mean_sd(mean: Option<f64>, sd: Option<f64>) -> String {
    match (mean, sd) {
        (Some(m), Some(sd)) => format!("{} ± {}", accuracy(m, 4), accuracy(sd, 4)),
        (m, _) => maybe_accuracy(m),
    }
}

/// The epoch a figure was reached at: `@ 268`.
pub(crate) fn at_epoch(epoch: u32) -> String {
    format!("@ {epoch}")
}

/// A learning rate as written on the command line (`0.01`, `0.0025`); tiny or odd rates that
/// would take many cells in scientific notation (`7.813e-5`).
pub(crate) fn learning_rate(lr: f64) -> String {
    let plain = format!("{lr}");
    if plain.len() <= 8 {
        plain
    } else {
        format!("{lr:.3e}")
    }
}

/// An optimizer constant as the shorter of its plain and scientific spellings, both exact:
/// `0.9`, `0.99`, `1e-8`.
pub(crate) fn constant(x: f64) -> String {
    let (plain, sci) = (format!("{x}"), format!("{x:e}"));
    if sci.len() < plain.len() { sci } else { plain }
}

/// A training pace: `1 epoch/s`, `50 epochs/s`, or `- epochs/s` before it can be measured.
/// Under one epoch a second (60 000 images) as seconds per epoch, since `0 epochs/s` would
/// read as stalled.
pub(crate) fn pace(rate: Option<f64>) -> String {
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
pub(crate) fn clock(elapsed: Duration) -> String {
    let s = elapsed.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// A run's row as every final table spells it (headless, `--open`, the dashboard's): once
/// it diverged, its loss cell says so and the accuracies of the broken network are
/// [`MISSING`]; its best test accuracy is the best before, or [`MISSING`] if it never had one
/// (it diverged at epoch 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SummaryCells {
    /// Epochs completed.
    pub epochs: String,
    /// [`loss`].
    pub loss: String,
    /// Training accuracy after the last epoch.
    pub train: String,
    /// Test accuracy after the last epoch.
    pub test: String,
    /// `0.9722 @ 500`.
    pub best: String,
}

impl SummaryCells {
    /// `r`'s cells.
    pub(crate) fn of(r: &RunSummary) -> Self {
        let acc = |a| match r.diverged_at {
            Some(_) => MISSING.to_owned(),
            None => accuracy(a, 4),
        };
        let best = match r.best_epoch {
            0 => MISSING.to_owned(),
            e => format!("{} {}", accuracy(r.best_test_acc, 4), at_epoch(e)),
        };
        Self {
            epochs: r.epochs.to_string(),
            loss: loss(r.final_loss, r.diverged_at),
            train: acc(r.train_acc),
            test: acc(r.test_acc),
            best,
        }
    }
}

/// The lab-style table: one line per optimizer, each column as wide as its widest cell, so a
/// long `diverged@94` widens its column instead of pushing the rest out of line; under it,
/// what the baseline ignores of `settings`.
pub(crate) fn summary_table(rows: &[RunSummary], settings: &Settings) -> String {
    let headers = [
        "optimizer",
        "epochs",
        "final loss",
        "train acc",
        "test acc",
        "best test acc",
    ];
    let cells: Vec<[String; 6]> = (rows.iter())
        .map(|r| {
            let c = SummaryCells::of(r);
            let name = r.optimizer.label().to_owned();
            // The accuracy right-aligned under the header's start, then its epoch.
            let best = match c.best.split_once(' ') {
                Some((acc, at)) => format!("{acc:>6} {at}"),
                None => format!("{:>6}", c.best),
            };
            [name, c.epochs, c.loss, c.train, c.test, best]
        })
        .collect();
    let width = |i: usize| {
        let widest = cells.iter().map(|c| c[i].chars().count()).max();
        widest.unwrap_or(0).max(headers[i].len())
    };
    // The name column keeps the lab's 13 characters.
    let widths = [width(0).max(13), width(1), width(2), width(3), width(4)];
    let line = |c: [&str; 6]| {
        let [w0, w1, w2, w3, w4] = widths;
        let text = format!(
            "{:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}  {:>w4$}  {}",
            c[0], c[1], c[2], c[3], c[4], c[5]
        );
        text.trim_end().to_owned() + "\n"
    };
    let mut out = line(headers);
    for c in &cells {
        out.push_str(&line([&c[0], &c[1], &c[2], &c[3], &c[4], &c[5]]));
    }
    if rows.iter().any(|r| r.optimizer == Contender::Mlp) {
        out.push_str(BASELINE_LOSS_NOTE);
        out.push('\n');
        out.push_str(&baseline_ignores(settings));
    }
    out
}

/// The knobs set away from the lab's that the baseline does not take, as a line for a table
/// that shows the baseline beside the lab's runs (empty when there are none): a learner who
/// set `--init he` should not read the baseline's row as He-initialised.
pub(crate) fn baseline_ignores(settings: &Settings) -> String {
    let mut ignored = Vec::new();
    if settings.init != Init::Lab {
        ignored.push(format!(
            "--init {} (it draws scikit-learn's own initial weights)",
            settings.init.name()
        ));
    }
    if settings.weight_decay != 0.0 {
        ignored.push(format!(
            "--weight-decay {} (its L2 term is its own alpha)",
            settings.weight_decay
        ));
    }
    match ignored.len() {
        0 => String::new(),
        1 => format!("MLP (sklearn): {} does not apply to it.\n", ignored[0]),
        _ => format!(
            "MLP (sklearn): {} do not apply to it.\n",
            ignored.join(" and ")
        ),
    }
}

/// A rate as tables print it: as written when short (`0.003`, `1`, `1e300`), else to four
/// digits (`3.162e-4`).
pub(crate) fn rate_text(lr: f64) -> String {
    let (plain, exponent) = (lr.to_string(), format!("{lr:e}"));
    if plain.len() <= 7 {
        plain
    } else if exponent.len() <= 8 {
        exponent
    } else {
        format!("{lr:.3e}")
    }
}

/// A swept value as tables and figures show it: a rate or weight decay as [`rate_text`], an
/// initialisation or activation by name.
pub(crate) fn value_text(value: Value) -> String {
    match value {
        Value::Lr(x) | Value::WeightDecay(x) => rate_text(x),
        Value::Init(init) => init.name().to_owned(),
        Value::Activation(activation) => activation.name().to_owned(),
    }
}

/// `1 run`, `3 runs`: a count with its noun, so a one-seed table does not say `1 runs`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ => format!("{n} {noun}s"),
    }
}

/// `seeds 7..=16`, or `seed 7` for one.
pub(crate) fn seed_span(seeds: &[u32]) -> String {
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
        let lab = Settings::default();
        let table = summary_table(&[summary(268, 3.697e-4, 0.9722, false)], &lab);
        assert_eq!(table.lines().nth(1), Some(row));
        assert!(summary_table(&[summary(2, f64::NAN, 0.1, true)], &lab).contains("diverged@2"));
    }

    #[test]
    fn the_knobs_the_baseline_ignores_are_named_under_its_row() {
        let mlp = [RunSummary::new(Contender::Mlp)];
        let lab = Settings::default();
        assert!(!summary_table(&mlp, &lab).contains("does not apply"));
        let he = Settings {
            init: Init::He,
            ..lab.clone()
        };
        assert!(summary_table(&mlp, &he).ends_with(
            "MLP (sklearn): --init he (it draws scikit-learn's own initial weights) does not \
             apply to it.\n"
        ));
        let both = Settings {
            weight_decay: 0.01,
            ..he
        };
        assert!(baseline_ignores(&both).contains(
            "(it draws scikit-learn's own initial weights) and --weight-decay 0.01 (its L2 term \
             is its own alpha) do not apply"
        ));
        // Without the baseline in the table there is nothing to say.
        assert!(!summary_table(&[summary(2, 1.0, 0.5, false)], &both).contains("MLP"));
    }

    #[test]
    fn a_diverged_run_has_no_accuracies_and_no_best_before_its_first_epoch() {
        let early = SummaryCells::of(&summary(1, f64::NAN, 0.1, true));
        assert_eq!(
            [early.loss, early.train, early.test, early.best],
            ["diverged@1", "-", "-", "-"].map(String::from)
        );
        let late = SummaryCells::of(&summary(94, 0.5, 0.6, true));
        assert_eq!((late.test, late.best), ("-".into(), "0.6000 @ 1".into()));
    }

    #[test]
    fn columns_stay_aligned_past_a_long_divergence() {
        let table = summary_table(
            &[
                summary(94, 0.5, 0.6, true),
                summary(1000, 3.697e-4, 0.9722, false),
            ],
            &Settings::default(),
        );
        let end_of = |line: &str, cell: &str| line.find(cell).map(|i| i + cell.len());
        let lines: Vec<&str> = table.lines().collect();
        // The loss cells end under their header's end; the best column starts in one place.
        let loss_end = end_of(lines[0], "final loss");
        assert_eq!(end_of(lines[1], "diverged@94"), loss_end, "{table}");
        assert_eq!(end_of(lines[2], "3.697e-4"), loss_end, "{table}");
        assert_eq!(lines[1].rfind('@'), lines[2].rfind('@'), "{table}");
    }
}
