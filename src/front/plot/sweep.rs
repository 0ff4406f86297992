//! `sweep --json` drawn: mean final test accuracy against learning rate on a log axis, one
//! curve per optimizer with mean ± sd bars, and a cross at every rate where a run diverged.

use plotters::prelude::*;
use serde::Deserialize;

use super::legend::{self, Entry};
use super::{Area, Drawn, FONT, colour};
use crate::format::rate_text;
use crate::model::curves::Curve;

/// What `sweep --json` holds that the figure needs.
#[derive(Deserialize)]
pub(super) struct SweepDoc {
    epochs: u32,
    seeds: Vec<u32>,
    rates: Vec<f64>,
    summary: Vec<Curve>,
}

/// Draws `doc` on `root`.
pub(super) fn draw(root: &Area<'_>, doc: &SweepDoc) -> Drawn {
    root.fill(&WHITE)?;
    let (first, last) = match (doc.rates.first(), doc.rates.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => return Err("the sweep has no rates".into()),
    };
    let title = format!(
        "final test accuracy against learning rate, {} seeds, {} epochs",
        doc.seeds.len(),
        doc.epochs
    );
    let root = root.titled(&title, (FONT, 20))?;
    let (plot, side) = legend::beside(&root);
    let mut chart = ChartBuilder::on(&plot)
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
        chart.draw_series(LineSeries::new(
            means().map(|(lr, m, _)| (lr, m)),
            c.stroke_width(2),
        ))?;
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
    let entries: Vec<Entry> = (doc.summary.iter())
        .map(|curve| {
            let drawn = curve.points.iter().any(|p| p.stats.mean_test_acc.is_some());
            let label = curve.optimizer.label();
            Entry {
                label: match drawn {
                    true => label.to_owned(),
                    false => format!("{label}: every run diverged"),
                },
                colour: colour(curve.optimizer),
                diverged: curve.points.iter().any(|p| p.stats.diverged > 0),
            }
        })
        .collect();
    legend::draw(&side, &entries, &["×: a run diverged at that rate"])
}
