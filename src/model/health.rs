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
    /// The y ranges of the two figures' curves over every layer (`None` before a point), kept
    /// as points arrive so a chart of them need not look at every point each frame.
    ranges: [Option<(f64, f64)>; 2],
}

impl HealthHistory {
    /// Records epoch `epoch`'s figures. A figure that is not a positive finite number (a
    /// diverged run's) gets no point, so the curves end where the numbers stop.
    pub(crate) fn push(&mut self, epoch: u32, layers: &[LayerHealth]) {
        let x = f64::from(epoch);
        self.grad_norm.resize(layers.len(), Vec::new());
        self.update_ratio.resize(layers.len(), Vec::new());
        let [grad_range, update_range] = &mut self.ranges;
        for (l, h) in layers.iter().enumerate() {
            for (curve, range, y) in [
                (&mut self.grad_norm[l], &mut *grad_range, h.grad_norm),
                (
                    &mut self.update_ratio[l],
                    &mut *update_range,
                    h.update_ratio,
                ),
            ] {
                if y.is_finite() && y > 0.0 {
                    let y = y.log10();
                    curve.push((x, y));
                    *range = Some(range.map_or((y, y), |(lo, hi)| (lo.min(y), hi.max(y))));
                }
            }
        }
        self.epochs.push(layers.to_vec());
    }

    /// The lowest and highest point of every layer's [`HealthHistory::grad_norm`] curve.
    pub(crate) fn grad_norm_range(&self) -> Option<(f64, f64)> {
        self.ranges[0]
    }

    /// The lowest and highest point of every layer's [`HealthHistory::update_ratio`] curve.
    pub(crate) fn update_ratio_range(&self) -> Option<(f64, f64)> {
        self.ranges[1]
    }

    /// The latest epoch's figures, if any.
    pub(crate) fn latest(&self) -> Option<&[LayerHealth]> {
        self.epochs.last().map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curves_ranges_follow_every_point_as_it_arrives() {
        let layer = |grad_norm: f64, update_ratio: f64| LayerHealth {
            saturated: 0.0,
            stuck_units: 0,
            grad_norm,
            update_ratio,
            range: [0.0, 1.0],
            histogram: Vec::new(),
        };
        let mut h = HealthHistory::default();
        assert_eq!(h.grad_norm_range(), None);
        h.push(1, &[layer(100.0, 0.1), layer(10.0, f64::NAN)]);
        h.push(2, &[layer(0.01, 1e-3), layer(1.0, 0.0)]);
        let fresh = |curves: &[Vec<(f64, f64)>]| {
            let ys = curves.iter().flatten().map(|p| p.1);
            ys.fold(None, |r: Option<(f64, f64)>, y| {
                Some(r.map_or((y, y), |(lo, hi)| (lo.min(y), hi.max(y))))
            })
        };
        assert_eq!(h.grad_norm_range(), fresh(&h.grad_norm));
        assert_eq!(h.grad_norm_range(), Some((-2.0, 2.0)));
        assert_eq!(h.update_ratio_range(), fresh(&h.update_ratio));
        assert_eq!(
            h.update_ratio_range(),
            Some((-3.0, -1.0)),
            "no point for NaN or 0"
        );
    }
}
