//! The settings panel, the overlay and its zoom, and the detail panel.

use super::*;

/// The settings panel with an edited rate, a refused batch size and the baseline switched off.
pub(super) fn settings_panel() -> App {
    use crate::ui::settings_form::FormEdit;
    let mut app = app_after(40);
    app.update(Intent::ToggleView(View::Settings));
    let mut type_over = |field: &str, text: &str| {
        while app.settings_form().focus().name != field {
            app.update(Intent::SettingsForm(FormEdit::Next));
        }
        app.update(Intent::SettingsForm(FormEdit::Clear));
        for c in text.chars() {
            app.update(Intent::SettingsForm(FormEdit::Type(c)));
        }
    };
    type_over("lr", "0.05");
    type_over("batch-size", "0");
    while app.settings_form().focus().name != "optimizers" {
        app.update(Intent::SettingsForm(FormEdit::Next));
    }
    app.update(Intent::SettingsForm(FormEdit::Left));
    app.update(Intent::SettingsForm(FormEdit::Toggle));
    app
}

/// Every run on the shared charts, with a learning-rate change on run 1.
pub(super) fn overlay() -> App {
    let mut app = app_after(40);
    app.update(Message::Session(Event::LearningRate {
        generation: 1,
        slot: 1,
        epoch: 20,
        lr: 0.02,
    }));
    app.update(Intent::ToggleOverlay);
    app
}

/// The overlay zoomed on the latest epochs.
pub(super) fn zoomed() -> App {
    let mut app = overlay();
    app.update(Intent::CycleZoom);
    app
}

/// The whole screen with every cell's colours and modifiers (ratatui's `Buffer` debug form).
pub(super) fn coloured(app: &mut App, width: u16, height: u16) -> String {
    format!("{:#?}", drawn(app, width, height).backend().buffer())
}

#[test]
pub(super) fn workbench_screens_in_plain_ascii_and_colour() {
    for (name, make) in [
        ("settings", settings_panel as fn() -> App),
        ("overlay", overlay),
        ("zoomed", zoomed),
    ] {
        for (w, h) in [(120, 40), (80, 24)] {
            let mut app = make();
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&mut app, w, h));
            let mut app = make().with_theme(Theme::ascii());
            insta::assert_snapshot!(format!("{name}_ascii_{w}x{h}"), screen(&mut app, w, h));
            let mut app = make().with_theme(Theme::default());
            insta::assert_snapshot!(format!("{name}_colour_{w}x{h}"), coloured(&mut app, w, h));
        }
    }
}

#[test]
pub(super) fn the_overlay_names_every_run_with_its_figures_and_zoom_narrows_the_axis() {
    let mut app = overlay();
    let shown = screen(&mut app, 120, 40);
    for run in app.runs() {
        assert!(shown.contains(run.contender.label()), "{shown}");
    }
    // Each run's marker without colour is its own.
    let mut ascii = overlay().with_theme(Theme::ascii());
    let text = screen(&mut ascii, 120, 40);
    for mark in [
        "* SGD",
        "o Momentum",
        "+ AdaGrad",
        "# RMSProp",
        "@ Adam",
        "% MLP",
    ] {
        assert!(text.contains(mark), "{mark}: {text}");
    }
    // Zoomed, the epoch axis runs over the latest quarter (at least 10 epochs): 30 to 40.
    let mut z = zoomed();
    assert_eq!(z.epoch_window(), (30, 40));
    let text = screen(&mut z, 120, 40);
    assert!(text.contains("30") && text.contains(" 40"), "{text}");
    z.update(Intent::CycleZoom);
    assert_eq!(z.epoch_window(), (0, 100));
}

#[test]
pub(super) fn the_detail_panel_writes_the_selected_rule_with_its_constants() {
    let mut app = app_after(40);
    app.update(Intent::Select(4));
    let text = screen(&mut app, 160, 50);
    for piece in [
        "m ← β1·m + (1−β1)·g",
        "vc = v/(1−β2^t)",
        "w ← w − lr·mc/(√vc+ε)",
        "β1 0.9",
        "β2 0.99",
        "ε 1e-8",
        "t 41",
        "lr 0.01",
    ] {
        assert!(text.contains(piece), "{piece}: {text}");
    }
    let mut ascii = app_after(40).with_theme(Theme::ascii());
    ascii.update(Intent::Select(1));
    let text = screen(&mut ascii, 120, 40);
    assert!(text.contains("d <- gamma*d + lr*g"), "{text}");
}
