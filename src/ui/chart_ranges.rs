//! The charts' y ranges, computed when the curves or the epoch window change (an epoch
//! arrives, the zoom or the generation changes) rather than every frame: the small charts and
//! the overlay share one loss range over every run, the detail panel has its run's own, and
//! the accuracy axes follow the accuracies visible.

use crate::model::RunHistory;

/// The points of a curve inside the epoch window `(first, last)`: the charts draw these only,
/// so the y axis can follow what is visible.
pub(crate) fn visible(points: &[(f64, f64)], (lo, hi): (u32, u32)) -> &[(f64, f64)] {
    let start = points.partition_point(|p| p.0 < f64::from(lo));
    let end = points.partition_point(|p| p.0 <= f64::from(hi));
    &points[start..end.max(start)]
}

/// The smallest and largest of `ys`, if there is any.
fn extent(ys: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    lo.is_finite().then_some((lo, hi))
}

/// The y range of `curves`' points inside `window`.
fn visible_extent<'a>(
    curves: impl IntoIterator<Item = &'a [(f64, f64)]>,
    window: (u32, u32),
) -> Option<(f64, f64)> {
    extent((curves.into_iter()).flat_map(|c| visible(c, window).iter().map(|p| p.1)))
}

/// The loss range before any point, in log10 units.
const NO_LOSS: (f64, f64) = (-1.0, 0.0);

/// The y ranges of the visible curves, as of the last epoch or zoom.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ChartRanges {
    /// Every run's visible log10 loss (the small charts' and the overlay's shared axis).
    loss: (f64, f64),
    /// Per run, its own visible log10 loss (the detail panel's axis).
    run_loss: Vec<(f64, f64)>,
    /// Every run's visible test accuracy (the overlay's), if any is visible.
    test_acc: Option<(f64, f64)>,
    /// Per run, its visible train and test accuracy (the detail panel's).
    run_acc: Vec<Option<(f64, f64)>>,
}

impl Default for ChartRanges {
    fn default() -> Self {
        Self::of(&[], (0, 0))
    }
}

impl ChartRanges {
    /// The ranges of `runs`' curves inside the epoch window `window`.
    pub(crate) fn of(runs: &[RunHistory], window: (u32, u32)) -> Self {
        let losses = || runs.iter().map(|r| r.curves.log_loss.as_slice());
        let run_acc = (runs.iter())
            .map(|r| visible_extent([&r.curves.train_acc[..], &r.curves.test_acc], window))
            .collect();
        Self {
            loss: visible_extent(losses(), window).unwrap_or(NO_LOSS),
            run_loss: (losses())
                .map(|c| visible_extent([c], window).unwrap_or(NO_LOSS))
                .collect(),
            test_acc: visible_extent(runs.iter().map(|r| &r.curves.test_acc[..]), window),
            run_acc,
        }
    }

    /// Every run's visible log10 loss, `(-1, 0)` before any point.
    pub(crate) fn loss(&self) -> (f64, f64) {
        self.loss
    }

    /// Run `i`'s visible log10 loss, `(-1, 0)` before any point.
    pub(crate) fn run_loss(&self, i: usize) -> (f64, f64) {
        self.run_loss.get(i).copied().unwrap_or(NO_LOSS)
    }

    /// Every run's visible test accuracy, if any is visible.
    pub(crate) fn test_acc(&self) -> Option<(f64, f64)> {
        self.test_acc
    }

    /// Run `i`'s visible train and test accuracy, if any is visible.
    pub(crate) fn run_acc(&self, i: usize) -> Option<(f64, f64)> {
        self.run_acc.get(i).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_points_inside_the_window_count() {
        let points = [(1.0, 5.0), (2.0, -3.0), (3.0, 0.5)];
        assert_eq!(visible(&points, (2, 3)), &points[1..]);
        assert_eq!(visible_extent([&points[..]], (2, 3)), Some((-3.0, 0.5)));
        assert_eq!(visible_extent([&points[..]], (4, 9)), None);
        assert_eq!(ChartRanges::default().loss(), NO_LOSS);
    }
}
