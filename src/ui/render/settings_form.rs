//! The settings panel (`o`), over the dashboard: one row per flag with its value, the rule a
//! refused value breaks beside it (or under it, whole words, when it does not fit), and the
//! command line that reruns the same settings headless.
//!
//! ```text
//! ┌ settings: Enter restarts with them, Esc discards ───────────┐
//! │> --lr           0.05_                                       │
//! │  --batch-size   0     must be at least 1                    │
//! │  --optimizers   [x] sgd [x] momentum [ ] adagrad …          │
//! │  --protocol     (*) fair ( ) chain                          │
//! │                                                             │
//! │  headless: digits-tui --headless --seed 7 --lr 0.05         │
//! └─────────────────────────────────────────────────────────────┘
//! ```

use super::centred_box;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::settings::{Kind, Setting};
use crate::ui::app::App;
use crate::ui::settings_form::{self, SettingsForm};
use crate::ui::theme::Theme;
use crate::ui::widgets::wrap_words;

/// Cells of the flag column (the longest flag and a gap).
const FLAG_WIDTH: usize = 20;
/// Widest the panel grows.
const MAX_WIDTH: u16 = 100;

/// The panel, centred in `size`.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, size: Rect) {
    let theme = app.theme();
    let panel = app.settings_form();
    let width = size.width.min(MAX_WIDTH);
    // Inside the border, two cells for the focus mark.
    let room = usize::from(width.saturating_sub(2));
    let value_room = room.saturating_sub(2 + FLAG_WIDTH);
    let mut lines: Vec<Line> = Vec::new();
    for field in settings_form::rows() {
        let focused = panel.focus().name == field.name;
        let mark = if focused { "> " } else { "  " };
        let mut spans = vec![
            Span::raw(mark),
            Span::styled(format!("{:<FLAG_WIDTH$}", field.flag()), theme.strong()),
        ];
        let mut rows = value_rows(panel, field, focused, theme, value_room);
        let first = rows.remove(0);
        let used: usize = first.iter().map(Span::width).sum();
        spans.extend(first);
        let error = panel.error(field.name).map(|e| theme.owned(e));
        let indent = " ".repeat(2 + FLAG_WIDTH);
        match error {
            Some(e) if used + 2 + e.chars().count() <= value_room => {
                spans.push(Span::styled(format!("  {e}"), theme.bad()));
                lines.push(Line::from(spans));
                lines.extend(rows.into_iter().map(|r| indented(&indent, r)));
            }
            Some(e) => {
                lines.push(Line::from(spans));
                lines.extend(rows.into_iter().map(|r| indented(&indent, r)));
                for piece in wrap_words(&e, value_room.max(1)) {
                    let bad = vec![Span::styled(piece, theme.bad())];
                    lines.push(indented(&indent, bad));
                }
            }
            None => {
                lines.push(Line::from(spans));
                lines.extend(rows.into_iter().map(|r| indented(&indent, r)));
            }
        }
    }
    lines.push(Line::from(""));
    match panel.command_line() {
        Some(command) => {
            let text = format!("headless: {command}");
            for piece in wrap_words(&theme.owned(text), room.saturating_sub(2).max(1)) {
                lines.push(Line::from(format!("  {piece}")).style(theme.note()));
            }
        }
        None => lines.push(
            Line::from("  fix the value marked: nothing applies until all are valid")
                .style(theme.bad()),
        ),
    }
    let title = match panel.read_only() {
        true => " settings of the saved session (read only; Esc closes) ",
        false => " settings: Enter restarts with them, Esc discards ",
    };
    centred_box(theme, frame, size, (width, title), lines);
}

fn indented<'a>(indent: &str, mut spans: Vec<Span<'a>>) -> Line<'a> {
    spans.insert(0, Span::raw(indent.to_owned()));
    Line::from(spans)
}

/// A row's value as rows of spans within `room` cells (a row of switches wraps, whole).
fn value_rows(
    panel: &SettingsForm,
    field: &Setting,
    focused: bool,
    theme: &Theme,
    room: usize,
) -> Vec<Vec<Span<'static>>> {
    match field.kind {
        Kind::SomeOf(names) => {
            let items = names.iter().enumerate().map(|(i, name)| {
                let check = if panel.is_on(field.name, name) {
                    "[x]"
                } else {
                    "[ ]"
                };
                let text = format!("{check} {name}");
                match focused && panel.cursor() == i {
                    true => Span::styled(text, theme.key()),
                    false => Span::raw(text),
                }
            });
            let mut rows: Vec<Vec<Span<'static>>> = vec![Vec::new()];
            let mut used = 0;
            for item in items {
                let w = item.width();
                if used > 0 && used + 1 + w > room {
                    rows.push(Vec::new());
                    used = 0;
                }
                let row = rows.last_mut().expect("a row");
                if used > 0 {
                    row.push(Span::raw(" "));
                    used += 1;
                }
                row.push(item);
                used += w;
            }
            rows
        }
        Kind::OneOf(names) => {
            let mut spans = Vec::new();
            for name in names {
                let on = panel.is_on(field.name, name);
                let dot = if on { "(*)" } else { "( )" };
                if !spans.is_empty() {
                    spans.push(Span::raw(" "));
                }
                spans.push(match focused && on {
                    true => Span::styled(format!("{dot} {name}"), theme.key()),
                    false => Span::raw(format!("{dot} {name}")),
                });
            }
            vec![spans]
        }
        Kind::Switch => {
            let check = if panel.is_on(field.name, "true") {
                "[x]"
            } else {
                "[ ]"
            };
            let mut help = field.help.to_owned();
            help[..1].make_ascii_lowercase();
            let text = format!("{check} {help}");
            match focused {
                true => vec![vec![Span::styled(text, theme.key())]],
                false => vec![vec![Span::raw(text)]],
            }
        }
        _ => {
            let text = panel.text(field.name).unwrap_or_default();
            let shown = match text.is_empty() {
                true => panel.placeholder(field.name).to_owned(),
                false => theme.owned(text.to_owned()),
            };
            let style = match text.is_empty() {
                true => theme.note(),
                false => ratatui::style::Style::new(),
            };
            let mut spans = vec![Span::styled(shown, style)];
            if focused && !panel.read_only() {
                // The cursor stands where typing goes: after the text, or before a placeholder.
                let at = if text.is_empty() { 0 } else { 1 };
                spans.insert(at, Span::styled(" ", theme.key()));
            }
            vec![spans]
        }
    }
}
