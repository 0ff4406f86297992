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

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::train::{Contender, Protocol};
use crate::ui::app::App;
use crate::ui::panel::{Field, Panel};
use crate::ui::theme::Theme;
use crate::ui::widgets::wrap_words;

/// Cells of the flag column (the longest flag and a gap).
const FLAG_WIDTH: usize = 20;
/// Widest the panel grows.
const MAX_WIDTH: u16 = 100;

/// The panel, centred in `size`.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, size: Rect) {
    let theme = app.theme();
    let panel = app.panel();
    let width = size.width.min(MAX_WIDTH);
    // Inside the border, two cells for the focus mark.
    let room = usize::from(width.saturating_sub(2));
    let value_room = room.saturating_sub(2 + FLAG_WIDTH);
    let mut lines: Vec<Line> = Vec::new();
    for field in Field::ALL {
        let focused = panel.focus() == field;
        let mark = if focused { "> " } else { "  " };
        let mut spans = vec![
            Span::raw(mark),
            Span::styled(format!("{:<FLAG_WIDTH$}", field.flag()), theme.strong()),
        ];
        let mut rows = value_rows(panel, field, focused, theme, value_room);
        let first = rows.remove(0);
        let used: usize = first.iter().map(Span::width).sum();
        spans.extend(first);
        let error = panel.error(field).map(|e| theme.owned(e));
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
    let rows = usize::from(size.height.saturating_sub(2));
    if lines.len() > rows && rows > 0 {
        lines.truncate(rows - 1);
        let more = theme.owned(" … more: enlarge the terminal".into());
        lines.push(Line::from(more).style(theme.note()));
    }
    let height = (lines.len() as u16 + 2).min(size.height);
    let area = Rect::new(
        size.x + (size.width - width) / 2,
        size.y + (size.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(theme.block().title(title)),
        area,
    );
}

fn indented<'a>(indent: &str, mut spans: Vec<Span<'a>>) -> Line<'a> {
    spans.insert(0, Span::raw(indent.to_owned()));
    Line::from(spans)
}

/// A field's value as rows of spans within `room` cells (the contenders wrap, whole).
fn value_rows(
    panel: &Panel,
    field: Field,
    focused: bool,
    theme: &Theme,
    room: usize,
) -> Vec<Vec<Span<'static>>> {
    match field {
        Field::Contenders => {
            let items = Contender::ALL.iter().enumerate().map(|(i, c)| {
                let check = if panel.contender_on(i) { "[x]" } else { "[ ]" };
                let text = format!("{check} {}", c.name());
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
        Field::Protocol => {
            let choice = |p: Protocol, name: &str| {
                let dot = if panel.protocol() == p { "(*)" } else { "( )" };
                let text = format!("{dot} {name}");
                match focused && panel.protocol() == p {
                    true => Span::styled(text, theme.key()),
                    false => Span::raw(text),
                }
            };
            vec![vec![
                choice(Protocol::Fair, "fair"),
                Span::raw(" "),
                choice(Protocol::Chain, "chain"),
            ]]
        }
        Field::Transpose => {
            let check = if panel.transpose() { "[x]" } else { "[ ]" };
            let text = format!("{check} read each image column by column (EMNIST)");
            match focused {
                true => vec![vec![Span::styled(text, theme.key())]],
                false => vec![vec![Span::raw(text)]],
            }
        }
        _ => {
            let text = panel.text(field).unwrap_or_default();
            let shown = match (text.is_empty(), field) {
                (true, Field::Data) => "embedded".to_owned(),
                (true, Field::TestData) => "the 80/20 split".to_owned(),
                _ => theme.owned(text.to_owned()),
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
