//! Command-line flags: parsed by clap, validated into [`Settings`] with one-line messages that
//! name the flag and the rule.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::headless::SummaryFormat;
use super::shard;
pub use super::validate::{HiddenSizes, LrGrid};
use super::validate::{
    any_u32, at_least_one_u32, at_least_one_usize, hidden_sizes, lr_grid, positive_f64, speed,
    unit_interval,
};
use crate::data::source::DataSource;
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
    /// with a `label` column and square images of pixels 0..255), an MNIST-format IDX
    /// directory (its own test set), a NumPy .npz archive (Keras' x_train…y_test with its own
    /// test set, x/y, images/labels) or images .npy/.npz beside their labels file
    /// (x_train.npy + y_train.npy, kmnist-train-imgs.npz + kmnist-train-labels.npz);
    /// default: the embedded 8×8 digits.
    #[arg(long, global = true, value_name = "PATH")]
    pub data: Option<PathBuf>,
    /// A test set (CSV or NumPy) used as given, instead of the lab's 80/20 split of --data.
    #[arg(long, global = true, value_name = "PATH")]
    pub test_data: Option<PathBuf>,
    /// Read every image transposed (column by column), as EMNIST's files store them.
    #[arg(long, global = true)]
    pub transpose_images: bool,
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

/// The flags that make a headless run train exactly `settings` on `data`: `--headless`, the
/// seed always (a restart may have drawn it), every other setting only where it differs from
/// the default. The settings panel shows it so an experiment found in the dashboard can be
/// rerun in a script.
pub fn flags(settings: &Settings, data: &DataSource) -> Vec<String> {
    let d = Settings::default();
    let mut out = vec![
        "--headless".to_owned(),
        "--seed".into(),
        settings.seed.to_string(),
    ];
    let mut flag = |name: &str, value: String, default: String| {
        if value != default {
            out.extend([format!("--{name}"), value]);
        }
    };
    let (h, dh) = (&settings.hyper, &d.hyper);
    flag("epochs", settings.epochs.to_string(), d.epochs.to_string());
    flag("lr", h.lr.to_string(), dh.lr.to_string());
    let batch = settings.batch_size.to_string();
    flag("batch-size", batch, d.batch_size.to_string());
    let list = |v: &[usize]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    flag("hidden", list(&settings.hidden), list(&d.hidden));
    let names = |v: &[Contender]| v.iter().map(|c| c.name()).collect::<Vec<_>>().join(",");
    flag(
        "optimizers",
        names(&settings.optimizers),
        names(&d.optimizers),
    );
    let protocol = |p: Protocol| match p {
        Protocol::Fair => "fair".to_owned(),
        Protocol::Chain => "chain".to_owned(),
    };
    flag(
        "protocol",
        protocol(settings.protocol),
        protocol(d.protocol),
    );
    flag("momentum", h.momentum.to_string(), dh.momentum.to_string());
    flag("rho", h.rho.to_string(), dh.rho.to_string());
    flag("beta1", h.beta1.to_string(), dh.beta1.to_string());
    flag("beta2", h.beta2.to_string(), dh.beta2.to_string());
    let (train, test) = data.paths();
    let shown = |p: Option<&std::path::Path>| p.map(|p| p.display().to_string());
    if let Some(train) = shown(train) {
        out.extend(["--data".to_owned(), train]);
    }
    if let Some(test) = shown(test) {
        out.extend(["--test-data".to_owned(), test]);
    }
    if data.transpose() {
        out.push("--transpose-images".to_owned());
    }
    out
}

impl Cli {
    /// The images these flags name, as a session records them.
    pub fn data_source(&self) -> DataSource {
        let source = crate::data::source::source(self.data.as_deref(), self.test_data.as_deref());
        source.transposed(self.transpose_images)
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

    #[test]
    fn flags_rebuild_the_settings_they_came_from() {
        let settings = Settings {
            seed: 3,
            epochs: 50,
            batch_size: 32,
            hidden: vec![16],
            hyper: Hyper {
                lr: 0.05,
                beta2: 0.999,
                ..Hyper::default()
            },
            optimizers: vec![Contender::Adam, Contender::Rmsprop],
            protocol: Protocol::Chain,
        };
        let data = crate::data::source::source(Some(std::path::Path::new("d.csv")), None);
        let data = data.transposed(true);
        let flags = flags(&settings, &data);
        assert_eq!(
            flags.join(" "),
            "--headless --seed 3 --epochs 50 --lr 0.05 --batch-size 32 --hidden 16 \
             --optimizers adam,rmsprop --protocol chain --beta2 0.999 --data d.csv \
             --transpose-images"
        );
        let cli = Cli::try_parse_from(std::iter::once("digits-tui".to_owned()).chain(flags));
        let cli = cli.expect("the flags parse");
        assert_eq!(cli.settings(), settings);
        assert_eq!(cli.data_source(), data);
        let plain = super::flags(&Settings::default(), &"embedded".into());
        assert_eq!(plain.join(" "), "--headless --seed 7");
    }
}
