//! The sweep view (`g`): `digits-tui sweep` for the session's settings, trained in the
//! background beside it, drawn as final test accuracy against the learning rate (log scale),
//! one curve per run, filling in as runs finish.
//!
//! ```text
//!  ┌ learning-rate sweep: final test accuracy, seeds 7..=9, 54 of 162 runs (Esc back) ┐
//!  │1  │      ⣀⠤⠒⠒⠒⠢⢄                                                           SGD  │
//!  │   │   ⡠⠊        ⠑⢄  █                                                   Adam   │
//!  │0  └────────────────────────                                           diverged │
//!  │   0.0001       0.01        1                                                   │
//!  │best: Adam 0.001 (0.9792) · SGD 0.3 (0.9767) …                                   │
//!  │diverged: SGD at 1 (3 of 3) …                                                    │
//!  └──────────────────────────────────────────────────────────────────────────────────┘
//! ```
//!
//! The figures are the [`curves`](crate::model::curves::curves) of the results so far (kept
//! by [`BackgroundRuns`](crate::ui::background::BackgroundRuns) as they arrive), the same as
//! `sweep` prints at the end.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use super::title::titled;
use crate::format::{rate_text, seed_span, value_text};
use crate::model::curves::Curve;
use crate::ui::app::App;
use crate::ui::background::Background;
use crate::ui::widgets::Field;

/// Draws the sweep view in `area`: each run's curve in its colour and the theme's marker,
/// diverged points marked, then the best rate per run and where runs diverged.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.theme();
    let p = app.background(Background::Sweep);
    let range = if p.started() {
        seed_span(&p.seeds)
    } else {
        "starting…".to_owned()
    };
    // Whole fields, least important dropped first: never a cut figure.
    let fields = vec![
        Field::new("learning-rate sweep: final test accuracy", 9),
        Field::new(theme.owned(range), 5),
        Field::new(format!("{} of {} runs", p.results.len(), p.runs), 7),
        Field::new("Esc back", 2),
    ];
    let block = titled(theme, fields, ", ", area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [chart_area, text_area] = inner.layout(&Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(3),
    ]));
    let curves = p.curves();
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
        .map(|(i, (c, line))| {
            Dataset::default()
                .name(c.optimizer.label())
                .marker(theme.marker())
                .graph_type(GraphType::Line)
                .style(theme.run(i))
                .data(line)
        })
        .collect();
    datasets.push(
        Dataset::default()
            .name("diverged")
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
    let text: Vec<Line<'static>> = (summary(curves, p.started()).into_iter())
        .map(|line| Line::from(theme.owned(line.to_string())).style(line.style))
        .collect();
    frame.render_widget(Paragraph::new(text), text_area);
}

/// Below the chart: each run's best rate so far and where runs diverged.
fn summary(curves: &[Curve], started: bool) -> Vec<Line<'static>> {
    if !started {
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
    vec![
        Line::from(format!("best so far: {}", best.join(" · "))),
        Line::from(if diverged.is_empty() {
            "diverged: none so far".to_owned()
        } else {
            format!("diverged: {}", diverged.join(" · "))
        }),
        Line::from("runs in the background; the charts above keep training · Esc or g closes")
            .dim(),
    ]
}
