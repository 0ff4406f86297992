//! The real binary, headless: JSON lines, summaries, and every kind of bad input.

use std::path::PathBuf;

use crate::binary::{bin, run, stderr};

/// A scratch file under the target directory, unique per test.
fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-inputs");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("scratch file");
    path
}

fn csv_rows(n: usize) -> String {
    let lab = include_str!("../../data/digits.csv");
    lab.lines().take(n).collect::<Vec<_>>().join("\n") + "\n"
}

#[test]
fn headless_prints_one_json_object_per_run_epoch_and_a_table() {
    let o = run(&["--headless", "--epochs", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout.clone()).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    assert_eq!(lines.len(), 18);
    for name in ["sgd", "momentum", "adagrad", "rmsprop", "adam", "mlp"] {
        let epochs: Vec<u64> = lines
            .iter()
            .filter(|l| l["optimizer"] == name)
            .map(|l| l["epoch"].as_u64().unwrap())
            .collect();
        assert_eq!(epochs, [1, 2, 3], "{name}");
    }
    // The default seed replays the lab's trace: Adam's first epoch loss.
    let adam1 = lines
        .iter()
        .find(|l| l["optimizer"] == "adam" && l["epoch"] == 1)
        .unwrap();
    assert_eq!(adam1["loss"].as_f64().unwrap(), 0.470311663338602);
    assert_eq!(adam1["test_acc"].as_f64().unwrap(), 300.0 / 360.0);
    let table = stderr(&o);
    assert!(table.starts_with("optimizer"), "{table}");
    // A header, six rows, and the note on the baseline's loss.
    assert_eq!(table.lines().count(), 8, "{table}");
    assert!(table.contains("MLP (sklearn)"), "{table}");
}

#[test]
fn stdout_not_a_terminal_means_headless_and_summary_json_ends_the_stream() {
    let o = run(&[
        "--epochs",
        "2",
        "--optimizers",
        "sgd,adam",
        "--summary",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout.clone()).unwrap();
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let summary = last["summary"].as_array().unwrap();
    assert_eq!(summary.len(), 2);
    assert_eq!(summary[1]["optimizer"], "adam");
    assert_eq!(summary[1]["epochs"], 2);
    assert_eq!(text.lines().count(), 5);
}

#[test]
fn a_diverging_learning_rate_is_reported_not_fatal() {
    let o = run(&["--epochs", "5", "--optimizers", "sgd", "--lr", "1e300"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout.clone()).unwrap();
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["diverged"], true, "{text}");
    assert!(last["loss"].is_null());
    assert!(stderr(&o).contains("diverged@"), "{}", stderr(&o));
}

#[test]
fn other_data_files_train_too() {
    let path = scratch("small.csv", csv_rows(40).as_bytes());
    let o = run(&["--epochs", "1", "--data", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), 6);
}

#[test]
fn the_chain_protocol_runs_the_stages_one_after_another() {
    let o = run(&[
        "--epochs",
        "2",
        "--optimizers",
        "sgd,momentum,adam",
        "--protocol",
        "chain",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let order: Vec<(String, u64)> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            (
                v["optimizer"].as_str().unwrap().to_owned(),
                v["epoch"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, u64)> = [("sgd", 1), ("sgd", 2), ("momentum", 1), ("momentum", 2)]
        .into_iter()
        .chain([("adam", 1), ("adam", 2)])
        .map(|(n, e)| (n.to_owned(), e))
        .collect();
    assert_eq!(order, want);
}

fn assert_rejected(args: &[&str], needles: &[&str]) {
    let o = run(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{args:?}: one line, got {err}");
    for needle in needles {
        assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn bad_data_files_are_named_with_line_and_rule() {
    let missing = "/nonexistent/digits.csv";
    assert_rejected(&["--data", missing], &[missing, "cannot read"]);
    // A directory is read as MNIST-format IDX files (tests/data_formats.rs has the rest).
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-empty-dir");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    assert_rejected(
        &["--data", dir.to_str().unwrap()],
        &["no train-images-idx3-ubyte"],
    );
    let cases: [(&str, String, &[&str]); 7] = [
        ("empty.csv", String::new(), &["empty"]),
        (
            "cols.csv",
            csv_rows(12).replacen(",0\n", "\n", 1),
            &[":1:", "65", "found 64"],
        ),
        (
            "nan.csv",
            csv_rows(12).replacen("0,", "x,", 1),
            &[":1:", "'x'", "whole number"],
        ),
        (
            "pixel.csv",
            csv_rows(12).replacen("0,", "17,", 1),
            &[":1:", "pixel 1 is 17", "0..16"],
        ),
        (
            "label.csv",
            csv_rows(12) + &"0,".repeat(64) + "10\n",
            &[":13:", "label is 10", "0..9"],
        ),
        ("few.csv", csv_rows(9), &["9 rows", "at least 10"]),
        (
            "binary.csv",
            String::from_utf8_lossy(&[0xff, 0xfe]).into_owned(),
            &[],
        ),
    ];
    for (name, contents, needles) in cases {
        let bytes = if name == "binary.csv" {
            vec![0xff, 0xfe, 0x00]
        } else {
            contents.into_bytes()
        };
        let path = scratch(name, &bytes);
        let mut all = vec![name];
        all.extend_from_slice(needles);
        assert_rejected(&["--data", path.to_str().unwrap()], &all);
    }
}

#[test]
fn nonsense_flags_name_the_flag_and_the_rule() {
    assert_rejected(&["--lr", "0"], &["--lr", "greater than 0"]);
    assert_rejected(&["--lr=-1"], &["--lr", "greater than 0"]);
    assert_rejected(&["--lr", "nan"], &["--lr", "greater than 0"]);
    assert_rejected(&["--batch-size", "0"], &["--batch-size", "at least 1"]);
    assert_rejected(&["--epochs", "0"], &["--epochs", "at least 1"]);
    assert_rejected(&["--hidden", "80,0"], &["--hidden", "widths"]);
    assert_rejected(&["--optimizers", "lbfgs"], &["--optimizers", "lbfgs"]);
    assert_rejected(&["--frobnicate"], &["--frobnicate"]);
}

#[test]
fn help_documents_every_flag_with_its_default() {
    let o = run(&["--help"]);
    assert!(o.status.success());
    let help = String::from_utf8(o.stdout).unwrap();
    for flag in [
        "--epochs",
        "--lr",
        "--batch-size",
        "--hidden",
        "--seed",
        "--optimizers",
        "--data",
        "--headless",
        "--summary",
        "--paused",
        "--speed",
        "--ascii",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    for default in [
        "[default: 1000]",
        "[default: 0.01]",
        "[default: 64]",
        "[default: 80,70]",
        "[default: 7]",
    ] {
        assert!(help.contains(default), "{default} missing from --help");
    }
}

#[test]
fn a_worker_panic_is_one_line_and_exit_1() {
    let o = bin()
        .args(["--headless", "--epochs", "3", "--optimizers", "sgd"])
        .env("DIGITS_TUI_PANIC_AT_EPOCH", "2")
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the binary runs");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(
        err.lines().count(),
        1,
        "no panic report before the message: {err}"
    );
    assert!(
        err.starts_with("digits-tui: training failed: injected fault"),
        "{err}"
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 1);
}

#[test]
fn headless_output_depends_only_on_the_flags() {
    for protocol in ["fair", "chain"] {
        let args = ["--headless", "--epochs", "30", "--protocol", protocol];
        let (a, b) = (run(&args), run(&args));
        assert!(a.status.success(), "{}", stderr(&a));
        assert_eq!(a.stdout, b.stdout, "{protocol}: same flags, same bytes");
        assert_eq!(a.stderr, b.stderr, "{protocol}: same table");
        let text = String::from_utf8(a.stdout).unwrap();
        let order: Vec<(String, u64)> = text
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
                let name = v["optimizer"].as_str().unwrap_or_default().to_owned();
                (name, v["epoch"].as_u64().unwrap_or_default())
            })
            .collect();
        let names = ["sgd", "momentum", "adagrad", "rmsprop", "adam", "mlp"];
        if protocol == "fair" {
            // Epoch by epoch, in --optimizers order.
            assert_eq!(
                order[..6].iter().map(|o| o.0.as_str()).collect::<Vec<_>>(),
                names
            );
            assert!(order[..6].iter().all(|o| o.1 == 1));
        } else {
            // Run after run.
            assert!(order[..30].iter().all(|o| o.0 == "sgd"), "{order:?}");
            assert_eq!(order[30], ("momentum".to_owned(), 1));
        }
    }
}

#[test]
fn training_flags_with_open_are_refused_by_name_and_rules_are_stated() {
    let o = run(&["--headless", "--epochs", "1", "--optimizers", "ADAM"]);
    assert!(o.status.success(), "names in any case: {}", stderr(&o));
    let record = scratch("open-me.json", b"");
    let export = run(&[
        "--headless",
        "--epochs",
        "1",
        "--optimizers",
        "adam",
        "--export",
        record.to_str().unwrap(),
    ]);
    assert!(export.status.success(), "{}", stderr(&export));
    assert_rejected(
        &["--open", record.to_str().unwrap(), "--epochs", "5"],
        &["--epochs", "does not apply with --open"],
    );
    assert_rejected(&["--optimizers", "sgdx"], &["one of sgd, momentum"]);
    assert_rejected(&["--lr", "-1"], &["--lr", "greater than 0"]);
    // The knobs: a wrong name, a negative λ, any of them (or --health) with --open.
    assert_rejected(&["--init", "foo"], &["--init", "one of lab, xavier, he"]);
    assert_rejected(
        &["--activation", "softplus"],
        &["--activation", "one of sigmoid, tanh, relu"],
    );
    assert_rejected(
        &["--weight-decay", "-1"],
        &["--weight-decay", "0 or greater"],
    );
    for knob in [
        ["--init", "he"],
        ["--activation", "relu"],
        ["--weight-decay", "0.01"],
    ] {
        let open = ["--open", record.to_str().unwrap()];
        assert_rejected(
            &[&open[..], &knob[..]].concat(),
            &[knob[0], "does not apply with --open"],
        );
    }
    assert_rejected(
        &["--open", record.to_str().unwrap(), "--health"],
        &["--health", "does not apply with --open"],
    );
}

#[test]
fn health_adds_each_hidden_layer_to_the_json_lines_and_decay_its_penalty() {
    let o = run(&[
        "--headless",
        "--epochs",
        "1",
        "--optimizers",
        "sgd,mlp",
        "--init",
        "he",
        "--activation",
        "relu",
        "--weight-decay",
        "0.01",
        "--health",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let sgd = &lines[0];
    assert_eq!(sgd["optimizer"], "sgd");
    assert!(sgd["penalty"].as_f64().is_some_and(|p| p > 0.0), "{sgd}");
    let health = sgd["health"]
        .as_array()
        .expect("one entry per hidden layer");
    assert_eq!(health.len(), 2);
    for layer in health {
        let bins: u64 = (layer["histogram"].as_array().unwrap().iter())
            .map(|c| c.as_u64().unwrap())
            .sum();
        assert_eq!(bins % 360, 0, "every unit on every test image: {layer}");
        assert_eq!(layer["range"], serde_json::json!([0.0, 4.0]));
    }
    // The baseline has its own network and its own L2 term: neither figure.
    let mlp = &lines[1];
    assert_eq!(mlp["optimizer"], "mlp");
    assert!(
        mlp.get("health").is_none() && mlp.get("penalty").is_none(),
        "{mlp}"
    );
}

#[test]
fn flags_that_do_not_apply_are_refused_by_name_with_exit_2() {
    let config = scratch("twice.json", br#"{"epochs": 5, "epochs": 7}"#);
    let config = config.to_str().unwrap();
    for (args, needles) in [
        (
            &["--headless", "--paused", "--speed", "1", "--ascii"][..],
            &["--paused does not apply to a headless run"][..],
        ),
        (&["--headless", "--speed", "1"], &["--speed does not apply"]),
        (&["--headless", "--ascii"], &["--ascii does not apply"]),
        (
            &["plot", "s.json", "-o", "o.svg", "--lr", "5"],
            &["--lr does not apply to plot"],
        ),
        (
            &["merge", "a.json", "--epochs", "3"],
            &["--epochs does not apply to merge"],
        ),
        (&["sweep", "--lr", "0.5"], &["--lr does not apply to sweep"]),
        (
            &["--headless", "--config", config],
            &["`epochs` is given twice"],
        ),
        (
            &["--headless", "--optimizers", "sgd,sgd"],
            &["--optimizers", "not sgd twice"],
        ),
    ] {
        assert_rejected(args, needles);
    }
}

#[test]
fn one_seed_is_one_run_not_1_runs() {
    let small = [
        "--epochs",
        "1",
        "--hidden",
        "8",
        "--seeds",
        "1",
        "--optimizers",
        "sgd",
    ];
    for (command, header) in [
        (
            &["sweep", "--lr-grid", "0.1"][..],
            "sweep: 1 rate, 0.1, 1 run each (seed ",
        ),
        (&["compare"][..], "compare: 1 run each, seed "),
    ] {
        let o = run(&[command, &small[..]].concat());
        assert!(o.status.success(), "{command:?}: {}", stderr(&o));
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.starts_with(header), "{command:?}: {text}");
    }
}
