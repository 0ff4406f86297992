//! The seeds view (`m`): per contender the spread of final test accuracy over the seeds
//! finished so far (statistics kept by
//! [`BackgroundRuns`](crate::ui::background::BackgroundRuns)), filling in as runs complete.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::job;
use crate::format;
use crate::model::stats::{ContenderStats, ranking};
use crate::ui::app::App;
use crate::ui::background::Background;
use crate::ui::theme::Theme;
use crate::ui::widgets::{Field, fit_fields};

/// One contender's spread as text of `width` cells over accuracies `[lo, hi]`: the range
/// min–max as a thin line between ticks, mean ± sd thick, the mean as a dot.
fn spread_bar(stats: &ContenderStats, [lo, hi]: [f64; 2], width: usize, theme: &Theme) -> String {
    let (Some(min), Some(max), Some(mean)) =
        (stats.min_test_acc, stats.max_test_acc, stats.mean_test_acc)
    else {
        return " ".repeat(width);
    };
    let sd = stats.sd_test_acc.unwrap_or(0.0);
    let at = |v: f64| {
        let x = (v - lo) / (hi - lo) * (width.saturating_sub(1)) as f64;
        (x.round().max(0.0) as usize).min(width.saturating_sub(1))
    };
    let [thin, thick, dot, left, right] = theme.spread_glyphs();
    let mut cells = vec![' '; width];
    for c in &mut cells[at(min)..=at(max)] {
        *c = thin;
    }
    for c in &mut cells[at(mean - sd).max(at(min))..=at(mean + sd).min(at(max))] {
        *c = thick;
    }
    cells[at(min)] = left;
    cells[at(max)] = right;
    cells[at(mean)] = dot;
    cells.into_iter().collect()
}

/// The background multi-seed comparison: per contender the spread of final test accuracy
/// over the seeds finished so far, filling in as runs complete.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let what = "many seeds: final test accuracy";
    let Some(inner) = job::view_frame(app, Background::Seeds, what, frame, area) else {
        return;
    };
    let p = app.background(Background::Seeds);
    let theme = app.theme();
    let stats = p.stats();
    let scale = p.accuracy_scale();
    // Name, runs, two spaces, figures, two spaces: where the bars start.
    const LABEL: usize = 14 + 6 + 2 + 16 + 2;
    let width = usize::from(inner.width).saturating_sub(LABEL + 1).max(10);
    let axis = format!(
        "{:<w$}{:.2}{:>pad$.2}",
        "",
        scale[0],
        scale[1],
        w = LABEL,
        pad = width.saturating_sub(4)
    );
    // Before any result there is no spread to scale an axis to.
    let axis = match p.results.is_empty() {
        true => format!("{:<LABEL$}no run has finished yet", ""),
        false => axis,
    };
    let mut lines = vec![
        Line::from(theme.owned(format!("{:<14}{:>6}  {:<16}", "", "runs", "mean ± sd")))
            .style(theme.strong()),
        Line::from(axis).style(theme.note()),
    ];
    for (i, s) in stats.iter().enumerate() {
        let figures = theme.owned(format::mean_sd(s.mean_test_acc, s.sd_test_acc));
        let bar = spread_bar(s, scale, width, theme);
        let style: Style = theme.run(i);
        lines.push(Line::from(vec![
            Span::styled(format!("{:<14}", s.optimizer.label()), style),
            Span::raw(format!("{:>6}  {figures:<16}  ", s.runs)),
            Span::styled(bar, style),
        ]));
    }
    lines.push(Line::from(""));
    let done = p.done();
    let mut status = job::state_phrases(app, Background::Seeds);
    if done {
        status.push("ranking by mean:".to_owned());
    }
    let mut fields: Vec<Field> = (status.iter().enumerate())
        .map(|(k, s)| Field::new(theme.owned(s.clone()), 9 - k as u8))
        .collect();
    if done {
        let order: Vec<&str> = ranking(stats).iter().map(|c| c.label()).collect();
        if let Some(last) = fields.last_mut() {
            last.spans
                .push(Span::raw(format!(" {}", order.join(" > "))));
        }
    }
    let width = usize::from(inner.width);
    let status = fit_fields(fields, Span::raw(theme.dot()), width, 2);
    lines.extend(status.into_iter().map(|l| l.style(theme.note())));
    if !p.failures.is_empty() {
        lines.push(
            Line::from(theme.owned(format!(
                "{} runs failed: {}",
                p.failures.len(),
                p.failures[0]
            )))
            .style(theme.bad()),
        );
    }
    lines.push(
        Line::from(theme.owned("├─── min..max   ━━━ mean ± sd   ● mean".into()))
            .style(theme.note()),
    );
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spread_bar_marks_range_spread_and_mean() {
        let stats = ContenderStats {
            optimizer: crate::train::Contender::Adam,
            rank: 1,
            runs: 3,
            not_started: 0,
            mean_test_acc: Some(0.95),
            sd_test_acc: Some(0.01),
            min_test_acc: Some(0.92),
            max_test_acc: Some(0.97),
            median_loss: None,
            median_perfect_train_epoch: None,
            reached_perfect_train: 0,
            diverged: 0,
            wins: 0,
        };
        // 11 cells over [0.90, 1.00]: one cell per 0.01.
        assert_eq!(
            spread_bar(&stats, [0.9, 1.0], 11, &Theme::ascii()),
            "  |-=o=|   "
        );
    }
}
