//! The footer's hints: the word each group of keys goes under, and which go first when the
//! footer runs out of room.

/// A footer entry: one or more bindings' keys under one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hint {
    /// Select another run.
    Select,
    /// Pause or resume.
    Pause,
    /// One epoch.
    Step,
    /// Other test digits.
    Digits,
    /// Start again.
    Restart,
    /// The learning rate.
    Lr,
    /// The views.
    Views,
    /// The pace.
    Speed,
    /// The pen.
    Move,
    /// Ink levels.
    Ink,
    /// Blank canvas.
    Clear,
    /// A test image onto the canvas.
    Load,
    /// Pages of units.
    Page,
    /// The help overlay.
    Help,
    /// Leave.
    Quit,
    /// The settings panel.
    Settings,
    /// Every run on shared charts.
    Overlay,
    /// The charts' x range.
    Zoom,
    /// Another row of the panel.
    Field,
    /// A switch of the panel.
    Switch,
    /// Erase in the panel.
    Erase,
    /// Restart with the panel's settings.
    Apply,
    /// Close the panel.
    Discard,
    /// The landscape's start point.
    Start,
    /// Another landscape.
    Function,
    /// The session to a file.
    Export,
    /// Keep a background job running after its view closes.
    Keep,
}

impl Hint {
    /// The word, and a shorter one for a narrow footer.
    pub(crate) fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::Select => ("select", "run"),
            Self::Pause => ("pause", "pause"),
            Self::Step => ("step", "step"),
            Self::Digits => ("digits", "new"),
            Self::Restart => ("restart", "rerun"),
            Self::Lr => ("lr", "lr"),
            Self::Views => ("views", "view"),
            Self::Speed => ("speed", "pace"),
            Self::Move => ("move", "pen"),
            Self::Ink => ("ink", "ink"),
            Self::Clear => ("clear", "clr"),
            Self::Load => ("load", "load"),
            Self::Page => ("page", "page"),
            Self::Help => ("help", "help"),
            Self::Quit => ("quit", "quit"),
            Self::Settings => ("settings", "set"),
            Self::Overlay => ("overlay", "all"),
            Self::Zoom => ("zoom", "zoom"),
            Self::Field => ("field", "row"),
            Self::Switch => ("switch", "on/off"),
            Self::Erase => ("erase", "del"),
            Self::Apply => ("apply", "ok"),
            Self::Discard => ("discard", "back"),
            Self::Start => ("start", "start"),
            Self::Function => ("function", "fn"),
            Self::Export => ("export", "save"),
            Self::Keep => ("keep running", "keep"),
        }
    }

    /// How long it stays when the footer runs out of room.
    pub(crate) fn priority(self) -> Priority {
        match self {
            Self::Help | Self::Quit | Self::Apply | Self::Discard => Priority::Always,
            Self::Views => Priority::Views,
            Self::Pause
            | Self::Move
            | Self::Page
            | Self::Field
            | Self::Switch
            | Self::Erase
            | Self::Start
            | Self::Function
            | Self::Keep => Priority::MainVerb,
            Self::Select | Self::Ink | Self::Clear | Self::Settings | Self::Overlay => {
                Priority::Frequent
            }
            Self::Step | Self::Load => Priority::Occasional,
            Self::Lr | Self::Zoom => Priority::Tuning,
            Self::Speed => Priority::Pace,
            Self::Restart | Self::Export => Priority::Restart,
            Self::Digits => Priority::Cosmetic,
        }
    }
}

/// Which footer hints go first when the footer runs out of room: the lowest, and among equals
/// the rightmost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Priority {
    /// Other test digits: the first to go.
    Cosmetic,
    /// Starting again; writing the session out.
    Restart,
    /// The pace.
    Pace,
    /// The learning rate and the zoom.
    Tuning,
    /// One epoch; a test image onto the canvas.
    Occasional,
    /// Selecting runs, inking, the settings and the overlay.
    Frequent,
    /// What the view is for: pausing, the pen, paging, the panel's rows.
    MainVerb,
    /// The views.
    Views,
    /// Help, quit, and the panel's apply and discard: never go.
    Always,
}
