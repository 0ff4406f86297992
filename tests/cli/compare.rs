//! The real binary's `compare` subcommand: deterministic output, a JSON document that parses and
//! agrees with single headless runs, and one-line errors.

use std::process::Output;

use crate::binary::{bin, headless_last, json, run, stderr};

#[test]
fn json_is_deterministic_and_every_run_matches_a_single_headless_run() {
    let args = ["compare", "--seeds", "2", "--epochs", "5", "--json"];
    let (first, second) = (run(&args), run(&args));
    assert_eq!(first.stdout, second.stdout, "same seeds, same bytes");
    // Not a terminal: no progress bar, one closing line.
    assert_eq!(stderr(&first).lines().count(), 1, "{}", stderr(&first));
    assert!(stderr(&first).starts_with("compare: 12 runs in "));

    let doc = json(&first);
    assert_eq!(doc["seeds"], serde_json::json!([7, 8]));
    assert_eq!(
        (&doc["epochs"], &doc["protocol"]),
        (&5.into(), &"fair".into())
    );
    let names = ["sgd", "momentum", "adagrad", "rmsprop", "adam", "mlp"];
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 12);
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["seed"], [7, 8][i / 6], "by seed");
        assert_eq!(r["optimizer"], names[i % 6], "then in --optimizers order");
        assert_eq!(r["epochs"], 5);
        assert_eq!(r["diverged"], false);
    }
    for (seed, name) in [(7, "adam"), (8, "sgd"), (8, "mlp")] {
        let single = headless_last(&["--seed", &seed.to_string(), "--epochs", "5"], name);
        let r = results
            .iter()
            .find(|r| r["seed"] == seed && r["optimizer"] == name)
            .unwrap();
        assert_eq!(r["test_acc"], single["test_acc"], "{name} on seed {seed}");
        assert_eq!(r["final_loss"], single["loss"], "{name} on seed {seed}");
    }

    let summary = doc["summary"].as_array().unwrap();
    let got: Vec<&str> = summary
        .iter()
        .map(|s| s["optimizer"].as_str().unwrap())
        .collect();
    assert_eq!(got, names);
    for s in summary {
        let accs: Vec<f64> = results
            .iter()
            .filter(|r| r["optimizer"] == s["optimizer"])
            .map(|r| r["test_acc"].as_f64().unwrap())
            .collect();
        assert_eq!(s["runs"], 2);
        assert_eq!(s["mean_test_acc"].as_f64(), Some((accs[0] + accs[1]) / 2.0));
        assert_eq!(s["min_test_acc"].as_f64(), Some(accs[0].min(accs[1])));
    }
    let wins: u64 = summary.iter().map(|s| s["wins"].as_u64().unwrap()).sum();
    assert!(wins >= 2, "every seed has a winner");
    let ranking: Vec<&str> = doc["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(ranking.len(), 6);
    for (place, name) in ranking.iter().enumerate() {
        let s = summary.iter().find(|s| s["optimizer"] == *name).unwrap();
        assert_eq!(s["rank"], place + 1);
    }
}

#[test]
fn the_table_names_the_seeds_and_ranks_every_contender() {
    let o = run(&[
        "compare",
        "--seeds",
        "3",
        "--epochs",
        "2",
        "--seed",
        "40",
        "--optimizers",
        "adam,sgd",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("compare: 3 runs each, seeds 40..=42, 2 epochs, fair protocol"),
        "{text}"
    );
    assert!(lines[1].starts_with("rank  optimizer"), "{text}");
    assert!(
        lines[2].starts_with("   1  ") && lines[3].starts_with("   2  "),
        "{text}"
    );
    assert!(!text.contains("MLP"), "{text}");
}

#[test]
fn the_knobs_reach_every_run_as_they_reach_a_headless_run() {
    let knobs = [
        "--init",
        "he",
        "--activation",
        "relu",
        "--weight-decay",
        "0.001",
        "--epochs",
        "3",
        "--hidden",
        "8",
        "--optimizers",
        "sgd,adam,mlp",
    ];
    let doc = json(&run(
        &[&["compare", "--seeds", "2", "--json"][..], &knobs].concat()
    ));
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    for r in results {
        let (seed, name) = (r["seed"].to_string(), r["optimizer"].as_str().unwrap());
        let single = headless_last(&[&["--seed", &seed][..], &knobs].concat(), name);
        assert_eq!(r["test_acc"], single["test_acc"], "{name} on seed {seed}");
        assert_eq!(r["final_loss"], single["loss"], "{name} on seed {seed}");
    }
    // Without the knobs the lab's runs differ: the knobs were not ignored.
    let plain = headless_last(
        &[
            "--seed",
            "7",
            "--epochs",
            "3",
            "--hidden",
            "8",
            "--optimizers",
            "sgd",
        ],
        "sgd",
    );
    assert_ne!(results[0]["final_loss"], plain["loss"]);
}

#[test]
fn the_chain_protocol_matches_the_headless_chain() {
    let args = [
        "--epochs",
        "2",
        "--optimizers",
        "sgd,adam",
        "--protocol",
        "chain",
    ];
    let doc = json(&run(
        &[&["compare", "--seeds", "1", "--json"], &args[..]].concat()
    ));
    assert_eq!(doc["protocol"], "chain");
    let adam = &doc["results"][1];
    assert_eq!(adam["optimizer"], "adam");
    let single = headless_last(&args, "adam");
    assert_eq!(adam["test_acc"], single["test_acc"]);
    assert_eq!(adam["final_loss"], single["loss"]);
}

#[test]
fn a_diverging_run_is_counted_not_fatal() {
    let doc = json(&run(&[
        "compare",
        "--seeds",
        "2",
        "--epochs",
        "3",
        "--optimizers",
        "sgd",
        "--lr",
        "1e300",
        "--json",
    ]));
    let sgd = &doc["summary"][0];
    assert_eq!(sgd["diverged"], 2);
    assert!(sgd["median_loss"].is_null());
    assert!(doc["results"][0]["final_loss"].is_null());
}

fn assert_one_line_error(o: &Output, code: i32, needles: &[&str]) {
    assert_eq!(o.status.code(), Some(code), "{}", stderr(o));
    let err = stderr(o);
    let last = err.lines().last().unwrap_or_default();
    for needle in needles {
        assert!(last.contains(needle), "{last:?} lacks {needle:?}");
    }
    assert!(o.stdout.is_empty());
}

#[test]
fn bad_seed_counts_are_one_line_and_exit_2() {
    let o = run(&["compare", "--seeds", "0"]);
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert_one_line_error(&o, 2, &["--seeds", "at least 1"]);
    let o = run(&["compare", "--seed", "4294967295", "--seeds", "2"]);
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert_one_line_error(&o, 2, &["--seeds 2", "largest seed"]);
}

#[test]
fn a_worker_panic_ends_the_comparison_with_exit_1() {
    let o = bin()
        .args(["compare", "--seeds", "2", "--epochs", "3"])
        .env("DIGITS_TUI_PANIC_AT_EPOCH", "2")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the binary runs");
    // The panic hook's report comes first; the program's own message is the last line.
    assert_one_line_error(
        &o,
        1,
        &["digits-tui: training failed: ", "on seed", "injected fault"],
    );
}
