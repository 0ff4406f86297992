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

/// The smallest terminal the dashboard draws in; below it, an "enlarge" panel.
pub const MIN_WIDTH: u16 = 80;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 24;
/// Below this width per chart, only the first chart carries y labels.
pub const NARROW_CHART: u16 = 20;
/// The digits panel always shows at least this many tiles (switching to compact tiles if the
/// full ones do not fit), so a small terminal still shows more than one guess.
pub const MIN_TILES: u16 = 4;
/// Narrowest the detail panel may become to make room for full-size digit tiles.
const MIN_DETAIL_WIDTH: u16 = 44;
/// Share of the width the digits panel may take when there is room for more than the minimum.
const DIGITS_SHARE: f64 = 0.4;

/// How big one digit tile is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TileSize {
    /// A pixel is two cells wide and one row tall: 16×8 cells, true proportions.
    Full,
    /// A pixel is one cell wide and half a row tall (half-block glyphs): 8×4 cells.
    Compact,
}

impl TileSize {
    /// Cells of glyph across, then a gap and 6 cells for another run's guess (`SG 8✗`).
    pub fn width(self) -> u16 {
        self.glyph_width() + 7
    }

    /// Glyph rows (or one row per other run, if more), then a label line.
    pub fn height(self, runs: usize) -> u16 {
        self.glyph_height().max(runs.saturating_sub(1) as u16) + 1
    }

    /// Cells across the glyph itself.
    pub fn glyph_width(self) -> u16 {
        match self {
            Self::Full => 16,
            Self::Compact => 8,
        }
    }

    /// Rows of the glyph itself.
    pub fn glyph_height(self) -> u16 {
        match self {
            Self::Full => 8,
            Self::Compact => 4,
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
}

impl Tiles {
    /// Full tiles when at least [`MIN_TILES`] fit beside a readable detail panel, otherwise
    /// compact ones; more columns when the terminal is wide.
    fn choose(width: u16, bottom_height: u16, runs: usize) -> Self {
        let inner_height = bottom_height.saturating_sub(2);
        let fit = |size: TileSize| {
            let rows = (inner_height + 1) / (size.height(runs) + 1);
            let needed = MIN_TILES.div_ceil(rows.max(1));
            let share = (f64::from(width) * DIGITS_SHARE) as u16 / (size.width() + 1);
            Self {
                size,
                cols: needed.max(share),
                rows,
            }
        };
        let full = fit(TileSize::Full);
        if full.rows > 0 && width.saturating_sub(full.panel_width()) >= MIN_DETAIL_WIDTH {
            full
        } else {
            fit(TileSize::Compact)
        }
    }

    /// Width of the bordered panel holding `cols` tiles with one-cell gaps.
    pub fn panel_width(&self) -> u16 {
        self.cols * (self.size.width() + 1) + 1
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
    /// Lays out a frame of `size` for `runs` charts.
    pub fn new(size: Rect, runs: usize) -> Self {
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
        let tiles = Tiles::choose(size.width, bottom.height, runs);
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

    /// The draw view's canvas pixel `(column, row)` under `at`, if any.
    pub fn canvas_pixel(&self, at: Position) -> Option<(u8, u8)> {
        if !self.fits {
            return None;
        }
        let d = DrawLayout::new(self.below());
        if !d.canvas.contains(at) {
            return None;
        }
        let col = (at.x - d.canvas.x) / d.cell.0;
        let row = (at.y - d.canvas.y) / d.cell.1;
        Some((col.min(7) as u8, row.min(7) as u8))
    }

    /// The run whose chart contains `at`.
    pub fn chart_at(&self, at: Position) -> Option<usize> {
        if !self.fits {
            return None;
        }
        self.charts.iter().position(|r| r.contains(at))
    }
}

/// The draw view: a bordered 8×8 canvas on the left, the networks' readings on the right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DrawLayout {
    /// The canvas itself (inside its border): 8 pixels of `cell` each way.
    pub canvas: Rect,
    /// Cells per pixel across and down.
    pub cell: (u16, u16),
    /// Where the readings go.
    pub readings: Rect,
}

impl DrawLayout {
    /// Big pixels (4×2 cells, square on most fonts) where they fit, else 2×1.
    pub fn new(area: Rect) -> Self {
        let cell = if area.height >= 8 * 2 + 2 {
            (4, 2)
        } else {
            (2, 1)
        };
        let outer = Rect::new(area.x, area.y, 8 * cell.0 + 2, 8 * cell.1 + 2).intersection(area);
        let canvas = Rect::new(
            outer.x + 1,
            outer.y + 1,
            outer.width.saturating_sub(2),
            outer.height.saturating_sub(2),
        );
        let readings = Rect::new(
            outer.right(),
            area.y,
            area.width.saturating_sub(outer.width),
            area.height,
        );
        Self {
            canvas,
            cell,
            readings,
        }
    }
}

/// The weights view: a legend line and a grid of unit glyphs, 8 cells wide with one-cell
/// gaps, inside a bordered panel.
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
    /// Rows one glyph takes.
    pub glyph_rows: u16,
}

impl WeightsLayout {
    /// Lays out the panel `area` (border included) for glyphs of `glyph_rows` rows.
    pub fn new(area: Rect, glyph_rows: u16) -> Self {
        let inner = Rect::new(
            area.x.saturating_add(1),
            area.y.saturating_add(1),
            area.width.saturating_sub(2),
            area.height.saturating_sub(2),
        );
        let [legend, grid] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        Self {
            legend,
            grid,
            cols: (grid.width + 1) / 9,
            rows: (grid.height + 1) / (glyph_rows + 1),
            glyph_rows,
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
            self.grid.x + c * 9,
            self.grid.y + r * (self.glyph_rows + 1),
            8,
            self.glyph_rows,
        )
        .intersection(self.grid)
    }
}

/// Units one page of the weights view shows in the panel `below` the charts.
pub fn weight_units_per_page(below: Rect, glyph_rows: u16) -> usize {
    WeightsLayout::new(below, glyph_rows).per_page()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_share_the_row_and_clicks_find_them() {
        let a = Areas::new(Rect::new(0, 0, 120, 40), 5);
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
            let a = Areas::new(Rect::new(0, 0, w, h), 5);
            let t = a.tiles;
            assert!(t.cols * t.rows >= MIN_TILES, "{w}x{h}: {t:?}");
            assert!(a.detail.width >= MIN_DETAIL_WIDTH, "{w}x{h}: {a:?}");
            assert!(a.digits.height > t.rows * (t.size.height(5) + 1), "{w}x{h}");
        }
        assert_eq!(
            Areas::new(Rect::new(0, 0, 80, 24), 5).tiles.size,
            TileSize::Compact
        );
        assert_eq!(
            Areas::new(Rect::new(0, 0, 120, 40), 5).tiles.size,
            TileSize::Full
        );
    }

    #[test]
    fn the_canvas_under_a_click_is_the_drawn_one() {
        let a = Areas::new(Rect::new(0, 0, 120, 40), 6);
        let d = DrawLayout::new(a.below());
        assert_eq!(d.cell, (4, 2));
        let top_left = Position::new(d.canvas.x, d.canvas.y);
        assert_eq!(a.canvas_pixel(top_left), Some((0, 0)));
        let last = Position::new(d.canvas.x + 8 * 4 - 1, d.canvas.y + 8 * 2 - 1);
        assert_eq!(a.canvas_pixel(last), Some((7, 7)));
        assert_eq!(
            a.canvas_pixel(Position::new(d.canvas.x + 8 * 4, d.canvas.y)),
            None
        );
        let small = Areas::new(Rect::new(0, 0, 80, 24), 6);
        assert_eq!(DrawLayout::new(small.below()).cell, (2, 1));
    }

    #[test]
    fn tiny_and_empty_terminals_do_not_fit_but_lay_out() {
        for (w, h) in [(0, 0), (1, 1), (20, 5), (79, 40)] {
            let a = Areas::new(Rect::new(0, 0, w, h), 5);
            assert!(!a.fits);
            assert_eq!(a.chart_at(Position::new(0, 1)), None);
        }
    }
}
