//! The status bar: one reversed line of whole fields; when they do not fit, the least
//! important go first (the time left, the rate, a notice, the clock, then the speed), never
//! half a field. The epoch and the batch are the run furthest behind's; the rate and the
//! clock count only while running.
//!
//! ```text
//!  digits-tui │ seed 7 │ epoch 40 / 100 │ batch 12/938 SG │ running │ notice │ 2.4 s/epoch
//!  │ speed max │ 01:12 │ 24:00 left
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use crate::engine::Speed;
use crate::format;
use crate::ui::app::{App, RunState};
use crate::ui::widgets::{Field, elide_to_fit, fit_fields};

/// The status bar in `area`.
pub(super) fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.theme();
    let state = match app.state() {
        RunState::Running => "running",
        // Runs finish the epochs they started before a pause holds them all at one epoch.
        RunState::Paused if !app.session().at_one_boundary() => "pausing",
        RunState::Paused => "paused",
        RunState::Finished => "finished",
    };
    let strong = |text: String, keep| Field {
        spans: vec![Span::styled(text, theme.strong())],
        keep,
    };
    let mut fields = vec![
        strong("digits-tui".to_owned(), 10),
        Field::new(format!("seed {}", app.settings().seed), 6),
    ];
    if let Some((i, k)) = app.stage() {
        let stages = (app.runs().iter())
            .filter(|r| r.contender.optimizer().is_some())
            .count();
        let name = app.runs()[i].contender.label();
        fields.push(Field::new(format!("chain {k}/{stages} {name}"), 7));
    }
    fields.push(Field::new(
        format!("epoch {} / {}", app.epoch(), app.settings().epochs),
        9,
    ));
    // Within a long epoch, the batches of the run furthest behind (whose epoch is shown).
    let behind = app.session().behind().and_then(|i| app.runs().get(i));
    if let Some((run, (done, total))) = behind.and_then(|r| Some((r, r.in_epoch?))) {
        let who = run.contender.short();
        fields.push(Field::new(format!("batch {done}/{total} {who}"), 7));
    }
    fields.push(strong(state.to_owned(), 10));
    // A notice answers the last key, so it comes before the running figures; it is dropped
    // before the speed and the clock (a `[` must show its new speed), and soon expires.
    let notice = app.notice().map(|notice| {
        fields.push(strong(theme.text(notice).into_owned(), 4));
        fields.len() - 1
    });
    // A background job that trains (or waits half-way) is never unseen.
    fields.extend(super::job::fields(app));
    let diverged: Vec<&str> = (app.runs().iter())
        .filter(|r| r.summary.diverged_at.is_some())
        .map(|r| r.contender.label())
        .collect();
    if !diverged.is_empty() {
        fields.push(Field {
            spans: vec![Span::styled(
                format!("diverged: {}", diverged.join(", ")),
                theme.bad(),
            )],
            keep: 8,
        });
    }
    match app.replay() {
        Some(name) => fields.push(Field::new(format!("saved session {name}"), 5)),
        None => {
            let speed = match app.speed() {
                Speed::Unlimited => "max".to_owned(),
                Speed::PerSecond(s) => format!("{s}/s"),
            };
            fields.push(Field::new(format::pace(app.epochs_per_second()), 3));
            fields.push(Field::new(format!("speed {speed}"), 6));
            fields.push(Field::new(format::clock(app.elapsed()), 5));
            // Worth a field once the wait is long (big data, a slow speed).
            if let Some(left) = app.time_left().filter(|t| t.as_secs() >= 60) {
                fields.push(Field::new(format!("{} left", format::clock(left)), 2));
            }
        }
    }
    let sep = Span::raw(format!(" {} ", theme.separator()));
    let width = usize::from(area.width.saturating_sub(1));
    if let Some(i) = notice {
        elide_to_fit(&mut fields, i, sep.width(), width);
    }
    let line = fit_fields(fields, sep, width, 1).into_iter().next();
    let mut line = line.unwrap_or_default();
    line.spans.insert(0, Span::raw(" "));
    frame.render_widget(Paragraph::new(line).style(theme.status()), area);
}
