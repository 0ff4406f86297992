//! The lab's loop at 28×28: a small MNIST-format fixture (`tests/data/idx-small`, 300 train and
//! 100 test images from `bench/make_idx.py --train 300 --test 100 --seed 1 --gzip`) and its
//! 3-epoch traces from `bench/numpy_lab.py --trace` (`tests/data/idx-small-trace.json`).
//!
//! As in `golden.rs`: bit for bit against the reference arithmetic (sequential FMA products,
//! glibc exp/log; the script emulates it exactly and reproduces the 8×8 reference traces of
//! vectors.json), and within 1e-12 of numpy's own arithmetic.

use std::path::Path;
use std::sync::Arc;

use crate::data::{self, Dataset};
use crate::nn::OptimizerKind;
use crate::train::{Contender, LabTrainer, Settings, Trainer};
use serde_json::Value;

use super::fixtures as common;
use common::{assert_bits, assert_epoch_samples, floats};

fn fixture() -> Arc<Dataset> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/idx-small");
    Arc::new(data::load(Some(&dir), None).expect("the fixture loads"))
}

fn trace() -> Value {
    serde_json::from_str(include_str!("../../tests/data/idx-small-trace.json"))
        .expect("trace parses")
}

fn number(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

/// The script's checksums, in its order: a plain and a position-weighted sequential sum.
fn checksums(w: &[f64]) -> (f64, f64) {
    let (mut total, mut weighted) = (0.0, 0.0);
    for (i, &x) in w.iter().enumerate() {
        total += x;
        weighted += (i + 1) as f64 * x;
    }
    (total, weighted)
}

#[test]
fn the_fixture_loads_and_standardises_like_numpy() {
    let (data, t) = (fixture(), trace());
    assert_eq!((data.side, data.width(), data.max_pixel), (28, 784, 255));
    assert_eq!(data.y_train.len() as u64, t["n_train"].as_u64().unwrap());
    assert_eq!(data.y_test.len() as u64, t["n_test"].as_u64().unwrap());
    assert_bits(&data.scaler.mean, &floats(&t["scaler_mean"]), "mean");
    assert_bits(&data.scaler.scale, &floats(&t["scaler_scale"]), "scale");
}

#[test]
fn three_epoch_traces_at_28x28_for_every_optimizer() {
    let (data, t) = (fixture(), trace());
    let settings = Settings {
        epochs: 3,
        ..Settings::default()
    };
    for kind in OptimizerKind::ALL {
        let results = &t["results"][kind.name()];
        let mut run = LabTrainer::new(kind, &settings, Arc::clone(&data));
        assert_eq!(run.network().sizes(), vec![784, 80, 70, 10]);
        for e in 0..3 {
            let report = run.train_epoch();
            let (reference, numpy) = (&results["reference"][e], &results["numpy"][e]);
            let what = format!("{} epoch {}", kind.name(), e + 1);
            let want = number(&reference["loss"]);
            assert_eq!(
                report.loss.to_bits(),
                want.to_bits(),
                "{what} loss {} vs {want}",
                report.loss
            );
            assert_eq!(
                report.train_acc,
                number(&reference["train_accuracy"]),
                "{what}"
            );
            assert_eq!(
                report.test_acc,
                number(&reference["test_accuracy"]),
                "{what}"
            );
            assert!(
                (report.loss - number(&numpy["loss"])).abs() <= 1e-12,
                "{what} vs numpy"
            );
            assert_eq!(report.test_acc, number(&numpy["test_accuracy"]), "{what}");
            assert_epoch_samples(run.network().layers(), reference, &what);
        }
        let fin = &results["reference_final_params"];
        let layers = run.network().layers();
        let name = kind.name();
        let w1: Vec<f64> = layers[0].by_unit().collect();
        assert_bits(
            &w1[..784],
            &floats(&fin["W1_row0"]),
            &format!("{name} W1 row 0"),
        );
        assert_bits(
            &w1[w1.len() - 784..],
            &floats(&fin["W1_last_row"]),
            &format!("{name} W1 last row"),
        );
        let (sum, weighted) = checksums(&w1);
        assert_bits(
            &[sum, weighted],
            &[number(&fin["W1_sum"]), number(&fin["W1_weighted_sum"])],
            &format!("{name} W1 checksums"),
        );
        for (l, (w, b)) in [(1, ("W2", "b2")), (2, ("W3", "b3"))] {
            assert_bits(
                &layers[l].by_unit().collect::<Vec<_>>(),
                &floats(&fin[w]),
                &format!("{name} {w}"),
            );
            assert_bits(&layers[l].b, &floats(&fin[b]), &format!("{name} {b}"));
        }
        assert_bits(&layers[0].b, &floats(&fin["b1"]), &format!("{name} b1"));
    }
}

#[test]
fn the_baseline_trains_on_28x28_images() {
    let data = fixture();
    let mut baseline = Trainer::new(Contender::Mlp, &Settings::default(), Arc::clone(&data));
    let report = baseline.train_epoch();
    assert!(report.loss.is_finite());
    assert_eq!(report.predictions.len(), data.y_test.len());
    assert_eq!(baseline.snapshot().first_layer().inputs, 784);
}
