//! What a session event means for the dashboard beyond the runs' histories: a restart it did
//! not ask for, a rate confirmed, the end, an epoch's cost and its confusion.

use crate::engine::Event;
use crate::ui::confusion::Confusion;

use super::{App, RunState};

impl App {
    /// Adds a session event to the model, and follows what it means for the view.
    pub(super) fn observe(&mut self, event: &Event) {
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
            Event::LearningRate { slot, lr, .. } => {
                // Confirmed: the next press builds on the rate in force.
                self.asked_lr.confirm(*slot, *lr);
            }
            Event::Finished { .. } => self.state = RunState::Finished,
            Event::Epoch { slot, report, .. } => {
                let lab =
                    (self.runs().get(*slot)).is_some_and(|r| r.contender.optimizer().is_some());
                if lab {
                    self.background.epoch_took(report.wall);
                }
                let predictions =
                    (self.session.runs().get(*slot)).and_then(|r| r.predictions.as_ref());
                if let Some(confusion) = self.confusion.get_mut(*slot) {
                    *confusion =
                        predictions.map(|p| Confusion::of(report.epoch, p, &self.data.y_test));
                }
            }
            _ => {}
        }
    }
}
