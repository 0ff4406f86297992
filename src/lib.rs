//! digits-tui: the OPT_dist lab's digits network and five optimizers, reproduced bit for bit
//! and trained live.
//!
//! Layers, each using only those below it (README, "Layout"):
//! - core, no threads and no terminal: [`rng`], [`data`], [`nn`], [`train`], `error`, and
//!   `landscape` (the optimizers on 2-D functions);
//! - [`engine`]: the one thread pool, the session and sweeps, speaking `engine::Event`s;
//! - `model` and `export`: what the events add up to, and that as a file;
//! - [`settings`]: every setting described once, for the flags, the config file and the
//!   dashboard's settings panel; `exit`: the one error every front end ends with;
//! - front ends: [`front`] (flags, headless, `compare`, `bench`) and the dashboard in [`ui`],
//!   spelling figures one way each (`format`).
//!
//! Words with one meaning each:
//! - *run*: one contender's training in a session, first epoch to last (its history, summary
//!   and record). What trains it is a *trainer* ([`train::LabTrainer`] or `train::Baseline`,
//!   held as a [`train::Trainer`]); its place in the session's optimizer list is its *slot*.
//! - *model*: what a session's events add up to (`model`); a network frozen at one epoch is a
//!   [`train::Snapshot`].
//! - *sweep*: training over a grid of one setting's values (`engine::Grid`: rates, inits,
//!   activations or weight decays); independent trainings spread over the pool (a sweep's or
//!   `compare`'s seeds) are `engine::SeedRuns`.
//! - *panel*: a bordered region of the dashboard; the settings panel edits a
//!   `ui::settings_form::SettingsForm`.
//!
//! The public surface is what the crate's other targets need, nothing more (`unreachable_pub`
//! warns of any `pub` item outside it, so the compiler reports the dead code):
//! - the binary: [`execute`], [`front::cli`] and [`settings::flags`];
//! - the examples (`kernels`, `load_time`, `simd_check`, which `.ci/platforms` runs under
//!   emulation): the kernels and the lab trainer in [`nn`], [`train`], [`rng`] and [`data`];
//! - the tests that need a process of their own (`tests/background_cpu.rs`,
//!   `tests/event_loop_failure.rs`, `tests/intra_run.rs`): [`engine::pool`], the session and
//!   the real loop ([`ui::drive`] on an [`ui::app::App`]).
//!
//! The tests in `tests/cli/` drive the binary only. Everything else is `pub(crate)`: `error`,
//! `exit`, `export`, `format`, `landscape` and `model` whole, and the parts of the public
//! modules no other target names; of the types other targets use, `ui::app::App`,
//! `engine::Session` and `front::cli::Cli` keep `pub` only the methods a target calls. The
//! library's tests of its internals are unit tests (in the test-only `checks` tree and beside
//! the code); helpers only they use are `cfg(test)`.

#![warn(unreachable_pub)]

pub mod data;
pub mod engine;
pub(crate) mod error;
pub(crate) mod exit;
pub(crate) mod export;
pub(crate) mod format;
pub mod front;
pub(crate) mod landscape;
pub(crate) mod model;
pub mod nn;
pub mod rng;
pub mod settings;
pub mod train;
pub mod ui;

#[cfg(test)]
mod checks;
// `examples/simd_check/check.rs` names the crate as the examples do; `checks::simd_check`
// compiles it in.
#[cfg(test)]
extern crate self as digits_tui;

use std::io::{self, IsTerminal};
use std::sync::Arc;

use engine::Grid;
use exit::RunError;
use front::cli::{Cli, Tool};
use front::runs::{Request, Streams};
use front::shard::Kind;
use front::{bench, compare, headless, landscape as landscape_cmd, merge, plot, sweep};

/// Runs what the command line asks for: a saved session, a subcommand, the dashboard or a
/// headless run, each in one arm.
pub fn execute(cli: Cli) -> Result<(), RunError> {
    let interactive = !cli.headless && io::stdout().is_terminal();
    if let Some(path) = &cli.open {
        return open(&cli, path, interactive);
    }
    let values = cli.values();
    let settings = values.training.clone();
    let data_source = values.source();
    let trains = !matches!(
        cli.command,
        Some(
            Tool::Merge { .. }
                | Tool::Plot { .. }
                | Tool::Completions { .. }
                | Tool::Man
                | Tool::Landscape(_)
        )
    );
    if trains {
        quiet_worker_panics();
        // A bad DIGITS_TUI_SIMD is refused here, before any work (the kernels would fall back).
        nn::simd::configured().map_err(|e| RunError::Invalid(e.to_string()))?;
        if let Some(path) = &cli.export {
            // The export is written at the end: a bad path is refused before training.
            export::check_destination(path)?;
        }
    }
    let source = data_source.clone();
    let load = || Ok::<_, RunError>(data::load_source(&source)?);
    match &cli.command {
        Some(Tool::Completions { shell }) => {
            Ok(front::shell::completions(*shell, &mut io::stdout().lock())?)
        }
        Some(Tool::Man) => Ok(front::shell::man(&mut io::stdout().lock())?),
        Some(Tool::Merge { parts, json }) => {
            with_streams(|streams| merge::combine(parts, *json, streams))
        }
        Some(Tool::Plot { input, output }) => plot::draw(input, output),
        Some(Tool::Landscape(args)) => {
            landscape_cmd::report(args, &settings, &mut io::stdout().lock())
        }
        Some(Tool::Bench {
            sample_epochs,
            simd,
        }) => Ok(bench::measure(
            &settings,
            Arc::new(load()?),
            *sample_epochs,
            *simd,
            ui::frame_bench::frame_render_ms,
            &mut io::stdout().lock(),
        )?),
        Some(Tool::Compare { seeds, json, shard }) => {
            let request = Request {
                kind: Kind::Compare,
                seeds: *seeds,
                grid: None,
                json: *json,
                shard: *shard,
                data_source,
            };
            let data = Arc::new(load()?);
            with_streams(|streams| compare::report(&settings, data, request, streams))
        }
        Some(Tool::Sweep {
            lr_grid,
            grid,
            seeds,
            json,
            shard,
        }) => {
            let grid = grid.clone().unwrap_or_else(|| Grid::Lr(lr_grid.0.clone()));
            let request = Request {
                kind: Kind::Sweep,
                seeds: *seeds,
                grid: Some(grid),
                json: *json,
                shard: *shard,
                data_source,
            };
            let data = Arc::new(load()?);
            with_streams(|streams| sweep::report(&settings, data, request, streams))
        }
        None if interactive => ui::dashboard(settings, load, ui_options(&cli)),
        None => {
            let data = Arc::new(load()?);
            // stderr stays unlocked: a worker that panics prints its message there.
            let (mut out, mut err) = (io::stdout().lock(), io::stderr());
            let options = headless::Options {
                summary: cli.summary,
                export: cli.export.clone(),
                data_source,
            };
            let settings = train::Settings {
                health: cli.health,
                ..settings
            };
            headless::train(settings, data, &options, &mut out, &mut err)
        }
    }
}

/// `--open`: a saved session in the dashboard, or printed like a finished headless run.
fn open(cli: &Cli, path: &std::path::Path, interactive: bool) -> Result<(), RunError> {
    let record = export::read(path)?;
    if !interactive {
        let (mut out, mut err) = (io::stdout().lock(), io::stderr().lock());
        return headless::show(&record, cli.summary, &mut out, &mut err);
    }
    let name = (path.file_name()).map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    // The digits panel needs the data the session was trained on.
    let source = record.data.clone();
    let load = || Ok(data::load_source(&source)?);
    ui::show(&record, name, load, ui_options(cli))
}

/// Calls `f` with the report going to stdout and progress to stderr, live when stderr is a
/// terminal. stderr is locked per write, never for the whole run: a worker that panics
/// writes its message there, and would wait forever for a lock held until the run ends.
fn with_streams<T>(f: impl FnOnce(&mut Streams<'_>) -> T) -> T {
    let mut err = io::stderr();
    let err_is_terminal = err.is_terminal();
    f(&mut Streams {
        out: &mut io::stdout().lock(),
        err: &mut err,
        err_is_terminal,
    })
}

fn ui_options(cli: &Cli) -> ui::Options {
    let values = cli.values();
    ui::Options {
        paused: values.paused,
        speed: values.speed,
        ascii: values.ascii,
        export: cli.export.clone(),
        data_source: values.source(),
    }
}

/// A worker's panic is caught and becomes the one-line "training failed" error; Rust's default
/// report (and backtrace) would only print the same thing again, messily, before it.
fn quiet_worker_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !engine::is_worker_thread() {
            previous(info);
        }
    }));
}
