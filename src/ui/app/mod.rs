//! Dashboard state. [`App::update`] is the only place it changes: keys (as an
//! [`Intent`](super::intent::Intent)), clicks, resizes, session events, background results and
//! clock ticks all arrive as a [`Message`]. It returns the [`Effect`] (if any) the loop must
//! carry out, so the state machine is testable without threads or files.
//!
//! `App` owns small parts and calls their methods: the canvas, the background runs
//! ([`Backgrounds`]), the pace ([`Pace`]), what is on screen ([`ViewState`]), each run's
//! [`Confusion`], the learning rates asked for ([`AskedRates`]), the settings panel and the
//! landscape view. What each key does is in `intents.rs`; what a session event means beyond
//! its history in `session_events.rs`; what a new generation forgets in `generation.rs`; the
//! pace figures in `progress.rs`; what the renderers read but do not compute (chart ranges,
//! weight glyphs, terrain) is kept up to date by `derived.rs`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ratatui::layout::Rect;

use crate::data::Dataset;
use crate::data::source::DataSource;
use crate::engine::{Command, SharedData, Speed};
use crate::model::{RunHistory, SessionModel};
use crate::settings::Values;
use crate::settings::flags::changes;
use crate::train::Settings;

use super::asked::AskedRates;
use super::background::{Background, BackgroundRuns, Backgrounds, JobState};
use super::canvas::{Canvas, read_canvas};
use super::chart_ranges::ChartRanges;
use super::confusion::Confusion;
use super::intent::Intent;
use super::landscape::LandscapeView;
use super::layout::{Areas, overlay};
use super::message::{Effect, Message};
use super::notice::Notice;
use super::pace::Pace;
use super::settings_form::SettingsForm;
use super::terrain::Terrain;
use super::theme::Theme;
use super::view::{View, ViewState, Zoom};
use super::weight_glyphs::WeightGlyphs;

mod derived;
mod generation;
mod intents;
mod progress;
mod replay;
mod session_events;

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
    /// The speed asked for and the epochs/s samples.
    pace: Pace,
    /// Which view, the help, the overlay, the zoom, the weights page, the digits on show.
    screen: ViewState,
    /// Set once the user asked to leave.
    quit: bool,
    /// Colour or not, Unicode or ASCII: every style the renderer uses.
    theme: Theme,
    /// Terminal size, for mouse hit-testing with the same layout the renderer uses.
    size: Rect,
    /// Wall time since the dashboard started at the last tick, and how long the current
    /// generation has trained: its clock runs only while the state is running.
    clock: (Duration, Duration),
    /// The draw view's canvas.
    canvas: Canvas,
    /// A one-line notice for the status bar (e.g. why a key did nothing), for a while.
    notice: Notice,
    /// Set when showing a saved session (`--open`): nothing trains, so nothing restarts.
    replay: Option<String>,
    /// Where `e` writes; `None` for a fresh name per export.
    export_to: Option<PathBuf>,
    /// The seeds view's and the sweep view's background runs, as far as they got.
    background: Backgrounds,
    /// Per run, the confusion of its latest predictions (computed as they arrive).
    confusion: Vec<Option<Confusion>>,
    /// Per run, the class probabilities its network reads on the canvas (with the draw view
    /// open, as of the last change to either).
    readings: Vec<Option<Vec<f64>>>,
    /// The rate each run was last asked for, until the session confirms it: presses faster
    /// than epochs build on each other instead of on the last confirmed rate.
    asked_lr: AskedRates,
    /// The settings panel, as last opened.
    panel: SettingsForm,
    /// The landscape view's function and paths.
    landscape: LandscapeView,
    /// The charts' y ranges, as of the last epoch or zoom.
    ranges: ChartRanges,
    /// The weights view's glyphs of the selected run, as of its latest weights.
    glyphs: WeightGlyphs,
    /// The landscape view's terrain, as of the last function or size.
    terrain: Terrain,
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
        Self {
            panel: SettingsForm::new(&settings, &data_source, false),
            landscape: LandscapeView::new(crate::landscape::Function::Bowl, settings.hyper),
            session: SessionModel::new(settings, data_source),
            screen: ViewState::new(data.y_test.len()),
            data,
            selected: 0,
            state: if paused {
                RunState::Paused
            } else {
                RunState::Running
            },
            pace: Pace::new(speed),
            quit: false,
            theme: Theme::default(),
            size: Rect::default(),
            clock: (Duration::ZERO, Duration::ZERO),
            canvas,
            notice: Notice::default(),
            replay: None,
            export_to: None,
            background: Backgrounds::default(),
            confusion: vec![None; runs],
            readings: Vec::new(),
            asked_lr: AskedRates::new(runs),
            ranges: ChartRanges::default(),
            glyphs: WeightGlyphs::default(),
            terrain: Terrain::default(),
        }
    }

    /// The same dashboard drawn with `theme`.
    pub(crate) fn with_theme(mut self, theme: Theme) -> Self {
        self.theme = theme;
        self
    }

    /// Where `e` writes the session (default: a fresh name per export).
    pub(crate) fn with_export_path(mut self, path: Option<PathBuf>) -> Self {
        self.export_to = path;
        self
    }

    /// Every run's history.
    pub(crate) fn session(&self) -> &SessionModel {
        &self.session
    }

    /// The runs, in session order.
    pub fn runs(&self) -> &[RunHistory] {
        self.session.runs()
    }

    /// What the session trains with (the seed is the latest restart's).
    pub(crate) fn settings(&self) -> &Settings {
        self.session.settings()
    }

    /// The prepared data.
    pub(crate) fn data(&self) -> &Arc<Dataset> {
        &self.data
    }

    /// Index of the highlighted run.
    pub(crate) fn selected(&self) -> usize {
        self.selected
    }

    /// Running, paused or finished.
    pub(crate) fn state(&self) -> RunState {
        self.state
    }

    /// Current pace.
    pub(crate) fn speed(&self) -> Speed {
        self.pace.speed()
    }

    /// Whether the help overlay is open.
    pub(crate) fn show_help(&self) -> bool {
        self.screen.show_help
    }

    /// Test-set indices of the digits on show.
    pub(crate) fn digits(&self) -> &[usize] {
        self.screen.digits()
    }

    /// A worker failure, shown as a panel.
    pub fn failure(&self) -> Option<&str> {
        self.session.failure()
    }

    /// True once the user asked to leave.
    pub(crate) fn quit(&self) -> bool {
        self.quit
    }

    /// How the dashboard draws: colour or not, Unicode or ASCII.
    pub(crate) fn theme(&self) -> &Theme {
        &self.theme
    }

    /// The first hidden unit the weights view shows.
    pub(crate) fn weights_offset(&self) -> usize {
        self.screen.weights_offset
    }

    /// The terminal size.
    pub(crate) fn size(&self) -> Rect {
        self.size
    }

    /// Wall time the current generation spent running (a restart starts it again; a pause
    /// and the end stop it).
    pub(crate) fn elapsed(&self) -> Duration {
        self.clock.1
    }

    /// What is under the charts.
    pub(crate) fn view(&self) -> View {
        self.screen.view
    }

    /// The draw view's canvas.
    pub(crate) fn canvas(&self) -> &Canvas {
        &self.canvas
    }

    /// The status bar's notice.
    pub(crate) fn notice(&self) -> Option<&str> {
        self.notice.text()
    }

    /// Whether `intent` works here, for the keys, the footer and the help alike: a saved
    /// session offers nothing that trains, and the layer-health view only if its file kept
    /// the figures; Enter only while the job in view waits for it (to confirm, or to start
    /// again after `x`).
    pub(crate) fn offers(&self, intent: Intent) -> bool {
        let saved_health = intent == Intent::ToggleView(View::Health)
            && self.runs().iter().any(|r| !r.health.epochs.is_empty());
        let waits = |b: Background| {
            matches!(
                self.background(b).state,
                JobState::Confirm | JobState::Cancelled
            )
        };
        let live = self.replay.is_none() || !intent.needs_session() || saved_health;
        live && (intent != Intent::StartJob || Background::of(self.view()).is_some_and(waits))
    }

    /// A view's background runs, as far as they got.
    pub(crate) fn background(&self, which: Background) -> &BackgroundRuns {
        self.background.get(which)
    }

    /// Both views' jobs: which one runs, and what a job would cost.
    pub(crate) fn backgrounds(&self) -> &Backgrounds {
        &self.background
    }

    /// The selected run's confusion on the test set, once it has predictions.
    pub(crate) fn confusion(&self) -> Option<&Confusion> {
        self.confusion.get(self.selected)?.as_ref()
    }

    /// Per run, the class probabilities its network reads on the draw view's canvas (`None`
    /// before its weights arrive).
    pub(crate) fn readings(&self) -> &[Option<Vec<f64>>] {
        &self.readings
    }

    /// The settings panel (what the view [`View::Settings`] shows).
    pub(crate) fn settings_form(&self) -> &SettingsForm {
        &self.panel
    }

    /// Whether the detail area overlays every run.
    pub(crate) fn overlay(&self) -> bool {
        self.screen.overlay
    }

    /// The charts' x range, as chosen.
    pub(crate) fn zoom(&self) -> Zoom {
        self.screen.zoom
    }

    /// The landscape view's function and paths.
    pub(crate) fn landscape(&self) -> &LandscapeView {
        &self.landscape
    }

    /// The charts' y ranges (computed as epochs arrive and the zoom changes).
    pub(crate) fn chart_ranges(&self) -> &ChartRanges {
        &self.ranges
    }

    /// The weights view's glyphs (computed as the selected run's weights arrive).
    pub(crate) fn weight_glyphs(&self) -> &WeightGlyphs {
        &self.glyphs
    }

    /// The landscape view's terrain (cut when the function or the size changes).
    pub(crate) fn terrain(&self) -> &Terrain {
        &self.terrain
    }

    /// The epochs the charts show, `(first, last)`: `(0, epochs)`, or under [`Zoom::Recent`]
    /// the latest quarter of what the furthest run trained.
    pub(crate) fn epoch_window(&self) -> (u32, u32) {
        let furthest = (self.runs().iter()).map(|r| r.summary.epochs).max();
        (self.screen.zoom).window(self.settings().epochs, furthest.unwrap_or(0))
    }

    /// What "epoch N / total" means (see [`SessionModel::epoch`]).
    pub(crate) fn epoch(&self) -> u32 {
        self.session.epoch()
    }

    /// Under the chain protocol, the stage in progress (see [`SessionModel::stage`]).
    pub(crate) fn stage(&self) -> Option<(usize, usize)> {
        self.session.stage()
    }

    /// Applies one message; returns what the loop must do for it.
    pub(crate) fn update(&mut self, message: impl Into<Message>) -> Option<Effect> {
        let message = message.into();
        let quiet = matches!(
            message,
            Message::Tick(_) | Message::Resize(_) | Message::Notice(_) | Message::JobEpochs(..)
        );
        let curves_moved = derived::moves_curves(&message);
        let effect = self.apply(message);
        if !quiet && self.view() == View::Draw {
            // The canvas or a network may have changed: read it again, once, here.
            self.read_canvas();
        }
        self.follow(curves_moved);
        effect
    }

    /// What [`App::update`] does for one message, before the draw view's readings follow.
    fn apply(&mut self, message: Message) -> Option<Effect> {
        match message {
            Message::Key(intent) => return self.act(intent),
            Message::Click(at) => {
                let areas = Areas::new(self.size, self.runs().len(), self.data.side);
                if self.view() == View::Landscape {
                    self.landscape.click(at, &areas);
                } else if let Some(i) = areas.chart_at(at) {
                    self.selected = i;
                }
                if self.view() == View::Main && self.overlay() && areas.fits {
                    let overlay = overlay::place(self.runs(), &self.theme, areas.detail);
                    if let Some(e) = overlay.entries.iter().find(|e| e.area.contains(at)) {
                        self.selected = e.slot;
                    }
                }
                if self.view() == View::Draw {
                    self.paint(at, false);
                }
            }
            Message::Paint { at, erase } => {
                if self.view() == View::Draw {
                    self.paint(at, erase);
                }
            }
            Message::Notice(text) => self.notice.set(text),
            Message::LoadFailed(why) => {
                // Nothing of the edits is lost: the panel opens again, the reason beside the
                // field at fault.
                self.panel.failed(&why);
                self.screen.view = View::Settings;
                self.notice.set(format!("nothing restarted: {why}"));
            }
            Message::Background(which, outcome) => self.background.record(which, outcome),
            Message::JobEpochs(which, epochs) => {
                self.background.progress(which, self.clock.0, epochs);
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
                self.screen.new_digits(self.data.y_test.len());
                return Some(self.reconfigure(*settings, source, Some(SharedData(data))));
            }
            Message::Session(event) => self.observe(&event),
            Message::Tick(elapsed) => {
                if self.state == RunState::Running {
                    self.clock.1 += elapsed.saturating_sub(self.clock.0);
                }
                self.clock.0 = elapsed;
                self.notice.tick(elapsed);
                match self.view() {
                    View::Landscape => {
                        let running = self.state != RunState::Paused;
                        self.landscape.tick(elapsed, running, self.speed());
                    }
                    _ => self.landscape.pause_clock(),
                }
                let progress = self.progress();
                self.pace.sample(elapsed, progress);
            }
        }
        None
    }

    /// Every network's reading of the canvas, as it is now.
    fn read_canvas(&mut self) {
        let pixels = &self.canvas.pixels;
        let read =
            |r: &RunHistory| (r.snapshot.as_ref()).map(|m| read_canvas(&self.data, pixels, m));
        self.readings = self.session.runs().iter().map(read).collect();
    }

    /// The panel applied: a new generation with `settings` on `source` (whose data, if new,
    /// is `data`). Every run's state follows the new run count; the notice says what changed.
    pub(super) fn reconfigure(
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
        self.asked_lr = AskedRates::new(runs);
        self.confusion = vec![None; runs];
        if self.state == RunState::Finished {
            self.state = RunState::Running;
        }
        self.notice.set(match changed.is_empty() {
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
}

#[cfg(test)]
mod status_tests;
#[cfg(test)]
mod tests;
