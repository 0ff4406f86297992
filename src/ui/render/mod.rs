//! Drawing: a pure function of `&App`, one module per region of the screen, every style and
//! glyph from the app's [`Theme`](super::theme::Theme).
//!
//! ```text
//! status.rs   seed · epoch · state · notice · job.rs (a background job) · epochs/s · speed · clock
//! charts.rs   one small loss chart per run (figures in the bottom border)
//! detail.rs   the selected run: figures, rule, loss, train and test accuracy  │ digits.rs
//! overlay.rs  (v) every run on shared loss and accuracy charts instead        │ test digits
//! table.rs    (finished) the final table instead of the detail                │
//! footer.rs   keys from the keymap        help.rs: the ? overlay   settings_form.rs: settings (o)
//! health.rs   (i) the selected run's hidden layers instead of the lower half
//! landscape.rs (t) the optimizers' paths on a 2-D function, in place of charts and detail
//! confusion.rs (c) · weights.rs (w) · draw.rs (d) · seeds.rs (m) · sweep.rs (g): the views
//!             under the charts, each in a border whose title.rs says what and whose
//! ```

mod charts;
mod confusion;
mod detail;
mod digits;
mod draw;
mod footer;
mod health;
mod help;
mod job;
mod landscape;
mod overlay;
mod seeds;
mod settings_form;
mod status;
mod sweep;
mod table;
mod title;
mod weights;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::app::{App, RunState};
use super::layout::{Areas, MIN_HEIGHT, MIN_WIDTH};
use super::theme::Theme;
use super::view::View;
use super::widgets::wrap_words;

/// Draws the whole dashboard.
pub(crate) fn render(app: &App, frame: &mut Frame<'_>) {
    let size = frame.area();
    let theme = app.theme();
    let areas = Areas::new(size, app.runs().len(), app.data().side);
    if !areas.fits {
        render_too_small(theme, frame, size);
        return;
    }
    if let Some(message) = app.failure() {
        render_failure(theme, frame, size, message);
        return;
    }
    status::render(app, frame, areas.status);
    if app.view() == View::Landscape {
        landscape::render(app, frame, crate::ui::landscape::area(&areas));
    }
    let charts = (app.view() != View::Landscape).then_some(&areas.charts);
    for (i, area) in charts.into_iter().flatten().enumerate() {
        charts::render_small(app, frame, *area, i);
    }
    match app.view() {
        View::Main | View::Settings => {
            if app.overlay() {
                overlay::render(app, frame, areas.detail);
            } else if app.state() == RunState::Finished {
                table::render(app, frame, areas.detail);
            } else {
                detail::render(app, frame, areas.detail);
            }
            digits::render(app, frame, areas.digits, areas.tiles);
        }
        View::Confusion => confusion::render(app, frame, areas.below()),
        View::Health => health::render(app, frame, areas.below()),
        View::Weights => weights::render(app, frame, areas.below()),
        View::Draw => draw::render(app, frame, areas.below()),
        View::Seeds => seeds::render(app, frame, areas.below()),
        View::Sweep => sweep::render(app, frame, areas.below()),
        View::Landscape => {}
    }
    footer::render(app, frame, areas.footer);
    if app.view() == View::Settings {
        settings_form::render(app, frame, size);
    }
    if app.show_help() {
        help::render(app, frame, size);
    }
}

/// An overlay box (help, settings) `width` cells wide and titled `title`, centred in `size`
/// over what is drawn there: as tall as `lines` need, or where `size` is too short, cut with a
/// last line that says so.
fn centred_box(
    theme: &Theme,
    frame: &mut Frame<'_>,
    size: Rect,
    (width, title): (u16, &'static str),
    mut lines: Vec<Line<'_>>,
) {
    let rows = usize::from(size.height.saturating_sub(2));
    if lines.len() > rows && rows > 0 {
        lines.truncate(rows - 1);
        let more = theme.owned(" … more: enlarge the terminal".into());
        lines.push(Line::from(more).style(theme.note()));
    }
    let height = (lines.len() + 2).min(usize::from(size.height)) as u16;
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

/// The "enlarge me" panel: the whole message, or a shorter one, or nothing, whichever first
/// fits without cutting a word.
/// The first frame, up before the data is read: what is loading, centred.
pub(crate) fn loading(theme: &Theme, frame: &mut Frame<'_>, what: &str) {
    let area = frame.area();
    let text = theme.owned(format!("digits-tui: loading {what}…"));
    let y = area.height / 2;
    if area.height > 0 {
        let line = Rect::new(area.x, area.y + y, area.width, 1);
        frame.render_widget(Paragraph::new(text).centered().style(theme.strong()), line);
    }
}

fn render_too_small(theme: &Theme, frame: &mut Frame<'_>, size: Rect) {
    let (w, h) = (size.width, size.height);
    let candidates = [
        format!(
            "Terminal too small: {w}×{h}. Enlarge to at least {MIN_WIDTH}×{MIN_HEIGHT}. (q quits)"
        ),
        format!("Too small: {w}×{h}, need {MIN_WIDTH}×{MIN_HEIGHT}."),
        "Enlarge the terminal.".to_owned(),
        "Enlarge".to_owned(),
    ];
    let width = usize::from(w);
    let fits = |text: &String| {
        let whole = text
            .split_whitespace()
            .all(|word| word.chars().count() <= width);
        whole && wrap_words(text, width).len() <= usize::from(h)
    };
    let Some(text) = candidates.into_iter().map(|c| theme.owned(c)).find(fits) else {
        return;
    };
    frame.render_widget(
        Paragraph::new(
            wrap_words(&text, width)
                .into_iter()
                .map(Line::from)
                .collect::<Vec<_>>(),
        )
        .alignment(Alignment::Center),
        size,
    );
}

fn render_failure(theme: &Theme, frame: &mut Frame<'_>, size: Rect, message: &str) {
    let block = theme.alarm_block().title(" training stopped ");
    let text = vec![
        Line::from("A training worker failed:"),
        Line::from(""),
        Line::from(theme.text(message).into_owned()).style(theme.strong()),
        Line::from(""),
        Line::from("Press q to quit."),
    ];
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        size,
    );
}
