//! Session files and config files, through the real binary and the library: export → open
//! round-trips every number exactly, learning-rate changes land at the epoch they took effect,
//! config errors name the file and the key, and failed writes leave nothing behind.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

use digits_tui::data::Dataset;
use digits_tui::engine::{self, Event, Session, Speed};
use digits_tui::export::ExportError;
use digits_tui::export::{self, SessionRecord};
use digits_tui::model::SessionModel;
use digits_tui::nn::OptimizerKind;
use digits_tui::train::{Contender, LabTrainer, Protocol, Settings};
use digits_tui::ui::app::App;
use digits_tui::ui::intent::Intent;
use digits_tui::ui::message::Message;
use digits_tui::ui::view::View;

use crate::binary::{run, scratch, stderr};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 scratch path")
}

/// `(optimizer, epoch, loss bits, train_acc bits, test_acc bits, diverged)` per JSON line.
type Row = (String, u64, Option<u64>, u64, u64, bool);

fn rows_of_lines(text: &str) -> Vec<Row> {
    let mut rows: Vec<Row> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("every line is JSON");
            (
                v["optimizer"].as_str().expect("name").to_owned(),
                v["epoch"].as_u64().expect("epoch"),
                v["loss"].as_f64().map(f64::to_bits),
                v["train_acc"].as_f64().expect("train").to_bits(),
                v["test_acc"].as_f64().expect("test").to_bits(),
                v["diverged"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn rows_of_record(record: &SessionRecord) -> Vec<Row> {
    let mut rows: Vec<Row> = record
        .runs
        .iter()
        .flat_map(|r| {
            r.epochs.iter().map(|m| {
                (
                    r.optimizer.name().to_owned(),
                    u64::from(m.epoch),
                    m.loss.map(f64::to_bits),
                    m.train_acc.to_bits(),
                    m.test_acc.to_bits(),
                    m.diverged,
                )
            })
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
    let record = export::read(&file).expect("the export reads back");
    let printed = rows_of_lines(&stdout(&o));
    assert_eq!(printed.len(), 18);
    assert_eq!(rows_of_record(&record), printed);
    assert!(record.finished && record.failure.is_none());
    assert_eq!(record.settings.epochs, 3);
    assert_eq!(record.data, "embedded");
    assert!(
        record
            .runs
            .iter()
            .all(|r| r.ended && r.predictions.len() == 360)
    );
    // The table printed live is the table the file holds.
    assert_eq!(
        stderr(&o),
        digits_tui::format::summary_table(&record.summaries(), &record.settings)
    );

    // Opening it prints the same lines and the same table, without training.
    let shown = run(&["--open", arg(&file), "--headless"]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert_eq!(rows_of_lines(&stdout(&shown)), printed);
    assert_eq!(stderr(&shown), stderr(&o));
    let json = run(&["--open", arg(&file), "--summary", "json"]);
    let text = stdout(&json);
    let last: serde_json::Value =
        serde_json::from_str(text.lines().last().expect("a final line")).expect("JSON");
    assert_eq!(last["summary"].as_array().map(Vec::len), Some(6));
    assert_eq!(last["seed"], 7);

    // Record → events → a fresh model gives the record back, and so does a second file.
    let mut again = SessionModel::new(record.settings.clone(), record.data.clone());
    for event in record.replay() {
        again.observe(&event);
    }
    let mut copy = SessionRecord::of(&again);
    copy.started_unix = record.started_unix;
    assert_eq!(copy, record);
    let second = dir.join("second.json");
    export::write_atomic(&second, &copy).expect("written");
    assert_eq!(export::read(&second).expect("reads"), record);
    assert_eq!(
        std::fs::read(&second).expect("bytes"),
        std::fs::read(&file).expect("bytes"),
        "the same record is the same bytes"
    );
}

#[test]
fn a_learning_rate_change_lands_at_the_epoch_it_took_effect() {
    let data = Arc::new(Dataset::lab());
    let settings = Settings {
        epochs: 3,
        optimizers: vec![Contender::Sgd, Contender::Mlp],
        ..Settings::default()
    };
    let session = Session::start_with(
        settings.clone(),
        Arc::clone(&data),
        true,
        Speed::Unlimited,
        1,
    );
    let mut recorder = SessionModel::new(settings.clone(), "embedded");
    let mut wait_for = |pred: &dyn Fn(&Event) -> bool| loop {
        let event = session
            .events()
            .recv_timeout(Duration::from_secs(60))
            .expect("the session reports");
        recorder.observe(&event);
        if pred(&event) {
            return recorder.clone();
        }
    };
    let epoch_of = |run: usize, n: u32| move |e: &Event| matches!(e, Event::Epoch { slot: r, report, .. } if *r == run && report.epoch == n);
    wait_for(&|e| matches!(e, Event::Started { .. }));
    session.send(engine::Command::Step);
    wait_for(&epoch_of(0, 1));
    wait_for(&epoch_of(1, 1));
    // Paused after epoch 1: the change applies from epoch 2 on. The baseline keeps its rate.
    session.send(engine::Command::SetLearningRate { slot: 0, lr: 0.5 });
    session.send(engine::Command::SetLearningRate { slot: 1, lr: 0.5 });
    session.send(engine::Command::Resume);
    let recorded = wait_for(&|e| matches!(e, Event::Finished { .. }));
    drop(session);

    let record = &SessionRecord::of(&recorded);
    let sgd = &record.runs[0];
    assert_eq!(sgd.lr_changes.len(), 1);
    assert_eq!(
        (sgd.lr_changes[0].after_epoch, sgd.lr_changes[0].lr),
        (1, 0.5)
    );
    assert_eq!(
        recorded.runs()[0].learning_rate_at(2, settings.hyper.lr),
        0.5
    );
    assert!(
        record.runs[1].lr_changes.is_empty(),
        "the baseline ignores it"
    );

    // The recorded losses are those of a run whose rate changed after epoch 1, bit for bit.
    let mut reference = LabTrainer::new(OptimizerKind::Sgd, &settings, data);
    let mut losses = vec![reference.train_epoch().loss.to_bits()];
    reference.set_learning_rate(0.5);
    losses.extend((0..2).map(|_| reference.train_epoch().loss.to_bits()));
    let recorded: Vec<u64> = sgd
        .epochs
        .iter()
        .filter_map(|m| m.loss.map(f64::to_bits))
        .collect();
    assert_eq!(recorded, losses);

    // The change survives the file.
    let file = scratch("export", "lr").join("lr.json");
    export::write_atomic(&file, record).expect("written");
    assert_eq!(
        export::read(&file).expect("reads").runs[0].lr_changes,
        sgd.lr_changes
    );
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

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn tiny_record() -> SessionRecord {
    let settings = Settings {
        epochs: 1,
        optimizers: vec![Contender::Adam],
        protocol: Protocol::Fair,
        ..Settings::default()
    };
    SessionRecord::of(&SessionModel::new(settings, "embedded"))
}

#[test]
fn failed_writes_are_typed_errors_and_leave_no_file() {
    let record = tiny_record();
    let dir = scratch("export", "failures");

    // A missing directory.
    let missing = dir.join("no-such-dir").join("s.json");
    let err = export::write_atomic(&missing, &record).expect_err("no directory");
    assert!(matches!(err, ExportError::Write { .. }));
    let text = err.to_string();
    assert!(
        text.contains(arg(&missing)) && text.lines().count() == 1,
        "{text}"
    );

    // The target is a directory: the temporary file was written, the rename fails, and the
    // temporary file is gone again.
    let occupied = dir.join("occupied");
    std::fs::create_dir(&occupied).expect("dir");
    std::fs::write(occupied.join("keep"), "x").expect("file");
    let err = export::write_atomic(&occupied, &record).expect_err("a directory");
    assert!(err.to_string().contains(arg(&occupied)), "{err}");
    let mut left = leftovers(&dir);
    left.sort();
    assert_eq!(left, ["occupied"]);

    // A read-only directory keeps its old file intact.
    let ro = dir.join("read-only");
    std::fs::create_dir(&ro).expect("dir");
    let file = ro.join("s.json");
    export::write_atomic(&file, &record).expect("writable at first");
    let before = std::fs::read(&file).expect("written");
    set_read_only(&ro, true);
    if std::fs::write(ro.join("probe"), "").is_ok() {
        let _ = std::fs::remove_file(ro.join("probe"));
        read_only_as_nobody(&file, &before);
        set_read_only(&ro, false);
        return;
    }
    let mut changed = record.clone();
    changed.data = "changed".into();
    let err = export::write_atomic(&file, &changed).expect_err("read-only");
    set_read_only(&ro, false);
    assert!(matches!(err, ExportError::Write { .. }));
    assert!(err.to_string().contains(arg(&file)), "{err}");
    assert_eq!(std::fs::read(&file).expect("still there"), before);
    assert_eq!(leftovers(&ro), ["s.json"]);
}

/// Root ignores permissions, so the binary's export is tried as `nobody` (when `setpriv` can
/// switch to it and `nobody` can run the binary).
fn read_only_as_nobody(file: &Path, before: &[u8]) {
    let o = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_digits-tui"))
        .args([
            "--epochs",
            "1",
            "--optimizers",
            "sgd",
            "--export",
            arg(file),
        ])
        .output();
    match o {
        Ok(o) if o.status.code() == Some(2) => {
            let err = stderr(&o);
            assert!(err.contains("cannot write session to"), "{err}");
            assert!(err.contains("Permission denied"), "{err}");
            assert_eq!(std::fs::read(file).expect("still there"), before);
            let dir = file.parent().expect("a directory");
            assert_eq!(leftovers(dir), ["s.json"]);
        }
        _ => eprintln!("skipped the read-only part: running as root without setpriv"),
    }
}

#[cfg(unix)]
fn set_read_only(dir: &Path, read_only: bool) {
    use std::os::unix::fs::PermissionsExt;
    let mode = if read_only { 0o555 } else { 0o755 };
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(not(unix))]
fn set_read_only(dir: &Path, read_only: bool) {
    let mut perms = std::fs::metadata(dir).expect("metadata").permissions();
    perms.set_readonly(read_only);
    std::fs::set_permissions(dir, perms).expect("permissions");
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

/// Layer health computed (headless `--health`, or the dashboard) is kept in the file, epoch by
/// epoch, as headless printed it, and comes back through replay; `--open` of such a file
/// offers the `i` view. A file without it (one written before health was kept: committed in
/// `tests/data/session-before-health.json`) opens as before, without the view.
#[test]
fn layer_health_travels_in_the_session_file_and_open_offers_its_view() {
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
    let record = export::read(&file).expect("reads");
    let sgd = &record.runs[0].health;
    assert_eq!(
        (sgd.len(), sgd[0].len()),
        (2, 1),
        "2 epochs, 1 hidden layer"
    );
    assert!(record.runs[1].health.is_empty(), "the baseline has none");
    let printed: Vec<serde_json::Value> = (stdout(&o).lines())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .filter(|l| l["optimizer"] == "sgd")
        .map(|l| l["health"].clone())
        .collect();
    let kept: Vec<serde_json::Value> = (sgd.iter())
        .map(|h| serde_json::to_value(h).expect("serializes"))
        .collect();
    assert_eq!(kept, printed, "the figures headless printed");

    let mut again = SessionModel::new(record.settings.clone(), record.data.clone());
    for event in record.replay() {
        again.observe(&event);
    }
    assert_eq!(&again.runs()[0].health.epochs, sgd);
    let mut copy = SessionRecord::of(&again);
    copy.started_unix = record.started_unix;
    assert_eq!(copy, record);

    let before =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/session-before-health.json");
    let old = export::read(&before).expect("an older file still reads");
    assert!(old.runs.iter().all(|r| r.health.is_empty()));
    let shown = run(&["--open", arg(&before), "--headless"]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    for (record, offered) in [(&record, true), (&old, false)] {
        let mut app = App::new(
            record.settings.clone(),
            Arc::new(Dataset::lab()),
            record.data.clone(),
            true,
            Speed::Unlimited,
        );
        for event in record.replay() {
            app.update(Message::Session(event));
        }
        let mut app = app.replaying("saved.json");
        assert_eq!(app.offers(Intent::ToggleView(View::Health)), offered);
        app.update(Intent::ToggleView(View::Health));
        assert_eq!(app.view() == View::Health, offered);
        assert!(!app.offers(Intent::TogglePause), "nothing trains");
    }
}
