//! The lab's chain protocol: each optimizer continues from the previous one's weights,
//! optimizer state and random stream, and so starts far below where a fresh run would.

use std::collections::HashMap;
use std::sync::Arc;

use crate::data::Dataset;
use crate::engine::{Event, Session, Speed};
use crate::nn::OptimizerKind;
use crate::train::{Contender, LabTrainer, Protocol, Settings};

fn lab_stages() -> Vec<Contender> {
    OptimizerKind::ALL
        .iter()
        .map(|&k| Contender::from(k))
        .collect()
}

/// Trains a chain session to the end; every lab stage's per-epoch losses in order.
fn chain_losses(settings: Settings) -> HashMap<Contender, Vec<f64>> {
    let kinds = settings.optimizers.clone();
    let session = Session::start(settings, Arc::new(Dataset::lab()), false, Speed::Unlimited);
    let mut losses: HashMap<Contender, Vec<f64>> = HashMap::new();
    for event in session.events() {
        match event {
            Event::Epoch { slot, report, .. } => {
                losses.entry(kinds[slot]).or_default().push(report.loss);
            }
            Event::Finished { .. } => break,
            Event::Failed { message } => panic!("{message}"),
            _ => {}
        }
    }
    losses
}

#[test]
fn a_stage_starts_from_the_previous_stages_weights_and_state() {
    let data = Arc::new(Dataset::lab());
    let settings = Settings::default();
    let mut momentum = LabTrainer::new(OptimizerKind::Momentum, &settings, Arc::clone(&data));
    for _ in 0..2 {
        momentum.train_epoch();
    }
    let next = momentum.continue_as(OptimizerKind::Adagrad, &settings);
    assert_eq!(next.epoch(), 0);
    for (a, b) in momentum
        .network()
        .layers()
        .iter()
        .zip(next.network().layers())
    {
        assert_eq!(a.by_input(), b.by_input());
        assert_eq!(a.b, b.b);
        assert_eq!(
            a.w_state.d, b.w_state.d,
            "momentum's velocity is carried over"
        );
    }

    // The session's chain is exactly that: stage 2 of a 3-epoch chain equals continuing by
    // hand, bit for bit.
    let settings = Settings {
        epochs: 3,
        optimizers: vec![Contender::Sgd, Contender::Momentum],
        protocol: Protocol::Chain,
        ..Settings::default()
    };
    let mut first = LabTrainer::new(OptimizerKind::Sgd, &settings, Arc::clone(&data));
    for _ in 0..3 {
        first.train_epoch();
    }
    let mut second = first.continue_as(OptimizerKind::Momentum, &settings);
    let by_hand: Vec<u64> = (0..3)
        .map(|_| second.train_epoch().loss.to_bits())
        .collect();
    let session = chain_losses(settings);
    let chained: Vec<u64> = session[&Contender::Momentum]
        .iter()
        .map(|l| l.to_bits())
        .collect();
    assert_eq!(chained, by_hand);
}

#[test]
fn each_stage_is_below_where_the_previous_one_ended_after_100_epochs() {
    // The lab printed its losses every 100 epochs; with 300 epochs a stage, every stage's
    // loss at epoch 100 is already below the previous stage's last loss: the head start the
    // lab's ranking hides.
    let losses = chain_losses(Settings {
        epochs: 300,
        optimizers: lab_stages(),
        protocol: Protocol::Chain,
        ..Settings::default()
    });
    for pair in lab_stages().windows(2) {
        let (before, after) = (&losses[&pair[0]], &losses[&pair[1]]);
        assert_eq!(after.len(), 300);
        let ended = before[before.len() - 1];
        assert!(
            after[99] < ended,
            "{:?} at 100: {} ≥ {ended}",
            pair[1],
            after[99]
        );
    }
}
