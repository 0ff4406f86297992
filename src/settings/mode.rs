//! The modes the program runs in and which settings each takes, so that one check
//! ([`super::flags::check_mode`]) refuses by name a flag typed where it would be ignored:
//! `--paused` with `--headless`, `--lr` to `plot` or `sweep`.

use super::Scope;

/// What one invocation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Training live in the terminal.
    Dashboard,
    /// Training printed as JSON lines (`--headless`, or stdout not a terminal).
    Headless,
    /// A saved session (`--open`), shown or printed.
    Open,
    /// `compare`.
    Compare,
    /// `sweep`.
    Sweep,
    /// `bench`.
    Bench,
    /// `landscape`: update rules on 2-D functions, no network.
    Landscape,
    /// `plot`: draws a saved file.
    Plot,
    /// `merge`: adds up saved parts.
    Merge,
    /// `completions` and `man`.
    Shell,
}

impl Mode {
    /// Completes "`--flag` does not apply …".
    pub(crate) fn context(self) -> &'static str {
        match self {
            Self::Dashboard => "to the dashboard (it is for --headless)",
            Self::Headless => "to a headless run (--headless, or stdout not a terminal)",
            Self::Open => "with --open: the saved session was trained already",
            Self::Compare => "to compare",
            Self::Sweep => "to sweep",
            Self::Bench => "to bench",
            Self::Landscape => "to landscape",
            Self::Plot => "to plot: it draws what the file holds",
            Self::Merge => "to merge: it adds up what the parts hold",
            Self::Shell => "to completions or man",
        }
    }

    /// Whether this mode trains the lab's network (and so takes every training setting).
    fn trains(self) -> bool {
        matches!(
            self,
            Self::Dashboard | Self::Headless | Self::Compare | Self::Sweep | Self::Bench
        )
    }
}

impl Scope {
    /// Whether a setting of this scope means something in `mode`.
    pub(crate) fn applies(self, mode: Mode) -> bool {
        match self {
            Self::Training => mode.trains(),
            Self::Update => mode.trains() || mode == Mode::Landscape,
            Self::Rate => (mode.trains() && mode != Mode::Sweep) || mode == Mode::Landscape,
            Self::Dashboard => mode == Mode::Dashboard,
            Self::Look => matches!(mode, Mode::Dashboard | Mode::Open),
        }
    }

    /// Whether the setting shapes training: the settings panel's rows, the equivalent command
    /// line, a restart's changes.
    pub(crate) fn shapes_training(self) -> bool {
        matches!(self, Self::Training | Self::Update | Self::Rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{Setting, TABLE};

    fn applies(name: &str, mode: Mode) -> bool {
        Setting::named(name).is_some_and(|row| row.scope.applies(mode))
    }

    #[test]
    fn each_mode_takes_what_it_uses() {
        assert!(TABLE.iter().all(|row| !row.scope.applies(Mode::Plot)));
        assert!(TABLE.iter().all(|row| !row.scope.applies(Mode::Merge)));
        assert!(applies("lr", Mode::Compare) && !applies("lr", Mode::Sweep));
        assert!(applies("lr", Mode::Landscape) && applies("beta1", Mode::Landscape));
        assert!(!applies("epochs", Mode::Landscape) && applies("epochs", Mode::Bench));
        assert!(applies("paused", Mode::Dashboard) && !applies("paused", Mode::Headless));
        assert!(applies("ascii", Mode::Open) && !applies("ascii", Mode::Headless));
        assert!(!applies("seed", Mode::Open));
    }
}
