//! The final table, shown in place of the detail panel once every run has finished.
//!
//! ```text
//! ┌ finished: 100 epochs, seed 7, r restarts, q quits ─────┐
//! │optimizer     epochs final loss final test acc best ... │  columns drop (least
//! │SGD              100 1.348e-2   0.8960         0.8960 @ │  important first) or
//! │...                                                     │  shorten their header;
//! │MLP (sklearn): its loss is ...                          │  a value is never cut
//! └────────────────────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use crate::format::SummaryCells;
use crate::train::{BASELINE_LOSS_NOTE, Contender};
use crate::ui::app::App;
use crate::ui::widgets::{Column, Field, fit_columns, fit_fields};

/// The table's columns, most important kept longest: the name, then final test accuracy,
/// the loss, the best test accuracy, the epochs. The cells are [`SummaryCells`]', as in the
/// headless table.
fn columns(app: &App) -> Vec<Column> {
    let rows: Vec<SummaryCells> = (app.runs().iter())
        .map(|r| SummaryCells::of(&r.summary))
        .collect();
    let cells =
        |f: &dyn Fn(&SummaryCells) -> String| -> Vec<String> { rows.iter().map(f).collect() };
    let headers = |h: &[&str]| h.iter().map(|s| (*s).to_owned()).collect();
    vec![
        Column {
            headers: headers(&["optimizer", "run"]),
            cells: app
                .runs()
                .iter()
                .map(|r| r.contender.label().to_owned())
                .collect(),
            keep: 9,
        },
        Column {
            headers: headers(&["epochs", "ep"]),
            cells: cells(&|c| format!("{:>6}", c.epochs)),
            keep: 2,
        },
        Column {
            headers: headers(&["final loss", "loss"]),
            cells: cells(&|c| c.loss.clone()),
            keep: 6,
        },
        Column {
            headers: headers(&["final test acc", "test acc", "test"]),
            cells: cells(&|c| c.test.clone()),
            keep: 7,
        },
        Column {
            headers: headers(&["best test acc", "best test", "best"]),
            cells: cells(&|c| c.best.clone()),
            keep: 4,
        },
    ]
}

/// The final table in `area`.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.theme();
    let next = match app.replay() {
        Some(_) => "q quits",
        None => "r restarts, q quits",
    };
    let title = [
        Field::new(format!("finished: {} epochs", app.settings().epochs), 9),
        Field::new(format!("seed {}", app.settings().seed), 4),
        Field::new(next, 3),
    ];
    let room = usize::from(area.width.saturating_sub(4));
    let title = fit_fields(title.to_vec(), Span::raw(", "), room, 1);
    let title = title.into_iter().next().unwrap_or_default();
    let block = theme.block().title(Line::from(format!(" {title} ")));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let columns = columns(app);
    let shown = fit_columns(&columns, usize::from(inner.width));
    let header = Row::new(
        (shown.iter())
            .map(|&(c, h, _)| Cell::from(columns[c].headers[h].clone()))
            .collect::<Vec<_>>(),
    )
    .style(theme.strong());
    let rows = (0..app.runs().len()).map(|r| {
        Row::new(
            (shown.iter())
                .map(|&(c, _, _)| {
                    let cell = Cell::from(columns[c].cells[r].clone());
                    if c == 0 {
                        cell.style(theme.run(r))
                    } else {
                        cell
                    }
                })
                .collect::<Vec<_>>(),
        )
    });
    let widths: Vec<Constraint> = (shown.iter())
        .map(|&(_, _, w)| Constraint::Length(w as u16))
        .collect();
    let table = Table::new(rows, widths).header(header);
    let height = u16::try_from(app.runs().len() + 2).unwrap_or(u16::MAX);
    let [table_area, note_area] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(inner);
    frame.render_widget(table, table_area);
    if app.runs().iter().any(|r| r.contender == Contender::Mlp) {
        frame.render_widget(
            Paragraph::new(BASELINE_LOSS_NOTE)
                .wrap(Wrap { trim: true })
                .style(theme.note()),
            note_area,
        );
    }
}
