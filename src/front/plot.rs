//! `digits-tui plot FILE -o OUT.svg`: a saved output drawn as the figure a report needs.
//!
//! ```text
//!  session file (--export) ─▶ loss (log y) | test accuracy, against epoch; one line per run,
//!                             a legend, a mark where a run's learning rate changed
//!  compare --json          ─▶ final test accuracy per optimizer: a dot per seed, mean ± sd
//!  sweep --json            ─▶ final test accuracy against learning rate (log x) or against
//!                             a knob's values (one column each, labelled with the value),
//!                             one curve per optimizer, mean ± sd bars, × where a run diverged
//!  landscape --json        ─▶ the function's level sets and every optimizer's path, each
//!                             in its colour and marker, the legend beside the plot
//! ```
//!
//! The kind is told from the document's keys (a landscape's JSON lines from their first
//! line's, and its function from its points, whose f only one of the four functions gives). The SVG names its fonts and leaves the text to
//! the viewer, so drawing needs no font files and no system libraries (plotters' SVG backend
//! without its font features). A bitmap would need a font rasterised into it, so there is none.

use std::error::Error;
use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::types::{RangedCoordf64, RangedCoordu32};
use plotters::prelude::*;
use serde::Deserialize;
use serde_json::Value;

use crate::engine::{Grid, SeedResult, Value as Swept};
use crate::exit::RunError;
use crate::export::{self, RunRecord, SessionRecord};
use crate::format::{rate_text, value_text};
use crate::landscape::{Function, clip};
use crate::model::stats::ContenderStats;
use crate::nn::OptimizerKind;
use crate::train::Contender;

/// The figure's size in pixels: wide enough for two panels side by side.
const SIZE: (u32, u32) = (1200, 520);
/// The font every label names; the viewer picks its own sans-serif.
const FONT: &str = "sans-serif";

/// What `compare --json` holds that the figure needs.
#[derive(Deserialize)]
struct CompareDoc {
    epochs: u32,
    seeds: Vec<u32>,
    results: Vec<SeedResult>,
    summary: Vec<ContenderStats>,
}

/// What `sweep --json` holds that the figure needs.
#[derive(Deserialize)]
struct SweepDoc {
    epochs: u32,
    seeds: Vec<u32>,
    /// `"rates"`, or a knob's values (`"inits"`, …).
    #[serde(flatten)]
    grid: Grid,
    summary: Vec<SweepCurve>,
}

/// One optimizer's curve in `sweep --json`, as far as the figure needs it.
#[derive(Deserialize)]
struct SweepCurve {
    optimizer: Contender,
    points: Vec<SweepPoint>,
}

/// One point of a [`SweepCurve`]: the value it is at and the spread there.
#[derive(Deserialize)]
struct SweepPoint {
    #[serde(flatten)]
    at: Swept,
    mean_test_acc: Option<f64>,
    sd_test_acc: Option<f64>,
    diverged: usize,
}

/// A saved output, by kind.
enum Figure {
    Session(SessionRecord),
    Compare(CompareDoc),
    Sweep(SweepDoc),
    Landscape(LandscapeDoc),
}

/// Draws `input` as an SVG at `output`. A file that is none of the three kinds, or that cannot
/// be read or written, is one line naming it.
pub fn draw(input: &Path, output: &Path) -> Result<(), RunError> {
    let figure = Figure::read(input)?;
    let mut svg = String::new();
    {
        let size = match figure {
            Figure::Landscape(_) => LANDSCAPE_SIZE,
            _ => SIZE,
        };
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let drawn = match &figure {
            Figure::Session(record) => session(&root, record),
            Figure::Compare(doc) => compare(&root, doc),
            Figure::Sweep(doc) => sweep(&root, doc),
            Figure::Landscape(doc) => landscape(&root, doc),
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
        if LandscapeDoc::looks_like(&bytes) {
            return LandscapeDoc::parse(&shown, &bytes).map(Self::Landscape);
        }
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| RunError::Invalid(format!("{shown}: not JSON: {e}")))?;
        let has = |key: &str| value.get(key).is_some();
        let typed = |what: &'static str| {
            let shown = shown.clone();
            move |e: serde_json::Error| RunError::Invalid(format!("{shown}: not {what}: {e}"))
        };
        if has("partial") {
            Err(RunError::Invalid(format!(
                "{shown}: one shard's partial document; plot what `digits-tui merge` prints"
            )))
        } else if has("format") && has("runs") {
            Ok(Self::Session(export::read(path)?))
        } else if ["rates", "inits", "activations", "weight_decays"]
            .iter()
            .any(|k| has(k))
        {
            let doc = serde_json::from_value(value).map_err(typed("sweep --json output"))?;
            Ok(Self::Sweep(doc))
        } else if has("results") && has("summary") {
            let doc = serde_json::from_value(value).map_err(typed("compare --json output"))?;
            Ok(Self::Compare(doc))
        } else {
            Err(RunError::Invalid(format!(
                "{shown}: not a session file (--export), compare --json, sweep --json or \
                 landscape --json output"
            )))
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

/// A legend sample: a short line in the series' colour.
fn legend(c: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2))
}

/// Draws the legend of `chart` in its upper right corner.
fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font((FONT, 14))
        .draw()?;
    Ok(())
}

/// A session: loss on a log scale and test accuracy, against epoch, one line per run; a thin
/// vertical line where a run's learning rate changed, labelled with the new rate.
fn session(root: &Area<'_>, record: &SessionRecord) -> Drawn {
    root.fill(&WHITE)?;
    let s = &record.settings;
    let hidden: Vec<String> = s.hidden.iter().map(usize::to_string).collect();
    let title = format!(
        "seed {}, lr {}, batch {}, hidden {}, {:?} protocol",
        s.seed,
        s.hyper.lr,
        s.batch_size,
        hidden.join(","),
        s.protocol
    )
    .to_lowercase();
    let root = root.titled(&title, (FONT, 20))?;
    let (left, right) = root.split_horizontally(SIZE.0 / 2);
    let last_epoch = (record.runs.iter())
        .filter_map(|r| r.epochs.last().map(|e| e.epoch))
        .max()
        .unwrap_or(1)
        .max(1);
    let losses = || {
        (record.runs.iter())
            .flat_map(|r| r.epochs.iter().filter_map(|e| e.loss))
            .filter(|l| l.is_finite() && *l > 0.0)
    };
    let low = losses().reduce(f64::min).unwrap_or(1e-3);
    let high = losses().reduce(f64::max).unwrap_or(1.0).max(low * 10.0);
    let (low, high) = (low / 2.0, high * 2.0);

    let mut chart = ChartBuilder::on(&left)
        .caption("loss (log scale)", (FONT, 16))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0..last_epoch, (low..high).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc("loss")
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    for run in &record.runs {
        let c = colour(run.optimizer);
        let points =
            (run.epochs.iter()).filter_map(|e| e.loss.filter(|l| *l > 0.0).map(|l| (e.epoch, l)));
        chart
            .draw_series(LineSeries::new(points, c.stroke_width(2)))?
            .label(run.label.as_str())
            .legend(legend(c));
        rate_marks(&mut chart, run, (low, high), true)?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;

    let mut chart = ChartBuilder::on(&right)
        .caption("test accuracy", (FONT, 16))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0..last_epoch, 0.0..1.0)?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc("test accuracy")
        .draw()?;
    for run in &record.runs {
        let c = colour(run.optimizer);
        let points = run.epochs.iter().map(|e| (e.epoch, e.test_acc));
        chart
            .draw_series(LineSeries::new(points, c.stroke_width(2)))?
            .label(run.label.as_str())
            .legend(legend(c));
        rate_marks(&mut chart, run, (0.0, 1.0), false)?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}

/// A thin line in `run`'s colour from `low` to `high` after every epoch where its learning
/// rate changed, labelled with the new rate at the top when `labelled`.
fn rate_marks<Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<RangedCoordu32, Y>>,
    run: &RunRecord,
    (low, high): (f64, f64),
    labelled: bool,
) -> Drawn {
    let c = colour(run.optimizer);
    for change in &run.lr_changes {
        let x = change.after_epoch;
        chart.draw_series([PathElement::new(vec![(x, low), (x, high)], c.mix(0.7))])?;
        if labelled {
            let mark = format!("lr {}", change.lr);
            chart.draw_series([Text::new(mark, (x, high), (FONT, 12).into_font().color(&c))])?;
        }
    }
    Ok(())
}

/// `compare --json`: per optimizer a dot per seed's final test accuracy, a cross for a run that
/// diverged, and a bar for mean ± sd.
fn compare(root: &Area<'_>, doc: &CompareDoc) -> Drawn {
    root.fill(&WHITE)?;
    let accs = || doc.results.iter().filter_map(|r| r.test_acc);
    let low = accs().reduce(f64::min).unwrap_or(0.0);
    let high = accs().reduce(f64::max).unwrap_or(1.0);
    let pad = ((high - low) * 0.1).max(0.005);
    let title = format!(
        "final test accuracy over {} seeds, {} epochs (dots: seeds, bars: mean ± sd)",
        doc.seeds.len(),
        doc.epochs
    );
    let labels: Vec<&str> = doc.summary.iter().map(|s| s.optimizer.label()).collect();
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(
            (0..labels.len()).into_segmented(),
            ((low - pad).max(0.0))..((high + pad).min(1.0)),
        )?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("optimizer")
        .y_desc("final test accuracy")
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).copied().unwrap_or_default().to_owned(),
            _ => String::new(),
        })
        .draw()?;
    for (i, stats) in doc.summary.iter().enumerate() {
        let c = colour(stats.optimizer);
        let mine = || {
            doc.results
                .iter()
                .filter(move |r| r.optimizer == stats.optimizer)
        };
        let at = || SegmentValue::CenterOf(i);
        chart
            .draw_series(
                mine()
                    .filter(|r| !r.diverged)
                    .filter_map(|r| r.test_acc)
                    .map(|acc| Circle::new((at(), acc), 4, c.filled())),
            )?
            .label(stats.optimizer.label())
            .legend(legend(c));
        chart.draw_series(
            mine()
                .filter(|r| r.diverged)
                .filter_map(|r| r.test_acc)
                .map(|acc| Cross::new((at(), acc), 6, c.stroke_width(2))),
        )?;
        if let (Some(mean), Some(sd)) = (stats.mean_test_acc, stats.sd_test_acc) {
            chart.draw_series([ErrorBar::new_vertical(
                at(),
                mean - sd,
                mean,
                mean + sd,
                BLACK.stroke_width(1),
                10,
            )])?;
        }
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}

/// `sweep --json`: mean final test accuracy against learning rate on a log axis, or against a
/// knob's values one column each, one curve per optimizer with mean ± sd bars, and a cross at
/// every value where a run diverged.
fn sweep(root: &Area<'_>, doc: &SweepDoc) -> Drawn {
    root.fill(&WHITE)?;
    let values = doc.grid.values();
    let (first, last) = match (values.first(), values.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => return Err("the sweep has no values".into()),
    };
    let knob = doc.grid.knob();
    let against = match doc.grid {
        Grid::Lr(_) => "learning rate".to_owned(),
        _ => format!("--{}", knob.name()),
    };
    let title = format!(
        "final test accuracy against {against}, {} seeds, {} epochs (× a run diverged)",
        doc.seeds.len(),
        doc.epochs
    );
    let mut builder = ChartBuilder::on(root);
    builder
        .caption(title, (FONT, 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(60);
    let y_desc = "final test accuracy (mean ± sd)";
    if let (Swept::Lr(first), Swept::Lr(last)) = (first, last) {
        let mut chart =
            builder.build_cartesian_2d((first / 1.5..last * 1.5).log_scale(), 0.0..1.0)?;
        chart
            .configure_mesh()
            .x_desc("learning rate (log scale; the baseline's learning_rate_init)")
            .y_desc(y_desc)
            .x_label_formatter(&|v| rate_text(*v))
            .draw()?;
        let x = |v: Swept| match v {
            Swept::Lr(lr) => Some(lr),
            _ => None,
        };
        return sweep_curves(&mut chart, doc, x);
    }
    let mut chart = builder.build_cartesian_2d((0..values.len()).into_segmented(), 0.0..1.0)?;
    let shown: Vec<String> = values.iter().map(|&v| value_text(v)).collect();
    let x_desc = match knob.applies_to_baseline() {
        true => format!("--{}", knob.name()),
        false => format!("--{} (the baseline keeps scikit-learn's own)", knob.name()),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => shown.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .draw()?;
    let x = |v: Swept| {
        values
            .iter()
            .position(|&w| w == v)
            .map(SegmentValue::CenterOf)
    };
    sweep_curves(&mut chart, doc, x)
}

/// Every curve of `doc` on `chart`, each point at `x` of its value (`None`: off the axis),
/// then the legend.
fn sweep_curves<'a, X: Ranged<ValueType = V>, V: Clone + 'static>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, RangedCoordf64>>,
    doc: &SweepDoc,
    x: impl Fn(Swept) -> Option<V>,
) -> Drawn {
    for curve in &doc.summary {
        let c = colour(curve.optimizer);
        let means = || {
            (curve.points.iter()).filter_map(|p| Some((x(p.at)?, p.mean_test_acc?, p.sd_test_acc)))
        };
        chart
            .draw_series(LineSeries::new(
                means().map(|(lr, m, _)| (lr, m)),
                c.stroke_width(2),
            ))?
            .label(curve.optimizer.label())
            .legend(legend(c));
        chart.draw_series(means().map(|(lr, m, _)| Circle::new((lr, m), 3, c.filled())))?;
        chart.draw_series(means().filter_map(|(lr, m, sd)| {
            sd.map(|sd| ErrorBar::new_vertical(lr, m - sd, m, m + sd, c.stroke_width(1), 8))
        }))?;
        chart.draw_series(
            (curve.points.iter())
                .filter(|p| p.diverged > 0)
                .filter_map(|p| Some((x(p.at)?, p.mean_test_acc?)))
                .map(|at| Cross::new(at, 7, c.stroke_width(2))),
        )?;
    }
    draw_legend(chart, SeriesLabelPosition::MiddleLeft)
}

/// A landscape figure's size: a square-ish plot and the legend beside it.
const LANDSCAPE_SIZE: (u32, u32) = (1200, 760);
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
struct LandscapeDoc {
    function: Function,
    paths: Vec<LandscapePath>,
}

impl LandscapeDoc {
    /// Whether the first line is a landscape step.
    fn looks_like(bytes: &[u8]) -> bool {
        let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        serde_json::from_slice::<Value>(first)
            .is_ok_and(|v| v.get("optimizer").is_some() && v.get("step").is_some())
    }

    fn parse(shown: &str, bytes: &[u8]) -> Result<Self, RunError> {
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
fn landscape(root: &Area<'_>, doc: &LandscapeDoc) -> Drawn {
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
