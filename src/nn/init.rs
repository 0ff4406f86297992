//! How the weights start: the lab's unit normal, or the scaled normals that the course's next
//! lesson introduces. Every scheme draws `randn(n_out, n_in)` from the same stream, layer by
//! layer in the lab's order, and scales it; biases start at zero.

use serde::{Deserialize, Serialize};

/// A weight initialisation scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Init {
    /// `randn` as drawn (standard deviation 1): the lab's, which saturates its sigmoids.
    #[default]
    Lab,
    /// Standard deviation `sqrt(1 / n_in)` (Xavier/LeCun): pre-activations of spread ~1.
    Xavier,
    /// Standard deviation `sqrt(2 / n_in)` (He): for relu, which zeroes half its inputs.
    He,
}

impl Init {
    /// All three, the lab's first.
    pub const ALL: [Self; 3] = [Self::Lab, Self::Xavier, Self::He];

    /// The lower-case name used on the command line, in `--config` and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Lab => "lab",
            Self::Xavier => "xavier",
            Self::He => "he",
        }
    }

    /// The factor each draw is multiplied by for a layer of `n_in` inputs; `None` for the
    /// lab's, whose draws are used as they are (not even multiplied by 1).
    pub fn scale(self, n_in: usize) -> Option<f64> {
        match self {
            Self::Lab => None,
            Self::Xavier => Some((1.0 / n_in as f64).sqrt()),
            Self::He => Some((2.0 / n_in as f64).sqrt()),
        }
    }
}
