//! What `compare` and `sweep` share: a job list trained on all cores with a progress line on
//! stderr, the settings line their reports open with, and where their output goes.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use serde::Serialize;

use super::shard::{Kind, Partial};
use crate::data::Dataset;
use crate::data::source::DataSource;
use crate::engine::{Grid, Job, Pool, SeedResult, SeedRuns, Shard, jobs};
use crate::exit::RunError;
use crate::train::{Protocol, Settings};

/// What a `compare` or `sweep` run was asked for beyond the training settings.
pub(crate) struct Request {
    /// Which report.
    pub kind: Kind,
    /// `--seeds`: how many seeds from `settings.seed` on.
    pub seeds: u32,
    /// `sweep`'s grid (`--lr-grid`, `--grid`); `None` for `compare`.
    pub grid: Option<Grid>,
    /// `--json`: the document instead of the table.
    pub json: bool,
    /// `--shard K/N`: train only that slice and print it as a partial document for `merge`.
    pub shard: Option<Shard>,
    /// Where the images came from, recorded in a partial document.
    pub data_source: DataSource,
}

/// The report of finished runs from the settings, the seeds, the grid and every result (in
/// any order); `json` chooses the document over the table.
pub(crate) type Render<'a> =
    &'a dyn Fn(&Settings, &[u32], Option<&Grid>, Vec<SeedResult>, bool) -> Result<String, RunError>;

/// Runs `compare` or `sweep`: the job list of `request` (or its shard) trained on all cores
/// with a progress line, then the report `render` makes of it, or with a shard the partial
/// document `merge` adds up. A worker panic ends it with [`RunError::Training`].
pub(crate) fn run(
    settings: &Settings,
    data: Arc<Dataset>,
    request: Request,
    render: Render<'_>,
    streams: &mut Streams<'_>,
) -> Result<(), RunError> {
    let seeds = self::seeds(settings, request.seeds)?;
    let all = jobs(settings, &seeds, request.grid.as_ref());
    let jobs = match request.shard {
        Some(shard) => shard.select(all),
        None => all,
    };
    let label = match request.kind {
        Kind::Compare => "compare",
        Kind::Sweep => "sweep",
    };
    let results = train(label, settings, data, jobs, streams)?;
    let text = match request.shard {
        Some(shard) => json_line(&Partial {
            partial: request.kind,
            shard,
            settings: settings.clone(),
            data: request.data_source,
            seeds,
            grid: request.grid,
            results,
        })?,
        None => render(
            settings,
            &seeds,
            request.grid.as_ref(),
            results,
            request.json,
        )?,
    };
    streams.print(&text)
}

/// What `compare --json` and `sweep --json` both open with: which runs were trained.
#[derive(Serialize)]
pub(crate) struct Header<'a> {
    /// Every seed trained.
    pub seeds: &'a [u32],
    /// Epochs per run (the baseline's `max_iter`).
    pub epochs: u32,
    /// Whether the lab's optimizers started together or continued one from another.
    pub protocol: Protocol,
}

impl<'a> Header<'a> {
    /// The header of runs of `settings` over `seeds`.
    pub(crate) fn of(settings: &Settings, seeds: &'a [u32]) -> Self {
        Self {
            seeds,
            epochs: settings.epochs,
            protocol: settings.protocol,
        }
    }
}

/// A document as one line of JSON with a closing newline, as every `--json` prints it.
pub(crate) fn json_line(document: &impl Serialize) -> Result<String, RunError> {
    let mut text = serde_json::to_string(document).map_err(io::Error::from)?;
    text.push('\n');
    Ok(text)
}

/// Where a report goes: the report on `out`, progress on `err` (redrawn in place when
/// `err_is_terminal`, else one closing line, so logs stay clean).
pub(crate) struct Streams<'a> {
    /// The report.
    pub out: &'a mut dyn Write,
    /// The progress line.
    pub err: &'a mut dyn Write,
    /// Whether `err` is a terminal.
    pub err_is_terminal: bool,
}

impl Streams<'_> {
    /// Writes the finished report; a closed stdout (`| head`) ends quietly.
    pub(crate) fn print(&mut self, text: &str) -> Result<(), RunError> {
        match self
            .out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
        {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => Ok(other?),
        }
    }
}

/// Trains `jobs` with `settings` on all cores, drawing the progress line as `label`, and
/// returns every result in arrival order. A worker panic ends it with [`RunError::Training`].
pub(crate) fn train(
    label: &str,
    settings: &Settings,
    data: Arc<Dataset>,
    jobs: Vec<Job>,
    streams: &mut Streams<'_>,
) -> Result<Vec<SeedResult>, RunError> {
    let pool = Pool::per_core();
    let sweep = SeedRuns::of_jobs(&pool.spawner(), settings, data, jobs, pool.size());
    let budget = u64::from(settings.epochs);
    let mut progress = Progress::new(
        label,
        &mut *streams.err,
        streams.err_is_terminal,
        sweep.runs(),
        budget,
    );
    let mut results: Vec<SeedResult> = Vec::with_capacity(sweep.runs());
    let mut finished_epochs = 0;
    loop {
        match sweep.results().recv_timeout(Progress::TICK) {
            Ok(Ok(result)) => {
                finished_epochs += u64::from(result.epochs);
                results.push(result);
            }
            Ok(Err(failure)) => {
                progress.clear();
                return Err(RunError::Training(failure.to_string()));
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        // A finished run counts in full (the baseline and diverged runs stop early), one in
        // flight by its epochs.
        let in_flight = sweep.epochs_trained().saturating_sub(finished_epochs);
        progress.draw(results.len(), in_flight + results.len() as u64 * budget);
    }
    progress.finish(results.len());
    Ok(results)
}

/// The seeds `--seeds n` asks for from `settings.seed` on, or the one-line error when they
/// would pass the largest seed numpy accepts.
pub(crate) fn seeds(settings: &Settings, n: u32) -> Result<Vec<u32>, RunError> {
    crate::engine::seeds(settings.seed, n).ok_or_else(|| {
        RunError::Invalid(format!(
            "--seed {} with --seeds {n} would pass the largest seed, {}",
            settings.seed,
            u32::MAX
        ))
    })
}

/// The progress line on stderr: `compare: [#####.....] 23/60 runs · 1m12s`, redrawn in place
/// on a terminal; the bar counts epochs, the figure whole runs. Failing to draw it is not worth
/// failing the report for, so write errors are ignored.
struct Progress<'a> {
    label: &'a str,
    err: &'a mut dyn Write,
    live: bool,
    runs: usize,
    /// Epochs in the whole job list: runs × epochs per run.
    work: u64,
    started: Instant,
}

impl<'a> Progress<'a> {
    /// How often the elapsed time is redrawn while no result arrives.
    const TICK: Duration = Duration::from_millis(250);
    const WIDTH: usize = 30;

    fn new(label: &'a str, err: &'a mut dyn Write, live: bool, runs: usize, epochs: u64) -> Self {
        let mut progress = Self {
            label,
            err,
            live,
            runs,
            work: runs as u64 * epochs,
            started: Instant::now(),
        };
        progress.draw(0, 0);
        progress
    }

    /// `done` runs have finished, `epochs` of the whole work are done.
    fn draw(&mut self, done: usize, epochs: u64) {
        if !self.live {
            return;
        }
        let width = Self::WIDTH as u64;
        let filled = (epochs * width).checked_div(self.work).unwrap_or(width);
        let filled = filled.min(width) as usize;
        let _ = write!(
            self.err,
            "\r{}: [{}{}] {done}/{} runs · {}",
            self.label,
            "#".repeat(filled),
            ".".repeat(Self::WIDTH - filled),
            self.runs,
            clock(self.started.elapsed())
        );
        let _ = self.err.flush();
    }

    /// Erases the live line.
    fn clear(&mut self) {
        if self.live {
            let _ = write!(self.err, "\r\x1b[K");
        }
    }

    fn finish(&mut self, done: usize) {
        self.clear();
        let _ = writeln!(
            self.err,
            "{}: {} in {}",
            self.label,
            crate::format::count(done, "run"),
            clock(self.started.elapsed())
        );
    }
}

/// Elapsed time as `42s` or `3m07s`.
fn clock(elapsed: Duration) -> String {
    let s = elapsed.as_secs();
    if s < 60 {
        format!("{s}s")
    } else {
        format!("{}m{:02}s", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_redraws_in_place_on_a_terminal_and_once_elsewhere() {
        let mut live = Vec::new();
        let mut progress = Progress::new("compare", &mut live, true, 4, 10);
        progress.draw(1, 20);
        progress.finish(4);
        let text = String::from_utf8(live).unwrap();
        assert_eq!(
            text,
            format!(
                "\rcompare: [{}] 0/4 runs · 0s\rcompare: [{}{}] 1/4 runs · 0s\r\x1b[K\
                 compare: 4 runs in 0s\n",
                ".".repeat(30),
                "#".repeat(15),
                ".".repeat(15)
            )
        );
        let mut log = Vec::new();
        let mut progress = Progress::new("sweep", &mut log, false, 4, 10);
        progress.draw(1, 20);
        progress.finish(4);
        assert_eq!(String::from_utf8(log).unwrap(), "sweep: 4 runs in 0s\n");
        let mut one = Vec::new();
        Progress::new("compare", &mut one, false, 1, 10).finish(1);
        assert_eq!(String::from_utf8(one).unwrap(), "compare: 1 run in 0s\n");
        assert_eq!(clock(Duration::from_secs(187)), "3m07s");
    }
}
