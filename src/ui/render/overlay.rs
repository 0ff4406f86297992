//! The overlay (`v`): every run's loss on one shared log chart, then every run's test
//! accuracy, in the detail area, each run in its colour and (without colour) its own marker,
//! with learning-rate changes and divergences marked as on the small charts. Diverged runs'
//! curves are drawn after the others and every ✗ last, so no curve hides them. Where the
//! parts go is [`overlay::place`]'s, which mouse clicks use too.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use super::charts::{
    accuracy_axis, divergence_mark, divergence_point, loss_datasets, lr_marks, visible, x_axis,
};
use crate::ui::app::App;
use crate::ui::layout::overlay;
use crate::ui::widgets::log_axis;

/// The overlay in `area` (the detail panel's place).
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.theme();
    // The longest title that fits between the corners.
    let room = usize::from(area.width.saturating_sub(2));
    let title = [
        " every run: loss, then test accuracy (v: one run) ",
        " every run: loss, then test accuracy ",
        " every run ",
    ]
    .into_iter()
    .find(|t| t.len() <= room)
    .unwrap_or_default();
    let block = theme.block().title(title);
    frame.render_widget(block, area);
    let overlay = overlay::place(app.runs(), theme, area);
    for entry in &overlay.entries {
        frame.render_widget(Paragraph::new(Line::from(entry.spans.clone())), entry.area);
    }

    let (lo, hi) = app.chart_ranges().loss();
    let ([y0, y1], labels) = log_axis(lo, hi, 5);
    let runs = app.runs();
    let marks: Vec<_> = (runs.iter())
        .map(|run| lr_marks(app, run, [y0, y1]))
        .collect();
    // Diverged runs last: their curves are short and would hide under the others'.
    let order: Vec<usize> = (0..runs.len())
        .filter(|&i| !runs[i].diverged())
        .chain((0..runs.len()).filter(|&i| runs[i].diverged()))
        .collect();
    let ends: Vec<_> = (runs.iter())
        .filter_map(|run| divergence_point(app, run, [y0, y1]))
        .collect();
    let loss: Vec<Dataset> = (order.iter())
        .flat_map(|&i| loss_datasets(app, i, &runs[i], &marks[i], theme.run_marker(i)))
        .chain(ends.iter().map(|point| divergence_mark(app, point)))
        .collect();
    frame.render_widget(
        Chart::new(loss)
            .legend_position(None)
            .x_axis(x_axis(app))
            .y_axis(
                Axis::default()
                    .title("loss")
                    .bounds([y0, y1])
                    .labels(labels),
            ),
        overlay.loss,
    );
    theme.finish_chart(frame.buffer_mut(), overlay.loss);

    let accuracy: Vec<Dataset> = (order.iter())
        .map(|&i| {
            Dataset::default()
                .marker(theme.run_marker(i))
                .graph_type(GraphType::Line)
                .style(theme.run(i))
                .data(visible(app, &runs[i].curves.test_acc))
        })
        .collect();
    frame.render_widget(
        Chart::new(accuracy)
            .legend_position(None)
            .x_axis(x_axis(app).title("epoch"))
            .y_axis(accuracy_axis(app, app.chart_ranges().test_acc()).title("test")),
        overlay.accuracy,
    );
    theme.finish_chart(frame.buffer_mut(), overlay.accuracy);
}
