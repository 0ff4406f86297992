//! The footer: the keys that work in the current view, straight from the keymap. Each key of
//! a grouped entry (`← →`, `c w d m`) is drawn as a key. When the line is too long the words
//! shorten and the gaps close first, then the least useful entries go; `? help` and
//! `q quit` always stay.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::app::App;
use crate::ui::keymap::{FooterHint, Priority, footer_hints};
use crate::ui::theme::Theme;

/// One way of writing the entries: short words or not, roomy or tight.
#[derive(Clone, Copy)]
struct Style {
    short: bool,
    gap: &'static str,
}

const STYLES: [Style; 4] = [
    Style {
        short: false,
        gap: "   ",
    },
    Style {
        short: false,
        gap: "  ",
    },
    Style {
        short: true,
        gap: "  ",
    },
    Style {
        short: true,
        gap: " ",
    },
];

fn spans(theme: &Theme, hints: &[FooterHint], style: Style) -> Vec<Span<'static>> {
    let mut out = vec![Span::raw(" ")];
    for h in hints {
        for (k, key) in h.keys.iter().enumerate() {
            if k > 0 {
                out.push(Span::raw(" "));
            }
            out.push(Span::styled(theme.text(key).into_owned(), theme.key()));
        }
        let (long, short) = h.hint.words();
        let word = if style.short { short } else { long };
        out.push(Span::raw(format!(" {word}{}", style.gap)));
    }
    out
}

/// The footer in `area`.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.theme();
    let mut hints = footer_hints(app.view(), |i| app.offers(i));
    let width = usize::from(area.width);
    let fits = |s: &[Span]| s.iter().map(Span::width).sum::<usize>() <= width;
    let line = loop {
        let fitting = (STYLES.iter())
            .map(|&style| spans(theme, &hints, style))
            .find(|s| fits(s));
        let least = (hints.iter().enumerate())
            .filter(|(_, h)| h.hint.priority() < Priority::Always)
            .min_by_key(|(i, h)| (h.hint.priority(), usize::MAX - i))
            .map(|(i, _)| i);
        match (fitting, least) {
            (Some(s), _) => break s,
            (None, Some(i)) => {
                hints.remove(i);
            }
            (None, None) => break spans(theme, &hints, STYLES[STYLES.len() - 1]),
        }
    };
    frame.render_widget(Paragraph::new(Line::from(line)), area);
}
