//! Command-line flags: parsed by clap, validated into [`Settings`] with one-line messages that
//! name the flag and the rule.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::headless::SummaryFormat;
use super::shard;
use crate::engine::{Shard, Speed};
use crate::nn::Hyper;
use crate::train::{Contender, DEFAULT_SEED, Protocol, Settings};

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
    /// Images to train on: a CSV (the lab's 64 pixels 0..16 and a label per line, or a header
    /// with a `label` column and square images of pixels 0..255) or an MNIST-format IDX
    /// directory (its own test set); default: the embedded 8×8 digits.
    #[arg(long, global = true, value_name = "PATH")]
    pub data: Option<PathBuf>,
    /// A CSV test set used as given, instead of the lab's 80/20 split of --data.
    #[arg(long, global = true, value_name = "PATH")]
    pub test_data: Option<PathBuf>,
    /// Epochs per optimizer.
    #[arg(long, global = true, default_value_t = 1000, allow_negative_numbers = true, value_parser = at_least_one_u32)]
    pub epochs: u32,
    /// Learning rate.
    #[arg(long, global = true, default_value_t = 0.01, value_name = "RATE", allow_negative_numbers = true, value_parser = positive_f64)]
    pub lr: f64,
    /// Rows per mini-batch (the remainder forms a last, smaller batch).
    #[arg(long, global = true, default_value_t = 64, value_name = "N", allow_negative_numbers = true, value_parser = at_least_one_usize)]
    pub batch_size: usize,
    /// Hidden layer widths, comma-separated (1 to 4 layers).
    #[arg(long, global = true, default_value = "80,70", value_name = "LIST", value_parser = hidden_sizes)]
    pub hidden: HiddenSizes,
    /// Seed of numpy's legacy RandomState: initial weights, then one shuffle per epoch.
    #[arg(long, global = true, default_value_t = DEFAULT_SEED, allow_negative_numbers = true, value_parser = any_u32)]
    pub seed: u32,
    /// What to compare, comma-separated: the lab's optimizers and `mlp`, scikit-learn's
    /// MLPClassifier recipe (it keeps its own settings: 80,70 hidden, batch 200, lr 0.01,
    /// early stopping; the seed is its random_state and --epochs its max_iter).
    #[arg(
        long,
        global = true,
        value_enum,
        ignore_case = true,
        value_delimiter = ',',
        default_value = "sgd,momentum,adagrad,rmsprop,adam,mlp"
    )]
    pub optimizers: Vec<Contender>,
    /// fair: every optimizer starts from the same weights; chain: the lab's own sequence,
    /// each optimizer continuing from the weights and state the previous one left.
    #[arg(long, global = true, value_enum, ignore_case = true, default_value_t = Protocol::Fair)]
    pub protocol: Protocol,
    /// Momentum's γ.
    #[arg(long, global = true, default_value_t = 0.9, allow_negative_numbers = true, value_parser = unit_interval)]
    pub momentum: f64,
    /// RMSProp's decay β.
    #[arg(long, global = true, default_value_t = 0.9, allow_negative_numbers = true, value_parser = unit_interval)]
    pub rho: f64,
    /// Adam's first-moment decay β1.
    #[arg(long, global = true, default_value_t = 0.9, allow_negative_numbers = true, value_parser = unit_interval)]
    pub beta1: f64,
    /// Adam's second-moment decay β2.
    #[arg(long, global = true, default_value_t = 0.99, allow_negative_numbers = true, value_parser = unit_interval)]
    pub beta2: f64,
    /// Dashboard: start paused.
    #[arg(long)]
    pub paused: bool,
    /// Dashboard: epochs per second per optimizer, or "max".
    #[arg(long, default_value = "max", value_parser = speed)]
    pub speed: Speed,
    /// Dashboard: plain ASCII charts and digits, for fonts without Braille or blocks.
    #[arg(long)]
    pub ascii: bool,
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
    },
    /// Train every optimizer (and the baseline) on many seeds and print the spread of results.
    ///
    /// Seeds --seed, --seed+1, … train on all cores, with a progress line on stderr. Per
    /// optimizer: mean ± sample standard deviation, min and max of the final test accuracy,
    /// median final loss, median first epoch at 100% train accuracy, wins (a tie counts for
    /// each) and the ranking. Single runs are not general results; the lab said so itself.
    Compare {
        /// How many seeds: --seed, --seed+1, …, --seed+N-1 (from the lab's 7 by default).
        #[arg(long, default_value_t = 10, value_name = "N", allow_negative_numbers = true, value_parser = at_least_one_u32)]
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
    /// fatal. Every other flag applies as for compare.
    Sweep {
        /// The rates: a comma-separated list in increasing order (0.001,0.01,0.1), or FROM:TO:N
        /// for N log-spaced points from FROM to TO (1e-4:1:9).
        #[arg(long, default_value = "1e-4:1:9", value_name = "GRID", allow_hyphen_values = true, value_parser = lr_grid)]
        lr_grid: LrGrid,
        /// How many seeds: --seed, --seed+1, …, --seed+N-1.
        #[arg(long, default_value_t = 3, value_name = "N", allow_negative_numbers = true, value_parser = at_least_one_u32)]
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
    /// Draw a saved output as an SVG figure: a session file (--export) as loss and test
    /// accuracy per epoch, `compare --json` as the spread per optimizer, `sweep --json` as
    /// test accuracy against learning rate.
    Plot {
        /// The saved output to draw.
        #[arg(value_name = "FILE")]
        input: PathBuf,
        /// Where the SVG goes.
        #[arg(short, long, value_name = "OUT.svg")]
        output: PathBuf,
    },
}

/// Parsed `--lr-grid` rates, increasing.
#[derive(Clone, Debug, PartialEq)]
pub struct LrGrid(pub Vec<f64>);

/// Parsed `--hidden` widths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HiddenSizes(pub Vec<usize>);

impl Cli {
    /// The training settings these flags describe.
    pub fn settings(&self) -> Settings {
        let mut optimizers = Vec::new();
        for &kind in &self.optimizers {
            if !optimizers.contains(&kind) {
                optimizers.push(kind);
            }
        }
        Settings {
            seed: self.seed,
            epochs: self.epochs,
            batch_size: self.batch_size,
            hidden: self.hidden.0.clone(),
            hyper: Hyper {
                lr: self.lr,
                momentum: self.momentum,
                rho: self.rho,
                beta1: self.beta1,
                beta2: self.beta2,
                ..Hyper::default()
            },
            optimizers,
            protocol: self.protocol,
        }
    }
}

pub(crate) fn any_u32(s: &str) -> Result<u32, String> {
    s.parse::<u32>()
        .map_err(|_| "must be a whole number from 0 to 4294967295".into())
}

pub(crate) fn at_least_one_u32(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("must be a whole number from 1 to 4294967295".into()),
    }
}

pub(crate) fn at_least_one_usize(s: &str) -> Result<usize, String> {
    at_least_one_u32(s).map(|n| n as usize)
}

pub(crate) fn positive_f64(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err("must be a finite number greater than 0".into()),
    }
}

pub(crate) fn unit_interval(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..1.0).contains(&x) => Ok(x),
        _ => Err("must be a number in [0, 1)".into()),
    }
}

pub(crate) fn path(s: &str) -> Result<Option<PathBuf>, String> {
    if s.is_empty() {
        return Err("must be a path".into());
    }
    Ok(Some(PathBuf::from(s)))
}

pub(crate) fn hidden_sizes(s: &str) -> Result<HiddenSizes, String> {
    let rule = "must be 1 to 4 comma-separated widths from 1 to 4096, e.g. 80,70";
    let sizes: Vec<usize> = s
        .split(',')
        .map(|w| w.trim().parse::<usize>())
        .collect::<Result<_, _>>()
        .map_err(|_| rule.to_owned())?;
    if sizes.is_empty() || sizes.len() > 4 || sizes.iter().any(|&w| w == 0 || w > 4096) {
        return Err(rule.into());
    }
    Ok(HiddenSizes(sizes))
}

/// The most rates a grid may hold: past this a sweep is better split into several.
const MAX_RATES: usize = 100;

pub(crate) fn lr_grid(s: &str) -> Result<LrGrid, String> {
    let positive = |x: &str| match x.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!(
            "'{}' is not a finite rate greater than 0",
            x.trim()
        )),
    };
    let rates = if let Some((from, rest)) = s.split_once(':') {
        let rule = "FROM:TO:N needs 0 < FROM < TO and N from 2 to 100 points, e.g. 1e-4:1:9";
        let (to, n) = rest.split_once(':').ok_or(rule)?;
        let (from, to) = (positive(from)?, positive(to)?);
        let n: usize = n.trim().parse().map_err(|_| rule)?;
        if from >= to || !(2..=MAX_RATES).contains(&n) {
            return Err(rule.into());
        }
        let (lo, hi) = (from.log10(), to.log10());
        let step = (hi - lo) / (n - 1) as f64;
        let mut rates: Vec<f64> = (0..n).map(|i| 10f64.powf(lo + step * i as f64)).collect();
        // The ends exactly as written, whatever log10 and powf round to.
        (rates[0], rates[n - 1]) = (from, to);
        rates
    } else {
        let rates = s.split(',').map(positive).collect::<Result<Vec<_>, _>>()?;
        if let Some(pair) = rates.windows(2).find(|w| w[0] >= w[1]) {
            return Err(format!(
                "rates must increase, but {} follows {}",
                pair[1], pair[0]
            ));
        }
        if rates.len() > MAX_RATES {
            return Err(format!("at most {MAX_RATES} rates"));
        }
        rates
    };
    Ok(LrGrid(rates))
}

pub(crate) fn speed(s: &str) -> Result<Speed, String> {
    if matches!(s, "max" | "unlimited") {
        return Ok(Speed::Unlimited);
    }
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(Speed::PerSecond(x)),
        _ => Err("must be epochs per second (a number greater than 0) or \"max\"".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_lab() {
        let cli = Cli::try_parse_from(["digits-tui"]).unwrap();
        assert_eq!(cli.settings(), Settings::default());
    }

    #[test]
    fn flags_reach_the_settings() {
        let cli = Cli::try_parse_from([
            "digits-tui",
            "--hidden",
            "32",
            "--optimizers",
            "adam,sgd,adam",
            "--lr",
            "0.5",
        ])
        .unwrap();
        let s = cli.settings();
        assert_eq!(s.hidden, vec![32]);
        assert_eq!(s.optimizers, vec![Contender::Adam, Contender::Sgd]);
        assert_eq!(s.hyper.lr, 0.5);
    }

    #[test]
    fn grids_are_lists_or_log_ranges() {
        assert_eq!(lr_grid("0.001,0.01, 1"), Ok(LrGrid(vec![0.001, 0.01, 1.0])));
        assert_eq!(lr_grid("0.5"), Ok(LrGrid(vec![0.5])));
        let LrGrid(log) = lr_grid("1e-4:1:9").unwrap();
        assert_eq!(log.len(), 9);
        assert_eq!((log[0], log[8]), (1e-4, 1.0));
        assert_eq!(log[2], 1e-3);
        assert!((log[1] - 10f64.powf(-3.5)).abs() < 1e-18, "{log:?}");
        assert_eq!(lr_grid("0.1:1:2"), Ok(LrGrid(vec![0.1, 1.0])));
        for (bad, rule) in [
            ("", "not a finite rate"),
            ("0.1,abc", "'abc' is not"),
            ("0,0.1", "'0' is not"),
            ("0.1,0.01", "must increase, but 0.01 follows 0.1"),
            ("0.1,0.1", "must increase"),
            ("1:0.1:5", "0 < FROM < TO"),
            ("1e-4:1:1", "N from 2"),
            ("1e-4:1", "FROM:TO:N"),
            ("1e-4:1:x", "FROM:TO:N"),
            ("1e-4:inf:3", "'inf' is not"),
            ("1e-4:1:101", "N from 2 to 100"),
        ] {
            let err = lr_grid(bad).unwrap_err();
            assert!(err.contains(rule), "{bad}: {err}");
        }
    }

    #[test]
    fn nonsense_is_rejected_with_the_rule() {
        for (flag, value, rule) in [
            ("--lr", "0", "greater than 0"),
            ("--lr", "NaN", "greater than 0"),
            ("--epochs", "0", "at least 1"),
            ("--batch-size", "0", "at least 1"),
            ("--hidden", "80,0", "widths"),
            ("--speed", "fast", "epochs per second"),
        ] {
            let err = Cli::try_parse_from(["digits-tui", flag, value]).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(flag) && text.contains(rule), "{text}");
        }
    }
}
