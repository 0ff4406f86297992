//! A session file drawn: loss on a log scale and test accuracy against epoch, one line per
//! run, a thin vertical line labelled with the new rate where a run's learning rate changed,
//! and ✗ where a run diverged (at the top of the loss panel for a run that never had a finite
//! loss, so a run that diverged at epoch 1 is drawn too).

use plotters::coord::types::RangedCoordu32;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{self, Entry};
use super::{Area, Drawn, FONT, colour};
use crate::export::{RunRecord, SessionRecord};
use crate::format;

/// Draws `record` on `root`.
pub(super) fn draw(root: &Area<'_>, record: &SessionRecord) -> Drawn {
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
    let (plots, side) = legend::beside(&root);
    let (left, right) = plots.split_horizontally(plots.dim_in_pixel().0 / 2);
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
        chart.draw_series(LineSeries::new(points, c.stroke_width(2)))?;
        rate_marks(&mut chart, run, (low, high), last_epoch)?;
        if let Some(epoch) = run.summary.diverged_at {
            let last = (run.epochs.iter())
                .rev()
                .find_map(|e| e.loss.filter(|l| *l > 0.0));
            let at = (epoch, last.unwrap_or(high / 1.5));
            chart.draw_series([Cross::new(at, 7, c.stroke_width(2))])?;
        }
    }

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
        chart.draw_series(LineSeries::new(points, c.stroke_width(2)))?;
        let diverged = (run.epochs.iter()).filter(|e| e.diverged);
        chart.draw_series(
            diverged.map(|e| Cross::new((e.epoch, e.test_acc), 7, c.stroke_width(2))),
        )?;
    }
    let entries: Vec<Entry> = (record.runs.iter())
        .map(|run| Entry {
            label: match run.summary.diverged_at {
                Some(epoch) => format!("{} {}", run.label, format::loss(None, Some(epoch))),
                None => run.label.clone(),
            },
            colour: colour(run.optimizer),
            diverged: run.summary.diverged_at.is_some(),
        })
        .collect();
    let rates = "thin line: lr changed";
    legend::draw(&side, &entries, &["✗: where a run diverged", rates])
}

/// A thin line in `run`'s colour from `low` to `high` after every epoch where its learning
/// rate changed, labelled with the new rate at the top: right of the line in the panel's left
/// half, left of it in the right half, so no label leaves the panel.
fn rate_marks<Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<RangedCoordu32, Y>>,
    run: &RunRecord,
    (low, high): (f64, f64),
    last_epoch: u32,
) -> Drawn {
    let c = colour(run.optimizer);
    for change in &run.lr_changes {
        let x = change.after_epoch;
        chart.draw_series([PathElement::new(vec![(x, low), (x, high)], c.mix(0.7))])?;
        let font = (FONT, 12).into_font().color(&c);
        let font = match x * 2 > last_epoch {
            true => font.pos(Pos::new(HPos::Right, VPos::Top)),
            false => font,
        };
        let mark = format!("lr {}", format::rate_text(change.lr));
        chart.draw_series([Text::new(mark, (x, high), font)])?;
    }
    Ok(())
}
