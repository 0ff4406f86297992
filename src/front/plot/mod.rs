//! `digits-tui plot FILE -o OUT.svg`: a saved output drawn as the figure a report needs.
//!
//! ```text
//!  session file (--export) ─▶ loss (log y) | test accuracy, against epoch; one line per run,
//!                             a mark where a run's learning rate changed, ✗ where it diverged
//!  compare --json          ─▶ final test accuracy per optimizer: a dot per seed, mean ± sd
//!  sweep --json            ─▶ final test accuracy against learning rate (log x) or against
//!                             a knob's values (one column each, labelled with the value),
//!                             one curve per optimizer, mean ± sd bars, × where a run diverged
//!  landscape --json        ─▶ the function's level sets and every optimizer's path, each
//!                             in its colour and marker
//! ```
//!
//! Every legend has a column of its own right of the plot ([`legend`]), so it never covers
//! data. The kind is told from the document's keys ([`Document`]; a landscape's function
//! from its points, whose f only one of the four functions gives). The SVG names its fonts and
//! leaves the text to the viewer, so drawing needs no font files and no system libraries
//! (plotters' SVG backend without its font features). A bitmap would need a font rasterised
//! into it, so there is none.

mod compare;
mod landscape;
mod legend;
mod session;
mod sweep;

use std::error::Error;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::document::Document;
use crate::exit::RunError;
use crate::export::{self, SessionRecord};
use crate::train::Contender;

/// The figure's size in pixels: wide enough for two panels side by side and the legend.
const SIZE: (u32, u32) = (1200, 520);
/// The font every label names; the viewer picks its own sans-serif.
const FONT: &str = "sans-serif";

/// A saved output, by kind.
enum Figure {
    Session(SessionRecord),
    Compare(compare::CompareDoc),
    Sweep(sweep::SweepDoc),
    Landscape(landscape::LandscapeDoc),
}

/// Draws `input` as an SVG at `output`. A file that is none of the kinds, or that cannot be
/// read or written, is one line naming it.
pub(crate) fn draw(input: &Path, output: &Path) -> Result<(), RunError> {
    let figure = Figure::read(input)?;
    let mut svg = String::new();
    {
        let size = match figure {
            Figure::Landscape(_) => landscape::LANDSCAPE_SIZE,
            _ => SIZE,
        };
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let drawn = match &figure {
            Figure::Session(record) => session::draw(&root, record),
            Figure::Compare(doc) => compare::draw(&root, doc),
            Figure::Sweep(doc) => sweep::draw(&root, doc),
            Figure::Landscape(doc) => landscape::draw(&root, doc),
        };
        drawn
            .and_then(|()| Ok(root.present()?))
            .map_err(|e| RunError::Invalid(format!("cannot draw {}: {e}", input.display())))?;
    }
    std::fs::write(output, svg)
        .map_err(|e| RunError::Invalid(format!("cannot write {}: {e}", output.display())))
}

impl Figure {
    /// Reads `path` and tells its kind from its keys.
    fn read(path: &Path) -> Result<Self, RunError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| RunError::Invalid(format!("cannot read {shown}: {e}")))?;
        let typed = |kind: Document| {
            let shown = shown.clone();
            move |e: serde_json::Error| {
                RunError::Invalid(format!("{shown}: not {}: {e}", kind.name()))
            }
        };
        match Document::of(&bytes) {
            Some(Document::Landscape) => {
                landscape::LandscapeDoc::parse(&shown, &bytes).map(Self::Landscape)
            }
            Some(Document::Partial) => Err(RunError::Invalid(format!(
                "{shown}: one shard's partial document; plot what `digits-tui merge` prints"
            ))),
            Some(Document::Session) => Ok(Self::Session(export::read(path)?)),
            Some(kind @ Document::Sweep) => serde_json::from_slice(&bytes)
                .map(Self::Sweep)
                .map_err(typed(kind)),
            Some(kind @ Document::Compare) => serde_json::from_slice(&bytes)
                .map(Self::Compare)
                .map_err(typed(kind)),
            None => match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
                Err(e) => Err(RunError::Invalid(format!("{shown}: not JSON: {e}"))),
                Ok(_) => Err(RunError::Invalid(format!(
                    "{shown}: not a session file (--export), compare --json, sweep --json or \
                     landscape --json output"
                ))),
            },
        }
    }
}

type Drawn = Result<(), Box<dyn Error>>;
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// One colour per contender, the same in every figure.
fn colour(contender: Contender) -> RGBColor {
    match contender {
        Contender::Sgd => RGBColor(31, 119, 180),
        Contender::Momentum => RGBColor(255, 127, 14),
        Contender::Adagrad => RGBColor(44, 160, 44),
        Contender::Rmsprop => RGBColor(214, 39, 40),
        Contender::Adam => RGBColor(148, 103, 189),
        Contender::Mlp => RGBColor(90, 90, 90),
    }
}
