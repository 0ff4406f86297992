//! The per-epoch evaluation's forward passes, which dominate an MNIST epoch's end (70 000
//! rows): every row is independent, so chunks of rows go to the team's helpers when the
//! run leads one ([`team`]), each with its own buffers; a row's bits do not depend on which
//! thread or chunk computed it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::nn::{Network, Workspace, team};

/// Rows per forward pass when evaluating: small enough to stay in cache, large enough to
/// amortise the per-call overhead. Rows are independent, so chunking changes no bits.
pub(super) const EVAL_ROWS: usize = 128;

/// Forward-pass buffers for evaluation, one set per thread that may take part.
pub(super) struct Evaluator {
    sizes: Vec<usize>,
    workspaces: Vec<Mutex<Workspace>>,
}

impl Evaluator {
    /// Buffers for one thread; a team's further threads get theirs on first use.
    pub(super) fn new(sizes: &[usize]) -> Self {
        Self {
            sizes: sizes.to_vec(),
            workspaces: vec![Mutex::new(Workspace::new(sizes, EVAL_ROWS))],
        }
    }

    /// Forward passes of `net` over the rows of `x` (`labels.len()` rows) in chunks of
    /// [`EVAL_ROWS`]: `each(probs, ws, labels, out, tally)` gets each chunk's output
    /// probabilities, the buffers holding every layer's activations, its labels, its
    /// `per_row` outputs per row in `out`, and the tally of the thread evaluating it (one of
    /// `tallies`, which must number at least [`team::slots`]); the sum of what it returns is
    /// returned.
    pub(super) fn chunks<O: Send, T: Send>(
        &mut self,
        net: &Network,
        x: &[f64],
        labels: &[u8],
        (out, per_row): (&mut [O], usize),
        tallies: &mut [T],
        each: impl Fn(&[f64], &Workspace, &[u8], &mut [O], &mut T) -> usize + Sync,
    ) -> usize {
        let width = self.sizes[0];
        let classes = self.sizes[self.sizes.len() - 1];
        let last = self.sizes.len() - 2;
        let rows = labels.len();
        let fmas: usize = self.sizes.windows(2).map(|p| p[0] * p[1]).sum();
        // The chunk's probabilities are the last layer's activations, read back so that the
        // buffers can be lent whole to `each`.
        let forward =
            |x: &[f64], labels: &[u8], ws: &mut Workspace, out: &mut [O], tally: &mut T| {
                net.forward(x, labels.len(), ws);
                let probs = &ws.activations(last)[..labels.len() * classes];
                each(probs, ws, labels, out, tally)
            };
        if team::participants(rows * fmas) <= 1 {
            let ws = self.workspaces[0]
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner);
            let chunks = (x.chunks(EVAL_ROWS * width).zip(labels.chunks(EVAL_ROWS)))
                .zip(out.chunks_mut(EVAL_ROWS * per_row));
            return chunks
                .map(|((x, labels), out)| forward(x, labels, ws, out, &mut tallies[0]))
                .sum();
        }
        assert!(tallies.len() >= team::slots(), "a tally for every thread");
        while self.workspaces.len() < team::slots() {
            let ws = Workspace::new(&self.sizes, EVAL_ROWS);
            self.workspaces.push(Mutex::new(ws));
        }
        // Each lock is taken by one part (outputs) or one thread at a time (buffers, tallies):
        // never contended, only there to hand out disjoint `&mut` safely.
        let outs: Vec<Mutex<&mut [O]>> = out
            .chunks_mut(EVAL_ROWS * per_row)
            .map(Mutex::new)
            .collect();
        let tallies: Vec<Mutex<&mut T>> = tallies.iter_mut().map(Mutex::new).collect();
        let total = AtomicUsize::new(0);
        let workspaces = &self.workspaces;
        team::split(rows.div_ceil(EVAL_ROWS), |chunk, slot| {
            let rows = chunk * EVAL_ROWS..rows.min((chunk + 1) * EVAL_ROWS);
            let (mut ws, mut tally) = (lock(&workspaces[slot]), lock(&tallies[slot]));
            let x = &x[rows.start * width..rows.end * width];
            let mut out = lock(&outs[chunk]);
            let n = forward(x, &labels[rows], &mut ws, &mut out, &mut tally);
            total.fetch_add(n, Ordering::Relaxed);
        });
        total.into_inner()
    }
}

/// The lock's value, whether or not a part panicked holding it (the panic reaches the caller).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
