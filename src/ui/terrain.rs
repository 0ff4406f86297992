//! The landscape view's terrain (`t`): each cell's level of the function and the level sets
//! between its Braille dots, computed when the function or the plot's size changes rather than
//! every frame (a plot of 100×30 cells evaluates the function 24 000 times). The grid it is
//! cut on is the paths' too.

use ratatui::layout::Rect;

use crate::landscape::Function;

/// Levels the terrain is cut into.
const LEVELS: usize = 8;

/// Dots of a Braille cell across and down.
pub(crate) const DOTS: (usize, usize) = (2, 4);

/// The bit of the Braille dot at column `c` (0..2) and row `r` (0..4) of a cell.
pub(crate) fn dot_bit(c: usize, r: usize) -> u8 {
    const BITS: [[u8; 2]; 4] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]];
    BITS[r][c]
}

/// The drawn range of `function` over `cols × rows` points (cells, or Braille dots): the
/// point at the centre of point `(c, r)`.
pub(crate) struct Grid {
    /// The function drawn.
    pub function: Function,
    /// Points across.
    pub cols: usize,
    /// Points down.
    pub rows: usize,
}

impl Grid {
    fn at(&self, c: usize, r: usize) -> (f64, f64) {
        let b = self.function.bounds();
        let fx = (c as f64 + 0.5) / self.cols as f64;
        let fy = (r as f64 + 0.5) / self.rows as f64;
        (b.x.0 + fx * (b.x.1 - b.x.0), b.y.1 - fy * (b.y.1 - b.y.0))
    }

    /// Where `(x, y)` falls, in grid units (fractional, possibly outside).
    pub(crate) fn place(&self, x: f64, y: f64) -> (f64, f64) {
        let b = self.function.bounds();
        (
            (x - b.x.0) / (b.x.1 - b.x.0) * self.cols as f64,
            (b.y.1 - y) / (b.y.1 - b.y.0) * self.rows as f64,
        )
    }

    /// The height the levels are cut on (see [`Function::height`]).
    fn height(&self, c: usize, r: usize) -> f64 {
        let (x, y) = self.at(c, r);
        self.function.height(x, y)
    }
}

/// One cell of the terrain: its shade (its level at its centre, 0 to 1) and the Braille dots
/// where the level changes.
pub(crate) type Cell = (f64, u8);

/// The terrain of a function on a plot of some size.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Terrain {
    /// The function and the plot's cells across and down it was cut for (`None` before any).
    of: Option<(Function, usize, usize)>,
    /// The cells, row by row.
    cells: Vec<Cell>,
}

impl Terrain {
    /// `function`'s terrain on `cols × rows` cells.
    fn of(function: Function, cols: usize, rows: usize) -> Self {
        let fine = Grid {
            function,
            cols: cols * DOTS.0,
            rows: rows * DOTS.1,
        };
        let heights: Vec<f64> = (0..fine.rows)
            .flat_map(|r| (0..fine.cols).map(move |c| (c, r)))
            .map(|(c, r)| fine.height(c, r))
            .collect();
        let low = heights.iter().copied().fold(f64::INFINITY, f64::min);
        let high = heights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let level = |h: f64| match high > low {
            true => ((h - low) / (high - low) * LEVELS as f64)
                .floor()
                .min((LEVELS - 1) as f64),
            false => 0.0,
        };
        let band = |c: usize, r: usize| level(heights[r * fine.cols + c]);
        let coarse = Grid {
            function,
            cols,
            rows,
        };
        let mut cells = Vec::with_capacity(cols * rows);
        for r in 0..rows {
            for c in 0..cols {
                let mut dots = 0;
                for (dc, dr) in (0..DOTS.1).flat_map(|dr| (0..DOTS.0).map(move |dc| (dc, dr))) {
                    let (fc, fr) = (c * DOTS.0 + dc, r * DOTS.1 + dr);
                    let here = band(fc, fr);
                    let right = fc + 1 < fine.cols && band(fc + 1, fr) != here;
                    let below = fr + 1 < fine.rows && band(fc, fr + 1) != here;
                    if right || below {
                        dots |= dot_bit(dc, dr);
                    }
                }
                let shade = level(coarse.height(c, r)) / (LEVELS - 1) as f64;
                cells.push((shade, dots));
            }
        }
        Self {
            of: Some((function, cols, rows)),
            cells,
        }
    }

    /// Follows `function` drawn on `plot`: cuts the terrain again only when either changed.
    pub(crate) fn follow(&mut self, function: Function, plot: Rect) {
        let key = (function, usize::from(plot.width), usize::from(plot.height));
        if self.of != Some(key) {
            *self = Self::of(key.0, key.1, key.2);
        }
    }

    /// The cells, row by row, if they were cut for `function` on `plot`.
    pub(crate) fn cells(&self, function: Function, plot: Rect) -> Option<&[Cell]> {
        let key = (function, usize::from(plot.width), usize::from(plot.height));
        (self.of == Some(key)).then_some(&self.cells[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terrain_is_cut_again_only_for_another_function_or_size() {
        let mut t = Terrain::default();
        let plot = Rect::new(3, 2, 12, 5);
        t.follow(Function::Bowl, plot);
        assert_eq!(t, Terrain::of(Function::Bowl, 12, 5));
        assert_eq!(t.cells(Function::Bowl, plot).map(<[Cell]>::len), Some(60));
        assert!(t.cells(Function::Bowl, Rect::new(0, 0, 12, 6)).is_none());
        assert!(t.cells(Function::Rosenbrock, plot).is_none());
        t.follow(Function::Rosenbrock, plot);
        assert_eq!(t, Terrain::of(Function::Rosenbrock, 12, 5));
    }
}
