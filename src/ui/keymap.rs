//! The one keymap: dispatch, the footer and the `?` overlay all read [`KEYMAP`], so the help
//! can never disagree with what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{Action, CanvasEdit, View};

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
}

impl Scope {
    /// Whether this scope's keys work in `view`.
    pub fn active_in(self, view: View) -> bool {
        match self {
            Self::Global => true,
            Self::Browse => view != View::Draw,
            Self::Canvas => view == View::Draw,
        }
    }

    /// The help overlay's section title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "everywhere",
            Self::Browse => "dashboard and views",
            Self::Canvas => "draw view",
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
    /// Short text for the footer, if it earns a place there.
    pub footer: Option<&'static str>,
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
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Right, KeyCode::Char('l'), KeyCode::Tab],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::SelectNext,
        label: "→/l/Tab",
        help: "select the next optimizer",
        footer: Some("select"),
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
        footer: Some("pause"),
    },
    Binding {
        keys: &[KeyCode::Char('.'), KeyCode::Char('s')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Step,
        label: "./s",
        help: "step one epoch for every run (pauses first)",
        footer: Some("step"),
    },
    Binding {
        keys: &[KeyCode::Char('n')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::NewDigits,
        label: "n",
        help: "show other random test digits",
        footer: Some("digits"),
    },
    Binding {
        keys: &[KeyCode::Char('r')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Restart { same_seed: false },
        label: "r",
        help: "restart with a new random seed",
        footer: Some("restart"),
    },
    Binding {
        keys: &[KeyCode::Char('R')],
        ctrl: false,
        scope: Scope::Browse,
        action: Action::Restart { same_seed: true },
        label: "R",
        help: "restart with the same seed",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('+'), KeyCode::Char('=')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ScaleLearningRate { up: true },
        label: "+",
        help: "double the selected optimizer's learning rate",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('-')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ScaleLearningRate { up: false },
        label: "-",
        help: "halve the selected optimizer's learning rate",
        footer: Some("lr"),
    },
    Binding {
        keys: &[KeyCode::Char('c')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Confusion),
        label: "c",
        help: "confusion matrix of the selected run",
        footer: Some("views"),
    },
    Binding {
        keys: &[KeyCode::Char('w')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Weights),
        label: "w",
        help: "first-layer weights of the selected run",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('m')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Seeds),
        label: "m",
        help: "many seeds: the comparison over 10 seeds, in the background",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('g')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Sweep),
        label: "g",
        help: "learning-rate sweep: test accuracy against the rate, 3 seeds, in the background",
        footer: None,
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
        keys: &[KeyCode::Char('d')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleView(View::Draw),
        label: "d",
        help: "draw a digit for every network to read",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('[')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::Slower,
        label: "[",
        help: "slower (down to 1 epoch/s)",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char(']')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::Faster,
        label: "]",
        help: "faster (up to unlimited)",
        footer: Some("speed [ ]"),
    },
    Binding {
        keys: &[KeyCode::Left],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Move { dx: -1, dy: 0 }),
        label: "←↑↓→",
        help: "move the pen",
        footer: Some("move"),
    },
    Binding {
        keys: &[KeyCode::Right],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Move { dx: 1, dy: 0 }),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Up],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Move { dx: 0, dy: -1 }),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Down],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Move { dx: 0, dy: 1 }),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('0')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(0)),
        label: "0–9",
        help: "ink the pixel: 0 blank … 9 black",
        footer: Some("ink"),
    },
    Binding {
        keys: &[KeyCode::Char('1')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(1)),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('2')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(2)),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('3')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(3)),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('4')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(4)),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('5')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(5)),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('6')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(6)),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('7')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(7)),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('8')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(8)),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('9')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Ink(9)),
        label: "",
        help: "",
        footer: None,
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
        footer: Some("clear"),
    },
    Binding {
        keys: &[KeyCode::Char('l')],
        ctrl: false,
        scope: Scope::Canvas,
        action: Action::Canvas(CanvasEdit::Load),
        label: "l",
        help: "load a random test image to edit",
        footer: Some("load"),
    },
    Binding {
        keys: &[KeyCode::Char('?')],
        ctrl: false,
        scope: Scope::Global,
        action: Action::ToggleHelp,
        label: "?",
        help: "show / hide this help",
        footer: Some("help"),
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
        label: "q",
        help: "quit",
        footer: Some("quit"),
    },
    Binding {
        keys: &[KeyCode::Char('c')],
        ctrl: true,
        scope: Scope::Global,
        action: Action::Quit,
        label: "Ctrl-C",
        help: "quit",
        footer: None,
    },
];

/// The action a key press maps to in `view`, if any. Releases and repeats of other kinds are
/// ignored.
pub fn action_for(key: &KeyEvent, view: View) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    KEYMAP
        .iter()
        .filter(|b| b.scope.active_in(view))
        .find(|b| b.ctrl == ctrl && b.keys.contains(&key.code))
        .map(|b| b.action.clone())
}

/// Footer hints for `view`: `key label` pairs in keymap order, the view's own keys first.
pub fn footer_hints(view: View) -> impl Iterator<Item = (&'static str, &'static str)> {
    let own = move |b: &&Binding| b.scope.active_in(view) && b.scope != Scope::Global;
    let global = |b: &&Binding| b.scope == Scope::Global;
    (KEYMAP.iter().filter(own))
        .chain(KEYMAP.iter().filter(global))
        .filter_map(|b| b.footer.map(|f| (footer_key(b), f)))
}

/// The shortest way to write a binding's key for the footer.
fn footer_key(b: &Binding) -> &'static str {
    match b.label {
        "→/l/Tab" => "←/→",
        "-" => "+ -",
        "c" => "c w d m",
        other => other,
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

    #[test]
    fn releases_are_ignored() {
        let mut e = press(KeyCode::Char('q'), KeyModifiers::NONE);
        e.kind = KeyEventKind::Release;
        assert!(action_for(&e, View::Main).is_none());
    }

    #[test]
    fn no_key_is_bound_twice_in_any_view() {
        for view in [
            View::Main,
            View::Confusion,
            View::Weights,
            View::Draw,
            View::Seeds,
            View::Sweep,
        ] {
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
}
