//! The knobs against numpy: `--init`, `--activation` and `--weight-decay` in every combination,
//! with each optimizer, over 3 epochs, against the lab's loop with the three changes
//! written straight in numpy (`bench/knobs_numpy.py`, which wrote `tests/data/knobs.json`).
//!
//! Each case was trained by the script in the reference arithmetic (sequential FMA products,
//! glibc exp/log/tanh, emulated exactly) and with numpy's own: against the first, every
//! epoch's loss (and penalty) within 1e-9 relative and identical accuracies; against the
//! second, the first epoch the same way (later epochs of the chaotic lab-weight tanh and relu
//! networks amplify numpy's last-bit differences past 1e-9). A run the script saw diverge
//! diverges here at the same epoch.

use std::sync::Arc;

use crate::nn::{Activation, Init, OptimizerKind};
use crate::train::{Contender, LabTrainer, Settings};
use serde_json::Value;

use super::fixtures as common;
use common::lab_data;

fn fixtures() -> Value {
    serde_json::from_str(include_str!("../../tests/data/knobs.json")).expect("knobs.json parses")
}

/// The one of `all` that the fixture names.
fn named<T: Copy>(v: &Value, all: &[T], name: fn(T) -> &'static str) -> T {
    let text = v.as_str().expect("a name");
    (all.iter().copied())
        .find(|&t| name(t) == text)
        .expect("a known name")
}

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-9 * want.abs()
}

#[test]
fn every_combination_trains_as_the_reference_arithmetic_does() {
    check("reference", 3);
}

#[test]
fn every_combination_trains_as_numpy_itself_does_in_the_first_epoch() {
    check("numpy", 1);
}

/// Trains every case for `epochs` epochs and compares with the script's `arithmetic` trace.
fn check(arithmetic: &str, epochs: usize) {
    let data = lab_data();
    let cases = fixtures()["cases"].as_array().expect("cases").clone();
    assert_eq!(
        cases.len(),
        3 * 3 * 2 * 5,
        "init × activation × decay × optimizer"
    );
    let mut failures = Vec::new();
    for case in &cases {
        let kind = named(&case["optimizer"], &OptimizerKind::ALL, OptimizerKind::name);
        let settings = Settings {
            epochs: 3,
            init: named(&case["init"], &Init::ALL, Init::name),
            activation: named(&case["activation"], &Activation::ALL, Activation::name),
            weight_decay: case["weight_decay"].as_f64().expect("λ"),
            optimizers: vec![Contender::from(kind)],
            ..Settings::default()
        };
        let what = format!(
            "{} {} λ={} {}",
            settings.init.name(),
            settings.activation.name(),
            settings.weight_decay,
            kind.name()
        );
        let mut run = LabTrainer::new(kind, &settings, Arc::clone(&data));
        let trace = case[arithmetic].as_array().expect("a trace");
        for (e, want) in trace.iter().take(epochs).enumerate() {
            let got = run.train_epoch();
            if want["diverged"].as_bool() == Some(true) {
                if !got.diverged {
                    failures.push(format!("{what} epoch {}: numpy diverged", e + 1));
                }
                break;
            }
            let loss = want["loss"].as_f64().expect("loss");
            let test_acc = want["test_accuracy"].as_f64().expect("test accuracy");
            let train_acc = want["train_accuracy"].as_f64().expect("train accuracy");
            let penalty = want["penalty"].as_f64();
            let penalty_ok = match (got.penalty, penalty) {
                (Some(g), Some(w)) => close(g, w),
                (None, None) => true,
                _ => false,
            };
            if got.diverged
                || !close(got.loss, loss)
                || got.test_acc != test_acc
                || got.train_acc != train_acc
                || !penalty_ok
            {
                failures.push(format!(
                    "{what} epoch {}: loss {} vs {loss}, test {} vs {test_acc}, train {} vs \
                     {train_acc}, penalty {:?} vs {penalty:?}",
                    e + 1,
                    got.loss,
                    got.test_acc,
                    got.train_acc,
                    got.penalty
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
