//! The loss charts: one small chart per run along the top (its figures in the bottom
//! border), and the curves the detail panel reuses.
//!
//! ```text
//! ┌ 1 SGD ───────────┐
//! │1e1  │⠲⠤⠤⣄⣀⣀⡀      │  log10 loss, shared y range across runs
//! │1e-5 │      ⠉⠉⠙⠒⠒⠲│  dim verticals: live learning-rate changes
//! └──── 1.3e-2 0.896 ┘  last loss and test accuracy, or `diverged@N ✗`
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType};

use crate::format;
use crate::model::RunHistory;
use crate::ui::app::App;
use crate::ui::layout::NARROW_CHART;
use crate::ui::widgets::{Field, fit_fields, log_axis};

/// The y range of the given runs' loss curves, in log10 units (`(-1, 0)` before any point).
pub(super) fn loss_range<'a>(runs: impl IntoIterator<Item = &'a RunHistory>) -> (f64, f64) {
    let ys = (runs.into_iter()).flat_map(|r| r.curves.log_loss.iter().map(|p| p.1));
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    if lo.is_finite() {
        (lo, hi)
    } else {
        (-1.0, 0.0)
    }
}

/// The epoch axis, 0 to the session's epochs.
pub(super) fn x_axis<'a>(app: &App) -> Axis<'a> {
    let total = f64::from(app.settings().epochs);
    Axis::default()
        .bounds([0.0, total])
        .labels(["0".to_owned(), format!("{}", app.settings().epochs)])
}

/// Vertical lines across `[y0, y1]` at every live learning-rate change, so each shows on the
/// loss curve where it happened.
pub(super) fn lr_marks(run: &RunHistory, [y0, y1]: [f64; 2]) -> Vec<[(f64, f64); 2]> {
    (run.lr_changes.iter())
        .map(|c| {
            [
                (f64::from(c.after_epoch), y0),
                (f64::from(c.after_epoch), y1),
            ]
        })
        .collect()
}

/// The loss curve, its learning-rate marks and, if the run diverged, a mark where the curve
/// ends (the last finite loss): the divergence is a mark, not a line that reads like data.
pub(super) fn loss_datasets<'a>(
    app: &App,
    i: usize,
    run: &'a RunHistory,
    marks: &'a [[(f64, f64); 2]],
) -> Vec<Dataset<'a>> {
    let theme = app.theme();
    let curve = Dataset::default()
        .marker(theme.marker())
        .graph_type(GraphType::Line)
        .style(theme.run(i))
        .data(&run.curves.log_loss);
    let marks = marks.iter().map(|points| {
        Dataset::default()
            .marker(theme.marker())
            .graph_type(GraphType::Line)
            .style(theme.lr_mark())
            .data(points)
    });
    let end = (run.summary.diverged_at.is_some())
        .then(|| run.curves.log_loss.last().map(std::slice::from_ref))
        .flatten()
        .map(|last| {
            Dataset::default()
                .marker(theme.diverged_marker())
                .graph_type(GraphType::Scatter)
                .style(theme.bad())
                .data(last)
        });
    marks.chain([curve]).chain(end).collect()
}

/// The figures under run `i`'s chart that fit in `width` cells: last loss and test accuracy
/// (and where it stopped early), or that it diverged; whole figures only.
fn chart_figures(app: &App, run: &RunHistory, width: usize) -> Line<'static> {
    let theme = app.theme();
    let s = &run.summary;
    let room = width.saturating_sub(2);
    let line = match (s.diverged_at, s.final_loss) {
        (Some(epoch), _) => {
            let diverged = format::loss(None, Some(epoch));
            let wrong = theme.wrong_mark();
            let candidates = [
                format!("{diverged} {wrong}"),
                diverged,
                "diverged".to_owned(),
                wrong.to_owned(),
            ];
            let fits = candidates.into_iter().find(|c| c.chars().count() <= room);
            Line::from(Span::styled(fits.unwrap_or_default(), theme.bad()))
        }
        (None, Some(loss)) => {
            let early = run.ended && s.epochs < app.settings().epochs;
            let mut fields = Vec::new();
            if early {
                fields.push(Field::new(
                    format!("stop {}", format::at_epoch(s.epochs)),
                    2,
                ));
            }
            fields.push(Field::new(format::loss_short(loss), 5));
            fields.push(Field::new(format::accuracy(s.test_acc, 3), 4));
            let lines = fit_fields(fields, Span::raw(" "), room, 1);
            lines.into_iter().next().unwrap_or_default()
        }
        (None, None) => Line::from(theme.missing()),
    };
    if line.width() == 0 {
        return line;
    }
    let mut spans = vec![Span::raw(" ")];
    spans.extend(line.spans);
    spans.push(Span::raw(" "));
    Line::from(spans)
}

/// Run `i`'s small chart.
pub(super) fn render_small(app: &App, frame: &mut Frame<'_>, area: Rect, i: usize) {
    let theme = app.theme();
    let run = &app.runs()[i];
    let (lo, hi) = loss_range(app.runs());
    let ([y0, y1], labels) = log_axis(lo, hi, 3);
    // The full name if it fits between the corners, else the two-letter one.
    let room = usize::from(area.width.saturating_sub(4));
    let name = match run.contender.label() {
        label if label.len() + 3 <= room => label,
        _ => run.contender.short(),
    };
    // A long epoch under way shows how far it got, when there is room for it whole.
    let progress = (run.in_epoch)
        .map(|(done, total)| format!("{}% ", done * 100 / total.max(1)))
        .filter(|p| name.len() + p.len() + 3 <= room)
        .unwrap_or_default();
    let title = format!(" {} {name} {progress}", i + 1);
    // Narrow charts share the first one's y labels (the axes are the same).
    let narrow = app.size().width / (app.runs().len().max(1) as u16) < NARROW_CHART;
    let figures = chart_figures(app, run, usize::from(area.width.saturating_sub(2)));
    let block = match i == app.selected() {
        true => theme.selected_block(i),
        false => theme.block(),
    };
    let block = block
        .title(Line::from(title).style(theme.run(i)))
        .title_bottom(figures.right_aligned());
    let marks = lr_marks(run, [y0, y1]);
    let labels = if narrow && i > 0 { Vec::new() } else { labels };
    let chart = Chart::new(loss_datasets(app, i, run, &marks))
        .block(block)
        .x_axis(x_axis(app))
        .y_axis(Axis::default().bounds([y0, y1]).labels(labels));
    frame.render_widget(chart, area);
    theme.finish_chart(frame.buffer_mut(), area);
}
