//! `digits-tui plot FILE -o OUT.svg`: a saved output drawn as the figure a report needs.
//!
//! ```text
//!  session file (--export) ─▶ loss (log y) | test accuracy, against epoch; one line per run,
//!                             a legend, a mark where a run's learning rate changed
//!  compare --json          ─▶ final test accuracy per optimizer: a dot per seed, mean ± sd
//!  sweep --json            ─▶ final test accuracy against learning rate (log x), one curve
//!                             per optimizer, mean ± sd bars, × where a run diverged
//! ```
//!
//! The kind is told from the document's keys. The SVG names its fonts and leaves the text to
//! the viewer, so drawing needs no font files and no system libraries (plotters' SVG backend
//! without its font features). A bitmap would need a font rasterised into it, so there is none.

use std::error::Error;
use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::types::RangedCoordu32;
use plotters::prelude::*;
use serde::Deserialize;
use serde_json::Value;

use crate::engine::SeedResult;
use crate::exit::RunError;
use crate::export::{self, RunRecord, SessionRecord};
use crate::format::rate_text;
use crate::model::curves::Curve;
use crate::model::stats::ContenderStats;
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
    rates: Vec<f64>,
    summary: Vec<Curve>,
}

/// A saved output, by kind.
enum Figure {
    Session(SessionRecord),
    Compare(CompareDoc),
    Sweep(SweepDoc),
}

/// Draws `input` as an SVG at `output`. A file that is none of the three kinds, or that cannot
/// be read or written, is one line naming it.
pub fn draw(input: &Path, output: &Path) -> Result<(), RunError> {
    let figure = Figure::read(input)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let drawn = match &figure {
            Figure::Session(record) => session(&root, record),
            Figure::Compare(doc) => compare(&root, doc),
            Figure::Sweep(doc) => sweep(&root, doc),
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
        } else if has("rates") {
            let doc = serde_json::from_value(value).map_err(typed("sweep --json output"))?;
            Ok(Self::Sweep(doc))
        } else if has("results") && has("summary") {
            let doc = serde_json::from_value(value).map_err(typed("compare --json output"))?;
            Ok(Self::Compare(doc))
        } else {
            Err(RunError::Invalid(format!(
                "{shown}: not a session file (--export), compare --json or sweep --json output"
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

/// `sweep --json`: mean final test accuracy against learning rate on a log axis, one curve per
/// optimizer with mean ± sd bars, and a cross at every rate where a run diverged.
fn sweep(root: &Area<'_>, doc: &SweepDoc) -> Drawn {
    root.fill(&WHITE)?;
    let (first, last) = match (doc.rates.first(), doc.rates.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => return Err("the sweep has no rates".into()),
    };
    let title = format!(
        "final test accuracy against learning rate, {} seeds, {} epochs (× a run diverged)",
        doc.seeds.len(),
        doc.epochs
    );
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((first / 1.5..last * 1.5).log_scale(), 0.0..1.0)?;
    chart
        .configure_mesh()
        .x_desc("learning rate (log scale; the baseline's learning_rate_init)")
        .y_desc("final test accuracy (mean ± sd)")
        .x_label_formatter(&|v| rate_text(*v))
        .draw()?;
    for curve in &doc.summary {
        let c = colour(curve.optimizer);
        let means = || {
            (curve.points.iter()).filter_map(|p| {
                p.stats
                    .mean_test_acc
                    .map(|m| (p.lr, m, p.stats.sd_test_acc))
            })
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
                .filter(|p| p.stats.diverged > 0)
                .filter_map(|p| p.stats.mean_test_acc.map(|m| (p.lr, m)))
                .map(|at| Cross::new(at, 7, c.stroke_width(2))),
        )?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::MiddleLeft)
}
