//! What a training session is asked to do; every field has the lab's value as its default.

use serde::{Deserialize, Serialize};

use crate::nn::Hyper;

use super::{Contender, Protocol};

/// The seed of the lab's golden training trace (`np.random.seed(7)`).
pub const DEFAULT_SEED: u32 = 7;

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
