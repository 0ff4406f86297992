//! What a key means: the dashboard's intents. The keymap stores only these (small, `Copy`,
//! comparable), apart from the [`super::app::Message`]s that also carry data into
//! [`super::app::App::update`].

use super::canvas::CanvasEdit;
use super::landscape::LandscapeEdit;
use super::settings_form::FormEdit;
use super::view::View;

/// What a key (or the help's footer) asks the dashboard to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Intent {
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
    /// The weights view's next (`forward`) or previous page of hidden units.
    WeightsPage {
        /// Next rather than previous.
        forward: bool,
    },
    /// A key in the settings panel.
    SettingsForm(FormEdit),
    /// Every run's curves on shared charts in the detail area, or the selected run again.
    ToggleOverlay,
    /// The next x range of the charts (see [`Zoom`]).
    CycleZoom,
    /// The selected run's learning rate back to the one it started with.
    ResetLearningRate,
    /// A key of the landscape view.
    Landscape(LandscapeEdit),
    /// Stop the background job for good (the one in view, else the one running).
    CancelJob,
    /// Close a background view with its job still running (closing otherwise pauses it).
    KeepJob,
    /// Start the background job that waits for a confirm (large data), or again after `x`.
    StartJob,
}

impl Intent {
    /// Whether this action needs a live training session (or its networks' weights): a saved
    /// session (`--open`) refuses these, and its footer and help leave them out.
    pub(crate) fn needs_session(&self) -> bool {
        match self {
            Self::Restart { .. }
            | Self::Step
            | Self::TogglePause
            | Self::ScaleLearningRate { .. }
            | Self::ResetLearningRate
            | Self::Slower
            | Self::Faster
            | Self::CancelJob
            | Self::KeepJob
            | Self::StartJob => true,
            // Layer health only where it was computed: a saved session may offer it
            // ([`App::offers`](super::app::App::offers)).
            Self::ToggleView(view) => {
                matches!(view, View::Seeds | View::Sweep | View::Health) || view.needs_snapshots()
            }
            _ => false,
        }
    }
}
