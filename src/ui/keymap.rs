//! The one keymap: dispatch, the footer and the `?` overlay all read [`KEYMAP`], so the help
//! can never disagree with what the keys do.

use ratatui::crossterm::event::KeyCode::{
    BackTab, Backspace, Char, Delete, Down, Enter, Esc, Left, PageDown, PageUp, Right, Tab, Up,
};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use Hint::*;
use Scope::*;

use super::canvas::CanvasEdit;
use super::intent::Intent;
use super::landscape::LandscapeEdit;
use super::panel::PanelEdit;
use super::view::View;

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

/// One binding: the keys, what they mean, where, the help line and the footer hint.
pub struct Binding {
    /// Keys that trigger it.
    pub keys: &'static [KeyCode],
    /// Whether Ctrl must be held (only Ctrl-C).
    pub ctrl: bool,
    /// Where it works.
    pub scope: Scope,
    /// What the keys mean.
    pub intent: Intent,
    /// What it does, for the help overlay; empty: it shares the line of the binding above,
    /// whose keys the line names with its own.
    pub help: &'static str,
    /// The footer hint this binding's first key joins, if it earns a place there.
    pub footer: Option<Hint>,
}

/// A binding without Ctrl.
const fn key(
    keys: &'static [KeyCode],
    scope: Scope,
    intent: Intent,
    help: &'static str,
    footer: Option<Hint>,
) -> Binding {
    Binding {
        keys,
        ctrl: false,
        scope,
        intent,
        help,
        footer,
    }
}

/// `binding`, with Ctrl held.
const fn ctrl(binding: Binding) -> Binding {
    Binding {
        ctrl: true,
        ..binding
    }
}

/// Every key the dashboard understands, one binding a line; a binding without help shares
/// the help line above it.
#[rustfmt::skip]
pub static KEYMAP: &[Binding] = &[
    key(&[Left, Char('h'), BackTab], Browse, Intent::SelectPrev, "select the previous optimizer", Some(Select)),
    key(&[Right, Char('l'), Tab], Browse, Intent::SelectNext, "select the next optimizer", Some(Select)),
    key(&[Char('1')], Browse, Intent::Select(0), "select a run by its number", None),
    key(&[Char('2')], Browse, Intent::Select(1), "", None),
    key(&[Char('3')], Browse, Intent::Select(2), "", None),
    key(&[Char('4')], Browse, Intent::Select(3), "", None),
    key(&[Char('5')], Browse, Intent::Select(4), "", None),
    key(&[Char('6')], Browse, Intent::Select(5), "", None),
    key(&[Char(' ')], Browse, Intent::TogglePause, "pause / resume", Some(Pause)),
    key(&[Char('.'), Char('s')], Browse, Intent::Step, "step one epoch for every run (pauses first)", Some(Step)),
    key(&[Char('n')], Browse, Intent::NewDigits, "show other random test digits", Some(Digits)),
    key(&[Char('r')], Browse, Intent::Restart { same_seed: false }, "restart with a new random seed / the same seed", Some(Restart)),
    key(&[Char('R')], Browse, Intent::Restart { same_seed: true }, "", None),
    key(&[Char('+'), Char('=')], Global, Intent::ScaleLearningRate { up: true }, "double / halve / reset the selected run's (or landscape path's) learning rate", Some(Lr)),
    key(&[Char('-')], Global, Intent::ScaleLearningRate { up: false }, "", Some(Lr)),
    key(&[Char('b')], Global, Intent::ResetLearningRate, "", None),
    key(&[Char('o')], Global, Intent::ToggleView(View::Settings), "settings: change any flag and restart with it", Some(Settings)),
    key(&[Char('v')], Global, Intent::ToggleOverlay, "all runs on one loss and one accuracy chart, or back", Some(Overlay)),
    key(&[Char('z')], Global, Intent::CycleZoom, "zoom: all epochs / the latest quarter", Some(Zoom)),
    key(&[Char('c')], Global, Intent::ToggleView(View::Confusion), "the selected run's confusion matrix / hidden layers' health", Some(Views)),
    key(&[Char('i')], Global, Intent::ToggleView(View::Health), "", Some(Views)),
    key(&[Char('w')], Global, Intent::ToggleView(View::Weights), "the selected run's first-layer weights / draw a digit", Some(Views)),
    key(&[Char('d')], Global, Intent::ToggleView(View::Draw), "", Some(Views)),
    key(&[Char('m')], Global, Intent::ToggleView(View::Seeds), "background runs: many seeds / a learning-rate sweep", Some(Views)),
    key(&[Char('g')], Global, Intent::ToggleView(View::Sweep), "", None),
    key(&[Char('t')], Global, Intent::ToggleView(View::Landscape), "the optimizers' paths on a 2-D landscape (bowl, Rosenbrock, …)", Some(Views)),
    key(&[Char('e')], Global, Intent::Export, "export the session as JSON (path in the status bar)", None),
    key(&[Char('[')], Global, Intent::Slower, "slower / faster (1 epoch/s up to unlimited)", Some(Speed)),
    key(&[Char(']')], Global, Intent::Faster, "", Some(Speed)),
    key(&[Left], Canvas, Intent::Canvas(CanvasEdit::Move { dx: -1, dy: 0 }), "move the pen", Some(Move)),
    key(&[Right], Canvas, Intent::Canvas(CanvasEdit::Move { dx: 1, dy: 0 }), "", Some(Move)),
    key(&[Up], Canvas, Intent::Canvas(CanvasEdit::Move { dx: 0, dy: -1 }), "", Some(Move)),
    key(&[Down], Canvas, Intent::Canvas(CanvasEdit::Move { dx: 0, dy: 1 }), "", Some(Move)),
    key(&[Char('0')], Canvas, Intent::Canvas(CanvasEdit::Ink(0)), "ink the pixel: 0 blank … 9 black", Some(Ink)),
    key(&[Char('1')], Canvas, Intent::Canvas(CanvasEdit::Ink(1)), "", Some(Ink)),
    key(&[Char('2')], Canvas, Intent::Canvas(CanvasEdit::Ink(2)), "", Some(Ink)),
    key(&[Char('3')], Canvas, Intent::Canvas(CanvasEdit::Ink(3)), "", Some(Ink)),
    key(&[Char('4')], Canvas, Intent::Canvas(CanvasEdit::Ink(4)), "", Some(Ink)),
    key(&[Char('5')], Canvas, Intent::Canvas(CanvasEdit::Ink(5)), "", Some(Ink)),
    key(&[Char('6')], Canvas, Intent::Canvas(CanvasEdit::Ink(6)), "", Some(Ink)),
    key(&[Char('7')], Canvas, Intent::Canvas(CanvasEdit::Ink(7)), "", Some(Ink)),
    key(&[Char('8')], Canvas, Intent::Canvas(CanvasEdit::Ink(8)), "", Some(Ink)),
    key(&[Char('9')], Canvas, Intent::Canvas(CanvasEdit::Ink(9)), "", Some(Ink)),
    key(&[Char(' ')], Canvas, Intent::Canvas(CanvasEdit::Toggle), "toggle the pixel between blank and black", None),
    key(&[Backspace, Delete], Canvas, Intent::Canvas(CanvasEdit::Clear), "clear the canvas", Some(Clear)),
    key(&[Char('l')], Canvas, Intent::Canvas(CanvasEdit::Load), "load a random test image to edit", Some(Load)),
    key(&[PageDown], Weights, Intent::WeightsPage { forward: true }, "next / previous page of hidden units", Some(Page)),
    key(&[PageUp], Weights, Intent::WeightsPage { forward: false }, "", Some(Page)),
    key(&[Left], Landscape, Intent::Landscape(LandscapeEdit::MoveStart { dx: -1, dy: 0 }), "move the start (or click the landscape)", Some(Start)),
    key(&[Right], Landscape, Intent::Landscape(LandscapeEdit::MoveStart { dx: 1, dy: 0 }), "", Some(Start)),
    key(&[Up], Landscape, Intent::Landscape(LandscapeEdit::MoveStart { dx: 0, dy: 1 }), "", Some(Start)),
    key(&[Down], Landscape, Intent::Landscape(LandscapeEdit::MoveStart { dx: 0, dy: -1 }), "", Some(Start)),
    key(&[Tab], Landscape, Intent::Landscape(LandscapeEdit::Select { forward: true }), "select the next / previous path (its rate: + - b)", Some(Select)),
    key(&[BackTab], Landscape, Intent::Landscape(LandscapeEdit::Select { forward: false }), "", None),
    key(&[Char('f')], Landscape, Intent::Landscape(LandscapeEdit::Function { forward: true }), "the next / previous function", Some(Function)),
    key(&[Char('F')], Landscape, Intent::Landscape(LandscapeEdit::Function { forward: false }), "", None),
    key(&[Char('r')], Landscape, Intent::Landscape(LandscapeEdit::Reset), "every path back to the start", Some(Restart)),
    key(&[Char(' ')], Landscape, Intent::TogglePause, "pause / resume the paths (and training)", Some(Pause)),
    key(&[Char('.'), Char('s')], Landscape, Intent::Step, "one step of every path (and an epoch; pauses first)", Some(Step)),
    key(&[Tab, Down], Panel, Intent::Panel(PanelEdit::Next), "next / previous setting", Some(Field)),
    key(&[BackTab, Up], Panel, Intent::Panel(PanelEdit::Prev), "", None),
    key(&[Left], Panel, Intent::Panel(PanelEdit::Left), "another optimizer; the other protocol", None),
    key(&[Right], Panel, Intent::Panel(PanelEdit::Right), "", None),
    key(&[Char(' ')], Panel, Intent::Panel(PanelEdit::Toggle), "switch the optimizer or protocol", Some(Switch)),
    key(&[Backspace], Panel, Intent::Panel(PanelEdit::Erase), "erase a character / the whole value (other keys type)", Some(Erase)),
    key(&[Delete], Panel, Intent::Panel(PanelEdit::Clear), "", None),
    key(&[Enter], Panel, Intent::Panel(PanelEdit::Apply), "restart with these settings (when all are valid)", Some(Apply)),
    key(&[Esc], Panel, Intent::Panel(PanelEdit::Discard), "close, changing nothing", Some(Discard)),
    key(&[Char('?')], Panel, Intent::ToggleHelp, "show / hide this help", Some(Help)),
    ctrl(key(&[Char('c')], Panel, Intent::Quit, "quit", Some(Quit))),
    key(&[Char('?')], Global, Intent::ToggleHelp, "show / hide this help", Some(Help)),
    key(&[Esc], Global, Intent::Back, "close the help or view, or quit", None),
    key(&[Char('q')], Global, Intent::Quit, "quit", Some(Quit)),
    ctrl(key(&[Char('c')], Global, Intent::Quit, "", None)),
];

/// The intent a key press maps to in `view`, if any. Releases and repeats of other kinds are
/// ignored. In the settings panel a character no binding takes is typed into the field.
pub fn intent_for(key: &KeyEvent, view: View) -> Option<Intent> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let bound = KEYMAP
        .iter()
        .filter(|b| b.scope.active_in(view))
        .find(|b| b.ctrl == ctrl && b.keys.contains(&key.code))
        .map(|b| b.intent);
    match (bound, key.code) {
        (None, KeyCode::Char(c)) if view == View::Settings && !ctrl => {
            Some(Intent::Panel(PanelEdit::Type(c)))
        }
        (bound, _) => bound,
    }
}

/// The help overlay's lines for `scope`: each binding with help, named by its keys and those
/// of the bindings after it that share its line. Only what works is listed: with `runs`
/// runs, the number keys of those runs; only what `offered` says works (a saved session
/// offers nothing that trains).
pub fn help_lines(
    scope: Scope,
    runs: usize,
    offered: impl Fn(Intent) -> bool,
) -> Vec<(String, &'static str)> {
    let works = |b: &Binding| {
        let present = !matches!(b.intent, Intent::Select(i) if i >= runs);
        b.scope == scope && present && offered(b.intent)
    };
    let mut lines: Vec<(Vec<String>, &'static str)> = Vec::new();
    for (i, b) in KEYMAP.iter().enumerate() {
        // A continuation belongs to the line of the nearest binding above with help.
        let owner = (KEYMAP[..=i].iter()).rposition(|o| !o.help.is_empty());
        let keys = (b.keys.iter()).map(|&k| key_name(k, b.ctrl));
        let keys = keys.collect::<Vec<_>>().join("/");
        match (works(b), owner) {
            (false, _) | (_, None) => {}
            (true, Some(o)) if o == i => lines.push((vec![keys], b.help)),
            (true, Some(o)) => {
                if let Some(line) = lines.last_mut().filter(|l| l.1 == KEYMAP[o].help) {
                    line.0.push(keys);
                }
            }
        }
    }
    (lines.into_iter())
        .map(|(keys, help)| (digit_range(&keys).unwrap_or_else(|| keys.join(" ")), help))
        .collect()
}

/// Three or more single digits as `first–last`.
fn digit_range(keys: &[String]) -> Option<String> {
    let digit = |k: &String| k.len() == 1 && k.as_bytes()[0].is_ascii_digit();
    (keys.len() > 2 && keys.iter().all(digit))
        .then(|| format!("{}–{}", keys[0], keys[keys.len() - 1]))
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

    /// How long it stays when the footer runs out of room.
    pub fn priority(self) -> Priority {
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
            | Self::Function => Priority::MainVerb,
            Self::Select | Self::Ink | Self::Clear | Self::Settings | Self::Overlay => {
                Priority::Frequent
            }
            Self::Step | Self::Load => Priority::Occasional,
            Self::Lr | Self::Zoom => Priority::Tuning,
            Self::Speed => Priority::Pace,
            Self::Restart => Priority::Restart,
            Self::Digits => Priority::Cosmetic,
        }
    }
}

/// Which footer hints go first when the footer runs out of room: the lowest, and among equals
/// the rightmost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// Other test digits: the first to go.
    Cosmetic,
    /// Starting again.
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

/// A footer entry as shown: the keys (each drawn as a key) and its hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FooterHint {
    /// Key names, in keymap order; a run of digits is one `0–9`.
    pub keys: Vec<String>,
    /// What they do.
    pub hint: Hint,
}

/// Footer entries for `view`, the view's own keys first: every binding active there with a
/// [`Hint`] whose intent `offered` accepts, grouped by hint, each named by its first key.
pub fn footer_hints(view: View, offered: impl Fn(Intent) -> bool) -> Vec<FooterHint> {
    let offered = |b: &&Binding| offered(b.intent);
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
        if let Some(range) = digit_range(&h.keys) {
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

    #[test]
    fn keys_map_to_intents_and_ctrl_c_quits() {
        assert_eq!(
            (intent_for(&press(KeyCode::Right, KeyModifiers::NONE), View::Main)),
            (Some(Intent::SelectNext))
        );
        assert_eq!(
            (intent_for(
                &press(KeyCode::Char('c'), KeyModifiers::CONTROL),
                View::Main
            )),
            (Some(Intent::Quit))
        );
        assert_eq!(
            (intent_for(&press(KeyCode::Char('c'), KeyModifiers::NONE), View::Main)),
            (Some(Intent::ToggleView(View::Confusion)))
        );
        // On the canvas the arrows move the pen instead of switching runs.
        assert_eq!(
            (intent_for(&press(KeyCode::Right, KeyModifiers::NONE), View::Draw)),
            (Some(Intent::Canvas(CanvasEdit::Move { dx: 1, dy: 0 })))
        );
        assert_eq!(
            (intent_for(&press(KeyCode::Char('7'), KeyModifiers::NONE), View::Draw)),
            (Some(Intent::Canvas(CanvasEdit::Ink(7))))
        );
        assert_eq!(
            (intent_for(&press(KeyCode::Char('R'), KeyModifiers::SHIFT), View::Main)),
            (Some(Intent::Restart { same_seed: true }))
        );
    }

    const ALL_VIEWS: [View; 9] = [
        View::Main,
        View::Health,
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
        let main = footer_hints(View::Main, |_| true);
        let keys = |hint| {
            (main.iter().find(|h| h.hint == hint))
                .map(|h| h.keys.join(" "))
                .unwrap_or_default()
        };
        assert_eq!(keys(Hint::Select), "← →");
        assert_eq!(keys(Hint::Speed), "[ ]");
        assert_eq!(keys(Hint::Lr), "+ -");
        assert_eq!(keys(Hint::Views), "c i w d m t");
        let draw = footer_hints(View::Draw, |_| true);
        assert_eq!(draw[0].keys, ["←", "→", "↑", "↓"]);
        assert_eq!(draw[1].keys, ["0–9"]);
        let weights = footer_hints(View::Weights, |_| true);
        assert!(weights.iter().any(|h| h.keys == ["PgDn", "PgUp"]));
        // Every key the footer names is bound in that view.
        for view in ALL_VIEWS {
            let bound: Vec<String> = (KEYMAP.iter())
                .filter(|b| b.scope.active_in(view))
                .flat_map(|b| b.keys.iter().map(|&k| key_name(k, b.ctrl)))
                .collect();
            for h in footer_hints(view, |_| true) {
                assert!(!h.keys.is_empty(), "{view:?}: {h:?}");
                for name in &h.keys {
                    let ends = name
                        .split_once('–')
                        .map_or((&name[..], &name[..]), |(a, b)| (a, b));
                    assert!(
                        bound.iter().any(|b| b == ends.0) && bound.iter().any(|b| b == ends.1),
                        "{view:?}: {name} is not bound"
                    );
                }
            }
        }
    }

    #[test]
    fn a_saved_session_offers_nothing_that_trains() {
        let replay = footer_hints(View::Main, |i: Intent| !i.needs_session());
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
    fn help_lines_name_their_keys_and_only_the_runs_present() {
        let browse = |runs, live: bool| {
            help_lines(Scope::Browse, runs, |i: Intent| live || !i.needs_session())
        };
        let select = |lines: Vec<(String, &str)>| {
            (lines.into_iter()).find_map(|(k, h)| (h == "select a run by its number").then_some(k))
        };
        assert_eq!(select(browse(6, true)).as_deref(), Some("1–6"));
        assert_eq!(select(browse(2, true)).as_deref(), Some("1 2"));
        assert_eq!(select(browse(0, true)), None);
        let lines = browse(6, true);
        assert!(lines.contains(&("←/h/⇧Tab".into(), "select the previous optimizer")));
        assert!(lines.contains(&(
            "r R".into(),
            "restart with a new random seed / the same seed"
        )));
        assert!(
            !browse(6, false).iter().any(|(k, _)| k == "r R"),
            "a saved session"
        );
        let global = help_lines(Scope::Global, 6, |_| true);
        assert!(global.contains(&("q Ctrl-C".into(), "quit")));
    }

    #[test]
    fn releases_are_ignored() {
        let mut e = press(KeyCode::Char('q'), KeyModifiers::NONE);
        e.kind = KeyEventKind::Release;
        assert!(intent_for(&e, View::Main).is_none());
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
        let key = |c| intent_for(&press(KeyCode::Char(c), KeyModifiers::NONE), View::Settings);
        for c in ['q', '0', '.', 'c', '/'] {
            assert_eq!((key(c)), (Some(Intent::Panel(PanelEdit::Type(c)))));
        }
        assert_eq!((key(' ')), (Some(Intent::Panel(PanelEdit::Toggle))));
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!((intent_for(&ctrl_c, View::Settings)), (Some(Intent::Quit)));
        let footer = footer_hints(View::Settings, |_| true);
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
