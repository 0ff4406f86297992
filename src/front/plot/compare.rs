//! `compare --json` drawn: per optimizer a dot per seed's final test accuracy, a cross for a
//! run that diverged, and a bar for mean ± sd; one slot per optimizer, each labelled.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use serde::Deserialize;

use super::legend::{self, Entry};
use super::{Area, Drawn, FONT, colour};
use crate::engine::SeedResult;
use crate::model::stats::ContenderStats;

/// What `compare --json` holds that the figure needs.
#[derive(Deserialize)]
pub(super) struct CompareDoc {
    epochs: u32,
    seeds: Vec<u32>,
    results: Vec<SeedResult>,
    summary: Vec<ContenderStats>,
}

/// Draws `doc` on `root`.
pub(super) fn draw(root: &Area<'_>, doc: &CompareDoc) -> Drawn {
    root.fill(&WHITE)?;
    let accs = || doc.results.iter().filter_map(|r| r.test_acc);
    let low = accs().reduce(f64::min).unwrap_or(0.0);
    let high = accs().reduce(f64::max).unwrap_or(1.0);
    let pad = ((high - low) * 0.1).max(0.005);
    let title = format!(
        "final test accuracy over {} seeds, {} epochs",
        doc.seeds.len(),
        doc.epochs
    );
    let root = root.titled(&title, (FONT, 20))?;
    let (plot, side) = legend::beside(&root);
    let labels: Vec<&str> = doc.summary.iter().map(|s| s.optimizer.label()).collect();
    // An integer range's last value is a slot of its own: 0..n-1 is n slots, one each.
    let slots = 0..labels.len().saturating_sub(1);
    let mut chart = ChartBuilder::on(&plot)
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(
            slots.into_segmented(),
            ((low - pad).max(0.0))..((high + pad).min(1.0)),
        )?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(labels.len())
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
        chart.draw_series(
            mine()
                .filter(|r| !r.diverged)
                .filter_map(|r| r.test_acc)
                .map(|acc| Circle::new((at(), acc), 4, c.filled())),
        )?;
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
    let entries: Vec<Entry> = (doc.summary.iter())
        .map(|stats| {
            let runs = doc
                .results
                .iter()
                .filter(|r| r.optimizer == stats.optimizer);
            let (all, diverged) =
                runs.fold((0, 0), |(n, d), r| (n + 1, d + usize::from(r.diverged)));
            Entry {
                label: match diverged {
                    0 => stats.optimizer.label().to_owned(),
                    d => format!("{} ({d} of {all} diverged)", stats.optimizer.label()),
                },
                colour: colour(stats.optimizer),
                diverged: diverged > 0,
            }
        })
        .collect();
    let notes = [
        "dots: seeds",
        "black bars: mean ± sd",
        "×: a run that diverged",
    ];
    legend::draw(&side, &entries, &notes)
}
