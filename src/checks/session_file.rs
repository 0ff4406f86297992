//! Session files, as the library writes and reads them: a headless run's export holds every
//! number it printed, bit for bit, and reads back, replays and writes again to the same bytes;
//! a learning-rate change lands at the epoch it took effect; layer health travels in the file
//! and a saved session offers its view only when it has it; failed writes are typed errors that
//! leave nothing behind. The binary's side of each is in `tests/cli/export.rs`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[path = "../../tests/cli/dirs.rs"]
mod dirs;

use super::fixtures::{headless_export, scratch};
use crate::data::Dataset;
use crate::engine::{self, Event, Session, Speed};
use crate::export::{self, ExportError, SessionRecord};
use crate::format::summary_table;
use crate::front::headless::{self, SummaryFormat};
use crate::model::SessionModel;
use crate::nn::OptimizerKind;
use crate::train::{Contender, LabTrainer, Protocol, Settings};
use crate::ui::app::App;
use crate::ui::intent::Intent;
use crate::ui::message::Message;
use crate::ui::view::View;
use dirs::{leftovers, set_read_only};

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

/// The record replayed into a fresh model, and that model's record, started when it was.
fn replayed(record: &SessionRecord) -> (SessionModel, SessionRecord) {
    let mut again = SessionModel::new(record.settings.clone(), record.data.clone());
    for event in record.replay() {
        again.observe(&event);
    }
    let mut copy = SessionRecord::of(&again);
    copy.started_unix = record.started_unix;
    (again, copy)
}

#[test]
fn an_export_holds_what_was_printed_and_writes_back_to_the_same_bytes() {
    let dir = scratch("session-file", "round-trip");
    let file = dir.join("session.json");
    let settings = Settings {
        epochs: 3,
        ..Settings::default()
    };
    let (printed, table) = headless_export(settings, &file);
    let record = export::read(&file).expect("the export reads back");
    let printed = rows_of_lines(&printed);
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
    // The table printed live is the table the file holds, and `--open` prints both again.
    let summaries: Vec<_> = record.runs.iter().map(|r| r.summary.clone()).collect();
    assert_eq!(table, summary_table(&summaries, &record.settings));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    headless::show(&record, SummaryFormat::Table, &mut out, &mut err).expect("shows");
    assert_eq!(rows_of_lines(&String::from_utf8_lossy(&out)), printed);
    assert_eq!(String::from_utf8_lossy(&err), table);

    // Record → events → a fresh model gives the record back, and so does a second file.
    let (_, copy) = replayed(&record);
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
    let file = scratch("session-file", "lr").join("lr.json");
    export::write_atomic(&file, record).expect("written");
    assert_eq!(
        export::read(&file).expect("reads").runs[0].lr_changes,
        sgd.lr_changes
    );
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

/// Writes fail as typed errors naming the file and leave no file behind; a read-only
/// directory keeps its old file intact (not checked as root, which ignores permissions:
/// `tests/cli/export.rs` tries the binary as `nobody` then).
#[test]
fn failed_writes_are_typed_errors_and_leave_no_file() {
    let record = tiny_record();
    let dir = scratch("session-file", "failures");
    let shown = |p: &Path| p.display().to_string();

    // A missing directory.
    let missing = dir.join("no-such-dir").join("s.json");
    let err = export::write_atomic(&missing, &record).expect_err("no directory");
    assert!(matches!(err, ExportError::Write { .. }));
    let text = err.to_string();
    assert!(
        text.contains(&shown(&missing)) && text.lines().count() == 1,
        "{text}"
    );

    // The target is a directory: the temporary file was written, the rename fails, and the
    // temporary file is gone again.
    let occupied = dir.join("occupied");
    std::fs::create_dir(&occupied).expect("dir");
    std::fs::write(occupied.join("keep"), "x").expect("file");
    let err = export::write_atomic(&occupied, &record).expect_err("a directory");
    assert!(err.to_string().contains(&shown(&occupied)), "{err}");
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
        set_read_only(&ro, false);
        return;
    }
    let mut changed = record.clone();
    changed.data = "changed".into();
    let err = export::write_atomic(&file, &changed).expect_err("read-only");
    set_read_only(&ro, false);
    assert!(matches!(err, ExportError::Write { .. }));
    assert!(err.to_string().contains(&shown(&file)), "{err}");
    assert_eq!(std::fs::read(&file).expect("still there"), before);
    assert_eq!(leftovers(&ro), ["s.json"]);
}

/// Layer health computed (headless `--health`, or the dashboard) is kept in the record, epoch
/// by epoch, as headless printed it, and comes back through replay; a saved session with it
/// offers the `i` view. A file without it (one written before health was kept: committed in
/// `tests/data/session-before-health.json`) opens as before, without the view.
#[test]
fn layer_health_travels_in_the_record_and_a_saved_session_offers_its_view() {
    let file = scratch("session-file", "health").join("health.json");
    let settings = Settings {
        epochs: 2,
        hidden: vec![8],
        optimizers: vec![Contender::Sgd, Contender::Mlp],
        health: true,
        ..Settings::default()
    };
    let (printed, _) = headless_export(settings, &file);
    let record = export::read(&file).expect("reads");
    let sgd = &record.runs[0].health;
    assert_eq!(
        (sgd.len(), sgd[0].len()),
        (2, 1),
        "2 epochs, 1 hidden layer"
    );
    assert!(record.runs[1].health.is_empty(), "the baseline has none");
    let printed: Vec<serde_json::Value> = (printed.lines())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .filter(|l| l["optimizer"] == "sgd")
        .map(|l| l["health"].clone())
        .collect();
    let kept: Vec<serde_json::Value> = (sgd.iter())
        .map(|h| serde_json::to_value(h).expect("serializes"))
        .collect();
    assert_eq!(kept, printed, "the figures headless printed");

    let (again, copy) = replayed(&record);
    assert_eq!(&again.runs()[0].health.epochs, sgd);
    assert_eq!(copy, record);

    let before: PathBuf =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/session-before-health.json");
    let old = export::read(&before).expect("an older file still reads");
    assert!(old.runs.iter().all(|r| r.health.is_empty()));
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
