//! The per-epoch evaluation's forward passes, which dominate an MNIST epoch's end (70 000
//! rows): every row is independent, so chunks of rows go to the team's helpers when the
//! run leads one ([`team`]), each with its own buffers; a row's bits do not depend on which
//! thread or chunk computed it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

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

    /// The calling thread's buffers, for passes that read activations chunk by chunk.
    pub(super) fn own(&mut self) -> &mut Workspace {
        self.workspaces[0]
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Forward passes of `net` over the rows of `x` (`labels.len()` rows) in chunks of
    /// [`EVAL_ROWS`]: `each(probs, labels, out)` gets each chunk's output probabilities, its
    /// labels and its `per_row` outputs per row in `out`; the sum of what it returns is returned.
    pub(super) fn chunks<O: Send>(
        &mut self,
        net: &Network,
        x: &[f64],
        labels: &[u8],
        (out, per_row): (&mut [O], usize),
        each: impl Fn(&[f64], &[u8], &mut [O]) -> usize + Sync,
    ) -> usize {
        let width = self.sizes[0];
        let rows = labels.len();
        let fmas: usize = self.sizes.windows(2).map(|p| p[0] * p[1]).sum();
        if team::participants(rows * fmas) <= 1 {
            let ws = self.own();
            let chunks = (x.chunks(EVAL_ROWS * width).zip(labels.chunks(EVAL_ROWS)))
                .zip(out.chunks_mut(EVAL_ROWS * per_row));
            return chunks
                .map(|((x, labels), out)| each(net.forward(x, labels.len(), ws), labels, out))
                .sum();
        }
        while self.workspaces.len() < team::slots() {
            let ws = Workspace::new(&self.sizes, EVAL_ROWS);
            self.workspaces.push(Mutex::new(ws));
        }
        // Each lock is taken by one part (outputs) or one thread at a time (buffers): never
        // contended, only there to hand out disjoint `&mut` safely.
        let outs: Vec<Mutex<&mut [O]>> = out
            .chunks_mut(EVAL_ROWS * per_row)
            .map(Mutex::new)
            .collect();
        let total = AtomicUsize::new(0);
        let workspaces = &self.workspaces;
        team::split(rows.div_ceil(EVAL_ROWS), |chunk, slot| {
            let rows = chunk * EVAL_ROWS..rows.min((chunk + 1) * EVAL_ROWS);
            let mut ws = workspaces[slot]
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let x = &x[rows.start * width..rows.end * width];
            let probs = net.forward(x, rows.len(), &mut ws);
            let mut out = outs[chunk].lock().unwrap_or_else(PoisonError::into_inner);
            total.fetch_add(each(probs, &labels[rows], &mut out), Ordering::Relaxed);
        });
        total.into_inner()
    }
}
