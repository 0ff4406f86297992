//! The real binary's `sweep`: the grid syntax, the JSON document's structure, results equal to
//! single headless runs at the same rate and seed, and divergences counted, not fatal.

use std::process::Output;

use serde_json::Value;

use crate::binary::{headless_last, json, run, stderr};

/// Small and quick: a tiny network, three epochs, two seeds.
const SMALL: [&str; 6] = ["--epochs", "3", "--hidden", "8", "--seeds", "2"];

/// A small sweep of SGD, Adam and the baseline (unless `extra` names the optimizers).
fn sweep(grid: &str, extra: &[&str]) -> Output {
    let optimizers: &[&str] = if extra.contains(&"--optimizers") {
        &[]
    } else {
        &["--optimizers", "sgd,adam,mlp"]
    };
    run(&[&["sweep", "--lr-grid", grid], &SMALL[..], optimizers, extra].concat())
}

#[test]
fn bad_grids_are_one_line_and_exit_2() {
    for (grid, rule) in [
        ("0.1,0.01", "rates must increase, but 0.01 follows 0.1"),
        ("0.1,x", "'x' is not a finite rate greater than 0"),
        ("-1,1", "'-1' is not a finite rate greater than 0"),
        (
            "1e-4:1:1",
            "FROM:TO:N needs 0 < FROM < TO and N from 2 to 100",
        ),
        ("1:1e-4:5", "FROM:TO:N needs 0 < FROM < TO"),
        ("1e-4:1", "FROM:TO:N"),
    ] {
        let o = run(&["sweep", "--lr-grid", grid]);
        assert_eq!(o.status.code(), Some(2), "{grid}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{grid}: {err}");
        assert!(
            err.starts_with("digits-tui: ") && err.contains("--lr-grid") && err.contains(rule),
            "{grid}: {err}"
        );
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn the_document_has_every_run_and_a_curve_per_contender() {
    let o = sweep("0.01,0.1", &["--json"]);
    assert_eq!(
        stderr(&o),
        "sweep: 12 runs in 0s\n",
        "not a terminal: one line"
    );
    let doc = json(&o);
    assert_eq!(doc["seeds"], serde_json::json!([7, 8]));
    assert_eq!(doc["rates"], serde_json::json!([0.01, 0.1]));
    assert_eq!(
        (&doc["epochs"], &doc["protocol"]),
        (&3.into(), &"fair".into())
    );
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 12, "3 contenders × 2 rates × 2 seeds");
    let names = ["sgd", "adam", "mlp"];
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["optimizer"], names[i / 4], "by contender");
        assert_eq!(r["lr"], [0.01, 0.1][i / 2 % 2], "then by rate");
        assert_eq!(r["seed"], [7, 8][i % 2], "then by seed");
    }
    let summary = doc["summary"].as_array().unwrap();
    assert_eq!(summary.len(), 3);
    for (curve, name) in summary.iter().zip(names) {
        assert_eq!(curve["optimizer"], name);
        let points = curve["points"].as_array().unwrap();
        assert_eq!(points.len(), 2);
        for p in points {
            let accs: Vec<f64> = (results.iter())
                .filter(|r| r["optimizer"] == name && r["lr"] == p["lr"])
                .map(|r| r["test_acc"].as_f64().unwrap())
                .collect();
            assert_eq!(p["runs"], 2);
            assert_eq!(p["mean_test_acc"].as_f64(), Some((accs[0] + accs[1]) / 2.0));
            assert_eq!(p["diverged"], 0);
        }
        let best = points
            .iter()
            .max_by(|a, b| {
                let m = |p: &Value| p["mean_test_acc"].as_f64().unwrap();
                m(a).total_cmp(&m(b))
            })
            .unwrap();
        assert_eq!(curve["best_lr"], best["lr"], "{name}");
        assert!(curve["flat_decades"].as_f64().unwrap() >= 0.0);
    }
    let ranking = doc["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 3);
    for (place, name) in ranking.iter().enumerate() {
        let c = summary.iter().find(|c| c["optimizer"] == *name).unwrap();
        assert_eq!(c["rank"], place + 1);
    }
}

#[test]
fn every_run_is_the_headless_run_at_its_rate_and_seed() {
    let doc = json(&sweep(
        "0.01,0.3",
        &[
            "--json",
            "--protocol",
            "chain",
            "--optimizers",
            "sgd,adam,mlp",
        ],
    ));
    let results = doc["results"].as_array().unwrap();
    let find = |name: &str, lr: f64, seed: u32| {
        (results.iter())
            .find(|r| r["optimizer"] == name && r["lr"] == lr && r["seed"] == seed)
            .unwrap()
    };
    // Under the chain Adam continues SGD's weights: the headless chain at the same rate.
    for (name, lr, seed) in [("sgd", 0.3, 8), ("adam", 0.3, 7), ("adam", 0.01, 8)] {
        let single = headless_last(
            &[
                "--epochs",
                "3",
                "--hidden",
                "8",
                "--optimizers",
                "sgd,adam",
                "--protocol",
                "chain",
                "--lr",
                &lr.to_string(),
                "--seed",
                &seed.to_string(),
            ],
            name,
        );
        let r = find(name, lr, seed);
        assert_eq!(
            r["test_acc"], single["test_acc"],
            "{name} at {lr}, seed {seed}"
        );
        assert_eq!(
            r["final_loss"], single["loss"],
            "{name} at {lr}, seed {seed}"
        );
    }
    // The baseline keeps 0.01 whatever --lr says, so its headless run is the sweep's 0.01.
    let single = headless_last(
        &["--epochs", "3", "--optimizers", "mlp", "--seed", "8"],
        "mlp",
    );
    assert_eq!(find("mlp", 0.01, 8)["test_acc"], single["test_acc"]);
    assert_eq!(find("mlp", 0.01, 8)["final_loss"], single["loss"]);
    assert_ne!(find("mlp", 0.3, 8)["final_loss"], single["loss"]);
}

#[test]
fn a_diverging_rate_is_counted_and_the_sweep_goes_on() {
    let o = sweep("0.01,1e300", &["--optimizers", "sgd"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = String::from_utf8(o.stdout).unwrap();
    let row = |lr: &str| {
        (table.lines())
            .find(|l| l.starts_with("SGD ") && l.split_whitespace().nth(1) == Some(lr))
            .unwrap_or_else(|| panic!("a row at {lr}: {table}"))
            .to_owned()
    };
    assert!(row("1e300").ends_with("  -       2/2"), "{table}");
    assert!(row("0.01").ends_with("0/2"), "{table}");
    assert!(
        table.lines().nth(2).unwrap().contains(" 0.01 "),
        "best is 0.01: {table}"
    );

    let doc = json(&sweep("0.01,1e300", &["--optimizers", "sgd", "--json"]));
    let diverging = &doc["summary"][0]["points"][1];
    assert_eq!(diverging["lr"], 1e300);
    assert_eq!(diverging["diverged"], 2);
    assert!(diverging["median_loss"].is_null());
    assert_eq!(doc["summary"][0]["best_lr"], 0.01);
}
