//! The sweep view (`g`): opening it asks for the sweep of the session's settings, results fill
//! it in as they arrive (curves, best rates, divergences), and it draws at the minimum size,
//! at a large one and in a tiny terminal without panicking. Its text at an ordinary width
//! (issue 20, item 8): the `best so far` line keeps whole entries and never starts bare, the
//! curves have a legend at 120 columns, and the line about the charts above says what they do.

use std::sync::Arc;

use crate::checks::fixtures::report;
use crate::data::Dataset;
use crate::engine::{Event, SeedResult, Speed, Value};
use crate::train::{Contender, Settings};
use crate::ui::app::App;
use crate::ui::background::Background;
use crate::ui::intent::Intent;
use crate::ui::message::{Effect, Message};
use crate::ui::render::render;
use crate::ui::theme::Theme;
use crate::ui::view::View;
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
                        at: Some(crate::engine::Value::Lr(lr)),
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

/// A dashboard on the lab data with the sweep view open, nothing finished yet.
fn sweep_app() -> App {
    let mut app = App::new(
        Settings::default(),
        Arc::new(Dataset::lab()),
        "embedded",
        false,
        Speed::Unlimited,
    )
    .with_theme(Theme::plain());
    app.update(Message::Session(Event::Started {
        generation: 1,
        seed: 7,
    }));
    app.update(Intent::ToggleView(View::Sweep));
    app
}

/// One finished run of the sweep: `optimizer` at `lr`, ending at `acc`.
fn finish(app: &mut App, optimizer: Contender, lr: f64, acc: f64) {
    let result = SeedResult {
        at: Some(Value::Lr(lr)),
        epochs: 1000,
        test_acc: Some(acc),
        final_loss: Some(1e-3),
        ..SeedResult::unstarted(7, optimizer)
    };
    app.update(Message::Background(Background::Sweep, Ok(result)));
}

/// The screen's line that contains `what`.
fn line_with(screen: &str, what: &str) -> String {
    (screen.lines().find(|l| l.contains(what)))
        .unwrap_or_else(|| panic!("no line with {what:?} in\n{screen}"))
        .to_owned()
}

#[test]
fn the_best_line_is_never_bare_and_never_cut() {
    let mut app = sweep_app();
    let first = screen(&mut app, 120, 40);
    let best = line_with(&first, "best so far:");
    assert!(
        best.trim_end_matches(['"', ' ', '│', '|']).len() > "best so far:".len() + 5,
        "a bare best line: {best}"
    );
    // Every run best at the grid's 0.01, each a little worse than the one before.
    let lr = app.background(Background::Sweep).rates[4];
    for (k, c) in Contender::ALL.into_iter().enumerate() {
        finish(&mut app, c, lr, 0.95 - 0.001 * k as f64);
    }
    let text = screen(&mut app, 120, 40);
    // Every entry shown is whole: its accuracy's bracket closes on its line.
    let lines: Vec<&str> = (text.lines())
        .skip_while(|l| !l.contains("best so far:"))
        .take(2)
        .collect();
    for line in &lines {
        let opened = line.matches('(').count();
        let closed = line.matches(')').count();
        assert_eq!(opened, closed, "a cut entry: {line}\n{text}");
    }
    assert!(text.contains("best so far: SGD 0.01 (0.9500)"), "{text}");
}

#[test]
fn the_curves_have_a_legend_at_120_columns() {
    let mut app = sweep_app();
    finish(&mut app, Contender::Sgd, 0.03, 0.95);
    finish(&mut app, Contender::Adam, 0.001, 0.97);
    let text = screen(&mut app, 120, 40);
    let chart: Vec<&str> = (text.lines())
        .skip_while(|l| !l.contains("learning-rate sweep"))
        .take_while(|l| !l.contains("best so far"))
        .collect();
    let legend = |name: &str| chart.iter().any(|l| l.contains(&format!(" {name}")));
    assert!(
        legend("SGD") && legend("Adam") && legend("diverged"),
        "{text}"
    );
}

#[test]
fn the_view_says_when_the_charts_above_have_finished() {
    let mut app = sweep_app();
    finish(&mut app, Contender::Sgd, 0.03, 0.95);
    app.update(Message::Session(Event::Epoch {
        generation: 1,
        slot: 0,
        report: report(1, 1.0, 0.5, 0.5, vec![1; 360]),
        last: true,
    }));
    app.update(Message::Session(Event::Finished { generation: 1 }));
    let text = screen(&mut app, 120, 40);
    assert!(!text.contains("keep training"), "{text}");
    assert!(text.contains("the charts above have finished"), "{text}");
}
