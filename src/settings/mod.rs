//! Every setting described once: [`TABLE`] holds, per setting, its flag's name (which is also
//! the `--config` key, with `_` for `-`), where it applies, what it takes, its help line, how
//! its value shows as flag text and how that text is checked and stored. The flags
//! ([`flags`]), the config file ([`file`]), the dashboard's settings panel, the equivalent
//! command line, the restart notice and `--open`'s refusals all read this table, so none of
//! them names a setting or its default on its own.
//!
//! Adding a setting: a field where its value lives (in [`Values`], or in
//! [`crate::train::Settings`] for one that shapes training), its default in that `Default`,
//! and one row here; then the code that uses it.

pub(crate) mod error;
pub(crate) mod file;
pub mod flags;
pub(crate) mod mode;
pub(crate) mod rules;

use std::path::PathBuf;

use crate::data::source::{self, DataSource};
use crate::engine::Speed;
use crate::nn::{Activation, Init};
use crate::train::{Contender, Protocol, Settings};

/// Seeds `compare` trains by default and the dashboard's seeds view trains: the session's
/// own and the next nine.
pub(crate) const COMPARE_SEEDS: u32 = 10;

/// Seeds `sweep` trains at every rate by default, and so does the dashboard's sweep view.
pub(crate) const SWEEP_SEEDS: u32 = 3;

/// The learning rates `sweep` tries by default, and so does the dashboard's sweep view.
pub(crate) const SWEEP_GRID: &str = "1e-4:1:9";

/// The rates of [`SWEEP_GRID`].
pub(crate) fn sweep_rates() -> Vec<f64> {
    // A constant grid, checked by the `the_sweep_grid_is_valid` test.
    rules::lr_grid(SWEEP_GRID).map_or_else(|_| Vec::new(), |grid| grid.0)
}

/// Everything the settings set: the training settings, the data, the dashboard's pace and
/// looks.
#[derive(Clone, Debug, PartialEq)]
pub struct Values {
    /// What shapes training.
    pub training: Settings,
    /// `--data`: `None` for the embedded digits.
    pub data: Option<PathBuf>,
    /// `--test-data`: `None` for the 80/20 split of `--data` (or an IDX directory's own).
    pub test_data: Option<PathBuf>,
    /// `--transpose-images`: every image read column by column (EMNIST's files).
    pub transpose_images: bool,
    /// The dashboard's starting pace.
    pub speed: Speed,
    /// The dashboard starts paused.
    pub paused: bool,
    /// ASCII-only drawing.
    pub ascii: bool,
}

impl Default for Values {
    fn default() -> Self {
        Self {
            training: Settings::default(),
            data: None,
            test_data: None,
            transpose_images: false,
            speed: Speed::Unlimited,
            paused: false,
            ascii: false,
        }
    }
}

impl Values {
    /// The training settings and data of `source`, everything else at its default.
    pub fn of(training: &Settings, source: &DataSource) -> Self {
        let (data, test) = source.paths();
        Self {
            training: training.clone(),
            data: data.map(PathBuf::from),
            test_data: test.map(PathBuf::from),
            transpose_images: source.transpose(),
            ..Self::default()
        }
    }

    /// The data as a session file names it.
    pub fn source(&self) -> DataSource {
        source::source(self.data.as_deref(), self.test_data.as_deref())
            .transposed(self.transpose_images)
    }
}

/// Where a setting applies: which modes take it ([`Scope::applies`]); a flag typed where it
/// does not apply is refused by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Shapes training: taken by every mode that trains, edited in the settings panel, written
    /// in the equivalent command line, refused with `--open`.
    Training,
    /// Shapes training and an update rule, so `landscape` walks with it too (the optimizers
    /// and their constants).
    Update,
    /// The learning rate: as [`Scope::Update`], but not for `sweep`, whose grid gives the rates.
    Rate,
    /// The dashboard's pace: the live dashboard only.
    Dashboard,
    /// How things are drawn: the dashboard, a saved session's too.
    Look,
}

/// What a setting takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A value typed as text.
    Text,
    /// A file or directory; empty means none, and the settings panel checks that it exists.
    Path,
    /// Some of these names, comma-separated (switches in the settings panel).
    SomeOf(&'static [&'static str]),
    /// One of these names.
    OneOf(&'static [&'static str]),
    /// A flag without a value; `true` or `false` in the file.
    Switch,
}

/// One setting.
#[derive(Debug)]
pub struct Setting {
    /// The flag without its dashes; the config key is this with `_` for `-`.
    pub name: &'static str,
    /// Where it applies.
    pub scope: Scope,
    /// What it takes.
    pub kind: Kind,
    /// The placeholder of the value in `--help`.
    pub value_name: &'static str,
    /// The help line.
    pub help: &'static str,
    /// The value as its flag's text (empty for none).
    pub show: fn(&Values) -> String,
    /// Checks the flag's text by the setting's rule and stores it, or says the rule.
    pub set: fn(&mut Values, &str) -> Result<(), String>,
}

impl Setting {
    /// `--name`, as messages and the panel name it.
    pub fn flag(&self) -> String {
        format!("--{}", self.name)
    }

    /// The `--config` key.
    pub fn key(&self) -> String {
        self.name.replace('-', "_")
    }

    /// The row whose flag is `--name`.
    pub fn named(name: &str) -> Option<&'static Self> {
        TABLE.iter().find(|s| s.name == name)
    }

    /// The row whose `--config` key is `key`.
    pub fn keyed(key: &str) -> Option<&'static Self> {
        TABLE.iter().find(|s| s.key() == key)
    }

    /// The text checked by the rule, without keeping the value.
    pub fn check(&self, text: &str) -> Result<(), String> {
        (self.set)(&mut Values::default(), text)
    }
}

/// The contenders' names, in the dashboard's order.
const CONTENDERS: [&str; 6] = ["sgd", "momentum", "adagrad", "rmsprop", "adam", "mlp"];

/// The protocols' names.
const PROTOCOLS: [&str; 2] = ["fair", "chain"];

/// The initialisations' names.
const INITS: [&str; 3] = ["lab", "xavier", "he"];

/// The activations' names.
const ACTIVATIONS: [&str; 3] = ["sigmoid", "tanh", "relu"];

/// Every setting, in the order the settings panel, the command line and `--help` list them
/// (the command line names the seed first).
#[rustfmt::skip]
pub(crate) static TABLE: [Setting; 20] = [
    Setting { name: "lr", scope: Scope::Rate, kind: Kind::Text, value_name: "RATE",
        help: "Learning rate",
        show: |v| v.training.hyper.lr.to_string(),
        set: |v, s| rules::positive_f64(s).map(|x| v.training.hyper.lr = x) },
    Setting { name: "batch-size", scope: Scope::Training, kind: Kind::Text, value_name: "N",
        help: "Rows per mini-batch (the remainder forms a last, smaller batch)",
        show: |v| v.training.batch_size.to_string(),
        set: |v, s| rules::at_least_one_usize(s).map(|x| v.training.batch_size = x) },
    Setting { name: "hidden", scope: Scope::Training, kind: Kind::Text, value_name: "LIST",
        help: "Hidden layer widths, comma-separated (1 to 4 layers)",
        show: |v| v.training.hidden_list(),
        set: |v, s| rules::hidden_sizes(s).map(|x| v.training.hidden = x) },
    Setting { name: "epochs", scope: Scope::Training, kind: Kind::Text, value_name: "EPOCHS",
        help: "Epochs per optimizer",
        show: |v| v.training.epochs.to_string(),
        set: |v, s| rules::at_least_one_u32(s).map(|x| v.training.epochs = x) },
    Setting { name: "seed", scope: Scope::Training, kind: Kind::Text, value_name: "SEED",
        help: "Seed of numpy's legacy RandomState: initial weights, then one shuffle per epoch",
        show: |v| v.training.seed.to_string(),
        set: |v, s| rules::any_u32(s).map(|x| v.training.seed = x) },
    Setting { name: "optimizers", scope: Scope::Update, kind: Kind::SomeOf(&CONTENDERS),
        value_name: "OPTIMIZERS",
        help: "What to compare, comma-separated: the lab's optimizers and `mlp`, scikit-learn's \
               MLPClassifier recipe (it keeps its own settings: 80,70 hidden, batch 200, lr 0.01, \
               early stopping; the seed is its random_state and --epochs its max_iter)",
        show: |v| v.training.optimizers.iter().map(|c| c.name()).collect::<Vec<_>>().join(","),
        set: |v, s| rules::some_of(s, &Contender::ALL, Contender::name).map(|x| v.training.optimizers = x) },
    Setting { name: "protocol", scope: Scope::Training, kind: Kind::OneOf(&PROTOCOLS),
        value_name: "PROTOCOL",
        help: "fair: every optimizer starts from the same weights; chain: the lab's own \
               sequence, each optimizer continuing from the weights and state the previous one left",
        show: |v| v.training.protocol.name().to_owned(),
        set: |v, s| rules::one_of(s, &Protocol::ALL, Protocol::name).map(|x| v.training.protocol = x) },
    Setting { name: "momentum", scope: Scope::Update, kind: Kind::Text, value_name: "MOMENTUM",
        help: "Momentum's γ",
        show: |v| v.training.hyper.momentum.to_string(),
        set: |v, s| rules::unit_interval(s).map(|x| v.training.hyper.momentum = x) },
    Setting { name: "rho", scope: Scope::Update, kind: Kind::Text, value_name: "RHO",
        help: "RMSProp's decay β",
        show: |v| v.training.hyper.rho.to_string(),
        set: |v, s| rules::unit_interval(s).map(|x| v.training.hyper.rho = x) },
    Setting { name: "beta1", scope: Scope::Update, kind: Kind::Text, value_name: "BETA1",
        help: "Adam's first-moment decay β1",
        show: |v| v.training.hyper.beta1.to_string(),
        set: |v, s| rules::unit_interval(s).map(|x| v.training.hyper.beta1 = x) },
    Setting { name: "beta2", scope: Scope::Update, kind: Kind::Text, value_name: "BETA2",
        help: "Adam's second-moment decay β2",
        show: |v| v.training.hyper.beta2.to_string(),
        set: |v, s| rules::unit_interval(s).map(|x| v.training.hyper.beta2 = x) },
    Setting { name: "init", scope: Scope::Training, kind: Kind::OneOf(&INITS), value_name: "INIT",
        help: "Initial weights of the lab's network: lab (randn as drawn), xavier (× sqrt(1/n_in)), \
               he (× sqrt(2/n_in)), from the same stream; the baseline keeps scikit-learn's",
        show: |v| v.training.init.name().to_owned(),
        set: |v, s| rules::one_of(s, &Init::ALL, Init::name).map(|x| v.training.init = x) },
    Setting { name: "activation", scope: Scope::Training, kind: Kind::OneOf(&ACTIVATIONS),
        value_name: "ACTIVATION",
        help: "The hidden layers' activation (the output stays softmax); the baseline takes it \
               as its activation (sigmoid is its logistic)",
        show: |v| v.training.activation.name().to_owned(),
        set: |v, s| rules::one_of(s, &Activation::ALL, Activation::name).map(|x| v.training.activation = x) },
    Setting { name: "weight-decay", scope: Scope::Training, kind: Kind::Text, value_name: "LAMBDA",
        help: "Weight decay λ: each weight matrix's summed gradient becomes g + λ·W (biases are \
               not decayed); the baseline keeps its own alpha",
        show: |v| v.training.weight_decay.to_string(),
        set: |v, s| rules::non_negative_f64(s).map(|x| v.training.weight_decay = x) },
    Setting { name: "data", scope: Scope::Training, kind: Kind::Path, value_name: "PATH",
        help: "Images to train on: a CSV (the lab's 64 pixels 0..16 and a label per line, or a \
               header with a `label` column and square images of pixels 0..255), an \
               MNIST-format IDX directory (its own test set), a NumPy .npz archive (Keras' \
               x_train…y_test with its own test set, x/y, images/labels) or images .npy/.npz \
               beside their labels file (x_train.npy + y_train.npy, kmnist-train-imgs.npz + \
               kmnist-train-labels.npz); default: the embedded 8×8 digits",
        show: |v| rules::shown(v.data.as_deref()),
        set: |v, s| rules::path(s).map(|x| v.data = x) },
    Setting { name: "test-data", scope: Scope::Training, kind: Kind::Path, value_name: "PATH",
        help: "A test set (CSV or NumPy) used as given, instead of the lab's 80/20 split of --data",
        show: |v| rules::shown(v.test_data.as_deref()),
        set: |v, s| rules::path(s).map(|x| v.test_data = x) },
    Setting { name: "transpose-images", scope: Scope::Training, kind: Kind::Switch, value_name: "",
        help: "Read each image column by column (EMNIST)",
        show: |v| v.transpose_images.to_string(),
        set: |v, s| rules::switch(s).map(|x| v.transpose_images = x) },
    Setting { name: "paused", scope: Scope::Dashboard, kind: Kind::Switch, value_name: "",
        help: "Dashboard: start paused",
        show: |v| v.paused.to_string(),
        set: |v, s| rules::switch(s).map(|x| v.paused = x) },
    Setting { name: "speed", scope: Scope::Dashboard, kind: Kind::Text, value_name: "SPEED",
        help: "Dashboard: epochs per second per optimizer, or \"max\"",
        show: |v| rules::shown_speed(v.speed),
        set: |v, s| rules::speed(s).map(|x| v.speed = x) },
    Setting { name: "ascii", scope: Scope::Look, kind: Kind::Switch, value_name: "",
        help: "Dashboard: plain ASCII charts and digits, for fonts without Braille or blocks",
        show: |v| v.ascii.to_string(),
        set: |v, s| rules::switch(s).map(|x| v.ascii = x) },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_reads_back_as_itself() {
        let defaults = Values::default();
        let mut read = Values {
            training: Settings {
                seed: 1,
                epochs: 2,
                batch_size: 3,
                hidden: vec![4],
                hyper: crate::nn::Hyper {
                    lr: 0.5,
                    momentum: 0.5,
                    rho: 0.5,
                    beta1: 0.5,
                    beta2: 0.5,
                    ..crate::nn::Hyper::default()
                },
                optimizers: vec![Contender::Sgd],
                protocol: Protocol::Chain,
                init: Init::He,
                activation: Activation::Relu,
                weight_decay: 0.5,
                health: false,
            },
            data: Some("d".into()),
            test_data: Some("t".into()),
            transpose_images: true,
            speed: Speed::PerSecond(1.0),
            paused: true,
            ascii: true,
        };
        for row in &TABLE {
            assert_ne!((row.show)(&read), (row.show)(&defaults), "{}", row.name);
            (row.set)(&mut read, &(row.show)(&defaults)).expect(row.name);
        }
        assert_eq!(read, defaults, "a setting the table does not reach");
    }

    #[test]
    fn names_are_flags_and_unique() {
        for (i, row) in TABLE.iter().enumerate() {
            assert!(
                row.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
            assert_eq!(Setting::named(row.name).map(|r| r.name), Some(row.name));
            assert!(
                TABLE[..i].iter().all(|r| r.name != row.name),
                "{}",
                row.name
            );
        }
        assert_eq!(
            Setting::keyed("batch_size").map(Setting::flag).as_deref(),
            Some("--batch-size")
        );
    }

    #[test]
    fn the_names_listed_are_the_contenders_and_protocols() {
        assert_eq!(CONTENDERS, Contender::ALL.map(Contender::name));
        assert_eq!(PROTOCOLS, Protocol::ALL.map(Protocol::name));
        assert_eq!(INITS, Init::ALL.map(Init::name));
        assert_eq!(ACTIVATIONS, Activation::ALL.map(Activation::name));
    }

    #[test]
    fn the_sweep_grid_is_valid() {
        let rates = sweep_rates();
        assert_eq!((rates.len(), rates[0], rates[8]), (9, 1e-4, 1.0));
    }
}
