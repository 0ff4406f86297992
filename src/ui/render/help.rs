//! The `?` overlay: the keys that work in the current view, by scope, straight from the
//! keymap. It is as wide as its longest line when the terminal allows; otherwise the
//! descriptions wrap at word boundaries. Section titles, behind a rule through the key
//! column, go before any key does.
//!
//! ```text
//! ┌ keys (? or Esc closes) ───────────────────────────────┐
//! │ ────────  dashboard and views                         │
//! │ ←/h/⇧Tab  select the previous optimizer               │
//! │ m         many seeds: the comparison over 10 seeds,   │
//! │           in the background                           │
//! └───────────────────────────────────────────────────────┘
//! ```

use super::centred_box;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::ui::app::App;
use crate::ui::keymap::{Scope, help_lines};
use crate::ui::view::View;
use crate::ui::widgets::wrap_words;

const TITLE: &str = " keys (? or Esc closes) ";

/// One entry of the overlay: a section title, a key and what it does, or a note on input
/// that is not a key (the mouse, typing), which goes with the titles when room runs out.
enum Entry {
    Section(&'static str),
    Key(String, String),
    Note(String, String),
}

fn entries(app: &App) -> Vec<Entry> {
    let theme = app.theme();
    let mut out = Vec::new();
    for scope in [
        Scope::SettingsForm,
        Scope::Landscape,
        Scope::Background,
        Scope::Weights,
        Scope::Canvas,
        Scope::Browse,
        Scope::Global,
    ] {
        if !scope.active_in(app.view()) {
            continue;
        }
        out.push(Entry::Section(scope.title()));
        let lines = help_lines(scope, app.runs().len(), |i| app.offers(i));
        out.extend(
            (lines.into_iter())
                .map(|(keys, help)| Entry::Key(theme.owned(keys), theme.owned(help))),
        );
    }
    let (input, note) = match (app.view(), app.overlay()) {
        (View::Settings, _) => ("type", "edit the value under the cursor"),
        (View::Draw, _) => ("mouse", "paint the canvas (right button erases)"),
        (View::Landscape, _) => ("mouse", "click the landscape: the paths start there"),
        (_, true) => ("mouse", "select an optimizer's chart or legend entry"),
        _ => ("mouse", "select an optimizer's chart"),
    };
    out.push(Entry::Note(input.into(), note.into()));
    out
}

/// The overlay, centred in `size`.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, size: Rect) {
    let theme = app.theme();
    let entries = entries(app);
    let keys = |e: &Entry| match e {
        Entry::Key(k, _) | Entry::Note(k, _) => k.chars().count(),
        Entry::Section(_) => 0,
    };
    let key_w = entries.iter().map(keys).max().unwrap_or(0);
    let widest = (entries.iter())
        .map(|e| match e {
            Entry::Key(_, h) | Entry::Note(_, h) => key_w + 2 + h.chars().count(),
            Entry::Section(t) => key_w + 2 + t.len(),
        })
        .max()
        .unwrap_or(0)
        .max(TITLE.len());
    // One cell of padding each side inside the border.
    let width = (widest + 4).min(usize::from(size.width));
    let text_w = width.saturating_sub(4 + key_w + 2).max(1);
    // `(goes first when room runs out, line)`
    let mut lines: Vec<(bool, Line)> = Vec::new();
    for e in &entries {
        match e {
            Entry::Section(t) => {
                // A rule through the key column: a title indented like a description read as
                // the end of the line above it.
                let rule = theme.owned("─".repeat(key_w));
                let line = Line::from(format!(" {rule}  {t}")).style(theme.note());
                lines.push((true, line));
            }
            Entry::Key(k, h) | Entry::Note(k, h) => {
                let note = matches!(e, Entry::Note(..));
                for (n, piece) in wrap_words(h, text_w).into_iter().enumerate() {
                    let key = if n == 0 { k.as_str() } else { "" };
                    lines.push((
                        note,
                        Line::from(vec![
                            Span::raw(" "),
                            Span::styled(format!("{key:<key_w$}"), theme.strong()),
                            Span::raw(format!("  {piece}")),
                        ]),
                    ));
                }
            }
        }
    }
    let room = usize::from(size.height.saturating_sub(2));
    if lines.len() > room {
        // Titles and notes are the first to go.
        lines.retain(|(section, _)| !section);
    }
    let lines: Vec<Line> = lines.into_iter().map(|(_, l)| l).collect();
    centred_box(theme, frame, size, (width as u16, TITLE), lines);
}
