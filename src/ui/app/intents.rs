//! What each key does to the dashboard: [`App::act`] and the helpers it calls (opening views,
//! the settings panel, learning-rate requests, paging, painting). Still reached only through
//! [`App::update`].

use rand::RngExt;
use ratatui::layout::Position;

use super::{App, RunState};
use crate::engine::Command;
use crate::export;
use crate::ui::background::{Background, JobState, LARGE_DATA};
use crate::ui::intent::Intent;
use crate::ui::layout::{Areas, weight_units_per_page};
use crate::ui::message::Effect;
use crate::ui::pace;
use crate::ui::settings_form::{self, FormEdit, SettingsForm};
use crate::ui::view::View;

impl App {
    /// Does what a key means; returns what the loop must do for it.
    pub(super) fn act(&mut self, intent: Intent) -> Option<Effect> {
        if !self.offers(intent) {
            // Live, only Enter with no job waiting is refused: nothing to start, nothing to say.
            if self.replay.is_some() {
                self.notice.set(match intent {
                    Intent::ToggleView(view) if view.needs_snapshots() => {
                        "a saved session keeps no weights to show".into()
                    }
                    _ => "a saved session: nothing trains here".into(),
                });
            }
            return None;
        }
        let n = self.runs().len().max(1);
        match intent {
            Intent::SelectPrev => self.selected = (self.selected + n - 1) % n,
            Intent::SelectNext => self.selected = (self.selected + 1) % n,
            Intent::Select(i) if i < self.runs().len() => self.selected = i,
            Intent::Select(i) => {
                let runs = crate::format::count(self.runs().len(), "run");
                self.notice
                    .set(format!("no run {}: this session has {runs}", i + 1));
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
            Intent::SettingsForm(_) if self.screen.show_help => self.screen.show_help = false,
            Intent::SettingsForm(edit) => return self.edit_panel(edit),
            Intent::ToggleOverlay => {
                self.screen.overlay = !self.screen.overlay || self.view() != View::Main;
                if self.view() != View::Main {
                    return self.open(View::Main);
                }
            }
            Intent::CycleZoom => self.screen.cycle_zoom(),
            Intent::CancelJob => self.cancel_job(),
            Intent::KeepJob => {
                if let Some(which) = Background::of(self.view()) {
                    self.background.keep(which);
                    self.notice
                        .set(format!("{} keeps running: x cancels", which.name()));
                    return self.open(View::Main);
                }
            }
            Intent::StartJob => return self.start_job(),
            Intent::ResetLearningRate => return self.reset_learning_rate(),
        }
        None
    }

    /// Switches what is under the charts, asking the session for weight snapshots only while
    /// a view shows them, and starting a view's background runs the first time it opens.
    pub(super) fn open(&mut self, view: View) -> Option<Effect> {
        let (was, now) = (self.view().needs_snapshots(), view.needs_snapshots());
        if view == View::Settings {
            // Filled in afresh each time: what the session trains with now.
            let read_only = self.replay.is_some();
            self.panel = SettingsForm::new(self.settings(), self.session.data(), read_only);
        }
        // Closing a background view pauses its job, unless the user kept it (`k`).
        if let Some(old) = Background::of(self.view())
            && Background::of(view) != Some(old)
        {
            self.background.closed(old);
        }
        let background = Background::of(view);
        if let Some(which) = background
            && !self.background(which).started()
        {
            // On large data the view asks first, showing its estimate.
            let confirm = self.data.x_train.nrows() >= LARGE_DATA;
            let effect = self.lay_out_job(which, confirm);
            if effect.is_some() || confirm {
                self.screen.view = view;
            }
            return effect;
        }
        if let Some(which) = background {
            let paused = self.background.opened(which);
            self.say_paused(paused);
        }
        self.screen.view = view;
        (was != now).then_some(Effect::Send(Command::WatchSnapshots(now)))
    }

    /// Lays out `which`'s runs for the session's settings; unless `confirm`, they start now.
    fn lay_out_job(&mut self, which: Background, confirm: bool) -> Option<Effect> {
        let (contenders, first) = (&self.session.settings().optimizers, self.settings().seed);
        let epochs = self.settings().epochs;
        let paused = self.background.active();
        match (self.background).start(which, contenders, first, (epochs, confirm)) {
            Ok(_) if confirm => None,
            Ok((seeds, rates)) => {
                self.say_paused(paused.filter(|&p| p != which));
                Some(Effect::StartBackground {
                    which,
                    seeds,
                    rates,
                })
            }
            Err(why) => {
                self.notice.set(why);
                None
            }
        }
    }

    /// Says that `paused` gave its core to another job.
    fn say_paused(&mut self, paused: Option<Background>) {
        if let Some(p) = paused {
            let key = p.key();
            self.notice.set(format!(
                "{} paused: one background job at a time ({key} resumes)",
                p.name()
            ));
        }
    }

    /// Enter in a background view: starts a job that waits for a confirm, or one cancelled,
    /// afresh.
    fn start_job(&mut self) -> Option<Effect> {
        let which = Background::of(self.view())?;
        match self.background(which).state {
            JobState::Confirm => {
                let paused = self.background.run(which);
                self.say_paused(paused);
                let job = self.background(which);
                Some(Effect::StartBackground {
                    which,
                    seeds: job.seeds.clone(),
                    rates: job.rates.clone(),
                })
            }
            JobState::Cancelled => self.lay_out_job(which, false),
            _ => None,
        }
    }

    /// `x`: cancels the job in view, else the one running, else one paused.
    fn cancel_job(&mut self) {
        let live = |b: &Background| {
            let job = self.background(*b);
            !job.done() && matches!(job.state, JobState::Running | JobState::Paused)
        };
        let target = (Background::of(self.view()).filter(live))
            .or(self.background.active())
            .or_else(|| Background::ALL.into_iter().find(live));
        self.notice.set(match target {
            Some(which) => {
                self.background.cancel(which);
                let job = self.background(which);
                format!(
                    "{} cancelled after {} of {} runs",
                    which.name(),
                    job.ended(),
                    job.runs
                )
            }
            None => "no background job to cancel".into(),
        });
    }

    /// A key in the settings panel; Enter with every field valid restarts with them (loading
    /// other data first if the data fields changed).
    fn edit_panel(&mut self, edit: FormEdit) -> Option<Effect> {
        match self.panel.edit(edit) {
            settings_form::Outcome::Editing => None,
            settings_form::Outcome::Discarded => {
                self.screen.view = View::Main;
                None
            }
            settings_form::Outcome::Invalid(message) => {
                self.notice.set(message);
                None
            }
            settings_form::Outcome::ReadOnly => {
                self.notice
                    .set("a saved session: its settings are shown, not changed".into());
                None
            }
            settings_form::Outcome::Apply(settings, source) => {
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
        let slot = self.selected;
        let start = self.settings().hyper.lr;
        let history = self.runs().get(slot)?;
        let now = self.asked_lr.current(slot, || history.lr(start));
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
        let slot = self.selected;
        let history = self.runs().get(slot)?;
        let start = self.settings().hyper.lr;
        let now = self.asked_lr.current(slot, || history.lr(start));
        self.set_learning_rate(if up { now * 2.0 } else { now / 2.0 })
    }

    /// Asks for the selected run to train at `lr` from its next epoch, unless it cannot.
    fn set_learning_rate(&mut self, lr: f64) -> Option<Effect> {
        let slot = self.selected;
        let history = self.runs().get(slot)?;
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
        self.asked_lr.ask(slot, lr);
        Some(Effect::Send(Command::SetLearningRate { slot, lr }))
    }

    /// Moves the weights view one page of units on or back, as many units as it shows at the
    /// current size; it stops at the first and last page.
    fn page_weights(&mut self, forward: bool) {
        let units = (self.runs().get(self.selected))
            .and_then(|r| r.snapshot.as_ref())
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
