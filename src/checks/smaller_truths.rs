//! Screens that once said less than the truth (issue 20, "smaller truths"): each test renders
//! the dashboard on a `TestBackend` and reads what a learner would read.

use std::sync::Arc;

use crate::checks::fixtures::{self, lab_data, report};
use crate::train::Settings;
use crate::ui::app::App;
use crate::ui::intent::Intent;
use crate::ui::message::Message;
use crate::ui::render::render;
use crate::ui::theme::Theme;
use crate::ui::view::View;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

/// A session of `total` epochs after `epochs` of them, every run's loss falling and every
/// seventh test image wrong.
fn app_after(epochs: u32, total: u32) -> App {
    let settings = Settings {
        epochs: total,
        ..Settings::default()
    };
    let labels = &lab_data().y_test;
    let predictions: Arc<[u8]> = (labels.iter().enumerate())
        .map(|(i, &y)| if i % 7 == 0 { (y + 1) % 10 } else { y })
        .collect();
    let made_up = |_, epoch| {
        let report = report(
            epoch,
            2.0 / f64::from(epoch),
            0.95,
            0.9,
            Arc::clone(&predictions),
        );
        Some((report, false))
    };
    fixtures::app_after(
        settings,
        lab_data(),
        "embedded",
        Theme::plain(),
        epochs,
        made_up,
    )
}

fn screen(app: &mut App, width: u16, height: u16) -> Vec<String> {
    app.update(Message::Resize(Rect::new(0, 0, width, height)));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

#[test]
fn zoomed_tiles_at_80x24_write_the_last_epoch_whole() {
    let mut app = app_after(1000, 1000);
    app.update(Intent::CycleZoom);
    let rows = screen(&mut app, 80, 24);
    // The tiles' x labels are on the row above their bottom border.
    let labels = &rows[6];
    // `750    000`: ratatui gave `1000` three cells and cut its `1`.
    assert!(!labels.contains(" 000"), "{labels}");
    assert_eq!(labels.matches("750").count(), 6, "{labels}");
    assert_eq!(
        labels.matches("1k").count() + labels.matches("1000").count(),
        6,
        "{labels}"
    );
}

#[test]
fn help_sections_stand_apart_from_the_line_above() {
    let mut app = app_after(5, 100);
    app.update(Intent::ToggleHelp);
    let rows = screen(&mut app, 120, 40);
    let title = (rows.iter())
        .find(|r| r.contains("everywhere"))
        .expect("the help names its sections at 120×40");
    // Indented like a description it read as the end of `r R restart …`; a rule leads it.
    assert!(title.contains("│ ────────  everywhere"), "{title}");
}

#[test]
fn the_footer_offers_the_sweep_and_export_where_they_fit() {
    for (width, export) in [(80, false), (120, true)] {
        let mut app = app_after(5, 100);
        let rows = screen(&mut app, width, 24);
        let footer = rows.last().expect("a footer");
        assert!(footer.contains("c i w d m g t"), "{width}: {footer}");
        assert_eq!(footer.contains(" e "), export, "{width}: {footer}");
    }
}

#[test]
fn the_confusion_view_states_its_epoch_and_overall_accuracy() {
    let mut app = app_after(12, 100);
    app.update(Intent::ToggleView(View::Confusion));
    let labels = &lab_data().y_test;
    let right = (0..labels.len()).filter(|i| i % 7 != 0).count();
    let shown = format!(
        "epoch 12 · test accuracy {:.3} ({right} of {} right)",
        right as f64 / labels.len() as f64,
        labels.len()
    );
    for (w, h) in [(80, 24), (120, 40)] {
        let text = screen(&mut app, w, h).join("\n");
        assert!(text.contains(&shown), "{w}x{h}: no {shown:?} in\n{text}");
    }
}

#[test]
fn the_baselines_detail_panel_states_its_recipe() {
    let mut app = app_after(5, 100);
    app.update(Intent::Select(5));
    let text = screen(&mut app, 160, 50).join("\n");
    for piece in crate::train::baseline_recipe() {
        assert!(text.contains(&piece), "no {piece:?} in\n{text}");
    }
}
