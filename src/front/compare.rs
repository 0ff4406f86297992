//! `digits-tui compare`: every contender trained on many seeds on all cores, reported as a
//! table or a JSON document, with a progress line on stderr; one shard of it as a partial
//! document for `merge`.

use std::sync::Arc;

use serde::Serialize;

use super::runs::{self, Request, Streams};
use crate::data::Dataset;
use crate::engine::{Grid, SeedResult};
use crate::exit::RunError;
use crate::format;
use crate::model::stats::{ContenderStats, ranking, summarize};
use crate::train::{BASELINE_LOSS_NOTE, Contender, Settings};

/// The document `compare --json` prints.
#[derive(Serialize)]
pub(crate) struct Report<'a> {
    /// Seeds, epochs and protocol.
    #[serde(flatten)]
    pub header: runs::Header<'a>,
    /// Every run, by seed, then in `--optimizers` order.
    pub results: &'a [SeedResult],
    /// Statistics per contender, in `--optimizers` order.
    pub summary: &'a [ContenderStats],
    /// Contender names, best first.
    pub ranking: Vec<Contender>,
}

/// The first line of the table: what was compared.
fn header(settings: &Settings, seeds: &[u32]) -> String {
    format!(
        "compare: {} each, {}, {} epochs, {} protocol, lr {}, batch {}, hidden {}",
        crate::format::count(seeds.len(), "run"),
        crate::format::seed_span(seeds),
        settings.epochs,
        settings.protocol.name(),
        settings.hyper.lr,
        settings.batch_size,
        settings.hidden_list()
    )
}

/// The text table: a header naming the seeds and settings, one row per contender best first,
/// then what each column means.
pub(crate) fn table(settings: &Settings, seeds: &[u32], stats: &[ContenderStats]) -> String {
    let mut out = header(settings, seeds);
    out.push('\n');
    out.push_str(&format!(
        "{:>4}  {:<13}  {:>4}  {:>15}  {:>6}  {:>6}  {:>11}  {:>16}  {:>8}  {:>4}\n",
        "rank",
        "optimizer",
        "runs",
        "test acc ± sd",
        "min",
        "max",
        "median loss",
        "100% train @",
        "diverged",
        "wins"
    ));
    let mut ranked: Vec<&ContenderStats> = stats.iter().collect();
    ranked.sort_by_key(|s| s.rank);
    for s in &ranked {
        let perfect = s.median_perfect_train_epoch.map_or_else(
            || format::MISSING.to_owned(),
            |e| {
                if e.fract() == 0.0 {
                    format!("{e:.0}")
                } else {
                    format!("{e:.1}")
                }
            },
        );
        out.push_str(&format!(
            "{:>4}  {:<13}  {:>4}  {:>15}  {:>6}  {:>6}  {:>11}  {:>16}  {:>8}  {:>4}\n",
            s.rank,
            s.optimizer.label(),
            s.runs,
            format::mean_sd(s.mean_test_acc, s.sd_test_acc),
            format::maybe_accuracy(s.min_test_acc),
            format::maybe_accuracy(s.max_test_acc),
            format::loss(s.median_loss, None),
            format!(
                "{perfect} ({}/{})",
                s.reached_perfect_train,
                s.runs - s.not_started
            ),
            s.diverged,
            s.wins
        ));
    }
    out.push_str(
        "test acc: final test accuracy over seeds, mean ± sample standard deviation (n-1).\n\
         median loss: over the runs that did not diverge. 100% train @: median first epoch with\n\
         every training image right, over the runs that got there (how many of how many).\n\
         wins: seeds with the best final test accuracy (a tie counts for each).\n\
         rank: by mean test accuracy, then by median loss.\n",
    );
    for s in ranked.iter().filter(|s| s.not_started > 0) {
        out.push_str(&format!(
            "{}: {} chain stages never started (an earlier stage diverged).\n",
            s.optimizer.label(),
            s.not_started
        ));
    }
    if stats.iter().any(|s| s.optimizer == Contender::Mlp) {
        out.push_str(BASELINE_LOSS_NOTE);
        out.push('\n');
        out.push_str(&format::baseline_ignores(settings));
    }
    out
}

/// Runs `compare` with `request` (its `grid` is `None`): see [`runs::run`].
pub(crate) fn report(
    settings: &Settings,
    data: Arc<Dataset>,
    request: Request,
    streams: &mut Streams<'_>,
) -> Result<(), RunError> {
    let render = |settings: &Settings, seeds: &[u32], _: Option<&Grid>, results, json| {
        self::render(settings, seeds, results, json)
    };
    runs::run(settings, data, request, &render, streams)
}

/// The report of a finished comparison, from its results in any order: the table, or the
/// JSON document with a closing newline. `merge` prints the same from the parts.
pub(crate) fn render(
    settings: &Settings,
    seeds: &[u32],
    mut results: Vec<SeedResult>,
    json: bool,
) -> Result<String, RunError> {
    let order = |c: Contender| settings.optimizers.iter().position(|&o| o == c);
    results.sort_by_key(|r| (r.seed, order(r.optimizer)));
    let stats = summarize(&settings.optimizers, &results);
    if !json {
        return Ok(table(settings, seeds, &stats));
    }
    let report = Report {
        header: runs::Header::of(settings, seeds),
        results: &results,
        summary: &stats,
        ranking: ranking(&stats),
    };
    runs::json_line(&report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_contenders_best_first_and_explains_itself() {
        let (contenders, results) = crate::model::stats::tests::hand_made();
        let stats = summarize(&contenders, &results);
        let settings = Settings {
            optimizers: contenders,
            ..Settings::default()
        };
        let text = table(&settings, &[1, 2, 3, 4], &stats);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "compare: 4 runs each, seeds 1..=4, 1000 epochs, fair protocol, lr 0.01, batch 64, \
             hidden 80,70"
        );
        assert!(lines[1].starts_with("rank  optimizer"), "{text}");
        assert_eq!(
            lines[2],
            "   1  Adam              4  0.7500 ± 0.2041  0.5000  1.0000     2.500e-2         \
             6.5 (4/4)         0     4"
        );
        assert!(lines[3].contains("RMSProp"), "{text}");
        assert!(
            lines[5].contains("SGD") && lines[5].contains("20 (2/4)"),
            "{text}"
        );
        assert!(
            text.contains("Momentum: 1 chain stages never started"),
            "{text}"
        );
        assert!(text.contains(BASELINE_LOSS_NOTE), "{text}");
    }
}
