//! Headless mode: the same session as the dashboard, printed as JSON lines (one per optimizer
//! and epoch) for scripts and pipes, then the lab's summary table.

use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use crate::cli::SummaryFormat;
use crate::data::Dataset;
use crate::error::RunError;
use crate::train::{Contender, Event, RunSummary, Session, Settings, Speed, table};

/// One JSON line.
#[derive(Serialize)]
struct Line<'a> {
    optimizer: &'a str,
    epoch: u32,
    loss: Option<f64>,
    train_acc: f64,
    test_acc: f64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    diverged: bool,
}

/// The final JSON object of `--summary json`.
#[derive(Serialize)]
struct Final<'a> {
    summary: &'a [RunSummary],
    seed: u32,
}

/// Trains to the end, writing JSON lines to `out` and the summary to `out` or `err`.
/// A closed stdout (e.g. `| head`) ends the run quietly.
pub fn run(
    settings: Settings,
    data: Arc<Dataset>,
    summary: SummaryFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), RunError> {
    let kinds: Vec<Contender> = settings.optimizers.clone();
    let seed = settings.seed;
    let mut rows: Vec<RunSummary> = kinds.iter().map(|&k| RunSummary::new(k)).collect();
    let session = Session::start(settings, data, false, Speed::Unlimited);
    let outcome = (|| -> Result<(), RunError> {
        for event in session.events() {
            match event {
                Event::Epoch { run, report, .. } => {
                    rows[run].observe(&report);
                    let line = Line {
                        optimizer: kinds[run].name(),
                        epoch: report.epoch,
                        loss: (!report.diverged).then_some(report.loss),
                        train_acc: report.train_acc,
                        test_acc: report.test_acc,
                        diverged: report.diverged,
                    };
                    serde_json::to_writer(&mut *out, &line).map_err(io::Error::from)?;
                    out.write_all(b"\n")?;
                }
                Event::Finished { .. } => break,
                Event::Failed { message } => {
                    return Err(RunError::Training(message));
                }
                Event::Started { .. } | Event::LearningRate { .. } | Event::Model { .. } => {}
            }
        }
        match summary {
            SummaryFormat::Table => err.write_all(table(&rows).as_bytes())?,
            SummaryFormat::Json => {
                serde_json::to_writer(
                    &mut *out,
                    &Final {
                        summary: &rows,
                        seed,
                    },
                )
                .map_err(io::Error::from)?;
                out.write_all(b"\n")?;
            }
        }
        Ok(out.flush()?)
    })();
    match outcome {
        Err(RunError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
