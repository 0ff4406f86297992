//! digits-tui: the OPT_dist lab's digits network and five optimizers, reproduced bit for bit
//! and trained live.
//!
//! Layers, each using only those below it (README, "Layout"):
//! - core, no threads and no terminal: [`rng`], [`data`], [`nn`], [`train`], [`error`];
//! - [`engine`]: the one thread pool, the session and sweeps, speaking [`engine::Event`]s;
//! - [`model`] and [`export`]: what the events add up to, and that as a file;
//! - front ends: [`front`] (flags, headless, `compare`, `bench`) and the dashboard in [`ui`],
//!   spelling figures one way each ([`format`]).

pub mod data;
pub mod engine;
pub mod error;
pub mod export;
pub mod format;
pub mod front;
pub mod model;
pub mod nn;
pub mod rng;
pub mod train;
pub mod ui;

use std::io::{self, IsTerminal};
use std::sync::Arc;

use error::RunError;
use front::cli::{Cli, Tool};
use front::runs::{Request, Streams};
use front::shard::Kind;
use front::{bench, compare, headless, merge, plot, sweep};

/// Runs what the command line asks for.
pub fn run(cli: Cli) -> Result<(), RunError> {
    match &cli.command {
        Some(Tool::Completions { shell }) => {
            return Ok(front::shell::completions(*shell, &mut io::stdout().lock())?);
        }
        Some(Tool::Man) => return Ok(front::shell::man(&mut io::stdout().lock())?),
        _ => {}
    }
    quiet_worker_panics();
    // A bad DIGITS_TUI_SIMD is refused here, before any work (the kernels would fall back).
    nn::simd::configured().map_err(|e| RunError::Invalid(e.to_string()))?;
    let interactive = !cli.headless && io::stdout().is_terminal();
    if let Some(path) = &cli.open {
        let record = export::read(path)?;
        if !interactive {
            // Printed like a finished headless run.
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
        return ui::show(&record, name, load, ui_options(&cli));
    }
    match &cli.command {
        Some(Tool::Merge { parts, json }) => {
            return with_streams(|streams| merge::combine(parts, *json, streams));
        }
        Some(Tool::Plot { input, output }) => return plot::draw(input, output),
        _ => {}
    }
    let settings = cli.settings();
    if let Some(path) = &cli.export {
        export::check_destination(path)?;
    }
    let data_source = cli.data_source();
    let load = || data::load_source(&data_source);
    if interactive && cli.command.is_none() {
        return ui::dashboard(settings, || Ok(load()?), ui_options(&cli));
    }
    let data = Arc::new(load()?);
    match cli.command {
        Some(Tool::Bench {
            sample_epochs,
            simd,
        }) => {
            return Ok(bench::measure(
                &settings,
                data,
                sample_epochs,
                simd,
                &mut io::stdout().lock(),
            )?);
        }
        Some(Tool::Compare { seeds, json, shard }) => {
            let request = Request {
                kind: Kind::Compare,
                seeds,
                rates: None,
                json,
                shard,
                data_source,
            };
            return with_streams(|streams| compare::report(&settings, data, request, streams));
        }
        Some(Tool::Sweep {
            lr_grid,
            seeds,
            json,
            shard,
        }) => {
            let request = Request {
                kind: Kind::Sweep,
                seeds,
                rates: Some(lr_grid.0),
                json,
                shard,
                data_source,
            };
            return with_streams(|streams| sweep::report(&settings, data, request, streams));
        }
        Some(Tool::Merge { .. } | Tool::Plot { .. } | Tool::Completions { .. } | Tool::Man)
        | None => {}
    }
    let (mut out, mut err) = (io::stdout().lock(), io::stderr().lock());
    let options = headless::Options {
        summary: cli.summary,
        export: cli.export.clone(),
        data_source,
    };
    headless::train(settings, data, &options, &mut out, &mut err)
}

/// Calls `f` with the report going to stdout and progress to stderr, live when stderr is a
/// terminal.
fn with_streams<T>(f: impl FnOnce(&mut Streams<'_>) -> T) -> T {
    let err = io::stderr();
    let err_is_terminal = err.is_terminal();
    f(&mut Streams {
        out: &mut io::stdout().lock(),
        err: &mut err.lock(),
        err_is_terminal,
    })
}

fn ui_options(cli: &Cli) -> ui::Options {
    ui::Options {
        paused: cli.paused,
        speed: cli.speed,
        ascii: cli.ascii,
        export: cli.export.clone(),
        data_source: cli.data_source(),
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
