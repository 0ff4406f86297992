//! The one keymap: dispatch, the footer and the `?` overlay all read [`KEYMAP`], so the help
//! can never disagree with what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{Action, CanvasEdit, View};
use super::landscape::LandscapeEdit;
use super::panel::PanelEdit;

/// Where a binding is active. The canvas of the draw view needs arrows, digits and space for
/// itself, so the browsing keys step aside there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every view.
    Global,
    /// Every view but the draw canvas.
    Browse,
    /// Only the draw canvas.
    Canvas,
    /// Only the weights view.
    Weights,
    /// Only the settings panel, which takes typing for itself (so no other key works there).
    Panel,
    /// Only the landscape view, whose arrows move the start (so the browsing keys step aside).
    Landscape,
}

impl Scope {
    /// Whether this scope's keys work in `view`.
    pub fn active_in(self, view: View) -> bool {
        match self {
            Self::Global => view != View::Settings,
            Self::Browse => !matches!(view, View::Draw | View::Settings | View::Landscape),
            Self::Canvas => view == View::Draw,
            Self::Weights => view == View::Weights,
            Self::Panel => view == View::Settings,
            Self::Landscape => view == View::Landscape,
        }
    }

    /// The help overlay's section title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "everywhere",
            Self::Browse => "dashboard and views",
            Self::Canvas => "draw view",
            Self::Weights => "weights view",
            Self::Panel => "settings panel",
            Self::Landscape => "landscape view",
        }
    }
}

/// One binding: the keys, what they do, how the help names them.
pub struct Binding {
    /// Keys that trigger it.
    pub keys: &'static [KeyCode],
    /// Whether Ctrl must be held (only Ctrl-C).
    pub ctrl: bool,
    /// Where it works.
    pub scope: Scope,
    /// The action.
    pub action: Action,
    /// Key names as the help shows them.
    pub label: &'static str,
    /// What it does, for the help overlay.
    pub help: &'static str,
    /// The footer hint this binding's first key joins, if it earns a place there.
    pub footer: Option<Hint>,
}

/// Every key the dashboard understands.
pub static KEYMAP: &[Binding] = &[
    Binding {
        keys: &[KeyCode::Left, KeyCode::Char('h'), KeyCode::BackTab],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::SelectPrev,
        label: "←/h/⇧Tab",
        help: "select the previous optimizer",
        footer: Some(Hint::Select),
    },
    Binding {
        keys: &[KeyCode::Right, KeyCode::Char('l'), KeyCode::Tab],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::SelectNext,
        label: "→/l/Tab",
        help: "select the next optimizer",
        footer: Some(Hint::Select),
    },
    Binding {
        keys: &[KeyCode::Char('1')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Select(0),
        label: "1–6",
        help: "select run 1–6 (6 is the baseline)",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('2')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Select(1),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('3')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Select(2),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('4')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Select(3),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('5')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Select(4),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('6')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Select(5),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char(' ')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::TogglePause,
        label: "space",
        help: "pause / resume",
        footer: Some(Hint::Pause),
    },
    Binding {
        keys: &[KeyCode::Char('.'), KeyCode::Char('s')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Step,
        label: "./s",
        help: "step one epoch for every run (pauses first)",
        footer: Some(Hint::Step),
    },
    Binding {
        keys: &[KeyCode::Char('n')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::NewDigits,
        label: "n",
        help: "show other random test digits",
        footer: Some(Hint::Digits),
    },
    Binding {
        keys: &[KeyCode::Char('r')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Restart { same_seed: false },
        label: "r R",
        help: "restart with a new random seed / the same seed",
        footer: Some(Hint::Restart),
    },
    Binding {
        keys: &[KeyCode::Char('R')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Restart { same_seed: true },
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('+'), KeyCode::Char('=')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ScaleLearningRate { up: true },
        label: "+ - b",
        help: "double / halve / reset the selected run's (or landscape path's) learning rate",
        footer: Some(Hint::Lr),
    },
    Binding {
        keys: &[KeyCode::Char('-')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ScaleLearningRate { up: false },
        label: "",
        help: "",
        footer: Some(Hint::Lr),
    },
    Binding {
        keys: &[KeyCode::Char('b')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ResetLearningRate,
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('o')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Settings),
        label: "o",
        help: "settings: change any flag and restart with it",
        footer: Some(Hint::Settings),
    },
    Binding {
        keys: &[KeyCode::Char('v')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleOverlay,
        label: "v",
        help: "all runs on one loss and one accuracy chart, or back",
        footer: Some(Hint::Overlay),
    },
    Binding {
        keys: &[KeyCode::Char('z')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::CycleZoom,
        label: "z",
        help: "zoom: all epochs / the latest quarter",
        footer: Some(Hint::Zoom),
    },
    Binding {
        keys: &[KeyCode::Char('c')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Confusion),
        label: "c",
        help: "confusion matrix of the selected run",
        footer: Some(Hint::Views),
    },
    Binding {
        keys: &[KeyCode::Char('w')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Weights),
        label: "w d",
        help: "the selected run's first-layer weights / draw a digit",
        footer: Some(Hint::Views),
    },
    Binding {
        keys: &[KeyCode::Char('d')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Draw),
        // In the help on w's line.
        label: "",
        help: "",
        footer: Some(Hint::Views),
    },
    Binding {
        keys: &[KeyCode::Char('m')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Seeds),
        label: "m g",
        help: "background runs: 10 seeds / a learning-rate sweep",
        footer: Some(Hint::Views),
    },
    Binding {
        keys: &[KeyCode::Char('g')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Sweep),
        // In the help on m's line.
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('t')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Landscape),
        label: "t",
        help: "the optimizers' paths on a 2-D landscape (bowl, Rosenbrock, …)",
        footer: Some(Hint::Views),
    },
    Binding {
        keys: &[KeyCode::Char('e')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::Export,
        label: "e",
        help: "export the session as JSON (path in the status bar)",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('[')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::Slower,
        label: "[ ]",
        help: "slower / faster (1 epoch/s up to unlimited)",
        footer: Some(Hint::Speed),
    },
    Binding {
        keys: &[KeyCode::Char(']')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::Faster,
        label: "",
        help: "",
        footer: Some(Hint::Speed),
    },
    Binding {
        keys: &[KeyCode::Left],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Move { dx: -1, dy: 0 }),
        label: "←↑↓→",
        help: "move the pen",
        footer: Some(Hint::Move),
    },
    Binding {
        keys: &[KeyCode::Right],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Move { dx: 1, dy: 0 }),
        label: "",
        help: "",
        footer: Some(Hint::Move),
    },
    Binding {
        keys: &[KeyCode::Up],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Move { dx: 0, dy: -1 }),
        label: "",
        help: "",
        footer: Some(Hint::Move),
    },
    Binding {
        keys: &[KeyCode::Down],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Move { dx: 0, dy: 1 }),
        label: "",
        help: "",
        footer: Some(Hint::Move),
    },
    Binding {
        keys: &[KeyCode::Char('0')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(0)),
        label: "0–9",
        help: "ink the pixel: 0 blank … 9 black",
        footer: Some(Hint::Ink),
    },
    Binding {
        keys: &[KeyCode::Char('1')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(1)),
        label: "",
        help: "",
        footer: Some(Hint::Ink),
    },
    Binding {
        keys: &[KeyCode::Char('2')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(2)),
        label: "",
        help: "",
        footer: Some(Hint::Ink),
    },
    Binding {
        keys: &[KeyCode::Char('3')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(3)),
        label: "",
        help: "",
        footer: Some(Hint::Ink),
    },
    Binding {
        keys: &[KeyCode::Char('4')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(4)),
        label: "",
        help: "",
        footer: Some(Hint::Ink),
    },
    Binding {
        keys: &[KeyCode::Char('5')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(5)),
        label: "",
        help: "",
        footer: Some(Hint::Ink),
    },
    Binding {
        keys: &[KeyCode::Char('6')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(6)),
        label: "",
        help: "",
        footer: Some(Hint::Ink),
    },
    Binding {
        keys: &[KeyCode::Char('7')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(7)),
        label: "",
        help: "",
        footer: Some(Hint::Ink),
    },
    Binding {
        keys: &[KeyCode::Char('8')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(8)),
        label: "",
        help: "",
        footer: Some(Hint::Ink),
    },
    Binding {
        keys: &[KeyCode::Char('9')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(9)),
        label: "",
        help: "",
        footer: Some(Hint::Ink),
    },
    Binding {
        keys: &[KeyCode::Char(' ')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Toggle),
        label: "space",
        help: "toggle the pixel between blank and black",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Backspace, KeyCode::Delete],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Clear),
        label: "⌫",
        help: "clear the canvas",
        footer: Some(Hint::Clear),
    },
    Binding {
        keys: &[KeyCode::Char('l')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Load),
        label: "l",
        help: "load a random test image to edit",
        footer: Some(Hint::Load),
    },
    Binding {
        keys: &[KeyCode::PageDown],
        ctrl: false,
        scope: Scope::Weights,
        action: Action::WeightsPage { forward: true },
        label: "PgDn PgUp",
        help: "next / previous page of hidden units",
        footer: Some(Hint::Page),
    },
    Binding {
        keys: &[KeyCode::PageUp],
        ctrl: false,
        scope: Scope::Weights,
        action: Action::WeightsPage { forward: false },
        label: "",
        help: "",
        footer: Some(Hint::Page),
    },
    Binding {
        keys: &[KeyCode::Left],
        ctrl: false,
        scope: Scope::Landscape,
        action: Action::Landscape(LandscapeEdit::MoveStart { dx: -1, dy: 0 }),
        label: "←↑↓→",
        help: "move the start (or click the landscape)",
        footer: Some(Hint::Start),
    },
    Binding {
        keys: &[KeyCode::Right],
        ctrl: false,
        scope: Scope::Landscape,
        action: Action::Landscape(LandscapeEdit::MoveStart { dx: 1, dy: 0 }),
        label: "",
        help: "",
        footer: Some(Hint::Start),
    },
    Binding {
        keys: &[KeyCode::Up],
        ctrl: false,
        scope: Scope::Landscape,
        action: Action::Landscape(LandscapeEdit::MoveStart { dx: 0, dy: 1 }),
        label: "",
        help: "",
        footer: Some(Hint::Start),
    },
    Binding {
        keys: &[KeyCode::Down],
        ctrl: false,
        scope: Scope::Landscape,
        action: Action::Landscape(LandscapeEdit::MoveStart { dx: 0, dy: -1 }),
        label: "",
        help: "",
        footer: Some(Hint::Start),
    },
    Binding {
        keys: &[KeyCode::Tab],
        ctrl: false,
        scope: Scope::Landscape,
        action: Action::Landscape(LandscapeEdit::Select { forward: true }),
        label: "Tab ⇧Tab",
        help: "select the next / previous path (its rate: + - b)",
        footer: Some(Hint::Select),
    },
    Binding {
        keys: &[KeyCode::BackTab],
        ctrl: false,
        scope: Scope::Landscape,
        action: Action::Landscape(LandscapeEdit::Select { forward: false }),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('f')],
        ctrl: false,
        scope: Scope::Landscape,
        action: Action::Landscape(LandscapeEdit::Function { forward: true }),
        label: "f F",
        help: "the next / previous function",
        footer: Some(Hint::Function),
    },
    Binding {
        keys: &[KeyCode::Char('F')],
        ctrl: false,
        scope: Scope::Landscape,
        action: Action::Landscape(LandscapeEdit::Function { forward: false }),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('r')],
        ctrl: false,
        scope: Scope::Landscape,
        action: Action::Landscape(LandscapeEdit::Reset),
        label: "r",
        help: "every path back to the start",
        footer: Some(Hint::Restart),
    },
    Binding {
        keys: &[KeyCode::Char(' ')],
        ctrl: false,
        scope: Scope::Landscape,
        action: Action::TogglePause,
        label: "space",
        help: "pause / resume the paths (and training)",
        footer: Some(Hint::Pause),
    },
    Binding {
        keys: &[KeyCode::Char('.'), KeyCode::Char('s')],
        ctrl: false,
        scope: Scope::Landscape,
        action: Action::Step,
        label: "./s",
        help: "one step of every path (and an epoch; pauses first)",
        footer: Some(Hint::Step),
    },
    Binding {
        keys: &[KeyCode::Tab, KeyCode::Down],
        ctrl: false,
        scope: Scope::Panel,
        action: Action::Panel(PanelEdit::Next),
        label: "Tab/↓ ⇧Tab/↑",
        help: "next / previous setting",
        footer: Some(Hint::Field),
    },
    Binding {
        keys: &[KeyCode::BackTab, KeyCode::Up],
        ctrl: false,
        scope: Scope::Panel,
        action: Action::Panel(PanelEdit::Prev),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Left],
        ctrl: false,
        scope: Scope::Panel,
        action: Action::Panel(PanelEdit::Left),
        label: "←/→",
        help: "another optimizer; the other protocol",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Right],
        ctrl: false,
        scope: Scope::Panel,
        action: Action::Panel(PanelEdit::Right),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char(' ')],
        ctrl: false,
        scope: Scope::Panel,
        action: Action::Panel(PanelEdit::Toggle),
        label: "space",
        help: "switch the optimizer or protocol",
        footer: Some(Hint::Switch),
    },
    Binding {
        keys: &[KeyCode::Backspace],
        ctrl: false,
        scope: Scope::Panel,
        action: Action::Panel(PanelEdit::Erase),
        label: "⌫ Del",
        help: "erase a character / the whole value (other keys type)",
        footer: Some(Hint::Erase),
    },
    Binding {
        keys: &[KeyCode::Delete],
        ctrl: false,
        scope: Scope::Panel,
        action: Action::Panel(PanelEdit::Clear),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Enter],
        ctrl: false,
        scope: Scope::Panel,
        action: Action::Panel(PanelEdit::Apply),
        label: "Enter",
        help: "restart with these settings (when all are valid)",
        footer: Some(Hint::Apply),
    },
    Binding {
        keys: &[KeyCode::Esc],
        ctrl: false,
        scope: Scope::Panel,
        action: Action::Panel(PanelEdit::Discard),
        label: "Esc",
        help: "close, changing nothing",
        footer: Some(Hint::Discard),
    },
    Binding {
        keys: &[KeyCode::Char('?')],
        ctrl: false,
        scope: Scope::Panel,
        action: Action::ToggleHelp,
        label: "?",
        help: "show / hide this help",
        footer: Some(Hint::Help),
    },
    Binding {
        keys: &[KeyCode::Char('c')],
        ctrl: true,
        scope: Scope::Panel,
        action: Action::Quit,
        label: "Ctrl-C",
        help: "quit",
        footer: Some(Hint::Quit),
    },
    Binding {
        keys: &[KeyCode::Char('?')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleHelp,
        label: "?",
        help: "show / hide this help",
        footer: Some(Hint::Help),
    },
    Binding {
        keys: &[KeyCode::Esc],
        ctrl: false,
        scope: Scope::Global,
        action: Action::Back,
        label: "Esc",
        help: "close the help or view, or quit",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('q')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::Quit,
        label: "q/Ctrl-C",
        help: "quit",
        footer: Some(Hint::Quit),
    },
    Binding {
        keys: &[KeyCode::Char('c')],
        ctrl: true,
        scope: Scope::Global,
        action: Action::Quit,
        label: "",
        help: "",
        footer: None,
    },
];

/// The action a key press maps to in `view`, if any. Releases and repeats of other kinds are
/// ignored. In the settings panel a character no binding takes is typed into the field.
pub fn action_for(key: &KeyEvent, view: View) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let bound = KEYMAP
        .iter()
        .filter(|b| b.scope.active_in(view))
        .find(|b| b.ctrl == ctrl && b.keys.contains(&key.code))
        .map(|b| b.action.clone());
    match (bound, key.code) {
        (None, KeyCode::Char(c)) if view == View::Settings && !ctrl => {
            Some(Action::Panel(PanelEdit::Type(c)))
        }
        (bound, _) => bound,
    }
}

/// A footer entry: one or more bindings' keys under one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hint {
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
}

impl Hint {
    /// The word, and a shorter one for a narrow footer.
    pub fn words(self) -> (&'static str, &'static str) {
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
        }
    }

    /// How long it stays when the footer runs out of room; `u8::MAX` never goes.
    pub fn keep(self) -> u8 {
        match self {
            Self::Help | Self::Quit | Self::Apply | Self::Discard => u8::MAX,
            Self::Field | Self::Switch | Self::Erase => 8,
            Self::Settings | Self::Overlay => 7,
            Self::Zoom => 5,
            Self::Pause | Self::Move | Self::Page | Self::Start | Self::Function => 8,
            Self::Select | Self::Ink => 7,
            Self::Views => 9,
            Self::Clear => 7,
            Self::Step | Self::Load => 6,
            Self::Lr => 5,
            Self::Speed => 4,
            Self::Restart => 3,
            Self::Digits => 2,
        }
    }
}

/// A footer entry as shown: the keys (each drawn as a key) and its hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FooterHint {
    /// Key names, in keymap order; a run of digits is one `0–9`.
    pub keys: Vec<String>,
    /// What they do.
    pub hint: Hint,
}

/// Footer entries for `view`, the view's own keys first: every binding active there with a
/// [`Hint`], grouped by hint, each named by its first key.
pub fn footer_hints(view: View, live: bool) -> Vec<FooterHint> {
    let offered = |b: &&Binding| live || !b.action.needs_session();
    let own = (KEYMAP.iter())
        .filter(|b| b.scope.active_in(view) && b.scope != Scope::Global)
        .filter(offered);
    let global = (KEYMAP.iter())
        .filter(|b| b.scope == Scope::Global && b.scope.active_in(view))
        .filter(offered);
    let mut out: Vec<FooterHint> = Vec::new();
    for b in own.chain(global) {
        let (Some(hint), Some(&key)) = (b.footer, b.keys.first()) else {
            continue;
        };
        let name = key_name(key, b.ctrl);
        match out.iter_mut().find(|h| h.hint == hint) {
            Some(h) if !h.keys.contains(&name) => h.keys.push(name),
            Some(_) => {}
            None => out.push(FooterHint {
                keys: vec![name],
                hint,
            }),
        }
    }
    for h in &mut out {
        let digits = h
            .keys
            .iter()
            .all(|k| k.len() == 1 && k.as_bytes()[0].is_ascii_digit());
        if digits && h.keys.len() > 2 {
            let range = format!("{}–{}", h.keys[0], h.keys[h.keys.len() - 1]);
            h.keys = vec![range];
        }
    }
    out
}

/// How a key is written on screen.
pub fn key_name(key: KeyCode, ctrl: bool) -> String {
    let name = match key {
        KeyCode::Left => "←".to_owned(),
        KeyCode::Right => "→".to_owned(),
        KeyCode::Up => "↑".to_owned(),
        KeyCode::Down => "↓".to_owned(),
        KeyCode::Tab => "Tab".to_owned(),
        KeyCode::BackTab => "⇧Tab".to_owned(),
        KeyCode::Backspace => "⌫".to_owned(),
        KeyCode::Delete => "Del".to_owned(),
        KeyCode::Esc => "Esc".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        KeyCode::Char(' ') => "space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        other => format!("{other:?}"),
    };
    if ctrl {
        format!("Ctrl-{}", name.to_uppercase())
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    // `Action` carries session events, which have no equality; their Debug text does.
    #[test]
    fn keys_map_to_actions_and_ctrl_c_quits() {
        assert_eq!(
            format!(
                "{:?}",
                action_for(&press(KeyCode::Right, KeyModifiers::NONE), View::Main)
            ),
            format!("{:?}", Some(Action::SelectNext))
        );
        assert_eq!(
            format!(
                "{:?}",
                action_for(
                    &press(KeyCode::Char('c'), KeyModifiers::CONTROL),
                    View::Main
                )
            ),
            format!("{:?}", Some(Action::Quit))
        );
        assert_eq!(
            format!(
                "{:?}",
                action_for(&press(KeyCode::Char('c'), KeyModifiers::NONE), View::Main)
            ),
            format!("{:?}", Some(Action::ToggleView(View::Confusion)))
        );
        // On the canvas the arrows move the pen instead of switching runs.
        assert_eq!(
            format!(
                "{:?}",
                action_for(&press(KeyCode::Right, KeyModifiers::NONE), View::Draw)
            ),
            format!(
                "{:?}",
                Some(Action::Canvas(CanvasEdit::Move { dx: 1, dy: 0 }))
            )
        );
        assert_eq!(
            format!(
                "{:?}",
                action_for(&press(KeyCode::Char('7'), KeyModifiers::NONE), View::Draw)
            ),
            format!("{:?}", Some(Action::Canvas(CanvasEdit::Ink(7))))
        );
        assert_eq!(
            format!(
                "{:?}",
                action_for(&press(KeyCode::Char('R'), KeyModifiers::SHIFT), View::Main)
            ),
            format!("{:?}", Some(Action::Restart { same_seed: true }))
        );
    }

    const ALL_VIEWS: [View; 8] = [
        View::Main,
        View::Confusion,
        View::Weights,
        View::Draw,
        View::Seeds,
        View::Sweep,
        View::Settings,
        View::Landscape,
    ];

    #[test]
    fn grouped_footer_entries_carry_every_key() {
        let main = footer_hints(View::Main, true);
        let keys = |hint| {
            (main.iter().find(|h| h.hint == hint))
                .map(|h| h.keys.join(" "))
                .unwrap_or_default()
        };
        assert_eq!(keys(Hint::Select), "← →");
        assert_eq!(keys(Hint::Speed), "[ ]");
        assert_eq!(keys(Hint::Lr), "+ -");
        assert_eq!(keys(Hint::Views), "c w d m t");
        let draw = footer_hints(View::Draw, true);
        assert_eq!(draw[0].keys, ["←", "→", "↑", "↓"]);
        assert_eq!(draw[1].keys, ["0–9"]);
        let weights = footer_hints(View::Weights, true);
        assert!(weights.iter().any(|h| h.keys == ["PgDn", "PgUp"]));
        // Every key the footer names is bound in that view.
        for view in ALL_VIEWS {
            for h in footer_hints(view, true) {
                assert!(h.hint.keep() > 0 && !h.keys.is_empty(), "{view:?}");
            }
        }
    }

    #[test]
    fn a_saved_session_offers_nothing_that_trains() {
        let replay = footer_hints(View::Main, false);
        let hints: Vec<Hint> = replay.iter().map(|h| h.hint).collect();
        for gone in [
            Hint::Pause,
            Hint::Step,
            Hint::Restart,
            Hint::Lr,
            Hint::Speed,
        ] {
            assert!(!hints.contains(&gone), "{gone:?} in {hints:?}");
        }
        let views = replay.iter().find(|h| h.hint == Hint::Views);
        assert_eq!(views.map(|h| h.keys.join(" ")).as_deref(), Some("c t"));
    }

    #[test]
    fn releases_are_ignored() {
        let mut e = press(KeyCode::Char('q'), KeyModifiers::NONE);
        e.kind = KeyEventKind::Release;
        assert!(action_for(&e, View::Main).is_none());
    }

    #[test]
    fn no_key_is_bound_twice_in_any_view() {
        for view in ALL_VIEWS {
            let mut seen = Vec::new();
            for b in KEYMAP.iter().filter(|b| b.scope.active_in(view)) {
                for k in b.keys {
                    assert!(
                        !seen.contains(&(k, b.ctrl)),
                        "{k:?} bound twice in {view:?}"
                    );
                    seen.push((k, b.ctrl));
                }
            }
        }
    }

    #[test]
    fn the_panel_takes_typing_and_only_its_own_keys() {
        let key = |c| action_for(&press(KeyCode::Char(c), KeyModifiers::NONE), View::Settings);
        for c in ['q', '0', '.', 'c', '/'] {
            assert_eq!(
                format!("{:?}", key(c)),
                format!("{:?}", Some(Action::Panel(PanelEdit::Type(c))))
            );
        }
        assert_eq!(
            format!("{:?}", key(' ')),
            format!("{:?}", Some(Action::Panel(PanelEdit::Toggle)))
        );
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            format!("{:?}", action_for(&ctrl_c, View::Settings)),
            format!("{:?}", Some(Action::Quit))
        );
        let footer = footer_hints(View::Settings, true);
        assert!(
            footer
                .iter()
                .all(|h| !matches!(h.hint, Hint::Views | Hint::Lr))
        );
        assert!(
            footer
                .iter()
                .any(|h| h.hint == Hint::Apply && h.keys == ["Enter"])
        );
    }
}
