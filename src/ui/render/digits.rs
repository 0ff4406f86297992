//! The test digits panel: each tile is a glyph, the other runs' guesses beside it and the
//! selected run's verdict under it. Glyphs are drawn at the data's size (a 28×28 digit in
//! 28×14 cells of half blocks) or, where that does not fit, averaged down 2× (14×7 cells);
//! the lab's 8×8 digits keep their 16×8-cell tiles (8×4 compact). Greys are relative to the
//! data's full ink (16 or 255).
//!
//! ```text
//! ┌ test digits (n: new) ───────┐
//! │    ░░▓▓████▒▒   Mo 7        │  glyph, then one guess per other run
//! │  ░░████▓▓██░░   AG 7x       │  (`x` marks a wrong one, `div` a diverged run)
//! │✗ 8 actual 7                 │  the selected run's guess
//! └─────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::RunHistory;
use crate::ui::app::App;
use crate::ui::layout::{TileSize, Tiles};
use crate::ui::theme::LAB_SIDE;
use crate::ui::widgets::{Field, digit_lines, digit_lines_half, downsample, fit_fields};

/// The panel of test digits.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect, tiles: Tiles) {
    let block = app.theme().block().title(" test digits (n: new) ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (width, height) = (tiles.width(), tiles.height(app.runs().len()));
    let slots = (0..tiles.rows).flat_map(|r| (0..tiles.cols).map(move |c| (r, c)));
    for ((r, c), &index) in slots.zip(app.digits()) {
        let tile = Rect::new(
            inner.x + c * (width + 1),
            inner.y + r * (height + 1),
            width,
            height,
        )
        .intersection(inner);
        render_tile(app, frame, tile, tiles, index);
    }
}

/// What `run` guessed for test image `index`: nothing yet, a label, or nothing worth showing
/// because the run diverged.
enum Guess {
    None,
    Label(u8),
    Diverged,
}

fn guess(run: &RunHistory, index: usize) -> Guess {
    match (&run.predictions, run.summary.diverged_at) {
        (_, Some(_)) => Guess::Diverged,
        (Some(p), None) => Guess::Label(p[index]),
        (None, None) => Guess::None,
    }
}

/// Test image `index` as inks (0..=1 of the data's full intensity), shrunk as `tiles` say.
fn inks(app: &App, tiles: Tiles, index: usize) -> Vec<f64> {
    let data = app.data();
    let full = f64::from(data.max_pixel.max(1));
    let row: Vec<f64> = (data.test_pixels.row(index).iter())
        .map(|&p| f64::from(p) / full)
        .collect();
    downsample(&row, tiles.side, tiles.size.downsample(tiles.side))
}

fn render_tile(app: &App, frame: &mut Frame<'_>, area: Rect, tiles: Tiles, index: usize) {
    let theme = app.theme();
    let (size, side) = (tiles.size, tiles.side);
    let shown = side.div_ceil(size.downsample(side));
    let inks = inks(app, tiles, index);
    let actual = app.data().y_test[index];
    let [glyph, others] = Layout::horizontal([
        Constraint::Length(size.glyph_width(side) + 1),
        Constraint::Length(6),
    ])
    .areas(Rect::new(
        area.x,
        area.y,
        area.width,
        area.height.saturating_sub(1),
    ));
    // The lab's pixels two cells wide at full size; anything else two pixels a cell.
    let lines = match (size, side > LAB_SIDE) {
        (TileSize::Full, false) => digit_lines(&inks, shown, theme),
        _ => digit_lines_half(&inks, shown, theme),
    };
    frame.render_widget(Paragraph::new(lines), glyph);
    let other_lines: Vec<Line> = (app.runs().iter().enumerate())
        .filter(|(i, _)| *i != app.selected())
        .map(|(i, r)| {
            let short = r.contender.short();
            let text = match guess(r, index) {
                Guess::Label(g) if g != actual => format!("{short} {g}{}", theme.wrong_mark()),
                Guess::Label(g) => format!("{short} {g}"),
                Guess::Diverged => format!("{short} div"),
                Guess::None => format!("{short} -"),
            };
            Line::from(text).style(theme.run(i))
        })
        .collect();
    frame.render_widget(Paragraph::new(other_lines), others);
    let selected = app
        .runs()
        .get(app.selected())
        .map_or(Guess::None, |r| guess(r, index));
    let verdict = match selected {
        Guess::Label(g) if g != actual => {
            Span::styled(format!("{} {g}", theme.wrong_mark()), theme.bad())
        }
        Guess::Label(g) => Span::styled(format!("{} {g}", theme.right_mark()), theme.good()),
        Guess::Diverged => Span::styled("diverged", theme.bad()),
        Guess::None => Span::raw("?"),
    };
    let fields = vec![
        Field {
            spans: vec![verdict],
            keep: 9,
        },
        Field::new(format!("actual {actual}"), 5),
    ];
    let label = fit_fields(fields, Span::raw(" "), usize::from(area.width), 1);
    let label_area = Rect::new(
        area.x,
        area.y + area.height.saturating_sub(1),
        area.width,
        1,
    );
    frame.render_widget(Paragraph::new(label), label_area);
}
