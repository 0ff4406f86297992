//! `sweep --json` drawn: mean final test accuracy against learning rate on a log axis, or
//! against a knob's values one column each, one curve per optimizer with mean ± sd bars, and
//! a cross at every value where a run diverged.

use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use serde::Deserialize;

use super::legend::{self, Entry};
use super::{Area, Drawn, FONT, colour};
use crate::engine::{Grid, Value as Swept};
use crate::format::{rate_text, value_text};
use crate::train::Contender;

/// What `sweep --json` holds that the figure needs.
#[derive(Deserialize)]
pub(super) struct SweepDoc {
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

/// Draws `doc` on `root`.
pub(super) fn draw(root: &Area<'_>, doc: &SweepDoc) -> Drawn {
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
        "final test accuracy against {against}, {} seeds, {} epochs",
        doc.seeds.len(),
        doc.epochs
    );
    let root = root.titled(&title, (FONT, 20))?;
    let (plot, side) = legend::beside(&root);
    let mut builder = ChartBuilder::on(&plot);
    builder
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
        curves(&mut chart, doc, x)?;
    } else {
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
            (values.iter())
                .position(|&w| w == v)
                .map(SegmentValue::CenterOf)
        };
        curves(&mut chart, doc, x)?;
    }
    let entries: Vec<Entry> = (doc.summary.iter())
        .map(|curve| {
            let drawn = curve.points.iter().any(|p| p.mean_test_acc.is_some());
            let label = curve.optimizer.label();
            Entry {
                label: match drawn {
                    true => label.to_owned(),
                    false => format!("{label}: every run diverged"),
                },
                colour: colour(curve.optimizer),
                diverged: curve.points.iter().any(|p| p.diverged > 0),
            }
        })
        .collect();
    let note = match doc.grid {
        Grid::Lr(_) => "×: a run diverged at that rate".to_owned(),
        _ => "×: a run diverged at that value".to_owned(),
    };
    legend::draw(&side, &entries, &[&note])
}

/// Every curve of `doc` on `chart`, each point at `x` of its value (`None`: off the axis).
fn curves<'a, X: Ranged<ValueType = V>, V: Clone + 'static>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, RangedCoordf64>>,
    doc: &SweepDoc,
    x: impl Fn(Swept) -> Option<V>,
) -> Drawn {
    for curve in &doc.summary {
        let c = colour(curve.optimizer);
        let means = || {
            (curve.points.iter()).filter_map(|p| Some((x(p.at)?, p.mean_test_acc?, p.sd_test_acc)))
        };
        chart.draw_series(LineSeries::new(
            means().map(|(v, m, _)| (v, m)),
            c.stroke_width(2),
        ))?;
        chart.draw_series(means().map(|(v, m, _)| Circle::new((v, m), 3, c.filled())))?;
        chart.draw_series(means().filter_map(|(v, m, sd)| {
            sd.map(|sd| ErrorBar::new_vertical(v, m - sd, m, m + sd, c.stroke_width(1), 8))
        }))?;
        chart.draw_series(
            (curve.points.iter())
                .filter(|p| p.diverged > 0)
                .filter_map(|p| Some((x(p.at)?, p.mean_test_acc?)))
                .map(|at| Cross::new(at, 7, c.stroke_width(2))),
        )?;
    }
    Ok(())
}
