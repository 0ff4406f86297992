//! The landscape view (`t`): the function's levels from the terminal's cells (grey shading
//! with colour, Braille level sets without, an ASCII ramp with `--ascii`), every optimizer's
//! path in its colour or mark with its head marked, axis bounds, and a legend line per
//! optimizer with its rate, point, f and step. Layout in [`LandscapeLayout`].

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::landscape::{Function, Point, Walker, clip};
use crate::ui::app::App;
use crate::ui::landscape::LandscapeLayout;
use crate::ui::terrain::{Cell, DOTS, Grid, dot_bit};
use crate::ui::theme::Theme;

/// The view in `area`.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let view = app.landscape();
    let theme = app.theme();
    let function = view.function();
    let layout = LandscapeLayout::new(area, view.walkers().len());
    let progress = format!(" step {} / {} ", view.step(), view.limit());
    let title = format!(" landscape: {} · {} ", function.name(), function.formula());
    let block = (theme.block())
        .title(theme.owned(title))
        .title(Line::from(theme.owned(progress)).right_aligned());
    frame.render_widget(block, area);
    let buf = frame.buffer_mut();
    let plot = layout.plot.intersection(buf.area);
    if plot.is_empty() {
        return;
    }
    let cells = app.terrain().cells(function, plot);
    terrain(buf, plot, cells, theme);
    paths(buf, plot, view.walkers(), view.selected(), function, theme);
    axes(frame, &layout, function);
    let legend: Vec<Line> = (view.walkers().iter().enumerate())
        .map(|(i, w)| legend_line(theme, i, w, i == view.selected()))
        .collect();
    frame.render_widget(Paragraph::new(legend), layout.legend);
}

/// The terrain as cut when the function or the plot last changed: each cell's shade, and the
/// level sets between its dots (nothing while it was cut for another plot).
fn terrain(buf: &mut Buffer, plot: Rect, terrain: Option<&[Cell]>, theme: &Theme) {
    let cols = usize::from(plot.width);
    for (k, &(shade, dots)) in terrain.unwrap_or_default().iter().enumerate() {
        let at = (plot.x + (k % cols) as u16, plot.y + (k / cols) as u16);
        let (glyph, style) = theme.terrain(shade, dots);
        buf[at].set_char(glyph).set_style(style);
    }
}

/// Every path's segments at Braille resolution (the selected path drawn last, on top), then
/// every head.
fn paths(
    buf: &mut Buffer,
    plot: Rect,
    walkers: &[Walker],
    selected: usize,
    function: Function,
    theme: &Theme,
) {
    let (cols, rows) = (usize::from(plot.width), usize::from(plot.height));
    let fine = Grid {
        function,
        cols: cols * DOTS.0,
        rows: rows * DOTS.1,
    };
    // Per cell: whose dots, and which.
    let mut cells: Vec<Option<(usize, u8)>> = vec![None; cols * rows];
    let order = (0..walkers.len())
        .filter(|&i| i != selected)
        .chain([selected]);
    for i in order.filter(|&i| i < walkers.len()) {
        let finite = finite_points(&walkers[i]);
        for pair in finite.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            for (dc, dr) in segment(fine.place(a.x, a.y), fine.place(b.x, b.y), &fine) {
                let cell = &mut cells[(dr / DOTS.1) * cols + dc / DOTS.0];
                let bit = dot_bit(dc % DOTS.0, dr % DOTS.1);
                *cell = match *cell {
                    Some((owner, dots)) if owner == i => Some((i, dots | bit)),
                    _ => Some((i, bit)),
                };
            }
        }
    }
    for (k, cell) in cells.iter().enumerate() {
        if let Some((i, dots)) = *cell {
            let (glyph, style) = theme.path_cell(i, dots);
            let at = (plot.x + (k % cols) as u16, plot.y + (k / cols) as u16);
            buf[at].set_char(glyph).set_style(style);
        }
    }
    let coarse = Grid {
        function,
        cols,
        rows,
    };
    let order = (0..walkers.len())
        .filter(|&i| i != selected)
        .chain([selected]);
    for i in order.filter(|&i| i < walkers.len()) {
        let Some(head) = finite_points(&walkers[i]).last().copied() else {
            continue;
        };
        let (c, r) = coarse.place(head.x, head.y);
        if (0.0..cols as f64).contains(&c) && (0.0..rows as f64).contains(&r) {
            let (glyph, style) = theme.path_head(i, walkers[i].diverged());
            buf[(plot.x + c as u16, plot.y + r as u16)]
                .set_char(glyph)
                .set_style(style);
        }
    }
}

/// A path's points while f was finite.
fn finite_points(w: &Walker) -> &[Point] {
    let points = w.points();
    match w.diverged() {
        true => &points[..points.len() - 1],
        false => points,
    }
}

/// The grid points (column, row) on the segment from `a` to `b` (grid units), clipped to the
/// grid first so a path far outside costs nothing.
fn segment(a: (f64, f64), b: (f64, f64), grid: &Grid) -> Vec<(usize, usize)> {
    let (w, h) = (grid.cols as f64, grid.rows as f64);
    let Some((a, b)) = clip(a, b, (w, h)) else {
        return Vec::new();
    };
    let n = (b.0 - a.0).abs().max((b.1 - a.1).abs()).ceil().max(1.0) as usize;
    (0..=n)
        .map(|k| {
            let t = k as f64 / n as f64;
            (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
        })
        .filter(|&(c, r)| (0.0..w).contains(&c) && (0.0..h).contains(&r))
        .map(|(c, r)| (c as usize, r as usize))
        .collect()
}

/// The bounds at the plot's corners.
fn axes(frame: &mut Frame<'_>, layout: &LandscapeLayout, function: Function) {
    let b = function.bounds();
    let y = layout.y_labels;
    if y.height > 0 {
        let top = Rect::new(y.x, y.y, y.width.saturating_sub(1), 1);
        let bottom = Rect::new(y.x, y.bottom() - 1, y.width.saturating_sub(1), 1);
        frame.render_widget(Line::from(bound(b.y.1)).right_aligned(), top);
        frame.render_widget(Line::from(bound(b.y.0)).right_aligned(), bottom);
    }
    let x = Rect {
        x: layout.plot.x,
        width: layout.plot.width,
        ..layout.x_labels
    };
    frame.render_widget(Line::from(bound(b.x.0)), x);
    frame.render_widget(Line::from(bound(b.x.1)).right_aligned(), x);
}

fn bound(v: f64) -> String {
    format!("{v}")
}

/// A coordinate in few cells: 4 decimals, or scientific when that would hide it.
fn coordinate(v: f64) -> String {
    match v.abs() {
        a if a == 0.0 || (1e-3..1e4).contains(&a) => format!("{v:.4}"),
        _ => format!("{v:.2e}"),
    }
}

/// One optimizer's legend line: its mark, name, rate, point, f and step (or where it
/// diverged); the selected one pointed at.
fn legend_line(theme: &Theme, i: usize, w: &Walker, selected: bool) -> Line<'static> {
    let (mark, mark_style) = theme.path_head(i, false);
    let pointer = match selected {
        true => theme.owned("→ ".into()),
        false => "  ".into(),
    };
    let p = w.last();
    let mut spans = vec![
        Span::raw(pointer),
        Span::styled(mark.to_string(), mark_style),
        Span::raw(format!(
            " {:<8} lr {:<8} ",
            w.kind().label(),
            crate::format::learning_rate(w.lr())
        )),
    ];
    if w.diverged() {
        let text = format!("diverged at step {}: f is not finite", w.steps());
        spans.push(Span::styled(text, theme.bad()));
    } else {
        spans.push(Span::raw(format!(
            "({}, {})  f {:.3e}  step {}",
            coordinate(p.x),
            coordinate(p.y),
            p.f,
            w.steps()
        )));
    }
    let line = Line::from(spans);
    match selected {
        true => line.style(theme.strong()),
        false => line,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::data::Dataset;
    use crate::engine::Speed;
    use crate::train::Settings;
    use crate::ui::intent::Intent;
    use crate::ui::view::View;

    #[test]
    fn tiny_and_empty_areas_draw_what_fits_and_never_panic() {
        let data = Arc::new(Dataset::lab());
        let mut app = App::new(
            Settings::default(),
            data,
            "embedded",
            true,
            Speed::Unlimited,
        );
        app.update(Intent::ToggleView(View::Landscape));
        for _ in 0..30 {
            app.update(Intent::Step);
        }
        for (w, h) in [(0, 0), (1, 1), (3, 2), (6, 4), (12, 9), (30, 12)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
            terminal
                .draw(|frame| render(&app, frame, frame.area()))
                .expect("drawn");
        }
    }

    #[test]
    fn segments_are_clipped_to_the_grid() {
        let grid = Grid {
            function: Function::Bowl,
            cols: 10,
            rows: 10,
        };
        assert_eq!(
            segment((1.5, 1.5), (3.5, 1.5), &grid),
            [(1, 1), (2, 1), (3, 1)]
        );
        assert!(segment((-1e300, 5.0), (-1e299, 5.0), &grid).is_empty());
        let through = segment((-1e300, 5.5), (1e300, 5.5), &grid);
        assert!(
            !through.is_empty() && through.len() < 100,
            "{}",
            through.len()
        );
        assert_eq!(
            clip((5.0, 5.0), (5.0, 5.0), (10.0, 10.0)),
            Some(((5.0, 5.0), (5.0, 5.0)))
        );
    }
}
