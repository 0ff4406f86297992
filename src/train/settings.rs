//! What a training session is asked to do; every field has the lab's value as its default.

use serde::{Deserialize, Serialize};

use crate::nn::{Activation, Hyper, Init};

use super::{Contender, Protocol};

/// The seed of the lab's golden training trace (`np.random.seed(7)`).
pub(crate) const DEFAULT_SEED: u32 = 7;

/// Settings shared by every run of a session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Seeds each run's `RandomState`: initial weights, then one shuffle per epoch.
    pub seed: u32,
    /// Epochs per run.
    pub epochs: u32,
    /// Rows per mini-batch; the remainder forms a last, smaller batch.
    pub batch_size: usize,
    /// Hidden layer widths, input side first.
    pub hidden: Vec<usize>,
    /// Learning rate and optimizer constants.
    pub hyper: Hyper,
    /// What to compare, one run each: lab optimizers and, optionally, the baseline.
    pub optimizers: Vec<Contender>,
    /// Whether the lab's optimizers start together or continue one from another.
    pub protocol: Protocol,
    /// How the lab's network draws its weights. Left out of files when it is the lab's, so
    /// that a lab session is written byte for byte as before these knobs existed.
    #[serde(default, skip_serializing_if = "is_default")]
    pub init: Init,
    /// The hidden layers' activation (the lab network's, and the baseline's where
    /// scikit-learn has it).
    #[serde(default, skip_serializing_if = "is_default")]
    pub activation: Activation,
    /// λ of the weight decay `g + λ·W` on every weight matrix's gradient; 0 (the lab) is none.
    #[serde(default, skip_serializing_if = "is_default")]
    pub weight_decay: f64,
    /// Whether lab runs compute their layers' health each epoch (the dashboard's view,
    /// headless `--health`). Observation only: it changes no bit of training, so it is no
    /// part of a session's settings on file.
    #[serde(skip)]
    pub health: bool,
}

/// True for a knob at its default, which files leave out.
fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            seed: DEFAULT_SEED,
            epochs: 1000,
            batch_size: 64,
            hidden: vec![80, 70],
            hyper: Hyper::default(),
            optimizers: Contender::ALL.to_vec(),
            protocol: Protocol::Fair,
            init: Init::Lab,
            activation: Activation::Sigmoid,
            weight_decay: 0.0,
            health: false,
        }
    }
}

impl Settings {
    /// Layer widths from input to output for `n_inputs` features and `n_classes` outputs.
    pub fn layer_sizes(&self, n_inputs: usize, n_classes: usize) -> Vec<usize> {
        let mut sizes = vec![n_inputs];
        sizes.extend(&self.hidden);
        sizes.push(n_classes);
        sizes
    }

    /// The hidden widths as `--hidden` takes them and reports name them: `80,70`.
    pub fn hidden_list(&self) -> String {
        let hidden: Vec<String> = self.hidden.iter().map(usize::to_string).collect();
        hidden.join(",")
    }
}
