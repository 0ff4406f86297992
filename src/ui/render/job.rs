//! The background jobs on screen: their field in the status bar (which job, how far within
//! its runs, time left, the key that cancels it), the frame of the seeds and sweep views with
//! the confirm that large data asks for, and the state line those views end with. A job that trains is never unseen.
//!
//! ```text
//!  … │ seeds 3/60 at epoch 412/1000, x cancels │ ~2 h 10 min left │ …
//! ```

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::title::titled;
use crate::format::seed_span;
use crate::ui::app::{App, RunState};
use crate::ui::background::{Background, BackgroundRuns, JobState};
use crate::ui::widgets::Field;

/// The status bar's job fields: the job training now (run, epoch, the key that cancels it;
/// then, where room is left, its time left), else one paused half-way (which key resumes it);
/// nothing when no job has work left. Short enough to stay at 80 columns.
pub(super) fn fields(app: &App) -> Vec<Field<'static>> {
    let theme = app.theme();
    if let Some(which) = app.backgrounds().active() {
        let job = app.background(which);
        let (run, epoch) = job.current();
        let text = format!(
            "{} {run}/{} at epoch {epoch}/{}, x cancels",
            which.name(),
            job.runs,
            job.epochs
        );
        let mut out = vec![Field::new(theme.owned(text), 8)];
        if let Some(left) = job.time_left() {
            out.push(Field::new(format!("~{} left", duration_text(left)), 5));
        }
        return out;
    }
    let paused = (Background::ALL.into_iter())
        .find(|&b| app.background(b).state == JobState::Paused && !app.background(b).done());
    let Some(paused) = paused else {
        return Vec::new();
    };
    let job = app.background(paused);
    let text = format!(
        "{} paused at {}/{} ({} resumes)",
        paused.name(),
        job.current().0,
        job.runs,
        paused.key()
    );
    vec![Field::new(theme.owned(text), 3)]
}

/// How far a job is: the run under way and its epoch.
pub(super) fn progress(job: &BackgroundRuns) -> String {
    let (run, epoch) = job.current();
    format!("run {run} of {}, epoch {epoch}/{}", job.runs, job.epochs)
}

/// A duration as a person reads an estimate: `2 h 10 min`, `4 min`, `30 s`.
pub(super) fn duration_text(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s.div_ceil(60)),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

/// The frame of `which`'s view in `area`: a border titled `what`, its seeds and how many of
/// its runs finished (whole fields, the least important dropped first: never a cut figure).
/// While the job waits for Enter the frame holds its [`confirm_lines`] and there is no room
/// left (`None`); else the inside, for the view to fill.
pub(super) fn view_frame(
    app: &App,
    which: Background,
    what: &'static str,
    frame: &mut Frame<'_>,
    area: Rect,
) -> Option<Rect> {
    let theme = app.theme();
    let job = app.background(which);
    let range = match job.started() {
        true => seed_span(&job.seeds),
        false => "starting…".to_owned(),
    };
    let fields = vec![
        Field::new(what, 9),
        Field::new(theme.owned(range), 5),
        Field::new(format!("{} of {} runs", job.results.len(), job.runs), 7),
        Field::new("Esc back", 2),
    ];
    let block = titled(theme, fields, ", ", area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if job.state != JobState::Confirm {
        return Some(inner);
    }
    let lines = confirm_lines(app, which);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    None
}

/// What a job on large data says before it starts: its size, an estimate from the session's
/// own epoch time, and the keys that answer.
fn confirm_lines(app: &App, which: Background) -> Vec<Line<'static>> {
    let theme = app.theme();
    let job = app.background(which);
    let images = app.data().x_train.nrows();
    let estimate = match app.backgrounds().estimate(which) {
        Some(d) => format!(
            "about {} on one core at the session's epoch time (less if runs stop early)",
            duration_text(d)
        ),
        None => "no estimate yet: the session has not finished an epoch".to_owned(),
    };
    [
        format!(
            "{} runs of up to {} epochs on {images} training images, in the background on one core",
            job.runs, job.epochs
        ),
        estimate,
        "Enter starts it · Esc closes without starting".to_owned(),
    ]
    .into_iter()
    .map(|text| Line::from(theme.owned(text)))
    .collect()
}

/// The views' state phrases, most important first: where the job stands, what the charts
/// above do, and what closing the view does to it.
pub(super) fn state_phrases(app: &App, which: Background) -> Vec<String> {
    let job = app.background(which);
    if !job.started() {
        return vec!["starting…".to_owned()];
    }
    if job.done() {
        return vec!["done".to_owned()];
    }
    if job.state == JobState::Cancelled {
        let stopped = format!("cancelled after {} of {} runs", job.ended(), job.runs);
        return vec![stopped, "Enter starts it again".to_owned()];
    }
    let charts = match app.state() {
        RunState::Running => "the charts above keep training",
        RunState::Paused => "the charts above are paused; this goes on",
        RunState::Finished => "the charts above have finished",
    };
    vec![
        format!("running in the background: {}", progress(job)),
        charts.to_owned(),
        "Esc pauses it, k keeps it running, x cancels".to_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_estimates() {
        assert_eq!(duration_text(Duration::from_secs(30)), "30 s");
        assert_eq!(duration_text(Duration::from_secs(61)), "2 min");
        assert_eq!(duration_text(Duration::from_secs(7830)), "2 h 10 min");
    }
}
