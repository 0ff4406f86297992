//! digits-tui: the OPT_dist lab's digits network and five optimizers, reproduced bit for bit
//! and trained live.
//!
//! The core ([`rng`], [`data`], [`nn`], [`train`]) knows nothing of terminals; [`headless`] and
//! the dashboard in [`ui`] are two ways of watching the same training session; [`compare`]
//! repeats it over many seeds.

pub mod bench;
pub mod cli;
pub mod compare;
pub mod config;
pub mod data;
pub mod error;
pub mod export;
pub mod headless;
pub mod nn;
pub mod rng;
pub mod train;
pub mod ui;

use std::io::{self, IsTerminal};
use std::sync::Arc;

use cli::{Cli, Mode};
use data::{Dataset, Digits};
use error::RunError;

/// Runs what the command line asks for.
pub fn run(cli: Cli) -> Result<(), RunError> {
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
        // The digits panel needs the data the session was trained on.
        let digits = match record.data.as_str() {
            "embedded" => Digits::embedded(),
            other => Digits::load(std::path::Path::new(other))?,
        };
        let name = (path.file_name()).map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let data = Arc::new(Dataset::prepare(&digits));
        return ui::show(&record, name, data, ui_options(&cli));
    }
    let digits = match &cli.data {
        Some(path) => Digits::load(path)?,
        None => Digits::embedded(),
    };
    let data = Arc::new(Dataset::prepare(&digits));
    let settings = cli.settings();
    match cli.command {
        Some(Mode::Bench {
            sample_epochs,
            simd,
        }) => {
            return Ok(bench::run(
                &settings,
                data,
                sample_epochs,
                simd,
                &mut io::stdout().lock(),
            )?);
        }
        Some(Mode::Compare { seeds, json }) => {
            let err = io::stderr();
            let live = err.is_terminal();
            return compare::run(
                &settings,
                data,
                seeds,
                json,
                &mut io::stdout().lock(),
                &mut err.lock(),
                live,
            );
        }
        None => {}
    }
    if let Some(path) = &cli.export {
        export::check_destination(path)?;
    }
    if !interactive {
        let (mut out, mut err) = (io::stdout().lock(), io::stderr().lock());
        let options = headless::Options {
            summary: cli.summary,
            export: cli.export.clone(),
            data_source: export::data_source(cli.data.as_deref()),
        };
        return headless::run(settings, data, &options, &mut out, &mut err);
    }
    ui::run(settings, data, ui_options(&cli))
}

fn ui_options(cli: &Cli) -> ui::Options {
    ui::Options {
        paused: cli.paused,
        speed: cli.speed,
        ascii: cli.ascii,
        export: cli.export.clone(),
        data_source: export::data_source(cli.data.as_deref()),
    }
}

/// A worker's panic is caught and becomes the one-line "training failed" error; Rust's default
/// report (and backtrace) would only print the same thing again, messily, before it.
fn quiet_worker_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !train::is_worker_thread() {
            previous(info);
        }
    }));
}
