//! `landscape --json` drawn: the function's level sets and every optimizer's path, each in its
//! colour and marker, the legend beside the plot.

use plotters::prelude::*;
use serde::Deserialize;

use super::{Area, Drawn, FONT, colour};
use crate::exit::RunError;
use crate::landscape::{Function, clip};
use crate::nn::OptimizerKind;
use crate::train::Contender;

/// A landscape figure's size: a square-ish plot and the legend beside it.
pub(super) const LANDSCAPE_SIZE: (u32, u32) = (1200, 760);
/// The legend's width, right of the plot.
const LANDSCAPE_LEGEND: u32 = 340;
/// Level sets drawn, evenly spaced in [`Function::height`].
const LANDSCAPE_LEVELS: usize = 12;
/// Squares across and down the level sets are traced on.
const LANDSCAPE_GRID: usize = 80;

/// One line of `landscape --json`.
#[derive(Deserialize)]
struct LandscapeLine {
    optimizer: OptimizerKind,
    x: Option<f64>,
    y: Option<f64>,
    f: Option<f64>,
    #[serde(default)]
    diverged: bool,
}

/// One optimizer's path, as read.
struct LandscapePath {
    kind: OptimizerKind,
    /// Every finite point, from the start.
    points: Vec<(f64, f64, f64)>,
    /// The step where f stopped being finite, if it did.
    diverged_at: Option<usize>,
}

/// What `landscape --json` holds: the paths, and the function they walked.
pub(super) struct LandscapeDoc {
    function: Function,
    paths: Vec<LandscapePath>,
}

impl LandscapeDoc {
    /// Reads the lines of `landscape --json` (`shown` names the file in errors).
    pub(super) fn parse(shown: &str, bytes: &[u8]) -> Result<Self, RunError> {
        let mut paths: Vec<LandscapePath> = Vec::new();
        let lines = bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.trim_ascii().is_empty());
        for (n, line) in lines.enumerate() {
            let line: LandscapeLine = serde_json::from_slice(line).map_err(|e| {
                RunError::Invalid(format!(
                    "{shown}: line {}: not a landscape --json line: {e}",
                    n + 1
                ))
            })?;
            if paths.last().is_none_or(|p| p.kind != line.optimizer) {
                paths.push(LandscapePath {
                    kind: line.optimizer,
                    points: Vec::new(),
                    diverged_at: None,
                });
            }
            let Some(path) = paths.last_mut() else {
                continue;
            };
            match (line.x, line.y, line.f) {
                (Some(x), Some(y), Some(f)) if !line.diverged => path.points.push((x, y, f)),
                _ => path.diverged_at = Some(path.points.len()),
            }
        }
        let points: Vec<(f64, f64, f64)> = paths.iter().flat_map(|p| p.points.clone()).collect();
        let function = Function::of_points(&points).filter(|_| !points.is_empty());
        let function = function.ok_or_else(|| {
            RunError::Invalid(format!(
                "{shown}: its points fit none of the landscapes (bowl, rosenbrock, himmelblau, saddle)"
            ))
        })?;
        Ok(Self { function, paths })
    }
}

/// Draws an optimizer's marker at `at` with `$draw` (`|element| …`, run with the marker's
/// own element type), the same on the plot and in the legend.
macro_rules! landscape_mark {
    ($kind:expr, $at:expr, $size:expr, $style:expr, |$e:ident| $draw:expr) => {{
        let (base, size, style): (_, i32, ShapeStyle) = (EmptyElement::at($at), $size, $style);
        match $kind {
            OptimizerKind::Sgd => {
                let $e = base + Circle::new((0, 0), size, style);
                $draw
            }
            OptimizerKind::Momentum => {
                let $e = base + TriangleMarker::new((0, 0), size + 1, style);
                $draw
            }
            OptimizerKind::Adagrad => {
                let $e = base + Cross::new((0, 0), size, style);
                $draw
            }
            OptimizerKind::Rmsprop => {
                let $e = base + Rectangle::new([(-size, -size), (size, size)], style);
                $draw
            }
            OptimizerKind::Adam => {
                let s = size + 1;
                let $e = base + Polygon::new(vec![(0, -s), (s, 0), (0, s), (-s, 0)], style);
                $draw
            }
        }
    }};
}

/// The level sets of `function` over its bounds by marching squares: segments where the
/// height crosses each of [`LANDSCAPE_LEVELS`] levels.
fn level_sets(function: Function) -> Vec<[(f64, f64); 2]> {
    let b = function.bounds();
    let n = LANDSCAPE_GRID;
    let at = |i: usize, j: usize| {
        let x = b.x.0 + (b.x.1 - b.x.0) * i as f64 / n as f64;
        let y = b.y.0 + (b.y.1 - b.y.0) * j as f64 / n as f64;
        (x, y)
    };
    let heights: Vec<f64> = (0..=n)
        .flat_map(|j| (0..=n).map(move |i| (i, j)))
        .map(|(i, j)| {
            let (x, y) = at(i, j);
            function.height(x, y)
        })
        .collect();
    let h = |i: usize, j: usize| heights[j * (n + 1) + i];
    let low = heights.iter().copied().fold(f64::INFINITY, f64::min);
    let high = heights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut out = Vec::new();
    for k in 1..=LANDSCAPE_LEVELS {
        let level = low + (high - low) * k as f64 / (LANDSCAPE_LEVELS + 1) as f64;
        for j in 0..n {
            for i in 0..n {
                // The square's corners in order round it, and where each edge crosses.
                let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
                let crossings: Vec<(f64, f64)> = (0..4)
                    .filter_map(|e| {
                        let (p, q) = (corners[e], corners[(e + 1) % 4]);
                        let (hp, hq) = (h(p.0, p.1), h(q.0, q.1));
                        ((hp < level) != (hq < level)).then(|| {
                            let t = (level - hp) / (hq - hp);
                            let (a, b) = (at(p.0, p.1), at(q.0, q.1));
                            (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
                        })
                    })
                    .collect();
                for pair in crossings.chunks_exact(2) {
                    out.push([pair[0], pair[1]]);
                }
            }
        }
    }
    out
}

/// The pieces of a path inside `bounds` as polylines: a segment clipped at an edge ends one.
fn inside_pieces(points: &[(f64, f64, f64)], function: Function) -> Vec<Vec<(f64, f64)>> {
    let b = function.bounds();
    let (w, h) = (b.x.1 - b.x.0, b.y.1 - b.y.0);
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    for pair in points.windows(2) {
        let local = |p: (f64, f64, f64)| (p.0 - b.x.0, p.1 - b.y.0);
        let Some((from, to)) = clip(local(pair[0]), local(pair[1]), (w, h)) else {
            continue;
        };
        let from = (from.0 + b.x.0, from.1 + b.y.0);
        let to = (to.0 + b.x.0, to.1 + b.y.0);
        match pieces.last_mut() {
            Some(piece) if piece.last() == Some(&from) => piece.push(to),
            _ => pieces.push(vec![from, to]),
        }
    }
    pieces
}

/// `landscape --json`: the function's level sets in grey, every path in its colour with its
/// marker at its points (at most about sixty of them) and a larger one where it ended, a ×
/// where it diverged; the legend right of the plot, outside the data.
pub(super) fn draw(root: &Area<'_>, doc: &LandscapeDoc) -> Drawn {
    root.fill(&WHITE)?;
    let function = doc.function;
    let b = function.bounds();
    let (plot, side) = root.split_horizontally(LANDSCAPE_SIZE.0 - LANDSCAPE_LEGEND);
    let caption = format!("{}: {}", function.name(), function.formula());
    let mut chart = ChartBuilder::on(&plot)
        .caption(caption, (FONT, 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(b.x.0..b.x.1, b.y.0..b.y.1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("x")
        .y_desc("y")
        .draw()?;
    let grey = RGBColor(185, 185, 185).stroke_width(1);
    chart.draw_series(
        level_sets(function)
            .into_iter()
            .map(|s| PathElement::new(s.to_vec(), grey)),
    )?;
    let inside = |p: &&(f64, f64, f64)| b.contains((p.0, p.1));
    for path in &doc.paths {
        let c = colour(Contender::from(path.kind));
        for piece in inside_pieces(&path.points, function) {
            chart.draw_series([PathElement::new(piece, c.stroke_width(2))])?;
        }
        let every = path.points.len().div_ceil(60).max(1);
        for p in (path.points.iter().step_by(every)).filter(inside) {
            landscape_mark!(path.kind, (p.0, p.1), 3, c.filled(), |e| chart
                .draw_series([e]))?;
        }
        if let Some(last) = path.points.last().filter(inside) {
            let at = (last.0, last.1);
            match path.diverged_at {
                Some(_) => chart.draw_series([Cross::new(at, 9, c.stroke_width(3))])?,
                None => landscape_mark!(path.kind, at, 6, c.filled(), |e| chart.draw_series([e]))?,
            };
        }
    }
    if let Some(&(x, y, _)) = doc.paths.first().and_then(|p| p.points.first()) {
        let start = EmptyElement::at((x, y))
            + Circle::new((0, 0), 7, BLACK.stroke_width(2))
            + Text::new("start", (9, -18), (FONT, 14));
        chart.draw_series([start])?;
    }
    // The legend, beside the plot.
    let line = |i: usize| 70 + 28 * i as i32;
    side.draw(&Text::new(
        "optimizer: where it ended",
        (10, 40),
        (FONT, 16),
    ))?;
    for (i, path) in doc.paths.iter().enumerate() {
        let c = colour(Contender::from(path.kind));
        let y = line(i + 1);
        side.draw(&PathElement::new(vec![(10, y), (40, y)], c.stroke_width(2)))?;
        landscape_mark!(path.kind, (25, y), 5, c.filled(), |e| side.draw(&e))?;
        let steps = path.points.len().saturating_sub(1);
        let text = match (path.diverged_at, path.points.last()) {
            (Some(step), _) => format!("{}: diverged at step {step}", path.kind.label()),
            (None, Some(p)) => format!("{}: f {:.3e} after {steps} steps", path.kind.label(), p.2),
            (None, None) => path.kind.label().to_owned(),
        };
        side.draw(&Text::new(text, (50, y - 8), (FONT, 15)))?;
    }
    let levels = match function.minimum() {
        Some(_) => "grey: level sets of log(1 + f)",
        None => "grey: level sets of f",
    };
    let notes = [
        levels,
        "marks: the points (at most ~60 a path)",
        "large mark: where it ended",
    ];
    for (k, note) in notes.iter().enumerate() {
        let y = line(doc.paths.len() + 2 + k);
        side.draw(&Text::new(*note, (10, y), (FONT, 14)))?;
    }
    Ok(())
}
