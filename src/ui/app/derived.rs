//! What the renderers read but do not compute: the charts' y ranges, the weights view's
//! glyphs and the landscape's terrain, brought up to date by [`App::update`] when what each is
//! of changes, so a frame only draws.

use crate::ui::chart_ranges::ChartRanges;
use crate::ui::landscape::{self, LandscapeLayout};
use crate::ui::layout::{Areas, WeightsLayout};
use crate::ui::message::Message;
use crate::ui::view::View;

use super::App;

/// Whether `message` may move the curves or the epoch window: an event of the session, new
/// data, or a key (the zoom, a step, a restart).
pub(super) fn moves_curves(message: &Message) -> bool {
    matches!(
        message,
        Message::Session(_) | Message::Loaded { .. } | Message::Key(_)
    )
}

impl App {
    /// Follows the state `update` left: the charts' ranges when `curves_moved`; with its view
    /// open, the weights view's glyphs and the landscape's terrain, each computed again only
    /// when what it is of changed (the weights, the run, the function, the size).
    pub(super) fn follow(&mut self, curves_moved: bool) {
        if curves_moved {
            self.ranges = ChartRanges::of(self.session.runs(), self.epoch_window());
        }
        let side = self.data.side;
        match self.view() {
            View::Weights => {
                let areas = Areas::new(self.size, self.session.runs().len(), side);
                let by = WeightsLayout::new(areas.below(), side, &self.theme).downsample;
                let snapshot =
                    (self.session.runs().get(self.selected)).and_then(|r| r.snapshot.as_ref());
                self.glyphs.follow(snapshot, side, by);
            }
            View::Landscape => {
                let areas = Areas::new(self.size, self.session.runs().len(), side);
                let walkers = self.landscape.walkers().len();
                let plot = LandscapeLayout::new(landscape::area(&areas), walkers).plot;
                let function = self.landscape.function();
                self.terrain.follow(function, plot.intersection(self.size));
            }
            _ => {}
        }
    }
}
