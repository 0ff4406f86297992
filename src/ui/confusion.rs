//! The confusion view's figures (`c`): per run, the test-set confusion matrix and its most
//! confused pairs, computed when an epoch's predictions arrive rather than every frame.

use crate::data::CLASSES;

/// How many confused pairs the view names.
const PAIRS: usize = 5;

/// One run's confusion on the test set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Confusion {
    /// Counts, `[actual][predicted]`.
    pub matrix: [[u32; CLASSES]; CLASSES],
    /// The off-diagonal cells with the most mistakes, most first: `(actual, predicted, count)`.
    pub most_confused: Vec<(usize, usize, u32)>,
    /// The epoch whose predictions these are: the view keeps training above it, so it says
    /// which epoch it shows.
    pub epoch: u32,
}

impl Confusion {
    /// The confusion of epoch `epoch`'s `predictions` against `labels`.
    pub(crate) fn of(epoch: u32, predictions: &[u8], labels: &[u8]) -> Self {
        let matrix = confusion(predictions, labels);
        Self {
            most_confused: most_confused(&matrix, PAIRS),
            matrix,
            epoch,
        }
    }

    /// `(right, counted)`: the diagonal and the whole matrix, so the view can state the
    /// overall accuracy its rows add up to.
    pub(crate) fn right_and_total(&self) -> (u32, u32) {
        let right = (0..CLASSES).map(|c| self.matrix[c][c]).sum();
        (right, self.matrix.iter().flatten().sum())
    }
}

/// The 10×10 test-set confusion counts of `predictions`: `[actual][predicted]`.
fn confusion(predictions: &[u8], labels: &[u8]) -> [[u32; CLASSES]; CLASSES] {
    let mut m = [[0; CLASSES]; CLASSES];
    for (&p, &y) in predictions.iter().zip(labels) {
        if let Some(cell) = m
            .get_mut(usize::from(y))
            .and_then(|r| r.get_mut(usize::from(p)))
        {
            *cell += 1;
        }
    }
    m
}

/// The off-diagonal cells with the most mistakes, most first: `(actual, predicted, count)`.
fn most_confused(m: &[[u32; CLASSES]; CLASSES], n: usize) -> Vec<(usize, usize, u32)> {
    let mut pairs: Vec<(usize, usize, u32)> = (0..CLASSES)
        .flat_map(|a| (0..CLASSES).map(move |p| (a, p)))
        .filter(|&(a, p)| a != p && m[a][p] > 0)
        .map(|(a, p)| (a, p, m[a][p]))
        .collect();
    pairs.sort_by(|x, y| y.2.cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    pairs.truncate(n);
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_counts_and_ranks_mistakes() {
        let labels = [0, 0, 1, 1, 1, 2];
        let predictions = [0, 1, 1, 2, 2, 2];
        let c = Confusion::of(4, &predictions, &labels);
        let m = c.matrix;
        assert_eq!(m[0][0], 1);
        assert_eq!(m[0][1], 1);
        assert_eq!(m[1][2], 2);
        assert_eq!(m[2][2], 1);
        assert_eq!(c.most_confused, vec![(1, 2, 2), (0, 1, 1)]);
        assert_eq!((c.epoch, c.right_and_total()), (4, (3, 6)));
    }

    #[test]
    fn labels_out_of_range_are_not_counted() {
        let c = Confusion::of(1, &[0, 11], &[12, 1]);
        assert_eq!(c.matrix.iter().flatten().sum::<u32>(), 0);
        assert!(c.most_confused.is_empty());
        assert_eq!(c.right_and_total(), (0, 0));
    }
}
