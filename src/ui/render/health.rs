//! The layer-health view (`i`): inside the selected run, per hidden layer, the distribution of
//! its activations on the test set at the latest epoch, how many sit saturated (or dead), and
//! over the epochs the gradient norm and the relative size of each update.
//!
//! ```text
//! ┌ layer health: SGD (sigmoid, lab init), epoch 12 ─────────────────────────────┐
//! │layer 1: saturated 62.1%, stuck 3/80      │layer 2: saturated 70.4%, stuck 9/70 │
//! │█▃ ▁              ▁▂▅█                    │█▁                           ▁▂▇       │  histogram
//! │0                 0.5                    1│0            0.5                 1 │  (test set)
//! │gradient norm: 1 * 2 o                    │‖ΔW‖/‖W‖ per update: 1 * 2 o        │
//! │1e2 │⠉⠒⠤⣀                                 │1e-1│⠑⠢⣀                             │  log10 curves
//! └──────────────────────────────────────────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use super::charts::x_axis;
use super::title::titled;
use crate::format;
use crate::train::LayerHealth;
use crate::ui::app::App;
use crate::ui::theme::Theme;
use crate::ui::widgets::{Field, fit_fields, log_axis};

/// Draws the view over `area`.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.theme();
    let run = app.runs().get(app.selected());
    let history = run.map(|r| &r.health);
    let settings = app.settings();
    let label = run.map_or("", |r| r.contender.label());
    let mut title = vec![Field::new(
        format!(
            "layer health: {label} ({}, {} init)",
            settings.activation.name(),
            settings.init.name()
        ),
        9,
    )];
    if let Some(m) = run.and_then(|r| r.epochs.last()) {
        title.push(Field::new(format!("at epoch {}", m.epoch), 5));
    }
    title.push(Field::new(
        theme.owned("(←/→ another run, Esc back)".into()),
        2,
    ));
    let block = titled(theme, title, " ", area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (Some(run), Some(history)) = (run, history) else {
        return;
    };
    let Some(latest) = history.latest() else {
        let why = match run.contender.optimizer() {
            Some(_) => "no epoch yet",
            None => "the baseline is scikit-learn's own network: no layer health",
        };
        frame.render_widget(Paragraph::new(why), inner);
        return;
    };
    let [top, bottom] = inner.layout(&Layout::vertical([
        Constraint::Percentage(50),
        Constraint::Fill(1),
    ]));
    let columns = Layout::horizontal(vec![Constraint::Fill(1); latest.len()]).split(top);
    let images = app.data().y_test.len().max(1) as u64;
    for (l, (layer, &column)) in latest.iter().zip(columns.iter()).enumerate() {
        render_layer(theme, frame, column, (l, images), layer);
    }
    let [left, right] = bottom.layout(&Layout::horizontal([Constraint::Fill(1); 2]));
    let (grad_norm, update_ratio) = (&history.grad_norm, &history.update_ratio);
    render_curves(
        app,
        frame,
        left,
        "gradient norm",
        grad_norm,
        history.grad_norm_range(),
    );
    let range = history.update_ratio_range();
    render_curves(app, frame, right, "‖ΔW‖/‖W‖", update_ratio, range);
}

/// Layer `l`'s heading, histogram and range labels; the histogram counts every unit on each
/// of `images` test images.
fn render_layer(
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    (l, images): (usize, u64),
    h: &LayerHealth,
) {
    let units = h.histogram.iter().sum::<u64>() / images;
    let heading = format!(
        "layer {}: saturated {:.1}%, stuck {}/{units}",
        l + 1,
        100.0 * h.saturated,
        h.stuck_units
    );
    let mut lines = vec![Line::from(Span::styled(heading, theme.strong()))];
    let rows = usize::from(area.height.saturating_sub(2));
    let bins = h.histogram.len().max(1);
    // Whole cells per bin, so every bin is as wide as the others.
    let width = usize::from(area.width.saturating_sub(1)) / bins * bins;
    lines.extend(histogram_lines(theme, &h.histogram, rows, width));
    if area.height >= 3 && width > 0 {
        let [lo, hi] = h.range;
        let (lo, mid, hi) = (short(lo), short((lo + hi) / 2.0), short(hi));
        let gap = width.saturating_sub(lo.len() + mid.len() + hi.len());
        let left = gap / 2;
        lines.push(Line::from(format!(
            "{lo}{}{mid}{}{hi}",
            " ".repeat(left),
            " ".repeat(gap - left)
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// A range end as short as it reads: `0`, `0.5`, `-1`, `4`.
fn short(v: f64) -> String {
    format!("{v}")
}

/// The histogram as `rows` lines of `width` cells: each bin gets an equal share of the width,
/// its bar as tall as its count relative to the largest, in eighths of a cell at the top.
pub(super) fn histogram_lines(
    theme: &Theme,
    counts: &[u64],
    rows: usize,
    width: usize,
) -> Vec<Line<'static>> {
    let top = counts.iter().copied().max().unwrap_or(0);
    if rows == 0 || width == 0 || top == 0 {
        return Vec::new();
    }
    let per_bin = (width / counts.len()).max(1);
    (0..rows)
        .map(|r| {
            // Row 0 is the top one; a bar fills `height` rows' worth from the bottom.
            let floor = (rows - 1 - r) as f64;
            let text: String = (counts.iter())
                .take(width / per_bin)
                .flat_map(|&c| {
                    let height = c as f64 / top as f64 * rows as f64;
                    let part = (height - floor).clamp(0.0, 1.0);
                    let glyph = match part {
                        0.0 => ' ',
                        p => theme.level_bar(p),
                    };
                    std::iter::repeat_n(glyph, per_bin)
                })
                .collect();
            Line::from(text)
        })
        .collect()
}

/// Every layer's curve of one figure over the epochs on a log axis of their y range (as
/// [`HealthHistory`](crate::model::HealthHistory) keeps it), one marker per layer.
fn render_curves(
    app: &App,
    frame: &mut Frame<'_>,
    area: Rect,
    what: &str,
    curves: &[Vec<(f64, f64)>],
    range: Option<(f64, f64)>,
) {
    let theme = app.theme();
    if area.height < 3 {
        return;
    }
    let [legend, chart_area] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    let mut fields = vec![Field::new(theme.owned(format!("{what}:")), 9)];
    for (l, curve) in curves.iter().enumerate() {
        let mut spans = vec![Span::styled(
            format!("{} {}", l + 1, theme.run_marker_symbol(l)),
            theme.run(l),
        )];
        if let Some(last) = curve.last() {
            spans.push(Span::raw(format!(
                " {}",
                format::loss_short(10f64.powf(last.1))
            )));
        }
        fields.push(Field { spans, keep: 5 });
    }
    let width = usize::from(legend.width);
    let lines = fit_fields(fields, Span::raw("  "), width, 1);
    frame.render_widget(Paragraph::new(lines), legend);
    // Before any point, the empty range a fold over none would give.
    let (lo, hi) = range.unwrap_or((f64::INFINITY, f64::NEG_INFINITY));
    let rows = usize::from(chart_area.height.saturating_sub(1)).max(2);
    let (bounds, labels) = log_axis(lo, hi, rows.min(4));
    let datasets = (curves.iter().enumerate())
        .map(|(l, points)| {
            Dataset::default()
                .marker(theme.run_marker(l))
                .graph_type(GraphType::Line)
                .style(theme.run(l))
                .data(points)
        })
        .collect::<Vec<_>>();
    let chart = Chart::new(datasets)
        .x_axis(x_axis(app))
        .y_axis(Axis::default().bounds(bounds).labels(labels));
    frame.render_widget(chart, chart_area);
    theme.finish_chart(frame.buffer_mut(), chart_area);
}
