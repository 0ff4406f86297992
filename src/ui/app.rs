//! Dashboard state. [`App::update`] is the only place it changes: keys, clicks, resizes,
//! session events and clock ticks all arrive as an [`Action`]. It returns the [`Effect`] (if
//! any) the loop must carry out, so the state machine is testable without threads or files.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rand::RngExt;
use ratatui::layout::{Position, Rect};

use crate::data::Dataset;
use crate::data::source::DataSource;
use crate::engine::{Command, Event, Outcome, SeedResult, Speed, seeds};
use crate::export;
use crate::model::{RunHistory, SessionModel};
use crate::train::{Protocol, Settings};

use super::layout::Areas;

/// The speed ladder `[`/`]` move along, in epochs per second; past the top is "unlimited".
pub const SPEED_LADDER: [f64; 9] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0];

/// How many test digits the panel can show at most.
pub const MAX_DIGITS: usize = 12;

/// Everything that can change the dashboard.
#[derive(Clone, Debug)]
pub enum Action {
    /// Select the optimizer to the left (wraps).
    SelectPrev,
    /// Select the optimizer to the right (wraps).
    SelectNext,
    /// Select optimizer `i` (ignored if out of range).
    Select(usize),
    /// Pause or resume.
    TogglePause,
    /// Pause if running, then train exactly one epoch on every run.
    Step,
    /// Draw other random test digits.
    NewDigits,
    /// Start again, with the same or a fresh random seed.
    Restart {
        /// Keep the current seed.
        same_seed: bool,
    },
    /// One rung down the speed ladder.
    Slower,
    /// One rung up the speed ladder.
    Faster,
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Close the overlay if one is open, otherwise quit.
    Back,
    /// Leave.
    Quit,
    /// A left click at a terminal cell.
    Click(Position),
    /// The terminal now has this size.
    Resize(Rect),
    /// Something happened in the training session.
    Session(Event),
    /// Wall time since the dashboard started.
    Tick(Duration),
    /// Double (`up`) or halve the selected run's learning rate, live.
    ScaleLearningRate {
        /// Double rather than halve.
        up: bool,
    },
    /// Open a view, or go back to the dashboard if it is open.
    ToggleView(View),
    /// Edit the draw view's canvas.
    Canvas(CanvasEdit),
    /// Write the session to a file: answered with [`Effect::Export`].
    Export,
    /// Show a one-line notice in the status bar (an export's outcome, say).
    Notice(String),
    /// One run of the background comparison finished (or failed).
    SeedResult(Outcome),
    /// One run of the background learning-rate sweep finished (or failed).
    SweepResult(Outcome),
    /// A mouse press or drag at a cell: paints the canvas pixel under it (erases if `erase`).
    Paint {
        /// The cell.
        at: Position,
        /// Right button: erase.
        erase: bool,
    },
}

/// What fills the space under the charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The selected run in detail and the test digits.
    Main,
    /// The selected run's confusion matrix.
    Confusion,
    /// The selected run's first-layer weights.
    Weights,
    /// A canvas every network reads.
    Draw,
    /// The multi-seed comparison running in the background.
    Seeds,
    /// The learning-rate sweep running in the background.
    Sweep,
}

impl View {
    /// Views that need the networks' weights, not just their reports.
    fn needs_models(self) -> bool {
        matches!(self, Self::Weights | Self::Draw)
    }
}

/// The background runs behind the seeds view (`m`) or the sweep view (`g`): started the first
/// time the view opens, they keep running while the view is closed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeedsProgress {
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

impl SeedsProgress {
    /// True once a comparison was started.
    pub fn started(&self) -> bool {
        !self.seeds.is_empty()
    }
}

/// Edits of the draw view's 8x8 canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CanvasEdit {
    /// Move the pen.
    Move {
        /// Columns to the right.
        dx: i8,
        /// Rows down.
        dy: i8,
    },
    /// Set the pixel under the pen to level 0..9 of 9 (0 blank, 9 = intensity 16).
    Ink(u8),
    /// Blank ↔ full intensity.
    Toggle,
    /// Blank every pixel.
    Clear,
    /// Copy a random test image.
    Load,
}

/// The draw view's canvas: raw intensities 0..16 like the data set's, and the pen.
#[derive(Clone, Debug, PartialEq)]
pub struct Canvas {
    /// 64 pixels, row-major.
    pub pixels: [f64; 64],
    /// Pen column and row.
    pub pen: (u8, u8),
}

impl Canvas {
    fn edit(&mut self, edit: CanvasEdit, data: &Dataset) {
        let at = usize::from(self.pen.1) * 8 + usize::from(self.pen.0);
        match edit {
            CanvasEdit::Move { dx, dy } => {
                self.pen.0 = self.pen.0.saturating_add_signed(dx).min(7);
                self.pen.1 = self.pen.1.saturating_add_signed(dy).min(7);
            }
            CanvasEdit::Ink(level) => {
                self.pixels[at] = (f64::from(level.min(9)) * 16.0 / 9.0).round();
            }
            CanvasEdit::Toggle => {
                self.pixels[at] = if self.pixels[at] > 0.0 { 0.0 } else { 16.0 };
            }
            CanvasEdit::Clear => self.pixels = [0.0; 64],
            CanvasEdit::Load => {
                let n = data.y_test.len();
                if n > 0 {
                    let row = data.test_thumbnail(rand::rng().random_range(0..n), 8);
                    for (p, &v) in self.pixels.iter_mut().zip(&row) {
                        *p = v;
                    }
                }
            }
        }
    }
}

impl Default for Canvas {
    fn default() -> Self {
        Self {
            pixels: [0.0; 64],
            pen: (3, 3),
        }
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
    /// Write the session to `path`, then report with [`Action::Notice`].
    Export(PathBuf),
    /// Start the seeds view's sweep on these seeds beside the session (cancelling any other).
    StartSeeds(Vec<u32>),
    /// Start the sweep view's runs at these rates on these seeds beside the session.
    StartSweep {
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
    /// Plain ASCII drawing.
    ascii: bool,
    /// Colour allowed (`NO_COLOR` unset).
    color: bool,
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
    /// The multi-seed comparison of the seeds view, as far as it got.
    seeds: SeedsProgress,
    /// The learning-rate sweep of the sweep view, as far as it got.
    sweep: SeedsProgress,
    /// The rate each run was last asked for, until the session confirms it: presses faster
    /// than epochs build on each other instead of on the last confirmed rate.
    asked_lr: Vec<Option<f64>>,
    /// Recent `(elapsed, progress)` samples for the epochs/s figure.
    rate_samples: Vec<(Duration, u32)>,
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
        let mut app = Self {
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
            ascii: false,
            color: true,
            size: Rect::default(),
            clock: (Duration::ZERO, Duration::ZERO),
            view: View::Main,
            canvas: Canvas::default(),
            notice: None,
            replay: None,
            export_to: None,
            seeds: SeedsProgress::default(),
            sweep: SeedsProgress::default(),
            asked_lr: vec![None; runs],
            rate_samples: Vec::new(),
        };
        app.digits = (0..MAX_DIGITS.min(app.data.y_test.len())).collect();
        app
    }

    /// How to draw: plain ASCII, and whether colour is allowed.
    pub fn with_look(mut self, ascii: bool, color: bool) -> Self {
        (self.ascii, self.color) = (ascii, color);
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

    /// Plain ASCII drawing.
    pub fn ascii(&self) -> bool {
        self.ascii
    }

    /// Colour allowed.
    pub fn color(&self) -> bool {
        self.color
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

    /// The saved session's name, when showing one.
    pub fn replay(&self) -> Option<&str> {
        self.replay.as_deref()
    }

    /// The seeds view's comparison, as far as it got.
    pub fn seeds(&self) -> &SeedsProgress {
        &self.seeds
    }

    /// The sweep view's learning-rate sweep, as far as it got.
    pub fn sweep(&self) -> &SeedsProgress {
        &self.sweep
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

    /// Applies one action; returns what the loop must do for it.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        let trains = matches!(
            action,
            Action::Restart { .. }
                | Action::Step
                | Action::TogglePause
                | Action::ScaleLearningRate { .. }
                | Action::ToggleView(View::Seeds | View::Sweep)
        );
        if trains && self.replay.is_some() {
            self.notice = Some("a saved session: nothing trains here".into());
            return None;
        }
        if let Action::ToggleView(view) = action
            && view.needs_models()
            && self.replay.is_some()
        {
            self.notice = Some("a saved session keeps no weights to show".into());
            return None;
        }
        let n = self.runs().len().max(1);
        match action {
            Action::SelectPrev => self.selected = (self.selected + n - 1) % n,
            Action::SelectNext => self.selected = (self.selected + 1) % n,
            Action::Select(i) if i < self.runs().len() => self.selected = i,
            Action::Select(_) => {}
            Action::TogglePause => {
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
            Action::Step => {
                if self.state == RunState::Finished {
                    return None;
                }
                self.state = RunState::Paused;
                return Some(Effect::Send(Command::Step));
            }
            Action::NewDigits => self.new_digits(),
            Action::Restart { same_seed } => {
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
            Action::Slower => return self.set_speed(self.ladder_step(false)),
            Action::Faster => return self.set_speed(self.ladder_step(true)),
            Action::ToggleHelp => self.show_help = !self.show_help,
            Action::Back if self.show_help => self.show_help = false,
            Action::Back if self.view != View::Main => return self.open(View::Main),
            Action::Back | Action::Quit => self.quit = true,
            Action::Click(at) => {
                let areas = Areas::new(self.size, self.runs().len());
                if let Some(i) = areas.chart_at(at) {
                    self.selected = i;
                }
                if self.view == View::Draw {
                    self.paint(at, false);
                }
            }
            Action::Paint { at, erase } => {
                if self.view == View::Draw {
                    self.paint(at, erase);
                }
            }
            Action::ScaleLearningRate { up } => return self.scale_learning_rate(up),
            Action::ToggleView(view) => {
                return self.open(if self.view == view { View::Main } else { view });
            }
            Action::Canvas(edit) => self.canvas.edit(edit, &self.data),
            Action::Export => {
                let path = (self.export_to.clone())
                    .unwrap_or_else(|| export::default_path(self.settings().seed));
                return Some(Effect::Export(path));
            }
            Action::Notice(text) => self.notice = Some(text),
            Action::SeedResult(Ok(result)) => self.seeds.results.push(result),
            Action::SeedResult(Err(failure)) => self.seeds.failures.push(failure.to_string()),
            Action::SweepResult(Ok(result)) => self.sweep.results.push(result),
            Action::SweepResult(Err(failure)) => self.sweep.failures.push(failure.to_string()),
            Action::Resize(size) => self.size = size,
            Action::Session(event) => self.apply(&event),
            Action::Tick(elapsed) => {
                self.clock.0 = elapsed;
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

    fn apply(&mut self, event: &Event) {
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
        self.seeds = SeedsProgress::default();
        self.sweep = SeedsProgress::default();
        if matches!(self.view, View::Seeds | View::Sweep) {
            self.view = View::Main;
        }
        self.notice = None;
        self.clock.1 = self.clock.0;
        self.asked_lr.iter_mut().for_each(|a| *a = None);
        self.rate_samples.clear();
    }

    /// Switches what is under the charts, asking the session for weight snapshots only while
    /// a view shows them, and starting the seeds view's sweep the first time it opens.
    fn open(&mut self, view: View) -> Option<Effect> {
        let (was, now) = (self.view.needs_models(), view.needs_models());
        if view == View::Seeds && !self.seeds.started() {
            let Some(seeds) = seeds(self.settings().seed, VIEW_SEEDS) else {
                self.notice = Some("no room for 10 seeds above this one".into());
                return None;
            };
            self.seeds = SeedsProgress {
                runs: seeds.len() * self.runs().len(),
                seeds: seeds.clone(),
                ..SeedsProgress::default()
            };
            self.view = view;
            return Some(Effect::StartSeeds(seeds));
        }
        if view == View::Sweep && !self.sweep.started() {
            let Some(seeds) = seeds(self.settings().seed, SWEEP_SEEDS) else {
                self.notice = Some("no room for 3 seeds above this one".into());
                return None;
            };
            let rates = SWEEP_RATES.to_vec();
            self.sweep = SeedsProgress {
                runs: seeds.len() * rates.len() * self.runs().len(),
                seeds: seeds.clone(),
                rates: rates.clone(),
                ..SeedsProgress::default()
            };
            self.view = view;
            return Some(Effect::StartSweep { seeds, rates });
        }
        self.view = view;
        (was != now).then_some(Effect::Send(Command::WatchModels(now)))
    }

    fn scale_learning_rate(&mut self, up: bool) -> Option<Effect> {
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
        let now = (self.asked_lr.get(run).copied().flatten())
            .unwrap_or_else(|| history.lr(self.settings().hyper.lr));
        let lr = if up { now * 2.0 } else { now / 2.0 };
        self.notice = Some(format!("{label}: learning rate → {lr} from its next epoch"));
        if let Some(asked) = self.asked_lr.get_mut(run) {
            *asked = Some(lr);
        }
        Some(Effect::Send(Command::SetLearningRate { run, lr }))
    }

    /// Paints (or erases) the canvas pixel under a cell, if there is one.
    fn paint(&mut self, at: Position, erase: bool) {
        let areas = Areas::new(self.size, self.runs().len());
        if let Some((col, row)) = areas.canvas_pixel(at) {
            self.canvas.pen = (col, row);
            self.canvas.pixels[usize::from(row) * 8 + usize::from(col)] =
                if erase { 0.0 } else { 16.0 };
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

/// Seeds the seeds view compares: the session's own and the next nine.
const VIEW_SEEDS: u32 = 10;

/// Seeds the sweep view trains at every rate: the session's own and the next two, as
/// `digits-tui sweep` does by default.
const SWEEP_SEEDS: u32 = 3;

/// The sweep view's rates: two per decade from 1e-4 to 1, the grid of the README's sweep.
const SWEEP_RATES: [f64; 9] = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0];

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::train::EpochReport;

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
        };
        app.update(Action::Session(Event::Epoch {
            generation: 1,
            run,
            report,
            last: false,
        }));
    }

    fn started(app: &mut App, seed: u32) {
        app.update(Action::Session(Event::Started {
            generation: 1,
            seed,
        }));
    }

    #[test]
    fn selection_wraps_both_ways() {
        let mut a = app();
        a.update(Action::SelectPrev);
        assert_eq!(a.selected(), a.runs().len() - 1);
        a.update(Action::SelectNext);
        assert_eq!(a.selected(), 0);
        a.update(Action::Select(3));
        assert_eq!(a.selected(), 3);
        a.update(Action::Select(9));
        assert_eq!(a.selected(), 3);
    }

    #[test]
    fn pause_and_resume_send_commands() {
        let mut a = app();
        assert_eq!(
            a.update(Action::TogglePause),
            Some(Effect::Send(Command::Pause))
        );
        assert_eq!(a.state(), RunState::Paused);
        assert_eq!(
            a.update(Action::TogglePause),
            Some(Effect::Send(Command::Resume))
        );
        assert_eq!(a.state(), RunState::Running);
    }

    #[test]
    fn step_pauses_and_every_run_advances_by_one() {
        let mut a = app();
        started(&mut a, 7);
        assert_eq!(a.update(Action::Step), Some(Effect::Send(Command::Step)));
        assert_eq!(a.state(), RunState::Paused);
        for run in 0..a.runs().len() {
            epoch(&mut a, run, 1);
        }
        assert_eq!(a.epoch(), 1);
        assert!(a.runs().iter().all(|r| r.summary.epochs == 1));
        assert_eq!(a.update(Action::Step), Some(Effect::Send(Command::Step)));
        assert_eq!(a.state(), RunState::Paused);
    }

    #[test]
    fn restart_resets_histories() {
        let mut a = app();
        started(&mut a, 7);
        epoch(&mut a, 2, 1);
        assert_eq!(a.runs()[2].epochs.len(), 1);
        assert_eq!(
            a.update(Action::Restart { same_seed: true }),
            Some(Effect::Send(Command::Restart { seed: 7 }))
        );
        assert!(
            a.runs()
                .iter()
                .all(|r| r.epochs.is_empty() && r.summary.epochs == 0)
        );
        let Some(Effect::Send(Command::Restart { .. })) =
            a.update(Action::Restart { same_seed: false })
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
        };
        a.update(Action::Session(Event::Epoch {
            generation: 0,
            run: 0,
            report: stale,
            last: false,
        }));
        assert_eq!(a.runs()[0].summary.epochs, 0);
        a.update(Action::Session(Event::Finished { generation: 1 }));
        assert_eq!(a.state(), RunState::Finished);
        assert_eq!(a.update(Action::TogglePause), None);
    }

    #[test]
    fn speed_ladder_stops_at_both_ends() {
        let mut a = app();
        assert_eq!(a.update(Action::Faster), None);
        assert_eq!(
            a.update(Action::Slower),
            Some(Effect::Send(Command::SetSpeed(Speed::PerSecond(500.0))))
        );
        for _ in 0..20 {
            a.update(Action::Slower);
        }
        assert_eq!(a.speed(), Speed::PerSecond(1.0));
        a.update(Action::Faster);
        assert_eq!(a.speed(), Speed::PerSecond(2.0));
    }

    #[test]
    fn help_closes_before_quitting_and_failures_are_kept() {
        let mut a = app();
        a.update(Action::ToggleHelp);
        a.update(Action::Back);
        assert!(!a.show_help() && !a.quit());
        a.update(Action::Session(Event::Failed {
            message: "boom".into(),
        }));
        assert_eq!(a.failure(), Some("boom"));
        a.update(Action::Back);
        assert!(a.quit());
    }

    #[test]
    fn new_digits_are_distinct_test_images() {
        let mut a = app();
        a.update(Action::NewDigits);
        let mut d = a.digits().to_vec();
        d.sort_unstable();
        d.dedup();
        assert_eq!(d.len(), MAX_DIGITS);
        assert!(d.iter().all(|&i| i < 360));
    }
    #[test]
    fn a_burst_of_rate_presses_counts_every_press() {
        let mut a = app();
        started(&mut a, 7);
        let mut last = None;
        for _ in 0..4 {
            last = a.update(Action::ScaleLearningRate { up: true });
        }
        assert_eq!(
            last,
            Some(Effect::Send(Command::SetLearningRate { run: 0, lr: 0.16 }))
        );
        // Confirmed by the session: the next press builds on the rate in force.
        a.update(Action::Session(Event::LearningRate {
            generation: 1,
            run: 0,
            epoch: 0,
            lr: 0.16,
        }));
        assert_eq!(
            a.update(Action::ScaleLearningRate { up: false }),
            Some(Effect::Send(Command::SetLearningRate { run: 0, lr: 0.08 }))
        );
    }

    #[test]
    fn a_finished_run_refuses_a_new_rate_and_says_why() {
        let mut a = app();
        started(&mut a, 7);
        a.update(Action::Session(Event::Epoch {
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
            },
            last: true,
        }));
        assert_eq!(a.update(Action::ScaleLearningRate { up: true }), None);
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
        let Some(Effect::StartSeeds(seeds)) = a.update(Action::ToggleView(View::Seeds)) else {
            panic!("the seeds view starts its sweep");
        };
        assert_eq!(seeds, (7..=16).collect::<Vec<_>>());
        a.update(Action::Notice("saved x.json".into()));
        a.update(Action::Tick(Duration::from_secs(30)));
        a.update(Action::Restart { same_seed: false });
        assert!(!a.seeds().started() && a.notice().is_none());
        assert_eq!((a.view(), a.elapsed()), (View::Main, Duration::ZERO));
        a.update(Action::Tick(Duration::from_secs(31)));
        assert_eq!(a.elapsed(), Duration::from_secs(1));
    }

    #[test]
    fn export_and_the_seeds_view_are_effects_and_a_replay_refuses_training() {
        let mut a = app().with_export_path(Some(PathBuf::from("out.json")));
        assert_eq!(
            a.update(Action::Export),
            Some(Effect::Export(PathBuf::from("out.json")))
        );
        let mut r = app().replaying("saved.json");
        for action in [
            Action::Step,
            Action::TogglePause,
            Action::Restart { same_seed: true },
            Action::ScaleLearningRate { up: true },
            Action::ToggleView(View::Seeds),
            Action::ToggleView(View::Weights),
            Action::ToggleView(View::Draw),
        ] {
            assert_eq!(r.update(action), None);
        }
        assert_eq!(r.view(), View::Main);
        assert!(r.notice().is_some_and(|n| n.contains("no weights")));
    }
}
