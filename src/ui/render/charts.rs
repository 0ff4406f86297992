//! The loss charts: one small chart per run along the top (its figures in the bottom
//! border), and the curves the detail panel reuses.
//!
//! ```text
//! ┌ 1 SGD ───────────┐
//! │1e1  │⠲⠤⠤⣄⣀⣀⡀      │  log10 loss, shared y range across runs
//! │1e-5 │      ⠉⠉⠙⠒⠒⠲│  dim verticals: live learning-rate changes
//! └──── 1.3e-2 0.896 ┘  last loss and test accuracy, or `diverged@N ✗`; `e41` first
//!                       (the run's epoch) while the runs stand at different epochs
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType};

use crate::format;
use crate::model::RunHistory;
use crate::ui::app::App;
use crate::ui::chart_ranges;
use crate::ui::layout::NARROW_CHART;
use crate::ui::view::Zoom;
use crate::ui::widgets::{Field, fit_fields, log_axis};

/// The points of a curve inside the app's epoch window (see [`App::epoch_window`]): the
/// charts draw these only, so the y axis can follow what is visible.
pub(super) fn visible<'a>(app: &App, points: &'a [(f64, f64)]) -> &'a [(f64, f64)] {
    chart_ranges::visible(points, app.epoch_window())
}

/// An accuracy axis: 0 to 1 over all epochs; zoomed, the visible values' range `extent` (see
/// [`ChartRanges`](crate::ui::chart_ranges::ChartRanges)) on whole hundredths, so the late
/// differences of a few test images show.
pub(super) fn accuracy_axis<'a>(app: &App, extent: Option<(f64, f64)>) -> Axis<'a> {
    let axis = Axis::default();
    match (app.zoom(), extent) {
        (Zoom::Recent, Some((lo, hi))) => {
            let lo = (lo * 100.0).floor() / 100.0;
            let hi = ((hi * 100.0).ceil() / 100.0).max(lo + 0.01);
            let label = |v: f64| format::accuracy(v, 2);
            (axis.bounds([lo, hi])).labels([label(lo), label((lo + hi) / 2.0), label(hi)])
        }
        _ => axis.bounds([0.0, 1.0]).labels(["0", "0.5", "1"]),
    }
}

/// The epoch axis over the app's epoch window: 0 to the session's epochs, or zoomed.
pub(super) fn x_axis<'a>(app: &App) -> Axis<'a> {
    let (lo, hi) = app.epoch_window();
    Axis::default()
        .bounds([f64::from(lo), f64::from(hi)])
        .labels([lo.to_string(), hi.to_string()])
}

/// The epoch axis of a small chart `inner` cells wide (inside its border) whose y labels are
/// `y_label` cells wide: [`x_axis`], with thousands written `1k` where ratatui's room for the
/// last label (half the plot) would cut `1000` to `000`.
fn small_x_axis<'a>(app: &App, inner: u16, y_label: u16) -> Axis<'a> {
    let (lo, hi) = app.epoch_window();
    let plain = [lo.to_string(), hi.to_string()];
    let labels = match last_label_room(inner, y_label, plain[0].len()) < plain[1].len() {
        true => [compact_epoch(lo), compact_epoch(hi)],
        false => plain,
    };
    Axis::default()
        .bounds([f64::from(lo), f64::from(hi)])
        .labels(labels)
}

/// The cells ratatui's `Chart` gives the last of two x labels: half the plot, which starts
/// after the y labels (or the first x label, less one cell under the axis; at most a third of
/// the width) and the axis line.
fn last_label_room(inner: u16, y_label: u16, first: usize) -> usize {
    let axis = u16::from(y_label > 0);
    let first = u16::try_from(first)
        .unwrap_or(u16::MAX)
        .saturating_sub(axis);
    let left = y_label.max(first).min(inner / 3);
    usize::from(inner.saturating_sub(left + axis) / 2)
}

/// An epoch in at most four cells where it can be written exactly: `1k` for 1000, `2.5k`
/// for 2500; others as they are.
fn compact_epoch(epoch: u32) -> String {
    match (epoch % 1000, epoch % 100) {
        (0, _) if epoch > 0 => format!("{}k", epoch / 1000),
        (_, 0) if (1000..10_000).contains(&epoch) => {
            format!("{}.{}k", epoch / 1000, epoch % 1000 / 100)
        }
        _ => epoch.to_string(),
    }
}

/// Vertical lines across `[y0, y1]` at every live learning-rate change in the epoch window,
/// so each shows on the loss curve where it happened.
pub(super) fn lr_marks(app: &App, run: &RunHistory, [y0, y1]: [f64; 2]) -> Vec<[(f64, f64); 2]> {
    let (lo, hi) = app.epoch_window();
    (run.lr_changes.iter())
        .filter(|c| (lo..=hi).contains(&c.after_epoch))
        .map(|c| {
            [
                (f64::from(c.after_epoch), y0),
                (f64::from(c.after_epoch), y1),
            ]
        })
        .collect()
}

/// The loss curve drawn with `marker` and its learning-rate marks (a divergence is
/// [`divergence_mark`]'s, drawn over every curve).
pub(super) fn loss_datasets<'a>(
    app: &App,
    i: usize,
    run: &'a RunHistory,
    marks: &'a [[(f64, f64); 2]],
    marker: Marker,
) -> Vec<Dataset<'a>> {
    let theme = app.theme();
    let curve = Dataset::default()
        .marker(marker)
        .graph_type(GraphType::Line)
        .style(theme.run(i))
        .data(visible(app, &run.curves.log_loss));
    let marks = marks.iter().map(|points| {
        Dataset::default()
            .marker(theme.lr_marker())
            .graph_type(GraphType::Line)
            .style(theme.lr_mark())
            .data(points)
    });
    marks.chain([curve]).collect()
}

/// Where a diverged run's mark goes: where its curve ends (the last finite loss), or, for a
/// run that never had one (it diverged at epoch 1), near the top of the axis `[y0, y1]`
/// (below the axis title's row) at the epoch it diverged; `None` if it did not diverge or that
/// place is outside the epoch window. The divergence is a mark, not a line that reads like
/// data.
pub(super) fn divergence_point(
    app: &App,
    run: &RunHistory,
    [y0, y1]: [f64; 2],
) -> Option<[(f64, f64); 1]> {
    let epoch = run.summary.diverged_at?;
    match run.curves.log_loss.last() {
        Some(last) => (visible(app, &run.curves.log_loss).last() == Some(last)).then_some([*last]),
        None => {
            let (lo, hi) = app.epoch_window();
            let high = y1 - (y1 - y0) / 8.0;
            (lo..=hi)
                .contains(&epoch)
                .then_some([(f64::from(epoch), high)])
        }
    }
}

/// The mark at a [`divergence_point`]: ✗ (`x` in ASCII) in the theme's bad style.
pub(super) fn divergence_mark<'a>(app: &App, point: &'a [(f64, f64)]) -> Dataset<'a> {
    let theme = app.theme();
    Dataset::default()
        .marker(theme.diverged_marker())
        .graph_type(GraphType::Scatter)
        .style(theme.bad())
        .data(point)
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
            // Runs apart (running, or a pause settling): whose epoch these figures are.
            if !app.session().at_one_boundary() && !run.ended {
                fields.push(Field::new(format!("e{}", s.epochs), 3));
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
    let (lo, hi) = app.chart_ranges().loss();
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
    let marks = lr_marks(app, run, [y0, y1]);
    let labels = if narrow && i > 0 { Vec::new() } else { labels };
    let y_label = labels.iter().map(|l| l.len() as u16).max().unwrap_or(0);
    let x = small_x_axis(app, area.width.saturating_sub(2), y_label);
    let end = divergence_point(app, run, [y0, y1]);
    let mut datasets = loss_datasets(app, i, run, &marks, theme.marker());
    datasets.extend(end.as_ref().map(|point| divergence_mark(app, point)));
    let chart = Chart::new(datasets)
        .block(block)
        .x_axis(x)
        .y_axis(Axis::default().bounds([y0, y1]).labels(labels));
    frame.render_widget(chart, area);
    theme.finish_chart(frame.buffer_mut(), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_shorten_only_when_exact() {
        let shown = [0, 750, 1000, 2500, 1250, 12_000].map(compact_epoch);
        assert_eq!(shown, ["0", "750", "1k", "2.5k", "1250", "12k"]);
    }

    #[test]
    fn the_last_label_gets_half_the_plot() {
        // An 80×24 tile without y labels: `750` takes three cells, the plot seven, so `1000`
        // has three.
        assert_eq!(last_label_room(10, 0, 3), 3);
        // With `1e-3` labels the plot is what is right of them and the axis.
        assert_eq!(last_label_room(17, 4, 3), 6);
    }
}
