//! Per-run outcome figures, accumulated from epoch reports; both the headless summary and the
//! dashboard's final table read them, so the two never disagree.

use serde::{Deserialize, Serialize};

use super::{Contender, EpochReport};

/// How one run ended (or stands so far).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// Who trained.
    pub optimizer: Contender,
    /// Epochs completed.
    pub epochs: u32,
    /// Loss after the last epoch (`None` before the first, or once diverged).
    pub final_loss: Option<f64>,
    /// Training accuracy after the last epoch.
    pub train_acc: f64,
    /// Test accuracy after the last epoch.
    pub test_acc: f64,
    /// Best test accuracy so far.
    pub best_test_acc: f64,
    /// The first epoch that reached `best_test_acc`.
    pub best_epoch: u32,
    /// The epoch at which the run diverged, if it did.
    pub diverged_at: Option<u32>,
}

impl RunSummary {
    /// An empty summary for a run that has not trained yet.
    pub fn new(optimizer: Contender) -> Self {
        Self {
            optimizer,
            epochs: 0,
            final_loss: None,
            train_acc: 0.0,
            test_acc: 0.0,
            best_test_acc: 0.0,
            best_epoch: 0,
            diverged_at: None,
        }
    }

    /// Folds in the next epoch's report.
    pub fn observe(&mut self, report: &EpochReport) {
        self.epochs = report.epoch;
        self.train_acc = report.train_acc;
        self.test_acc = report.test_acc;
        if report.diverged {
            self.final_loss = None;
            self.diverged_at = Some(report.epoch);
            return;
        }
        self.final_loss = Some(report.loss);
        if report.test_acc > self.best_test_acc || self.best_epoch == 0 {
            self.best_test_acc = report.test_acc;
            self.best_epoch = report.epoch;
        }
    }
}

/// Why the baseline's loss column is not comparable with the others'.
pub(crate) const BASELINE_LOSS_NOTE: &str = "MLP (sklearn): its loss is scikit-learn's loss_ (mean batch \
     loss with the L2 term, batches of 200), not the lab's full-set loss; its epochs stop early.";

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;

    fn report(epoch: u32, loss: f64, test_acc: f64, diverged: bool) -> EpochReport {
        EpochReport {
            epoch,
            loss,
            train_acc: 0.5,
            test_acc,
            wall: Duration::ZERO,
            predictions: Arc::from(Vec::new()),
            diverged,
            penalty: None,
            health: None,
        }
    }

    #[test]
    fn best_accuracy_keeps_the_first_epoch_that_reached_it() {
        let mut s = RunSummary::new(Contender::Adam);
        for (e, acc) in [(1, 0.5), (2, 0.9), (3, 0.9), (4, 0.8)] {
            s.observe(&report(e, 0.1, acc, false));
        }
        assert_eq!((s.best_test_acc, s.best_epoch, s.test_acc), (0.9, 2, 0.8));
    }

    #[test]
    fn divergence_is_recorded() {
        let mut s = RunSummary::new(Contender::Sgd);
        s.observe(&report(1, 0.3, 0.6, false));
        s.observe(&report(2, f64::NAN, 0.1, true));
        assert_eq!((s.diverged_at, s.final_loss), (Some(2), None));
    }
}
