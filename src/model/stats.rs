//! What many runs say together: per contender, the spread of final test accuracy over seeds,
//! median loss, how fast training got perfect, divergences, wins and a ranking. Pure
//! functions of the results, in any arrival order, so the `compare` report and the seeds view
//! compute the same figures.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::SeedResult;
use crate::train::Contender;

/// One contender's figures across seeds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct ContenderStats {
    /// Who.
    pub optimizer: Contender,
    /// Place in the ranking, from 1: by mean test accuracy (equal within rounding is a tie),
    /// then by median loss.
    pub rank: usize,
    /// Results counted (one per seed).
    pub runs: usize,
    /// Chain stages that never started because an earlier stage diverged; they have no
    /// accuracy and are left out of every figure below.
    pub not_started: usize,
    /// Mean final test accuracy.
    pub mean_test_acc: Option<f64>,
    /// Sample standard deviation (ddof = 1, as `numpy.std(x, ddof=1)`) of the final test
    /// accuracy; `None` with fewer than two runs, where it is undefined.
    pub sd_test_acc: Option<f64>,
    /// Lowest final test accuracy.
    pub min_test_acc: Option<f64>,
    /// Highest final test accuracy.
    pub max_test_acc: Option<f64>,
    /// Median final loss over the runs that did not diverge.
    pub median_loss: Option<f64>,
    /// Median first epoch with training accuracy 1.0, over the runs that reached it.
    pub median_perfect_train_epoch: Option<f64>,
    /// How many runs reached training accuracy 1.0.
    pub reached_perfect_train: usize,
    /// How many runs diverged.
    pub diverged: usize,
    /// Seeds on which this contender had the highest final test accuracy; a tie gives every
    /// tied contender the win, so wins can add up to more than the seeds.
    pub wins: usize,
}

/// Statistics per contender, in `contenders` order, from results in any order (each
/// contender's values are taken in seed order, so sums do not depend on arrival order).
/// Results of contenders not listed are ignored.
pub(crate) fn summarize(contenders: &[Contender], results: &[SeedResult]) -> Vec<ContenderStats> {
    let mut best: BTreeMap<u32, f64> = BTreeMap::new();
    for r in results.iter().filter(|r| contenders.contains(&r.optimizer)) {
        if let Some(acc) = r.test_acc {
            let entry = best.entry(r.seed).or_insert(acc);
            *entry = entry.max(acc);
        }
    }
    let mut stats: Vec<ContenderStats> = contenders
        .iter()
        .map(|&optimizer| {
            let mut mine: Vec<&SeedResult> = results
                .iter()
                .filter(|r| r.optimizer == optimizer)
                .collect();
            mine.sort_by_key(|r| r.seed);
            let accs: Vec<f64> = mine.iter().filter_map(|r| r.test_acc).collect();
            let losses = mine.iter().filter_map(|r| r.final_loss).collect();
            let perfect = mine
                .iter()
                .filter_map(|r| r.perfect_train_epoch.map(f64::from))
                .collect::<Vec<_>>();
            let (mean, sd) = mean_and_sd(&accs);
            ContenderStats {
                optimizer,
                rank: 0,
                runs: mine.len(),
                not_started: mine.len() - accs.len(),
                mean_test_acc: mean,
                sd_test_acc: sd,
                min_test_acc: accs.iter().copied().reduce(f64::min),
                max_test_acc: accs.iter().copied().reduce(f64::max),
                median_loss: median(losses),
                reached_perfect_train: perfect.len(),
                median_perfect_train_epoch: median(perfect),
                diverged: mine.iter().filter(|r| r.diverged).count(),
                wins: (mine.iter())
                    .filter(|r| r.test_acc.is_some() && r.test_acc == best.get(&r.seed).copied())
                    .count(),
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..stats.len()).collect();
    order.sort_by(|&a, &b| better_first(&stats[a], &stats[b]));
    for (place, &i) in order.iter().enumerate() {
        stats[i].rank = place + 1;
    }
    stats
}

/// The ranking's order: higher mean test accuracy first (equal within rounding is a tie), then
/// lower median loss; missing figures last. `sweep` picks each contender's best rate by it too.
pub(crate) fn better_first(x: &ContenderStats, y: &ContenderStats) -> Ordering {
    let higher_mean = |p: f64, q: f64| {
        if (p - q).abs() <= MEAN_TIE {
            Ordering::Equal
        } else {
            q.total_cmp(&p)
        }
    };
    none_last(x.mean_test_acc, y.mean_test_acc, higher_mean)
        .then_with(|| none_last(x.median_loss, y.median_loss, |p, q| p.total_cmp(&q)))
}

/// Mean accuracies closer than this are a tie for the ranking. Accuracies are counts over the
/// test set, so two contenders with the same total of right answers have the same true mean,
/// but summing different fractions rounds differently in the last bit (it happened: RMSProp
/// and the baseline, 3511 of 3600 each on seeds 7..=16). Real differences are at least one
/// answer in all the runs, far above this.
const MEAN_TIE: f64 = 1e-12;

/// The contenders best first, as [`ContenderStats::rank`] orders them.
pub(crate) fn ranking(stats: &[ContenderStats]) -> Vec<Contender> {
    let mut ranked: Vec<&ContenderStats> = stats.iter().collect();
    ranked.sort_by_key(|s| s.rank);
    ranked.iter().map(|s| s.optimizer).collect()
}

/// Compares two optional figures with `cmp`, a missing one after any present one.
fn none_last(a: Option<f64>, b: Option<f64>, cmp: impl Fn(f64, f64) -> Ordering) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => cmp(a, b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The mean, and the sample standard deviation (ddof = 1; `None` below two values).
fn mean_and_sd(values: &[f64]) -> (Option<f64>, Option<f64>) {
    if values.is_empty() {
        return (None, None);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.len() > 1).then(|| {
        let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        (squares / (n - 1.0)).sqrt()
    });
    (Some(mean), sd)
}

/// The middle value; of an even count, the mean of the two middle values.
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[mid]),
        _ => Some((values[mid - 1] + values[mid]) / 2.0),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn result(
        seed: u32,
        optimizer: Contender,
        test_acc: f64,
        final_loss: Option<f64>,
        perfect: Option<u32>,
    ) -> SeedResult {
        SeedResult {
            seed,
            optimizer,
            at: None,
            epochs: 100,
            test_acc: Some(test_acc),
            final_loss,
            diverged: final_loss.is_none(),
            perfect_train_epoch: perfect,
        }
    }

    /// Four seeds, six contenders, values chosen so every figure can be worked out by hand.
    pub(crate) fn hand_made() -> (Vec<Contender>, Vec<SeedResult>) {
        use Contender::*;
        let contenders = vec![Sgd, Rmsprop, Adam, Mlp, Momentum, Adagrad];
        let mut results = vec![
            // SGD: one divergence; two runs reach 100% train accuracy.
            result(1, Sgd, 0.5, Some(0.4), None),
            result(2, Sgd, 0.75, Some(0.1), Some(30)),
            result(3, Sgd, 1.0, Some(0.2), Some(10)),
            result(4, Sgd, 0.25, None, None),
            // Adam and RMSProp: the same accuracies (a tie on every seed), Adam's losses lower.
            result(1, Adam, 0.75, Some(0.01), Some(5)),
            result(2, Adam, 0.75, Some(0.03), Some(7)),
            result(3, Adam, 1.0, Some(0.02), Some(6)),
            result(4, Adam, 0.5, Some(0.04), Some(8)),
            result(1, Rmsprop, 0.75, Some(0.1), None),
            result(2, Rmsprop, 0.75, Some(0.1), None),
            result(3, Rmsprop, 1.0, Some(0.1), None),
            result(4, Rmsprop, 0.5, Some(0.1), None),
            // The baseline has not reported seed 4 yet.
            result(1, Mlp, 0.75, Some(0.3), None),
            result(2, Mlp, 0.5, Some(0.3), None),
            result(3, Mlp, 0.75, Some(0.3), None),
            // Momentum: one run, one chain stage that never started. AdaGrad: nothing yet.
            result(1, Momentum, 0.5, Some(0.5), None),
            SeedResult::unstarted(2, Momentum),
        ];
        // Arrival order must not matter.
        results.reverse();
        (contenders, results)
    }

    #[test]
    fn statistics_of_a_hand_made_set() {
        let (contenders, results) = hand_made();
        let stats = summarize(&contenders, &results);
        let by = |c| stats.iter().find(|s| s.optimizer == c).unwrap();
        assert_eq!(
            stats.iter().map(|s| s.optimizer).collect::<Vec<_>>(),
            contenders
        );

        let sgd = by(Contender::Sgd);
        // Mean (0.5 + 0.75 + 1 + 0.25) / 4; squared deviations 1/64 + 1/64 + 9/64 + 9/64 = 0.3125.
        assert_eq!(sgd.mean_test_acc, Some(0.625));
        assert_eq!(sgd.sd_test_acc, Some((0.3125f64 / 3.0).sqrt()));
        assert_eq!(
            (sgd.min_test_acc, sgd.max_test_acc),
            (Some(0.25), Some(1.0))
        );
        assert_eq!(sgd.median_loss, Some(0.2), "median of 0.4, 0.1, 0.2");
        assert_eq!(
            sgd.median_perfect_train_epoch,
            Some(20.0),
            "mean of 10 and 30"
        );
        assert_eq!(
            (sgd.runs, sgd.reached_perfect_train, sgd.diverged),
            (4, 2, 1)
        );
        assert_eq!(sgd.wins, 2, "seeds 2 and 3");

        let adam = by(Contender::Adam);
        // Squared deviations 0 + 0 + 1/16 + 1/16.
        assert_eq!(adam.mean_test_acc, Some(0.75));
        assert_eq!(adam.sd_test_acc, Some((0.125f64 / 3.0).sqrt()));
        assert_eq!(adam.median_loss, Some((0.02 + 0.03) / 2.0));
        assert_eq!(adam.median_perfect_train_epoch, Some(6.5));
        assert_eq!((adam.reached_perfect_train, adam.diverged), (4, 0));
        assert_eq!(adam.wins, 4);
        assert_eq!(by(Contender::Rmsprop).wins, 4, "ties win for each");

        let mlp = by(Contender::Mlp);
        assert_eq!(mlp.mean_test_acc, Some(2.0 / 3.0));
        assert_eq!((mlp.runs, mlp.wins), (3, 1));
        assert_eq!(mlp.median_perfect_train_epoch, None);

        let momentum = by(Contender::Momentum);
        assert_eq!((momentum.runs, momentum.not_started), (2, 1));
        assert_eq!(momentum.mean_test_acc, Some(0.5));
        assert_eq!(momentum.sd_test_acc, None, "undefined for one run");
        assert_eq!(momentum.wins, 0);

        let adagrad = by(Contender::Adagrad);
        assert_eq!((adagrad.runs, adagrad.mean_test_acc), (0, None));

        // Adam and RMSProp tie on accuracy; Adam's lower median loss puts it first although
        // RMSProp is listed first. No results at all comes last.
        use Contender::*;
        assert_eq!(
            ranking(&stats),
            [Adam, Rmsprop, Mlp, Sgd, Momentum, Adagrad]
        );
        assert_eq!(
            stats.iter().map(|s| s.rank).collect::<Vec<_>>(),
            [4, 2, 1, 3, 5, 6]
        );
    }

    #[test]
    fn equal_totals_of_right_answers_tie_despite_rounding() {
        // Test-set hits out of 360 on seeds 7..=16 of the measured 1000-epoch comparison
        // (RMSProp's and the baseline's): 3511 each, yet the two means differ in the last bit.
        let first = [356, 351, 353, 351, 351, 349, 353, 349, 349, 349];
        let second = [350, 351, 352, 353, 353, 352, 349, 351, 350, 350];
        let runs = |c, hits: [u32; 10], loss| {
            (hits.into_iter().zip(7..))
                .map(move |(k, seed)| result(seed, c, f64::from(k) / 360.0, Some(loss), None))
        };
        let results: Vec<SeedResult> = runs(Contender::Rmsprop, first, 0.2)
            .chain(runs(Contender::Adam, second, 0.1))
            .collect();
        let stats = summarize(&[Contender::Rmsprop, Contender::Adam], &results);
        assert!(
            stats[0].mean_test_acc > stats[1].mean_test_acc,
            "the rounding differs"
        );
        assert_eq!(
            ranking(&stats),
            [Contender::Adam, Contender::Rmsprop],
            "a tie, broken by the lower median loss"
        );
    }

    #[test]
    fn medians_and_means_at_the_edges() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0]), Some(3.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(mean_and_sd(&[]), (None, None));
        assert_eq!(mean_and_sd(&[0.5]), (Some(0.5), None));
    }
}
