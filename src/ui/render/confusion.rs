//! The confusion view (`c`): the selected run's test-set confusion matrix as a heat map with
//! counts, per-class accuracy, the epoch it shows with its overall accuracy, and the most
//! confused pairs, as computed when its epoch arrived.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::title::view_title;
use crate::data::CLASSES;
use crate::format;
use crate::ui::app::App;
use crate::ui::widgets::{Field, fit_fields};

/// The selected run's confusion matrix as a heat map with counts, per-class accuracy, and the
/// most confused pairs.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.theme();
    let block = view_title(app, "confusion on the test set", area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(confusion) = app.confusion() else {
        frame.render_widget(Paragraph::new("no epoch yet"), inner);
        return;
    };
    let m = &confusion.matrix;
    let mut lines = vec![Line::from(
        std::iter::once(Span::raw(theme.owned("actual╲pred ".into())))
            .chain((0..CLASSES).map(|p| Span::raw(format!("{p:>4} "))))
            .chain([Span::raw("   acc")])
            .collect::<Vec<_>>(),
    )];
    for (a, row) in m.iter().enumerate() {
        let total: u32 = row.iter().sum();
        let mut spans = vec![Span::raw(format!("{a:>10}  "))];
        for (p, &count) in row.iter().enumerate() {
            let share = if total == 0 {
                0.0
            } else {
                f64::from(count) / f64::from(total)
            };
            let text = if count == 0 {
                theme.owned("   · ".into())
            } else {
                format!("{count:>4} ")
            };
            spans.push(Span::styled(text, theme.heat(share, a == p, count)));
        }
        let acc = if total == 0 {
            format!("{:>6}", theme.missing())
        } else {
            format!("{:>6.3}", f64::from(row[a]) / f64::from(total))
        };
        spans.push(Span::raw(acc));
        lines.push(Line::from(spans));
    }
    let (right, total) = confusion.right_and_total();
    let overall = match total {
        0 => theme.missing().to_owned(),
        _ => format::accuracy(f64::from(right) / f64::from(total), 3),
    };
    lines.push(Line::from(format!(
        "epoch {}{}test accuracy {overall} ({right} of {total} right)",
        confusion.epoch,
        theme.dot()
    )));
    let pairs = &confusion.most_confused;
    if pairs.is_empty() {
        lines.push(Line::from("no mistakes on the test set"));
    } else {
        let mut fields = vec![Field::new(
            theme.owned("most confused (actual→predicted):".into()),
            9,
        )];
        fields.extend(
            (pairs.iter().enumerate()).map(|(k, (a, p, n))| {
                Field::new(theme.owned(format!("{a}→{p} ×{n}")), 8 - k as u8)
            }),
        );
        lines.extend(fit_fields(
            fields,
            Span::raw("  "),
            usize::from(inner.width),
            1,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
