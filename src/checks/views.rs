//! The dashboard's views agree with the engine: a drawn digit is read exactly as the test set
//! is, and the live learning-rate change lands at the epoch the session reports.

use std::sync::Arc;

use crate::data::Dataset;
use crate::engine::{Command, Event, Session, Speed};
use crate::model::SessionModel;
use crate::nn::OptimizerKind;
use crate::train::{Contender, LabTrainer, Settings, Snapshot, Trainer, argmax};
use crate::ui::canvas::read_canvas;

#[test]
fn a_drawn_digit_gets_the_engines_prediction() {
    let data = Arc::new(Dataset::lab());
    let settings = Settings::default();
    let mut run = LabTrainer::new(OptimizerKind::Adam, &settings, Arc::clone(&data));
    let mut report = run.train_epoch();
    for _ in 0..2 {
        report = run.train_epoch();
    }
    let lab = Snapshot::Lab(run.network().clone());
    let mut baseline = Trainer::new(Contender::Mlp, &settings, Arc::clone(&data));
    let baseline_report = baseline.train_epoch();
    let sklearn = baseline.snapshot();
    for i in 0..data.y_test.len() {
        let pixels: Vec<f64> = data
            .test_pixels
            .row(i)
            .iter()
            .map(|&p| f64::from(p))
            .collect();
        // The canvas is standardised exactly like the test set.
        let scaled = data.scaler.transform_row(&pixels);
        let row: Vec<f64> = data.x_test.row(i).to_vec();
        assert!(
            scaled
                .iter()
                .zip(&row)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
        let drawn = argmax(&read_canvas(&data, &pixels, &lab)) as u8;
        assert_eq!(drawn, report.predictions[i], "lab, test image {i}");
        let drawn = argmax(&read_canvas(&data, &pixels, &sklearn)) as u8;
        assert_eq!(
            drawn, baseline_report.predictions[i],
            "baseline, test image {i}"
        );
    }
}

#[test]
fn a_live_learning_rate_change_is_reported_at_its_epoch() {
    let data = Arc::new(Dataset::lab());
    let settings = Settings {
        epochs: 6,
        optimizers: vec![Contender::Sgd],
        ..Settings::default()
    };
    let mut recorder = SessionModel::new(settings.clone(), "embedded");
    let session = Session::start(settings, data, true, Speed::Unlimited);
    session.send(Command::Step);
    session.send(Command::Step);
    let mut epochs = 0;
    let mut changes = Vec::new();
    for event in session.events() {
        recorder.observe(&event);
        if let Event::Epoch { report, .. } = &event {
            epochs = report.epoch;
            if epochs == 2 {
                session.send(Command::SetLearningRate { slot: 0, lr: 0.02 });
                session.send(Command::Resume);
            }
        }
        match event {
            Event::LearningRate {
                slot, epoch, lr, ..
            } => changes.push((slot, epoch, lr)),
            Event::Finished { .. } => break,
            _ => {}
        }
    }
    assert_eq!(epochs, 6);
    assert_eq!(changes, [(0, 2, 0.02)]);
    // The export records it at the same epoch: epochs 1–2 at 0.01, 3–6 at 0.02.
    let run = &recorder.runs()[0];
    assert_eq!(run.learning_rate_at(2, 0.01), 0.01);
    assert_eq!(run.learning_rate_at(3, 0.01), 0.02);
    assert_eq!(run.epochs.len(), 6);
}
