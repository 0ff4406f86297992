//! The selected run in detail: its figures, its update rule with the constants and rate in
//! force (so the curve can be read against the formula), its loss curve, and train and test
//! accuracy as two curves (the gap between them is overfitting).
//!
//! ```text
//! ┌ Adam in detail ───────────────────────────────┐
//! │epoch 40 · loss 1.3e-2 · train 0.988 · test ... │  whole fields, on one or two lines
//! │m ← β1·m + (1−β1)·g  v ← β2·v + (1−β2)·g²  …   │  the rule, whole pieces, 1–3 lines
//! │1e0 │⠉⠒⠤⣀                                      │  log10 loss
//! │acc: • train ⣿ test                            │
//! │1   │   ⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀                             │  train and test accuracy
//! └───────────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use super::charts::{
    accuracy_axis, divergence_mark, divergence_point, loss_datasets, lr_marks, visible, x_axis,
};
use crate::format;
use crate::model::RunHistory;
use crate::nn::OptimizerKind;
use crate::train::baseline_recipe;
use crate::ui::app::App;
use crate::ui::widgets::{Field, fit_fields, log_axis};

/// The detail panel of the selected run.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.theme();
    let Some(run) = app.runs().get(app.selected()) else {
        return;
    };
    let title = format!(" {} in detail ", run.contender.label());
    let block = theme
        .block()
        .title(Line::from(title).style(theme.run(app.selected())));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let figures = detail_figures(app, run, usize::from(inner.width));
    let rule_lines = match inner.height {
        h if h >= 24 => 3,
        h if h >= 16 => 2,
        _ => 1,
    };
    let rule = rule_fields(app, run, usize::from(inner.width), rule_lines);
    let [figures_area, rule_area, loss_area, legend_area, acc_area] = Layout::vertical([
        Constraint::Length(figures.len() as u16),
        Constraint::Length(rule.len() as u16),
        Constraint::Fill(3),
        Constraint::Length(1),
        Constraint::Fill(2),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(figures), figures_area);
    frame.render_widget(Paragraph::new(rule).style(theme.note()), rule_area);

    let (lo, hi) = app.chart_ranges().run_loss(app.selected());
    let ([y0, y1], labels) = log_axis(lo, hi, 5);
    let marks = lr_marks(app, run, [y0, y1]);
    let marker = theme.marker();
    let end = divergence_point(app, run, [y0, y1]);
    let mut loss = loss_datasets(app, app.selected(), run, &marks, marker);
    loss.extend(end.as_ref().map(|point| divergence_mark(app, point)));
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
        loss_area,
    );
    theme.finish_chart(frame.buffer_mut(), loss_area);

    let (train_style, test_style) = (
        theme.run_secondary(app.selected()),
        theme.run(app.selected()),
    );
    let legend = Line::from(vec![
        Span::raw("accuracy: "),
        Span::styled(
            format!("{} train", theme.second_marker_symbol()),
            train_style,
        ),
        Span::raw("  "),
        Span::styled(format!("{} test", theme.marker_symbol()), test_style),
    ]);
    frame.render_widget(Paragraph::new(legend), legend_area);
    let train = Dataset::default()
        .marker(theme.second_marker())
        .graph_type(GraphType::Line)
        .style(train_style)
        .data(visible(app, &run.curves.train_acc));
    let test = Dataset::default()
        .marker(theme.marker())
        .graph_type(GraphType::Line)
        .style(test_style)
        .data(visible(app, &run.curves.test_acc));
    frame.render_widget(
        Chart::new(vec![train, test])
            .legend_position(None)
            .x_axis(x_axis(app).title("epoch"))
            .y_axis(accuracy_axis(
                app,
                app.chart_ranges().run_acc(app.selected()),
            )),
        acc_area,
    );
    theme.finish_chart(frame.buffer_mut(), acc_area);
}

/// The run's figures as whole fields on at most two lines of `width` cells: before the
/// first epoch there are none to show; after a divergence the accuracies of a broken network
/// are not shown, the best one before it is.
fn detail_figures(app: &App, run: &RunHistory, width: usize) -> Vec<Line<'static>> {
    let theme = app.theme();
    let s = &run.summary;
    let mut fields = vec![Field::new(format!("epoch {}", s.epochs), 9)];
    let best = (s.best_epoch > 0).then(|| {
        let acc = format::accuracy(s.best_test_acc, 3);
        Field::new(format!("best {acc} {}", format::at_epoch(s.best_epoch)), 5)
    });
    match (s.diverged_at, s.final_loss) {
        (Some(epoch), _) => {
            let text = format!("diverged at epoch {epoch}");
            fields.push(Field {
                spans: vec![Span::styled(text, theme.bad())],
                keep: 8,
            });
            fields.extend(best);
        }
        (None, Some(loss)) => {
            fields.push(Field::new(
                format!("loss {}", format::loss(Some(loss), None)),
                7,
            ));
            let acc = |a| format::accuracy(a, 3);
            fields.push(Field::new(format!("train {}", acc(s.train_acc)), 4));
            fields.push(Field::new(format!("test {}", acc(s.test_acc)), 6));
            fields.extend(best);
        }
        (None, None) => fields.push(Field::new("no epoch yet", 8)),
    }
    let lr = format::learning_rate(run.lr(app.settings().hyper.lr));
    fields.push(Field::new(format!("lr {lr}"), 3));
    fit_fields(fields, Span::raw(theme.dot()), width, 2)
}

/// The run's update rule as the lab writes it (LAB.md B.2), then its constants and the rate
/// in force, as whole pieces on at most `lines` lines of `width` cells; when room runs out
/// the constants go before the formula.
fn rule_fields(app: &App, run: &RunHistory, width: usize, lines: usize) -> Vec<Line<'static>> {
    let theme = app.theme();
    let h = &app.settings().hyper;
    let c = format::constant;
    let lr = format!("lr {}", format::learning_rate(run.lr(h.lr)));
    let (formula, constants): (&[&str], Vec<String>) = match run.contender.optimizer() {
        Some(OptimizerKind::Sgd) => (&["w ← w − lr·g"], vec![lr]),
        Some(OptimizerKind::Momentum) => (
            &["d ← γ·d + lr·g", "w ← w − d"],
            vec![format!("γ {}", c(h.momentum)), lr],
        ),
        Some(OptimizerKind::Adagrad) => (
            &["v ← v + g²", "w ← w − lr·g/√(v+ε)"],
            vec![format!("ε {}", c(h.eps)), lr],
        ),
        Some(OptimizerKind::Rmsprop) => (
            &["v ← β·v + (1−β)·g²", "w ← w − lr·g/√(v+ε)"],
            vec![format!("β {}", c(h.rho)), format!("ε {}", c(h.eps)), lr],
        ),
        Some(OptimizerKind::Adam) => (
            &[
                "m ← β1·m + (1−β1)·g",
                "v ← β2·v + (1−β2)·g²",
                "mc = m/(1−β1^t)",
                "vc = v/(1−β2^t)",
                "w ← w − lr·mc/(√vc+ε)",
            ],
            vec![
                format!("β1 {}", c(h.beta1)),
                format!("β2 {}", c(h.beta2)),
                format!("ε {}", c(h.eps)),
                format!("t {}", run.summary.epochs + 1),
                lr,
            ],
        ),
        // The baseline's recipe, from the constants its fit uses.
        None => {
            let pieces = baseline_recipe().into_iter();
            let fields = pieces.map(|p| Field::new(theme.formula(&p), 6)).collect();
            return fit_fields(fields, Span::raw("   "), width, lines);
        }
    };
    let fields = (formula.iter().map(|f| Field::new(theme.formula(f), 6)))
        .chain(constants.iter().map(|k| Field::new(theme.formula(k), 3)));
    fit_fields(fields.collect(), Span::raw("   "), width, lines)
}
