//! A run's layer health over its epochs, as the layer-health view (`i`) and headless
//! `--health` read it: every epoch's figures, and the two figures that are drawn as curves.

use crate::train::LayerHealth;

/// Every epoch's [`LayerHealth`] of one run, from epoch 1, and its curves.
#[derive(Clone, Debug, Default)]
pub struct HealthHistory {
    /// Epoch by epoch, one entry per hidden layer.
    pub epochs: Vec<Vec<LayerHealth>>,
    /// Per hidden layer, `(epoch, log10 gradient norm)`: the charts have no log axis.
    pub grad_norm: Vec<Vec<(f64, f64)>>,
    /// Per hidden layer, `(epoch, log10 ‖ΔW‖/‖W‖)`.
    pub update_ratio: Vec<Vec<(f64, f64)>>,
}

impl HealthHistory {
    /// Records epoch `epoch`'s figures. A figure that is not a positive finite number (a
    /// diverged run's) gets no point, so the curves end where the numbers stop.
    pub fn push(&mut self, epoch: u32, layers: &[LayerHealth]) {
        let x = f64::from(epoch);
        self.grad_norm.resize(layers.len(), Vec::new());
        self.update_ratio.resize(layers.len(), Vec::new());
        for (l, h) in layers.iter().enumerate() {
            for (curve, y) in [
                (&mut self.grad_norm[l], h.grad_norm),
                (&mut self.update_ratio[l], h.update_ratio),
            ] {
                if y.is_finite() && y > 0.0 {
                    curve.push((x, y.log10()));
                }
            }
        }
        self.epochs.push(layers.to_vec());
    }

    /// The latest epoch's figures, if any.
    pub fn latest(&self) -> Option<&[LayerHealth]> {
        self.epochs.last().map(Vec::as_slice)
    }
}
