//! A new generation: what the app forgets when the session restarts, by a replay's new seed or
//! with the settings panel's changes ([`App::reconfigure`](super::App)).

use std::time::Duration;

use crate::ui::background::Backgrounds;
use crate::ui::view::View;

use super::App;

impl App {
    /// Forgets everything that belonged to the old seed: histories, the seeds view, notices,
    /// the clock and the rates asked for.
    pub(super) fn restart(&mut self, seed: u32) {
        self.session.restarting(seed);
        self.forget_generation();
    }

    /// What a new generation starts without: the seeds view, notices, the clock, the rates
    /// asked for and the pace samples.
    pub(super) fn forget_generation(&mut self) {
        self.background = Backgrounds::default();
        if matches!(self.view(), View::Seeds | View::Sweep) {
            self.screen.view = View::Main;
        }
        self.notice.clear();
        self.clock.1 = Duration::ZERO;
        self.asked_lr.forget();
        self.confusion.iter_mut().for_each(|c| *c = None);
        self.pace.clear();
    }
}
