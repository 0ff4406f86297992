//! Session files and config files through the binary: export → open round-trips every number
//! exactly, config errors name the file and the key, and failed writes leave nothing behind.
//! The record itself (read back, replayed, written again to the same bytes; learning-rate
//! changes; layer health; the library's typed write errors) is checked in
//! `src/checks/session_file.rs`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::binary::{run, scratch, stderr};
use crate::dirs::{leftovers, set_read_only};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 scratch path")
}

/// `(optimizer, epoch, loss bits, train_acc bits, test_acc bits, diverged)` per JSON line.
type Row = (String, u64, Option<u64>, u64, u64, bool);

/// One row of an epoch's figures, `optimizer` the run's, `m` the printed line or the file's
/// epoch.
fn row(optimizer: &str, m: &Value) -> Row {
    (
        optimizer.to_owned(),
        m["epoch"].as_u64().expect("epoch"),
        m["loss"].as_f64().map(f64::to_bits),
        m["train_acc"].as_f64().expect("train").to_bits(),
        m["test_acc"].as_f64().expect("test").to_bits(),
        m["diverged"].as_bool().unwrap_or(false),
    )
}

fn rows_of_lines(text: &str) -> Vec<Row> {
    let mut rows: Vec<Row> = text
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("every line is JSON");
            row(v["optimizer"].as_str().expect("name"), &v)
        })
        .collect();
    rows.sort();
    rows
}

/// The session file as JSON.
fn session_file(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("the export")).expect("JSON")
}

/// The runs of a session file.
fn runs(file: &Value) -> &[Value] {
    file["runs"].as_array().expect("runs")
}

/// Every epoch of every run the file holds, as rows.
fn rows_of_file(file: &Value) -> Vec<Row> {
    let mut rows: Vec<Row> = (runs(file).iter())
        .flat_map(|r| {
            let optimizer = r["optimizer"].as_str().expect("name");
            let epochs = r["epochs"].as_array().expect("epochs");
            epochs.iter().map(move |m| row(optimizer, m))
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn export_then_open_reproduces_every_number_bit_for_bit() {
    let dir = scratch("export", "round-trip");
    let file = dir.join("session.json");
    let o = run(&["--headless", "--epochs", "3", "--export", arg(&file)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let record = session_file(&file);
    let printed = rows_of_lines(&stdout(&o));
    assert_eq!(printed.len(), 18);
    assert_eq!(rows_of_file(&record), printed);
    assert_eq!(record["finished"], true);
    assert!(record["failure"].is_null());
    assert_eq!(record["settings"]["epochs"], 3);
    assert_eq!(record["data"], "embedded");
    assert!(
        runs(&record).iter().all(|r| {
            r["ended"] == true && r["predictions"].as_array().map(Vec::len) == Some(360)
        })
    );

    // Opening it prints the same lines and the same table, without training.
    let shown = run(&["--open", arg(&file), "--headless"]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert_eq!(rows_of_lines(&stdout(&shown)), printed);
    assert_eq!(stderr(&shown), stderr(&o));
    let json = run(&["--open", arg(&file), "--summary", "json"]);
    let text = stdout(&json);
    let last: Value =
        serde_json::from_str(text.lines().last().expect("a final line")).expect("JSON");
    assert_eq!(last["summary"].as_array().map(Vec::len), Some(6));
    assert_eq!(last["seed"], 7);
}

fn assert_rejected(o: &Output, needles: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "one line, got {err}");
    for needle in needles {
        assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn config_files_fill_settings_under_the_flags_and_errors_name_the_key() {
    let dir = scratch("export", "config");
    let config = dir.join("settings.json");
    std::fs::write(&config, r#"{"epochs": 5, "optimizers": ["adam", "sgd"]}"#).expect("written");
    let o = run(&["--config", arg(&config), "--epochs", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = rows_of_lines(&stdout(&o));
    let seen: Vec<(&str, u64)> = rows.iter().map(|r| (r.0.as_str(), r.1)).collect();
    assert_eq!(seen, [("adam", 1), ("adam", 2), ("sgd", 1), ("sgd", 2)]);

    std::fs::write(&config, r#"{"epochs": 5, "epohcs": 2}"#).expect("written");
    let o = run(&["--config", arg(&config)]);
    assert_rejected(&o, &[arg(&config), "unknown key `epohcs`", "epochs"]);
    assert!(o.stdout.is_empty());

    std::fs::write(&config, r#"{"lr": 0}"#).expect("written");
    let o = run(&["--config", arg(&config)]);
    assert_rejected(&o, &[arg(&config), "`lr`", "greater than 0"]);

    std::fs::write(&config, "{\n  \"lr\": 0.1,\n}\n").expect("written");
    let o = run(&["--config", arg(&config)]);
    assert_rejected(&o, &[arg(&config), "line 3 column 1"]);

    let missing = dir.join("missing.json");
    let o = run(&["--config", arg(&missing)]);
    assert_rejected(&o, &["cannot read config file", arg(&missing)]);
}

#[test]
fn opening_a_missing_or_broken_file_is_one_line_and_exit_2() {
    let dir = scratch("export", "open");
    let missing = dir.join("missing.json");
    let o = run(&["--open", arg(&missing)]);
    assert_rejected(&o, &["cannot read session file", arg(&missing)]);

    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"format\": 1,\n \"runs\": [}").expect("written");
    let o = run(&["--open", arg(&broken)]);
    assert_rejected(&o, &[arg(&broken), "line 2 column"]);

    let newer = dir.join("newer.json");
    std::fs::write(&newer, r#"{"format": 99, "whatever": true}"#).expect("written");
    let o = run(&["--open", arg(&newer)]);
    assert_rejected(&o, &[arg(&newer), "format 99"]);
}

/// An export into a read-only directory fails in one line naming the file and keeps the file
/// already there, bytes and all, with nothing left beside it. Root ignores permissions, so as
/// root the binary is run as `nobody` (when `setpriv` can switch to it and `nobody` can run
/// the binary), else this is skipped.
#[test]
fn an_export_into_a_read_only_directory_keeps_the_old_file() {
    let ro = scratch("export", "read-only");
    let file = ro.join("s.json");
    let before = b"{\"an\": \"older session\"}".to_vec();
    std::fs::write(&file, &before).expect("written");
    set_read_only(&ro, true);
    let as_root = std::fs::write(ro.join("probe"), "").is_ok();
    if as_root {
        let _ = std::fs::remove_file(ro.join("probe"));
    }
    let mut command = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_digits-tui"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_digits-tui"))
    };
    let o = command
        .args([
            "--epochs",
            "1",
            "--optimizers",
            "sgd",
            "--export",
            arg(&file),
        ])
        .output();
    set_read_only(&ro, false);
    match o {
        Ok(o) if !as_root || o.status.code() == Some(2) => {
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{err}");
            assert!(err.contains("cannot write session to"), "{err}");
            assert!(err.contains(arg(&file)), "{err}");
            assert!(err.contains("Permission denied"), "{err}");
            assert_eq!(std::fs::read(&file).expect("still there"), before);
            assert_eq!(leftovers(&ro), ["s.json"]);
        }
        _ => eprintln!("skipped: running as root without setpriv"),
    }
}

#[test]
fn a_headless_export_into_a_missing_directory_fails_before_training() {
    let dir = scratch("export", "headless-failure");
    let target = dir.join("missing").join("s.json");
    let o = run(&[
        "--epochs",
        "1",
        "--optimizers",
        "sgd",
        "--export",
        arg(&target),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "nothing trained, nothing printed");
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("digits-tui: cannot write session to")
            && err.contains(arg(&target))
            && err.contains("directory does not exist"),
        "{err}"
    );
    assert!(leftovers(&dir).is_empty());
}

/// Layer health computed with headless `--health` is kept in the file, epoch by epoch, as
/// headless printed it, and `--open` prints it again; a file without it (one written before
/// health was kept: committed in `tests/data/session-before-health.json`) opens as before.
/// The dashboard's `i` view of such files is checked in `src/checks/session_file.rs`.
#[test]
fn layer_health_travels_in_the_session_file() {
    let dir = scratch("export", "health");
    let file = dir.join("health.json");
    let args = [
        "--headless",
        "--epochs",
        "2",
        "--hidden",
        "8",
        "--optimizers",
        "sgd,mlp",
    ];
    let o = run(&[&args[..], &["--health", "--export", arg(&file)]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let record = session_file(&file);
    let sgd = runs(&record)[0]["health"].as_array().expect("health");
    assert_eq!(sgd.len(), 2, "2 epochs");
    assert!(
        sgd.iter().all(|h| h.as_array().map(Vec::len) == Some(1)),
        "1 hidden layer"
    );
    assert!(
        runs(&record)[1].get("health").is_none(),
        "the baseline has none"
    );
    let health = |text: &str| -> Vec<Value> {
        (text.lines())
            .map(|l| serde_json::from_str::<Value>(l).expect("JSON"))
            .filter(|l| l["optimizer"] == "sgd")
            .map(|l| l["health"].clone())
            .collect()
    };
    assert_eq!(*sgd, health(&stdout(&o)), "the figures headless printed");
    let shown = run(&["--open", arg(&file), "--headless"]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert_eq!(
        health(&stdout(&shown)),
        health(&stdout(&o)),
        "and prints again"
    );

    let before =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/session-before-health.json");
    let shown = run(&["--open", arg(&before), "--headless"]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert!(stdout(&shown).lines().all(|l| !l.contains("health")));
}
