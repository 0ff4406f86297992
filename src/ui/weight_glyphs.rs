//! The weights view's glyphs (`w`): the selected run's first-layer units averaged to the size
//! they are drawn at, and the one brightness scale they share. Computed when the weights or
//! that size change (an epoch's snapshot arrives, another run is selected, a resize), so the
//! renderer only draws them.

use std::sync::Arc;

use crate::train::Snapshot;
use crate::ui::widgets::downsample;

/// The glyphs of one network's first layer, with what they were computed from.
#[derive(Clone, Default)]
pub(crate) struct WeightGlyphs {
    /// The weights and the averaging the glyphs are of (`None` before any).
    source: Option<(Arc<Snapshot>, usize)>,
    /// Hidden units in the layer.
    units: usize,
    /// Pixels each unit reads.
    inputs: usize,
    /// Per unit, its incoming weights averaged over `downsample × downsample` pixels.
    glyphs: Vec<Vec<f64>>,
    /// The largest |w| of any glyph: one scale for every unit, so brightness compares across
    /// the grid.
    scale: f64,
}

impl WeightGlyphs {
    /// The glyphs of `snapshot`'s first layer for images of `side` averaged `by`× a side.
    fn of(snapshot: &Arc<Snapshot>, side: usize, by: usize) -> Self {
        let first = snapshot.first_layer();
        let glyphs: Vec<Vec<f64>> = (0..first.units)
            .map(|u| downsample(first.unit(u), side, by))
            .collect();
        let scale = (glyphs.iter().flatten())
            .fold(0.0f64, |m, w| m.max(w.abs()))
            .max(f64::MIN_POSITIVE);
        Self {
            source: Some((Arc::clone(snapshot), by)),
            units: first.units,
            inputs: first.inputs,
            glyphs,
            scale,
        }
    }

    /// Follows `snapshot` (the selected run's weights, if any) drawn averaged `by`× a side:
    /// computes again only when either changed.
    pub(crate) fn follow(&mut self, snapshot: Option<&Arc<Snapshot>>, side: usize, by: usize) {
        let current = (self.source.as_ref()).is_some_and(|(m, b)| {
            snapshot.is_some_and(|snapshot| Arc::ptr_eq(m, snapshot)) && *b == by
        });
        if !current {
            *self = snapshot.map_or_else(Self::default, |m| Self::of(m, side, by));
        }
    }

    /// Whether these are the glyphs of `snapshot`.
    pub(crate) fn are_of(&self, snapshot: &Arc<Snapshot>) -> bool {
        (self.source.as_ref()).is_some_and(|(m, _)| Arc::ptr_eq(m, snapshot))
    }

    /// How much each glyph was averaged, a side.
    pub(crate) fn downsample(&self) -> usize {
        self.source.as_ref().map_or(1, |(_, by)| *by)
    }

    /// Hidden units in the layer.
    pub(crate) fn units(&self) -> usize {
        self.units
    }

    /// Pixels each unit reads.
    pub(crate) fn inputs(&self) -> usize {
        self.inputs
    }

    /// Per unit, its averaged incoming weights.
    pub(crate) fn glyphs(&self) -> &[Vec<f64>] {
        &self.glyphs
    }

    /// The largest |w| of any glyph.
    pub(crate) fn scale(&self) -> f64 {
        self.scale
    }
}
