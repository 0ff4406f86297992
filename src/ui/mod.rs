//! The live dashboard: a ratatui front end on a training [`Session`].
//!
//! The loop draws at most every 33 ms, waits for input with that timeout (no busy loop),
//! drains session events without blocking and feeds everything to [`App::update`]. Every exit
//! path restores the terminal: the guard's `Drop` on return, the panic hook on a UI panic, the
//! SIGTERM/SIGHUP flag checked each frame (and an exit if a hung-up terminal keeps the loop
//! from seeing it). Worker panics never reach the terminal: the session
//! reports them and the app shows a panel.

pub mod app;
pub mod keymap;
pub mod layout;
pub mod render;
pub mod theme;
pub mod views;
pub mod widgets;

use std::io::{self, Stdout, stdout};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::TryRecvError;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event as TermEvent, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::layout::{Position, Rect};

use crate::compare::{self, Comparison};
use crate::data::Dataset;
use crate::error::RunError;
use crate::export::{self, Recorder, SessionRecord};
use crate::train::{Event, Session, Settings, Speed, is_worker_thread};
use app::{Action, App, SessionEvent, View};

/// How long the loop may take to finish after a stop signal before the process just exits.
const HANG_UP_GRACE: Duration = Duration::from_secs(1);

/// At most this often the screen is redrawn.
const FRAME: Duration = Duration::from_millis(33);

/// Options that only the dashboard has.
#[derive(Clone, Debug)]
pub struct Options {
    /// Start paused.
    pub paused: bool,
    /// Starting pace.
    pub speed: Speed,
    /// ASCII-only drawing.
    pub ascii: bool,
    /// Where `e` writes the session (default: a fresh name in the current directory).
    pub export: Option<PathBuf>,
    /// What the session trains on, as export files name it.
    pub data_source: String,
}

/// Restores the terminal when dropped, whatever path leaves `run`.
struct Guard;

impl Guard {
    fn enter() -> io::Result<(Self, Terminal<CrosstermBackend<Stdout>>)> {
        enable_raw_mode()?;
        let guard = Self;
        execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)?;
        let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        Ok((guard, terminal))
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn restore_terminal() {
    let _ = execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen);
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), ratatui::crossterm::cursor::Show);
}

/// A panic hook that restores the terminal before a UI-thread panic is printed, and keeps
/// worker panics (caught and reported by the session) off the screen entirely.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_worker_thread() {
            return;
        }
        restore_terminal();
        previous(info);
    }));
}

/// SIGTERM, SIGHUP and SIGINT set `stop`, and the loop then finishes within a frame,
/// restoring the terminal. If it has not within [`HANG_UP_GRACE`], the terminal is gone: after
/// a hang-up, crossterm keeps reading an end-of-file and never returns to the loop, so the
/// process exits from here (there is no terminal left to restore).
fn watch_signals(stop: Arc<AtomicBool>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::Builder::new()
        .name("digits-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                stop.store(true, Ordering::Relaxed);
                std::thread::sleep(HANG_UP_GRACE);
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// Runs the dashboard until the user quits or a signal asks us to stop. A worker failure,
/// shown on screen as a panel, is also returned so the shell sees it once the screen is gone.
pub fn run(settings: Settings, data: Arc<Dataset>, options: Options) -> Result<(), RunError> {
    let mut app = App::new(
        settings.clone(),
        Arc::clone(&data),
        options.paused,
        options.speed,
    );
    let recorder = Recorder::new(settings.clone(), options.data_source.clone());
    let session = Session::start(settings, Arc::clone(&data), options.paused, options.speed);
    app.update(Action::NewDigits);
    drive(app, Some(&session), recorder, &options, &data)
}

/// Shows a saved session (`--open`): its curves, digits, views and final table, with nothing
/// training. `e` writes it out again.
pub fn show(
    record: &SessionRecord,
    name: String,
    data: Arc<Dataset>,
    options: Options,
) -> Result<(), RunError> {
    let mut app = App::new(
        record.settings.clone(),
        Arc::clone(&data),
        true,
        Speed::Unlimited,
    );
    let mut recorder = Recorder::new(record.settings.clone(), record.data.clone());
    for event in record.replay() {
        recorder.observe(&event);
        app.update(Action::Session(SessionEvent(event)));
    }
    app.replay = Some(name);
    app.update(Action::NewDigits);
    drive(app, None, recorder, &options, &data)
}

/// The loop both share: draw at a steady rate, turn input into actions, feed the session's
/// events to the app and the recorder, until quit or a signal.
fn drive(
    mut app: App,
    session: Option<&Session>,
    mut recorder: Recorder,
    options: &Options,
    data: &Arc<Dataset>,
) -> Result<(), RunError> {
    // The seeds view's comparison, started the first time the view opens.
    let mut comparison: Option<Comparison> = None;
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop))?;
    install_panic_hook();
    app = app.with_theme(theme::Theme::from_env(options.ascii));
    let (_guard, mut terminal) = Guard::enter()?;
    let size = terminal.size()?;
    app.update(Action::Resize(Rect::new(0, 0, size.width, size.height)));
    let started = Instant::now();
    let mut last_draw = Instant::now() - FRAME;
    while !app.quit && !stop.load(Ordering::Relaxed) {
        if last_draw.elapsed() >= FRAME {
            terminal.draw(|frame| render::render(&app, frame))?;
            last_draw = Instant::now();
        }
        let wait = FRAME.saturating_sub(last_draw.elapsed());
        if event::poll(wait)? {
            let input = event::read()?;
            match action_for(&input, app.view) {
                Some(Action::Export) => {
                    let notice = export(&recorder, &app, options);
                    app.update(Action::Notice(notice));
                }
                Some(action @ Action::ToggleView(View::Seeds)) => {
                    if session.is_none() {
                        let notice = "a saved session: nothing trains here".to_owned();
                        app.update(Action::Notice(notice));
                    } else {
                        if comparison.is_none() {
                            comparison = start_comparison(&mut app, data);
                        }
                        app.update(action);
                    }
                }
                Some(action) => {
                    if let (Some(command), Some(session)) = (app.update(action), session) {
                        session.send(command);
                    }
                }
                None => continue,
            }
            // Redraw at once on input.
            last_draw = Instant::now() - FRAME;
        }
        while let Some(session) = session {
            match session.events().try_recv() {
                Ok(event) => {
                    recorder.observe(&event);
                    app.update(Action::Session(SessionEvent(event)));
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    if app.failure.is_none() {
                        app.update(Action::Session(SessionEvent(Event::Failed {
                            message: "the training session ended unexpectedly".into(),
                        })));
                    }
                    break;
                }
            }
        }
        if let Some(c) = &comparison {
            while let Ok(outcome) = c.results().try_recv() {
                app.update(Action::SeedResult(outcome));
            }
        }
        app.update(Action::Tick(started.elapsed()));
    }
    match app.failure {
        Some(message) if session.is_some() => Err(RunError::Training(message)),
        _ => Ok(()),
    }
}

/// Seeds the seeds view compares: the session's own and the next nine.
const VIEW_SEEDS: u32 = 10;

/// Starts the seeds view's comparison beside the live session, on one worker so training
/// keeps the other cores.
fn start_comparison(app: &mut App, data: &Arc<Dataset>) -> Option<Comparison> {
    let Some(seeds) = compare::seeds(app.settings.seed, VIEW_SEEDS) else {
        app.update(Action::Notice("no room for 10 seeds above this one".into()));
        return None;
    };
    let comparison = Comparison::start(&app.settings, Arc::clone(data), &seeds, 1);
    let runs = comparison.runs();
    app.update(Action::SeedsStarted { seeds, runs });
    Some(comparison)
}

/// Writes the session where `--export` says (or a fresh name); the outcome as a notice. A
/// failed write changes nothing on screen but the notice.
fn export(recorder: &Recorder, app: &App, options: &Options) -> String {
    let path = (options.export.clone()).unwrap_or_else(|| export::default_path(app.settings.seed));
    match export::write_atomic(&path, recorder.record()) {
        Ok(()) => format!("saved {}", path.display()),
        Err(e) => e.to_string(),
    }
}

/// Terminal input as an action: keys through the keymap (as `view` binds them), clicks,
/// drags (painting, on the draw canvas), resizes.
fn action_for(input: &TermEvent, view: View) -> Option<Action> {
    match input {
        TermEvent::Key(key) => keymap::action_for(key, view),
        TermEvent::Mouse(m) => {
            let at = Position::new(m.column, m.row);
            match m.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(at)),
                MouseEventKind::Drag(MouseButton::Left) => Some(Action::Paint { at, erase: false }),
                MouseEventKind::Down(MouseButton::Right)
                | MouseEventKind::Drag(MouseButton::Right) => {
                    Some(Action::Paint { at, erase: true })
                }
                _ => None,
            }
        }
        TermEvent::Resize(w, h) => Some(Action::Resize(Rect::new(0, 0, *w, *h))),
        _ => None,
    }
}
