//! Headless mode: the same session as the dashboard, printed as JSON lines (one per optimizer
//! and epoch) for scripts and pipes, then the lab's summary table. A saved session (`--open`)
//! prints the same way, from its recorded events.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::cli::SummaryFormat;
use crate::data::Dataset;
use crate::error::RunError;
use crate::export::{self, Recorder, SessionRecord};
use crate::train::{Event, RunSummary, Session, Settings, Speed, table};

/// How a headless run reports, besides its JSON lines.
#[derive(Clone, Debug)]
pub struct Options {
    /// How the run ends: a table on stderr or a final JSON line.
    pub summary: SummaryFormat,
    /// Where to write the session record once training ends (`--export`).
    pub export: Option<PathBuf>,
    /// The record's `data` field (see [`export::data_source`]).
    pub data_source: export::DataSource,
}

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

/// Trains to the end, writing JSON lines to `out` and the summary to `out` or `err`, then the
/// session record if asked. A closed stdout (e.g. `| head`) ends the run quietly. The record
/// is written whatever happened (a failed or cut-short run is saved as far as it got); a write
/// failure is reported after everything already printed, as an [`RunError::Export`] (exit 2).
pub fn run(
    settings: Settings,
    data: Arc<Dataset>,
    options: &Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), RunError> {
    let mut recorder = Recorder::new(settings.clone(), options.data_source.clone());
    let session = Session::start(settings, data, false, Speed::Unlimited);
    let outcome = print(session.events(), &mut recorder, options.summary, out, err);
    drop(session);
    let Some(path) = &options.export else {
        return outcome;
    };
    match (outcome, export::write_atomic(path, recorder.record())) {
        (outcome, Ok(())) => outcome,
        (Ok(()), Err(e)) => Err(e.into()),
        (Err(failed), Err(e)) => {
            // Both go to the shell: the training failure is the exit status.
            let _ = writeln!(err, "digits-tui: {e}");
            Err(failed)
        }
    }
}

/// Prints a saved session exactly as its headless run printed it (run by run under the chain
/// protocol, epoch by epoch otherwise), from the record alone.
pub fn show(
    record: &SessionRecord,
    summary: SummaryFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), RunError> {
    let mut recorder = Recorder::new(record.settings.clone(), record.data.clone());
    print(record.replay(), &mut recorder, summary, out, err)
}

/// Records and prints events until the session finishes or fails.
fn print(
    events: impl IntoIterator<Item = Event>,
    recorder: &mut Recorder,
    summary: SummaryFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), RunError> {
    let outcome = (|| -> Result<(), RunError> {
        for event in events {
            recorder.observe(&event);
            match event {
                Event::Epoch { run, report, .. } => {
                    let Some(r) = recorder.record().runs.get(run) else {
                        continue;
                    };
                    let line = Line {
                        optimizer: r.optimizer.name(),
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
        let record = recorder.record();
        let rows = record.summaries();
        match summary {
            SummaryFormat::Table => err.write_all(table(&rows).as_bytes())?,
            SummaryFormat::Json => {
                serde_json::to_writer(
                    &mut *out,
                    &Final {
                        summary: &rows,
                        seed: record.settings.seed,
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
