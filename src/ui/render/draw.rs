//! The draw view (`d`): the canvas, and what every run's network reads there (as read when
//! the canvas or the network last changed).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Borders, Paragraph};

use crate::train::argmax;
use crate::ui::app::App;
use crate::ui::layout::{DrawLayout, PixelCells};
use crate::ui::widgets::{Field, fit_fields};

/// The canvas's lines: each pixel a block of cells, or two pixels a cell.
fn canvas_lines(app: &App, cells: PixelCells) -> Vec<Line<'static>> {
    let (theme, canvas) = (app.theme(), app.canvas());
    let side = canvas.side;
    let ink = |col: usize, row: usize| {
        (canvas.pixels.get(row * side + col)).map_or(0.0, |p| p / canvas.max_pixel.max(1.0))
    };
    let pen = |col: usize, row: usize| canvas.pen == (col as u8, row as u8);
    match cells {
        PixelCells::Block(width, height) => (0..side)
            .flat_map(|row| {
                let spans: Vec<Span> = (0..side)
                    .map(|col| theme.canvas_pixel(ink(col, row), width.into(), pen(col, row)))
                    .collect();
                std::iter::repeat_n(Line::from(spans), height.into())
            })
            .collect(),
        PixelCells::Half => (0..side)
            .step_by(2)
            .map(|row| {
                let spans: Vec<Span> = (0..side)
                    .map(|col| {
                        let (upper, lower) = (ink(col, row), ink(col, row + 1));
                        match (pen(col, row), pen(col, row + 1)) {
                            (true, _) => theme.canvas_pair(upper, lower, true),
                            (_, true) => theme.canvas_pair(upper, lower, false),
                            _ => theme.pixel_pair(upper, lower, true),
                        }
                    })
                    .collect();
                Line::from(spans)
            })
            .collect(),
    }
}

/// The canvas and, for every run, what its network reads there.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let canvas = app.canvas();
    let d = DrawLayout::new(area, canvas.side);
    let theme = app.theme();
    let borders = match d.bottom {
        true => Borders::ALL,
        false => Borders::ALL - Borders::BOTTOM,
    };
    frame.render_widget(theme.block().borders(borders).title(" draw "), d.outer);
    frame.render_widget(Paragraph::new(canvas_lines(app, d.cells)), d.canvas);

    let mut readings = vec![
        Line::from(theme.owned("what each network reads (bars: p(0) … p(9))".into()))
            .style(theme.strong()),
        Line::from(format!("{:<14} {:>5} {:>6}  0123456789", "", "digit", "p")),
    ];
    for (i, r) in app.runs().iter().enumerate() {
        let label = format!("{:<14} ", r.contender.label());
        let reading = app.readings().get(i).and_then(Option::as_ref);
        let line = match (reading, r.summary.diverged_at) {
            // A diverged network reads nothing: its probabilities are not numbers.
            (_, Some(epoch)) => Line::from(vec![
                Span::raw(label),
                Span::styled(format!("diverged at epoch {epoch}"), theme.bad()),
            ]),
            (Some(probs), None) => {
                let best = argmax(probs);
                let spark: String = probs.iter().map(|&p| theme.level_bar(p)).collect();
                let p = format!("{:.1}%", probs[best] * 100.0);
                Line::from(vec![
                    Span::raw(label),
                    Span::raw(format!("{best:>5} {p:>6}  ")),
                    Span::styled(spark, theme.run(i)),
                ])
            }
            (None, None) => Line::from(label + &theme.owned("waiting for weights…".into())),
        };
        readings.push(line);
    }
    readings.push(Line::from(""));
    let inner = Rect::new(
        d.readings.x + 2,
        d.readings.y + 1,
        d.readings.width.saturating_sub(2),
        d.readings.height.saturating_sub(1),
    )
    .intersection(area);
    // Which test image `l` loaded, and its true label, for as long as it is on the canvas.
    if let Some(loaded) = canvas.loaded {
        let mut fields = vec![
            Field::new(format!("loaded test image #{}", loaded.index), 9),
            Field::new(format!("true label {}", loaded.label), 9),
        ];
        if loaded.edited {
            fields.push(Field::new("edited", 5));
        }
        let line = fit_fields(fields, Span::raw(", "), usize::from(inner.width), 1);
        readings.extend(line.into_iter().map(|l| l.style(theme.strong())));
    }
    // The hints: whole, on the lines left under the readings.
    let hints = [
        ("arrows move", 9),
        ("0–9 ink", 8),
        ("space toggle", 6),
        ("⌫ clear", 7),
        ("l load", 5),
        ("mouse paints", 4),
    ];
    let hints = (hints.into_iter())
        .map(|(h, keep)| Field::new(theme.owned(h.into()), keep))
        .collect();
    let room = usize::from(inner.height).saturating_sub(readings.len());
    let hints = fit_fields(
        hints,
        Span::raw(theme.dot()),
        usize::from(inner.width),
        room,
    );
    readings.extend(hints.into_iter().map(|l| l.style(theme.note())));
    frame.render_widget(Paragraph::new(readings), inner);
}
