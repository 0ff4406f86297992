//! The live dashboard: a ratatui front end on a training [`Session`].
//!
//! The loop ([`drive`]) draws at most every 33 ms, waits for input with that timeout (no busy
//! loop), takes every input that is already waiting (each one action, so a burst of keys
//! counts in full), drains session events without blocking and feeds everything to
//! [`App::update`], carrying out the [`Effect`]s it returns. It is generic over the backend and
//! the input, so tests run the real loop on a `TestBackend` with scripted keys. Worker panics
//! never reach the terminal: the session reports them and the app shows a panel.

pub mod app;
pub(crate) mod asked;
pub(crate) mod background;
pub(crate) mod canvas;
pub(crate) mod chart_ranges;
pub(crate) mod confusion;
pub(crate) mod frame_bench;
pub(crate) mod intent;
pub(crate) mod keymap;
pub(crate) mod landscape;
pub(crate) mod layout;
pub(crate) mod message;
pub(crate) mod notice;
pub(crate) mod pace;
pub(crate) mod render;
pub(crate) mod settings_form;
pub(crate) mod terminal;
pub(crate) mod terrain;
pub(crate) mod theme;
pub(crate) mod view;
pub(crate) mod weight_glyphs;
pub(crate) mod widgets;

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::TryRecvError;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{Event as TermEvent, MouseButton, MouseEventKind};
use ratatui::layout::{Position, Rect};

use crate::data::Dataset;
use crate::engine::{Command, Event, Grid, SeedRuns, Session, Speed, jobs};
use crate::exit::RunError;
use crate::export::{self, SessionRecord};
use crate::train::Settings;
use app::App;
use background::{Background, JobState};
use intent::Intent;
use message::{Effect, Message};

/// At most this often the screen is redrawn.
const FRAME: Duration = Duration::from_millis(33);

/// Options that only the dashboard has.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// Start paused.
    pub paused: bool,
    /// Starting pace.
    pub speed: Speed,
    /// ASCII-only drawing.
    pub ascii: bool,
    /// Where `e` writes the session (default: a fresh name in the current directory).
    pub export: Option<PathBuf>,
    /// What the session trains on, as export files name it.
    pub data_source: crate::data::source::DataSource,
}

/// Where the loop's input comes from: the terminal, or a script in tests (which may wait for
/// the app to reach a state, hence `app`).
pub trait Input {
    /// The next input, waiting at most `timeout` for one.
    fn next(&mut self, timeout: Duration, app: &App) -> io::Result<Option<TermEvent>>;
}

/// Runs the dashboard until the user quits or a signal asks us to stop. The first frame, a
/// loading panel, is up before `load` reads the data (60 000 images take a second). A worker
/// failure, shown on screen as a panel, is also returned so the shell sees it once the screen
/// is gone.
pub(crate) fn dashboard(
    mut settings: Settings,
    load: impl FnOnce() -> Result<Dataset, RunError>,
    options: Options,
) -> Result<(), RunError> {
    // The layer-health view (`i`) shows every epoch since the start.
    settings.health = true;
    on_terminal(&options, load, |data| {
        let app = App::new(
            settings.clone(),
            Arc::clone(&data),
            options.data_source.clone(),
            options.paused,
            options.speed,
        );
        let session = Session::start(settings, data, options.paused, options.speed);
        (app, Some(session))
    })
}

/// Shows a saved session (`--open`): its curves, digits, views and final table, with nothing
/// training. `e` writes it out again.
pub(crate) fn show(
    record: &SessionRecord,
    name: String,
    load: impl FnOnce() -> Result<Dataset, RunError>,
    options: Options,
) -> Result<(), RunError> {
    on_terminal(&options, load, |data| {
        (App::of_record(record, data, name), None)
    })
}

/// The real terminal around [`drive`]: a loading frame while `load` reads the data, then the
/// app (and session, if any) that `start` makes of it.
fn on_terminal(
    options: &Options,
    load: impl FnOnce() -> Result<Dataset, RunError>,
    start: impl FnOnce(Arc<Dataset>) -> (App, Option<Session>),
) -> Result<(), RunError> {
    let stop = terminal::watch_signals()?;
    terminal::install_panic_hook();
    let theme = theme::Theme::from_env(options.ascii);
    let (guard, mut term) = terminal::Guard::enter()?;
    let what = options.data_source.to_string();
    term.draw(|frame| render::loading(&theme, frame, &what))?;
    let (app, session) = start(Arc::new(load()?));
    let app = (app.with_theme(theme)).with_export_path(options.export.clone());
    let started = Instant::now();
    let ended = drive(
        &mut term,
        app,
        session.as_ref(),
        &mut terminal::Crossterm,
        &stop.requested,
        || started.elapsed(),
    );
    // The terminal first: stopping the engine waits for its workers, which may be in the
    // middle of a long evaluation, and a signal's grace is short.
    drop(term);
    drop(guard);
    let trained = session.is_some();
    drop(session);
    terminal::finished();
    if let Some(stopped) = stop.outcome() {
        return Err(stopped);
    }
    match ended?.failure() {
        Some(message) if trained => Err(RunError::Training(message.to_owned())),
        _ => Ok(()),
    }
}

/// The loop: draw at a steady rate, turn every waiting input into an action, feed the session's
/// events to the app, carry out what the app asks, until quit or `stop`. Returns the app as it
/// ended, for the caller (and tests) to read.
pub fn drive<B: Backend>(
    terminal: &mut Terminal<B>,
    mut app: App,
    session: Option<&Session>,
    input: &mut impl Input,
    stop: &AtomicBool,
    clock: impl Fn() -> Duration,
) -> Result<App, RunError> {
    let backend = |e: B::Error| RunError::Io(io::Error::other(e.to_string()));
    // The seeds view's and the sweep view's runs, each started the first time its view opens.
    let mut beside = Beside::default();
    let size = terminal.size().map_err(backend)?;
    app.update(Message::Resize(Rect::new(0, 0, size.width, size.height)));
    app.update(Intent::NewDigits);
    let mut last_draw: Option<Instant> = None;
    while !app.quit() && !stop.load(Ordering::Relaxed) {
        if last_draw.is_none_or(|t| t.elapsed() >= FRAME) {
            terminal
                .draw(|frame| render::render(&app, frame))
                .map_err(backend)?;
            last_draw = Some(Instant::now());
        }
        let wait = FRAME.saturating_sub(last_draw.map_or(FRAME, |t| t.elapsed()));
        let mut timeout = wait;
        let mut any = false;
        // Every input already waiting is taken now, each one action.
        while let Some(event) = input.next(timeout, &app)? {
            timeout = Duration::ZERO;
            any = true;
            if let Some(message) = message_for(&event, app.view()) {
                let effect = app.update(message);
                carry_out(effect, &mut app, session, &mut beside);
            }
            if app.quit() {
                break;
            }
        }
        if any {
            // Redraw at once on input.
            last_draw = None;
        }
        while let Some(session) = session {
            match session.events().try_recv() {
                Ok(event) => {
                    app.update(Message::Session(event));
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    if app.failure().is_none() {
                        app.update(Message::Session(Event::Failed {
                            message: "the training session ended unexpectedly".into(),
                        }));
                    }
                    break;
                }
            }
        }
        for (which, runs) in Background::ALL.into_iter().zip(&mut beside.0) {
            while let Some(outcome) = runs.as_ref().and_then(|r| r.results().try_recv().ok()) {
                app.update(Message::Background(which, outcome));
            }
            follow(app.background(which).state, runs);
            if let Some(sweep) = runs {
                app.update(Message::JobEpochs(which, sweep.epochs_trained()));
            }
        }
        app.update(Message::Tick(clock()));
    }
    Ok(app)
}

/// The runs beside the session: the seeds view's and the sweep view's (in
/// [`Background::ALL`] order).
#[derive(Default)]
struct Beside([Option<SeedRuns>; 2]);

/// Makes a job's sweep do what the app says of it: train, park where it stands, or stop
/// (dropping a sweep cancels it).
fn follow(state: JobState, sweep: &mut Option<SeedRuns>) {
    match (state, sweep.as_ref()) {
        (_, None) => {}
        (JobState::Running, Some(s)) => s.resume(),
        (JobState::Cancelled | JobState::Idle, Some(_)) => *sweep = None,
        (JobState::Paused | JobState::Confirm, Some(s)) => s.pause(),
    }
}

/// Does what the app asked: a command to the session, a file written (its outcome back as a
/// notice), a sweep started beside the session.
fn carry_out(
    effect: Option<Effect>,
    app: &mut App,
    session: Option<&Session>,
    beside: &mut Beside,
) {
    match effect {
        None => {}
        Some(Effect::Send(command)) => {
            if let Command::Restart { .. } | Command::Reconfigure { .. } = command {
                // The seeds and sweep views belonged to the old generation.
                *beside = Beside::default();
            }
            if let Some(session) = session {
                session.send(command);
            }
        }
        Some(Effect::Export(path)) => {
            let notice = match export::write_atomic(&path, &SessionRecord::of(app.session())) {
                Ok(()) => format!("saved {}", path.display()),
                Err(e) => e.to_string(),
            };
            app.update(Message::Notice(notice));
        }
        Some(Effect::Load { settings, source }) => {
            // Loading blocks the loop for as long as it takes (about a second for MNIST);
            // the session keeps training the old settings meanwhile.
            match crate::data::load_source(&source) {
                Ok(data) => {
                    let data = Arc::new(data);
                    let effect = app.update(Message::Loaded {
                        settings,
                        source,
                        data,
                    });
                    carry_out(effect, app, session, beside);
                }
                Err(e) => {
                    app.update(Message::LoadFailed(e.to_string()));
                }
            }
        }
        Some(Effect::StartBackground {
            which,
            seeds,
            rates,
        }) => {
            // One lane each: the runs take the spare time of one core, the session goes first.
            let grid = (!rates.is_empty()).then_some(Grid::Lr(rates));
            let jobs = jobs(app.settings(), &seeds, grid.as_ref());
            beside.0[which as usize] = session.map(|s| {
                SeedRuns::of_jobs(
                    &s.spawner(),
                    app.settings(),
                    Arc::clone(app.data()),
                    jobs,
                    1,
                )
            });
        }
    }
}

/// Terminal input as a message: keys through the keymap (as `view` binds them), clicks,
/// drags (painting, on the draw canvas), resizes.
fn message_for(input: &TermEvent, view: view::View) -> Option<Message> {
    match input {
        TermEvent::Key(key) => keymap::intent_for(key, view).map(Message::Key),
        TermEvent::Mouse(m) => {
            let at = Position::new(m.column, m.row);
            match m.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Message::Click(at)),
                MouseEventKind::Drag(MouseButton::Left) => {
                    Some(Message::Paint { at, erase: false })
                }
                MouseEventKind::Down(MouseButton::Right)
                | MouseEventKind::Drag(MouseButton::Right) => {
                    Some(Message::Paint { at, erase: true })
                }
                _ => None,
            }
        }
        TermEvent::Resize(w, h) => Some(Message::Resize(Rect::new(0, 0, *w, *h))),
        _ => None,
    }
}
