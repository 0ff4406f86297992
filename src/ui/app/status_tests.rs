//! The status bar's figures, driven through `App::update` with synthetic events and ticks:
//! whose epoch and batch it shows, the pace on long epochs, the clock, notices.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::checks::fixtures::epoch;
use crate::engine::{Event, Speed};
use crate::ui::intent::Intent;
use crate::ui::message::Effect;
use crate::ui::view::View;

fn app(speed: Speed) -> App {
    let mut a = App::new(
        Settings::default(),
        Arc::new(Dataset::lab()),
        "embedded",
        false,
        speed,
    );
    a.update(Message::Session(Event::Started {
        generation: 1,
        seed: a.settings().seed,
    }));
    a
}

fn batches(a: &mut App, slot: usize, done: usize, total: usize) {
    a.update(Message::Session(Event::Batches {
        generation: 1,
        slot,
        done,
        total,
    }));
}

fn tick(a: &mut App, seconds: f64) {
    a.update(Message::Tick(Duration::from_secs_f64(seconds)));
}

/// The status bar's line at 160 columns.
fn status_line(a: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(160, 40)).expect("a test terminal");
    (terminal.draw(|f| crate::ui::render::render(a, f))).expect("draws");
    let buffer = terminal.backend().buffer();
    (0..160).map(|x| buffer[(x, 0)].symbol()).collect()
}

#[test]
fn the_epoch_and_the_batch_are_the_run_furthest_behind() {
    let mut a = app(Speed::Unlimited);
    for slot in 0..6 {
        epoch(&mut a, slot, 254);
    }
    // RMSProp is an epoch behind, nearly through it; the baseline barely into its next one.
    // The bar used to show the least fraction of any epoch: the baseline's 10/300 beside
    // RMSProp's epoch.
    epoch(&mut a, 3, 253);
    batches(&mut a, 3, 900, 938);
    batches(&mut a, 5, 10, 300);
    let line = status_line(&a);
    assert!(
        line.contains("epoch 253 / 1000 │ batch 900/938 RP"),
        "{line}"
    );
    // Apart as they are, each chart says whose epoch its figures are.
    let all: String = {
        let mut terminal = Terminal::new(TestBackend::new(160, 40)).expect("a test terminal");
        (terminal.draw(|f| crate::ui::render::render(&a, f))).expect("draws");
        let buffer = terminal.backend().buffer();
        (0..40)
            .flat_map(|y| (0..160).map(move |x| (x, y)))
            .map(|at| buffer[at].symbol().to_owned())
            .collect()
    };
    assert!(all.contains("e253 ") && all.contains("e254 "), "{all}");
}

#[test]
fn a_pause_reads_pausing_until_the_runs_stand_at_one_epoch() {
    let mut a = app(Speed::Unlimited);
    for slot in 0..6 {
        epoch(&mut a, slot, 6);
    }
    batches(&mut a, 2, 400, 938);
    a.update(Intent::TogglePause);
    assert!(status_line(&a).contains("│ pausing │"));
    epoch(&mut a, 2, 7);
    for slot in (0..6).filter(|&s| s != 2) {
        epoch(&mut a, slot, 7);
    }
    assert!(status_line(&a).contains("│ paused │"));
}

#[test]
fn long_epochs_pace_in_seconds_per_epoch_with_the_time_left() {
    let mut a = app(Speed::Unlimited);
    tick(&mut a, 0.0);
    // Half an epoch of 938 batches in 1 s on every lab run: no whole epoch yet, which used to
    // read `0 epochs/s`.
    for slot in 0..5 {
        batches(&mut a, slot, 469, 938);
    }
    tick(&mut a, 1.0);
    assert_eq!(a.epochs_per_second(), Some(0.5));
    let line = status_line(&a);
    assert!(line.contains("2.0 s/epoch"), "{line}");
    // 999.5 epochs to go at 2 s each.
    assert_eq!(a.time_left(), Some(Duration::from_secs(1999)));
    assert!(line.contains("33:19 left"), "{line}");
}

#[test]
fn the_clock_and_the_pace_stop_while_paused_and_once_finished() {
    let mut a = app(Speed::Unlimited);
    tick(&mut a, 0.0);
    epoch(&mut a, 0, 10);
    tick(&mut a, 2.0);
    assert_eq!(a.elapsed(), Duration::from_secs(2));
    a.update(Intent::TogglePause);
    tick(&mut a, 5.0);
    assert_eq!(
        a.elapsed(),
        Duration::from_secs(2),
        "paused: the clock holds"
    );
    assert_eq!(a.epochs_per_second(), None, "paused: no pace");
    a.update(Intent::TogglePause);
    tick(&mut a, 6.0);
    assert_eq!(a.elapsed(), Duration::from_secs(3));
    a.update(Message::Session(Event::Finished { generation: 1 }));
    tick(&mut a, 9.0);
    assert_eq!(
        a.elapsed(),
        Duration::from_secs(3),
        "finished: the clock holds"
    );
    assert_eq!(a.epochs_per_second(), None, "finished: no `96 epochs/s`");
    assert!(status_line(&a).contains("- epochs/s"));
}

#[test]
fn notices_expire_and_never_push_the_speed_and_clock_off() {
    let mut a = app(Speed::PerSecond(1.0));
    tick(&mut a, 1.0);
    // `[` at the slowest rung used to do nothing, silently.
    assert_eq!(a.update(Intent::Slower), None);
    assert_eq!(a.notice(), Some("speed: already the slowest (1 epoch/s)"));
    a.update(Message::Notice(
        "a long notice that once pushed the speed and the clock off the bar: ".repeat(2),
    ));
    let line = status_line(&a);
    assert!(
        line.contains("speed 1/s") && line.contains("00:01"),
        "{line}"
    );
    tick(&mut a, 6.9);
    assert!(a.notice().is_some());
    tick(&mut a, 7.0);
    assert_eq!(a.notice(), None, "gone after its time");
}

#[test]
fn a_saved_notice_with_a_long_path_loses_its_middle_not_itself() {
    let mut a = app(Speed::Unlimited);
    tick(&mut a, 1.0);
    let path = format!(
        "/home/runner/{}/target/tmp/e2e-export/session.json",
        "deep/".repeat(20)
    );
    a.update(Message::Notice(format!("saved {path}")));
    let line = status_line(&a);
    assert!(
        line.contains("saved /home/") && line.contains("…") && line.contains("/session.json"),
        "{line}"
    );
    assert!(
        line.contains("speed max") && line.contains("00:01"),
        "{line}"
    );
}

#[test]
fn a_failed_load_reopens_the_panel_with_its_edits_and_keeps_the_bar() {
    use crate::ui::settings_form::FormEdit;
    let mut a = app(Speed::Unlimited);
    a.update(Intent::ToggleView(View::Settings));
    let go_to = |a: &mut App, field: &str| {
        while a.settings_form().focus().name != field {
            a.update(Intent::SettingsForm(FormEdit::Next));
        }
    };
    go_to(&mut a, "lr");
    a.update(Intent::SettingsForm(FormEdit::Clear));
    "0.05"
        .chars()
        .for_each(|c| drop(a.update(Intent::SettingsForm(FormEdit::Type(c)))));
    go_to(&mut a, "data");
    "Cargo.toml"
        .chars()
        .for_each(|c| drop(a.update(Intent::SettingsForm(FormEdit::Type(c)))));
    let effect = a.update(Intent::SettingsForm(FormEdit::Apply));
    assert!(matches!(effect, Some(Effect::Load { .. })), "{effect:?}");
    // The loop's load failed: the edits used to be gone with the closed panel.
    a.update(Message::LoadFailed(
        "Cargo.toml: the data file is not text".into(),
    ));
    assert_eq!(a.view(), View::Settings);
    assert_eq!(a.settings_form().text("lr"), Some("0.05"));
    assert_eq!(a.settings_form().focus().name, "data");
    assert!(
        a.settings_form()
            .error("data")
            .is_some_and(|e| e.contains("not text"))
    );
    let line = status_line(&a);
    assert!(
        line.contains("seed 7") && line.contains("speed max"),
        "{line}"
    );
}
