//! What each key does to the dashboard: [`App::act`] and the helpers it calls (opening views,
//! the settings panel, learning-rate requests, paging, painting). Still reached only through
//! [`App::update`].

use rand::RngExt;
use ratatui::layout::Position;

use super::{App, RunState};
use crate::engine::Command;
use crate::export;
use crate::ui::background::Background;
use crate::ui::intent::Intent;
use crate::ui::layout::{Areas, weight_units_per_page};
use crate::ui::message::Effect;
use crate::ui::pace;
use crate::ui::panel::{self, Panel, PanelEdit};
use crate::ui::view::View;

impl App {
    /// Does what a key means; returns what the loop must do for it.
    pub(super) fn act(&mut self, intent: Intent) -> Option<Effect> {
        if !self.offers(intent) {
            self.notice.set(match intent {
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
            Intent::Select(i) => {
                let runs = crate::format::count(self.runs().len(), "run");
                self.notice.set(format!("no run {}: this session has {runs}", i + 1));
            }
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
                if self.view() == View::Landscape {
                    self.landscape.advance(1);
                }
                if self.state == RunState::Finished {
                    return None;
                }
                self.state = RunState::Paused;
                return Some(Effect::Send(Command::Step));
            }
            Intent::NewDigits => self.screen.new_digits(self.data.y_test.len()),
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
            Intent::Slower | Intent::Faster => {
                let faster = intent == Intent::Faster;
                let Some(speed) = self.pace.step(faster) else {
                    // At either end of the ladder the key has nothing to do: say so.
                    let end = match faster {
                        true => "fastest (no limit)".to_owned(),
                        false => format!("slowest ({})", pace::slowest_text()),
                    };
                    self.notice.set(format!("speed: already the {end}"));
                    return None;
                };
                return Some(Effect::Send(Command::SetSpeed(speed)));
            }
            Intent::ToggleHelp => self.screen.show_help = !self.screen.show_help,
            Intent::Back if self.screen.show_help => self.screen.show_help = false,
            Intent::Back if self.view() != View::Main => return self.open(View::Main),
            Intent::Back | Intent::Quit => self.quit = true,
            // In the landscape view the rate keys act on its selected path.
            Intent::ScaleLearningRate { up } if self.view() == View::Landscape => {
                self.landscape.scale_rate(up);
            }
            Intent::ResetLearningRate if self.view() == View::Landscape => {
                self.landscape.reset_rate();
            }
            Intent::Landscape(edit) => self.landscape.edit(edit),
            Intent::ScaleLearningRate { up } => return self.scale_learning_rate(up),
            Intent::ToggleView(view) => {
                return self.open(if self.view() == view {
                    View::Main
                } else {
                    view
                });
            }
            Intent::Canvas(edit) => self.canvas.edit(edit, &self.data),
            Intent::Export => {
                let path = (self.export_to.clone())
                    .unwrap_or_else(|| export::default_path(self.settings().seed));
                return Some(Effect::Export(path));
            }
            Intent::WeightsPage { forward } => self.page_weights(forward),
            // Over the panel, the help closes on any of the panel's keys first.
            Intent::Panel(_) if self.screen.show_help => self.screen.show_help = false,
            Intent::Panel(edit) => return self.edit_panel(edit),
            Intent::ToggleOverlay => {
                self.screen.overlay = !self.screen.overlay || self.view() != View::Main;
                if self.view() != View::Main {
                    return self.open(View::Main);
                }
            }
            Intent::CycleZoom => self.screen.cycle_zoom(),
            Intent::ResetLearningRate => return self.reset_learning_rate(),
        }
        None
    }

    /// Switches what is under the charts, asking the session for weight snapshots only while
    /// a view shows them, and starting a view's background runs the first time it opens.
    pub(super) fn open(&mut self, view: View) -> Option<Effect> {
        let (was, now) = (self.view().needs_models(), view.needs_models());
        if view == View::Settings {
            // Filled in afresh each time: what the session trains with now.
            let read_only = self.replay.is_some();
            self.panel = Panel::new(self.settings(), self.session.data(), read_only);
        }
        let background = Background::ALL.into_iter().find(|b| b.view() == view);
        if let Some(which) = background
            && !self.background(which).started()
        {
            let (contenders, first) = (&self.session.settings().optimizers, self.settings().seed);
            let (seeds, rates) = match self.background.start(which, contenders, first) {
                Ok(started) => started,
                Err(why) => {
                    self.notice.set(why);
                    return None;
                }
            };
            self.screen.view = view;
            return Some(Effect::StartBackground {
                which,
                seeds,
                rates,
            });
        }
        self.screen.view = view;
        (was != now).then_some(Effect::Send(Command::WatchModels(now)))
    }

    /// A key in the settings panel; Enter with every field valid restarts with them (loading
    /// other data first if the data fields changed).
    fn edit_panel(&mut self, edit: PanelEdit) -> Option<Effect> {
        match self.panel.edit(edit) {
            panel::Outcome::Editing => None,
            panel::Outcome::Discarded => {
                self.screen.view = View::Main;
                None
            }
            panel::Outcome::Invalid(message) => {
                self.notice.set(message);
                None
            }
            panel::Outcome::ReadOnly => {
                self.notice
                    .set("a saved session: its settings are shown, not changed".into());
                None
            }
            panel::Outcome::Apply(settings, source) => {
                // The panel needs no weights, so going back asks the session for nothing.
                self.screen.view = View::Main;
                if source != *self.session.data() {
                    self.notice.set("loading the data…".into());
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
        let now = self.asked_lr.current(run, || history.lr(start));
        if history.contender.optimizer().is_some() && now == start {
            self.notice.set(format!(
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
        let start = self.settings().hyper.lr;
        let now = self.asked_lr.current(run, || history.lr(start));
        self.set_learning_rate(if up { now * 2.0 } else { now / 2.0 })
    }

    /// Asks for the selected run to train at `lr` from its next epoch, unless it cannot.
    fn set_learning_rate(&mut self, lr: f64) -> Option<Effect> {
        let run = self.selected;
        let history = self.runs().get(run)?;
        let label = history.contender.label();
        if history.contender.optimizer().is_none() {
            self.notice
                .set("the baseline keeps scikit-learn's learning rate".into());
            return None;
        }
        if history.ended {
            self.notice.set(format!(
                "{label} has finished: no epoch left for a new rate"
            ));
            return None;
        }
        self.notice
            .set(format!("{label}: learning rate → {lr} from its next epoch"));
        self.asked_lr.ask(run, lr);
        Some(Effect::Send(Command::SetLearningRate { run, lr }))
    }

    /// Moves the weights view one page of units on or back, as many units as it shows at the
    /// current size; it stops at the first and last page.
    fn page_weights(&mut self, forward: bool) {
        let units = (self.runs().get(self.selected))
            .and_then(|r| r.model.as_ref())
            .map_or(0, |m| m.first_layer().units);
        let below = Areas::new(self.size, self.runs().len(), self.data.side).below();
        let page = weight_units_per_page(below, self.data.side, &self.theme);
        self.screen.page_weights(forward, units, page);
    }

    /// Paints (or erases) the canvas under a cell, if it is on the canvas.
    pub(super) fn paint(&mut self, at: Position, erase: bool) {
        let areas = Areas::new(self.size, self.runs().len(), self.data.side);
        if let Some(point) = areas.canvas_point(at) {
            self.canvas.paint(point, erase);
        }
    }
}
