//! digits-tui: the OPT_dist lab's digits network and five optimizers, reproduced bit for bit
//! and trained live.
//!
//! The core ([`rng`], [`data`], [`nn`], [`train`]) knows nothing of terminals; [`headless`] and
//! the dashboard in [`ui`] are two ways of watching the same training session; [`compare`]
//! repeats it over many seeds.

pub mod bench;
pub mod cli;
pub mod compare;
pub mod data;
pub mod error;
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
    let digits = match &cli.data {
        Some(path) => Digits::load(path)?,
        None => Digits::embedded(),
    };
    let data = Arc::new(Dataset::prepare(&digits));
    let settings = cli.settings();
    match cli.command {
        Some(Mode::Bench { sample_epochs }) => {
            return Ok(bench::run(
                &settings,
                data,
                sample_epochs,
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
    if cli.headless || !io::stdout().is_terminal() {
        let (mut out, mut err) = (io::stdout().lock(), io::stderr().lock());
        return headless::run(settings, data, cli.summary, &mut out, &mut err);
    }
    let options = ui::Options {
        paused: cli.paused,
        speed: cli.speed,
        ascii: cli.ascii,
    };
    ui::run(settings, data, options)
}
