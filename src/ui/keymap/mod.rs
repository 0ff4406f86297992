//! The one keymap: dispatch, the footer and the `?` overlay all read [`KEYMAP`], so the help
//! can never disagree with what the keys do. The table is in `table.rs`, the footer's words
//! in `hint.rs`; here keys become intents and the table becomes help lines and footer hints,
//! labelled from the keys themselves, the runs present and the speed ladder.

mod hint;
mod table;

pub(crate) use hint::{Hint, Priority};
pub(crate) use table::{Binding, KEYMAP, Scope};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::intent::Intent;
use super::pace::ladder_text;
use super::settings_form::FormEdit;
use super::view::View;

/// The intent a key press maps to in `view`, if any. Releases and repeats of other kinds are
/// ignored. In the settings panel a character no binding takes is typed into the field.
pub(crate) fn intent_for(key: &KeyEvent, view: View) -> Option<Intent> {
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
            Some(Intent::SettingsForm(FormEdit::Type(c)))
        }
        (bound, _) => bound,
    }
}

/// The help overlay's lines for `scope`: each binding with help, named by its keys and those
/// of the bindings after it that share its line. Only what works is listed: with `runs`
/// runs, the number keys of those runs; only what `offered` says works (a saved session
/// offers nothing that trains). The speed line names the ladder's range.
pub(crate) fn help_lines(
    scope: Scope,
    runs: usize,
    offered: impl Fn(Intent) -> bool,
) -> Vec<(String, String)> {
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
        .map(|(keys, help)| {
            let keys = digit_range(&keys).unwrap_or_else(|| keys.join(" "));
            (keys, help.replace(table::LADDER, &ladder_text()))
        })
        .collect()
}

/// Three or more single digits as `first–last`.
fn digit_range(keys: &[String]) -> Option<String> {
    let digit = |k: &String| k.len() == 1 && k.as_bytes()[0].is_ascii_digit();
    (keys.len() > 2 && keys.iter().all(digit))
        .then(|| format!("{}–{}", keys[0], keys[keys.len() - 1]))
}

/// A footer entry as shown: the keys (each drawn as a key) and its hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FooterHint {
    /// Key names, in keymap order; a run of digits is one `0–9`.
    pub keys: Vec<String>,
    /// What they do.
    pub hint: Hint,
}

/// Footer entries for `view`, the view's own keys first: every binding active there with a
/// [`Hint`] whose intent `offered` accepts, grouped by hint, each named by its first key.
pub(crate) fn footer_hints(view: View, offered: impl Fn(Intent) -> bool) -> Vec<FooterHint> {
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
pub(crate) fn key_name(key: KeyCode, ctrl: bool) -> String {
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
    use crate::ui::canvas::CanvasEdit;

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
        assert_eq!(keys(Hint::Views), "c i w d m g t");
        assert_eq!(keys(Hint::Export), "e");
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
        let select = |lines: Vec<(String, String)>| {
            (lines.into_iter()).find_map(|(k, h)| (h == "select a run by its number").then_some(k))
        };
        assert_eq!(select(browse(6, true)).as_deref(), Some("1–6"));
        assert_eq!(select(browse(2, true)).as_deref(), Some("1 2"));
        assert_eq!(select(browse(0, true)), None);
        let lines = browse(6, true);
        let has = |lines: &[(String, String)], keys: &str, help: &str| {
            lines.contains(&(keys.into(), help.into()))
        };
        assert!(has(&lines, "←/h/⇧Tab", "select the previous optimizer"));
        assert!(has(
            &lines,
            "r R",
            "restart with a new random seed / the same seed"
        ));
        assert!(
            !browse(6, false).iter().any(|(k, _)| k == "r R"),
            "a saved session"
        );
        let global = help_lines(Scope::Global, 6, |_| true);
        assert!(has(&global, "q Ctrl-C", "quit"));
        // The speed line names the ladder's own range.
        assert!(has(
            &global,
            "[ ]",
            "slower / faster (1 epoch/s up to unlimited)"
        ));
    }

    #[test]
    fn the_draw_help_names_ink_as_drawn_not_black() {
        // Colour draws ink bright on a dark canvas; "black" was true of paper, not of the screen.
        let canvas = help_lines(Scope::Canvas, 6, |_| true);
        assert!(
            canvas.iter().any(|(_, h)| h.contains("full ink")),
            "{canvas:?}"
        );
        assert!(
            canvas.iter().all(|(_, h)| !h.contains("black")),
            "{canvas:?}"
        );
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
            assert_eq!((key(c)), (Some(Intent::SettingsForm(FormEdit::Type(c)))));
        }
        assert_eq!((key(' ')), (Some(Intent::SettingsForm(FormEdit::Toggle))));
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
