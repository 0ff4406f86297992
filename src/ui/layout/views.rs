//! Where the draw view's canvas and readings and the weights view's glyphs go, in the area
//! under the charts.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use crate::ui::theme::{LAB_SIDE, Theme};

/// How the draw view shows one canvas pixel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PixelCells {
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
pub(crate) struct DrawLayout {
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
    pub(crate) fn new(area: Rect, side: usize) -> Self {
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
    pub(crate) fn point(&self, at: Position) -> Option<(f64, f64)> {
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

/// Units a page must hold for images larger than the lab's to be drawn at full size: a page
/// of four 28×28 units (120×40) left 76 of 80 unseen, where averaged glyphs show seven times
/// as many.
const FULL_SIZE_UNITS: usize = 16;

/// The weights view: a legend line and a grid of unit glyphs with one-cell gaps, inside a
/// bordered panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WeightsLayout {
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
    /// 2× when fewer than [`FULL_SIZE_UNITS`] whole units fit.
    pub(crate) fn new(area: Rect, side: usize, theme: &Theme) -> Self {
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
            full if full.per_page() < FULL_SIZE_UNITS && side > LAB_SIDE => at(2),
            full => full,
        }
    }

    /// Units one page shows.
    pub(crate) fn per_page(&self) -> usize {
        usize::from(self.cols) * usize::from(self.rows)
    }

    /// Where the `k`-th glyph of the page goes.
    pub(crate) fn glyph(&self, k: usize) -> Rect {
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
pub(crate) fn weight_units_per_page(below: Rect, side: usize, theme: &Theme) -> usize {
    WeightsLayout::new(below, side, theme).per_page()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::layout::Areas;

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
        let full = WeightsLayout::new(below(250, 90), 28, &colour);
        assert_eq!(
            (full.glyph_width, full.glyph_rows, full.downsample),
            (28, 14, 1)
        );
        assert!(full.per_page() >= FULL_SIZE_UNITS, "{full:?}");
        // At 120×40 four whole units fit (76 of 80 unseen): averaged, a page holds many more
        // and leaves less than a glyph's height empty.
        let mid = WeightsLayout::new(below(120, 40), 28, &colour);
        assert_eq!(
            (mid.glyph_width, mid.glyph_rows, mid.downsample),
            (14, 7, 2)
        );
        assert!(mid.per_page() >= 20, "{mid:?}");
        let used = mid.rows * (mid.glyph_rows + 1);
        assert!(mid.grid.height + 1 - used < mid.glyph_rows + 1, "{mid:?}");
        let short = WeightsLayout::new(below(80, 24), 28, &Theme::ascii());
        assert_eq!(
            (short.glyph_width, short.glyph_rows, short.downsample),
            (14, 7, 2)
        );
        assert!(short.per_page() >= 5, "{short:?}");
        let lab = WeightsLayout::new(below(120, 40), 8, &Theme::plain());
        assert_eq!((lab.glyph_width, lab.glyph_rows, lab.downsample), (8, 8, 1));
    }
}
