//! The sweep view (`g`): opening it asks for the sweep of the session's settings, results fill
//! it in as they arrive (curves, best rates, divergences), and it draws at the minimum size,
//! at a large one and in a tiny terminal without panicking.

use std::sync::Arc;

use digits_tui::data::Dataset;
use digits_tui::engine::{SeedResult, Speed};
use digits_tui::train::{Contender, Settings};
use digits_tui::ui::app::App;
use digits_tui::ui::background::Background;
use digits_tui::ui::intent::Intent;
use digits_tui::ui::message::{Effect, Message};
use digits_tui::ui::render::render;
use digits_tui::ui::view::View;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(app: &mut App, width: u16, height: u16) -> String {
    app.update(Message::Resize(ratatui::layout::Rect::new(
        0, 0, width, height,
    )));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    terminal.backend().to_string()
}

#[test]
fn the_view_starts_the_sweep_and_fills_in_as_runs_finish() {
    let settings = Settings {
        optimizers: vec![Contender::Sgd, Contender::Adam],
        ..Settings::default()
    };
    let mut app = App::new(
        settings,
        Arc::new(Dataset::lab()),
        "embedded",
        true,
        Speed::Unlimited,
    );
    let Some(Effect::StartBackground { seeds, rates, .. }) =
        app.update(Intent::ToggleView(View::Sweep))
    else {
        panic!("opening the view starts the sweep");
    };
    assert_eq!(seeds, [7, 8, 9]);
    assert_eq!((rates.len(), rates[0], rates[8]), (9, 1e-4, 1.0));
    assert_eq!(app.view(), View::Sweep);
    assert_eq!(app.background(Background::Sweep).runs, 54);
    let before = screen(&mut app, 120, 40);
    assert!(before.contains("learning-rate sweep"), "{before}");
    assert!(before.contains("0 of 54 runs"), "{before}");

    // Made-up results: SGD best at 0.1 and diverging at 1, Adam best at 0.001, equally good
    // (a tie on accuracy and loss keeps --optimizers order).
    for (i, &lr) in rates.iter().enumerate() {
        for seed in [7, 8] {
            let at = |best: usize| 0.97 - 0.02 * (i as f64 - best as f64).abs();
            let sgd_diverges = lr == 1.0;
            for (optimizer, acc, diverged) in [
                (
                    Contender::Sgd,
                    if sgd_diverges { 0.1 } else { at(6) },
                    sgd_diverges,
                ),
                (Contender::Adam, at(2), false),
            ] {
                app.update(Message::Background(
                    Background::Sweep,
                    Ok(SeedResult {
                        seed,
                        optimizer,
                        at: Some(digits_tui::engine::Value::Lr(lr)),
                        epochs: 1000,
                        test_acc: Some(acc),
                        final_loss: (!diverged).then_some(1e-3),
                        diverged,
                        perfect_train_epoch: None,
                    }),
                ));
            }
        }
    }
    let after = screen(&mut app, 120, 40);
    assert!(after.contains("36 of 54 runs"), "{after}");
    assert!(
        after.contains("best so far: SGD 0.1 (0.9700) · Adam 0.001 (0.9700)"),
        "{after}"
    );
    assert!(after.contains("diverged: SGD at 1 (2 of 2)"), "{after}");
    for small in [(80, 24), (20, 5)] {
        screen(&mut app, small.0, small.1);
    }
    // Esc (the same key) goes back; the sweep keeps its results.
    app.update(Intent::ToggleView(View::Sweep));
    assert_eq!(app.view(), View::Main);
    assert_eq!(app.background(Background::Sweep).results.len(), 36);
}
