//! Whole screens rendered with ratatui's `TestBackend` from a fixed stream of metrics, compared
//! with insta snapshots (no timing reaches the screen: the clock is never ticked).

use std::sync::Arc;

use crate::checks::fixtures::{self, lab_data, report};
use crate::data::CLASSES;
use crate::engine::{Command, Event, Speed};
use crate::nn::{Activation, Init, Network, OptimizerKind, Workspace};
use crate::rng::RandomState;
use crate::train::{Contender, EpochReport, LabTrainer, Protocol, Settings, Trainer, health};
use crate::ui::app::App;
use crate::ui::background::Background;
use crate::ui::canvas::CanvasEdit;
use crate::ui::intent::Intent;
use crate::ui::message::{Effect, Message};
use crate::ui::render::render;
use crate::ui::theme::Theme;
use crate::ui::view::View;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod every_screen;
mod health_view;
mod sizes;
mod views;
mod workbench;

// The builders each file shares with the others.
use self::{every_screen::*, sizes::*, views::*, workbench::*};

/// The epoch at which the made-up baseline (run 5) stops early.
const BASELINE_STOP: u32 = 30;

/// A dashboard after `epochs` epochs of made-up but lab-shaped curves: each optimizer's loss
/// falls at its own rate; every seventh test image is misclassified by run 0; the baseline
/// stops early at [`BASELINE_STOP`].
fn app_after(epochs: u32) -> App {
    app_with(epochs, Protocol::Fair)
}

fn app_with(epochs: u32, protocol: Protocol) -> App {
    let data = lab_data();
    let settings = Settings {
        epochs: 100,
        protocol,
        ..Settings::default()
    };
    let runs = settings.optimizers.len();
    assert_eq!(runs, 6, "five optimizers and the baseline");
    let labels = Arc::clone(&data);
    fixtures::app_after(
        settings,
        data,
        "embedded",
        Theme::plain(),
        epochs,
        |run, e| {
            if run == 5 && e > BASELINE_STOP {
                return None;
            }
            let rate = 0.05 * (run as f64 + 1.0);
            let predictions: Vec<u8> = labels
                .y_test
                .iter()
                .enumerate()
                .map(|(i, &y)| {
                    if run == 0 && i % 7 == 0 {
                        (y + 1) % 10
                    } else {
                        y
                    }
                })
                .collect();
            let report = report(
                e,
                2.0 * (-rate * f64::from(e)).exp(),
                1.0 - 0.5 / f64::from(e),
                0.9 + 0.01 * run as f64 - 0.4 / f64::from(e),
                predictions,
            );
            Some((report, run == 5 && e == BASELINE_STOP))
        },
    )
}

/// `app` resized to and drawn on a `width`×`height` test terminal.
fn drawn(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    app.update(Message::Resize(ratatui::layout::Rect::new(
        0, 0, width, height,
    )));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    terminal
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    drawn(app, width, height).backend().to_string()
}
