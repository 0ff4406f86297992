//! What is on screen: which view fills the space under the charts, and the state that goes
//! with looking (help, overlay, zoom, weights page, digits on show), changed by [`super::app::App`].

/// What fills the space under the charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum View {
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
    /// The selected run's hidden layers: activations, saturation, gradients, updates.
    Health,
    /// The optimizers' paths on a 2-D function, in place of the charts too.
    Landscape,
}

impl View {
    /// Views that need the networks' weights (their snapshots), not just their reports.
    pub(crate) fn needs_snapshots(self) -> bool {
        matches!(self, Self::Weights | Self::Draw)
    }
}

/// How many test digits the panel can show at most.
pub(crate) const MAX_DIGITS: usize = 12;

/// The fewest epochs [`Zoom::Recent`] shows.
pub(crate) const RECENT_MIN: u32 = 10;

/// The epochs the charts show: all of them, or the latest stretch (where the late phase of
/// the fast optimizers, invisible on a 1000-epoch axis, can be told apart).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Zoom {
    /// From 0 to the session's epochs.
    #[default]
    All,
    /// The latest quarter of the epochs trained so far (at least [`RECENT_MIN`]).
    Recent,
}

impl Zoom {
    /// The epochs shown, `(first, last)`, of a session of `total` epochs whose furthest run
    /// trained `furthest`.
    pub(crate) fn window(self, total: u32, furthest: u32) -> (u32, u32) {
        match self {
            Self::All => (0, total),
            Self::Recent => {
                let last = furthest.max(RECENT_MIN);
                (last - (last / 4).max(RECENT_MIN).min(last), last)
            }
        }
    }
}

/// What is on screen besides the data: the view under the charts, the help, the overlay, the
/// zoom, the weights view's page and the test digits on show.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ViewState {
    /// What is under the charts.
    pub(super) view: View,
    /// Whether the help overlay is open.
    pub(super) show_help: bool,
    /// Whether the detail area overlays every run instead of showing the selected one.
    pub(super) overlay: bool,
    /// The charts' x range.
    pub(super) zoom: Zoom,
    /// The first hidden unit the weights view shows.
    pub(super) weights_offset: usize,
    /// Test-set indices of the digits on show.
    digits: Vec<usize>,
}

impl ViewState {
    /// The main view, the first digits of a test set of `tests` images.
    pub(crate) fn new(tests: usize) -> Self {
        Self {
            view: View::Main,
            show_help: false,
            overlay: false,
            zoom: Zoom::All,
            weights_offset: 0,
            digits: (0..MAX_DIGITS.min(tests)).collect(),
        }
    }

    /// Test-set indices of the digits on show.
    pub(crate) fn digits(&self) -> &[usize] {
        &self.digits
    }

    /// Other random digits of a test set of `tests` images, all different.
    pub(crate) fn new_digits(&mut self, tests: usize) {
        let mut rng = rand::rng();
        self.digits = rand::seq::index::sample(&mut rng, tests, MAX_DIGITS.min(tests)).into_vec();
    }

    /// The other x range.
    pub(crate) fn cycle_zoom(&mut self) {
        self.zoom = match self.zoom {
            Zoom::All => Zoom::Recent,
            Zoom::Recent => Zoom::All,
        };
    }

    /// One page of `page` units on or back among `units`; it stops at the first and last page.
    pub(crate) fn page_weights(&mut self, forward: bool, units: usize, page: usize) {
        let start = page_start(self.weights_offset, units, page);
        let page = page.max(1);
        self.weights_offset = match forward {
            true if start + page < units => start + page,
            true => start,
            false => start.saturating_sub(page),
        };
    }
}

/// The first unit of the page of `page` units that shows `offset` among `units`: pages start
/// at multiples of their size (units 1–65, then 66–80: no unit shown twice), and the last
/// page is never empty, so a resize keeps something on screen.
pub(crate) fn page_start(offset: usize, units: usize, page: usize) -> usize {
    let page = page.max(1);
    offset.min(units.saturating_sub(1)) / page * page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_digits_are_distinct_test_images() {
        let mut state = ViewState::new(360);
        assert_eq!(state.digits(), (0..MAX_DIGITS).collect::<Vec<_>>());
        state.new_digits(360);
        let mut d = state.digits().to_vec();
        d.sort_unstable();
        d.dedup();
        assert_eq!(d.len(), MAX_DIGITS);
        assert!(d.iter().all(|&i| i < 360));
        state.new_digits(3);
        assert_eq!(state.digits().len(), 3);
    }

    #[test]
    fn weight_pages_never_show_a_unit_twice() {
        // 80 units, 65 a page: `units 1–65` then `16–80` once showed 16–65 twice.
        let mut state = ViewState::new(0);
        assert_eq!(page_start(state.weights_offset, 80, 65), 0);
        state.page_weights(true, 80, 65);
        assert_eq!(page_start(state.weights_offset, 80, 65), 65);
        state.page_weights(true, 80, 65);
        assert_eq!(page_start(state.weights_offset, 80, 65), 65);
        // A resize to smaller pages keeps the page that holds the first unit shown.
        assert_eq!(page_start(state.weights_offset, 80, 20), 60);
        state.page_weights(false, 80, 65);
        assert_eq!(page_start(state.weights_offset, 80, 65), 0);
        assert_eq!(page_start(0, 0, 0), 0);
    }

    #[test]
    fn weight_pages_stop_at_both_ends() {
        let mut state = ViewState::new(0);
        state.page_weights(true, 100, 40);
        state.page_weights(true, 100, 40);
        assert_eq!(state.weights_offset, 80);
        state.page_weights(true, 100, 40);
        assert_eq!(state.weights_offset, 80);
        state.page_weights(false, 100, 50);
        state.page_weights(false, 100, 50);
        assert_eq!(state.weights_offset, 0);
    }

    #[test]
    fn the_recent_zoom_shows_the_latest_quarter_of_at_least_ten_epochs() {
        assert_eq!(Zoom::All.window(1000, 40), (0, 1000));
        assert_eq!(Zoom::Recent.window(1000, 400), (300, 400));
        assert_eq!(Zoom::Recent.window(1000, 40), (30, 40));
        assert_eq!(Zoom::Recent.window(1000, 0), (0, 10));
    }
}
