//! The key table: every binding, one a line, with where it works, what it means, its help
//! line and its footer hint. Dispatch, the footer and the help all read it (see
//! [`super`]).

use ratatui::crossterm::event::KeyCode;
use ratatui::crossterm::event::KeyCode::{
    BackTab, Backspace, Char, Delete, Down, Enter, Esc, Left, PageDown, PageUp, Right, Tab, Up,
};

use super::hint::Hint::{self, *};
use crate::ui::canvas::CanvasEdit;
use crate::ui::intent::Intent;
use crate::ui::landscape::LandscapeEdit;
use crate::ui::settings_form::FormEdit;
use crate::ui::view::View;
use Scope::*;

/// Stands in a help line for the speed ladder's range, which the help generates from
/// [`SPEED_LADDER`](crate::ui::pace::SPEED_LADDER).
pub(super) const LADDER: &str = "{ladder}";

/// Where a binding is active. The canvas of the draw view needs arrows, digits and space for
/// itself, so the browsing keys step aside there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Every view.
    Global,
    /// Every view but the draw canvas.
    Browse,
    /// Only the draw canvas.
    Canvas,
    /// Only the weights view.
    Weights,
    /// Only the settings panel, which takes typing for itself (so no other key works there).
    SettingsForm,
    /// Only the landscape view, whose arrows move the start (so the browsing keys step aside).
    Landscape,
    /// Only the seeds and sweep views, whose jobs these keys start and keep.
    Background,
}

impl Scope {
    /// Whether this scope's keys work in `view`.
    pub(crate) fn active_in(self, view: View) -> bool {
        match self {
            Self::Global => view != View::Settings,
            Self::Browse => !matches!(view, View::Draw | View::Settings | View::Landscape),
            Self::Canvas => view == View::Draw,
            Self::Weights => view == View::Weights,
            Self::SettingsForm => view == View::Settings,
            Self::Landscape => view == View::Landscape,
            Self::Background => matches!(view, View::Seeds | View::Sweep),
        }
    }

    /// The help overlay's section title.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Self::Global => "everywhere",
            Self::Browse => "dashboard and views",
            Self::Canvas => "draw view",
            Self::Weights => "weights view",
            Self::SettingsForm => "settings panel",
            Self::Landscape => "landscape view",
            Self::Background => "seeds and sweep views",
        }
    }
}

/// One binding: the keys, what they mean, where, the help line and the footer hint.
pub(crate) struct Binding {
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
pub(crate) static KEYMAP: &[Binding] = &[
    key(&[Left, Char('h'), BackTab], Browse, Intent::SelectPrev, "select the previous optimizer", Some(Select)),
    key(&[Right, Char('l'), Tab], Browse, Intent::SelectNext, "select the next optimizer", Some(Select)),
    key(&[Char('1')], Browse, Intent::Select(0), "select a run by its number", None),
    key(&[Char('2')], Browse, Intent::Select(1), "", None),
    key(&[Char('3')], Browse, Intent::Select(2), "", None),
    key(&[Char('4')], Browse, Intent::Select(3), "", None),
    key(&[Char('5')], Browse, Intent::Select(4), "", None),
    key(&[Char('6')], Browse, Intent::Select(5), "", None),
    key(&[Char(' ')], Browse, Intent::TogglePause, "pause / resume (the status bar shows the run furthest behind)", Some(Pause)),
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
    key(&[Char('m')], Global, Intent::ToggleView(View::Seeds), "background jobs: seeds / a learning-rate sweep / cancel", Some(Views)),
    key(&[Char('g')], Global, Intent::ToggleView(View::Sweep), "", Some(Views)),
    key(&[Char('x')], Global, Intent::CancelJob, "", None),
    key(&[Char('t')], Global, Intent::ToggleView(View::Landscape), "the optimizers' paths on a 2-D landscape (bowl, Rosenbrock, …)", Some(Views)),
    key(&[Char('e')], Global, Intent::Export, "export the session as JSON (path in the status bar)", Some(Export)),
    key(&[Char('[')], Global, Intent::Slower, "slower / faster ({ladder})", Some(Speed)),
    key(&[Char(']')], Global, Intent::Faster, "", Some(Speed)),
    key(&[Left], Canvas, Intent::Canvas(CanvasEdit::Move { dx: -1, dy: 0 }), "move the pen", Some(Move)),
    key(&[Right], Canvas, Intent::Canvas(CanvasEdit::Move { dx: 1, dy: 0 }), "", Some(Move)),
    key(&[Up], Canvas, Intent::Canvas(CanvasEdit::Move { dx: 0, dy: -1 }), "", Some(Move)),
    key(&[Down], Canvas, Intent::Canvas(CanvasEdit::Move { dx: 0, dy: 1 }), "", Some(Move)),
    key(&[Char('0')], Canvas, Intent::Canvas(CanvasEdit::Ink(0)), "ink the pixel: 0 blank … 9 full ink", Some(Ink)),
    key(&[Char('1')], Canvas, Intent::Canvas(CanvasEdit::Ink(1)), "", Some(Ink)),
    key(&[Char('2')], Canvas, Intent::Canvas(CanvasEdit::Ink(2)), "", Some(Ink)),
    key(&[Char('3')], Canvas, Intent::Canvas(CanvasEdit::Ink(3)), "", Some(Ink)),
    key(&[Char('4')], Canvas, Intent::Canvas(CanvasEdit::Ink(4)), "", Some(Ink)),
    key(&[Char('5')], Canvas, Intent::Canvas(CanvasEdit::Ink(5)), "", Some(Ink)),
    key(&[Char('6')], Canvas, Intent::Canvas(CanvasEdit::Ink(6)), "", Some(Ink)),
    key(&[Char('7')], Canvas, Intent::Canvas(CanvasEdit::Ink(7)), "", Some(Ink)),
    key(&[Char('8')], Canvas, Intent::Canvas(CanvasEdit::Ink(8)), "", Some(Ink)),
    key(&[Char('9')], Canvas, Intent::Canvas(CanvasEdit::Ink(9)), "", Some(Ink)),
    key(&[Char(' ')], Canvas, Intent::Canvas(CanvasEdit::Toggle), "toggle the pixel between blank and full ink", None),
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
    key(&[Enter], Background, Intent::StartJob, "start the job the view estimates (large data asks first)", Some(Start)),
    key(&[Char('k')], Background, Intent::KeepJob, "close the view, keeping its job running (Esc pauses it)", Some(Keep)),
    key(&[Tab, Down], SettingsForm, Intent::SettingsForm(FormEdit::Next), "next / previous setting", Some(Field)),
    key(&[BackTab, Up], SettingsForm, Intent::SettingsForm(FormEdit::Prev), "", None),
    key(&[Left], SettingsForm, Intent::SettingsForm(FormEdit::Left), "another optimizer; the other protocol", None),
    key(&[Right], SettingsForm, Intent::SettingsForm(FormEdit::Right), "", None),
    key(&[Char(' ')], SettingsForm, Intent::SettingsForm(FormEdit::Toggle), "switch the optimizer or protocol", Some(Switch)),
    key(&[Backspace], SettingsForm, Intent::SettingsForm(FormEdit::Erase), "erase a character / the whole value (other keys type)", Some(Erase)),
    key(&[Delete], SettingsForm, Intent::SettingsForm(FormEdit::Clear), "", None),
    key(&[Enter], SettingsForm, Intent::SettingsForm(FormEdit::Apply), "restart with these settings (when all are valid)", Some(Apply)),
    key(&[Esc], SettingsForm, Intent::SettingsForm(FormEdit::Discard), "close, changing nothing", Some(Discard)),
    key(&[Char('?')], SettingsForm, Intent::ToggleHelp, "show / hide this help", Some(Help)),
    ctrl(key(&[Char('c')], SettingsForm, Intent::Quit, "quit", Some(Quit))),
    key(&[Char('?')], Global, Intent::ToggleHelp, "show / hide this help", Some(Help)),
    key(&[Esc], Global, Intent::Back, "close the help or view, or quit", None),
    key(&[Char('q')], Global, Intent::Quit, "quit", Some(Quit)),
    ctrl(key(&[Char('c')], Global, Intent::Quit, "", None)),
];
