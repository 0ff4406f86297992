//! scikit-learn's `MLPClassifier` training recipe, reproduced natively (LAB.md part C).
//!
//! The lab judges its five hand-written optimizers against
//! `MLPClassifier(hidden_layer_sizes=(80,70), activation='logistic', solver='sgd', alpha=0.01,
//! learning_rate_init=0.01, max_iter=1000, random_state=s)` trained on the same split. Calling
//! Python from a terminal app is neither portable nor reproducible (scikit-learn's bits depend
//! on the BLAS kernel and on numpy's `exp`), so this module runs the same recipe in the lab's
//! reference arithmetic: Glorot-uniform initialisation drawn from `RandomState(s)`, a shuffle
//! of the sample order every epoch, batches of 200, L2-regularised log-loss with averaged
//! gradients, Nesterov momentum, and scikit-learn's `tol`/`n_iter_no_change` stopping rule.
//! For random states 0–9 it matches scikit-learn's `n_iter_` and every test prediction, with
//! loss curves within a few ulps.
//!
//! The network itself (initialisation, passes, the SGD step) is [`Mlp`]; this module is the
//! recipe around it: the hyperparameters, the epochs and their batches, the stopping rule and
//! the evaluation shown beside the lab's runs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ndarray::ArrayView2;

use super::lab_trainer::{EpochReport, argmax};
use super::sliced_epoch::{Progress, Slice, SlicedEpoch};
use crate::data::{CLASSES, Dataset};
use crate::nn::Activation;
use crate::nn::mlp::{Mlp, Solver};
use crate::rng::RandomState;

/// `hidden_layer_sizes=(80, 70)`, as in the lab's call.
const HIDDEN: [usize; 2] = [80, 70];
/// `max_iter` of the lab's call (also scikit-learn's default).
const MAX_ITER: u32 = 1000;
/// `batch_size='auto'`: `min(200, n_samples)`.
const BATCH_SIZE: usize = 200;
/// L2 penalty `alpha`.
const ALPHA: f64 = 0.01;
/// `learning_rate_init` of the lab's call, constant schedule; a learning-rate sweep sets its own
/// ([`Baseline::with_learning_rate_init`]).
pub(crate) const LEARNING_RATE: f64 = 0.01;
/// `momentum`, applied the Nesterov way.
const MOMENTUM: f64 = 0.9;
/// `tol`: an epoch "improves" only if its loss beats the best by more than this.
const TOL: f64 = 1e-4;
/// `n_iter_no_change`: training stops once more than this many epochs in a row did not improve.
const N_ITER_NO_CHANGE: u32 = 10;

/// The recipe in words, a piece each, written from the constants the fit uses, so the
/// dashboard can state what the baseline does without a number of its own that could drift.
pub(crate) fn recipe() -> Vec<String> {
    vec![
        "scikit-learn's SGD".to_owned(),
        format!("Nesterov momentum {MOMENTUM}"),
        format!("lr {LEARNING_RATE}"),
        format!("L2 α {ALPHA}"),
        format!("batches of {BATCH_SIZE}"),
        format!(
            "stops once {} epochs in a row miss the best loss by {TOL:e}",
            N_ITER_NO_CHANGE + 1
        ),
    ]
}

/// scikit-learn's stopping rule without early stopping (`_update_no_improvement_count`).
#[derive(Clone, Copy, Debug)]
struct Stopping {
    best: f64,
    stale: u32,
}

impl Stopping {
    fn new() -> Self {
        Self {
            best: f64::INFINITY,
            stale: 0,
        }
    }

    /// Records one epoch's loss; true once `n_iter_no_change + 1` epochs in a row failed to
    /// beat the best loss by `tol` (the constant schedule then stops rather than decaying).
    fn observe(&mut self, loss: f64) -> bool {
        if loss > self.best - TOL {
            self.stale += 1;
        } else {
            self.stale = 0;
        }
        if loss < self.best {
            self.best = loss;
        }
        self.stale > N_ITER_NO_CHANGE
    }
}

/// A scikit-learn `MLPClassifier` fit in progress, driven one epoch at a time like a
/// [`LabTrainer`](super::LabTrainer). Every buffer is allocated here, once; training allocates
/// nothing per batch.
pub struct Baseline {
    net: Mlp,
    rng: RandomState,
    data: Arc<Dataset>,
    max_iter: u32,
    /// `learning_rate_init`.
    learning_rate: f64,
    /// `sample_idx`, shuffled in place each epoch (which composes the permutations exactly as
    /// scikit-learn's `idx = idx[shuffled arange]` does), and the batches over it.
    slices: SlicedEpoch,
    /// The summed loss of the epoch's batches so far, each weighted by its rows.
    epoch_loss: f64,
    /// Outputs of every layer for up to `batch_size` rows; also reused, in chunks of that
    /// many rows, for evaluation (rows are independent, so chunking changes no bits).
    acts: Vec<Vec<f64>>,
    deltas: Vec<Vec<f64>>,
    train_pred: Vec<u8>,
    test_pred: Vec<u8>,
    loss_curve: Vec<f64>,
    stopping: Stopping,
    converged: bool,
    diverged: bool,
}

impl Baseline {
    /// `MLPClassifier(hidden_layer_sizes=(80,70), …, random_state=seed)` on `data`'s training
    /// set: draws the initial weights now, then one shuffle per epoch from the same stream.
    ///
    /// The output layer has one unit per digit, as scikit-learn's has when every digit occurs
    /// in the training labels (true of the lab's split).
    #[cfg(test)]
    pub(crate) fn new(seed: u32, data: Arc<Dataset>) -> Self {
        Self::activated(seed, data, Activation::Sigmoid)
    }

    /// As [`new`](Self::new) with `activation=` the given one: `logistic` for sigmoid, `tanh`,
    /// `relu`. It also sets the initial weights' bound, as in scikit-learn.
    pub(crate) fn activated(seed: u32, data: Arc<Dataset>, activation: Activation) -> Self {
        let mut rng = RandomState::new(seed);
        let sizes: Vec<usize> = [data.width()]
            .into_iter()
            .chain(HIDDEN)
            .chain([CLASSES])
            .collect();
        let net = Mlp::new(&sizes, activation, &mut rng);
        let n_train = data.y_train.len();
        let slices = SlicedEpoch::new(n_train, data.width(), BATCH_SIZE);
        Self {
            acts: net.buffers(slices.batch_size()),
            deltas: net.buffers(slices.batch_size()),
            net,
            rng,
            max_iter: MAX_ITER,
            learning_rate: LEARNING_RATE,
            slices,
            epoch_loss: 0.0,
            train_pred: vec![0; n_train],
            test_pred: vec![0; data.y_test.len()],
            loss_curve: Vec::new(),
            stopping: Stopping::new(),
            converged: false,
            diverged: false,
            data,
        }
    }

    /// Overrides `max_iter` (the lab uses 1000): a cap for quick previews and tests.
    pub(crate) fn with_max_iter(mut self, max_iter: u32) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Overrides `learning_rate_init` (the lab uses 0.01), so a learning-rate sweep can give the
    /// baseline the same grid as the lab's optimizers. Set before the first epoch.
    pub(crate) fn with_learning_rate_init(mut self, learning_rate: f64) -> Self {
        self.learning_rate = learning_rate;
        self
    }

    /// Epochs completed: scikit-learn's `n_iter_`.
    pub(crate) fn n_iter(&self) -> u32 {
        self.loss_curve.len() as u32
    }

    /// scikit-learn's `loss_curve_`: each epoch's mean batch loss, L2 term included.
    #[cfg(test)]
    pub(crate) fn loss_curve(&self) -> &[f64] {
        &self.loss_curve
    }

    /// True once the stopping rule fired, `max_iter` epochs ran, or training diverged; further
    /// epochs would not be scikit-learn's.
    pub(crate) fn is_done(&self) -> bool {
        self.converged || self.diverged || self.n_iter() >= self.max_iter
    }

    /// Trains epoch after epoch until [`is_done`](Self::is_done), skipping the per-epoch
    /// evaluation that [`train_epoch`](Self::train_epoch) adds for display.
    #[cfg(test)]
    pub(crate) fn fit(&mut self) {
        while !self.is_done() {
            self.fit_for(Duration::MAX);
        }
    }

    /// One scikit-learn epoch, then an evaluation on both sets for display (it reads the
    /// weights only, so it cannot change the training). Once [`is_done`](Self::is_done), no
    /// further training happens and the report describes the final state again.
    ///
    /// The report's `loss` is scikit-learn's `loss_`: the mean of the epoch's batch losses, L2 term
    /// included, accumulated while the weights moved. It is not the full-training-set loss after
    /// the epoch that a [`LabTrainer`](super::LabTrainer) reports, so compare the two only loosely.
    pub(crate) fn train_epoch(&mut self) -> EpochReport {
        loop {
            if let Progress::Epoch(report) = self.train_for(Duration::MAX) {
                return report;
            }
        }
    }

    /// As [`train_epoch`](Self::train_epoch), in slices: trains batches until `budget` has
    /// passed (checked between batches) or the epoch ends, then evaluates. The same bits
    /// however an epoch is sliced, so a session can pause inside a long one.
    pub(crate) fn train_for(&mut self, budget: Duration) -> Progress {
        let stopwatch = if self.is_done() {
            None
        } else {
            match self.fit_for(budget) {
                Slice::Paused(progress) => return progress,
                Slice::Ended(stopwatch) => Some(stopwatch),
            }
        };
        let started = Instant::now();
        let data = Arc::clone(&self.data);
        let train_acc = self.accuracy_into(data.x_train.view(), &data.y_train, false);
        let test_acc = self.accuracy_into(data.x_test.view(), &data.y_test, true);
        let wall = stopwatch.map_or_else(|| started.elapsed(), |s| s.stop());
        Progress::Epoch(EpochReport {
            epoch: self.n_iter(),
            loss: if self.diverged {
                f64::NAN
            } else {
                self.loss_curve.last().copied().unwrap_or(f64::NAN)
            },
            train_acc,
            test_acc,
            wall,
            predictions: Arc::from(self.test_pred.as_slice()),
            diverged: self.diverged,
            penalty: None,
            health: None,
        })
    }

    /// Predicted digit for every row of `x` (standardised pixels, one image per row), by the
    /// first maximum of the softmax like `MLPClassifier.predict`.
    ///
    /// # Panics
    /// If `x` does not have one column per pixel (a caller bug).
    #[cfg(test)]
    pub(crate) fn predict(&self, x: ArrayView2<'_, f64>) -> Vec<u8> {
        assert_eq!(
            x.ncols(),
            self.data.width(),
            "predict: one column per pixel"
        );
        let mut out = vec![0; x.nrows()];
        let chunk = self.slices.batch_size();
        let mut acts = self.net.buffers(chunk);
        let x = x.as_standard_layout();
        classify(
            &self.net,
            x.as_slice().unwrap_or_default(),
            chunk,
            &mut acts,
            &mut out,
        );
        out
    }

    /// The weights as they stand, frozen, for views that inspect or query them.
    pub(crate) fn snapshot(&self) -> Mlp {
        self.net.clone()
    }

    /// Fraction of the test set classified correctly: `MLPClassifier.score(X_test, y_test)`.
    #[cfg(test)]
    pub(crate) fn test_accuracy(&self) -> f64 {
        let predictions = self.predict(self.data.x_test.view());
        accuracy(&predictions, &self.data.y_test)
    }

    /// Trains the epoch under way until `budget` has passed or it ends; once it ended, its
    /// loss is recorded and the stopping rule consulted.
    fn fit_for(&mut self, budget: Duration) -> Slice {
        let data = Arc::clone(&self.data);
        let rng = &mut self.rng;
        let (net, acts, deltas) = (&mut self.net, &mut self.acts, &mut self.deltas);
        let epoch_loss = &mut self.epoch_loss;
        let solver = Solver {
            learning_rate: self.learning_rate,
            momentum: MOMENTUM,
            alpha: ALPHA,
        };
        let step = |x: &[f64], y: &[u8]| {
            *epoch_loss += net.train_batch((x, y), &solver, acts, deltas) * y.len() as f64;
        };
        let slice = (self.slices).train_for(&data, budget, |order| rng.shuffle(order), step);
        if let Slice::Ended(_) = slice {
            let loss = std::mem::take(&mut self.epoch_loss) / data.y_train.len() as f64;
            self.loss_curve.push(loss);
            self.diverged = !loss.is_finite() || !self.net.is_finite();
            self.converged = self.stopping.observe(loss);
        }
        slice
    }

    /// Classifies `x` into the train or test prediction buffer and returns the accuracy.
    fn accuracy_into(&mut self, x: ArrayView2<'_, f64>, labels: &[u8], test: bool) -> f64 {
        let out = if test {
            &mut self.test_pred
        } else {
            &mut self.train_pred
        };
        let x = x.as_standard_layout();
        let chunk = self.slices.batch_size();
        classify(
            &self.net,
            x.as_slice().unwrap_or_default(),
            chunk,
            &mut self.acts,
            out,
        );
        accuracy(out, labels)
    }
}

/// Fraction of `predictions` equal to `labels`.
fn accuracy(predictions: &[u8], labels: &[u8]) -> f64 {
    let correct = predictions
        .iter()
        .zip(labels)
        .filter(|(p, y)| p == y)
        .count();
    correct as f64 / labels.len() as f64
}

/// Predicted labels for the rows of `x` (row-major, `out.len()` rows), `chunk` rows per pass,
/// by the first maximum of the probabilities as `MLPClassifier.predict` takes it.
fn classify(net: &Mlp, x: &[f64], chunk: usize, acts: &mut [Vec<f64>], out: &mut [u8]) {
    for (xs, labels) in x.chunks(chunk * net.inputs()).zip(out.chunks_mut(chunk)) {
        let probs = net.forward(xs, labels.len(), acts);
        for (label, p) in labels.iter_mut().zip(probs.chunks_exact(CLASSES)) {
            *label = argmax(p) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recipe_names_the_constants_the_fit_uses() {
        let recipe = recipe().join(", ");
        for piece in [
            format!("momentum {MOMENTUM}"),
            format!("lr {LEARNING_RATE}"),
            format!("α {ALPHA}"),
            format!("batches of {BATCH_SIZE}"),
            format!("{} epochs", N_ITER_NO_CHANGE + 1),
            format!("{TOL:e}"),
        ] {
            assert!(recipe.contains(&piece), "{piece} not in {recipe}");
        }
    }

    #[test]
    fn stopping_needs_eleven_stale_epochs_in_a_row() {
        let mut s = Stopping::new();
        // The first epoch always improves on +inf.
        assert!(!s.observe(2.0));
        // A gain smaller than tol is stale but still lowers the best loss.
        assert!(!s.observe(2.0 - 0.5e-4));
        assert_eq!(s.stale, 1);
        assert_eq!(s.best, 2.0 - 0.5e-4);
        // A real improvement resets the count.
        assert!(!s.observe(1.0));
        assert_eq!(s.stale, 0);
        for _ in 0..10 {
            assert!(!s.observe(1.5));
        }
        assert_eq!(s.stale, 10);
        assert!(s.observe(1.0));
        assert_eq!(s.stale, 11);
    }

    #[test]
    fn stale_count_resets_only_on_an_improvement_beyond_tol() {
        let mut s = Stopping::new();
        s.observe(1.0);
        for _ in 0..10 {
            s.observe(1.0);
        }
        // Beating the best by exactly tol is not "within tol" (`1 − tol > 1 − tol` is false),
        // so it counts as an improvement.
        assert!(!s.observe(1.0 - TOL));
        assert_eq!(s.stale, 0);
    }

    #[test]
    fn an_epoch_in_slices_is_the_same_epoch_to_the_bit() {
        let data = Arc::new(Dataset::lab());
        let mut whole = Baseline::new(3, Arc::clone(&data));
        let mut sliced = Baseline::new(3, data);
        for _ in 0..2 {
            let a = whole.train_epoch();
            // Batches of 200: 8 calls for 1437 rows.
            let b =
                crate::train::sliced_epoch::epoch_in_slices(|budget| sliced.train_for(budget), 8);
            assert_eq!(a.loss.to_bits(), b.loss.to_bits());
            assert_eq!((a.epoch, a.test_acc), (b.epoch, b.test_acc));
        }
        assert_eq!(whole.loss_curve(), sliced.loss_curve());
    }
}
