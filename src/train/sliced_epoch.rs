//! An epoch trained in slices: the batching both trainers share (the lab's
//! [`LabTrainer`](super::LabTrainer) and scikit-learn's [`Baseline`](super::Baseline)), written
//! once so that they keep the same invariants — the shuffle happens when an epoch starts and only
//! then, a slice ends between batches and never after the last one, and the epoch's wall time adds
//! up its slices.
//!
//! How an epoch is shuffled and what a batch does with its rows stay with each trainer (the
//! lab draws a fresh identity order each epoch, scikit-learn reshuffles the previous one).

use std::ops::Range;
use std::time::{Duration, Instant};

use crate::data::Dataset;
use crate::nn::team;

use super::EpochReport;

/// What gathering one input value costs against the team's threshold, in multiply-adds: perf
/// put MNIST's batch gathers at a seventh of an epoch's products (about 35 FMAs a value, the
/// rows being cache misses), so its batches are gathered in parts and the 8×8 lab's are not.
const GATHER_WORK: usize = 32;

/// Pieces the next batch is gathered in beside the current one: small enough (8 of MNIST's
/// 784-wide rows, a few µs) that a helper taking one is back in time for the current batch's
/// next split, whose parts would otherwise all fall to the leader.
const AHEAD_PIECES: usize = 8;

/// How far one call of a trainer's `train_for` got.
#[derive(Clone, Debug)]
pub enum Progress {
    /// The epoch is under way: `done` of its `total` batches are trained.
    Batches {
        /// Batches trained.
        done: usize,
        /// Batches in the epoch.
        total: usize,
    },
    /// The epoch ended, evaluated.
    Epoch(EpochReport),
}

/// What [`SlicedEpoch::train_for`] left for its caller to finish.
pub(crate) enum Slice {
    /// The budget ran out mid-epoch; report this and come back for the rest.
    Paused(Progress),
    /// The epoch's last batch is trained; the stopwatch keeps running through the caller's
    /// evaluation, which belongs to the epoch's wall time.
    Ended(Stopwatch),
}

/// The wall time of an epoch that ended, still running.
pub(crate) struct Stopwatch {
    earlier: Duration,
    since: Instant,
}

impl Stopwatch {
    /// The epoch's slices so far plus this one up to now.
    pub(crate) fn stop(self) -> Duration {
        self.earlier + self.since.elapsed()
    }
}

/// The sample order of an epoch, how far through it training is, and the buffers a batch is
/// gathered into: allocated once, so training allocates nothing per batch.
pub(crate) struct SlicedEpoch {
    batch_size: usize,
    width: usize,
    order: Vec<usize>,
    batch_x: Vec<f64>,
    /// The next batch's rows, gathered while the current one trains.
    next_x: Vec<f64>,
    /// The batch whose rows `batch_x` holds, if one was gathered ahead.
    ready: Option<usize>,
    batch_y: Vec<u8>,
    /// Batches of the current epoch already trained (0: the epoch has not started, so its
    /// shuffle is still to come).
    cursor: usize,
    /// Time spent on the current epoch by the slices before this one.
    spent: Duration,
}

impl SlicedEpoch {
    /// Epochs over `rows` training rows of `width` inputs each, in batches of `batch_size`
    /// (at most `rows`, at least 1). The order starts as `0..rows`.
    pub(crate) fn new(rows: usize, width: usize, batch_size: usize) -> Self {
        let batch_size = batch_size.min(rows).max(1);
        Self {
            batch_size,
            width,
            order: (0..rows).collect(),
            batch_x: vec![0.0; batch_size * width],
            next_x: vec![0.0; batch_size * width],
            ready: None,
            batch_y: vec![0; batch_size],
            cursor: 0,
            spent: Duration::ZERO,
        }
    }

    /// Rows per batch, the last one of an epoch possibly fewer.
    pub(crate) fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// Batches per epoch, the last one possibly short.
    pub(crate) fn total(&self) -> usize {
        self.order.len().div_ceil(self.batch_size)
    }

    /// Trains the epoch under way, batch by batch, until `budget` has passed (checked between
    /// batches) or its last batch is trained. An epoch's first call hands the order to
    /// `shuffle`; each batch's rows of `data`'s training set, gathered in order, go to
    /// `step`. However the epoch is sliced, `shuffle` and `step` see the same calls.
    pub(crate) fn train_for(
        &mut self,
        data: &Dataset,
        budget: Duration,
        shuffle: impl FnOnce(&mut [usize]),
        mut step: impl FnMut(&[f64], &[u8]),
    ) -> Slice {
        let since = Instant::now();
        let x = data.x_train.as_standard_layout();
        let x = x.as_slice().unwrap_or_default();
        let width = self.width;
        if self.cursor == 0 {
            shuffle(&mut self.order);
        }
        let total = self.total();
        while self.cursor < total {
            let here = self.rows(self.cursor);
            let m = here.len();
            if self.ready != Some(self.cursor) {
                gather(x, width, &self.order[here.clone()], &mut self.batch_x);
            }
            for (y, &src) in self.batch_y.iter_mut().zip(&self.order[here]) {
                *y = data.y_train[src];
            }
            let (batch, labels) = (&self.batch_x[..m * width], &self.batch_y[..m]);
            let next = self.cursor + 1;
            let ahead = if next < total { self.rows(next) } else { 0..0 };
            let rows = &self.order[ahead];
            let work = rows.len() * width * GATHER_WORK;
            // Alone, a batch is gathered when it is due: one buffer stays in cache, not two.
            if !rows.is_empty() && team::participants(work) > 1 {
                // The next batch's rows wait on memory while the current batch's serial
                // stretches leave a helper idle: gathered beside it, they are ready when it ends.
                let pieces = (&mut self.next_x[..rows.len() * width], width, AHEAD_PIECES);
                let background =
                    |first: usize, piece: &mut [f64]| copy_rows(x, width, &rows[first..], piece);
                team::beside_mut(pieces, work, background, || step(batch, labels));
                std::mem::swap(&mut self.batch_x, &mut self.next_x);
                self.ready = Some(next);
            } else {
                step(batch, labels);
                self.ready = None;
            }
            self.cursor += 1;
            if self.cursor < total && since.elapsed() >= budget {
                self.spent += since.elapsed();
                return Slice::Paused(Progress::Batches {
                    done: self.cursor,
                    total,
                });
            }
        }
        self.cursor = 0;
        let earlier = std::mem::take(&mut self.spent);
        Slice::Ended(Stopwatch { earlier, since })
    }

    /// The positions in the order of batch `index`'s rows.
    fn rows(&self, index: usize) -> Range<usize> {
        let start = index * self.batch_size;
        start..self.order.len().min(start + self.batch_size)
    }
}

/// Copies the rows `order` names of `x` (rows of `width`) into the start of `into`, in parts
/// on the team this thread leads for a large batch: rows from all over the training set, so
/// the copy waits on memory.
fn gather(x: &[f64], width: usize, order: &[usize], into: &mut [f64]) {
    let threads = team::participants(order.len() * width * GATHER_WORK);
    let batch = &mut into[..order.len() * width];
    team::split_mut(batch, width, threads, |first, part| {
        copy_rows(x, width, &order[first..], part);
    });
}

/// Rows `order` names of `x` into `into`, as many as it holds.
fn copy_rows(x: &[f64], width: usize, order: &[usize], into: &mut [f64]) {
    for (row, &src) in into.chunks_exact_mut(width).zip(order) {
        row.copy_from_slice(&x[src * width..(src + 1) * width]);
    }
}

/// Drives `train_for` with a zero budget (one batch per call) to the end of an epoch,
/// checking each call's progress against `batches` per epoch; the sliced-epoch tests of both
/// trainers share it.
#[cfg(test)]
pub(crate) fn epoch_in_slices(
    mut train_for: impl FnMut(Duration) -> Progress,
    batches: usize,
) -> EpochReport {
    let mut slices = 0;
    let report = loop {
        slices += 1;
        match train_for(Duration::ZERO) {
            Progress::Batches { done, total } => assert_eq!((done, total), (slices, batches)),
            Progress::Epoch(report) => break report,
        }
    };
    assert_eq!(slices, batches);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row once per epoch, in the shuffled order, in batches of the given size with a
    /// short last one; the shuffle only when an epoch starts.
    #[test]
    fn slices_cover_the_shuffled_order_once_per_epoch() {
        let data = Dataset::lab();
        let rows = data.y_train.len();
        let mut epoch = SlicedEpoch::new(rows, data.width(), 500);
        assert_eq!(epoch.total(), rows.div_ceil(500));
        let (mut shuffles, mut seen) = (0, Vec::new());
        for expected_done in 1..epoch.total() {
            let slice = epoch.train_for(
                &data,
                Duration::ZERO,
                |order| {
                    shuffles += 1;
                    order.reverse();
                },
                |x, y| {
                    assert_eq!(x.len(), y.len() * data.width());
                    seen.extend_from_slice(y);
                },
            );
            assert!(
                matches!(slice, Slice::Paused(Progress::Batches { done, .. }) if done == expected_done)
            );
        }
        let last = epoch.train_for(
            &data,
            Duration::ZERO,
            |_| shuffles += 1,
            |_, y| seen.extend_from_slice(y),
        );
        assert!(matches!(last, Slice::Ended(_)));
        assert_eq!((shuffles, epoch.cursor), (1, 0));
        let reversed: Vec<u8> = data.y_train.iter().rev().copied().collect();
        assert_eq!(seen, reversed);
    }

    #[test]
    fn a_batch_is_never_larger_than_the_data_nor_empty() {
        assert_eq!(SlicedEpoch::new(10, 3, 64).total(), 1);
        assert_eq!(SlicedEpoch::new(10, 3, 0).total(), 10);
    }
}
