//! The landscape view's state (`t`): the lab's five update rules walking down a 2-D function
//! ([`crate::landscape`]) a step at a time, under the dashboard's own pause, step and pace.
//! [`App`](super::app::App) holds one and hands it the view's keys, the rate keys while the
//! view is open, clicks on it, steps and clock ticks. Any change (function, start, a rate)
//! starts every path again from the start, so the paths always share their step count.
//!
//! ```text
//! ┌ landscape: bowl · f = x·x/20 + y·y ───────────────────── step 37 / 100 ┐
//! │ 5 ┤ shading or contours, a path per optimizer, its mark at its head    │
//! │-5 ┤                                                                     │
//! │    -10                                                              10 │
//! │ * SGD      lr 0.95   x -0.0003  y +0.0001  f 8.06e-9  step 37          │
//! └─────────────────────────────────────────────────────────────────────────┘
//! ```

use std::time::Duration;

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::layout::Areas;
use crate::engine::Speed;
use crate::landscape::{Function, Walker};
use crate::nn::{Hyper, OptimizerKind};

/// Steps per second when the dashboard's pace is "max": fast, but still a path one watches.
pub(crate) const MAX_STEPS_PER_SECOND: f64 = 1000.0;

/// How far an arrow key moves the start: this share of the drawn range.
const START_NUDGE: f64 = 0.05;

/// Edits only the landscape view takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LandscapeEdit {
    /// The next (`forward`) or previous function.
    Function {
        /// Next rather than previous.
        forward: bool,
    },
    /// Every path back to the start.
    Reset,
    /// Move the start a nudge across (`dx`) and up (`dy`).
    MoveStart {
        /// Nudges to the right.
        dx: i8,
        /// Nudges up.
        dy: i8,
    },
    /// Select the next (`forward`) or previous optimizer, whose rate `+`/`-` change.
    Select {
        /// Next rather than previous.
        forward: bool,
    },
}

/// The view's state: the function, the start, each rule's rate and the paths so far.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LandscapeView {
    function: Function,
    start: (f64, f64),
    /// One rate per rule, in [`OptimizerKind::ALL`] order.
    rates: [f64; 5],
    /// The lab's other constants (momentum, decays), from the session's settings.
    hyper: Hyper,
    walkers: Vec<Walker>,
    selected: usize,
    /// Steps owed by the clock but not yet taken (a fraction of one, between ticks).
    owed: f64,
    /// The clock at the last tick while the paths were advancing.
    last_tick: Option<Duration>,
}

impl Default for LandscapeView {
    fn default() -> Self {
        Self::new(Function::Bowl, Hyper::default())
    }
}

impl LandscapeView {
    /// The paths of all five rules on `function`, from its start at its default rates, with
    /// `hyper`'s constants (its learning rate is not used).
    pub(crate) fn new(function: Function, hyper: Hyper) -> Self {
        let mut view = Self {
            function,
            start: function.start(),
            rates: OptimizerKind::ALL.map(|k| function.rate(k)),
            hyper,
            walkers: Vec::new(),
            selected: 0,
            owed: 0.0,
            last_tick: None,
        };
        view.reset();
        view
    }

    /// Every path back at the start.
    fn reset(&mut self) {
        let (function, start, hyper) = (self.function, self.start, self.hyper);
        self.walkers = (OptimizerKind::ALL.iter().zip(self.rates))
            .map(|(&kind, lr)| Walker::new(function, kind, Hyper { lr, ..hyper }, start))
            .collect();
        self.owed = 0.0;
    }

    /// The function drawn.
    pub(crate) fn function(&self) -> Function {
        self.function
    }

    /// Where every path starts (the tests' view of it; the renderers read the walkers).
    #[cfg(test)]
    pub(crate) fn start(&self) -> (f64, f64) {
        self.start
    }

    /// The paths, in [`OptimizerKind::ALL`] order.
    pub(crate) fn walkers(&self) -> &[Walker] {
        &self.walkers
    }

    /// The optimizer whose rate `+`/`-` change.
    pub(crate) fn selected(&self) -> usize {
        self.selected
    }

    /// Steps taken so far (every path takes them together; a diverged one stops early).
    pub(crate) fn step(&self) -> u32 {
        (self.walkers.iter()).map(Walker::steps).max().unwrap_or(0)
    }

    /// Steps the paths run to: the function's own count.
    pub(crate) fn limit(&self) -> u32 {
        self.function.steps()
    }

    /// Whether every path has stopped (at the limit, or diverged); the tests' question.
    #[cfg(test)]
    pub(crate) fn done(&self) -> bool {
        (self.walkers.iter()).all(|w| w.diverged() || w.steps() >= self.limit())
    }

    /// One step of every path still going.
    pub(crate) fn advance(&mut self, steps: u32) {
        let limit = self.limit();
        for w in &mut self.walkers {
            for _ in 0..steps {
                if w.steps() >= limit || !w.step() {
                    break;
                }
            }
        }
    }

    /// The clock says `now`; while `running`, the paths take the steps `speed` owes them
    /// since the last tick (at most up to the limit). Paused, the clock only moves on.
    pub(crate) fn tick(&mut self, now: Duration, running: bool, speed: Speed) {
        let last = self.last_tick.replace(now);
        if !running {
            self.owed = 0.0;
            return;
        }
        let per_second = match speed {
            Speed::PerSecond(s) => s,
            Speed::Unlimited => MAX_STEPS_PER_SECOND,
        };
        let dt = last.map_or(0.0, |l| now.saturating_sub(l).as_secs_f64());
        self.owed += dt * per_second;
        let due = self.owed.floor().min(f64::from(self.limit()));
        self.owed -= due;
        self.advance(due as u32);
    }

    /// Forgets the clock (the view closed): reopening does not catch up on the time away.
    pub(crate) fn pause_clock(&mut self) {
        self.last_tick = None;
        self.owed = 0.0;
    }

    /// Applies a key of the view.
    pub(crate) fn edit(&mut self, edit: LandscapeEdit) {
        match edit {
            LandscapeEdit::Function { forward } => {
                let selected = self.selected;
                *self = Self {
                    last_tick: self.last_tick,
                    ..Self::new(self.function.cycle(forward), self.hyper)
                };
                self.selected = selected;
            }
            LandscapeEdit::Reset => self.reset(),
            LandscapeEdit::MoveStart { dx, dy } => {
                let b = self.function.bounds();
                let nudge = |(lo, hi): (f64, f64), d: i8, at: f64| {
                    (at + f64::from(d) * START_NUDGE * (hi - lo)).clamp(lo, hi)
                };
                self.start = (nudge(b.x, dx, self.start.0), nudge(b.y, dy, self.start.1));
                self.reset();
            }
            LandscapeEdit::Select { forward } => {
                let n = self.walkers.len();
                self.selected = (self.selected + if forward { 1 } else { n - 1 }) % n;
            }
        }
    }

    /// Doubles (`up`) or halves the selected optimizer's rate and starts again.
    pub(crate) fn scale_rate(&mut self, up: bool) {
        let lr = &mut self.rates[self.selected];
        *lr = if up { *lr * 2.0 } else { *lr / 2.0 };
        self.reset();
    }

    /// The selected optimizer's rate back to the function's default, and start again.
    pub(crate) fn reset_rate(&mut self) {
        self.rates[self.selected] = self.function.rate(OptimizerKind::ALL[self.selected]);
        self.reset();
    }

    /// A click at `at` on the screen laid out as `areas`: on the landscape, the start moves
    /// to the point under it and the paths start again.
    pub(crate) fn click(&mut self, at: Position, areas: &Areas) {
        let plot = LandscapeLayout::new(area(areas), self.walkers.len()).plot;
        if let Some(point) = point_at(plot, self.function, at) {
            self.start = point;
            self.reset();
        }
    }
}

/// Where the view goes: everything between the status bar and the footer (the charts give
/// way to it, as a landscape needs the height).
pub(crate) fn area(areas: &Areas) -> Rect {
    let top = areas.status.bottom();
    let height = areas.footer.y.saturating_sub(top);
    Rect::new(areas.status.x, top, areas.status.width, height)
}

/// The regions of the view, shared by the renderer and the mouse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LandscapeLayout {
    /// The whole view, bordered.
    pub outer: Rect,
    /// The y axis labels, left of the plot.
    pub y_labels: Rect,
    /// The function, its paths.
    pub plot: Rect,
    /// The x axis labels, under the plot.
    pub x_labels: Rect,
    /// One line per path.
    pub legend: Rect,
}

/// Cells the y labels take (`-10`, ` 3`), and a gap.
const Y_LABELS: u16 = 4;

impl LandscapeLayout {
    /// The view in `outer` with a legend of `paths` lines.
    pub(crate) fn new(outer: Rect, paths: usize) -> Self {
        let inner = outer.inner(ratatui::layout::Margin::new(1, 1));
        let [row, x_labels, legend] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(paths as u16),
        ])
        .areas(inner);
        let [y_labels, plot] =
            Layout::horizontal([Constraint::Length(Y_LABELS), Constraint::Fill(1)]).areas(row);
        Self {
            outer,
            y_labels,
            plot,
            x_labels,
            legend,
        }
    }
}

/// The point of `function`'s drawn range under the cell `at` of `plot` (its centre), if `at`
/// is on the plot.
pub(crate) fn point_at(plot: Rect, function: Function, at: Position) -> Option<(f64, f64)> {
    if !plot.contains(at) {
        return None;
    }
    let b = function.bounds();
    let fx = (f64::from(at.x - plot.x) + 0.5) / f64::from(plot.width);
    let fy = (f64::from(at.y - plot.y) + 0.5) / f64::from(plot.height);
    Some((b.x.0 + fx * (b.x.1 - b.x.0), b.y.1 - fy * (b.y.1 - b.y.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_steps_at_the_pace_and_not_while_paused() {
        let mut v = LandscapeView::default();
        let s = |ms| Duration::from_millis(ms);
        v.tick(s(0), true, Speed::PerSecond(10.0));
        v.tick(s(250), true, Speed::PerSecond(10.0));
        assert_eq!(v.step(), 2, "2.5 steps owed, 2 taken");
        v.tick(s(300), true, Speed::PerSecond(10.0));
        assert_eq!(v.step(), 3, "the half step carried over");
        v.tick(s(5000), false, Speed::PerSecond(10.0));
        v.tick(s(5100), true, Speed::PerSecond(10.0));
        assert_eq!(v.step(), 4, "no catching up on the pause");
        v.tick(s(60_000), true, Speed::Unlimited);
        assert_eq!(v.step(), v.limit());
        assert!(v.done());
    }

    #[test]
    fn changes_start_every_path_again() {
        let mut v = LandscapeView::default();
        v.advance(5);
        v.edit(LandscapeEdit::Select { forward: false });
        assert_eq!(v.selected(), 4);
        v.scale_rate(true);
        assert_eq!((v.step(), v.walkers()[4].lr()), (0, 0.6));
        v.reset_rate();
        assert_eq!(v.walkers()[4].lr(), 0.3);
        v.edit(LandscapeEdit::MoveStart { dx: 1, dy: -1 });
        assert_eq!(v.start(), (-6.0, 1.5));
        v.edit(LandscapeEdit::Function { forward: true });
        assert_eq!(
            (v.function(), v.start()),
            (Function::Rosenbrock, (-1.2, 1.0))
        );
        assert_eq!(v.selected(), 4);
    }

    #[test]
    fn a_cell_names_the_point_at_its_centre() {
        let plot = Rect::new(10, 5, 20, 10);
        let f = Function::Bowl;
        assert_eq!(point_at(plot, f, Position::new(9, 5)), None);
        assert_eq!(point_at(plot, f, Position::new(10, 5)), Some((-9.5, 4.5)));
        assert_eq!(point_at(plot, f, Position::new(29, 14)), Some((9.5, -4.5)));
    }
}
