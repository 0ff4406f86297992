//! Legends in a column of their own, right of the plots: a legend inside a plotting area
//! covers data wherever it is put (some run's curve always passes there), so none is.
//!
//! ```text
//! ┌ plots ──────────────────────────┬ legend ─────────┐
//! │                                  │ ── SGD diverged@1│
//! │                                  │ ── Adam          │
//! │                                  │                  │
//! │                                  │ notes            │
//! └──────────────────────────────────┴──────────────────┘
//! ```

use plotters::prelude::*;

use super::{Area, Drawn, FONT};

/// The legend column's width in pixels: room for `MLP (sklearn) diverged@1000` at 14 px.
const WIDTH: u32 = 230;
/// Pixels from one entry's line to the next.
const LINE: i32 = 24;

/// One entry: a sample line in its colour (crossed for a run that diverged) and its label.
pub(super) struct Entry {
    /// What the line stands for.
    pub label: String,
    /// Its colour on the plots.
    pub colour: RGBColor,
    /// Drawn with a ✗ over the sample: the run (or every run of it) diverged.
    pub diverged: bool,
}

/// `area` split into the plots and the legend column on their right.
pub(super) fn beside<'a>(area: &Area<'a>) -> (Area<'a>, Area<'a>) {
    let width = area.dim_in_pixel().0;
    area.split_horizontally(width.saturating_sub(WIDTH))
}

/// Draws `entries`, then `notes` (what the marks mean), down `side` from the top.
pub(super) fn draw(side: &Area<'_>, entries: &[Entry], notes: &[&str]) -> Drawn {
    let y = |i: usize| 40 + LINE * i as i32;
    for (i, entry) in entries.iter().enumerate() {
        let (y, c) = (y(i), entry.colour);
        side.draw(&PathElement::new(vec![(10, y), (34, y)], c.stroke_width(2)))?;
        if entry.diverged {
            side.draw(&Cross::new((22, y), 5, c.stroke_width(2)))?;
        }
        side.draw(&Text::new(entry.label.clone(), (42, y - 8), (FONT, 14)))?;
    }
    for (k, note) in notes.iter().enumerate() {
        let at = (10, y(entries.len() + 1 + k) - 8);
        side.draw(&Text::new(*note, at, (FONT, 12)))?;
    }
    Ok(())
}
