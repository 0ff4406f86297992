//! The dashboard on 28×28 data (the committed IDX fixture `tests/data/idx-small`): test digits,
//! the draw canvas and the weights drawn at the data's size, with greys on its 0..255 scale;
//! every view renders; whole screens are compared with insta snapshots.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::checks::fixtures::{self, report, text_in};
use crate::data::{self, Dataset};
use crate::engine::{Event, Speed};
use crate::train::{EpochReport, Settings, Trainer};
use crate::ui::app::App;
use crate::ui::canvas::CanvasEdit;
use crate::ui::intent::Intent;
use crate::ui::layout::{Areas, DrawLayout, PixelCells};
use crate::ui::message::Message;
use crate::ui::render::render;
use crate::ui::theme::Theme;
use crate::ui::view::View;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Color;

/// The 300 + 100-image 28×28 fixture, loaded once.
fn large() -> Arc<Dataset> {
    static D: OnceLock<Arc<Dataset>> = OnceLock::new();
    Arc::clone(D.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/idx-small");
        Arc::new(data::load(Some(&dir), None).expect("the fixture loads"))
    }))
}

/// A dashboard on the fixture after 20 epochs of made-up curves (every seventh test image
/// wrong for run 0, the rest right), each run holding its freshly initialised network, as the
/// weights and draw views receive them. Nothing random reaches the screen.
fn app(theme: Theme) -> App {
    let data = large();
    let settings = Settings {
        epochs: 100,
        ..Settings::default()
    };
    let labels = Arc::clone(&data);
    let source = "tests/data/idx-small";
    let mut app = fixtures::app_after(
        settings.clone(),
        Arc::clone(&data),
        source,
        theme,
        20,
        |slot, e| {
            let predictions: Vec<u8> = (labels.y_test.iter().enumerate())
                .map(|(i, &y)| {
                    if slot == 0 && i % 7 == 0 {
                        (y + 1) % 10
                    } else {
                        y
                    }
                })
                .collect();
            let report = report(
                e,
                2.0 * (-0.05 * (slot as f64 + 1.0) * f64::from(e)).exp(),
                1.0 - 0.5 / f64::from(e),
                0.85 + 0.01 * slot as f64 - 0.4 / f64::from(e),
                predictions,
            );
            Some((report, false))
        },
    );
    for (slot, &contender) in settings.optimizers.iter().enumerate() {
        let snapshot = Trainer::new(contender, &settings, Arc::clone(&data)).snapshot();
        app.update(Message::Session(Event::Snapshot {
            generation: 1,
            slot,
            snapshot: Arc::new(snapshot),
        }));
    }
    app
}

/// `app` drawn at `width`×`height`: the buffer.
fn draw(app: &mut App, width: u16, height: u16) -> Buffer {
    app.update(Message::Resize(Rect::new(0, 0, width, height)));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    terminal.backend().buffer().clone()
}

/// `app` drawn at `width`×`height`: the text.
fn screen(app: &mut App, width: u16, height: u16) -> String {
    app.update(Message::Resize(Rect::new(0, 0, width, height)));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    terminal.backend().to_string()
}

#[test]
fn every_view_renders_28x28_data_after_real_training() {
    let data = large();
    let settings = Settings::default();
    let mut app = App::new(
        settings.clone(),
        Arc::clone(&data),
        "embedded",
        false,
        Speed::Unlimited,
    );
    app.update(Message::Session(Event::Started {
        generation: 1,
        seed: 7,
    }));
    for (slot, &contender) in settings.optimizers.iter().enumerate() {
        let mut trainer = Trainer::new(contender, &settings, Arc::clone(&data));
        let report: EpochReport = trainer.train_epoch();
        assert_eq!(report.predictions.len(), 100);
        let report = EpochReport {
            wall: Duration::ZERO,
            ..report
        };
        app.update(Message::Session(Event::Epoch {
            generation: 1,
            slot,
            report,
            last: false,
        }));
        app.update(Message::Session(Event::Snapshot {
            generation: 1,
            slot,
            snapshot: Arc::new(trainer.snapshot()),
        }));
    }
    app.update(Intent::NewDigits);
    for view in [View::Main, View::Confusion, View::Weights, View::Draw] {
        if view != View::Main {
            app.update(Intent::ToggleView(view));
        }
        if view == View::Draw {
            app.update(Intent::Canvas(CanvasEdit::Load));
            app.update(Intent::Canvas(CanvasEdit::Ink(9)));
        }
        for (w, h) in [(200, 60), (120, 40), (80, 24)] {
            let text = screen(&mut app, w, h);
            assert!(!text.trim().is_empty(), "{view:?}");
        }
        app.update(Intent::Back);
    }
}

#[test]
fn main_screen_28x28_snapshots() {
    for (name, theme) in [("plain", Theme::plain()), ("ascii", Theme::ascii())] {
        let mut app = app(theme);
        for (w, h) in [(120, 40), (80, 24)] {
            insta::assert_snapshot!(format!("main_28x28_{name}_{w}x{h}"), screen(&mut app, w, h));
        }
    }
}

#[test]
fn draw_and_weights_views_28x28_snapshots() {
    for (name, theme) in [("colour", Theme::default()), ("ascii", Theme::ascii())] {
        for (view, what) in [(View::Draw, "draw"), (View::Weights, "weights")] {
            let mut app = app(theme);
            app.update(Intent::ToggleView(view));
            if view == View::Draw {
                // A soft stroke down the middle, drawn with the keys (the pen starts at 13, 13).
                app.update(Intent::Canvas(CanvasEdit::Move { dx: 0, dy: -8 }));
                for _ in 0..16 {
                    app.update(Intent::Canvas(CanvasEdit::Ink(9)));
                    app.update(Intent::Canvas(CanvasEdit::Move { dx: 0, dy: 1 }));
                }
            }
            for (w, h) in [(120, 40), (80, 24)] {
                insta::assert_snapshot!(
                    format!("{what}_28x28_{name}_{w}x{h}"),
                    screen(&mut app, w, h)
                );
            }
        }
    }
}

#[test]
fn enough_digits_show_with_every_runs_prediction() {
    for (w, h, least) in [(120, 40, 4), (80, 24, 2), (200, 60, 4)] {
        let mut app = app(Theme::plain());
        let buffer = draw(&mut app, w, h);
        let areas = Areas::new(buffer.area, app.runs().len(), 28);
        let panel = text_in(&buffer, areas.digits).join("\n");
        // The selected run's verdict, then every other run's guess, once per tile.
        let tiles = panel.matches("actual ").count();
        assert!(tiles >= least, "{w}x{h}: {tiles} tiles\n{panel}");
        for run in app.runs().iter().skip(1) {
            let short = run.contender.short();
            let guesses = (0..10).map(|d| panel.matches(&format!("{short} {d}")).count());
            assert_eq!(guesses.sum::<usize>(), tiles, "{w}x{h} {short}\n{panel}");
        }
    }
}

#[test]
fn digits_show_exact_greys_on_the_datas_scale() {
    let data = large();
    let mut app = app(Theme::default());
    // At 200×60 the tiles are full size: a 28×28 digit in 28×14 cells, two pixels a cell.
    let buffer = draw(&mut app, 200, 60);
    let areas = Areas::new(buffer.area, app.runs().len(), 28);
    let (x0, y0) = (areas.digits.x + 1, areas.digits.y + 1);
    let first = data.test_pixels.row(app.digits()[0]);
    let grey = |p: u8| Color::Rgb(p, p, p);
    for r in 0..14u16 {
        for c in 0..28u16 {
            let cell = &buffer[(x0 + c, y0 + r)];
            let upper = first[usize::from(2 * r) * 28 + usize::from(c)];
            let lower = first[usize::from(2 * r + 1) * 28 + usize::from(c)];
            assert_eq!(cell.symbol(), "▀");
            assert_eq!((cell.fg, cell.bg), (grey(upper), grey(lower)), "{c},{r}");
        }
    }
    // Real greys, not the lab's 17 levels: the fixture's strokes have anti-aliased edges.
    let levels: std::collections::BTreeSet<u8> = first.iter().copied().collect();
    assert!(levels.len() > 17, "{levels:?}");
    // At 120×40 they are averaged 2×2 first: 14×7 cells.
    let buffer = draw(&mut app, 120, 40);
    let areas = Areas::new(buffer.area, app.runs().len(), 28);
    let (x0, y0) = (areas.digits.x + 1, areas.digits.y + 1);
    let mean = |r: usize, c: usize| {
        let sum: u32 = (0..4)
            .map(|k| u32::from(first[(2 * r + k / 2) * 28 + 2 * c + k % 2]))
            .sum();
        f64::from(sum) / 4.0
    };
    for r in 0..7u16 {
        for c in 0..14u16 {
            let cell = &buffer[(x0 + c, y0 + r)];
            let (ru, cu) = (usize::from(r), usize::from(c));
            for (colour, want) in [(cell.fg, mean(2 * ru, cu)), (cell.bg, mean(2 * ru + 1, cu))] {
                let Color::Rgb(g, _, _) = colour else {
                    panic!("{c},{r}: {colour:?}");
                };
                assert!((f64::from(g) - want).abs() <= 0.5, "{c},{r}: {g} vs {want}");
            }
        }
    }
}

#[test]
fn painting_the_28x28_canvas_inks_a_soft_neighbourhood() {
    let mut app = app(Theme::plain());
    app.update(Intent::ToggleView(View::Draw));
    draw(&mut app, 120, 40);
    let areas = Areas::new(Rect::new(0, 0, 120, 40), app.runs().len(), 28);
    let d = DrawLayout::new(areas.below(), 28);
    assert_eq!(d.cells, PixelCells::Half);
    // The cell at column 10, row 5 holds pixels (10, 10) over (10, 11).
    let at = Position::new(d.canvas.x + 10, d.canvas.y + 5);
    app.update(Message::Click(at));
    let canvas = app.canvas();
    let p = |x: usize, y: usize| canvas.pixels[y * 28 + x];
    assert_eq!((p(10, 10), p(10, 11)), (255.0, 255.0));
    // Grey around the stroke, fading with distance, nothing far away.
    for (x, y) in [(9, 10), (11, 11), (10, 9), (10, 12), (9, 9), (11, 12)] {
        assert!(p(x, y) > 0.0 && p(x, y) < 255.0, "({x}, {y}): {}", p(x, y));
    }
    assert!(p(9, 10) > p(9, 9), "{} {}", p(9, 10), p(9, 9));
    assert_eq!((p(13, 10), p(10, 14), p(0, 0)), (0.0, 0.0, 0.0));
    let inked = canvas.pixels.iter().filter(|&&v| v > 0.0).count();
    assert!((8..=24).contains(&inked), "{inked} pixels inked");
    assert_eq!(canvas.pen, (10, 11));
    // A drag paints on, ink only darkens; the right button erases the same neighbourhood.
    app.update(Message::Paint {
        at: Position::new(at.x + 1, at.y),
        erase: false,
    });
    let canvas = app.canvas();
    assert_eq!(
        (canvas.pixels[10 * 28 + 10], canvas.pixels[10 * 28 + 11]),
        (255.0, 255.0)
    );
    app.update(Message::Paint { at, erase: true });
    let canvas = app.canvas();
    assert_eq!(canvas.pixels[10 * 28 + 10], 0.0);
    assert!(canvas.pixels[10 * 28 + 11] < 255.0);
    // Off the canvas nothing changes.
    let before = app.canvas().clone();
    app.update(Message::Paint {
        at: Position::new(d.canvas.right() + 3, d.canvas.y),
        erase: false,
    });
    assert_eq!(app.canvas(), &before);
}

#[test]
fn a_loaded_test_image_is_named_with_its_true_label() {
    let data = large();
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = app(Theme::ascii());
        app.update(Intent::ToggleView(View::Draw));
        app.update(Intent::Canvas(CanvasEdit::Load));
        let loaded = app.canvas().loaded.expect("an image was loaded");
        assert_eq!(loaded.label, data.y_test[loaded.index]);
        // The canvas holds it exactly, at its size and on its scale.
        let row: Vec<f64> = (data.test_pixels.row(loaded.index).iter())
            .map(|&p| f64::from(p))
            .collect();
        assert_eq!(app.canvas().pixels, row);
        let text = screen(&mut app, w, h);
        let said = format!(
            "loaded test image #{}, true label {}",
            loaded.index, loaded.label
        );
        assert!(text.contains(&said), "{w}x{h}: {said:?} in\n{text}");
        app.update(Intent::Canvas(CanvasEdit::Ink(9)));
        let text = screen(&mut app, w, h);
        assert!(text.contains(&format!("{said}, edited")), "{text}");
        app.update(Intent::Canvas(CanvasEdit::Clear));
        assert!(!screen(&mut app, w, h).contains("loaded test image"));
    }
}

#[test]
fn every_28x28_screen_is_pure_ascii_with_ascii() {
    for view in [
        View::Main,
        View::Confusion,
        View::Weights,
        View::Draw,
        View::Seeds,
    ] {
        let mut app = app(Theme::ascii());
        if view != View::Main {
            app.update(Intent::ToggleView(view));
        }
        app.update(Intent::Canvas(CanvasEdit::Load));
        for (w, h) in [(200, 60), (120, 40), (80, 24), (40, 12)] {
            let buffer = draw(&mut app, w, h);
            let bad: Vec<_> = (buffer.area.positions())
                .filter(|&p| !buffer[p].symbol().is_ascii())
                .take(8)
                .map(|p| (p.x, p.y, buffer[p].symbol().to_owned()))
                .collect();
            assert!(bad.is_empty(), "{view:?} at {w}x{h}: {bad:?}");
        }
    }
}
