//! Headless mode: the same session as the dashboard, printed as JSON lines (one per optimizer
//! and epoch) for scripts and pipes, then the lab's summary table. A saved session (`--open`)
//! prints the same way, from its recorded events.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use clap::ValueEnum;

use crate::data::Dataset;
use crate::engine::{Event, Session, Speed};
use crate::exit::RunError;
use crate::export::{self, SessionRecord};
use crate::format::summary_table;
use crate::model::SessionModel;
use crate::train::{LayerHealth, Protocol, RunSummary, Settings};

/// How headless mode ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// The lab's table, on stderr.
    Table,
    /// One final JSON object on stdout.
    Json,
}

/// How a headless run reports, besides its JSON lines.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// How the run ends: a table on stderr or a final JSON line.
    pub summary: SummaryFormat,
    /// Where to write the session record once training ends (`--export`).
    pub export: Option<PathBuf>,
    /// The record's `data` field (see [`export::data_source`]).
    pub data_source: crate::data::source::DataSource,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    penalty: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    health: Option<&'a [LayerHealth]>,
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
pub(crate) fn train(
    settings: Settings,
    data: Arc<Dataset>,
    options: &Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), RunError> {
    let mut model = SessionModel::new(settings.clone(), options.data_source.clone());
    let session = Session::start(settings, data, false, Speed::Unlimited);
    let outcome = print(session.events(), &mut model, options.summary, out, err);
    drop(session);
    let Some(path) = &options.export else {
        return outcome;
    };
    match (
        outcome,
        export::write_atomic(path, &SessionRecord::of(&model)),
    ) {
        (outcome, Ok(())) => outcome,
        (Ok(()), Err(e)) => Err(e.into()),
        (Err(failed), Err(e)) => {
            // Both go to the shell: the training failure is the exit status.
            let _ = writeln!(err, "digits-tui: {e}");
            Err(failed)
        }
    }
}

/// Prints a saved session exactly as its headless run printed it, from the record alone.
pub(crate) fn show(
    record: &SessionRecord,
    summary: SummaryFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), RunError> {
    let mut model = SessionModel::new(record.settings.clone(), record.data.clone());
    print(record.replay(), &mut model, summary, out, err)
}

/// Reduces events into `model` and prints its epochs as they become certain, until the session
/// finishes or fails.
fn print(
    events: impl IntoIterator<Item = Event>,
    model: &mut SessionModel,
    summary: SummaryFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), RunError> {
    let mut cursor = Cursor::default();
    let outcome = (|| -> Result<(), RunError> {
        for event in events {
            model.observe(&event);
            match event {
                Event::Finished { .. } => break,
                Event::Failed { message } => {
                    cursor.print(model, true, out)?;
                    return Err(RunError::Training(message));
                }
                _ => cursor.print(model, false, out)?,
            }
        }
        cursor.print(model, true, out)?;
        let rows = model.summaries();
        match summary {
            SummaryFormat::Table => {
                err.write_all(summary_table(&rows, model.settings()).as_bytes())?
            }
            SummaryFormat::Json => {
                let last = Final {
                    summary: &rows,
                    seed: model.settings().seed,
                };
                serde_json::to_writer(&mut *out, &last).map_err(io::Error::from)?;
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

/// The next line to print, in an order that depends only on the flags, never on which worker
/// finished first: epoch by epoch across runs (fair protocol), run after run (chain). Lines
/// wait here until every line before them in that order has arrived; training does not.
#[derive(Default)]
struct Cursor {
    run: usize,
    /// 1-based.
    epoch: usize,
}

impl Cursor {
    /// Prints every line that is now certain; with `all`, every line there is (the stream
    /// ended, so nothing more will arrive).
    fn print(&mut self, model: &SessionModel, all: bool, out: &mut dyn Write) -> io::Result<()> {
        let runs = model.runs();
        let chain = model.settings().protocol == Protocol::Chain;
        self.epoch = self.epoch.max(1);
        while let Some(run) = runs.get(self.run) {
            if let Some(m) = run.epochs.get(self.epoch - 1) {
                let line = Line {
                    optimizer: run.contender.name(),
                    epoch: m.epoch,
                    loss: m.loss,
                    train_acc: m.train_acc,
                    test_acc: m.test_acc,
                    diverged: m.diverged,
                    penalty: m.penalty,
                    health: run.health.epochs.get(self.epoch - 1).map(Vec::as_slice),
                };
                serde_json::to_writer(&mut *out, &line).map_err(io::Error::from)?;
                out.write_all(b"\n")?;
            } else if !(all || run.ended) {
                // Not arrived yet: everything after it waits.
                return Ok(());
            } else if chain {
                // This run is done: on to the next one's first epoch.
                (self.run, self.epoch) = (self.run + 1, 1);
                continue;
            } else if (runs.iter()).all(|r| (all || r.ended) && r.epochs.len() < self.epoch) {
                // Past every run's last epoch.
                return Ok(());
            }
            if chain {
                self.epoch += 1;
            } else if self.run + 1 == runs.len() {
                (self.run, self.epoch) = (0, self.epoch + 1);
            } else {
                self.run += 1;
            }
        }
        Ok(())
    }
}
