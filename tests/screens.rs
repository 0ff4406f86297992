//! Whole screens rendered with ratatui's `TestBackend` from a fixed stream of metrics, compared
//! with insta snapshots (no timing reaches the screen: the clock is never ticked).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use digits_tui::data::Dataset;
use digits_tui::train::{EpochReport, Event, Settings, Speed};
use digits_tui::ui::app::{Action, App, SessionEvent};
use digits_tui::ui::render::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn data() -> Arc<Dataset> {
    static D: OnceLock<Arc<Dataset>> = OnceLock::new();
    Arc::clone(D.get_or_init(|| Arc::new(Dataset::lab())))
}

/// A dashboard after `epochs` epochs of made-up but lab-shaped curves: each optimizer's loss
/// falls at its own rate; every seventh test image is misclassified by run 0.
fn app_after(epochs: u32) -> App {
    let data = data();
    let settings = Settings {
        epochs: 100,
        ..Settings::default()
    };
    let mut app = App::new(settings, Arc::clone(&data), false, Speed::Unlimited);
    app.color = false;
    app.update(Action::Session(SessionEvent(Event::Started {
        generation: 1,
        seed: 7,
    })));
    for e in 1..=epochs {
        for run in 0..5 {
            let rate = 0.05 * (run as f64 + 1.0);
            let predictions: Vec<u8> = data
                .y_test
                .iter()
                .enumerate()
                .map(|(i, &y)| {
                    if run == 0 && i % 7 == 0 {
                        (y + 1) % 10
                    } else {
                        y
                    }
                })
                .collect();
            let report = EpochReport {
                epoch: e,
                loss: 2.0 * (-rate * f64::from(e)).exp(),
                train_acc: 1.0 - 0.5 / f64::from(e),
                test_acc: 0.9 + 0.01 * run as f64 - 0.4 / f64::from(e),
                wall: Duration::ZERO,
                predictions: predictions.into(),
                diverged: false,
            };
            app.update(Action::Session(SessionEvent(Event::Epoch {
                generation: 1,
                run,
                report,
            })));
        }
    }
    app
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    app.update(Action::Resize(ratatui::layout::Rect::new(
        0, 0, width, height,
    )));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    terminal.backend().to_string()
}

#[test]
fn running_120x40() {
    insta::assert_snapshot!(screen(&mut app_after(40), 120, 40));
}

#[test]
fn running_80x24_the_minimum() {
    let mut app = app_after(40);
    app.update(Action::SelectNext);
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn just_below_the_minimum_asks_to_enlarge() {
    insta::assert_snapshot!(screen(&mut app_after(3), 79, 24));
}

#[test]
fn tiny_20x5() {
    insta::assert_snapshot!(screen(&mut app_after(3), 20, 5));
}

#[test]
fn degenerate_sizes_do_not_panic() {
    for (w, h) in [(1, 1), (1, 40), (200, 1), (80, 23)] {
        screen(&mut app_after(2), w, h);
    }
    // A 0×0 terminal draws nothing (TestBackend cannot print a 0-wide screen, so no text).
    let mut app = app_after(2);
    app.update(Action::Resize(ratatui::layout::Rect::ZERO));
    let mut terminal = Terminal::new(TestBackend::new(0, 0)).expect("test terminal");
    terminal.draw(|f| render(&app, f)).expect("draw");
    assert_eq!(terminal.backend().buffer().area.area(), 0);
}

#[test]
fn help_overlay_120x40() {
    let mut app = app_after(5);
    app.update(Action::ToggleHelp);
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn finished_shows_the_final_table() {
    let mut app = app_after(100);
    app.update(Action::Session(SessionEvent(Event::Finished {
        generation: 1,
    })));
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn ascii_mode_and_before_any_epoch() {
    let mut app = app_after(0);
    app.ascii = true;
    insta::assert_snapshot!(screen(&mut app, 100, 30));
}

#[test]
fn worker_failure_is_a_panel() {
    let mut app = app_after(2);
    app.update(Action::Session(SessionEvent(Event::Failed {
        message: "worker panicked at epoch 3".into(),
    })));
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn clicking_a_chart_selects_it() {
    let mut app = app_after(2);
    screen(&mut app, 120, 40);
    app.update(Action::Click(ratatui::layout::Position::new(100, 5)));
    assert_eq!(app.selected, 4);
}
