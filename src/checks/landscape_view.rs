//! The landscape view (`t`) as drawn: whole screens at 120×40 and 80×24 in colour, without
//! colour (`NO_COLOR`) and in ASCII, compared with insta snapshots; the keys that drive it,
//! a click that moves the start, and its keys in the generated help.

use std::sync::Arc;
use std::time::Duration;

use crate::data::Dataset;
use crate::engine::Speed;
use crate::landscape::Function;
use crate::train::Settings;
use crate::ui::app::App;
use crate::ui::intent::Intent;
use crate::ui::keymap::{KEYMAP, Scope, intent_for};
use crate::ui::landscape::{LandscapeEdit, LandscapeLayout, area};
use crate::ui::layout::Areas;
use crate::ui::message::Message;
use crate::ui::render::render;
use crate::ui::theme::Theme;
use crate::ui::view::View;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};

/// A paused dashboard in the landscape view on `function`, after `steps` steps.
fn landscape(theme: Theme, function: Function, steps: u32) -> App {
    let settings = Settings {
        epochs: 100,
        ..Settings::default()
    };
    let data = Arc::new(Dataset::lab());
    let mut app = App::new(settings, data, "embedded", true, Speed::Unlimited).with_theme(theme);
    app.update(Intent::ToggleView(View::Landscape));
    while app.landscape().function() != function {
        app.update(Intent::Landscape(LandscapeEdit::Function { forward: true }));
    }
    for _ in 0..steps {
        app.update(Intent::Step);
    }
    app
}

fn drawn(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    app.update(Message::Resize(Rect::new(0, 0, width, height)));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    terminal
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    drawn(app, width, height).backend().to_string()
}

fn coloured(app: &mut App, width: u16, height: u16) -> String {
    format!("{:#?}", drawn(app, width, height).backend().buffer())
}

#[test]
fn plain_and_ascii_screens_at_120x40_and_80x24() {
    for (name, theme) in [("plain", Theme::plain()), ("ascii", Theme::ascii())] {
        for (w, h) in [(120, 40), (80, 24)] {
            let mut app = landscape(theme, Function::Bowl, 12);
            insta::assert_snapshot!(format!("bowl_{name}_{w}x{h}"), screen(&mut app, w, h));
        }
    }
    let mut rosenbrock = landscape(Theme::plain(), Function::Rosenbrock, 300);
    insta::assert_snapshot!("rosenbrock_plain_120x40", screen(&mut rosenbrock, 120, 40));
    let mut himmelblau = landscape(Theme::ascii(), Function::Himmelblau, 200);
    insta::assert_snapshot!("himmelblau_ascii_80x24", screen(&mut himmelblau, 80, 24));
}

#[test]
fn colour_screens_at_120x40_and_80x24() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = landscape(Theme::default(), Function::Saddle, 20);
        insta::assert_snapshot!(format!("saddle_colour_{w}x{h}"), coloured(&mut app, w, h));
    }
}

#[test]
fn ascii_is_pure_ascii_and_a_diverged_path_says_so() {
    let mut app = landscape(Theme::ascii(), Function::Bowl, 0);
    // SGD's rate doubled five times: 30.4 on the bowl, far past stable.
    for _ in 0..5 {
        app.update(Intent::ScaleLearningRate { up: true });
    }
    for _ in 0..200 {
        app.update(Intent::Step);
    }
    let text = screen(&mut app, 80, 24);
    assert!(text.is_ascii(), "{text}");
    assert!(
        text.contains("SGD      lr 30.4     diverged at step"),
        "{text}"
    );
    assert!(app.landscape().walkers()[0].diverged());
}

#[test]
fn the_live_keys_drive_it_and_a_click_moves_the_start() {
    let mut app = landscape(Theme::plain(), Function::Bowl, 3);
    assert_eq!(app.landscape().step(), 3);
    let key = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    let arrow = KeyEvent::new(KeyCode::Right, KeyModifiers::NONE);
    for event in [key('r'), key('f'), arrow] {
        let intent = intent_for(&event, View::Landscape).expect("a bound key");
        app.update(intent);
    }
    let view = app.landscape();
    assert_eq!((view.function(), view.step()), (Function::Rosenbrock, 0));
    assert_eq!(view.start(), (-1.2 + 0.2, 1.0));
    // A click on the plot's top left cell starts the paths at that cell's centre.
    let size = Rect::new(0, 0, 120, 40);
    app.update(Message::Resize(size));
    let areas = Areas::new(size, app.runs().len(), app.data().side);
    let plot = LandscapeLayout::new(area(&areas), 5).plot;
    app.update(Message::Click(Position::new(plot.x, plot.y)));
    let (x, y) = app.landscape().start();
    assert!(x < -1.95 && y > 2.9, "({x}, {y})");
    // The clock moves the paths only while running, at the dashboard's pace.
    app.update(Message::Tick(Duration::from_secs(1)));
    app.update(Message::Tick(Duration::from_secs(2)));
    assert_eq!(app.landscape().step(), 0, "paused");
    app.update(Intent::TogglePause);
    app.update(Intent::Slower);
    app.update(Message::Tick(Duration::from_secs(2)));
    app.update(Message::Tick(Duration::from_millis(2500)));
    assert_eq!(app.landscape().step(), 250, "500 steps/s for half a second");
}

#[test]
fn the_help_lists_the_views_keys_from_the_keymap() {
    let mut app = landscape(Theme::plain(), Function::Bowl, 0);
    app.update(Intent::ToggleHelp);
    let text = screen(&mut app, 120, 40);
    for needle in [
        "landscape view",
        "move the start (or click the landscape)",
        "the next / previous function",
        "every path back to the start",
        "select the next / previous path",
        "landscape path's) learning rate",
        "click the landscape: the paths start there",
    ] {
        assert!(text.contains(needle), "{needle} in\n{text}");
    }
    let t = KEYMAP
        .iter()
        .find(|b| b.keys.contains(&KeyCode::Char('t')))
        .expect("t is bound");
    assert_eq!(t.scope, Scope::Global);
    let footer = screen(&mut landscape(Theme::plain(), Function::Bowl, 0), 120, 40);
    let footer = footer.lines().last().expect("a footer");
    assert!(
        footer.contains("← → ↑ ↓ start") && footer.contains(" f "),
        "{footer}"
    );
}
