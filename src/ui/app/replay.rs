//! A saved session (`--open`) as a dashboard: its events replayed into a fresh [`App`], which
//! then keeps the record's own start time, so `e` writes the session it read.

use std::sync::Arc;

use super::{App, RunState};
use crate::data::Dataset;
use crate::engine::Speed;
use crate::export::SessionRecord;
use crate::ui::message::Message;

impl App {
    /// The dashboard of `record` on its `data`, named `name`: nothing trains, and the record
    /// written back out is the one read (its `started_unix` included).
    pub(crate) fn of_record(
        record: &SessionRecord,
        data: Arc<Dataset>,
        name: impl Into<String>,
    ) -> Self {
        let mut app = Self::new(
            record.settings.clone(),
            data,
            record.data.clone(),
            true,
            Speed::Unlimited,
        );
        for event in record.replay() {
            app.update(Message::Session(event));
        }
        app.session.started_at(record.started_unix);
        app.replaying(name)
    }

    /// Shows a saved session named `name`: nothing trains, so nothing that trains is offered.
    pub(crate) fn replaying(mut self, name: impl Into<String>) -> Self {
        self.replay = Some(name.into());
        if self.state == RunState::Running {
            self.state = RunState::Paused;
        }
        self
    }

    /// The saved session's name, when showing one.
    pub(crate) fn replay(&self) -> Option<&str> {
        self.replay.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Event;
    use crate::model::SessionModel;
    use crate::train::Settings;

    #[test]
    fn a_shown_session_exports_with_its_own_start() {
        let settings = Settings {
            epochs: 2,
            ..Settings::default()
        };
        let mut model = SessionModel::new(settings, "embedded");
        model.observe(&Event::Started {
            generation: 1,
            seed: 7,
        });
        let mut record = SessionRecord::of(&model);
        record.started_unix = 1_000_000;
        let app = App::of_record(&record, Arc::new(Dataset::lab()), "saved.json");
        // `e` writes `SessionRecord::of(app.session())`; it once carried the time of opening.
        assert_eq!(SessionRecord::of(app.session()).started_unix, 1_000_000);
        assert_eq!(SessionRecord::of(app.session()), record);
    }
}
