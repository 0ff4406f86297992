//! The status bar's notice: one line answering the last key (or an export, a load), shown
//! for [`NOTICE_FOR`] and then gone, so an old answer never reads as the state of now.

use std::time::Duration;

/// How long a notice stays on the status bar.
pub(crate) const NOTICE_FOR: Duration = Duration::from_secs(6);

/// The notice on show, if any, and the dashboard time it was set at.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Notice {
    text: Option<String>,
    since: Duration,
    now: Duration,
}

impl Notice {
    /// Shows `text` from now on, for [`NOTICE_FOR`].
    pub(crate) fn set(&mut self, text: String) {
        self.text = Some(text);
        self.since = self.now;
    }

    /// Takes the notice down (a new generation starts without one).
    pub(crate) fn clear(&mut self) {
        self.text = None;
    }

    /// The dashboard's time is `now`: a notice shown for [`NOTICE_FOR`] goes.
    pub(crate) fn tick(&mut self, now: Duration) {
        self.now = now;
        if now.saturating_sub(self.since) >= NOTICE_FOR {
            self.text = None;
        }
    }

    /// The text on show.
    pub(crate) fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_goes_after_its_time_counted_from_when_it_was_set() {
        let mut notice = Notice::default();
        notice.tick(Duration::from_secs(100));
        notice.set("saved".into());
        notice.tick(Duration::from_secs(105));
        assert_eq!(notice.text(), Some("saved"));
        notice.tick(Duration::from_secs(106));
        assert_eq!(notice.text(), None);
    }
}
