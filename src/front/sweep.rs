//! `digits-tui sweep`: every contender over a grid of learning rates on several seeds, because
//! whether an optimizer "wins" depends on the rate it is given, or over a knob's values
//! (`--grid init=lab,xavier,he`). Per contender and value the spread of final test accuracy,
//! the median loss and the divergences; per contender its best value and how flat the curve is
//! around it; a table (best first) or a JSON document.

use std::sync::Arc;

use serde::Serialize;

use super::runs::{self, Request, Streams};
use crate::data::Dataset;
use crate::engine::{Grid, Knob, SeedResult, Value};
use crate::exit::RunError;
use crate::format::{self, seed_span, value_text};
use crate::model::curves::{Curve, Point, curves};
use crate::train::{BASELINE_LOSS_NOTE, Contender, Settings};

/// The document `sweep --json` prints.
#[derive(Serialize)]
pub(crate) struct Report<'a> {
    /// Seeds, epochs and protocol.
    #[serde(flatten)]
    pub header: runs::Header<'a>,
    /// What was swept: `"rates": […]` (increasing), or a knob's values, e.g. `"inits": […]`.
    #[serde(flatten)]
    pub grid: &'a Grid,
    /// Every run, by contender in `--optimizers` order, then value, then seed.
    pub results: &'a [SeedResult],
    /// One curve per contender, in `--optimizers` order.
    pub summary: &'a [Curve],
    /// Contender names, best first.
    pub ranking: Vec<Contender>,
}

/// Runs `sweep` with `request` (its `grid` is what is swept): see [`runs::run`]. Diverged
/// runs are counted, never fatal; a knob that shapes none of the contenders is refused, since
/// every value would train the same runs.
pub(crate) fn report(
    settings: &Settings,
    data: Arc<Dataset>,
    request: Request,
    streams: &mut Streams<'_>,
) -> Result<(), RunError> {
    let Some(grid) = request.grid.as_ref() else {
        return Err(RunError::Invalid("a sweep needs a grid".into()));
    };
    check(settings, grid)?;
    let render = |settings: &Settings, seeds: &[u32], grid: Option<&Grid>, results, json| {
        let grid = grid.ok_or_else(|| RunError::Invalid("a sweep needs a grid".into()))?;
        self::render(settings, seeds, grid, results, json)
    };
    runs::run(settings, data, request, &render, streams)
}

/// Refuses a grid of a knob the baseline ignores when the baseline is the only contender.
fn check(settings: &Settings, grid: &Grid) -> Result<(), RunError> {
    let knob = grid.knob();
    if knob.applies_to_baseline() || settings.optimizers.iter().any(|c| c.optimizer().is_some()) {
        return Ok(());
    }
    Err(RunError::Invalid(format!(
        "--grid {}=… needs a lab optimizer in --optimizers: the baseline (mlp) {}",
        knob.name(),
        baseline_ignores(knob)
    )))
}

/// Why the baseline's runs are alike at every value of `knob`, for a knob it ignores.
fn baseline_ignores(knob: Knob) -> &'static str {
    match knob {
        Knob::Init => "draws scikit-learn's own initial weights",
        _ => "keeps its own L2 term, scikit-learn's alpha",
    }
}

/// The report of a finished sweep, from its results in any order: the table, or the JSON
/// document with a closing newline. `merge` prints the same from the parts.
pub(crate) fn render(
    settings: &Settings,
    seeds: &[u32],
    grid: &Grid,
    mut results: Vec<SeedResult>,
    json: bool,
) -> Result<String, RunError> {
    let order = |c: Contender| settings.optimizers.iter().position(|&o| o == c);
    let values = grid.values();
    let at = |v: Option<Value>| values.iter().position(|&w| Some(w) == v);
    results.sort_by_key(|r| (order(r.optimizer), at(r.at), r.seed));
    let curves = curves(&settings.optimizers, grid, &results);
    if !json {
        return Ok(table(settings, seeds, grid, &curves));
    }
    let mut ranked: Vec<&Curve> = curves.iter().collect();
    ranked.sort_by_key(|c| c.rank);
    let report = Report {
        header: runs::Header::of(settings, seeds),
        grid,
        results: &results,
        summary: &curves,
        ranking: ranked.iter().map(|c| c.optimizer).collect(),
    };
    runs::json_line(&report)
}

/// The text table: what was swept, one row per contender best first (best value, the
/// accuracy there, the flat stretch), then every contender's curve value by value, then what
/// it means. A rate sweep's table also gives the flat stretch in decades.
pub(crate) fn table(settings: &Settings, seeds: &[u32], grid: &Grid, curves: &[Curve]) -> String {
    let knob = grid.knob();
    let values = grid.values();
    let mut out = format!(
        "sweep: {}, {} each ({}), {} epochs, {} protocol, batch {}, hidden {}\n",
        swept(grid),
        crate::format::count(seeds.len(), "run"),
        seed_span(seeds),
        settings.epochs,
        settings.protocol.name(),
        settings.batch_size,
        settings.hidden_list()
    );
    let rates = knob == Knob::Lr;
    // The value columns fit the knob's name and its longest value; a rate's stay as they were.
    let best_head = format!("best {}", knob.name());
    let wide = match rates {
        true => 9,
        false => (values.iter().map(|&v| value_text(v).len()))
            .chain([best_head.len()])
            .max()
            .unwrap_or(9),
    };
    let mut ranked: Vec<&Curve> = curves.iter().collect();
    ranked.sort_by_key(|c| c.rank);
    let dash = || format::MISSING.to_owned();
    let spread = |p: &Point| format::mean_sd(p.stats.mean_test_acc, p.stats.sd_test_acc);
    let loss = |p: &Point| format::loss(p.stats.median_loss, None);
    let decades = |text: String| match rates {
        true => format!("  {text:>7}"),
        false => String::new(),
    };
    out.push_str(&format!(
        "{:>4}  {:<13}  {:>wide$}  {:>15}  {:>11}  {:>21}{}\n",
        "rank",
        "optimizer",
        best_head,
        "test acc ± sd",
        "median loss",
        "within 0.01 of best",
        decades("decades".into())
    ));
    for c in &ranked {
        let best = (c.points.iter()).find(|p| Some(p.at) == c.best);
        let flat = match (c.flat_from, c.flat_to) {
            (Some(a), Some(b)) => format!("{}..={}", value_text(a), value_text(b)),
            _ => dash(),
        };
        out.push_str(&format!(
            "{:>4}  {:<13}  {:>wide$}  {:>15}  {:>11}  {:>21}{}\n",
            c.rank,
            c.optimizer.label(),
            c.best.map_or_else(dash, value_text),
            best.map_or_else(dash, spread),
            best.map_or_else(dash, loss),
            flat,
            decades(c.flat_decades.map_or_else(dash, |d| format!("{d:.1}"))),
        ));
    }
    out.push('\n');
    out.push_str(&format!(
        "{:<13}  {:>wide$}    {:>15}  {:>6}  {:>6}  {:>11}  {:>8}\n",
        "optimizer",
        knob.name(),
        "test acc ± sd",
        "min",
        "max",
        "median loss",
        "diverged"
    ));
    let acc = format::maybe_accuracy;
    for c in &ranked {
        for p in &c.points {
            out.push_str(&format!(
                "{:<13}  {:>wide$} {}  {:>15}  {:>6}  {:>6}  {:>11}  {:>8}\n",
                c.optimizer.label(),
                value_text(p.at),
                if Some(p.at) == c.best { "*" } else { " " },
                spread(p),
                acc(p.stats.min_test_acc),
                acc(p.stats.max_test_acc),
                loss(p),
                format!(
                    "{}/{}",
                    p.stats.diverged,
                    p.stats.runs - p.stats.not_started
                )
            ));
        }
    }
    out.push_str(if rates {
        "test acc: final test accuracy over seeds, mean ± sample standard deviation (n-1); a\n\
         diverged run counts with the accuracy it ended at. median loss: over the runs that did\n\
         not diverge. best lr (*): the highest mean test accuracy, then the lower median loss.\n\
         within 0.01 of best: the unbroken stretch of the grid around the best rate whose mean\n\
         test accuracy is at most 0.01 below the best; decades: log10 of its last rate over its\n\
         first. rank: by the mean test accuracy at the best rate, then by median loss.\n"
    } else {
        "test acc: final test accuracy over seeds, mean ± sample standard deviation (n-1); a\n\
         diverged run counts with the accuracy it ended at. median loss: over the runs that did\n\
         not diverge. best (*): the highest mean test accuracy, then the lower median loss, then\n\
         the first in the grid. within 0.01 of best: the unbroken stretch of the grid, in the\n\
         order given, around the best value whose mean test accuracy is at most 0.01 below the\n\
         best. rank: by the mean test accuracy at the best value, then by median loss.\n"
    });
    for c in ranked.iter() {
        let never: usize = c.points.iter().map(|p| p.stats.not_started).sum();
        if never > 0 {
            out.push_str(&format!(
                "{}: {never} chain stages never started (an earlier stage diverged).\n",
                c.optimizer.label()
            ));
        }
    }
    if curves.iter().any(|c| c.optimizer == Contender::Mlp) {
        out.push_str(&baseline_note(knob));
        out.push_str(BASELINE_LOSS_NOTE);
        out.push('\n');
        out.push_str(&format::baseline_ignores(settings));
    }
    out
}

/// The grid as the table's first line names it: `9 rates from 0.0001 to 1`, or
/// `3 values of --init (lab, xavier, he)`.
fn swept(grid: &Grid) -> String {
    let values = grid.values();
    let texts: Vec<String> = values.iter().map(|&v| value_text(v)).collect();
    match (grid, texts.first(), texts.last()) {
        (Grid::Lr(_), Some(a), Some(b)) if texts.len() > 1 => {
            format!("{} rates from {a} to {b}", texts.len())
        }
        (Grid::Lr(_), Some(a), _) => format!("1 rate, {a}"),
        (Grid::Lr(_), None, _) => "no rates".to_owned(),
        _ => format!(
            "{} value{} of --{} ({})",
            texts.len(),
            if texts.len() == 1 { "" } else { "s" },
            grid.knob().name(),
            texts.join(", ")
        ),
    }
}

/// What the swept knob is to the baseline, under the table.
fn baseline_note(knob: Knob) -> String {
    let line = match knob {
        Knob::Lr => "the rate is its learning_rate_init; its other settings stay scikit-learn's",
        Knob::Activation => {
            "the activation is its own (sigmoid: logistic); its other settings stay \
             scikit-learn's"
        }
        Knob::Init | Knob::WeightDecay => {
            return format!(
                "MLP (sklearn): --{} does not apply ({}), so its runs are alike at every value.\n",
                knob.name(),
                baseline_ignores(knob)
            );
        }
    };
    format!("MLP (sklearn): {line}.\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::rate_text;

    /// One seed's result of `optimizer` at `lr`.
    fn run(optimizer: Contender, lr: f64, seed: u32, acc: f64, diverged: bool) -> SeedResult {
        SeedResult {
            seed,
            optimizer,
            at: Some(Value::Lr(lr)),
            epochs: 10,
            test_acc: Some(acc),
            final_loss: (!diverged).then_some(1.0 - acc),
            diverged,
            perfect_train_epoch: None,
        }
    }

    #[test]
    fn best_rates_flat_stretches_and_the_ranking_by_hand() {
        use Contender::{Adam, Sgd};
        let rates = [0.001, 0.01, 0.1, 1.0];
        // SGD: 0.90, 0.95, 0.96, diverged at 1 (0.10). Adam: 0.97, 0.965, 0.95, 0.955.
        let sgd = [0.90, 0.95, 0.96, 0.10];
        let adam = [0.97, 0.965, 0.95, 0.955];
        let mut results = Vec::new();
        for (i, &lr) in rates.iter().enumerate() {
            for seed in [1, 2] {
                results.push(run(Sgd, lr, seed, sgd[i], lr == 1.0));
                results.push(run(Adam, lr, seed, adam[i], false));
            }
        }
        results.reverse();
        let curves = curves(&[Sgd, Adam], &Grid::Lr(rates.to_vec()), &results);
        let (s, a) = (&curves[0], &curves[1]);
        let lr = |x: f64| Some(Value::Lr(x));
        assert_eq!((s.best, s.rank), (lr(0.1), 2));
        // 0.95 at 0.01 is within 0.01 of 0.96; 0.90 and the diverged 0.10 are not.
        assert_eq!((s.flat_from, s.flat_to), (lr(0.01), lr(0.1)));
        assert_eq!(s.flat_decades, Some(1.0));
        assert_eq!(s.points[3].stats.diverged, 2);
        assert_eq!(s.points[3].stats.median_loss, None);
        assert_eq!((a.best, a.rank), (lr(0.001), 1));
        // 0.95 at 0.1 breaks the stretch, although 0.955 at 1 is within 0.01 again.
        assert_eq!((a.flat_from, a.flat_to), (lr(0.001), lr(0.01)));
        assert_eq!(a.points[0].stats.mean_test_acc, Some(0.97));
        assert_eq!(a.points[0].stats.sd_test_acc, Some(0.0));
    }

    #[test]
    fn a_contender_without_results_has_no_best_rate_and_ranks_last() {
        let results = vec![run(Contender::Sgd, 0.1, 1, 0.5, false)];
        let grid = Grid::Lr(vec![0.1]);
        let curves = curves(&[Contender::Adam, Contender::Sgd], &grid, &results);
        assert_eq!((curves[0].best, curves[0].rank), (None, 2));
        assert_eq!(curves[0].flat_decades, None);
        assert_eq!((curves[1].best, curves[1].rank), (Some(Value::Lr(0.1)), 1));
    }

    #[test]
    fn rates_print_short() {
        assert_eq!(rate_text(0.0001), "0.0001");
        assert_eq!(rate_text(1.0), "1");
        assert_eq!(rate_text(1e300), "1e300");
        assert_eq!(rate_text(10f64.powf(-3.5)), "3.162e-4");
    }
}
