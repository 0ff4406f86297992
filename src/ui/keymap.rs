//! The one keymap: dispatch, the footer and the `?` overlay all read [`KEYMAP`], so the help
//! can never disagree with what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::Action;

/// One binding: the keys, what they do, how the help names them.
pub struct Binding {
    /// Keys that trigger it.
    pub keys: &'static [KeyCode],
    /// Whether Ctrl must be held (only Ctrl-C).
    pub ctrl: bool,
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
        action: Action::SelectPrev,
        label: "←/h/⇧Tab",
        help: "select the previous optimizer",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Right, KeyCode::Char('l'), KeyCode::Tab],
        ctrl: false,
        action: Action::SelectNext,
        label: "→/l/Tab",
        help: "select the next optimizer",
        footer: Some("select"),
    },
    Binding {
        keys: &[KeyCode::Char('1')],
        ctrl: false,
        action: Action::Select(0),
        label: "1–6",
        help: "select run 1 to 6 (6: the scikit-learn baseline)",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('2')],
        ctrl: false,
        action: Action::Select(1),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('3')],
        ctrl: false,
        action: Action::Select(2),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('4')],
        ctrl: false,
        action: Action::Select(3),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('5')],
        ctrl: false,
        action: Action::Select(4),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('6')],
        ctrl: false,
        action: Action::Select(5),
        label: "",
        help: "",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char(' ')],
        ctrl: false,
        action: Action::TogglePause,
        label: "space",
        help: "pause / resume",
        footer: Some("pause"),
    },
    Binding {
        keys: &[KeyCode::Char('.'), KeyCode::Char('s')],
        ctrl: false,
        action: Action::Step,
        label: "./s",
        help: "step one epoch for every run (pauses first)",
        footer: Some("step"),
    },
    Binding {
        keys: &[KeyCode::Char('n')],
        ctrl: false,
        action: Action::NewDigits,
        label: "n",
        help: "show other random test digits",
        footer: Some("digits"),
    },
    Binding {
        keys: &[KeyCode::Char('r')],
        ctrl: false,
        action: Action::Restart { same_seed: false },
        label: "r",
        help: "restart with a new random seed",
        footer: Some("restart"),
    },
    Binding {
        keys: &[KeyCode::Char('R')],
        ctrl: false,
        action: Action::Restart { same_seed: true },
        label: "R",
        help: "restart with the same seed",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('[')],
        ctrl: false,
        action: Action::Slower,
        label: "[",
        help: "slower (down to 1 epoch/s)",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char(']')],
        ctrl: false,
        action: Action::Faster,
        label: "]",
        help: "faster (up to unlimited)",
        footer: Some("speed [ ]"),
    },
    Binding {
        keys: &[KeyCode::Char('?')],
        ctrl: false,
        action: Action::ToggleHelp,
        label: "?",
        help: "show / hide this help",
        footer: Some("help"),
    },
    Binding {
        keys: &[KeyCode::Esc],
        ctrl: false,
        action: Action::Back,
        label: "Esc",
        help: "close the help, or quit",
        footer: None,
    },
    Binding {
        keys: &[KeyCode::Char('q')],
        ctrl: false,
        action: Action::Quit,
        label: "q",
        help: "quit",
        footer: Some("quit"),
    },
    Binding {
        keys: &[KeyCode::Char('c')],
        ctrl: true,
        action: Action::Quit,
        label: "Ctrl-C",
        help: "quit",
        footer: None,
    },
];

/// The action a key press maps to, if any. Releases and repeats of other kinds are ignored.
pub fn action_for(key: &KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    KEYMAP
        .iter()
        .find(|b| b.ctrl == ctrl && b.keys.contains(&key.code))
        .map(|b| b.action.clone())
}

/// Footer hints: `key label` pairs in keymap order.
pub fn footer_hints() -> impl Iterator<Item = (&'static str, &'static str)> {
    KEYMAP
        .iter()
        .filter_map(|b| b.footer.map(|f| (footer_key(b), f)))
}

/// The shortest way to write a binding's key for the footer.
fn footer_key(b: &Binding) -> &'static str {
    match b.label {
        "→/l/Tab" => "←/→",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn keys_map_to_actions_and_ctrl_c_quits() {
        assert_eq!(
            action_for(&press(KeyCode::Right, KeyModifiers::NONE)),
            Some(Action::SelectNext)
        );
        assert_eq!(
            action_for(&press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(&press(KeyCode::Char('c'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            action_for(&press(KeyCode::Char('R'), KeyModifiers::SHIFT)),
            Some(Action::Restart { same_seed: true })
        );
    }

    #[test]
    fn releases_are_ignored() {
        let mut e = press(KeyCode::Char('q'), KeyModifiers::NONE);
        e.kind = KeyEventKind::Release;
        assert_eq!(action_for(&e), None);
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = Vec::new();
        for b in KEYMAP {
            for k in b.keys {
                assert!(!seen.contains(&(k, b.ctrl)), "{k:?} bound twice");
                seen.push((k, b.ctrl));
            }
        }
    }
}
