//! The settings panel through `App::update` alone: a bad value is refused with its rule,
//! Enter restarts once with exactly the edited settings, Esc changes nothing, a saved
//! session's panel is read only; and the run-level keys that go with it (overlay legend
//! clicks, learning-rate reset).

use super::fixtures::{epoch, lab_data};
use crate::engine::{Command, Event, Speed};
use crate::train::{Contender, Settings};
use crate::ui::app::App;
use crate::ui::intent::Intent;
use crate::ui::message::{Effect, Message};
use crate::ui::settings_form::FormEdit;
use crate::ui::view::View;

fn app() -> App {
    let mut app = App::new(
        Settings::default(),
        lab_data(),
        "embedded",
        false,
        Speed::Unlimited,
    );
    app.update(Message::Session(Event::Started {
        generation: 1,
        seed: 7,
    }));
    app
}

fn edit(app: &mut App, edit: FormEdit) -> Option<Effect> {
    app.update(Intent::SettingsForm(edit))
}

/// Moves the panel's focus to `field` and types `text` over its value.
fn retype(app: &mut App, field: &str, text: &str) {
    while app.settings_form().focus().name != field {
        edit(app, FormEdit::Next);
    }
    edit(app, FormEdit::Clear);
    for c in text.chars() {
        assert_eq!(edit(app, FormEdit::Type(c)), None);
    }
}

#[test]
fn a_bad_value_is_refused_with_its_message_and_nothing_applies() {
    let mut a = app();
    a.update(Intent::ToggleView(View::Settings));
    assert_eq!(a.view(), View::Settings);
    retype(&mut a, "batch-size", "0");
    assert_eq!(
        a.settings_form().error("batch-size").as_deref(),
        Some("must be at least 1")
    );
    assert_eq!(edit(&mut a, FormEdit::Apply), None);
    assert_eq!(a.notice(), Some("--batch-size must be at least 1"));
    assert_eq!(a.view(), View::Settings, "the panel stays open");
    assert_eq!(a.settings(), &Settings::default());
}

#[test]
fn apply_restarts_once_with_exactly_the_edited_settings() {
    let mut a = app();
    epoch(&mut a, 4, 1);
    a.update(Intent::Select(5));
    a.update(Intent::ToggleView(View::Settings));
    retype(&mut a, "lr", "0.05");
    retype(&mut a, "epochs", "50");
    retype(&mut a, "hidden", "32,16");
    // Only Adam and RMSProp: the baseline and the first three switched off.
    while a.settings_form().focus().name != "optimizers" {
        edit(&mut a, FormEdit::Next);
    }
    for i in 0..6 {
        if [0, 1, 2, 5].contains(&i) {
            edit(&mut a, FormEdit::Toggle);
        }
        edit(&mut a, FormEdit::Right);
    }
    let expected = Settings {
        epochs: 50,
        hidden: vec![32, 16],
        hyper: crate::nn::Hyper {
            lr: 0.05,
            ..Default::default()
        },
        optimizers: vec![Contender::Rmsprop, Contender::Adam],
        ..Settings::default()
    };
    assert_eq!(
        edit(&mut a, FormEdit::Apply),
        Some(Effect::Send(Command::Reconfigure {
            // The dashboard's sessions always watch layer health, for its view.
            settings: Box::new(Settings {
                health: true,
                ..expected.clone()
            }),
            data: None,
        }))
    );
    assert_eq!(a.view(), View::Main);
    assert_eq!(a.settings(), &expected);
    // Nothing of the old generation shows; the per-run state follows the new run count.
    assert_eq!(a.runs().len(), 2);
    assert!(a.runs().iter().all(|r| r.epochs.is_empty()));
    assert_eq!(a.selected(), 1);
    let notice = a.notice().unwrap_or_default();
    assert!(
        notice.contains("epochs 50") && notice.contains("lr 0.05"),
        "{notice}"
    );
    // The rate keys act on the new runs.
    assert_eq!(
        a.update(Intent::ScaleLearningRate { up: true }),
        Some(Effect::Send(Command::SetLearningRate { slot: 1, lr: 0.1 }))
    );
}

#[test]
fn other_data_is_loaded_first_and_a_missing_file_is_refused_beside_the_field() {
    let mut a = app();
    a.update(Intent::ToggleView(View::Settings));
    retype(&mut a, "data", "no/such/digits.csv");
    assert_eq!(
        a.settings_form().error("data").as_deref(),
        Some("must name an existing file or directory")
    );
    assert_eq!(edit(&mut a, FormEdit::Apply), None);
    let csv = concat!(env!("CARGO_MANIFEST_DIR"), "/data/digits.csv");
    retype(&mut a, "data", csv);
    let Some(Effect::Load { settings, source }) = edit(&mut a, FormEdit::Apply) else {
        panic!("new data is loaded before the restart");
    };
    assert_eq!(*settings, Settings::default());
    assert_eq!(source.paths().0, Some(std::path::Path::new(csv)));
    let effect = a.update(Message::Loaded {
        settings,
        source: source.clone(),
        data: lab_data(),
    });
    assert!(matches!(
        effect,
        Some(Effect::Send(Command::Reconfigure { data: Some(_), .. }))
    ));
    assert_eq!(a.session().data(), &source, "exports record the new data");
}

#[test]
fn esc_changes_nothing() {
    let mut a = app();
    epoch(&mut a, 0, 1);
    a.update(Intent::ToggleView(View::Settings));
    retype(&mut a, "lr", "0.5");
    assert_eq!(edit(&mut a, FormEdit::Discard), None);
    assert_eq!(a.view(), View::Main);
    assert_eq!(a.settings(), &Settings::default());
    assert_eq!(a.runs()[0].epochs.len(), 1);
    // Opened again, the panel shows the settings in force, not the discarded edit.
    a.update(Intent::ToggleView(View::Settings));
    assert_eq!(a.settings_form().text("lr"), Some("0.01"));
}

#[test]
fn a_saved_session_shows_its_settings_read_only() {
    let mut a = app().replaying("saved.json");
    a.update(Intent::ToggleView(View::Settings));
    assert_eq!(a.view(), View::Settings);
    assert!(a.settings_form().read_only());
    assert_eq!(edit(&mut a, FormEdit::Type('5')), None);
    assert_eq!(edit(&mut a, FormEdit::Apply), None);
    assert!(a.notice().is_some_and(|n| n.contains("shown, not changed")));
    assert_eq!(a.settings_form().text("lr"), Some("0.01"));
    edit(&mut a, FormEdit::Discard);
    assert_eq!(a.view(), View::Main);
}

#[test]
fn b_puts_the_learning_rate_back_to_its_start() {
    let mut a = app();
    assert_eq!(a.update(Intent::ResetLearningRate), None, "already there");
    a.update(Intent::ScaleLearningRate { up: true });
    assert_eq!(
        a.update(Intent::ResetLearningRate),
        Some(Effect::Send(Command::SetLearningRate { slot: 0, lr: 0.01 }))
    );
}

#[test]
fn clicking_a_legend_entry_selects_its_run() {
    use crate::ui::layout::Areas;
    use crate::ui::layout::overlay as legend;
    let mut a = app();
    a.update(Message::Resize(ratatui::layout::Rect::new(0, 0, 120, 40)));
    a.update(Intent::ToggleOverlay);
    assert!(a.overlay());
    let detail = Areas::new(a.size(), a.runs().len(), a.data().side).detail;
    let overlay = legend::place(a.runs(), a.theme(), detail);
    let adam = &overlay.entries[4];
    a.update(Message::Click(ratatui::layout::Position::new(
        adam.area.x + 1,
        adam.area.y,
    )));
    assert_eq!(a.selected(), 4);
}
