//! Dashboard state. [`App::update`] is the only place it changes: keys (as an [`Intent`]),
//! clicks, resizes, session events, background results and clock ticks all arrive as a
//! [`Message`]. It returns the [`Effect`] (if any) the loop must carry out, so the state
//! machine is testable without threads or files.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rand::RngExt;
use ratatui::layout::{Position, Rect};

use crate::data::Dataset;
use crate::data::source::DataSource;
use crate::engine::{Command, Event, Outcome, SeedResult, SharedData, Speed, seeds};
use crate::export;
use crate::model::{RunHistory, SessionModel};
use crate::settings::flags::changes;
use crate::settings::{COMPARE_SEEDS, SWEEP_SEEDS, Values, sweep_rates};
use crate::train::{Protocol, Settings};

use super::canvas::Canvas;
use super::intent::Intent;
use super::landscape::LandscapeView;
use super::layout::{Areas, weight_units_per_page};
use super::legend;
use super::panel::{self, Panel, PanelEdit};
use super::theme::Theme;
use super::view::View;

/// The speed ladder `[`/`]` move along, in epochs per second; past the top is "unlimited".
pub const SPEED_LADDER: [f64; 9] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0];

/// How many test digits the panel can show at most.
pub const MAX_DIGITS: usize = 12;

/// Everything that reaches [`App::update`]: what a key means, and what arrives with data
/// (clicks, sizes, session events, background results, loaded data, the clock).
#[derive(Clone, Debug)]
pub enum Message {
    /// A key's intent.
    Key(Intent),
    /// A left click at a terminal cell.
    Click(Position),
    /// The terminal now has this size.
    Resize(Rect),
    /// Something happened in the training session.
    Session(Event),
    /// Wall time since the dashboard started.
    Tick(Duration),
    /// Show a one-line notice in the status bar (an export's outcome, say).
    Notice(String),
    /// One run of the seeds or the sweep view's background runs finished (or failed).
    Background(Background, Outcome),
    /// A mouse press or drag at a cell: paints the canvas pixel under it (erases if `erase`).
    Paint {
        /// The cell.
        at: Position,
        /// Right button: erase.
        erase: bool,
    },
    /// The data an applied panel asked for is loaded: restart on it (answers
    /// [`Effect::Load`]).
    Loaded {
        /// The panel's settings.
        settings: Box<Settings>,
        /// Where the data came from, as records name it.
        source: DataSource,
        /// The data.
        data: Arc<Dataset>,
    },
}

impl From<Intent> for Message {
    fn from(intent: Intent) -> Self {
        Self::Key(intent)
    }
}

/// The epochs the charts show: all of them, or the latest stretch (where the late phase of
/// the fast optimizers, invisible on a 1000-epoch axis, can be told apart).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Zoom {
    /// From 0 to the session's epochs.
    #[default]
    All,
    /// The latest quarter of the epochs trained so far (at least [`RECENT_MIN`]).
    Recent,
}

/// The fewest epochs [`Zoom::Recent`] shows.
pub const RECENT_MIN: u32 = 10;

/// Which background runs: the seeds view's (`m`: the session's settings on several seeds, as
/// `compare`) or the sweep view's (`g`: over learning rates too, as `sweep`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Background {
    /// The seeds view's.
    Seeds,
    /// The sweep view's.
    Sweep,
}

impl Background {
    /// Both, in the order [`App`] keeps them.
    pub const ALL: [Self; 2] = [Self::Seeds, Self::Sweep];

    /// The view that shows them.
    pub fn view(self) -> View {
        match self {
            Self::Seeds => View::Seeds,
            Self::Sweep => View::Sweep,
        }
    }

    /// How many seeds they train: the session's own and those after it, as many as the
    /// subcommand trains by default.
    fn seed_count(self) -> u32 {
        match self {
            Self::Seeds => COMPARE_SEEDS,
            Self::Sweep => SWEEP_SEEDS,
        }
    }

    /// The learning rates tried (empty: the session's own only).
    fn rates(self) -> Vec<f64> {
        match self {
            Self::Seeds => Vec::new(),
            Self::Sweep => sweep_rates(),
        }
    }
}

/// The background runs behind the seeds view (`m`) or the sweep view (`g`): started the first
/// time the view opens, they keep running while the view is closed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BackgroundRuns {
    /// The seeds being compared (empty until started).
    pub seeds: Vec<u32>,
    /// The sweep view's learning rates; empty for the seeds view.
    pub rates: Vec<f64>,
    /// Runs in all.
    pub runs: usize,
    /// Runs finished so far, in arrival order.
    pub results: Vec<SeedResult>,
    /// Runs whose worker failed.
    pub failures: Vec<String>,
}

impl BackgroundRuns {
    /// True once a comparison was started.
    pub fn started(&self) -> bool {
        !self.seeds.is_empty()
    }
}

/// Whether training is going.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    /// Epochs are being trained.
    Running,
    /// Waiting for space or a step.
    Paused,
    /// Every run finished or diverged.
    Finished,
}

/// What the loop must do for the app: the app decides, the loop (which owns the session, the
/// file system and the background sweep) carries it out.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Tell the training session.
    Send(Command),
    /// Write the session to `path`, then report with [`Message::Notice`].
    Export(PathBuf),
    /// Load the data `source` names, then report with [`Message::Loaded`] (or, if it fails, an
    /// [`Message::Notice`] and nothing restarts).
    Load {
        /// The settings to restart with once it is loaded.
        settings: Box<Settings>,
        /// What to load.
        source: DataSource,
    },
    /// Start a view's background runs beside the session: these seeds, at these rates (none:
    /// the session's own rate).
    StartBackground {
        /// Whose runs.
        which: Background,
        /// The seeds.
        seeds: Vec<u32>,
        /// The learning rates.
        rates: Vec<f64>,
    },
}

/// The dashboard's whole state. Private: [`App::update`] is the only way it changes.
pub struct App {
    /// Every run's history, reduced from the session's events.
    session: SessionModel,
    /// The prepared data, for drawing test digits.
    data: Arc<Dataset>,
    /// Index of the highlighted run.
    selected: usize,
    /// Running, paused or finished.
    state: RunState,
    /// Current pace.
    speed: Speed,
    /// Whether the help overlay is open.
    show_help: bool,
    /// Test-set indices of the digits on show.
    digits: Vec<usize>,
    /// Set once the user asked to leave.
    quit: bool,
    /// Colour or not, Unicode or ASCII: every style the renderer uses.
    theme: Theme,
    /// The first hidden unit the weights view shows.
    weights_offset: usize,
    /// Terminal size, for mouse hit-testing with the same layout the renderer uses.
    size: Rect,
    /// Wall time since the dashboard started, and when the current seed started.
    clock: (Duration, Duration),
    /// What is under the charts.
    view: View,
    /// The draw view's canvas.
    canvas: Canvas,
    /// A one-line notice for the status bar (e.g. why a key did nothing).
    notice: Option<String>,
    /// Set when showing a saved session (`--open`): nothing trains, so nothing restarts.
    replay: Option<String>,
    /// Where `e` writes; `None` for a fresh name per export.
    export_to: Option<PathBuf>,
    /// The seeds view's and the sweep view's background runs, as far as they got (in
    /// [`Background::ALL`] order).
    background: [BackgroundRuns; 2],
    /// The rate each run was last asked for, until the session confirms it: presses faster
    /// than epochs build on each other instead of on the last confirmed rate.
    asked_lr: Vec<Option<f64>>,
    /// Recent `(elapsed, progress)` samples for the epochs/s figure.
    rate_samples: Vec<(Duration, u32)>,
    /// The settings panel, as last opened.
    panel: Panel,
    /// Whether the detail area overlays every run instead of showing the selected one.
    overlay: bool,
    /// The charts' x range.
    zoom: Zoom,
    /// The landscape view's function and paths.
    landscape: LandscapeView,
}

impl App {
    /// A dashboard for `settings` on `data` (named as records name it), before any event.
    pub fn new(
        settings: Settings,
        data: Arc<Dataset>,
        data_source: impl Into<DataSource>,
        paused: bool,
        speed: Speed,
    ) -> Self {
        let runs = settings.optimizers.len();
        let data_source = data_source.into();
        let canvas = Canvas::new(&data);
        let mut app = Self {
            panel: Panel::new(&settings, &data_source, false),
            overlay: false,
            zoom: Zoom::All,
            landscape: LandscapeView::new(crate::landscape::Function::Bowl, settings.hyper),
            session: SessionModel::new(settings, data_source),
            data,
            selected: 0,
            state: if paused {
                RunState::Paused
            } else {
                RunState::Running
            },
            speed,
            show_help: false,
            digits: Vec::new(),
            quit: false,
            theme: Theme::default(),
            weights_offset: 0,
            size: Rect::default(),
            clock: (Duration::ZERO, Duration::ZERO),
            view: View::Main,
            canvas,
            notice: None,
            replay: None,
            export_to: None,
            background: Default::default(),
            asked_lr: vec![None; runs],
            rate_samples: Vec::new(),
        };
        app.digits = (0..MAX_DIGITS.min(app.data.y_test.len())).collect();
        app
    }

    /// The same dashboard drawn with `theme`.
    pub fn with_theme(mut self, theme: Theme) -> Self {
        self.theme = theme;
        self
    }

    /// Where `e` writes the session (default: a fresh name per export).
    pub fn with_export_path(mut self, path: Option<PathBuf>) -> Self {
        self.export_to = path;
        self
    }

    /// Shows a saved session named `name`: nothing trains, so nothing that trains is offered.
    pub fn replaying(mut self, name: impl Into<String>) -> Self {
        self.replay = Some(name.into());
        if self.state == RunState::Running {
            self.state = RunState::Paused;
        }
        self
    }

    /// Every run's history.
    pub fn session(&self) -> &SessionModel {
        &self.session
    }

    /// The runs, in session order.
    pub fn runs(&self) -> &[RunHistory] {
        self.session.runs()
    }

    /// What the session trains with (the seed is the latest restart's).
    pub fn settings(&self) -> &Settings {
        self.session.settings()
    }

    /// The prepared data.
    pub fn data(&self) -> &Arc<Dataset> {
        &self.data
    }

    /// Index of the highlighted run.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// Running, paused or finished.
    pub fn state(&self) -> RunState {
        self.state
    }

    /// Current pace.
    pub fn speed(&self) -> Speed {
        self.speed
    }

    /// Whether the help overlay is open.
    pub fn show_help(&self) -> bool {
        self.show_help
    }

    /// Test-set indices of the digits on show.
    pub fn digits(&self) -> &[usize] {
        &self.digits
    }

    /// A worker failure, shown as a panel.
    pub fn failure(&self) -> Option<&str> {
        self.session.failure()
    }

    /// True once the user asked to leave.
    pub fn quit(&self) -> bool {
        self.quit
    }

    /// How the dashboard draws: colour or not, Unicode or ASCII.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// The first hidden unit the weights view shows.
    pub fn weights_offset(&self) -> usize {
        self.weights_offset
    }

    /// The terminal size.
    pub fn size(&self) -> Rect {
        self.size
    }

    /// Wall time since the current seed started (a restart starts it again).
    pub fn elapsed(&self) -> Duration {
        self.clock.0.saturating_sub(self.clock.1)
    }

    /// What is under the charts.
    pub fn view(&self) -> View {
        self.view
    }

    /// The draw view's canvas.
    pub fn canvas(&self) -> &Canvas {
        &self.canvas
    }

    /// The status bar's notice.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Whether `intent` works here, for the keys, the footer and the help alike: a saved
    /// session offers nothing that trains, and the layer-health view only if its file kept
    /// the figures.
    pub fn offers(&self, intent: Intent) -> bool {
        let saved_health = intent == Intent::ToggleView(View::Health)
            && self.runs().iter().any(|r| !r.health.epochs.is_empty());
        self.replay.is_none() || !intent.needs_session() || saved_health
    }

    /// The saved session's name, when showing one.
    pub fn replay(&self) -> Option<&str> {
        self.replay.as_deref()
    }

    /// A view's background runs, as far as they got.
    pub fn background(&self, which: Background) -> &BackgroundRuns {
        &self.background[which as usize]
    }

    /// The settings panel (what the view [`View::Settings`] shows).
    pub fn panel(&self) -> &Panel {
        &self.panel
    }

    /// Whether the detail area overlays every run.
    pub fn overlay(&self) -> bool {
        self.overlay
    }

    /// The charts' x range, as chosen.
    pub fn zoom(&self) -> Zoom {
        self.zoom
    }

    /// The landscape view's function and paths.
    pub fn landscape(&self) -> &LandscapeView {
        &self.landscape
    }

    /// The epochs the charts show, `(first, last)`: `(0, epochs)`, or under [`Zoom::Recent`]
    /// the latest quarter of what the furthest run trained.
    pub fn epoch_window(&self) -> (u32, u32) {
        let total = self.settings().epochs;
        match self.zoom {
            Zoom::All => (0, total),
            Zoom::Recent => {
                let last = (self.runs().iter()).map(|r| r.summary.epochs).max();
                let last = last.unwrap_or(0).max(RECENT_MIN);
                (last - (last / 4).max(RECENT_MIN).min(last), last)
            }
        }
    }

    /// What "epoch N / total" means (see [`SessionModel::epoch`]).
    pub fn epoch(&self) -> u32 {
        self.session.epoch()
    }

    /// Under the chain protocol, the stage in progress (see [`SessionModel::stage`]).
    pub fn stage(&self) -> Option<(usize, usize)> {
        self.session.stage()
    }

    /// Epochs trained so far per lab run at a time: what epochs/s counts. The chain's stages
    /// add up, so the figure stays steady when a new stage starts.
    fn progress(&self) -> u32 {
        let lab = (self.runs().iter()).filter(|r| r.contender.optimizer().is_some());
        let total: u32 = lab.clone().map(|r| r.summary.epochs).sum();
        match self.settings().protocol {
            Protocol::Chain => total,
            Protocol::Fair => total / (lab.count() as u32).max(1),
        }
    }

    /// Epochs per second over the last few seconds.
    pub fn epochs_per_second(&self) -> Option<f64> {
        let (first, last) = (self.rate_samples.first()?, self.rate_samples.last()?);
        let dt = last.0.checked_sub(first.0)?.as_secs_f64();
        (dt > 0.2).then(|| f64::from(last.1.saturating_sub(first.1)) / dt)
    }

    /// Applies one message; returns what the loop must do for it.
    pub fn update(&mut self, message: impl Into<Message>) -> Option<Effect> {
        match message.into() {
            Message::Key(intent) => return self.act(intent),
            Message::Click(at) => {
                let areas = Areas::new(self.size, self.runs().len(), self.data.side);
                if self.view == View::Landscape {
                    self.landscape.click(at, &areas);
                } else if let Some(i) = areas.chart_at(at) {
                    self.selected = i;
                }
                if self.view == View::Main && self.overlay && areas.fits {
                    let overlay = legend::place(self.runs(), &self.theme, areas.detail);
                    if let Some(e) = overlay.entries.iter().find(|e| e.area.contains(at)) {
                        self.selected = e.run;
                    }
                }
                if self.view == View::Draw {
                    self.paint(at, false);
                }
            }
            Message::Paint { at, erase } => {
                if self.view == View::Draw {
                    self.paint(at, erase);
                }
            }
            Message::Notice(text) => self.notice = Some(text),
            Message::Background(which, outcome) => {
                let runs = &mut self.background[which as usize];
                match outcome {
                    Ok(result) => runs.results.push(result),
                    Err(failure) => runs.failures.push(failure.to_string()),
                }
            }
            Message::Resize(size) => self.size = size,
            Message::Loaded {
                settings,
                source,
                data,
            } => {
                self.data = Arc::clone(&data);
                // Images of another size need a canvas of their size.
                self.canvas = Canvas::new(&self.data);
                self.new_digits();
                return Some(self.reconfigure(*settings, source, Some(SharedData(data))));
            }
            Message::Session(event) => self.observe(&event),
            Message::Tick(elapsed) => {
                self.clock.0 = elapsed;
                match self.view {
                    View::Landscape => {
                        let running = self.state != RunState::Paused;
                        self.landscape.tick(elapsed, running, self.speed);
                    }
                    _ => self.landscape.pause_clock(),
                }
                let progress = self.progress();
                self.rate_samples.push((elapsed, progress));
                let window = Duration::from_secs(2);
                while (self.rate_samples.first())
                    .is_some_and(|s| elapsed.saturating_sub(s.0) > window)
                {
                    self.rate_samples.remove(0);
                }
            }
        }
        None
    }

    /// Does what a key means; returns what the loop must do for it.
    fn act(&mut self, intent: Intent) -> Option<Effect> {
        if !self.offers(intent) {
            self.notice = Some(match intent {
                Intent::ToggleView(view) if view.needs_models() => {
                    "a saved session keeps no weights to show".into()
                }
                _ => "a saved session: nothing trains here".into(),
            });
            return None;
        }
        let n = self.runs().len().max(1);
        match intent {
            Intent::SelectPrev => self.selected = (self.selected + n - 1) % n,
            Intent::SelectNext => self.selected = (self.selected + 1) % n,
            Intent::Select(i) if i < self.runs().len() => self.selected = i,
            Intent::Select(_) => {}
            Intent::TogglePause => {
                let command = match self.state {
                    RunState::Running => {
                        self.state = RunState::Paused;
                        Command::Pause
                    }
                    RunState::Paused => {
                        self.state = RunState::Running;
                        Command::Resume
                    }
                    RunState::Finished => return None,
                };
                return Some(Effect::Send(command));
            }
            Intent::Step => {
                if self.view == View::Landscape {
                    self.landscape.advance(1);
                }
                if self.state == RunState::Finished {
                    return None;
                }
                self.state = RunState::Paused;
                return Some(Effect::Send(Command::Step));
            }
            Intent::NewDigits => self.new_digits(),
            Intent::Restart { same_seed } => {
                let seed = if same_seed {
                    self.settings().seed
                } else {
                    rand::rng().random()
                };
                self.restart(seed);
                if self.state == RunState::Finished {
                    self.state = RunState::Running;
                }
                return Some(Effect::Send(Command::Restart { seed }));
            }
            Intent::Slower => return self.set_speed(self.ladder_step(false)),
            Intent::Faster => return self.set_speed(self.ladder_step(true)),
            Intent::ToggleHelp => self.show_help = !self.show_help,
            Intent::Back if self.show_help => self.show_help = false,
            Intent::Back if self.view != View::Main => return self.open(View::Main),
            Intent::Back | Intent::Quit => self.quit = true,
            // In the landscape view the rate keys act on its selected path.
            Intent::ScaleLearningRate { up } if self.view == View::Landscape => {
                self.landscape.scale_rate(up);
            }
            Intent::ResetLearningRate if self.view == View::Landscape => {
                self.landscape.reset_rate();
            }
            Intent::Landscape(edit) => self.landscape.edit(edit),
            Intent::ScaleLearningRate { up } => return self.scale_learning_rate(up),
            Intent::ToggleView(view) => {
                return self.open(if self.view == view { View::Main } else { view });
            }
            Intent::Canvas(edit) => self.canvas.edit(edit, &self.data),
            Intent::Export => {
                let path = (self.export_to.clone())
                    .unwrap_or_else(|| export::default_path(self.settings().seed));
                return Some(Effect::Export(path));
            }
            Intent::WeightsPage { forward } => self.page_weights(forward),
            // Over the panel, the help closes on any of the panel's keys first.
            Intent::Panel(_) if self.show_help => self.show_help = false,
            Intent::Panel(edit) => return self.edit_panel(edit),
            Intent::ToggleOverlay => {
                self.overlay = !self.overlay || self.view != View::Main;
                if self.view != View::Main {
                    return self.open(View::Main);
                }
            }
            Intent::CycleZoom => {
                self.zoom = match self.zoom {
                    Zoom::All => Zoom::Recent,
                    Zoom::Recent => Zoom::All,
                };
            }
            Intent::ResetLearningRate => return self.reset_learning_rate(),
        }
        None
    }

    /// Adds a session event to the model, and follows what it means for the view.
    fn observe(&mut self, event: &Event) {
        if let Event::Started { seed, .. } = event
            && *seed != self.settings().seed
        {
            // A restart the app did not ask for (a replay, say): forget the old seed's state.
            self.restart(*seed);
        }
        if !self.session.observe(event) {
            return;
        }
        match event {
            Event::LearningRate { run, lr, .. } => {
                // Confirmed: the next press builds on the rate in force.
                if let Some(asked) = self.asked_lr.get_mut(*run)
                    && *asked == Some(*lr)
                {
                    *asked = None;
                }
            }
            Event::Finished { .. } => self.state = RunState::Finished,
            _ => {}
        }
    }

    /// Forgets everything that belonged to the old seed: histories, the seeds view, notices,
    /// the clock and the rates asked for.
    fn restart(&mut self, seed: u32) {
        self.session.restarting(seed);
        self.forget_generation();
    }

    /// The panel applied: a new generation with `settings` on `source` (whose data, if new,
    /// is `data`). Every run's state follows the new run count; the notice says what changed.
    fn reconfigure(
        &mut self,
        settings: Settings,
        source: DataSource,
        data: Option<SharedData>,
    ) -> Effect {
        let changed = changes(
            &Values::of(self.settings(), self.session.data()),
            &Values::of(&settings, &source),
        );
        self.session.restarting_with(settings.clone(), source);
        self.forget_generation();
        let runs = self.runs().len();
        self.selected = self.selected.min(runs.saturating_sub(1));
        self.asked_lr = vec![None; runs];
        if self.state == RunState::Finished {
            self.state = RunState::Running;
        }
        self.notice = Some(match changed.is_empty() {
            true => "restarted with the same settings".into(),
            false => format!("restarted with {}", changed.join(", ")),
        });
        Effect::Send(Command::Reconfigure {
            // As the dashboard started: with the layer-health view's figures.
            settings: Box::new(Settings {
                health: true,
                ..settings
            }),
            data,
        })
    }

    /// What a new generation starts without: the seeds view, notices, the clock, the rates
    /// asked for and the pace samples.
    fn forget_generation(&mut self) {
        self.background = Default::default();
        if matches!(self.view, View::Seeds | View::Sweep) {
            self.view = View::Main;
        }
        self.notice = None;
        self.clock.1 = self.clock.0;
        self.asked_lr.iter_mut().for_each(|a| *a = None);
        self.rate_samples.clear();
    }

    /// Switches what is under the charts, asking the session for weight snapshots only while
    /// a view shows them, and starting a view's background runs the first time it opens.
    fn open(&mut self, view: View) -> Option<Effect> {
        let (was, now) = (self.view.needs_models(), view.needs_models());
        if view == View::Settings {
            // Filled in afresh each time: what the session trains with now.
            let read_only = self.replay.is_some();
            self.panel = Panel::new(self.settings(), self.session.data(), read_only);
        }
        let background = Background::ALL.into_iter().find(|b| b.view() == view);
        if let Some(which) = background
            && !self.background(which).started()
        {
            let count = which.seed_count();
            let Some(seeds) = seeds(self.settings().seed, count) else {
                self.notice = Some(format!("no room for {count} seeds above this one"));
                return None;
            };
            let rates = which.rates();
            self.background[which as usize] = BackgroundRuns {
                runs: seeds.len() * rates.len().max(1) * self.runs().len(),
                seeds: seeds.clone(),
                rates: rates.clone(),
                ..BackgroundRuns::default()
            };
            self.view = view;
            return Some(Effect::StartBackground {
                which,
                seeds,
                rates,
            });
        }
        self.view = view;
        (was != now).then_some(Effect::Send(Command::WatchModels(now)))
    }

    /// A key in the settings panel; Enter with every field valid restarts with them (loading
    /// other data first if the data fields changed).
    fn edit_panel(&mut self, edit: PanelEdit) -> Option<Effect> {
        match self.panel.edit(edit) {
            panel::Outcome::Editing => None,
            panel::Outcome::Discarded => {
                self.view = View::Main;
                None
            }
            panel::Outcome::Invalid(message) => {
                self.notice = Some(message);
                None
            }
            panel::Outcome::ReadOnly => {
                self.notice = Some("a saved session: its settings are shown, not changed".into());
                None
            }
            panel::Outcome::Apply(settings, source) => {
                // The panel needs no weights, so going back asks the session for nothing.
                self.view = View::Main;
                if source != *self.session.data() {
                    self.notice = Some("loading the data…".into());
                    return Some(Effect::Load { settings, source });
                }
                Some(self.reconfigure(*settings, source, None))
            }
        }
    }

    /// Puts the selected run back on the rate it started with (a change like `+`/`-`).
    fn reset_learning_rate(&mut self) -> Option<Effect> {
        let run = self.selected;
        let start = self.settings().hyper.lr;
        let history = self.runs().get(run)?;
        let now = (self.asked_lr.get(run).copied().flatten()).unwrap_or_else(|| history.lr(start));
        if history.contender.optimizer().is_some() && now == start {
            self.notice = Some(format!(
                "{}: already at its starting rate {start}",
                history.contender.label()
            ));
            return None;
        }
        self.set_learning_rate(start)
    }

    fn scale_learning_rate(&mut self, up: bool) -> Option<Effect> {
        let run = self.selected;
        let history = self.runs().get(run)?;
        let now = (self.asked_lr.get(run).copied().flatten())
            .unwrap_or_else(|| history.lr(self.settings().hyper.lr));
        self.set_learning_rate(if up { now * 2.0 } else { now / 2.0 })
    }

    /// Asks for the selected run to train at `lr` from its next epoch, unless it cannot.
    fn set_learning_rate(&mut self, lr: f64) -> Option<Effect> {
        let run = self.selected;
        let history = self.runs().get(run)?;
        let label = history.contender.label();
        if history.contender.optimizer().is_none() {
            self.notice = Some("the baseline keeps scikit-learn's learning rate".into());
            return None;
        }
        if history.ended {
            self.notice = Some(format!(
                "{label} has finished: no epoch left for a new rate"
            ));
            return None;
        }
        self.notice = Some(format!("{label}: learning rate → {lr} from its next epoch"));
        if let Some(asked) = self.asked_lr.get_mut(run) {
            *asked = Some(lr);
        }
        Some(Effect::Send(Command::SetLearningRate { run, lr }))
    }

    /// Moves the weights view one page of units on or back, as many units as it shows at the
    /// current size; it stops at the first and last page.
    fn page_weights(&mut self, forward: bool) {
        let units = (self.runs().get(self.selected))
            .and_then(|r| r.model.as_ref())
            .map_or(0, |m| m.first_layer().units);
        let below = Areas::new(self.size, self.runs().len(), self.data.side).below();
        let page = weight_units_per_page(below, self.data.side, &self.theme).max(1);
        self.weights_offset = match forward {
            true if self.weights_offset + page < units => self.weights_offset + page,
            true => self.weights_offset,
            false => self.weights_offset.saturating_sub(page),
        };
    }

    /// Paints (or erases) the canvas under a cell, if it is on the canvas.
    fn paint(&mut self, at: Position, erase: bool) {
        let areas = Areas::new(self.size, self.runs().len(), self.data.side);
        if let Some(point) = areas.canvas_point(at) {
            self.canvas.paint(point, erase);
        }
    }

    fn new_digits(&mut self) {
        let n = self.data.y_test.len();
        let mut rng = rand::rng();
        self.digits = rand::seq::index::sample(&mut rng, n, MAX_DIGITS.min(n)).into_vec();
    }

    fn ladder_step(&self, faster: bool) -> Speed {
        match (self.speed, faster) {
            (Speed::Unlimited, true) => Speed::Unlimited,
            (Speed::Unlimited, false) => Speed::PerSecond(SPEED_LADDER[SPEED_LADDER.len() - 1]),
            (Speed::PerSecond(now), true) => SPEED_LADDER
                .iter()
                .find(|&&s| s > now)
                .map_or(Speed::Unlimited, |&s| Speed::PerSecond(s)),
            (Speed::PerSecond(now), false) => Speed::PerSecond(
                SPEED_LADDER
                    .iter()
                    .rev()
                    .find(|&&s| s < now)
                    .copied()
                    .unwrap_or(SPEED_LADDER[0]),
            ),
        }
    }

    fn set_speed(&mut self, speed: Speed) -> Option<Effect> {
        (speed != self.speed).then(|| {
            self.speed = speed;
            Effect::Send(Command::SetSpeed(speed))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::train::EpochReport;
    use crate::ui::canvas::CanvasEdit;

    fn data() -> Arc<Dataset> {
        static D: OnceLock<Arc<Dataset>> = OnceLock::new();
        Arc::clone(D.get_or_init(|| Arc::new(Dataset::lab())))
    }

    fn app() -> App {
        App::new(
            Settings::default(),
            data(),
            "embedded",
            false,
            Speed::Unlimited,
        )
    }

    pub(crate) fn epoch(app: &mut App, run: usize, epoch: u32) {
        let report = EpochReport {
            epoch,
            loss: 1.0 / f64::from(epoch),
            train_acc: 0.9,
            test_acc: 0.8,
            wall: Duration::ZERO,
            predictions: vec![1; 360].into(),
            diverged: false,
            penalty: None,
            health: None,
        };
        app.update(Message::Session(Event::Epoch {
            generation: 1,
            run,
            report,
            last: false,
        }));
    }

    fn started(app: &mut App, seed: u32) {
        app.update(Message::Session(Event::Started {
            generation: 1,
            seed,
        }));
    }

    #[test]
    fn selection_wraps_both_ways() {
        let mut a = app();
        a.update(Intent::SelectPrev);
        assert_eq!(a.selected(), a.runs().len() - 1);
        a.update(Intent::SelectNext);
        assert_eq!(a.selected(), 0);
        a.update(Intent::Select(3));
        assert_eq!(a.selected(), 3);
        a.update(Intent::Select(9));
        assert_eq!(a.selected(), 3);
    }

    #[test]
    fn pause_and_resume_send_commands() {
        let mut a = app();
        assert_eq!(
            a.update(Intent::TogglePause),
            Some(Effect::Send(Command::Pause))
        );
        assert_eq!(a.state(), RunState::Paused);
        assert_eq!(
            a.update(Intent::TogglePause),
            Some(Effect::Send(Command::Resume))
        );
        assert_eq!(a.state(), RunState::Running);
    }

    #[test]
    fn step_pauses_and_every_run_advances_by_one() {
        let mut a = app();
        started(&mut a, 7);
        assert_eq!(a.update(Intent::Step), Some(Effect::Send(Command::Step)));
        assert_eq!(a.state(), RunState::Paused);
        for run in 0..a.runs().len() {
            epoch(&mut a, run, 1);
        }
        assert_eq!(a.epoch(), 1);
        assert!(a.runs().iter().all(|r| r.summary.epochs == 1));
        assert_eq!(a.update(Intent::Step), Some(Effect::Send(Command::Step)));
        assert_eq!(a.state(), RunState::Paused);
    }

    #[test]
    fn restart_resets_histories() {
        let mut a = app();
        started(&mut a, 7);
        epoch(&mut a, 2, 1);
        assert_eq!(a.runs()[2].epochs.len(), 1);
        assert_eq!(
            a.update(Intent::Restart { same_seed: true }),
            Some(Effect::Send(Command::Restart { seed: 7 }))
        );
        assert!(
            a.runs()
                .iter()
                .all(|r| r.epochs.is_empty() && r.summary.epochs == 0)
        );
        let Some(Effect::Send(Command::Restart { .. })) =
            a.update(Intent::Restart { same_seed: false })
        else {
            panic!("restart sends a command");
        };
    }

    #[test]
    fn stale_generations_are_ignored_and_finish_is_shown() {
        let mut a = app();
        started(&mut a, 7);
        let stale = EpochReport {
            epoch: 1,
            loss: 0.5,
            train_acc: 0.5,
            test_acc: 0.5,
            wall: Duration::ZERO,
            predictions: vec![0; 360].into(),
            diverged: false,
            penalty: None,
            health: None,
        };
        a.update(Message::Session(Event::Epoch {
            generation: 0,
            run: 0,
            report: stale,
            last: false,
        }));
        assert_eq!(a.runs()[0].summary.epochs, 0);
        a.update(Message::Session(Event::Finished { generation: 1 }));
        assert_eq!(a.state(), RunState::Finished);
        assert_eq!(a.update(Intent::TogglePause), None);
    }

    #[test]
    fn speed_ladder_stops_at_both_ends() {
        let mut a = app();
        assert_eq!(a.update(Intent::Faster), None);
        assert_eq!(
            a.update(Intent::Slower),
            Some(Effect::Send(Command::SetSpeed(Speed::PerSecond(500.0))))
        );
        for _ in 0..20 {
            a.update(Intent::Slower);
        }
        assert_eq!(a.speed(), Speed::PerSecond(1.0));
        a.update(Intent::Faster);
        assert_eq!(a.speed(), Speed::PerSecond(2.0));
    }

    #[test]
    fn help_closes_before_quitting_and_failures_are_kept() {
        let mut a = app();
        a.update(Intent::ToggleHelp);
        a.update(Intent::Back);
        assert!(!a.show_help() && !a.quit());
        a.update(Message::Session(Event::Failed {
            message: "boom".into(),
        }));
        assert_eq!(a.failure(), Some("boom"));
        a.update(Intent::Back);
        assert!(a.quit());
    }

    #[test]
    fn new_digits_are_distinct_test_images() {
        let mut a = app();
        a.update(Intent::NewDigits);
        let mut d = a.digits().to_vec();
        d.sort_unstable();
        d.dedup();
        assert_eq!(d.len(), MAX_DIGITS);
        assert!(d.iter().all(|&i| i < 360));
    }
    #[test]
    fn the_lab_canvas_inks_one_pixel_and_loads_a_named_test_image() {
        let mut a = app();
        a.update(Intent::Canvas(CanvasEdit::Ink(5)));
        let inked: Vec<f64> = (a.canvas().pixels.iter().copied())
            .filter(|&p| p > 0.0)
            .collect();
        assert_eq!(inked, [9.0], "level 5 of 9 is 9 of 16, on one pixel");
        a.update(Intent::Canvas(CanvasEdit::Load));
        let loaded = a.canvas().loaded.expect("loaded");
        assert_eq!(loaded.label, data().y_test[loaded.index]);
        let row = data().test_pixels.row(loaded.index).to_vec();
        let pixels: Vec<u8> = a.canvas().pixels.iter().map(|&p| p as u8).collect();
        assert_eq!(pixels, row);
        assert!(!loaded.edited);
        a.update(Intent::Canvas(CanvasEdit::Toggle));
        assert!(a.canvas().loaded.is_some_and(|l| l.edited));
    }

    #[test]
    fn a_burst_of_rate_presses_counts_every_press() {
        let mut a = app();
        started(&mut a, 7);
        let mut last = None;
        for _ in 0..4 {
            last = a.update(Intent::ScaleLearningRate { up: true });
        }
        assert_eq!(
            last,
            Some(Effect::Send(Command::SetLearningRate { run: 0, lr: 0.16 }))
        );
        // Confirmed by the session: the next press builds on the rate in force.
        a.update(Message::Session(Event::LearningRate {
            generation: 1,
            run: 0,
            epoch: 0,
            lr: 0.16,
        }));
        assert_eq!(
            a.update(Intent::ScaleLearningRate { up: false }),
            Some(Effect::Send(Command::SetLearningRate { run: 0, lr: 0.08 }))
        );
    }

    #[test]
    fn a_finished_run_refuses_a_new_rate_and_says_why() {
        let mut a = app();
        started(&mut a, 7);
        a.update(Message::Session(Event::Epoch {
            generation: 1,
            run: 0,
            report: EpochReport {
                epoch: 1,
                loss: 0.5,
                train_acc: 0.5,
                test_acc: 0.5,
                wall: Duration::ZERO,
                predictions: vec![0; 360].into(),
                diverged: false,
                penalty: None,
                health: None,
            },
            last: true,
        }));
        assert_eq!(a.update(Intent::ScaleLearningRate { up: true }), None);
        assert!(
            a.notice().is_some_and(|n| n.contains("finished")),
            "{:?}",
            a.notice()
        );
    }

    #[test]
    fn a_restart_forgets_the_seeds_view_notices_and_clock() {
        let mut a = app();
        started(&mut a, 7);
        let Some(Effect::StartBackground { seeds, .. }) = a.update(Intent::ToggleView(View::Seeds))
        else {
            panic!("the seeds view starts its sweep");
        };
        assert_eq!(seeds, (7..=16).collect::<Vec<_>>());
        a.update(Message::Notice("saved x.json".into()));
        a.update(Message::Tick(Duration::from_secs(30)));
        a.update(Intent::Restart { same_seed: false });
        assert!(!a.background(Background::Seeds).started() && a.notice().is_none());
        assert_eq!((a.view(), a.elapsed()), (View::Main, Duration::ZERO));
        a.update(Message::Tick(Duration::from_secs(31)));
        assert_eq!(a.elapsed(), Duration::from_secs(1));
    }

    #[test]
    fn export_and_the_seeds_view_are_effects_and_a_replay_refuses_training() {
        let mut a = app().with_export_path(Some(PathBuf::from("out.json")));
        assert_eq!(
            a.update(Intent::Export),
            Some(Effect::Export(PathBuf::from("out.json")))
        );
        let mut r = app().replaying("saved.json");
        for action in [
            Intent::Step,
            Intent::TogglePause,
            Intent::Restart { same_seed: true },
            Intent::ScaleLearningRate { up: true },
            Intent::ToggleView(View::Seeds),
            Intent::ToggleView(View::Weights),
            Intent::ToggleView(View::Draw),
        ] {
            assert_eq!(r.update(action), None);
        }
        assert_eq!(r.view(), View::Main);
        assert!(r.notice().is_some_and(|n| n.contains("no weights")));
    }
}
