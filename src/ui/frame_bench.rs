//! `bench`'s dashboard figure: the time to draw one frame, measured here because drawing is
//! the dashboard's own business (the bench front end is handed this function, so the two
//! front ends do not import each other).

use std::sync::Arc;
use std::time::Instant;

use super::app::App;
use super::message::Message;
use crate::data::Dataset;
use crate::engine::{Event, Speed};
use crate::train::{EpochReport, Settings};

/// Mean time to render one dashboard frame at 200×60 with every run's full history.
pub(crate) fn frame_render_ms(settings: &Settings, data: Arc<Dataset>) -> f64 {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    let mut app = App::new(
        settings.clone(),
        Arc::clone(&data),
        "embedded",
        false,
        Speed::Unlimited,
    );
    app.update(Message::Session(Event::Started {
        generation: 1,
        seed: settings.seed,
    }));
    let predictions: Arc<[u8]> = data.y_test.clone().into();
    for epoch in 1..=settings.epochs {
        for slot in 0..settings.optimizers.len() {
            let report = EpochReport {
                epoch,
                loss: (-(f64::from(epoch)) * 0.02 * (slot as f64 + 1.0)).exp(),
                train_acc: 0.99,
                test_acc: 0.97,
                wall: std::time::Duration::ZERO,
                predictions: Arc::clone(&predictions),
                diverged: false,
                penalty: None,
                health: None,
            };
            app.update(Message::Session(Event::Epoch {
                generation: 1,
                slot,
                report,
                last: epoch == settings.epochs,
            }));
        }
    }
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap_or_else(|e| match e {});
    const FRAMES: u32 = 200;
    let started = Instant::now();
    for _ in 0..FRAMES {
        let _ = terminal.draw(|f| super::render::render(&app, f));
    }
    started.elapsed().as_secs_f64() * 1e3 / f64::from(FRAMES)
}
