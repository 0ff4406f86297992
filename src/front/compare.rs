//! `digits-tui compare`: every contender trained on many seeds on all cores, reported as a
//! table or a JSON document, with a progress line on stderr.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use serde::Serialize;

use crate::data::Dataset;
use crate::engine::{Pool, SeedResult, Sweep, seeds};
use crate::error::RunError;
use crate::model::stats::{ContenderStats, ranking, summarize};
use crate::train::{BASELINE_LOSS_NOTE, Contender, Protocol, Settings};

/// The document `compare --json` prints.
#[derive(Serialize)]
pub struct Report<'a> {
    /// Every seed trained.
    pub seeds: &'a [u32],
    /// Epochs per run (the baseline's `max_iter`).
    pub epochs: u32,
    /// Whether the lab's optimizers started together or continued one from another.
    pub protocol: Protocol,
    /// Every run, by seed, then in `--optimizers` order.
    pub results: &'a [SeedResult],
    /// Statistics per contender, in `--optimizers` order.
    pub summary: &'a [ContenderStats],
    /// Contender names, best first.
    pub ranking: Vec<Contender>,
}

/// The first line of the table: what was compared.
fn header(settings: &Settings, seeds: &[u32]) -> String {
    let span = match (seeds.first(), seeds.last()) {
        (Some(a), Some(b)) if a != b => format!("seeds {a}..={b}"),
        (Some(a), _) => format!("seed {a}"),
        _ => "no seeds".to_owned(),
    };
    let hidden: Vec<String> = settings.hidden.iter().map(usize::to_string).collect();
    format!(
        "compare: {} runs each, {span}, {} epochs, {} protocol, lr {}, batch {}, hidden {}",
        seeds.len(),
        settings.epochs,
        match settings.protocol {
            Protocol::Fair => "fair",
            Protocol::Chain => "chain",
        },
        settings.hyper.lr,
        settings.batch_size,
        hidden.join(",")
    )
}

/// The text table: a header naming the seeds and settings, one row per contender best first,
/// then what each column means.
pub fn table(settings: &Settings, seeds: &[u32], stats: &[ContenderStats]) -> String {
    let mut out = header(settings, seeds);
    out.push('\n');
    out.push_str(&format!(
        "{:>4}  {:<13}  {:>4}  {:>15}  {:>6}  {:>6}  {:>11}  {:>16}  {:>8}  {:>4}\n",
        "rank",
        "optimizer",
        "runs",
        "test acc ± sd",
        "min",
        "max",
        "median loss",
        "100% train @",
        "diverged",
        "wins"
    ));
    let acc = |x: Option<f64>| x.map_or_else(|| "-".to_owned(), |x| format!("{x:.4}"));
    let mut ranked: Vec<&ContenderStats> = stats.iter().collect();
    ranked.sort_by_key(|s| s.rank);
    for s in &ranked {
        let mean = match (s.mean_test_acc, s.sd_test_acc) {
            (Some(m), Some(sd)) => format!("{m:.4} ± {sd:.4}"),
            (m, _) => acc(m),
        };
        let perfect = s.median_perfect_train_epoch.map_or_else(
            || "-".to_owned(),
            |e| {
                if e.fract() == 0.0 {
                    format!("{e:.0}")
                } else {
                    format!("{e:.1}")
                }
            },
        );
        out.push_str(&format!(
            "{:>4}  {:<13}  {:>4}  {:>15}  {:>6}  {:>6}  {:>11}  {:>16}  {:>8}  {:>4}\n",
            s.rank,
            s.optimizer.label(),
            s.runs,
            mean,
            acc(s.min_test_acc),
            acc(s.max_test_acc),
            s.median_loss
                .map_or_else(|| "-".to_owned(), |l| format!("{l:.3e}")),
            format!(
                "{perfect} ({}/{})",
                s.reached_perfect_train,
                s.runs - s.not_started
            ),
            s.diverged,
            s.wins
        ));
    }
    out.push_str(
        "test acc: final test accuracy over seeds, mean ± sample standard deviation (n-1).\n\
         median loss: over the runs that did not diverge. 100% train @: median first epoch with\n\
         every training image right, over the runs that got there (how many of how many).\n\
         wins: seeds with the best final test accuracy (a tie counts for each).\n\
         rank: by mean test accuracy, then by median loss.\n",
    );
    for s in ranked.iter().filter(|s| s.not_started > 0) {
        out.push_str(&format!(
            "{}: {} chain stages never started (an earlier stage diverged).\n",
            s.optimizer.label(),
            s.not_started
        ));
    }
    if stats.iter().any(|s| s.optimizer == Contender::Mlp) {
        out.push_str(BASELINE_LOSS_NOTE);
        out.push('\n');
    }
    out
}

/// Runs `compare --seeds n_seeds`: trains on all cores, draws a progress line on `err` (a
/// live one when `err_is_terminal`, else one line at the end, so logs stay clean), then writes
/// the table or the JSON document to `out`. A worker panic ends it with
/// [`RunError::Training`]; a closed stdout ends it quietly.
pub fn report(
    settings: &Settings,
    data: Arc<Dataset>,
    n_seeds: u32,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
    err_is_terminal: bool,
) -> Result<(), RunError> {
    let seeds = seeds(settings.seed, n_seeds).ok_or_else(|| {
        RunError::Invalid(format!(
            "--seed {} with --seeds {n_seeds} would pass the largest seed, {}",
            settings.seed,
            u32::MAX
        ))
    })?;
    let pool = Pool::per_core();
    let comparison = Sweep::start(&pool.spawner(), settings, data, &seeds, pool.size());
    let budget = u64::from(settings.epochs);
    let mut progress = Progress::new(err, err_is_terminal, comparison.runs(), budget);
    let mut results: Vec<SeedResult> = Vec::with_capacity(comparison.runs());
    let mut finished_epochs = 0;
    loop {
        match comparison.results().recv_timeout(Progress::TICK) {
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
        // A finished run counts in full (the baseline stops early), one in flight by its epochs.
        let in_flight = comparison.epochs_trained().saturating_sub(finished_epochs);
        progress.draw(results.len(), in_flight + results.len() as u64 * budget);
    }
    progress.finish(results.len());
    let order = |c: Contender| settings.optimizers.iter().position(|&o| o == c);
    results.sort_by_key(|r| (r.seed, order(r.optimizer)));
    let stats = summarize(&settings.optimizers, &results);
    let written = if json {
        let report = Report {
            seeds: &seeds,
            epochs: settings.epochs,
            protocol: settings.protocol,
            results: &results,
            summary: &stats,
            ranking: ranking(&stats),
        };
        serde_json::to_writer(&mut *out, &report)
            .map_err(io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
    } else {
        out.write_all(table(settings, &seeds, &stats).as_bytes())
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// The progress line on stderr: `compare: [#####.....] 23/60 runs · 1m12s`, redrawn in place
/// on a terminal; the bar counts epochs, the figure whole runs. Failing to draw it is not worth
/// failing the comparison for, so write errors are ignored.
struct Progress<'a> {
    err: &'a mut dyn Write,
    live: bool,
    runs: usize,
    /// Epochs in the whole comparison: runs × epochs per run.
    work: u64,
    started: Instant,
}

impl<'a> Progress<'a> {
    /// How often the elapsed time is redrawn while no result arrives.
    const TICK: Duration = Duration::from_millis(250);
    const WIDTH: usize = 30;

    fn new(err: &'a mut dyn Write, live: bool, runs: usize, epochs: u64) -> Self {
        let mut progress = Self {
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
            "\rcompare: [{}{}] {done}/{} runs · {}",
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
            "compare: {done} runs in {}",
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
    fn the_table_lists_contenders_best_first_and_explains_itself() {
        let (contenders, results) = crate::model::stats::tests::hand_made();
        let stats = summarize(&contenders, &results);
        let settings = Settings {
            optimizers: contenders,
            ..Settings::default()
        };
        let text = table(&settings, &[1, 2, 3, 4], &stats);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "compare: 4 runs each, seeds 1..=4, 1000 epochs, fair protocol, lr 0.01, batch 64, \
             hidden 80,70"
        );
        assert!(lines[1].starts_with("rank  optimizer"), "{text}");
        assert_eq!(
            lines[2],
            "   1  Adam              4  0.7500 ± 0.2041  0.5000  1.0000     2.500e-2         \
             6.5 (4/4)         0     4"
        );
        assert!(lines[3].contains("RMSProp"), "{text}");
        assert!(
            lines[5].contains("SGD") && lines[5].contains("20 (2/4)"),
            "{text}"
        );
        assert!(
            text.contains("Momentum: 1 chain stages never started"),
            "{text}"
        );
        assert!(text.contains(BASELINE_LOSS_NOTE), "{text}");
    }

    #[test]
    fn the_progress_line_redraws_in_place_on_a_terminal_and_once_elsewhere() {
        let mut live = Vec::new();
        let mut progress = Progress::new(&mut live, true, 4, 10);
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
        let mut progress = Progress::new(&mut log, false, 4, 10);
        progress.draw(1, 20);
        progress.finish(4);
        assert_eq!(String::from_utf8(log).unwrap(), "compare: 4 runs in 0s\n");
        assert_eq!(clock(Duration::from_secs(187)), "3m07s");
    }
}
