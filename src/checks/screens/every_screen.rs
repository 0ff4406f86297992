//! Every screen in ASCII, whole help lines and figures, colour, and the footer.

use super::*;

/// Every screen the dashboard can show, each in its own app drawn with `theme`.
pub(super) fn every_screen(theme: Theme) -> Vec<(&'static str, App)> {
    let view = |v: View| {
        let mut app = app_with_snapshots(10);
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
            Ok(crate::engine::SeedResult {
                seed: 7,
                optimizer: crate::train::Contender::Sgd,
                at: Some(crate::engine::Value::Lr(lr)),
                epochs: 100,
                test_acc: Some(0.9 + 0.01 * k as f64),
                final_loss: (k < 2).then_some(1e-3),
                diverged: k == 2,
                perfect_train_epoch: None,
            }),
        ));
    }
    let mut diverged_draw_app = app_with_snapshots(11);
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
pub(super) fn non_ascii_cells(app: &mut App, width: u16, height: u16) -> Vec<(u16, u16, String)> {
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
pub(super) fn ascii_theme_draws_every_screen_in_pure_ascii() {
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
pub(super) fn ascii_snapshots_80x24() {
    for (name, mut app) in every_screen(Theme::ascii()) {
        insta::assert_snapshot!(format!("ascii_{name}_80x24"), screen(&mut app, 80, 24));
    }
}

/// The help overlay's text: what is between its side borders, row by row, joined.
pub(super) fn help_text(screen: &str) -> String {
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
pub(super) fn every_help_line_is_whole() {
    use crate::ui::keymap::{Scope, help_lines};
    for (w, h) in [(160, 45), (120, 40), (80, 24)] {
        for view in [View::Main, View::Weights, View::Draw] {
            let mut app = app_with_snapshots(5);
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
pub(super) fn colour_reaches_the_cells() {
    use crate::ui::layout::Areas;
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
pub(super) fn figures(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || "│┃|(),".contains(c))
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect()
}

#[test]
pub(super) fn every_figure_on_screen_is_whole() {
    use crate::format;
    use crate::ui::layout::Areas;
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
                    let footer = &fixtures::text_in(buffer, chart)[usize::from(chart.height) - 1];
                    let short = [
                        s.final_loss.map(format::loss_short).unwrap_or_default(),
                        format::accuracy(s.test_acc, 3),
                        s.epochs.to_string(),
                        format::loss(None, s.diverged_at),
                    ];
                    for f in figures(footer) {
                        assert!(short.contains(&f), "{at}: chart {i} footer {footer:?}: {f}");
                    }
                    if app.state() == crate::ui::app::RunState::Finished {
                        // The final table's row of this run.
                        let row = fixtures::text_in(buffer, areas.detail)
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
                        let detail = fixtures::text_in(buffer, areas.detail);
                        for line in detail[1..3].iter().filter(|l| l.contains("epoch")) {
                            for f in figures(line) {
                                assert!(allowed.contains(&f), "{at}: detail {line:?}: {f}");
                            }
                        }
                    }
                }
                // The status bar: seed, epoch, total, clock.
                let status = &fixtures::text_in(buffer, areas.status)[0];
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
pub(super) fn the_footer_shortens_then_drops_but_keeps_help_and_quit() {
    for width in (80..=200).step_by(10) {
        for view in [View::Main, View::Weights, View::Draw] {
            let mut app = app_with_snapshots(5);
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
