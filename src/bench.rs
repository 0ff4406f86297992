//! `digits-tui bench`: how fast the engine trains, measured the way the README reports it.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::Instant;

use crate::data::Dataset;
use crate::train::{Event, Run, Session, Settings, Speed};

/// Epochs run before timing, so caches and branch predictors are warm.
const WARM_UP: u32 = 5;

/// Prints ms/epoch per optimizer on one core, then the full comparison's wall time on all
/// cores.
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
    )
}
