//! The weights view (`w`): the selected run's first-layer units as glyphs, a page at a time.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::title::view_title;
use crate::ui::app::App;
use crate::ui::layout::WeightsLayout;
use crate::ui::view::page_start;
use crate::ui::widgets::{Field, fit_fields};

/// The selected run's hidden units as glyphs of their incoming weights at the data's size (a
/// 28×28 unit in 28×14 cells, averaged 2× where few fit), a page at a time (PgDn/PgUp).
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.theme();
    let block = view_title(app, "first-layer weights", area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let snapshot = (app.runs().get(app.selected())).and_then(|r| r.snapshot.as_ref());
    let cached = app.weight_glyphs();
    if !snapshot.is_some_and(|m| cached.are_of(m)) {
        frame.render_widget(
            Paragraph::new(theme.owned("waiting for the weights…".into())),
            inner,
        );
        return;
    }
    let side = app.data().side;
    let layout = WeightsLayout::new(area, side, theme);
    let shown = side.div_ceil(cached.downsample());
    let (glyphs, scale) = (cached.glyphs(), cached.scale());
    let (units, inputs) = (cached.units(), cached.inputs());
    let page = layout.per_page().min(units);
    let start = page_start(app.weights_offset(), units, layout.per_page());
    let range = start..(start + page).min(units);
    let shown_units = match page {
        0 => format!("units 0 of {units}"),
        _ => format!("units {}–{} of {units}", start + 1, range.end),
    };
    let mut fields = vec![Field::new(theme.owned(shown_units), 9)];
    if page < units {
        fields.push(Field::new("PgDn/PgUp pages", 3));
    }
    fields.extend([
        Field::new(theme.weight_signs(), 5),
        Field::new(format!("brightest |w| = {scale:.2}"), 4),
        Field::new(theme.owned(format!("{inputs} pixels each")), 2),
    ]);
    if cached.downsample() > 1 {
        let by = cached.downsample();
        fields.push(Field::new(theme.owned(format!("averaged {by}×{by}")), 6));
    }
    let legend = fit_fields(
        fields,
        Span::raw(theme.dot()),
        usize::from(layout.legend.width),
        1,
    );
    frame.render_widget(Paragraph::new(legend).style(theme.note()), layout.legend);
    for (k, u) in range.enumerate() {
        frame.render_widget(
            Paragraph::new(theme.weight_lines(&glyphs[u], shown, scale)),
            layout.glyph(k),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::ui::theme::Theme;

    #[test]
    fn weights_draw_sign_and_size_without_colour() {
        let mut w = vec![0.0; 64];
        w[0] = 1.0;
        w[1] = -1.0;
        w[2] = 0.2;
        w[3] = -0.2;
        let lines = Theme::plain().weight_lines(&w, 8, 1.0);
        assert_eq!(lines.len(), 8);
        assert_eq!(lines[0].to_string(), "#=+-    ");
    }
}
