//! `digits-tui bench`: how fast the engine trains, measured the way the README reports it.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::Instant;

use crate::data::Dataset;
use crate::train::{EpochReport, Event, Run, Session, Settings, Speed};

/// Epochs run before timing, so caches and branch predictors are warm.
const WARM_UP: u32 = 5;

/// Prints ms/epoch per optimizer on one core, the full comparison's wall time on all cores,
/// and the dashboard's frame render time.
pub fn run(
    settings: &Settings,
    data: Arc<Dataset>,
    sample_epochs: u32,
    out: &mut dyn Write,
) -> io::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    writeln!(
        out,
        "digits-tui bench: {} train / {} test rows, layers {:?}, batch {}, {} cores",
        data.y_train.len(),
        data.y_test.len(),
        settings.layer_sizes(crate::data::PIXELS, crate::data::CLASSES),
        settings.batch_size,
        cores
    )?;
    writeln!(
        out,
        "one run, one core ({sample_epochs} epochs each, per-epoch evaluation included):"
    )?;
    for &kind in &settings.optimizers {
        let mut run = Run::new(kind, settings, Arc::clone(&data));
        for _ in 0..WARM_UP {
            run.train_epoch();
        }
        let started = Instant::now();
        for _ in 0..sample_epochs {
            run.train_epoch();
        }
        let ms = started.elapsed().as_secs_f64() * 1e3 / f64::from(sample_epochs);
        writeln!(out, "  {:<9} {ms:7.3} ms/epoch", kind.label())?;
        out.flush()?;
    }
    let data_for_render = Arc::clone(&data);
    let started = Instant::now();
    let session = Session::start(settings.clone(), data, false, Speed::Unlimited);
    let mut failure = None;
    for event in session.events() {
        match event {
            Event::Finished { .. } => break,
            Event::Failed { message } => {
                failure = Some(message);
                break;
            }
            _ => {}
        }
    }
    let wall = started.elapsed().as_secs_f64();
    if let Some(message) = failure {
        return Err(io::Error::other(format!("training failed: {message}")));
    }
    writeln!(
        out,
        "full comparison: {} optimizers x {} epochs on {cores} cores: {wall:.2} s wall",
        settings.optimizers.len(),
        settings.epochs
    )?;
    let ms = frame_render_ms(settings, Arc::clone(&data_for_render));
    writeln!(
        out,
        "dashboard frame at 200x60, full histories: {ms:.3} ms per frame"
    )
}

/// Mean time to render one dashboard frame at 200×60 with every run's full history.
fn frame_render_ms(settings: &Settings, data: Arc<Dataset>) -> f64 {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::ui::app::{Action, App, SessionEvent};

    let mut app = App::new(settings.clone(), Arc::clone(&data), false, Speed::Unlimited);
    app.update(Action::Session(SessionEvent(Event::Started {
        generation: 1,
        seed: settings.seed,
    })));
    let predictions: Arc<[u8]> = data.y_test.clone().into();
    for epoch in 1..=settings.epochs {
        for run in 0..settings.optimizers.len() {
            let report = EpochReport {
                epoch,
                loss: (-(f64::from(epoch)) * 0.02 * (run as f64 + 1.0)).exp(),
                train_acc: 0.99,
                test_acc: 0.97,
                wall: std::time::Duration::ZERO,
                predictions: Arc::clone(&predictions),
                diverged: false,
            };
            app.update(Action::Session(SessionEvent(Event::Epoch {
                generation: 1,
                run,
                report,
            })));
        }
    }
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap_or_else(|e| match e {});
    const FRAMES: u32 = 200;
    let started = Instant::now();
    for _ in 0..FRAMES {
        let _ = terminal.draw(|f| crate::ui::render::render(&app, f));
    }
    started.elapsed().as_secs_f64() * 1e3 / f64::from(FRAMES)
}
