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
/// Width of one digit tile: 16 cells of glyph, a gap, 6 cells of the other runs' guesses.
pub const TILE_WIDTH: u16 = 23;
/// Height of one digit tile: 8 glyph rows and a label line.
pub const TILE_HEIGHT: u16 = 9;

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
        let charts = Layout::horizontal(vec![Constraint::Fill(1); runs.max(1)])
            .split(row)
            .iter()
            .take(runs)
            .copied()
            .collect();
        let columns = if size.width >= 110 { 2 } else { 1 };
        let [detail, digits] = Layout::horizontal([
            Constraint::Min(0),
            Constraint::Length(columns * (TILE_WIDTH + 1) + 1),
        ])
        .areas(bottom);
        Self {
            status,
            charts,
            detail,
            digits,
            footer,
            fits,
        }
    }

    /// The run whose chart contains `at`.
    pub fn chart_at(&self, at: Position) -> Option<usize> {
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
        let a = Areas::new(Rect::new(0, 0, 120, 40), 5);
        assert_eq!(a.charts.len(), 5);
        assert_eq!(
            a.chart_at(Position::new(a.charts[3].x + 1, a.charts[3].y + 1)),
            Some(3)
        );
        assert_eq!(a.chart_at(Position::new(0, 0)), None);
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
