//! `sweep --grid KNOB=VALUES`: a knob swept instead of the rate. Every run equals the headless
//! run with that knob, bit for bit; the table and the document name the knob; a knob the
//! baseline ignores is said so and leaves its runs alike; bad grids are one line and exit 2.

use std::collections::BTreeMap;
use std::process::Output;

use serde_json::Value;

use crate::binary::{json, run, stderr};

/// Small and quick: a tiny network, three epochs, two seeds.
const SMALL: [&str; 8] = [
    "--epochs",
    "3",
    "--hidden",
    "8",
    "--seeds",
    "2",
    "--batch-size",
    "128",
];

fn sweep(grid: &str, extra: &[&str]) -> Output {
    let args = [
        &["sweep", "--grid", grid, "--optimizers", "sgd,adam,mlp"][..],
        &SMALL[..],
        extra,
    ];
    run(&args.concat())
}

/// The last headless line of every optimizer: `--seed seed` and `knob` given as flags.
fn headless(knob: &[&str], seed: u32) -> BTreeMap<String, Value> {
    let seed = seed.to_string();
    let args = [
        &[
            "--headless",
            "--optimizers",
            "sgd,adam,mlp",
            "--seed",
            &seed,
        ][..],
        &SMALL[..4],
        &SMALL[6..],
        knob,
    ];
    let o = run(&args.concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let mut last = BTreeMap::new();
    for line in String::from_utf8(o.stdout).unwrap().lines() {
        let line: Value = serde_json::from_str(line).unwrap();
        last.insert(line["optimizer"].as_str().unwrap().to_owned(), line);
    }
    last
}

/// Every result of `grid`'s sweep equals the headless run with `--flag value` at its seed.
fn every_run_is_the_headless_run(grid: &str, flag: &str, key: &str) {
    let doc = json(&sweep(grid, &["--json"]));
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 3 * 2 * grid.split(',').count());
    for r in results {
        let value = &r[key];
        let text = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        let seed = r["seed"].as_u64().unwrap() as u32;
        let single = &headless(&[flag, &text], seed)[r["optimizer"].as_str().unwrap()];
        assert_eq!(r["test_acc"], single["test_acc"], "{r}");
        assert_eq!(r["final_loss"], single["loss"], "{r}");
        assert_eq!(r["epochs"], single["epoch"], "{r}");
    }
}

#[test]
fn an_init_sweep_is_headless_runs_with_that_init() {
    every_run_is_the_headless_run("init=lab,he", "--init", "init");
}

#[test]
fn an_activation_sweep_is_headless_runs_with_that_activation_baseline_included() {
    every_run_is_the_headless_run("activation=tanh,relu", "--activation", "activation");
}

#[test]
fn a_weight_decay_sweep_is_headless_runs_with_that_weight_decay() {
    every_run_is_the_headless_run("weight-decay=0,0.01", "--weight-decay", "weight_decay");
}

#[test]
fn the_document_and_table_name_the_knob_and_what_the_baseline_ignores() {
    let doc = json(&sweep("init=lab,xavier,he", &["--json"]));
    assert_eq!(doc["inits"], serde_json::json!(["lab", "xavier", "he"]));
    assert!(doc.get("rates").is_none());
    let summary = doc["summary"].as_array().unwrap();
    for curve in summary {
        assert!(curve["best_init"].is_string(), "{curve}");
        assert!(curve.get("best_lr").is_none() && curve.get("flat_decades").is_none());
        let points = curve["points"].as_array().unwrap();
        let inits: Vec<&str> = points.iter().map(|p| p["init"].as_str().unwrap()).collect();
        assert_eq!(inits, ["lab", "xavier", "he"]);
    }
    // The baseline draws scikit-learn's own weights: the same runs at every init.
    let mlp = &summary[2]["points"];
    assert_eq!(mlp[0]["mean_test_acc"], mlp[2]["mean_test_acc"]);
    assert_eq!(mlp[0]["median_loss"], mlp[2]["median_loss"]);

    let o = sweep("init=lab,xavier,he", &[]);
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(
        table.starts_with("sweep: 3 values of --init (lab, xavier, he), 2 runs each (seeds 7..=8)"),
        "{table}"
    );
    assert!(
        table.lines().nth(1).unwrap().contains("best init"),
        "{table}"
    );
    assert!(!table.contains("decades"), "{table}");
    assert!(
        table.contains(
            "MLP (sklearn): --init does not apply (draws scikit-learn's own initial weights)"
        ),
        "{table}"
    );
    let rows = (table.lines()).filter(|l| l.starts_with("Adam ")).count();
    assert_eq!(rows, 3, "one row per init: {table}");
}

#[test]
fn bad_grids_are_one_line_and_exit_2() {
    for (args, rule) in [
        (
            &["--grid", "init=foo"][..],
            "must be one of lab, xavier, he, not \"foo\"",
        ),
        (
            &["--grid", "bogus=1"],
            "'bogus' is not a setting a sweep can vary",
        ),
        (&["--grid", "init"], "must be KNOB=VALUES"),
        (
            &["--grid", "weight-decay=-1"],
            "'-1' must be a finite number, 0 or greater",
        ),
        (
            &["--grid", "init=lab,he", "--init", "xavier"],
            "--init does not apply beside a --grid of the same setting",
        ),
        (
            &["--grid", "lr=0.1,1", "--lr", "0.5"],
            "--lr does not apply to sweep",
        ),
        (
            &["--grid", "init=lab,he", "--lr-grid", "0.1,1"],
            "cannot be used with",
        ),
        (
            &["--grid", "weight-decay=0,1", "--optimizers", "mlp"],
            "--grid weight-decay=… needs a lab optimizer",
        ),
    ] {
        let o = run(&[&["sweep", "--epochs", "1"][..], args].concat());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("digits-tui: ") && err.contains(rule),
            "{args:?}: {err}"
        );
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn a_rate_grid_can_be_given_as_grid_lr() {
    let by_grid = sweep("lr=0.01,0.1", &["--json"]);
    let args = [
        &[
            "sweep",
            "--lr-grid",
            "0.01,0.1",
            "--optimizers",
            "sgd,adam,mlp",
        ][..],
        &SMALL[..],
        &["--json"],
    ];
    let by_lr_grid = run(&args.concat());
    assert!(by_grid.status.success(), "{}", stderr(&by_grid));
    assert_eq!(by_grid.stdout, by_lr_grid.stdout);
}
