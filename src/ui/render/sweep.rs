//! The sweep view (`g`): `digits-tui sweep` for the session's settings, trained in the
//! background beside it, drawn as final test accuracy against the learning rate (log scale),
//! one curve per run, filling in as runs finish.
//!
//! ```text
//!  ┌ learning-rate sweep: final test accuracy, seeds 7..=9, 54 of 162 runs (Esc back) ┐
//!  │1  │      ⣀⠤⠒⠒⠒⠢⢄                                                  │ ⣿ SGD      │
//!  │   │   ⡠⠊        ⠑⢄  ✗                                          │ ⣿ Adam     │
//!  │0  └────────────────────────                                     │ ✗ diverged │
//!  │   0.0001       0.01        1                                                   │
//!  │best so far: Adam 0.001 (0.9792) · SGD 0.3 (0.9767) · … (two lines, whole entries)│
//!  │diverged: SGD at 1 (3 of 3) · …                                                   │
//!  │running in the background: run 3 of 162, epoch 41/1000 · … · Esc pauses it, …    │
//!  └──────────────────────────────────────────────────────────────────────────────────┘
//! ```
//!
//! The figures are the [`curves`](crate::model::curves::curves) of the results so far (kept
//! by [`BackgroundRuns`](crate::ui::background::BackgroundRuns) as they arrive), the same as
//! `sweep` prints at the end.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Stylize;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use super::job;
use crate::format::{rate_text, value_text};
use crate::model::curves::Curve;
use crate::ui::app::App;
use crate::ui::background::Background;
use crate::ui::widgets::{Field, fit_fields};

/// Draws the sweep view in `area`: each run's curve in its colour and the theme's marker,
/// diverged points marked, then the best rate per run and where runs diverged.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let what = "learning-rate sweep: final test accuracy";
    let Some(inner) = job::view_frame(app, Background::Sweep, what, frame, area) else {
        return;
    };
    let theme = app.theme();
    let p = app.background(Background::Sweep);
    let [plot_area, text_area] = inner.layout(&Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(TEXT_LINES),
    ]));
    let curves = p.curves();
    // The legend has a column of its own, so it never covers a curve.
    let names = curves.iter().map(|c| c.optimizer.label().chars().count());
    let legend_width = names.chain([DIVERGED.len()]).max().unwrap_or(0) as u16 + 3;
    let [chart_area, legend_area] = plot_area.layout(&Layout::horizontal([
        Constraint::Min(10),
        Constraint::Length(legend_width),
    ]));
    let x = |lr: f64| lr.log10();
    let lines: Vec<Vec<(f64, f64)>> = (curves.iter())
        .map(|c| {
            (c.points.iter())
                .filter_map(|pt| Some((x(pt.at.number()?), pt.stats.mean_test_acc?)))
                .collect()
        })
        .collect();
    let diverged: Vec<(f64, f64)> = (curves.iter())
        .flat_map(|c| c.points.iter())
        .filter(|pt| pt.stats.diverged > 0)
        .filter_map(|pt| Some((x(pt.at.number()?), pt.stats.mean_test_acc?)))
        .collect();
    let mut datasets: Vec<Dataset<'_>> = (curves.iter().zip(&lines).enumerate())
        .map(|(i, (_, line))| {
            Dataset::default()
                .marker(theme.marker())
                .graph_type(GraphType::Line)
                .style(theme.run(i))
                .data(line)
        })
        .collect();
    datasets.push(
        Dataset::default()
            .marker(theme.diverged_marker())
            .graph_type(GraphType::Scatter)
            .data(&diverged),
    );
    let (first, last) = match (p.rates.first(), p.rates.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => (1e-4, 1.0),
    };
    let middle = 10f64.powf((x(first) + x(last)) / 2.0);
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .title("learning rate")
                .bounds([x(first) - 0.1, x(last) + 0.1])
                .labels([rate_text(first), rate_text(middle), rate_text(last)]),
        )
        .y_axis(Axis::default().bounds([0.0, 1.0]).labels(["0", "0.5", "1"]));
    frame.render_widget(chart, chart_area);
    theme.finish_chart(frame.buffer_mut(), chart_area);
    let mut legend: Vec<Line<'static>> = (curves.iter().enumerate())
        .map(|(i, c)| {
            let mark = format!(" {} {}", theme.marker_symbol(), c.optimizer.label());
            Line::from(mark).style(theme.run(i))
        })
        .collect();
    let cross = match theme.diverged_marker() {
        Marker::Custom(c) => c,
        _ => 'x',
    };
    legend.push(Line::from(format!(" {cross} {DIVERGED}")));
    frame.render_widget(Paragraph::new(legend), legend_area);
    let width = usize::from(text_area.width);
    frame.render_widget(Paragraph::new(summary(app, curves, width)), text_area);
}

/// The legend's name for the diverged points.
const DIVERGED: &str = "diverged";

/// Lines below the chart: best rates (two), divergences (one), the job's state (one).
const TEXT_LINES: u16 = 4;

/// Below the chart: each run's best rate so far and where runs diverged, in whole entries
/// (the lowest-ranked dropped first when they do not fit), then the job's state.
fn summary(app: &App, curves: &[Curve], width: usize) -> Vec<Line<'static>> {
    let theme = app.theme();
    let p = app.background(Background::Sweep);
    if !p.started() {
        return vec![Line::from("starting the sweep…").dim()];
    }
    let mut ranked: Vec<&Curve> = curves.iter().collect();
    ranked.sort_by_key(|c| c.rank);
    let best: Vec<String> = (ranked.iter())
        .filter_map(|c| {
            let best = c.best?;
            let at = c.points.iter().find(|pt| pt.at == best)?;
            Some(format!(
                "{} {} ({:.4})",
                c.optimizer.label(),
                value_text(best),
                at.stats.mean_test_acc?
            ))
        })
        .collect();
    let best = match best.is_empty() {
        true => vec!["none yet: no run has finished".to_owned()],
        false => best,
    };
    let diverged: Vec<String> = (curves.iter())
        .flat_map(|c| {
            (c.points.iter())
                .filter(|pt| pt.stats.diverged > 0)
                .map(move |pt| {
                    format!(
                        "{} at {} ({} of {})",
                        c.optimizer.label(),
                        value_text(pt.at),
                        pt.stats.diverged,
                        pt.stats.runs
                    )
                })
        })
        .collect();
    let diverged = match diverged.is_empty() {
        true => vec!["none so far".to_owned()],
        false => diverged,
    };
    // The head joins the first entry, so a line never starts with a separator.
    let entries = |head: &str, items: Vec<String>, lines: usize| {
        let count = items.len();
        let fields = (items.into_iter().enumerate())
            .map(|(k, item)| match k {
                0 => Field::new(theme.owned(format!("{head} {item}")), u8::MAX),
                _ => Field::new(theme.owned(item), u8::try_from(count - k).unwrap_or(1)),
            })
            .collect();
        fit_fields(fields, Span::raw(theme.owned(" · ".into())), width, lines)
    };
    let mut out = entries("best so far:", best, 2);
    out.extend(entries("diverged:", diverged, 1));
    // The state takes what is left, so the keys that stop the job are not the first to go.
    let left = usize::from(TEXT_LINES).saturating_sub(out.len()).max(1);
    let phrases = job::state_phrases(app, Background::Sweep);
    let count = phrases.len();
    let fields = (phrases.into_iter().enumerate())
        .map(|(k, s)| Field::new(theme.owned(s), (count - k) as u8))
        .collect();
    let state = fit_fields(fields, Span::raw(theme.owned(" · ".into())), width, left);
    out.extend(state.into_iter().map(|l| l.style(theme.note())));
    out
}
