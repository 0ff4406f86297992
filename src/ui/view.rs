//! Which view fills the space under the charts: what [`super::app::App`] shows and a key
//! toggles.

/// What fills the space under the charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The selected run in detail and the test digits.
    Main,
    /// The selected run's confusion matrix.
    Confusion,
    /// The selected run's first-layer weights.
    Weights,
    /// A canvas every network reads.
    Draw,
    /// The multi-seed comparison running in the background.
    Seeds,
    /// The settings panel, over the dashboard.
    Settings,
    /// The learning-rate sweep running in the background.
    Sweep,
    /// The optimizers' paths on a 2-D function, in place of the charts too.
    Landscape,
}

impl View {
    /// Views that need the networks' weights, not just their reports.
    pub(crate) fn needs_models(self) -> bool {
        matches!(self, Self::Weights | Self::Draw)
    }
}
