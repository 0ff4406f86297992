//! The checks a session file passes before anything shows it: a record a session could have
//! produced, so a viewer can trust every figure in it.

use std::sync::Arc;

use super::record::{FORMAT_VERSION, RunRecord, SessionRecord, report};
use crate::model::LearningRateChange;
use crate::train::{Contender, RunSummary};

impl SessionRecord {
    /// Checks that the record is one a session could have produced, so a viewer can trust
    /// it: the runs match the settings, epochs count up from 1, a loss is missing exactly when
    /// the epoch diverged, and each run's table row is what its epochs add up to.
    pub(super) fn check(&self) -> Result<(), String> {
        if self.format != FORMAT_VERSION {
            return Err(unsupported(self.format));
        }
        let names: Vec<Contender> = self.runs.iter().map(|r| r.optimizer).collect();
        if names != self.settings.optimizers {
            return Err("its runs do not match settings.optimizers".into());
        }
        let mut test_images = None;
        for r in &self.runs {
            check_run(r, self.settings.epochs, &mut test_images)
                .map_err(|why| format!("run {}: {why}", r.optimizer.name()))?;
        }
        Ok(())
    }
}

fn check_run(r: &RunRecord, epochs: u32, test_images: &mut Option<usize>) -> Result<(), String> {
    if r.label != r.optimizer.label() {
        return Err(format!(
            "label {:?} is not {:?}",
            r.label,
            r.optimizer.label()
        ));
    }
    let mut summary = RunSummary::new(r.optimizer);
    let none: Arc<[u8]> = Arc::from(Vec::new());
    for (i, m) in r.epochs.iter().enumerate() {
        let fraction = |x: f64| (0.0..=1.0).contains(&x);
        let problem = if usize::try_from(m.epoch).ok() != Some(i + 1) || m.epoch > epochs {
            Some("epochs must count 1, 2, 3... up to settings.epochs")
        } else if m.loss.is_none() != m.diverged {
            Some("the loss must be null exactly when the epoch diverged")
        } else if m.diverged && i + 1 != r.epochs.len() {
            Some("a diverged epoch must be the run's last")
        } else if !fraction(m.train_acc) || !fraction(m.test_acc) {
            Some("accuracies must be in [0, 1]")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(format!("epoch entry {}: {problem}", i + 1));
        }
        summary.observe(&report(*m, Arc::clone(&none), None));
    }
    if summary != r.summary {
        return Err("its summary is not what its epochs add up to".into());
    }
    if r.ended && r.epochs.is_empty() {
        return Err("ended without an epoch".into());
    }
    let increasing = r
        .lr_changes
        .windows(2)
        .all(|w| w[0].after_epoch < w[1].after_epoch);
    let valid = |c: &LearningRateChange| c.lr.is_finite() && c.lr > 0.0 && c.after_epoch < epochs;
    if !increasing || !r.lr_changes.iter().all(valid) {
        return Err(
            "learning-rate changes must have increasing after_epoch below settings.epochs \
             and rates greater than 0"
                .into(),
        );
    }
    if r.epochs.is_empty() != r.predictions.is_empty() || r.predictions.iter().any(|&p| p > 9) {
        return Err("predictions must be labels 0..9, one per test image, once it trained".into());
    }
    if !r.predictions.is_empty() {
        match *test_images.get_or_insert(r.predictions.len()) {
            n if n == r.predictions.len() => {}
            _ => return Err("its predictions cover a different number of test images".into()),
        }
    }
    Ok(())
}

/// Why a file of another layout version is refused.
pub(super) fn unsupported(format: u32) -> String {
    format!("format {format}; this digits-tui reads format {FORMAT_VERSION}")
}
