//! Whole screens rendered with ratatui's `TestBackend` from a fixed stream of metrics, compared
//! with insta snapshots (no timing reaches the screen: the clock is never ticked).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use digits_tui::data::{CLASSES, Dataset};
use digits_tui::engine::{Command, Event, Speed};
use digits_tui::nn::{Activation, Init, Network, OptimizerKind, Workspace};
use digits_tui::rng::RandomState;
use digits_tui::train::{Contender, EpochReport, LabTrainer, Protocol, Settings, Trainer, health};
use digits_tui::ui::app::App;
use digits_tui::ui::background::Background;
use digits_tui::ui::canvas::CanvasEdit;
use digits_tui::ui::intent::Intent;
use digits_tui::ui::message::{Effect, Message};
use digits_tui::ui::render::render;
use digits_tui::ui::theme::Theme;
use digits_tui::ui::view::View;
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
    .with_theme(Theme::plain());
    app.update(Message::Session(Event::Started {
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
                penalty: None,
                health: None,
            };
            app.update(Message::Session(Event::Epoch {
                generation: 1,
                slot: run,
                report,
                last: run == 5 && e == BASELINE_STOP,
            }));
        }
    }
    app
}

/// `app` resized to and drawn on a `width`×`height` test terminal.
fn drawn(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    app.update(Message::Resize(ratatui::layout::Rect::new(
        0, 0, width, height,
    )));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    terminal
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    drawn(app, width, height).backend().to_string()
}

#[test]
fn running_120x40() {
    insta::assert_snapshot!(screen(&mut app_after(40), 120, 40));
}

#[test]
fn running_80x24_the_minimum() {
    let mut app = app_after(40);
    app.update(Intent::SelectNext);
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
fn degenerate_sizes_show_the_enlarge_message_whole_or_nothing() {
    for (w, h) in [
        (1, 1),
        (1, 40),
        (200, 1),
        (80, 23),
        (9, 3),
        (20, 2),
        (79, 24),
    ] {
        let mut app = app_after(2);
        app.update(Message::Resize(ratatui::layout::Rect::new(0, 0, w, h)));
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        terminal.draw(|f| render(&app, f)).expect("draw");
        let buffer = terminal.backend().buffer();
        assert_eq!((buffer.area.width, buffer.area.height), (w, h));
        let text: Vec<String> = (0..h)
            .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect())
            .collect();
        let words = text
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let messages = [
            format!("Terminal too small: {w}×{h}. Enlarge to at least 80×24. (q quits)"),
            format!("Too small: {w}×{h}, need 80×24."),
            "Enlarge the terminal.".to_owned(),
            "Enlarge".to_owned(),
            String::new(),
        ];
        assert!(messages.contains(&words), "{w}x{h}: {words:?}");
        // Every line of it is centred and inside the screen (no cell past the buffer).
        for line in &text {
            assert_eq!(line.chars().count(), usize::from(w));
        }
    }
    // A 0×0 terminal draws nothing (TestBackend cannot print a 0-wide screen, so no text).
    let mut app = app_after(2);
    app.update(Message::Resize(ratatui::layout::Rect::ZERO));
    let mut terminal = Terminal::new(TestBackend::new(0, 0)).expect("test terminal");
    terminal.draw(|f| render(&app, f)).expect("draw");
    assert_eq!(terminal.backend().buffer().area.area(), 0);
}

#[test]
fn help_overlay_120x40() {
    let mut app = app_after(5);
    app.update(Intent::ToggleHelp);
    insta::assert_snapshot!(screen(&mut app, 120, 40));
    insta::assert_snapshot!("help_overlay_80x24", screen(&mut app, 80, 24));
}

/// `--optimizers adam,sgd`: two runs, so the help offers the number keys of those two only
/// (it once said "1–6 (6 is the baseline)"), and the speed line names the ladder's range.
#[test]
fn help_names_only_the_runs_present() {
    let settings = Settings {
        optimizers: vec![Contender::Adam, Contender::Sgd],
        ..Settings::default()
    };
    let mut app =
        App::new(settings, data(), "embedded", false, Speed::Unlimited).with_theme(Theme::plain());
    app.update(Intent::ToggleHelp);
    let shown = screen(&mut app, 80, 24);
    let text = help_text(&shown);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("1 2 select a run by its number"), "{words}");
    assert!(
        !words.contains("1–6") && !words.contains("baseline"),
        "{words}"
    );
    assert!(words.contains("slower / faster (1 epoch/s up to unlimited)"));
    insta::assert_snapshot!("help_adam_sgd_80x24", shown);
}

fn finished() -> App {
    let mut app = app_after(100);
    app.update(Message::Session(Event::Finished { generation: 1 }));
    app
}

#[test]
fn finished_shows_the_final_table() {
    let mut app = finished();
    insta::assert_snapshot!(screen(&mut app, 120, 40));
    insta::assert_snapshot!("finished_80x24", screen(&mut app, 80, 24));
}

#[test]
fn ascii_mode_and_before_any_epoch() {
    let mut app = app_after(0).with_theme(Theme::ascii());
    insta::assert_snapshot!(screen(&mut app, 100, 30));
}

#[test]
fn worker_failure_is_a_panel() {
    let mut app = app_after(2);
    app.update(Message::Session(Event::Failed {
        message: "worker panicked at epoch 3".into(),
    }));
    insta::assert_snapshot!(screen(&mut app, 80, 24));
    insta::assert_snapshot!("worker_failure_120x40", screen(&mut app, 120, 40));
}

#[test]
fn clicking_a_chart_selects_it() {
    let mut app = app_after(2);
    screen(&mut app, 120, 40);
    // Six charts of 20 columns: x = 85 is the fifth.
    app.update(Message::Click(ratatui::layout::Position::new(85, 5)));
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
    .with_theme(Theme::plain());
    app.update(Message::Session(Event::Started {
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
            penalty: None,
            health: None,
        };
        app.update(Message::Session(Event::Epoch {
            generation: 1,
            slot: run,
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
        let model = Trainer::new(contender, &settings, data()).snapshot();
        app.update(Message::Session(Event::Snapshot {
            generation: 1,
            slot: run,
            epoch: epochs,
            snapshot: Arc::new(model),
        }));
    }
    app
}

#[test]
fn confusion_view_at_120x40_and_80x24() {
    let mut app = app_after(40);
    app.update(Intent::ToggleView(View::Confusion));
    insta::assert_snapshot!("confusion_120x40", screen(&mut app, 120, 40));
    insta::assert_snapshot!("confusion_80x24", screen(&mut app, 80, 24));
}

#[test]
fn weights_view_at_120x40_and_80x24() {
    let mut app = app_with_models(10);
    assert_eq!(
        app.update(Intent::ToggleView(View::Weights)),
        Some(Effect::Send(Command::WatchSnapshots(true)))
    );
    insta::assert_snapshot!("weights_120x40", screen(&mut app, 120, 40));
    insta::assert_snapshot!("weights_80x24", screen(&mut app, 80, 24));
    assert_eq!(
        app.update(Intent::Back),
        Some(Effect::Send(Command::WatchSnapshots(false)))
    );
    assert_eq!(app.view(), View::Main);
}

#[test]
fn draw_view_at_120x40_and_80x24() {
    let mut app = app_with_models(10);
    app.update(Intent::ToggleView(View::Draw));
    // A vertical stroke down the middle, drawn with the keys.
    for _ in 0..8 {
        app.update(Intent::Canvas(CanvasEdit::Ink(9)));
        app.update(Intent::Canvas(CanvasEdit::Move { dx: 0, dy: 1 }));
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
        app.update(Intent::ToggleView(View::Seeds)),
        Some(Effect::StartBackground {
            which: Background::Seeds,
            seeds: (7..=16).collect(),
            rates: Vec::new(),
        })
    );
    // Three seeds of made-up results for every contender but the baseline, still running.
    for (k, &optimizer) in Contender::ALL[..5].iter().enumerate() {
        for seed in 7..=9u32 {
            let acc = 0.93 + 0.01 * k as f64 + 0.005 * f64::from(seed - 7);
            app.update(Message::Background(
                Background::Seeds,
                Ok(SeedResult {
                    seed,
                    optimizer,
                    at: None,
                    epochs: 100,
                    test_acc: Some(acc),
                    final_loss: Some(1e-3 / (k as f64 + 1.0)),
                    diverged: false,
                    perfect_train_epoch: Some(20),
                }),
            ));
        }
    }
    insta::assert_snapshot!("seeds_120x40", screen(&mut app, 120, 40));
    insta::assert_snapshot!("seeds_80x24", screen(&mut app, 80, 24));
}

/// RMSProp (run 3) diverges at epoch 12.
fn diverge_rmsprop(app: &mut App) {
    let report = EpochReport {
        epoch: 12,
        loss: f64::NAN,
        train_acc: 0.1,
        test_acc: 0.1,
        wall: Duration::ZERO,
        predictions: vec![9; data().y_test.len()].into(),
        diverged: true,
        penalty: None,
        health: None,
    };
    app.update(Message::Session(Event::Epoch {
        generation: 1,
        slot: 3,
        report,
        last: true,
    }));
}

/// A dashboard whose RMSProp (run 3) diverged at epoch 12, the others at epoch 40.
fn diverged() -> App {
    let mut app = app_after(11);
    diverge_rmsprop(&mut app);
    app.update(Intent::Select(3));
    app
}

#[test]
fn a_diverged_run_says_so_wherever_a_figure_would_be() {
    let mut app = diverged();
    let main = screen(&mut app, 120, 40);
    assert!(main.contains("diverged at epoch 12"), "{main}");
    assert!(main.contains("diverged@12"), "{main}");
    assert!(!main.contains("best 0.000"), "{main}");
    insta::assert_snapshot!("diverged_120x40", main);
    // The draw view gives it no reading (its probabilities are not numbers).
    let mut with_models = app_with_models(11);
    let draw = screen(diverged_draw(&mut with_models), 120, 40);
    let rmsprop: Vec<&str> = draw.lines().filter(|l| l.contains("RMSProp  ")).collect();
    assert_eq!(rmsprop.len(), 1, "{draw}");
    assert!(rmsprop[0].contains("diverged at epoch 12"), "{draw}");
    assert!(!rmsprop[0].contains('%'), "{draw}");
}

/// The draw view of `app` after its RMSProp diverged.
fn diverged_draw(app: &mut App) -> &mut App {
    diverge_rmsprop(app);
    app.update(Intent::ToggleView(View::Draw));
    app
}

#[test]
fn before_the_first_epoch_no_figure_is_made_up() {
    let text = screen(&mut app_after(0), 120, 40);
    assert!(text.contains("epoch 0 · no epoch yet · lr 0.01"), "{text}");
    assert!(!text.contains("0.000"), "{text}");
}

#[test]
fn the_weights_view_pages_through_every_unit() {
    let mut app = app_with_models(10);
    app.update(Intent::ToggleView(View::Weights));
    let first = screen(&mut app, 120, 40);
    assert!(first.contains("units 1–26 of 80"), "{first}");
    let mut seen = 26;
    while seen < 80 {
        app.update(Intent::WeightsPage { forward: true });
        let page = screen(&mut app, 120, 40);
        // Pages start where the last one ended: no unit is shown twice.
        let (start, end) = (seen + 1, (seen + 26).min(80));
        assert!(
            page.contains(&format!("units {start}–{end} of 80")),
            "{page}"
        );
        seen = end;
    }
    app.update(Intent::WeightsPage { forward: true });
    assert!(screen(&mut app, 120, 40).contains("units 79–80 of 80"));
    app.update(Intent::WeightsPage { forward: false });
    app.update(Intent::WeightsPage { forward: false });
    app.update(Intent::WeightsPage { forward: false });
    app.update(Intent::WeightsPage { forward: false });
    assert!(screen(&mut app, 120, 40).contains("units 1–26 of 80"));
}

/// Every screen the dashboard can show, each in its own app drawn with `theme`.
fn every_screen(theme: Theme) -> Vec<(&'static str, App)> {
    let view = |v: View| {
        let mut app = app_with_models(10);
        app.update(Intent::ToggleView(v));
        app
    };
    let mut help = app_after(5);
    help.update(Intent::ToggleHelp);
    let mut weights_help = view(View::Weights);
    weights_help.update(Intent::ToggleHelp);
    let mut failure = app_after(2);
    failure.update(Message::Session(Event::Failed {
        message: "worker panicked at epoch 3 — «boom»".into(),
    }));
    let replay = finished().replaying("session-7.json");
    let seeds = view(View::Seeds);
    let mut sweep = view(View::Sweep);
    for (k, lr) in [1e-3, 1e-2, 1e-1].into_iter().enumerate() {
        sweep.update(Message::Background(
            Background::Sweep,
            Ok(digits_tui::engine::SeedResult {
                seed: 7,
                optimizer: digits_tui::train::Contender::Sgd,
                at: Some(digits_tui::engine::Value::Lr(lr)),
                epochs: 100,
                test_acc: Some(0.9 + 0.01 * k as f64),
                final_loss: (k < 2).then_some(1e-3),
                diverged: k == 2,
                perfect_train_epoch: None,
            }),
        ));
    }
    let mut diverged_draw_app = app_with_models(11);
    diverged_draw(&mut diverged_draw_app);
    let mut notice = app_after(40);
    notice.update(Message::Notice("Adam: learning rate → 0.02".into()));
    vec![
        ("before", app_after(0)),
        ("running", app_after(40)),
        ("notice", notice),
        ("help", help),
        ("weights_help", weights_help),
        ("confusion", view(View::Confusion)),
        ("weights", view(View::Weights)),
        ("draw", view(View::Draw)),
        ("seeds", seeds),
        ("sweep", sweep),
        ("finished", finished()),
        ("failure", failure),
        ("replay", replay),
        ("diverged", diverged()),
        ("diverged_draw", diverged_draw_app),
        ("chain", app_with(40, Protocol::Chain)),
        ("settings", settings_panel()),
        ("overlay", overlay()),
        ("zoomed", zoomed()),
    ]
    .into_iter()
    .map(|(name, app)| (name, app.with_theme(theme)))
    .collect()
}

/// The cells of `app` drawn at `width`×`height` whose symbol is not 7-bit ASCII.
fn non_ascii_cells(app: &mut App, width: u16, height: u16) -> Vec<(u16, u16, String)> {
    app.update(Message::Resize(ratatui::layout::Rect::new(
        0, 0, width, height,
    )));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    let buffer = terminal.backend().buffer();
    (buffer.area.positions())
        .filter(|&p| !buffer[p].symbol().is_ascii())
        .map(|p| (p.x, p.y, buffer[p].symbol().to_owned()))
        .collect()
}

#[test]
fn ascii_theme_draws_every_screen_in_pure_ascii() {
    for (name, mut app) in every_screen(Theme::ascii()) {
        for (w, h) in [(120, 40), (80, 24), (40, 12)] {
            let bad = non_ascii_cells(&mut app, w, h);
            assert!(
                bad.is_empty(),
                "{name} at {w}x{h}: {:?}",
                &bad[..bad.len().min(8)]
            );
        }
    }
    // The check can fail: the Unicode theme draws box lines, Braille and shades.
    for (name, mut app) in every_screen(Theme::plain()) {
        assert!(!non_ascii_cells(&mut app, 120, 40).is_empty(), "{name}");
    }
}

#[test]
fn ascii_snapshots_80x24() {
    for (name, mut app) in every_screen(Theme::ascii()) {
        insta::assert_snapshot!(format!("ascii_{name}_80x24"), screen(&mut app, 80, 24));
    }
}

/// The help overlay's text: what is between its side borders, row by row, joined.
fn help_text(screen: &str) -> String {
    let rows: Vec<Vec<char>> = screen
        .lines()
        .map(|l| l.trim_matches('"').chars().collect())
        .collect();
    let (top, left) = (rows.iter().enumerate())
        .find_map(|(y, r)| {
            let s: String = r.iter().collect();
            let at = s.find(" keys (")?;
            let x = s[..at].chars().count() - 1;
            Some((y, x))
        })
        .expect("the overlay is drawn");
    let right = (left + 1..rows[top].len())
        .find(|&x| rows[top][x] == '┐')
        .expect("top right corner");
    (top + 1..rows.len())
        .take_while(|&y| rows[y][left] != '└')
        .map(|y| rows[y][left + 1..right].iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_help_line_is_whole() {
    use digits_tui::ui::keymap::{Scope, help_lines};
    for (w, h) in [(160, 45), (120, 40), (80, 24)] {
        for view in [View::Main, View::Weights, View::Draw] {
            let mut app = app_with_models(5);
            app.update(Intent::ToggleView(view));
            app.update(Intent::ToggleHelp);
            let shown = screen(&mut app, w, h);
            assert!(shown.contains(" keys ("), "{w}x{h} {view:?}: {shown}");
            let text = help_text(&shown);
            let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let scopes = [Scope::Global, Scope::Browse, Scope::Canvas, Scope::Weights];
            let active = scopes.into_iter().filter(|s| s.active_in(view));
            for (keys, help) in active.flat_map(|s| help_lines(s, app.runs().len(), |_| true)) {
                let line = format!("{keys} {help}");
                assert!(
                    words.contains(&line),
                    "{w}x{h} {view:?}: {line:?} not whole in {words:?}"
                );
            }
        }
    }
}

#[test]
fn colour_reaches_the_cells() {
    use digits_tui::ui::layout::Areas;
    use ratatui::style::Color;
    let mut app = app_after(40).with_theme(Theme::default());
    app.update(Message::Resize(ratatui::layout::Rect::new(0, 0, 120, 40)));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    terminal.draw(|f| render(&app, f)).expect("draw");
    let buffer = terminal.backend().buffer();
    let areas = Areas::new(buffer.area, app.runs().len(), app.data().side);
    let colours = [
        Color::LightRed,
        Color::LightYellow,
        Color::LightGreen,
        Color::LightCyan,
        Color::LightMagenta,
        Color::LightBlue,
    ];
    // Each chart's curve (its Braille cells) is drawn in its run's colour.
    for (i, chart) in areas.charts.iter().enumerate() {
        let curve: Vec<Color> = (chart.positions())
            .filter(|&p| {
                ('\u{2801}'..='\u{28ff}')
                    .contains(&buffer[p].symbol().chars().next().unwrap_or(' '))
            })
            .map(|p| buffer[p].fg)
            .collect();
        assert!(!curve.is_empty(), "chart {i} has a curve");
        assert!(
            curve.iter().all(|&c| c == colours[i]),
            "chart {i}: {curve:?}"
        );
    }
    // The first digit tile is the test image in true greys, two cells per pixel.
    let (x0, y0) = (areas.digits.x + 1, areas.digits.y + 1);
    let pixels = app.data().test_pixels.row(app.digits()[0]);
    for r in 0..8u16 {
        for c in 0..8u16 {
            let p = f64::from(pixels[usize::from(r * 8 + c)]);
            let g = (p * 255.0 / 16.0).round() as u8;
            for dx in 0..2 {
                let cell = &buffer[(x0 + 2 * c + dx, y0 + r)];
                assert_eq!(cell.bg, Color::Rgb(g, g, g), "pixel ({r}, {c})");
            }
        }
    }
}

/// The tokens of `text` that hold a digit: the figures it shows.
fn figures(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || "│┃|(),".contains(c))
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect()
}

/// The text of `area` in `buffer`, row by row.
fn rows(buffer: &ratatui::buffer::Buffer, area: ratatui::layout::Rect) -> Vec<String> {
    (area.top()..area.bottom())
        .map(|y| {
            (area.left()..area.right())
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

#[test]
fn every_figure_on_screen_is_whole() {
    use digits_tui::format;
    use digits_tui::ui::layout::Areas;
    for (name, mut app) in [
        ("finished", finished()),
        ("running", app_after(40)),
        ("diverged", diverged()),
    ] {
        for width in (80..=200).step_by(10) {
            for height in [24, 30, 40, 50] {
                app.update(Message::Resize(ratatui::layout::Rect::new(
                    0, 0, width, height,
                )));
                let mut terminal =
                    Terminal::new(TestBackend::new(width, height)).expect("terminal");
                terminal.draw(|f| render(&app, f)).expect("draw");
                let buffer = terminal.backend().buffer();
                let areas = Areas::new(buffer.area, app.runs().len(), app.data().side);
                let at = format!("{name} {width}x{height}");
                for (i, run) in app.runs().iter().enumerate() {
                    let s = &run.summary;
                    let mut allowed = vec![
                        s.epochs.to_string(),
                        format::loss(s.final_loss, s.diverged_at),
                        format::accuracy(s.test_acc, 4),
                        format::accuracy(s.best_test_acc, 4),
                        s.best_epoch.to_string(),
                    ];
                    // The chart's footer: the bottom border of run i's chart.
                    let chart = areas.charts[i];
                    let footer = &rows(buffer, chart)[usize::from(chart.height) - 1];
                    let short = [
                        s.final_loss.map(format::loss_short).unwrap_or_default(),
                        format::accuracy(s.test_acc, 3),
                        s.epochs.to_string(),
                        format::loss(None, s.diverged_at),
                    ];
                    for f in figures(footer) {
                        assert!(short.contains(&f), "{at}: chart {i} footer {footer:?}: {f}");
                    }
                    if app.state() == digits_tui::ui::app::RunState::Finished {
                        // The final table's row of this run.
                        let row = rows(buffer, areas.detail)
                            .into_iter()
                            .find(|r| r.trim_start_matches('│').starts_with(run.contender.label()))
                            .unwrap_or_else(|| {
                                panic!("{at}: no row for {}", run.contender.label())
                            });
                        for f in figures(&row) {
                            assert!(allowed.contains(&f), "{at}: table row {row:?}: {f}");
                        }
                    } else if i == app.selected() {
                        // The detail panel's figures lines.
                        allowed.extend([
                            format::accuracy(s.train_acc, 3),
                            format::accuracy(s.test_acc, 3),
                            format::accuracy(s.best_test_acc, 3),
                            format::loss(s.final_loss, None),
                            "0.01".to_owned(),
                            s.diverged_at.unwrap_or(0).to_string(),
                        ]);
                        let detail = rows(buffer, areas.detail);
                        for line in detail[1..3].iter().filter(|l| l.contains("epoch")) {
                            for f in figures(line) {
                                assert!(allowed.contains(&f), "{at}: detail {line:?}: {f}");
                            }
                        }
                    }
                }
                // The status bar: seed, epoch, total, clock.
                let status = &rows(buffer, areas.status)[0];
                let allowed = [
                    app.settings().seed.to_string(),
                    app.epoch().to_string(),
                    app.settings().epochs.to_string(),
                    "00:00".to_owned(),
                ];
                for f in figures(status) {
                    assert!(allowed.contains(&f), "{at}: status {status:?}: {f}");
                }
            }
        }
    }
}

#[test]
fn the_footer_shortens_then_drops_but_keeps_help_and_quit() {
    for width in (80..=200).step_by(10) {
        for view in [View::Main, View::Weights, View::Draw] {
            let mut app = app_with_models(5);
            app.update(Intent::ToggleView(view));
            let text = screen(&mut app, width, 30);
            let footer = text.lines().last().unwrap_or_default();
            assert!(
                footer.contains("? help") && footer.contains("q quit"),
                "{width}: {footer}"
            );
            assert!(footer.contains("c i w d m"), "{width}: {footer}");
        }
    }
    // With room, every key of a group and the full words show.
    let text = screen(&mut app_after(5), 160, 40);
    let footer = text.lines().last().unwrap_or_default();
    assert!(
        footer.contains("[ ] speed") && footer.contains("← → select"),
        "{footer}"
    );
}

/// The settings panel with an edited rate, a refused batch size and the baseline switched off.
fn settings_panel() -> App {
    use digits_tui::ui::settings_form::FormEdit;
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
fn overlay() -> App {
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
fn zoomed() -> App {
    let mut app = overlay();
    app.update(Intent::CycleZoom);
    app
}

/// The whole screen with every cell's colours and modifiers (ratatui's `Buffer` debug form).
fn coloured(app: &mut App, width: u16, height: u16) -> String {
    format!("{:#?}", drawn(app, width, height).backend().buffer())
}

#[test]
fn workbench_screens_in_plain_ascii_and_colour() {
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
fn the_overlay_names_every_run_with_its_figures_and_zoom_narrows_the_axis() {
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
fn the_detail_panel_writes_the_selected_rule_with_its_constants() {
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

// The layer-health view (`i`) drawn from real training: two lab runs of the knobs' contrast
// (the lab's weights with sigmoids, He weights with relu) trained a few epochs with their
// health watched, then the view at 120×40 and 80×24 without colour, in ASCII and in colour.
// Its figures are also checked against an independent computation.

/// Epochs the layer-health view's runs train.
const HEALTH_EPOCHS: u32 = 4;

fn health_settings(init: Init, activation: Activation) -> Settings {
    Settings {
        epochs: 20,
        init,
        activation,
        optimizers: vec![Contender::Sgd, Contender::Adam, Contender::Mlp],
        health: true,
        ..Settings::default()
    }
}

/// A dashboard whose two lab runs trained [`HEALTH_EPOCHS`] epochs for real, health watched, the
/// baseline none yet; the view open on run `selected`.
fn health_app(init: Init, activation: Activation, theme: Theme) -> App {
    let data = data();
    let settings = health_settings(init, activation);
    let mut app = App::new(
        settings.clone(),
        Arc::clone(&data),
        "embedded",
        false,
        Speed::Unlimited,
    )
    .with_theme(theme);
    app.update(Message::Session(Event::Started {
        generation: 1,
        seed: 7,
    }));
    for (run, kind) in [OptimizerKind::Sgd, OptimizerKind::Adam]
        .into_iter()
        .enumerate()
    {
        let mut trainer = LabTrainer::new(kind, &settings, Arc::clone(&data));
        for _ in 0..HEALTH_EPOCHS {
            let report = trainer.train_epoch();
            app.update(Message::Session(Event::Epoch {
                generation: 1,
                slot: run,
                report,
                last: false,
            }));
        }
    }
    app.update(Intent::ToggleView(View::Health));
    app
}

#[test]
fn health_view_in_plain_ascii_and_colour() {
    for (name, init, activation) in [
        ("lab_sigmoid", Init::Lab, Activation::Sigmoid),
        ("he_relu", Init::He, Activation::Relu),
    ] {
        for (w, h) in [(120, 40), (80, 24)] {
            let mut plain = health_app(init, activation, Theme::plain());
            insta::assert_snapshot!(format!("health_{name}_{w}x{h}"), screen(&mut plain, w, h));
            let mut ascii = health_app(init, activation, Theme::ascii());
            insta::assert_snapshot!(
                format!("health_{name}_ascii_{w}x{h}"),
                screen(&mut ascii, w, h)
            );
        }
    }
    let mut colour = health_app(Init::He, Activation::Relu, Theme::default());
    insta::assert_snapshot!(
        "health_he_relu_colour_120x40",
        coloured(&mut colour, 120, 40)
    );
    let mut colour = health_app(Init::He, Activation::Relu, Theme::default());
    insta::assert_snapshot!("health_he_relu_colour_80x24", coloured(&mut colour, 80, 24));
}

#[test]
fn health_view_of_the_baseline_says_it_has_none_and_tiny_sizes_do_not_panic() {
    let mut app = health_app(Init::Lab, Activation::Sigmoid, Theme::plain());
    app.update(Intent::SelectNext);
    app.update(Intent::SelectNext);
    assert!(screen(&mut app, 120, 40).contains("no layer health"));
    for (w, h) in [(80, 24), (100, 30), (20, 5), (1, 1)] {
        screen(&mut app, w, h);
    }
}

/// The probe's figures against a computation of their own: the same run stepped batch by
/// batch through the public network API, every norm, bin and count taken afresh.
#[test]
fn health_figures_match_an_independent_computation() {
    let data = data();
    for activation in Activation::ALL {
        let s = Settings {
            weight_decay: 0.01,
            ..health_settings(Init::Xavier, activation)
        };
        let mut run = LabTrainer::new(OptimizerKind::Momentum, &s, Arc::clone(&data));
        let mut rng = RandomState::new(s.seed);
        let sizes = s.layer_sizes(data.width(), CLASSES);
        let mut net = Network::new(&sizes, s.init, activation, &mut rng);
        let mut ws = Workspace::new(&sizes, s.batch_size);
        let x = data.x_train.as_slice().expect("standard layout");
        let width = data.width();
        for epoch in 1..=2 {
            let report = run.train_epoch();
            let mut order: Vec<usize> = (0..data.y_train.len()).collect();
            rng.shuffle(&mut order);
            let (mut grad_norms, mut ratios, mut batches) = ([0.0; 2], [0.0; 2], 0.0);
            for rows in order.chunks(s.batch_size) {
                let bx: Vec<f64> = rows
                    .iter()
                    .flat_map(|&r| x[r * width..(r + 1) * width].iter().copied())
                    .collect();
                let by: Vec<u8> = rows.iter().map(|&r| data.y_train[r]).collect();
                net.backward(&bx, &by, &mut ws);
                net.decay_gradients(s.weight_decay, &mut ws);
                let before: Vec<Vec<f64>> = (net.layers().iter())
                    .map(|l| l.weights().to_vec())
                    .collect();
                for (norm, grad) in grad_norms.iter_mut().zip(ws.grads()) {
                    *norm += frobenius(&grad.w);
                }
                net.update(OptimizerKind::Momentum, &s.hyper, epoch, &ws);
                for ((ratio, layer), before) in ratios.iter_mut().zip(net.layers()).zip(&before) {
                    let delta: Vec<f64> = (layer.weights().iter())
                        .zip(before)
                        .map(|(a, b)| a - b)
                        .collect();
                    *ratio += frobenius(&delta) / frobenius(before);
                }
                batches += 1.0;
            }
            let got = report.health.expect("watched");
            let x_test = data.x_test.as_slice().expect("standard layout");
            let n_test = data.y_test.len();
            let mut eval = Workspace::new(&sizes, n_test);
            net.forward(x_test, n_test, &mut eval);
            for l in 0..2 {
                let units = sizes[l + 1];
                let acts = &eval.activations(l)[..n_test * units];
                let range = activation.histogram_range();
                let mut histogram = vec![0u64; health::BINS];
                for &a in acts {
                    histogram[health::bin(a, range)] += 1;
                }
                let saturated = acts.iter().filter(|&&a| activation.is_saturated(a)).count();
                let stuck = (0..units)
                    .filter(|&u| (0..n_test).all(|i| activation.is_saturated(acts[i * units + u])))
                    .count();
                let h = &got[l];
                let what = format!("{activation:?} epoch {epoch} layer {}", l + 1);
                assert_eq!(h.histogram, histogram, "{what}");
                assert_eq!(h.saturated, saturated as f64 / acts.len() as f64, "{what}");
                assert_eq!(h.stuck_units, stuck, "{what}");
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs();
                assert!(close(h.grad_norm, grad_norms[l] / batches), "{what}");
                assert!(close(h.update_ratio, ratios[l] / batches), "{what}");
            }
        }
    }
}

fn frobenius(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}
