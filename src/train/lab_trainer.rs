//! One optimizer's training run: the lab's epoch loop (LAB.md B.3) over buffers allocated once.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::data::{CLASSES, Dataset};
use crate::nn::{Hyper, Network, OptimizerKind, Workspace, sum::pairwise_sum, team};
use crate::rng::RandomState;

use super::Settings;
use super::evaluate::Evaluator;
use super::health::{HealthProbe, LayerHealth};
use super::sliced_epoch::{Progress, Slice, SlicedEpoch};

/// What one epoch produced.
#[derive(Clone, Debug, Serialize)]
pub struct EpochReport {
    /// Epochs completed, counting from 1.
    pub epoch: u32,
    /// The lab's loss over the whole training set after the epoch (NaN once diverged).
    pub loss: f64,
    /// Fraction of training images classified correctly.
    pub train_acc: f64,
    /// Fraction of test images classified correctly.
    pub test_acc: f64,
    /// Wall time of the epoch including evaluation.
    #[serde(skip)]
    pub wall: Duration,
    /// Predicted label of every test image, in test order.
    #[serde(skip)]
    pub predictions: Arc<[u8]>,
    /// True when the loss or a weight stopped being finite: the run ends here.
    pub diverged: bool,
    /// The weight-decay term `0.5·λ·ΣW²` after the epoch, when λ > 0 (the loss stays the
    /// lab's cross-entropy without it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub penalty: Option<f64>,
    /// Each hidden layer's health this epoch, when the run watches it
    /// ([`Settings::health`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<Vec<LayerHealth>>,
}

/// A run in progress. Owns its network, its RNG stream and every buffer it trains with.
pub struct LabTrainer {
    kind: OptimizerKind,
    hyper: Hyper,
    /// λ of the weight decay; 0 skips it.
    weight_decay: f64,
    net: Network,
    rng: RandomState,
    epoch: u32,
    data: Arc<Dataset>,
    /// The epoch's order, batches and progress.
    slices: SlicedEpoch,
    train_ws: Workspace,
    eval: Evaluator,
    loss_terms: Vec<f64>,
    /// The layer-health figures of the epoch under way, when watched.
    health: Option<HealthProbe>,
}

impl LabTrainer {
    /// A fresh run: `RandomState(seed)` draws the weights (scaled as `settings.init` says),
    /// then drives the shuffles. The first layer takes one input per pixel of `data`'s images.
    pub fn new(kind: OptimizerKind, settings: &Settings, data: Arc<Dataset>) -> Self {
        let mut rng = RandomState::new(settings.seed);
        let sizes = settings.layer_sizes(data.width(), CLASSES);
        let net = Network::new(&sizes, settings.init, settings.activation, &mut rng);
        Self::resume(kind, settings, data, net, rng, 0)
    }

    /// A run that continues from an existing network and RNG stream at `epoch`.
    pub fn resume(
        kind: OptimizerKind,
        settings: &Settings,
        data: Arc<Dataset>,
        net: Network,
        rng: RandomState,
        epoch: u32,
    ) -> Self {
        let sizes = net.sizes();
        let n_train = data.y_train.len();
        let slices = SlicedEpoch::new(n_train, sizes[0], settings.batch_size);
        Self {
            kind,
            hyper: settings.hyper,
            weight_decay: settings.weight_decay,
            rng,
            epoch,
            train_ws: Workspace::new(&sizes, slices.batch_size()),
            eval: Evaluator::new(&sizes),
            loss_terms: vec![0.0; n_train * CLASSES],
            slices,
            health: settings.health.then(|| HealthProbe::new(&net)),
            net,
            data,
        }
    }

    /// The lab's chain protocol: `kind` continues from this run's weights, optimizer state
    /// (the lab kept one set of state arrays per layer for every optimizer) and random stream,
    /// counting its own epochs from 0 as the lab's loop did (so Adam's correction restarts).
    pub fn continue_as(&self, kind: OptimizerKind, settings: &Settings) -> Self {
        Self::resume(
            kind,
            settings,
            Arc::clone(&self.data),
            self.net.clone(),
            self.rng.clone(),
            0,
        )
    }

    /// The optimizer this run uses.
    pub fn kind(&self) -> OptimizerKind {
        self.kind
    }

    /// Epochs completed.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// The network as trained so far.
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// The run's hyperparameters.
    pub fn hyper(&self) -> &Hyper {
        &self.hyper
    }

    /// Changes the learning rate from the next batch on, keeping all state.
    pub fn set_learning_rate(&mut self, lr: f64) {
        self.hyper.lr = lr;
    }

    /// Trains one epoch and reports it.
    pub fn train_epoch(&mut self) -> EpochReport {
        loop {
            if let Progress::Epoch(report) = self.train_for(Duration::MAX) {
                return report;
            }
        }
    }

    /// Trains batches of the current epoch until `budget` has passed (checked between batches)
    /// or the epoch ends, then evaluates it. Long epochs (60 000 images) thus come in slices
    /// that a session can pause between; the arithmetic, and so every bit of the result, is
    /// the same however the epoch is sliced.
    pub fn train_for(&mut self, budget: Duration) -> Progress {
        let data = Arc::clone(&self.data);
        let (kind, hyper, iter) = (self.kind, &self.hyper, self.epoch + 1);
        let decay = self.weight_decay;
        let (net, ws, health) = (&mut self.net, &mut self.train_ws, &mut self.health);
        let rng = &mut self.rng;
        // A fresh identity order each epoch, shuffled: the lab's `hstack` +
        // `np.random.shuffle`.
        let shuffle = |order: &mut [usize]| {
            for (i, slot) in order.iter_mut().enumerate() {
                *slot = i;
            }
            rng.shuffle(order);
        };
        let step = |x: &[f64], y: &[u8]| {
            net.backward(x, y, ws);
            if decay > 0.0 {
                net.decay_gradients(decay, ws);
            }
            if let Some(probe) = health.as_mut() {
                probe.before_update(net, ws);
            }
            net.update(kind, hyper, iter, ws);
            if let Some(probe) = health.as_mut() {
                probe.after_update(net);
            }
        };
        let stopwatch = match self.slices.train_for(&data, budget, shuffle, step) {
            Slice::Paused(progress) => return progress,
            Slice::Ended(stopwatch) => stopwatch,
        };
        self.epoch += 1;
        let mut report = self.evaluate();
        report.wall = stopwatch.stop();
        Progress::Epoch(report)
    }

    /// Loss and accuracy over the training set, accuracy and predictions on the test set.
    fn evaluate(&mut self) -> EpochReport {
        let data = Arc::clone(&self.data);
        let x_train = data.x_train.as_slice().expect("standard layout");
        let terms = (&mut self.loss_terms[..], CLASSES);
        let no_tallies = &mut vec![(); team::slots()][..];
        let train_correct = (self.eval).chunks(
            &self.net,
            x_train,
            &data.y_train,
            terms,
            no_tallies,
            |out, _, labels, terms, ()| {
                let rows = out
                    .chunks_exact(CLASSES)
                    .zip(labels)
                    .zip(terms.chunks_exact_mut(CLASSES));
                rows.map(|((probs, &label), terms)| {
                    cross_entropy_terms(probs, label, terms);
                    usize::from(argmax(probs) == usize::from(label))
                })
                .sum()
            },
        );
        let n_train = data.y_train.len();
        let loss = -pairwise_sum(&self.loss_terms) / n_train as f64;

        let x_test = data.x_test.as_slice().expect("standard layout");
        let mut predictions = vec![0u8; data.y_test.len()];
        let predicted = (&mut predictions[..], 1);
        let predict = |out: &[f64], predicted: &mut [u8]| {
            for (p, probs) in predicted.iter_mut().zip(out.chunks_exact(CLASSES)) {
                *p = argmax(probs) as u8;
            }
            0
        };
        let (net, eval, y_test) = (&self.net, &mut self.eval, &data.y_test);
        match &mut self.health {
            // The probe counts the hidden layers' activations as each chunk computes them.
            Some(probe) => eval.chunks(
                net,
                x_test,
                y_test,
                predicted,
                probe.test_counts(team::slots()),
                |out, ws, labels, predicted, counts| {
                    counts.observe(labels.len(), |l| ws.activations(l));
                    predict(out, predicted)
                },
            ),
            None => eval.chunks(
                net,
                x_test,
                y_test,
                predicted,
                no_tallies,
                |out, _, _, predicted, ()| predict(out, predicted),
            ),
        };
        let test_correct = predictions
            .iter()
            .zip(&data.y_test)
            .filter(|(p, y)| p == y)
            .count();
        let diverged = !loss.is_finite() || !self.net.is_finite();
        let penalty = (self.weight_decay > 0.0).then(|| {
            // Once per epoch, and only with weight decay: not worth a buffer kept for it.
            let mut squares = vec![0.0; self.net.largest_layer()];
            self.net.penalty(self.weight_decay, &mut squares)
        });
        EpochReport {
            epoch: self.epoch,
            loss: if diverged { f64::NAN } else { loss },
            train_acc: train_correct as f64 / n_train as f64,
            test_acc: test_correct as f64 / data.y_test.len() as f64,
            wall: Duration::ZERO,
            predictions: predictions.into(),
            diverged,
            penalty,
            health: self.health.as_mut().map(HealthProbe::take),
        }
    }
}

/// The lab's `Y ⊙ log(a)` for one one-hot row, without `0·log 0 = NaN`: non-label terms are the
/// signed zeros numpy produces for `0·log a`, whatever `a` is. A label probability that
/// underflowed to 0 gives `-inf`, as in the lab: an infinite loss, which marks divergence.
fn cross_entropy_terms(probs: &[f64], label: u8, terms: &mut [f64]) {
    for (c, (t, &p)) in terms.iter_mut().zip(probs).enumerate() {
        *t = if c == usize::from(label) {
            p.ln()
        } else if p == 1.0 {
            0.0
        } else {
            -0.0
        };
    }
}

/// Index of the first maximum, as `np.argmax`.
pub(crate) fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate().skip(1) {
        if v > values[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::{Activation, Init};

    #[test]
    fn argmax_takes_the_first_maximum() {
        assert_eq!(argmax(&[0.1, 0.7, 0.7, 0.2]), 1);
        assert_eq!(argmax(&[3.0]), 0);
    }

    #[test]
    fn cross_entropy_never_produces_nan_and_underflow_is_infinite() {
        let mut terms = [1.0; 3];
        cross_entropy_terms(&[0.0, 1.0, 0.0], 0, &mut terms);
        assert!(terms.iter().all(|t| !t.is_nan()));
        assert_eq!(terms[1], 0.0);
        assert_eq!(terms[0], f64::NEG_INFINITY);
        assert_eq!(terms[2].to_bits(), (-0.0f64).to_bits());
    }

    /// Watching the layers' health reads the gradients, weights and activations and writes
    /// nothing training uses: every loss and weight is the same to the bit.
    #[test]
    fn watching_health_changes_no_bit_of_training() {
        let data = Arc::new(Dataset::lab());
        for activation in Activation::ALL {
            let settings = Settings {
                init: Init::He,
                activation,
                weight_decay: 0.01,
                ..Settings::default()
            };
            let watched = Settings {
                health: true,
                ..settings.clone()
            };
            let mut plain = LabTrainer::new(OptimizerKind::Adam, &settings, Arc::clone(&data));
            let mut probed = LabTrainer::new(OptimizerKind::Adam, &watched, Arc::clone(&data));
            for _ in 0..2 {
                let (a, b) = (plain.train_epoch(), probed.train_epoch());
                assert_eq!(a.loss.to_bits(), b.loss.to_bits());
                assert_eq!(a.predictions, b.predictions);
                assert!(a.health.is_none());
                assert_eq!(b.health.map(|h| h.len()), Some(2), "one per hidden layer");
            }
            assert_eq!(weight_bits(&plain), weight_bits(&probed), "{activation:?}");
        }
    }

    fn weight_bits(r: &LabTrainer) -> Vec<u64> {
        (r.network().layers().iter())
            .flat_map(|l| l.stored().iter().chain(&l.b).map(|w| w.to_bits()))
            .collect()
    }

    #[test]
    fn an_epoch_in_slices_is_the_same_epoch_to_the_bit() {
        let data = Arc::new(Dataset::lab());
        let settings = Settings::default();
        let mut whole = LabTrainer::new(OptimizerKind::Adam, &settings, Arc::clone(&data));
        let mut sliced = LabTrainer::new(OptimizerKind::Adam, &settings, data);
        for _ in 0..2 {
            let a = whole.train_epoch();
            // 23 calls for 1437 rows in batches of 64.
            let b =
                crate::train::sliced_epoch::epoch_in_slices(|budget| sliced.train_for(budget), 23);
            assert_eq!(a.loss.to_bits(), b.loss.to_bits());
            assert_eq!((a.epoch, a.test_acc), (b.epoch, b.test_acc));
        }
        assert_eq!(weight_bits(&whole), weight_bits(&sliced));
    }
}
