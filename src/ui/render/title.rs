//! The titles on the views' borders: what the view shows and whose, in as many whole fields
//! as the border holds.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::ui::app::App;
use crate::ui::theme::Theme;
use crate::ui::widgets::{Field, fit_fields};

/// A view's panel, titled with what it shows and whose, in as many whole fields as fit.
pub(super) fn view_title(app: &App, what: &str, area: Rect) -> Block<'static> {
    let theme = app.theme();
    let label = app
        .runs()
        .get(app.selected())
        .map_or("", |r| r.contender.label());
    let fields = vec![
        Field::new(format!("{what}: {label}"), 9),
        Field::new(theme.owned("(←/→ another run, Esc back)".into()), 2),
    ];
    titled(theme, fields, " ", area)
}

/// A panel whose title is `fields` with `sep` between them, dropped whole when the border
/// is too short.
pub(super) fn titled(
    theme: &Theme,
    fields: Vec<Field<'static>>,
    sep: &'static str,
    area: Rect,
) -> Block<'static> {
    let room = usize::from(area.width.saturating_sub(4));
    let title = fit_fields(fields, Span::raw(sep), room, 1)
        .into_iter()
        .next();
    let mut spans = vec![Span::raw(" ")];
    spans.extend(title.unwrap_or_default().spans);
    spans.push(Span::raw(" "));
    theme.block().title(Line::from(spans))
}
