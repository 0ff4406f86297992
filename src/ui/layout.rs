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

use super::theme::{LAB_SIDE, Theme};

/// The smallest terminal the dashboard draws in; below it, an "enlarge" panel.
pub const MIN_WIDTH: u16 = 80;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 24;
/// Below this width per chart, only the first chart carries y labels.
pub const NARROW_CHART: u16 = 20;
/// The digits panel always shows at least this many of the lab's 8×8 tiles (switching to
/// compact tiles if the full ones do not fit), so a small terminal still shows more than one
/// guess.
pub const MIN_TILES: u16 = 4;
/// The fewest tiles of images larger than the lab's, which need more room each: two, when
/// four would squeeze the detail panel below its readable width.
pub const MIN_LARGE_TILES: u16 = 2;
/// Narrowest the detail panel may become to make room for full-size digit tiles.
const MIN_DETAIL_WIDTH: u16 = 44;
/// Share of the width the digits panel may take when there is room for more than the minimum.
const DIGITS_SHARE: f64 = 0.4;

/// How big one digit tile is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TileSize {
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
    pub fn downsample(self, side: usize) -> usize {
        match (self, side > LAB_SIDE) {
            (Self::Compact, true) => 2,
            _ => 1,
        }
    }

    /// Cells of glyph across for images of `side`, then a gap and 6 cells for another run's
    /// guess (`SG 8✗`).
    pub fn width(self, side: usize) -> u16 {
        self.glyph_width(side) + 7
    }

    /// Glyph rows (or one row per other run, if more), then a label line.
    pub fn height(self, side: usize, runs: usize) -> u16 {
        self.glyph_height(side).max(runs.saturating_sub(1) as u16) + 1
    }

    /// Cells across the glyph itself.
    pub fn glyph_width(self, side: usize) -> u16 {
        let shown = side.div_ceil(self.downsample(side)) as u16;
        match (self, side > LAB_SIDE) {
            (Self::Full, false) => 2 * shown,
            _ => shown,
        }
    }

    /// Rows of the glyph itself.
    pub fn glyph_height(self, side: usize) -> u16 {
        let shown = side.div_ceil(self.downsample(side)) as u16;
        match (self, side > LAB_SIDE) {
            (Self::Full, false) => shown,
            _ => shown.div_ceil(2),
        }
    }
}

/// Tiles laid out in the digits panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tiles {
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
    pub fn width(&self) -> u16 {
        self.size.width(self.side)
    }

    /// Height of one tile, for `runs` runs.
    pub fn height(&self, runs: usize) -> u16 {
        self.size.height(self.side, runs)
    }

    /// Width of the bordered panel holding `cols` tiles with one-cell gaps.
    pub fn panel_width(&self) -> u16 {
        self.cols * (self.width() + 1) + 1
    }
}

/// The regions of one frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Areas {
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
    pub fn new(size: Rect, runs: usize, side: usize) -> Self {
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
    pub fn below(&self) -> Rect {
        self.detail.union(self.digits)
    }

    /// The point of the draw view's canvas under `at`, in pixels from its top left corner
    /// (the centre of what the cell shows), if the cell is on the canvas.
    pub fn canvas_point(&self, at: Position) -> Option<(f64, f64)> {
        if !self.fits {
            return None;
        }
        DrawLayout::new(self.below(), self.tiles.side).point(at)
    }

    /// The run whose chart contains `at`.
    pub fn chart_at(&self, at: Position) -> Option<usize> {
        if !self.fits {
            return None;
        }
        self.charts.iter().position(|r| r.contains(at))
    }
}

/// How the draw view shows one canvas pixel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PixelCells {
    /// A block of cells across and down.
    Block(u16, u16),
    /// Half a cell: two pixels, one above the other, in each cell (half-block glyphs).
    Half,
}

/// The draw view: a bordered canvas on the left, the networks' readings on the right.
///
/// ```text
/// ┌ draw ──────────┐ what each network reads
/// │    ▄██▄        │ SGD         7  81.2%  ▁▁▁▁▁▁▁█▁▁
/// │   █▀  █        │ ...
/// └────────────────┘ arrows move · 0–9 ink · …
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DrawLayout {
    /// The canvas itself (inside its border).
    pub canvas: Rect,
    /// The canvas with its border (the bottom one only if [`DrawLayout::bottom`]).
    pub outer: Rect,
    /// Whether there was room for the bottom border.
    pub bottom: bool,
    /// How a pixel is drawn.
    pub cells: PixelCells,
    /// Where the readings go.
    pub readings: Rect,
}

/// Columns the draw view keeps for the readings before it enlarges the canvas's pixels.
const MIN_READINGS_WIDTH: u16 = 40;

impl DrawLayout {
    /// The canvas of a `side × side` image in `area`: big pixels (4×2 cells, square on most
    /// fonts), else 2×1, where they fit; else (images larger than the lab's) two pixels a
    /// cell, whose bottom border goes first when even that is short of a row.
    pub fn new(area: Rect, side: usize) -> Self {
        let side = side as u16;
        let fits = |(w, h): (u16, u16)| {
            side * h + 2 <= area.height && side * w + 2 + MIN_READINGS_WIDTH <= area.width
        };
        let cells = match [(4, 2), (2, 1)].into_iter().find(|&c| fits(c)) {
            Some((w, h)) => PixelCells::Block(w, h),
            None if usize::from(side) > LAB_SIDE => PixelCells::Half,
            None => PixelCells::Block(2, 1),
        };
        let (width, height) = match cells {
            PixelCells::Block(w, h) => (side * w, side * h),
            PixelCells::Half => (side, side.div_ceil(2)),
        };
        let outer = Rect::new(area.x, area.y, width + 2, height + 2).intersection(area);
        let canvas = Rect::new(
            outer.x + 1,
            outer.y + 1,
            outer.width.saturating_sub(2),
            height.min(outer.height.saturating_sub(1)),
        );
        let readings = Rect::new(
            outer.right(),
            area.y,
            area.width.saturating_sub(outer.width),
            area.height,
        );
        Self {
            canvas,
            outer,
            bottom: outer.height >= height + 2,
            cells,
            readings,
        }
    }

    /// The canvas point under `at` in pixels (see [`Areas::canvas_point`]).
    pub fn point(&self, at: Position) -> Option<(f64, f64)> {
        if !self.canvas.contains(at) {
            return None;
        }
        let (dx, dy) = (
            f64::from(at.x - self.canvas.x),
            f64::from(at.y - self.canvas.y),
        );
        Some(match self.cells {
            PixelCells::Block(w, h) => (
                (dx / f64::from(w)).floor() + 0.5,
                (dy / f64::from(h)).floor() + 0.5,
            ),
            PixelCells::Half => (dx + 0.5, 2.0 * dy + 1.0),
        })
    }
}

/// The weights view: a legend line and a grid of unit glyphs with one-cell gaps, inside a
/// bordered panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeightsLayout {
    /// The legend line.
    pub legend: Rect,
    /// Where the glyphs go.
    pub grid: Rect,
    /// Glyphs across.
    pub cols: u16,
    /// Glyphs down.
    pub rows: u16,
    /// Cells one glyph takes across.
    pub glyph_width: u16,
    /// Rows one glyph takes.
    pub glyph_rows: u16,
    /// How much each unit is shrunk first (2: averaged over 2×2 blocks).
    pub downsample: usize,
}

impl WeightsLayout {
    /// Lays out the panel `area` (border included) for units over `side × side` images, drawn
    /// as `theme` draws them: at their size, or (images larger than the lab's) averaged down
    /// 2× when not one whole unit fits.
    pub fn new(area: Rect, side: usize, theme: &Theme) -> Self {
        let inner = Rect::new(
            area.x.saturating_add(1),
            area.y.saturating_add(1),
            area.width.saturating_sub(2),
            area.height.saturating_sub(2),
        );
        let [legend, grid] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        let at = |downsample: usize| {
            let shown = side.div_ceil(downsample);
            let (glyph_width, glyph_rows) = (shown as u16, theme.weight_rows(shown));
            Self {
                legend,
                grid,
                cols: (grid.width + 1) / (glyph_width + 1),
                rows: (grid.height + 1) / (glyph_rows + 1),
                glyph_width,
                glyph_rows,
                downsample,
            }
        };
        match at(1) {
            full if full.per_page() == 0 && side > LAB_SIDE => at(2),
            full => full,
        }
    }

    /// Units one page shows.
    pub fn per_page(&self) -> usize {
        usize::from(self.cols) * usize::from(self.rows)
    }

    /// Where the `k`-th glyph of the page goes.
    pub fn glyph(&self, k: usize) -> Rect {
        let cols = usize::from(self.cols.max(1));
        let (r, c) = ((k / cols) as u16, (k % cols) as u16);
        Rect::new(
            self.grid.x + c * (self.glyph_width + 1),
            self.grid.y + r * (self.glyph_rows + 1),
            self.glyph_width,
            self.glyph_rows,
        )
        .intersection(self.grid)
    }
}

/// Units one page of the weights view shows in the panel `below` the charts.
pub fn weight_units_per_page(below: Rect, side: usize, theme: &Theme) -> usize {
    WeightsLayout::new(below, side, theme).per_page()
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
    fn the_canvas_under_a_click_is_the_drawn_one() {
        let a = Areas::new(Rect::new(0, 0, 120, 40), 6, 8);
        let d = DrawLayout::new(a.below(), 8);
        assert_eq!(d.cells, PixelCells::Block(4, 2));
        let top_left = Position::new(d.canvas.x, d.canvas.y);
        assert_eq!(a.canvas_point(top_left), Some((0.5, 0.5)));
        let last = Position::new(d.canvas.x + 8 * 4 - 1, d.canvas.y + 8 * 2 - 1);
        assert_eq!(a.canvas_point(last), Some((7.5, 7.5)));
        assert_eq!(
            a.canvas_point(Position::new(d.canvas.x + 8 * 4, d.canvas.y)),
            None
        );
        let small = Areas::new(Rect::new(0, 0, 80, 24), 6, 8);
        assert_eq!(
            DrawLayout::new(small.below(), 8).cells,
            PixelCells::Block(2, 1)
        );
        // A 28×28 canvas: two pixels a cell, the bottom border dropped at 80×24.
        for (w, h, bottom) in [(120, 40, true), (80, 24, false)] {
            let a = Areas::new(Rect::new(0, 0, w, h), 6, 28);
            let d = DrawLayout::new(a.below(), 28);
            assert_eq!((d.cells, d.bottom), (PixelCells::Half, bottom), "{w}x{h}");
            assert_eq!((d.canvas.width, d.canvas.height), (28, 14), "{w}x{h}");
            let cell = Position::new(d.canvas.x + 27, d.canvas.y + 13);
            assert_eq!(a.canvas_point(cell), Some((27.5, 27.0)));
        }
        let big = Areas::new(Rect::new(0, 0, 200, 60), 6, 28);
        assert_eq!(
            DrawLayout::new(big.below(), 28).cells,
            PixelCells::Block(2, 1)
        );
    }

    #[test]
    fn weights_show_at_the_datas_size_or_halved() {
        let below = |w, h| Areas::new(Rect::new(0, 0, w, h), 6, 28).below();
        let colour = Theme::default();
        let full = WeightsLayout::new(below(120, 40), 28, &colour);
        assert_eq!(
            (full.glyph_width, full.glyph_rows, full.downsample),
            (28, 14, 1)
        );
        assert_eq!(full.per_page(), 4);
        let short = WeightsLayout::new(below(80, 24), 28, &Theme::ascii());
        assert_eq!(
            (short.glyph_width, short.glyph_rows, short.downsample),
            (14, 7, 2)
        );
        assert!(short.per_page() >= 5, "{short:?}");
        let lab = WeightsLayout::new(below(120, 40), 8, &Theme::plain());
        assert_eq!((lab.glyph_width, lab.glyph_rows, lab.downsample), (8, 8, 1));
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
