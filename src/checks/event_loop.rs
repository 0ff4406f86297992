//! The dashboard's real loop (`ui::drive`) on a `TestBackend`, fed scripted keys and a real
//! training session: quit, pause, step, resize, bursts of keys, and export agreement. No
//! terminal, and no timing but one: scripts wait for states of the app, not for durations,
//! except where a pause must be seen to hold.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::data::Dataset;
use crate::engine::{Session, Speed};
use crate::export::SessionRecord;
use crate::train::{Contender, Settings};
use crate::ui::app::{App, RunState};
use crate::ui::{Input, drive};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// One step of a script.
enum Step {
    /// Keys that arrive together, as a burst (or auto-repeat) does.
    Keys(&'static str),
    /// A terminal event.
    Raw(Event),
    /// Nothing arrives until the app satisfies this.
    Until(&'static str, fn(&App) -> bool),
    /// Nothing arrives for this long (for what must not happen: time for it to happen).
    Idle(Duration),
}

/// Plays a script, then quits. A wait that is never satisfied quits after a minute, so a broken
/// loop fails the test's assertions instead of hanging it.
struct Script {
    pending: VecDeque<Event>,
    steps: VecDeque<Step>,
    waiting_since: Option<Instant>,
}

impl Script {
    fn new(steps: Vec<Step>) -> Self {
        Self {
            pending: VecDeque::new(),
            steps: steps.into(),
            waiting_since: None,
        }
    }
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

impl Input for Script {
    fn next(&mut self, timeout: Duration, app: &App) -> std::io::Result<Option<Event>> {
        if let Some(event) = self.pending.pop_front() {
            return Ok(Some(event));
        }
        if timeout.is_zero() {
            // The rest of a burst was taken; the loop goes on to draw.
            return Ok(None);
        }
        match self.steps.pop_front() {
            Some(Step::Keys(keys)) => {
                self.pending.extend(keys.chars().map(key));
                Ok(self.pending.pop_front())
            }
            Some(Step::Raw(event)) => Ok(Some(event)),
            Some(Step::Until(what, done)) => {
                let since = *self.waiting_since.get_or_insert_with(Instant::now);
                if done(app) {
                    self.waiting_since = None;
                } else if since.elapsed() > Duration::from_secs(60) {
                    eprintln!("gave up waiting for {what}");
                    return Ok(Some(key('q')));
                } else {
                    self.steps.push_front(Step::Until(what, done));
                    std::thread::sleep(Duration::from_millis(1));
                }
                Ok(None)
            }
            Some(Step::Idle(length)) => {
                let since = *self.waiting_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= length {
                    self.waiting_since = None;
                } else {
                    self.steps.push_front(Step::Idle(length));
                    std::thread::sleep(Duration::from_millis(1));
                }
                Ok(None)
            }
            None => Ok(Some(key('q'))),
        }
    }
}

fn sgd_only(epochs: u32) -> (Settings, Arc<Dataset>) {
    let settings = Settings {
        epochs,
        optimizers: vec![Contender::Sgd],
        ..Settings::default()
    };
    (settings, Arc::new(Dataset::lab()))
}

/// Runs the loop to its end on a 120×40 `TestBackend` with a paused session.
fn play(epochs: u32, steps: Vec<Step>) -> App {
    let (settings, data) = sgd_only(epochs);
    let session = Session::start(settings.clone(), Arc::clone(&data), true, Speed::Unlimited);
    let app = App::new(settings, data, "embedded", true, Speed::Unlimited);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    let started = Instant::now();
    drive(
        &mut terminal,
        app,
        Some(&session),
        &mut Script::new(steps),
        &AtomicBool::new(false),
        || started.elapsed(),
    )
    .expect("the loop ends cleanly")
}

fn epochs(app: &App) -> usize {
    app.runs()[0].epochs.len()
}

#[test]
fn q_quits_and_nothing_trains_while_paused() {
    // One step shows the session trains (an epoch takes milliseconds); the pause that follows
    // is then given half a second, time for dozens of epochs, in which none may arrive.
    let app = play(
        50,
        vec![
            Step::Until("the session to start", |a| a.state() == RunState::Paused),
            Step::Keys("."),
            Step::Until("the stepped epoch", |a| epochs(a) >= 1),
            Step::Idle(Duration::from_millis(500)),
        ],
    );
    assert!(app.quit());
    assert_eq!(epochs(&app), 1, "epochs arrived while paused");
}

#[test]
fn a_burst_of_steps_counts_every_press() {
    let app = play(
        20,
        vec![
            Step::Keys("...."),
            Step::Until("four epochs", |a| epochs(a) >= 4),
            // Give a fifth epoch every chance to (wrongly) arrive before quitting.
            Step::Keys("n"),
            Step::Until("the digits to redraw", |_| true),
        ],
    );
    assert_eq!(epochs(&app), 4);
    assert_eq!(app.state(), RunState::Paused);
}

#[test]
fn bursts_of_rate_keys_count_every_press_and_the_export_agrees_with_the_chart() {
    let app = play(
        10,
        vec![
            // Four doublings before any epoch: 0.01 → 0.16, one change after epoch 0.
            Step::Keys("++++"),
            Step::Keys("."),
            Step::Until("epoch 1", |a| epochs(a) >= 1),
            Step::Keys("--"),
            Step::Keys("."),
            Step::Until("epoch 2 and the second change", |a| {
                epochs(a) >= 2 && a.runs()[0].lr_changes.len() == 2
            }),
        ],
    );
    let run = &app.runs()[0];
    let changes: Vec<(u32, f64)> = (run.lr_changes.iter())
        .map(|c| (c.after_epoch, c.lr))
        .collect();
    assert_eq!(changes, [(0, 0.16), (1, 0.04)]);
    let record = SessionRecord::of(app.session());
    assert_eq!(
        record.runs[0].lr_changes, run.lr_changes,
        "one model, one answer"
    );
}

#[test]
fn space_resumes_and_training_runs_to_the_end() {
    let app = play(
        5,
        vec![
            Step::Keys(" "),
            Step::Until("the end", |a| a.state() == RunState::Finished),
        ],
    );
    assert_eq!(epochs(&app), 5);
    assert!(app.runs()[0].ended);
}

#[test]
fn a_resize_reaches_the_app() {
    let app = play(2, vec![Step::Raw(Event::Resize(80, 24))]);
    assert_eq!((app.size().width, app.size().height), (80, 24));
}

#[test]
fn the_settings_panel_restarts_the_real_session_with_other_runs() {
    let raw = |code| Step::Raw(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    let app = play(
        5,
        vec![
            Step::Keys("o"),
            // --epochs is three rows down from --lr; then the contenders, two further.
            raw(KeyCode::Down),
            raw(KeyCode::Down),
            raw(KeyCode::Down),
            raw(KeyCode::Delete),
            Step::Keys("3"),
            raw(KeyCode::Down),
            raw(KeyCode::Down),
            raw(KeyCode::Left),
            raw(KeyCode::Left),
            Step::Keys(" "),
            raw(KeyCode::Enter),
            Step::Until("the new generation", |a| a.runs().len() == 2),
            Step::Keys(" "),
            Step::Until("the end", |a| a.state() == RunState::Finished),
        ],
    );
    let trained: Vec<(Contender, usize)> = (app.runs().iter())
        .map(|r| (r.contender, r.epochs.len()))
        .collect();
    assert_eq!(trained, [(Contender::Sgd, 3), (Contender::Adam, 3)]);
    assert_eq!(app.settings().epochs, 3);
    let record = SessionRecord::of(app.session());
    assert_eq!(&record.settings, app.settings(), "the export records them");
}

#[test]
fn the_landscape_view_steps_with_the_dashboards_keys_and_pace() {
    // Paused: three presses of `.` are three steps of every path (and three epochs), and the
    // clock adds none.
    let app = play(
        10,
        vec![
            Step::Keys("t..."),
            Step::Until("three epochs", |a| epochs(a) >= 3),
            Step::Keys("n"),
            Step::Until("another frame", |_| true),
        ],
    );
    assert_eq!(app.landscape().step(), 3);
    assert_eq!(epochs(&app), 3);
    // Resumed at the dashboard's pace ("max": 1000 steps/s), the paths run to the bowl's 100.
    let app = play(
        1000,
        vec![
            Step::Keys("t "),
            Step::Until("the paths' end", |a| a.landscape().step() >= 100),
        ],
    );
    let view = app.landscape();
    assert!(view.done() && view.walkers().iter().all(|w| w.steps() == 100));
}
