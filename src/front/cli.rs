//! Command-line flags: the subcommands and the flags of this front end, parsed by clap, with
//! the settings' flags ([`crate::settings::flags`]) flattened in.

use std::path::PathBuf;

use clap::{ArgMatches, Parser, Subcommand};

use super::headless::SummaryFormat;
use super::shard;
use crate::engine::{Grid, Shard};
use crate::settings::error::ConfigError;
use crate::settings::flags::{self, Flags};
use crate::settings::mode::Mode;
use crate::settings::rules::{LrGrid, at_least_one_u32, lr_grid, sweep_grid};
use crate::settings::{COMPARE_SEEDS, SWEEP_GRID, SWEEP_SEEDS, Values, file};

/// Train a digits network with five optimizers side by side, live in the terminal.
///
/// With stdout not a terminal (or --headless), prints one JSON line per optimizer and epoch
/// instead of the dashboard.
#[derive(Debug, Parser)]
#[command(name = "digits-tui", version, about, long_about = None)]
pub struct Cli {
    /// What to do instead of training (default: train).
    #[command(subcommand)]
    pub command: Option<Tool>,
    /// Print JSON lines instead of starting the dashboard.
    #[arg(long)]
    pub headless: bool,
    /// Headless end-of-run summary: a table on stderr, or a final JSON line on stdout.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub summary: SummaryFormat,
    /// Headless: add each hidden layer's health (activation histogram on the test set,
    /// saturated share, gradient norm, update ratio) to every lab run's JSON lines.
    #[arg(long)]
    pub health: bool,
    /// The settings, one flag each.
    #[command(flatten)]
    pub flags: Flags,
    /// Settings from a JSON object keyed by the flags' names with `_` for `-`, e.g.
    /// {"epochs": 200, "batch_size": 32, "hidden": [80, 70]}; flags given here override it.
    #[arg(long, global = true, value_name = "FILE.json")]
    pub config: Option<PathBuf>,
    /// Where the session (settings, every epoch, learning-rate changes, final table) is written
    /// as one JSON file: when a headless run ends, or on `e` in the dashboard.
    #[arg(long, value_name = "PATH")]
    pub export: Option<PathBuf>,
    /// Show a session written by --export instead of training.
    #[arg(long, global = true, value_name = "FILE.json")]
    pub open: Option<PathBuf>,
}

/// Alternatives to training.
#[derive(Debug, Subcommand)]
pub enum Tool {
    /// Measure ms per epoch for each optimizer and the wall time of the full comparison.
    Bench {
        /// Epochs timed per optimizer on one core.
        #[arg(long, default_value_t = 100, allow_negative_numbers = true, value_parser = at_least_one_u32)]
        sample_epochs: u32,
        /// Vector width to time: avx512, avx2, neon, portable, or all of those this CPU has
        /// side by side (default: DIGITS_TUI_SIMD, else the widest this CPU has).
        #[arg(long, value_name = "PATH", value_parser = crate::nn::simd::Choice::parse)]
        simd: Option<crate::nn::simd::Choice>,
    },
    /// Train every optimizer (and the baseline) on many seeds and print the spread of results.
    ///
    /// Seeds --seed, --seed+1, … train on all cores, with a progress line on stderr. Per
    /// optimizer: mean ± sample standard deviation, min and max of the final test accuracy,
    /// median final loss, median first epoch at 100% train accuracy, wins (a tie counts for
    /// each) and the ranking. Single runs are not general results; the lab said so itself.
    Compare {
        /// How many seeds: --seed, --seed+1, …, --seed+N-1 (from the lab's 7 by default).
        #[arg(long, default_value_t = COMPARE_SEEDS, value_name = "N", allow_negative_numbers = true, value_parser = at_least_one_u32)]
        seeds: u32,
        /// Print one JSON document (every run, the statistics, the ranking) instead of the
        /// table.
        #[arg(long)]
        json: bool,
        /// Train only the K-th of N slices of the runs and print them as a partial JSON
        /// document; `digits-tui merge` adds the N parts up to the unsharded output.
        #[arg(long, value_name = "K/N", value_parser = shard::parse)]
        shard: Option<Shard>,
    },
    /// Train every optimizer (and the baseline) over a grid of learning rates on several
    /// seeds: per optimizer and rate the spread of final test accuracy, median loss and
    /// divergences; per optimizer its best rate and how flat the curve is around it.
    ///
    /// The baseline takes each rate as its learning_rate_init. Diverged runs are counted, never
    /// fatal. Every other flag applies as for compare. With --grid, a knob is swept instead of
    /// the rate.
    Sweep {
        /// The rates: a comma-separated list in increasing order (0.001,0.01,0.1), or FROM:TO:N
        /// for N log-spaced points from FROM to TO (1e-4:1:9).
        #[arg(long, default_value = SWEEP_GRID, value_name = "GRID", allow_hyphen_values = true, value_parser = lr_grid)]
        lr_grid: LrGrid,
        /// Sweep one setting instead of the rate: init=lab,xavier,he, activation=sigmoid,tanh,relu,
        /// weight-decay=0,1e-4,1e-3 (increasing), or lr= as --lr-grid takes it. The baseline
        /// ignores init and weight-decay (it keeps scikit-learn's own).
        #[arg(long, value_name = "KNOB=VALUES", conflicts_with = "lr_grid", value_parser = sweep_grid)]
        grid: Option<Grid>,
        /// How many seeds: --seed, --seed+1, …, --seed+N-1.
        #[arg(long, default_value_t = SWEEP_SEEDS, value_name = "N", allow_negative_numbers = true, value_parser = at_least_one_u32)]
        seeds: u32,
        /// Print one JSON document (every run, each optimizer's curve, the ranking) instead of
        /// the table.
        #[arg(long)]
        json: bool,
        /// Train only the K-th of N slices of the runs and print them as a partial JSON
        /// document; `digits-tui merge` adds the N parts up to the unsharded output.
        #[arg(long, value_name = "K/N", value_parser = shard::parse)]
        shard: Option<Shard>,
    },
    /// Add up the partial documents of `compare --shard` or `sweep --shard` (every shard K/N
    /// once) and print exactly what the unsharded run prints.
    Merge {
        /// The partial documents, in any order.
        #[arg(required = true, value_name = "PART")]
        parts: Vec<PathBuf>,
        /// Print the JSON document instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// Walk the lab's five update rules down a 2-D function (bowl, rosenbrock, himmelblau,
    /// saddle) with the dashboard's own optimizer code: per optimizer the final point, f, the
    /// first step within 1e-3 of the minimum and whether it diverged, or every step as JSON
    /// lines. --optimizers, --momentum, --rho, --beta1 and --beta2 apply.
    Landscape(super::landscape::Args),
    /// Draw a saved output as an SVG figure: a session file (--export) as loss and test
    /// accuracy per epoch, `compare --json` as the spread per optimizer, `sweep --json` as
    /// test accuracy against learning rate, `landscape --json` as contours and paths.
    Plot {
        /// The saved output to draw.
        #[arg(value_name = "FILE")]
        input: PathBuf,
        /// Where the SVG goes.
        #[arg(short, long, value_name = "OUT.svg")]
        output: PathBuf,
    },
    /// Print a completion script for a shell, e.g. `digits-tui completions bash >
    /// ~/.local/share/bash-completion/completions/digits-tui`.
    Completions {
        /// The shell the script is for.
        #[arg(value_enum, ignore_case = true)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `digits-tui man > ~/.local/share/man/man1/digits-tui.1`.
    Man,
}

/// This front end's own flags and the modes that take them (the settings' flags say theirs in
/// [`crate::settings::TABLE`]).
const OWN_FLAGS: [(&str, &[Mode]); 6] = [
    ("headless", &[Mode::Headless, Mode::Open]),
    ("summary", &[Mode::Headless, Mode::Open]),
    ("health", &[Mode::Headless]),
    ("export", &[Mode::Dashboard, Mode::Headless, Mode::Open]),
    (
        "config",
        &[
            Mode::Dashboard,
            Mode::Headless,
            Mode::Compare,
            Mode::Sweep,
            Mode::Bench,
            Mode::Landscape,
        ],
    ),
    ("open", &[Mode::Open]),
];

impl Cli {
    /// What the settings' flags say (and, after [`Self::with_config`], the config file).
    pub fn values(&self) -> &Values {
        &self.flags.values
    }

    /// What this invocation does, `terminal` saying whether stdout is one.
    pub(crate) fn mode(&self, terminal: bool) -> Mode {
        match &self.command {
            Some(Tool::Bench { .. }) => Mode::Bench,
            Some(Tool::Compare { .. }) => Mode::Compare,
            Some(Tool::Sweep { .. }) => Mode::Sweep,
            Some(Tool::Merge { .. }) => Mode::Merge,
            Some(Tool::Landscape(_)) => Mode::Landscape,
            Some(Tool::Plot { .. }) => Mode::Plot,
            Some(Tool::Completions { .. } | Tool::Man) => Mode::Shell,
            None if self.open.is_some() => Mode::Open,
            None if self.headless || !terminal => Mode::Headless,
            None => Mode::Dashboard,
        }
    }

    /// Refuses, by name, a flag typed on the command line (as `matches` records) where it does
    /// not apply: one of this front end's own ([`OWN_FLAGS`]) or a setting (by its scope).
    pub fn check_mode(&self, matches: &ArgMatches, terminal: bool) -> Result<(), ConfigError> {
        let mode = self.mode(terminal);
        let own = (OWN_FLAGS.iter())
            .filter(|(_, modes)| !modes.contains(&mode))
            .map(|(name, _)| *name);
        flags::refuse_given(matches, own, mode)?;
        flags::check_mode(matches, mode)
    }

    /// The setting a `sweep` varies run by run: its `--grid`'s knob, else the rate.
    fn swept(&self) -> Option<&'static str> {
        match &self.command {
            Some(Tool::Sweep { grid, .. }) => Some(grid.as_ref().map_or("lr", |g| g.knob().name())),
            _ => None,
        }
    }

    /// Refuses the flag of the setting a `sweep --grid` varies, given on the command line: the
    /// grid sets it run by run.
    pub fn check_grid(&self, matches: &ArgMatches) -> Result<(), ConfigError> {
        let Some(Tool::Sweep {
            grid: Some(grid), ..
        }) = &self.command
        else {
            return Ok(());
        };
        let name = grid.knob().name();
        match flags::given(matches, name) {
            true => Err(ConfigError::DoesNotApply {
                flag: name.into(),
                context: "beside a --grid of the same setting: the grid sets it run by run",
            }),
            false => Ok(()),
        }
    }

    /// Fills every setting `matches` did not get from the command line from the `--config`
    /// file, if one was given, validated by the flags' own rules. A key for the setting a
    /// sweep varies is refused, as its flag is: the grid would override it without a word.
    pub fn with_config(mut self, matches: &ArgMatches) -> Result<Self, ConfigError> {
        if let Some(path) = self.config.clone() {
            let held = file::apply(&mut self.flags.values, matches, &path)?;
            let swept = self.swept();
            if let Some(row) = held.into_iter().find(|row| Some(row.name) == swept) {
                return Err(ConfigError::Value {
                    path: path.display().to_string(),
                    key: row.key(),
                    rule: "is what this sweep varies (its grid sets it run by run): drop the key, \
                           or sweep another setting"
                        .into(),
                });
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches};

    use super::*;

    fn parse(args: &[&str]) -> (Cli, ArgMatches) {
        let argv = std::iter::once("digits-tui").chain(args.iter().copied());
        let matches = Cli::command().try_get_matches_from(argv).expect("parses");
        (Cli::from_arg_matches(&matches).expect("parses"), matches)
    }

    #[test]
    fn settings_flags_apply_after_a_subcommand_too() {
        let (cli, _) = parse(&["compare", "--epochs", "5", "--seeds", "2"]);
        assert_eq!(cli.values().training.epochs, 5);
        let Some(Tool::Sweep { lr_grid, seeds, .. }) = parse(&["sweep"]).0.command else {
            panic!("a sweep");
        };
        assert_eq!(
            (lr_grid.0, seeds),
            (crate::settings::sweep_rates(), SWEEP_SEEDS)
        );
    }

    #[test]
    fn a_config_key_for_what_a_sweep_varies_is_refused_like_its_flag() {
        let dir = std::env::temp_dir().join(format!("digits-tui-swept-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let config = dir.join("c.json");
        std::fs::write(&config, r#"{"init": "he", "lr": 0.05, "epochs": 2}"#).expect("written");
        let path = config.to_str().expect("a UTF-8 temp path");
        let refused = |args: &[&str]| {
            let (cli, matches) = parse(args);
            cli.with_config(&matches).err().map(|e| e.to_string())
        };
        let by_rate = refused(&["sweep", "--config", path]).expect("lr is swept");
        assert!(by_rate.ends_with("`lr` is what this sweep varies (its grid sets it run by run): drop the key, or sweep another setting"), "{by_rate}");
        let by_init = refused(&["sweep", "--grid", "init=lab,he", "--config", path]);
        assert!(by_init.is_some_and(|e| e.contains("`init` is what this sweep varies")));
        // The same file trains as written where nothing sweeps it.
        let (cli, matches) = parse(&["compare", "--config", path]);
        let cli = cli.with_config(&matches).expect("compare takes it");
        assert_eq!(cli.values().training.epochs, 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn flags_are_refused_by_name_where_they_do_not_apply() {
        for (args, refused) in [
            (
                &["--open", "s.json", "compare"][..],
                Some("--open does not apply to compare"),
            ),
            (
                &["--open", "s.json", "--lr", "0.1"],
                Some("--lr does not apply with --open"),
            ),
            (
                &["--open", "s.json", "--config", "c.json"],
                Some("--config does not apply with --open"),
            ),
            (&["--open", "s.json", "--ascii"], None),
            (&["--lr", "0.1"], None),
            (
                &["--headless", "--paused", "--speed", "1", "--ascii"],
                Some("--paused does not apply to a headless run"),
            ),
            (
                &["--summary", "json"],
                Some("--summary does not apply to the dashboard"),
            ),
            (
                &["plot", "s.json", "-o", "o.svg", "--lr", "5"],
                Some("--lr does not apply to plot"),
            ),
            (
                &["merge", "a.json", "--seed", "3"],
                Some("--seed does not apply to merge"),
            ),
            (
                &["sweep", "--lr", "0.5"],
                Some("--lr does not apply to sweep"),
            ),
            (
                &["--health", "compare"],
                Some("--health does not apply to compare"),
            ),
            (
                &["--headless", "bench"],
                Some("--headless does not apply to bench"),
            ),
            (&["sweep", "--epochs", "5", "--config", "c.json"], None),
            (
                &["landscape", "bowl", "--lr", "0.1", "--momentum", "0.5"],
                None,
            ),
            (
                &["landscape", "bowl", "--seed", "3"],
                Some("--seed does not apply to landscape"),
            ),
        ] {
            let (cli, matches) = parse(args);
            let err = cli.check_mode(&matches, true).err().map(|e| e.to_string());
            match refused {
                Some(start) => assert!(
                    err.as_ref().is_some_and(|e| e.starts_with(start)),
                    "{args:?}: {err:?}"
                ),
                None => assert_eq!(err, None, "{args:?}"),
            }
        }
    }
}
