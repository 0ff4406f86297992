//! Golden values from the lab's own numpy code (`tests/data/vectors.json`, LAB.md).

use super::fixtures as common;

use crate::data::{Digits, SPLIT_SEED, Scaler, TEST_FRACTION, train_test_split};
use crate::nn::lines::Lines;
use crate::nn::simd::Path;
use crate::nn::{Hyper, Moments, OptimizerKind, optimizer};
use crate::rng::RandomState;
use crate::train::{LabTrainer, Settings};
use common::{assert_bits, assert_epoch_samples, floats, lab_data, on_every_path, vectors};
use serde_json::Value;

fn ints(v: &Value) -> Vec<u64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_u64().expect("an unsigned integer"))
        .collect()
}

#[test]
fn raw_mt19937_streams() {
    let rng = &vectors()["rng"];
    for (seed, key) in [
        (1, "seed1_first10_uint32"),
        (5489, "seed5489_first5_uint32"),
        (0, "seed0_first10_uint32"),
        (101, "seed101_first10_uint32"),
    ] {
        let want = ints(&rng[key]);
        let mut rs = RandomState::new(seed);
        let got: Vec<u64> = want.iter().map(|_| u64::from(rs.next_u32())).collect();
        assert_eq!(got, want, "{key}");
    }
}

#[test]
fn doubles_uniform_and_randn() {
    let rng = &vectors()["rng"];
    let mut rs = RandomState::new(0);
    let got: Vec<f64> = (0..5).map(|_| rs.next_f64()).collect();
    assert_bits(&got, &floats(&rng["seed0_random_sample5"]), "random_sample");

    let mut rs = RandomState::new(101);
    let mut got = vec![0.0; 20];
    rs.fill_randn(&mut got);
    assert_bits(&got, &floats(&rng["seed101_randn20"]), "randn20");

    let b = 0.117_851_130_197_757_92;
    let mut rs = RandomState::new(0);
    let got: Vec<f64> = (0..5).map(|_| rs.uniform(-b, b)).collect();
    assert_bits(
        &got,
        &floats(&rng["seed0_uniform(-b,b,5)_b=0.11785113019775792"]),
        "uniform",
    );
}

#[test]
fn randn_cache_survives_between_calls() {
    let seq = &vectors()["rng"]["seed3_randn_cache_sequence"]["values"];
    let mut rs = RandomState::new(3);
    for (call, n) in [
        ("randn(3)", 3),
        ("randn(2,2)", 4),
        ("randn(1)", 1),
        ("randn()", 1),
    ] {
        let mut got = vec![0.0; n];
        rs.fill_randn(&mut got);
        assert_bits(&got, &floats(&seq[call]), call);
    }
}

#[test]
fn randint_ranges() {
    // Each call starts from a fresh `RandomState(0)`.
    let r = &vectors()["rng"]["seed0_randint"];
    let draw = |low: i64, high: i64, n: usize| -> Vec<i64> {
        let mut rs = RandomState::new(0);
        (0..n).map(|_| rs.randint(low, high)).collect()
    };
    let calls: [(&str, i64, i64, usize); 6] = [
        ("randint(10,size=10)", 0, 10, 10),
        ("randint(0,1797,size=5)", 0, 1797, 5),
        ("randint(5,17,size=5)", 5, 17, 5),
        ("randint(-7,7,size=5)", -7, 7, 5),
        ("randint(0,2**33+5,size=3)", 0, (1 << 33) + 5, 3),
        ("randint(1,2,size=3)", 1, 2, 3),
    ];
    for (key, low, high, n) in calls {
        let want: Vec<i64> = r[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        assert_eq!(draw(low, high, n), want, "{key}");
    }
}

#[test]
fn permutations() {
    let p = &vectors()["rng"]["permutations"];
    for (seed, n, key) in [
        (101, 1797, "seed101_permutation(1797)"),
        (0, 10, "seed0_permutation(10)"),
        (42, 20, "seed42_permutation(20)"),
        (1, 10, "seed1_permutation(10)"),
        (7, 1437, "seed7_permutation(1437)"),
    ] {
        let got: Vec<u64> = RandomState::new(seed)
            .permutation(n)
            .into_iter()
            .map(|i| i as u64)
            .collect();
        assert_eq!(got, ints(&p[key]), "{key}");
    }
}

#[test]
fn pow_table_matches_libm_pow() {
    for row in vectors()["rng"]["pow_table"].as_array().unwrap() {
        let t = row["t"].as_f64().unwrap();
        for base in ["0.9", "0.99"] {
            let b: f64 = base.parse().unwrap();
            let want = row[format!("1-pow({base},t)")].as_f64().unwrap();
            assert_eq!((1.0 - b.powf(t)).to_bits(), want.to_bits(), "1-{base}^{t}");
        }
    }
}

#[test]
fn split_and_first_sample() {
    let s = &vectors()["digits_split"];
    let digits = Digits::embedded();
    assert_eq!(digits.len() as u64, s["n_samples"].as_u64().unwrap());
    let split = train_test_split(digits.len(), TEST_FRACTION, SPLIT_SEED);
    let as_u64 = |v: &[usize]| v.iter().map(|&i| i as u64).collect::<Vec<_>>();
    assert_eq!(as_u64(&split.train), ints(&s["train_idx"]));
    assert_eq!(as_u64(&split.test), ints(&s["test_idx"]));
    let first = split.train[0];
    assert_eq!(
        first as u64,
        s["first_train_sample_index"].as_u64().unwrap()
    );
    let pixels: Vec<u64> = digits.pixels.row(first).iter().map(|&p| p as u64).collect();
    assert_eq!(pixels, ints(&s["first_train_sample_pixels"]));
    let data = lab_data();
    let labels = |v: &[u8]| v.iter().map(|&l| u64::from(l)).collect::<Vec<_>>();
    assert_eq!(labels(&data.y_train), ints(&s["y_train"]));
    assert_eq!(labels(&data.y_test), ints(&s["y_test"]));
}

#[test]
fn scaler_statistics_and_scaled_rows() {
    let v = &vectors()["scaler"];
    let data = lab_data();
    assert_bits(&data.scaler.mean, &floats(&v["mean_"]), "mean_");
    assert_bits(&data.scaler.var, &floats(&v["var_"]), "var_");
    assert_bits(&data.scaler.scale, &floats(&v["scale_"]), "scale_");
    assert_bits(
        &data.x_train.row(0).to_vec(),
        &floats(&v["first_train_row_scaled"]),
        "train[0]",
    );
    let last = data.x_train.nrows() - 1;
    assert_bits(
        &data.x_train.row(last).to_vec(),
        &floats(&v["last_train_row_scaled"]),
        "train[-1]",
    );
    assert_bits(
        &data.x_test.row(0).to_vec(),
        &floats(&v["first_test_row_scaled"]),
        "test[0]",
    );
    let constant: Vec<u64> = (0..64u64)
        .filter(|&j| data.scaler.var[j as usize] == 0.0)
        .collect();
    assert_eq!(constant, ints(&v["constant_columns"]));
    let refit = Scaler::fit(&data.test_pixels);
    assert_eq!(refit.mean.len(), 64);
}

#[test]
fn minibatch_check() {
    let v = &vectors()["minibatch_check"];
    let mut rows: Vec<[i64; 3]> = (0..10).map(|i| [2 * i, 2 * i + 1, -(10 + i)]).collect();
    RandomState::new(1).shuffle(&mut rows);
    let want: Vec<Vec<i64>> = v["shuffled_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_i64().unwrap())
                .collect()
        })
        .collect();
    let got: Vec<Vec<i64>> = rows.iter().map(|r| r.to_vec()).collect();
    assert_eq!(got, want);
    let batches: Vec<Vec<i64>> = rows
        .chunks(4)
        .map(|b| b.iter().map(|r| r[2]).collect())
        .collect();
    let want_y: Vec<Vec<i64>> = v["y_batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            b.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_i64().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(batches, want_y);
}

#[test]
fn optimizer_check_all_cases() {
    on_every_path("optimizer check", optimizer_check);
}

fn optimizer_check(path: Path) {
    let cases = vectors()["optimizer_check"]["cases"].as_array().unwrap();
    assert!(cases.len() >= 4);
    for case in cases {
        let seed = case["seed"].as_u64().unwrap();
        assert_eq!(case["rmsprop_coef"], "1-0.9", "seed {seed}");
        let input = &case["inputs"];
        let mut w = floats(&input["wegt"]);
        let mut b = floats(&input["bias"]);
        let state = |d: &str, m: &str, v: &str| Moments {
            d: Lines::from_slice(&floats(&input[d])),
            m: Lines::from_slice(&floats(&input[m])),
            v: Lines::from_slice(&floats(&input[v])),
        };
        let mut ws = state("W_dt", "W_mt", "W_vt");
        let mut bs = state("B_dt", "B_mt", "B_vt");
        let (wg, bg) = (floats(&input["W_grad"]), floats(&input["B_grad"]));
        let hyper = Hyper {
            lr: case["learning_rate"].as_f64().unwrap(),
            ..Hyper::default()
        };
        let iter = case["iter"].as_u64().unwrap() as u32;
        for step in case["steps"].as_array().unwrap() {
            let kind: OptimizerKind = serde_json::from_value(step["optimizer"].clone()).unwrap();
            optimizer::apply(kind, &hyper, iter, &mut w, &wg, &mut ws);
            optimizer::apply(kind, &hyper, iter, &mut b, &bg, &mut bs);
            let st = &step["state"];
            let what = format!("{path}: seed {seed} {}", kind.name());
            assert_bits(&w, &floats(&st["wegt"]), &format!("{what} wegt"));
            assert_bits(&b, &floats(&st["bias"]), &format!("{what} bias"));
            assert_bits(&ws.d, &floats(&st["W_dt"]), &format!("{what} W_dt"));
            assert_bits(&ws.m, &floats(&st["W_mt"]), &format!("{what} W_mt"));
            assert_bits(&ws.v, &floats(&st["W_vt"]), &format!("{what} W_vt"));
            assert_bits(&bs.v, &floats(&st["B_vt"]), &format!("{what} B_vt"));
            let printed = floats(&step["first_row_plus_bias"]);
            assert_bits(
                &[w[0], w[1], w[2], b[0]],
                &printed,
                &format!("{what} printed row"),
            );
        }
    }
}

#[test]
fn initial_weights_follow_randn_in_layer_order() {
    let v = &vectors()["training_trace"]["initial_weights"];
    let settings = Settings::default();
    let run = LabTrainer::new(OptimizerKind::Sgd, &settings, lab_data());
    for (layer, name) in run.network().layers().iter().zip(["W1", "W2", "W3"]) {
        let w: Vec<f64> = layer.by_unit().collect();
        assert_bits(&w[..5], &floats(&v[name]["first5"]), name);
        assert_eq!(
            w[w.len() - 1],
            v[name]["last"].as_f64().unwrap(),
            "{name} last"
        );
        let sum = crate::nn::sum::pairwise_sum(&w);
        assert_eq!(sum, v[name]["sum_pairwise"].as_f64().unwrap(), "{name} sum");
    }
}

/// The 3-epoch traces: bit for bit against the reference arithmetic, and within 1e-12 of
/// numpy itself on both of its code paths.
#[test]
fn three_epoch_traces_for_every_optimizer() {
    on_every_path("three-epoch traces", three_epoch_traces);
}

fn three_epoch_traces(path: Path) {
    let trace = &vectors()["training_trace"];
    let settings = Settings {
        epochs: 3,
        ..Settings::default()
    };
    for kind in OptimizerKind::ALL {
        let results = &trace["results"][kind.name()];
        let mut run = LabTrainer::new(kind, &settings, lab_data());
        for e in 0..3 {
            let report = run.train_epoch();
            let reference = &results["reference"][e];
            let what = format!("{path}: {} epoch {}", kind.name(), e + 1);
            assert_eq!(
                report.loss.to_bits(),
                reference["loss"].as_f64().unwrap().to_bits(),
                "{what} loss {} vs {}",
                report.loss,
                reference["loss"]
            );
            assert_eq!(
                report.test_acc,
                reference["test_accuracy"].as_f64().unwrap(),
                "{what}"
            );
            for native in ["numpy_native", "numpy_avx2"] {
                let loss = results[native][e]["loss"].as_f64().unwrap();
                assert!((report.loss - loss).abs() < 1e-12, "{what} vs {native}");
            }
            assert_epoch_samples(run.network().layers(), reference, &what);
        }
        let fin = &results["reference_final_params"];
        let layers = run.network().layers();
        for (l, (w, b)) in [("W1", "b1"), ("W2", "b2"), ("W3", "b3")]
            .into_iter()
            .enumerate()
        {
            assert_bits(
                &layers[l].by_unit().collect::<Vec<_>>(),
                &floats(&fin[w]),
                &format!("{path}: {} final {w}", kind.name()),
            );
            assert_bits(
                &layers[l].b,
                &floats(&fin[b]),
                &format!("{path}: {} final {b}", kind.name()),
            );
        }
    }
}
