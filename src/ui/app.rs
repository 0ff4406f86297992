//! Dashboard state. [`App::update`] is the only place it changes: keys, clicks, resizes,
//! session events and clock ticks all arrive as an [`Action`]. It returns the command (if any)
//! the training session should receive, so the state machine is testable without threads.

use std::sync::Arc;
use std::time::Duration;

use rand::RngExt;
use ratatui::layout::{Position, Rect};

use crate::compare::{Outcome, SeedResult};
use crate::data::Dataset;
use crate::train::{Command, Contender, Event, Model, Protocol, RunSummary, Settings, Speed};

use super::layout::{Areas, weight_units_per_page};
use super::theme::Theme;

/// The speed ladder `[`/`]` move along, in epochs per second; past the top is "unlimited".
pub const SPEED_LADDER: [f64; 9] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0];

/// How many test digits the panel can show at most.
pub const MAX_DIGITS: usize = 12;

/// Everything that can change the dashboard.
#[derive(Clone, Debug, PartialEq)]
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
    Session(SessionEvent),
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
    /// Write the session to a file. The run loop, which owns the file system, does it and
    /// reports back with [`Action::Notice`]; the state itself does not change.
    Export,
    /// Show a one-line notice in the status bar (an export's outcome, say).
    Notice(String),
    /// The background multi-seed comparison started on these seeds, with this many runs.
    SeedsStarted {
        /// The seeds.
        seeds: Vec<u32>,
        /// Runs in all (seeds × contenders).
        runs: usize,
    },
    /// One run of the background comparison finished (or failed).
    SeedResult(Outcome),
    /// A mouse press or drag at a cell: paints the canvas pixel under it (erases if `erase`).
    Paint {
        /// The cell.
        at: Position,
        /// Right button: erase.
        erase: bool,
    },
    /// The weights view's next (`forward`) or previous page of hidden units.
    WeightsPage {
        /// Next rather than previous.
        forward: bool,
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
}

impl View {
    /// Views that need the networks' weights, not just their reports.
    fn needs_models(self) -> bool {
        matches!(self, Self::Weights | Self::Draw)
    }
}

/// The background comparison behind the seeds view (`m`): started the first time the view
/// opens, it keeps running while the view is closed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeedsProgress {
    /// The seeds being compared (empty until started).
    pub seeds: Vec<u32>,
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
                    let row = data.test_pixels.row(rand::rng().random_range(0..n));
                    for (p, &v) in self.pixels.iter_mut().zip(row.iter()) {
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

/// A session event, comparable for tests (`Event` carries reports that are not `PartialEq`).
#[derive(Clone, Debug)]
pub struct SessionEvent(pub Event);

impl PartialEq for SessionEvent {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

/// One run's history as the charts need it.
#[derive(Clone, Debug)]
pub struct RunView {
    /// Who trains.
    pub kind: Contender,
    /// `(epoch, log10 loss)` per epoch.
    pub log_loss: Vec<(f64, f64)>,
    /// `(epoch, test accuracy)` per epoch.
    pub test_acc: Vec<(f64, f64)>,
    /// `(epoch, train accuracy)` per epoch, beside the test curve so overfitting shows.
    pub train_acc: Vec<(f64, f64)>,
    /// Running figures and the final-table row.
    pub summary: RunSummary,
    /// Latest predicted label per test image.
    pub predictions: Option<Arc<[u8]>>,
    /// No further epoch will come (done, stopped early, or diverged).
    pub ended: bool,
    /// `(epoch, new rate)` for every live change: the rate applies after that epoch.
    pub lr_changes: Vec<(u32, f64)>,
    /// The latest weights, while a view watches them.
    pub model: Option<Arc<Model>>,
}

impl RunView {
    /// The learning rate in force, given the one the session started with: the last live
    /// change, if any (the lab runs' only; the baseline keeps scikit-learn's).
    pub fn lr(&self, initial: f64) -> f64 {
        self.lr_changes.last().map_or(initial, |&(_, lr)| lr)
    }

    fn new(kind: Contender) -> Self {
        Self {
            kind,
            log_loss: Vec::new(),
            test_acc: Vec::new(),
            train_acc: Vec::new(),
            summary: RunSummary::new(kind),
            predictions: None,
            ended: false,
            lr_changes: Vec::new(),
            model: None,
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

/// The dashboard's whole state.
pub struct App {
    /// Settings the session runs with (seed updated on restart).
    pub settings: Settings,
    /// The prepared data, for drawing test digits.
    pub data: Arc<Dataset>,
    /// One view per run, in session order.
    pub runs: Vec<RunView>,
    /// Index of the highlighted run.
    pub selected: usize,
    /// Running, paused or finished.
    pub state: RunState,
    /// Current pace.
    pub speed: Speed,
    /// Whether the help overlay is open.
    pub show_help: bool,
    /// Test-set indices of the digits on show.
    pub digits: Vec<usize>,
    /// A worker failure, shown as a panel.
    pub failure: Option<String>,
    /// Set once the user asked to leave.
    pub quit: bool,
    /// Colour or not, Unicode or ASCII: every style the renderer uses.
    theme: Theme,
    /// The first hidden unit the weights view shows.
    pub weights_offset: usize,
    /// Terminal size, for mouse hit-testing with the same layout the renderer uses.
    pub size: Rect,
    /// Wall time since start.
    pub elapsed: Duration,
    /// What is under the charts.
    pub view: View,
    /// The draw view's canvas.
    pub canvas: Canvas,
    /// A one-line notice for the status bar (e.g. why a key did nothing).
    pub notice: Option<String>,
    /// Set when showing a saved session (`--open`): nothing trains, so nothing restarts.
    pub replay: Option<String>,
    /// The multi-seed comparison of the seeds view, as far as it got.
    pub seeds: SeedsProgress,
    /// Recent `(elapsed, progress)` samples for the epochs/s figure.
    rate_samples: Vec<(Duration, u32)>,
    generation: u64,
}

impl App {
    /// A dashboard for `settings` on `data`, before any event arrived.
    pub fn new(settings: Settings, data: Arc<Dataset>, paused: bool, speed: Speed) -> Self {
        let runs = settings
            .optimizers
            .iter()
            .map(|&k| RunView::new(k))
            .collect();
        let mut app = Self {
            settings,
            data,
            runs,
            selected: 0,
            state: if paused {
                RunState::Paused
            } else {
                RunState::Running
            },
            speed,
            show_help: false,
            digits: Vec::new(),
            failure: None,
            quit: false,
            theme: Theme::default(),
            weights_offset: 0,
            size: Rect::default(),
            elapsed: Duration::ZERO,
            view: View::Main,
            canvas: Canvas::default(),
            notice: None,
            replay: None,
            seeds: SeedsProgress::default(),
            rate_samples: Vec::new(),
            generation: 0,
        };
        app.digits = (0..MAX_DIGITS.min(app.data.y_test.len())).collect();
        app
    }

    /// The same dashboard drawn with `theme`.
    pub fn with_theme(mut self, theme: Theme) -> Self {
        self.theme = theme;
        self
    }

    /// How the dashboard draws: colour or not, Unicode or ASCII.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// What "epoch N / total" means: the slowest run still training, or under the chain
    /// protocol the stage in progress; once every run has ended, the furthest any got.
    pub fn epoch(&self) -> u32 {
        let current = match self.stage() {
            Some((i, _)) => Some(self.runs[i].summary.epochs),
            None => (self.runs.iter())
                .filter(|r| !r.ended)
                .map(|r| r.summary.epochs)
                .min(),
        };
        current.unwrap_or_else(|| {
            (self.runs.iter())
                .map(|r| r.summary.epochs)
                .max()
                .unwrap_or(0)
        })
    }

    /// Under the chain protocol, the run index of the stage in progress and its number
    /// (1-based) among the lab's optimizers.
    pub fn stage(&self) -> Option<(usize, usize)> {
        if self.settings.protocol != Protocol::Chain {
            return None;
        }
        let lab = || (self.runs.iter().enumerate()).filter(|(_, r)| r.kind.optimizer().is_some());
        lab()
            .position(|(_, r)| !r.ended)
            .and_then(|k| lab().nth(k).map(|(i, _)| (i, k + 1)))
    }

    /// Epochs trained so far per lab run at a time: what epochs/s counts. The chain's stages
    /// add up, so the figure stays steady when a new stage starts.
    fn progress(&self) -> u32 {
        let lab = self.runs.iter().filter(|r| r.kind.optimizer().is_some());
        let total: u32 = lab.clone().map(|r| r.summary.epochs).sum();
        match self.settings.protocol {
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

    /// Applies one action; returns what the session must be told.
    pub fn update(&mut self, action: Action) -> Option<Command> {
        let trains = matches!(
            action,
            Action::Restart { .. }
                | Action::Step
                | Action::TogglePause
                | Action::ScaleLearningRate { .. }
        );
        if trains && self.replay.is_some() {
            self.notice = Some("a saved session: nothing trains here".into());
            return None;
        }
        let n = self.runs.len().max(1);
        match action {
            Action::SelectPrev => self.selected = (self.selected + n - 1) % n,
            Action::SelectNext => self.selected = (self.selected + 1) % n,
            Action::Select(i) if i < self.runs.len() => self.selected = i,
            Action::Select(_) => {}
            Action::TogglePause => {
                return match self.state {
                    RunState::Running => {
                        self.state = RunState::Paused;
                        Some(Command::Pause)
                    }
                    RunState::Paused => {
                        self.state = RunState::Running;
                        Some(Command::Resume)
                    }
                    RunState::Finished => None,
                };
            }
            Action::Step => {
                if self.state == RunState::Finished {
                    return None;
                }
                self.state = RunState::Paused;
                return Some(Command::Step);
            }
            Action::NewDigits => self.new_digits(),
            Action::Restart { same_seed } => {
                let seed = if same_seed {
                    self.settings.seed
                } else {
                    rand::rng().random()
                };
                self.reset(seed);
                if self.state == RunState::Finished {
                    self.state = RunState::Running;
                }
                return Some(Command::Restart { seed });
            }
            Action::Slower => return self.set_speed(self.ladder_step(false)),
            Action::Faster => return self.set_speed(self.ladder_step(true)),
            Action::ToggleHelp => self.show_help = !self.show_help,
            Action::Back if self.show_help => self.show_help = false,
            Action::Back if self.view != View::Main => return self.open(View::Main),
            Action::Back | Action::Quit => self.quit = true,
            Action::Click(at) => {
                let areas = Areas::new(self.size, self.runs.len());
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
            Action::Export => {}
            Action::Notice(text) => self.notice = Some(text),
            Action::SeedsStarted { seeds, runs } => {
                self.seeds = SeedsProgress {
                    seeds,
                    runs,
                    ..SeedsProgress::default()
                };
            }
            Action::SeedResult(Ok(result)) => self.seeds.results.push(result),
            Action::SeedResult(Err(failure)) => self.seeds.failures.push(failure.to_string()),
            Action::Resize(size) => self.size = size,
            Action::WeightsPage { forward } => self.page_weights(forward),
            Action::Session(SessionEvent(event)) => self.apply(event),
            Action::Tick(elapsed) => {
                self.elapsed = elapsed;
                let progress = self.progress();
                self.rate_samples.push((elapsed, progress));
                let window = Duration::from_secs(2);
                while self
                    .rate_samples
                    .first()
                    .is_some_and(|s| elapsed.saturating_sub(s.0) > window)
                {
                    self.rate_samples.remove(0);
                }
            }
        }
        None
    }

    fn apply(&mut self, event: Event) {
        match event {
            Event::Started { generation, seed } => {
                self.generation = generation;
                if seed != self.settings.seed || self.runs.iter().any(|r| r.summary.epochs > 0) {
                    self.reset(seed);
                }
            }
            Event::Epoch {
                generation,
                run,
                report,
                last,
            } if generation == self.generation => {
                let Some(view) = self.runs.get_mut(run) else {
                    return;
                };
                view.ended = last;
                view.summary.observe(&report);
                let x = f64::from(report.epoch);
                // A diverged epoch's figures are not data: the curves end before it.
                if !report.diverged {
                    view.log_loss
                        .push((x, report.loss.max(f64::MIN_POSITIVE).log10()));
                    view.test_acc.push((x, report.test_acc));
                    view.train_acc.push((x, report.train_acc));
                }
                view.predictions = Some(report.predictions);
            }
            Event::Epoch { .. } => {}
            Event::LearningRate {
                generation,
                run,
                epoch,
                lr,
            } if generation == self.generation => {
                if let Some(view) = self.runs.get_mut(run) {
                    view.lr_changes.push((epoch, lr));
                }
            }
            Event::Model {
                generation,
                run,
                model,
                ..
            } if generation == self.generation => {
                if let Some(view) = self.runs.get_mut(run) {
                    view.model = Some(model);
                }
            }
            Event::LearningRate { .. } | Event::Model { .. } => {}
            Event::Finished { generation } if generation == self.generation => {
                self.state = RunState::Finished;
            }
            Event::Finished { .. } => {}
            Event::Failed { message } => self.failure = Some(message),
        }
    }

    fn reset(&mut self, seed: u32) {
        self.settings.seed = seed;
        self.runs = self
            .settings
            .optimizers
            .iter()
            .map(|&k| RunView::new(k))
            .collect();
        self.rate_samples.clear();
    }

    /// Switches what is under the charts, asking the session for weight snapshots only while
    /// a view shows them.
    fn open(&mut self, view: View) -> Option<Command> {
        let (was, now) = (self.view.needs_models(), view.needs_models());
        self.view = view;
        (was != now).then_some(Command::WatchModels(now))
    }

    fn scale_learning_rate(&mut self, up: bool) -> Option<Command> {
        let run = self.selected;
        let view = self.runs.get(run)?;
        if view.kind.optimizer().is_none() {
            self.notice = Some("the baseline keeps scikit-learn's learning rate".into());
            return None;
        }
        let now = view.lr(self.settings.hyper.lr);
        let lr = if up { now * 2.0 } else { now / 2.0 };
        self.notice = Some(format!("{}: learning rate → {lr}", view.kind.label()));
        Some(Command::SetLearningRate { run, lr })
    }

    /// Moves the weights view one page of units on or back, as many units as it shows at the
    /// current size; it stops at the first and last page.
    fn page_weights(&mut self, forward: bool) {
        let units = (self.runs.get(self.selected))
            .and_then(|r| r.model.as_ref())
            .map_or(0, |m| m.first_layer().units);
        let below = Areas::new(self.size, self.runs.len()).below();
        let page = weight_units_per_page(below, self.theme.weight_rows()).max(1);
        self.weights_offset = match forward {
            true if self.weights_offset + page < units => self.weights_offset + page,
            true => self.weights_offset,
            false => self.weights_offset.saturating_sub(page),
        };
    }

    /// Paints (or erases) the canvas pixel under a cell, if there is one.
    fn paint(&mut self, at: Position, erase: bool) {
        let areas = Areas::new(self.size, self.runs.len());
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

    fn set_speed(&mut self, speed: Speed) -> Option<Command> {
        (speed != self.speed).then(|| {
            self.speed = speed;
            Command::SetSpeed(speed)
        })
    }
}

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
        App::new(Settings::default(), data(), false, Speed::Unlimited)
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
        app.update(Action::Session(SessionEvent(Event::Epoch {
            generation: 1,
            run,
            report,
            last: false,
        })));
    }

    fn started(app: &mut App, seed: u32) {
        app.update(Action::Session(SessionEvent(Event::Started {
            generation: 1,
            seed,
        })));
    }

    #[test]
    fn selection_wraps_both_ways() {
        let mut a = app();
        a.update(Action::SelectPrev);
        assert_eq!(a.selected, a.runs.len() - 1);
        a.update(Action::SelectNext);
        assert_eq!(a.selected, 0);
        a.update(Action::Select(3));
        assert_eq!(a.selected, 3);
        a.update(Action::Select(9));
        assert_eq!(a.selected, 3);
    }

    #[test]
    fn pause_and_resume_send_commands() {
        let mut a = app();
        assert_eq!(a.update(Action::TogglePause), Some(Command::Pause));
        assert_eq!(a.state, RunState::Paused);
        assert_eq!(a.update(Action::TogglePause), Some(Command::Resume));
        assert_eq!(a.state, RunState::Running);
    }

    #[test]
    fn step_pauses_and_every_run_advances_by_one() {
        let mut a = app();
        started(&mut a, 7);
        assert_eq!(a.update(Action::Step), Some(Command::Step));
        assert_eq!(a.state, RunState::Paused);
        for run in 0..a.runs.len() {
            epoch(&mut a, run, 1);
        }
        assert_eq!(a.epoch(), 1);
        assert!(a.runs.iter().all(|r| r.summary.epochs == 1));
        assert_eq!(a.update(Action::Step), Some(Command::Step));
        assert_eq!(a.state, RunState::Paused);
    }

    #[test]
    fn restart_resets_histories() {
        let mut a = app();
        started(&mut a, 7);
        epoch(&mut a, 2, 1);
        assert_eq!(a.runs[2].log_loss.len(), 1);
        assert_eq!(
            a.update(Action::Restart { same_seed: true }),
            Some(Command::Restart { seed: 7 })
        );
        assert!(
            a.runs
                .iter()
                .all(|r| r.log_loss.is_empty() && r.summary.epochs == 0)
        );
        let Some(Command::Restart { .. }) = a.update(Action::Restart { same_seed: false }) else {
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
        a.update(Action::Session(SessionEvent(Event::Epoch {
            generation: 0,
            run: 0,
            report: stale,
            last: false,
        })));
        assert_eq!(a.runs[0].summary.epochs, 0);
        a.update(Action::Session(SessionEvent(Event::Finished {
            generation: 1,
        })));
        assert_eq!(a.state, RunState::Finished);
        assert_eq!(a.update(Action::TogglePause), None);
    }

    #[test]
    fn speed_ladder_stops_at_both_ends() {
        let mut a = app();
        assert_eq!(a.update(Action::Faster), None);
        assert_eq!(
            a.update(Action::Slower),
            Some(Command::SetSpeed(Speed::PerSecond(500.0)))
        );
        for _ in 0..20 {
            a.update(Action::Slower);
        }
        assert_eq!(a.speed, Speed::PerSecond(1.0));
        a.update(Action::Faster);
        assert_eq!(a.speed, Speed::PerSecond(2.0));
    }

    #[test]
    fn help_closes_before_quitting_and_failures_are_kept() {
        let mut a = app();
        a.update(Action::ToggleHelp);
        a.update(Action::Back);
        assert!(!a.show_help && !a.quit);
        a.update(Action::Session(SessionEvent(Event::Failed {
            message: "boom".into(),
        })));
        assert_eq!(a.failure.as_deref(), Some("boom"));
        a.update(Action::Back);
        assert!(a.quit);
    }

    #[test]
    fn new_digits_are_distinct_test_images() {
        let mut a = app();
        a.update(Action::NewDigits);
        let mut d = a.digits.clone();
        d.sort_unstable();
        d.dedup();
        assert_eq!(d.len(), MAX_DIGITS);
        assert!(d.iter().all(|&i| i < 360));
    }
}
