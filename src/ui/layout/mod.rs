//! Where everything goes, as a pure function of the terminal size, shared by the renderer and
//! by mouse hit-testing so a click lands on what is drawn.
//!
//! ```text
//! ┌ status: seed · epoch · state · epochs/s · elapsed ──────────────────────────┐
//! │ SGD      │ Momentum │ AdaGrad  │ RMSProp  │ Adam      ← one chart per run   │
//! ├──────────────────────────────────────────────┬──────────────────────────────┤
//! │ selected run in detail (loss, accuracy)      │ test digits                  │
//! ├──────────────────────────────────────────────┴──────────────────────────────┤
//! │ footer: keys                                                                │
//! ```

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::theme::LAB_SIDE;

pub(crate) mod overlay;
mod views;

pub(crate) use views::{DrawLayout, PixelCells, WeightsLayout, weight_units_per_page};

/// The smallest terminal the dashboard draws in; below it, an "enlarge" panel.
pub(crate) const MIN_WIDTH: u16 = 80;
/// See [`MIN_WIDTH`].
pub(crate) const MIN_HEIGHT: u16 = 24;
/// Below this width per chart, only the first chart carries y labels.
pub(crate) const NARROW_CHART: u16 = 20;
/// The digits panel always shows at least this many of the lab's 8×8 tiles (switching to
/// compact tiles if the full ones do not fit), so a small terminal still shows more than one
/// guess.
pub(crate) const MIN_TILES: u16 = 4;
/// The fewest tiles of images larger than the lab's, which need more room each: two, when
/// four would squeeze the detail panel below its readable width.
pub(crate) const MIN_LARGE_TILES: u16 = 2;
/// Narrowest the detail panel may become to make room for full-size digit tiles.
const MIN_DETAIL_WIDTH: u16 = 44;
/// Share of the width the digits panel may take when there is room for more than the minimum.
const DIGITS_SHARE: f64 = 0.4;

/// How big one digit tile is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TileSize {
    /// The image at its size: the lab's 8×8 pixels two cells wide and one row tall (16×8
    /// cells, true proportions); larger images two pixels a cell (half blocks), so a 28×28
    /// digit is 28×14 cells.
    Full,
    /// Half that: the lab's pixels one cell wide and half a row tall (8×4 cells); larger
    /// images averaged over 2×2 blocks first (a 28×28 digit in 14×7 cells).
    Compact,
}

impl TileSize {
    /// How much a `side × side` image is shrunk before it is drawn at this size.
    pub(crate) fn downsample(self, side: usize) -> usize {
        match (self, side > LAB_SIDE) {
            (Self::Compact, true) => 2,
            _ => 1,
        }
    }

    /// Cells of glyph across for images of `side`, then a gap and 6 cells for another run's
    /// guess (`SG 8✗`).
    pub(crate) fn width(self, side: usize) -> u16 {
        self.glyph_width(side) + 7
    }

    /// Glyph rows (or one row per other run, if more), then a label line.
    pub(crate) fn height(self, side: usize, runs: usize) -> u16 {
        self.glyph_height(side).max(runs.saturating_sub(1) as u16) + 1
    }

    /// Cells across the glyph itself.
    pub(crate) fn glyph_width(self, side: usize) -> u16 {
        let shown = side.div_ceil(self.downsample(side)) as u16;
        match (self, side > LAB_SIDE) {
            (Self::Full, false) => 2 * shown,
            _ => shown,
        }
    }

    /// Rows of the glyph itself.
    pub(crate) fn glyph_height(self, side: usize) -> u16 {
        let shown = side.div_ceil(self.downsample(side)) as u16;
        match (self, side > LAB_SIDE) {
            (Self::Full, false) => shown,
            _ => shown.div_ceil(2),
        }
    }
}

/// Tiles laid out in the digits panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tiles {
    /// Full or compact.
    pub size: TileSize,
    /// Tiles across.
    pub cols: u16,
    /// Tiles down.
    pub rows: u16,
    /// The images' side.
    pub side: usize,
}

impl Tiles {
    /// Full tiles when at least [`MIN_TILES`] fit beside a readable detail panel, otherwise
    /// compact ones; more columns when the terminal is wide. Compact tiles of images larger
    /// than the lab's are wide too: they take no room the detail panel needs beyond
    /// [`MIN_LARGE_TILES`].
    fn choose(width: u16, bottom_height: u16, runs: usize, side: usize) -> Self {
        let inner_height = bottom_height.saturating_sub(2);
        let fit = |size: TileSize| {
            let rows = (inner_height + 1) / (size.height(side, runs) + 1);
            let needed = MIN_TILES.div_ceil(rows.max(1));
            let share = (f64::from(width) * DIGITS_SHARE) as u16 / (size.width(side) + 1);
            Self {
                size,
                cols: needed.max(share),
                rows,
                side,
            }
        };
        let full = fit(TileSize::Full);
        if full.rows > 0 && width.saturating_sub(full.panel_width()) >= MIN_DETAIL_WIDTH {
            return full;
        }
        let mut compact = fit(TileSize::Compact);
        if side > LAB_SIDE {
            let room = width.saturating_sub(MIN_DETAIL_WIDTH + 1) / (compact.width() + 1);
            let least = MIN_LARGE_TILES.div_ceil(compact.rows.max(1));
            compact.cols = compact.cols.min(room).max(least);
        }
        compact
    }

    /// Width of one tile.
    pub(crate) fn width(&self) -> u16 {
        self.size.width(self.side)
    }

    /// Height of one tile, for `runs` runs.
    pub(crate) fn height(&self, runs: usize) -> u16 {
        self.size.height(self.side, runs)
    }

    /// Width of the bordered panel holding `cols` tiles with one-cell gaps.
    pub(crate) fn panel_width(&self) -> u16 {
        self.cols * (self.width() + 1) + 1
    }
}

/// The regions of one frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Areas {
    /// Top status line.
    pub status: Rect,
    /// One small chart per run.
    pub charts: Vec<Rect>,
    /// The selected run's panel.
    pub detail: Rect,
    /// Test digits.
    pub digits: Rect,
    /// How the digit tiles are arranged in [`Areas::digits`].
    pub tiles: Tiles,
    /// Key hints.
    pub footer: Rect,
    /// False when the terminal is below the minimum size.
    pub fits: bool,
}

impl Areas {
    /// Lays out a frame of `size` for `runs` charts and test images of `side × side`.
    pub(crate) fn new(size: Rect, runs: usize, side: usize) -> Self {
        let fits = size.width >= MIN_WIDTH && size.height >= MIN_HEIGHT;
        let chart_height = (size.height / 4).clamp(7, 12);
        let [status, row, bottom, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(chart_height),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(size);
        // Narrow charts leave their y labels to the first one, which gets the room for them.
        let narrow = size.width / (runs.max(1) as u16) < NARROW_CHART;
        let weights = (0..runs.max(1)).map(|i| match (narrow, i) {
            (true, 0) => Constraint::Fill(5),
            (true, _) => Constraint::Fill(3),
            (false, _) => Constraint::Fill(1),
        });
        let charts = Layout::horizontal(weights.collect::<Vec<_>>())
            .split(row)
            .iter()
            .take(runs)
            .copied()
            .collect();
        let tiles = Tiles::choose(size.width, bottom.height, runs, side);
        let [detail, digits] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(tiles.panel_width())])
                .areas(bottom);
        Self {
            status,
            charts,
            detail,
            digits,
            tiles,
            footer,
            fits,
        }
    }

    /// Everything under the charts: where the views go.
    pub(crate) fn below(&self) -> Rect {
        self.detail.union(self.digits)
    }

    /// The point of the draw view's canvas under `at`, in pixels from its top left corner
    /// (the centre of what the cell shows), if the cell is on the canvas.
    pub(crate) fn canvas_point(&self, at: Position) -> Option<(f64, f64)> {
        if !self.fits {
            return None;
        }
        DrawLayout::new(self.below(), self.tiles.side).point(at)
    }

    /// The run whose chart contains `at`.
    pub(crate) fn chart_at(&self, at: Position) -> Option<usize> {
        if !self.fits {
            return None;
        }
        self.charts.iter().position(|r| r.contains(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_share_the_row_and_clicks_find_them() {
        let a = Areas::new(Rect::new(0, 0, 120, 40), 5, 8);
        assert_eq!(a.charts.len(), 5);
        assert_eq!(
            a.chart_at(Position::new(a.charts[3].x + 1, a.charts[3].y + 1)),
            Some(3)
        );
        assert_eq!(a.chart_at(Position::new(0, 0)), None);
    }

    #[test]
    fn at_least_four_digits_at_every_usable_size() {
        for (w, h) in [
            (80, 24),
            (90, 26),
            (100, 30),
            (120, 40),
            (200, 60),
            (300, 90),
        ] {
            let a = Areas::new(Rect::new(0, 0, w, h), 5, 8);
            let t = a.tiles;
            assert!(t.cols * t.rows >= MIN_TILES, "{w}x{h}: {t:?}");
            assert!(a.detail.width >= MIN_DETAIL_WIDTH, "{w}x{h}: {a:?}");
            assert!(a.digits.height > t.rows * (t.height(5) + 1), "{w}x{h}");
        }
        assert_eq!(
            Areas::new(Rect::new(0, 0, 80, 24), 5, 8).tiles.size,
            TileSize::Compact
        );
        assert_eq!(
            Areas::new(Rect::new(0, 0, 120, 40), 5, 8).tiles.size,
            TileSize::Full
        );
    }

    #[test]
    fn large_digits_keep_their_size_where_they_fit_and_halve_where_short() {
        // 28×28 images: at least two tiles at 80×24, four at 120×40, every run beside each.
        for (w, h, size, least) in [
            (80, 24, TileSize::Compact, 2),
            (120, 40, TileSize::Compact, 4),
            (200, 60, TileSize::Full, 4),
        ] {
            let a = Areas::new(Rect::new(0, 0, w, h), 6, 28);
            let t = a.tiles;
            assert_eq!(t.size, size, "{w}x{h}");
            assert!(t.cols * t.rows >= least, "{w}x{h}: {t:?}");
            assert!(a.digits.width >= t.panel_width(), "{w}x{h}");
            assert!(a.digits.height > t.rows * (t.height(6) + 1), "{w}x{h}");
        }
        assert_eq!(
            (
                TileSize::Full.glyph_width(28),
                TileSize::Full.glyph_height(28)
            ),
            (28, 14)
        );
        assert_eq!(
            (
                TileSize::Compact.glyph_width(28),
                TileSize::Compact.glyph_height(28)
            ),
            (14, 7)
        );
        assert_eq!(
            (
                TileSize::Full.glyph_width(8),
                TileSize::Compact.glyph_height(8)
            ),
            (16, 4)
        );
    }

    #[test]
    fn tiny_and_empty_terminals_do_not_fit_but_lay_out() {
        for (w, h) in [(0, 0), (1, 1), (20, 5), (79, 40)] {
            let a = Areas::new(Rect::new(0, 0, w, h), 5, 8);
            assert!(!a.fits);
            assert_eq!(a.chart_at(Position::new(0, 1)), None);
        }
    }
}
