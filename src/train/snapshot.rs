//! A trained network frozen at one epoch, for the views that look inside it or ask it about a
//! new image (the weights view, draw-a-digit) while training carries on with the live one.

use crate::nn::network::forward_dense;
use crate::nn::{Mlp, Network};

/// A snapshot of either kind of run.
#[derive(Clone)]
pub enum Snapshot {
    /// A lab network.
    Lab(Network),
    /// The scikit-learn baseline.
    Baseline(Mlp),
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The weights themselves would flood any log; their shape says which network it is.
        let first = self.first_layer();
        let kind = match self {
            Self::Lab(_) => "Lab",
            Self::Baseline(_) => "Baseline",
        };
        write!(
            f,
            "Snapshot::{kind}({}×{} first layer)",
            first.units, first.inputs
        )
    }
}

/// The first layer's incoming weights, one row per hidden unit: what an 8x8 feature looks like.
#[derive(Clone, Debug, PartialEq)]
pub struct FirstLayer {
    /// Hidden units (80 in the lab).
    pub units: usize,
    /// Inputs per unit (64 pixels).
    pub inputs: usize,
    /// `units × inputs`, unit-major.
    pub weights: Vec<f64>,
}

impl FirstLayer {
    /// Unit `u`'s weights, one per pixel.
    pub fn unit(&self, u: usize) -> &[f64] {
        &self.weights[u * self.inputs..(u + 1) * self.inputs]
    }
}

impl Snapshot {
    /// Class probabilities for one standardised image (64 values), by the same forward pass
    /// the run evaluates with.
    pub fn probabilities(&self, x: &[f64]) -> Vec<f64> {
        match self {
            Self::Lab(net) => {
                // Activations only: a full Workspace would also allocate every gradient.
                let mut acts = net.activation_buffers(1);
                forward_dense(net.dense_layers(), net.activation(), x, 1, &mut acts).to_vec()
            }
            Self::Baseline(b) => b.probabilities(x),
        }
    }

    /// The first layer's weights, unit by unit.
    pub fn first_layer(&self) -> FirstLayer {
        match self {
            Self::Lab(net) => {
                let first = &net.layers()[0];
                FirstLayer {
                    units: first.n_out(),
                    inputs: first.n_in(),
                    weights: first.by_unit().collect(),
                }
            }
            Self::Baseline(b) => {
                let (units, inputs, weights) = b.first_layer();
                FirstLayer {
                    units,
                    inputs,
                    weights,
                }
            }
        }
    }
}
