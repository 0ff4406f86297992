//! Whole screens rendered with ratatui's `TestBackend` from a fixed stream of metrics, compared
//! with insta snapshots (no timing reaches the screen: the clock is never ticked).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use digits_tui::data::Dataset;
use digits_tui::engine::{Command, Event, Speed};
use digits_tui::train::{EpochReport, Protocol, Settings, Trainer};
use digits_tui::ui::app::{Action, App, CanvasEdit, Effect, View};
use digits_tui::ui::render::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn data() -> Arc<Dataset> {
    static D: OnceLock<Arc<Dataset>> = OnceLock::new();
    Arc::clone(D.get_or_init(|| Arc::new(Dataset::lab())))
}

/// The epoch at which the made-up baseline (run 5) stops early.
const BASELINE_STOP: u32 = 30;

/// A dashboard after `epochs` epochs of made-up but lab-shaped curves: each optimizer's loss
/// falls at its own rate; every seventh test image is misclassified by run 0; the baseline
/// stops early at [`BASELINE_STOP`].
fn app_after(epochs: u32) -> App {
    app_with(epochs, Protocol::Fair)
}

fn app_with(epochs: u32, protocol: Protocol) -> App {
    let data = data();
    let settings = Settings {
        epochs: 100,
        protocol,
        ..Settings::default()
    };
    let mut app = App::new(
        settings,
        Arc::clone(&data),
        "embedded",
        false,
        Speed::Unlimited,
    )
    .with_look(false, false);
    app.update(Action::Session(Event::Started {
        generation: 1,
        seed: 7,
    }));
    for e in 1..=epochs {
        for run in 0..6 {
            if run == 5 && e > BASELINE_STOP {
                continue;
            }
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
            app.update(Action::Session(Event::Epoch {
                generation: 1,
                run,
                report,
                last: run == 5 && e == BASELINE_STOP,
            }));
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
    app.update(Action::Session(Event::Finished { generation: 1 }));
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn ascii_mode_and_before_any_epoch() {
    let mut app = app_after(0).with_look(true, false);
    insta::assert_snapshot!(screen(&mut app, 100, 30));
}

#[test]
fn worker_failure_is_a_panel() {
    let mut app = app_after(2);
    app.update(Action::Session(Event::Failed {
        message: "worker panicked at epoch 3".into(),
    }));
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn clicking_a_chart_selects_it() {
    let mut app = app_after(2);
    screen(&mut app, 120, 40);
    // Six charts of 20 columns: x = 85 is the fifth.
    app.update(Action::Click(ratatui::layout::Position::new(85, 5)));
    assert_eq!(app.selected(), 4);
}

#[test]
fn chain_protocol_shows_the_stage_in_progress() {
    let data = data();
    let settings = Settings {
        epochs: 100,
        protocol: Protocol::Chain,
        ..Settings::default()
    };
    let mut app = App::new(
        settings,
        Arc::clone(&data),
        "embedded",
        false,
        Speed::Unlimited,
    )
    .with_look(false, false);
    app.update(Action::Session(Event::Started {
        generation: 1,
        seed: 7,
    }));
    // SGD ran its 100 epochs, Momentum continues from its weights and is at epoch 40.
    let mut feed = |run: usize, e: u32, loss: f64, last: bool| {
        let report = EpochReport {
            epoch: e,
            loss,
            train_acc: 0.99,
            test_acc: 0.95,
            wall: Duration::ZERO,
            predictions: data.y_test.clone().into(),
            diverged: false,
        };
        app.update(Action::Session(Event::Epoch {
            generation: 1,
            run,
            report,
            last,
        }));
    };
    for e in 1..=100 {
        feed(0, e, 2.0 * (-0.05 * f64::from(e)).exp(), e == 100);
    }
    for e in 1..=40 {
        feed(1, e, 0.013 * (-0.08 * f64::from(e)).exp(), false);
    }
    assert_eq!(app.stage(), Some((1, 2)));
    assert_eq!(app.epoch(), 40);
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

/// A dashboard whose runs carry real (freshly initialised) weights, as the weights and draw
/// views receive them from the session.
fn app_with_models(epochs: u32) -> App {
    let mut app = app_after(epochs);
    let settings = Settings::default();
    for (run, &contender) in settings.optimizers.iter().enumerate() {
        let model = Trainer::new(contender, &settings, data()).model();
        app.update(Action::Session(Event::Model {
            generation: 1,
            run,
            epoch: epochs,
            model: Arc::new(model),
        }));
    }
    app
}

#[test]
fn confusion_view_at_120x40_and_80x24() {
    let mut app = app_after(40);
    app.update(Action::ToggleView(View::Confusion));
    insta::assert_snapshot!("confusion_120x40", screen(&mut app, 120, 40));
    insta::assert_snapshot!("confusion_80x24", screen(&mut app, 80, 24));
}

#[test]
fn weights_view_at_120x40_and_80x24() {
    let mut app = app_with_models(10);
    assert_eq!(
        app.update(Action::ToggleView(View::Weights)),
        Some(Effect::Send(Command::WatchModels(true)))
    );
    insta::assert_snapshot!("weights_120x40", screen(&mut app, 120, 40));
    insta::assert_snapshot!("weights_80x24", screen(&mut app, 80, 24));
    assert_eq!(
        app.update(Action::Back),
        Some(Effect::Send(Command::WatchModels(false)))
    );
    assert_eq!(app.view(), View::Main);
}

#[test]
fn draw_view_at_120x40_and_80x24() {
    let mut app = app_with_models(10);
    app.update(Action::ToggleView(View::Draw));
    // A vertical stroke down the middle, drawn with the keys.
    for _ in 0..8 {
        app.update(Action::Canvas(CanvasEdit::Ink(9)));
        app.update(Action::Canvas(CanvasEdit::Move { dx: 0, dy: 1 }));
    }
    insta::assert_snapshot!("draw_120x40", screen(&mut app, 120, 40));
    insta::assert_snapshot!("draw_80x24", screen(&mut app, 80, 24));
}

#[test]
fn seeds_view_fills_in_as_runs_finish() {
    use digits_tui::engine::SeedResult;
    use digits_tui::train::Contender;

    let mut app = app_after(40);
    assert_eq!(
        app.update(Action::ToggleView(View::Seeds)),
        Some(Effect::StartSeeds((7..=16).collect()))
    );
    // Three seeds of made-up results for every contender but the baseline, still running.
    for (k, &optimizer) in Contender::ALL[..5].iter().enumerate() {
        for seed in 7..=9u32 {
            let acc = 0.93 + 0.01 * k as f64 + 0.005 * f64::from(seed - 7);
            app.update(Action::SeedResult(Ok(SeedResult {
                seed,
                optimizer,
                lr: None,
                epochs: 100,
                test_acc: Some(acc),
                final_loss: Some(1e-3 / (k as f64 + 1.0)),
                diverged: false,
                perfect_train_epoch: Some(20),
            })));
        }
    }
    insta::assert_snapshot!("seeds_120x40", screen(&mut app, 120, 40));
    insta::assert_snapshot!("seeds_80x24", screen(&mut app, 80, 24));
}
