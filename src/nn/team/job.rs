//! A team's shared state and its two loops: the leader posting a job and taking its parts
//! from the front, each helper taking parts from the back until the leader's slice ends.
//! A team has two boards a job is posted on: one for the loops the leader splits and waits
//! for, one for a job that runs beside the leader's own work ([`Team::beside`]), which
//! helpers take only when the first has no part for them.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, fence};

use super::LEAD;
use super::spin::Spin;

/// Parts one job holds at most: the state word keeps its unclaimed parts as two 16-bit ends.
pub(super) const MAX_PARTS: usize = u16::MAX as usize;

/// The unclaimed parts `front..back` of a job's state word (a retired job's ends are equal).
fn ends(state: u64) -> (usize, usize) {
    (((state >> 16) & 0xFFFF) as usize, (state & 0xFFFF) as usize)
}

/// Asks the engine for up to `wanted` more helpers for `team`; returns how many it sent.
pub type Enlist = Box<dyn Fn(&Arc<Team>, usize) -> usize + Send + Sync>;

/// Parts helpers ran, in this process: how tests tell a split run from one that ran alone.
pub(super) static HELPED: AtomicU64 = AtomicU64::new(0);

/// A leader thread and the helpers lent to it; kept by one pool worker for its lifetime and
/// led by whichever run that worker trains.
pub struct Team {
    /// The split loops' jobs.
    split: Board,
    /// The job beside the leader's work, if one is posted.
    beside: Board,
    pub(super) open: AtomicBool,
    pub(super) joined: AtomicUsize,
    pub(super) pending: AtomicUsize,
    /// Bit `i` set: helper slot `i` is taken (slot 0 is the leader's).
    slots: AtomicU64,
    pub(super) capacity: usize,
    min_work: usize,
    enlist: Enlist,
}

impl Team {
    /// A team of up to `capacity` helpers (at most 63), recruited through `enlist` for loops
    /// of at least `min_work` multiply-adds ([`MIN_WORK`](super::MIN_WORK) but in tests and `bench`).
    pub fn new(capacity: usize, min_work: usize, enlist: Enlist) -> Arc<Self> {
        Arc::new(Self {
            split: Board::new(),
            beside: Board::new(),
            open: AtomicBool::new(false),
            joined: AtomicUsize::new(0),
            pending: AtomicUsize::new(0),
            slots: AtomicU64::new(1),
            capacity: capacity.min(63),
            min_work,
            enlist,
        })
    }

    /// Runs `body` on this thread as the team's leader: the splits inside it may use helpers.
    /// Helpers leave when it returns.
    pub fn lead<R>(self: &Arc<Self>, body: impl FnOnce() -> R) -> R {
        struct Restore<'a>(&'a Team, *const Arc<Team>);
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                LEAD.with(|l| l.set(self.1));
                self.0.open.store(false, Release);
            }
        }
        self.open.store(true, Release);
        let _restore = Restore(self, LEAD.with(|l| l.replace(self)));
        body()
    }

    /// A helper's loop, run by a lent worker: takes parts of the leader's jobs until the
    /// leader's slice ends or `leave` says other work waits for this thread.
    pub fn help(&self, leave: &dyn Fn() -> bool) {
        let _ = (self.pending).fetch_update(SeqCst, SeqCst, |p| p.checked_sub(1));
        let Some(slot) = self.take_slot() else {
            return;
        };
        self.joined.fetch_add(1, SeqCst);
        let (mut idle, mut spin) = (0u32, Spin::new());
        while self.open.load(Acquire) {
            if self.split.try_part(slot) || self.beside.try_part(slot) {
                (idle, spin) = (0, Spin::new());
                continue;
            }
            idle = idle.wrapping_add(1);
            if idle.is_multiple_of(64) && leave() {
                break;
            }
            spin.wait();
        }
        self.joined.fetch_sub(1, SeqCst);
        self.slots.fetch_and(!(1 << slot), SeqCst);
    }

    /// Helpers present or on their way, after asking for more: none for a loop of `work`
    /// below the team's minimum.
    pub(super) fn recruit(self: &Arc<Self>, work: usize) -> usize {
        if work < self.min_work {
            return 0;
        }
        let coming = self.joined.load(Relaxed) + self.pending.load(Relaxed);
        if coming < self.capacity {
            // Counted before they are sent: a helper may start, and count itself in, before
            // `enlist` returns, and a count added after that would never be taken back (the
            // team would wait for a helper that already came and went, and recruit no more).
            let wanted = self.capacity - coming;
            self.pending.fetch_add(wanted, SeqCst);
            let sent = (self.enlist)(self, wanted);
            self.pending.fetch_sub(wanted - sent, SeqCst);
            return coming + sent;
        }
        coming
    }

    fn take_slot(&self) -> Option<usize> {
        let mut taken = self.slots.load(SeqCst);
        loop {
            let slot = (!taken).trailing_zeros() as usize;
            if slot > self.capacity {
                return None;
            }
            match (self.slots).compare_exchange(taken, taken | 1 << slot, SeqCst, SeqCst) {
                Ok(_) => return Some(slot),
                Err(now) => taken = now,
            }
        }
    }

    /// Posts `f` as a job of `parts` parts, takes parts itself until none is left, and waits
    /// for the helpers' parts to finish.
    pub(super) fn run<F: Fn(usize, usize) + Sync>(&self, parts: usize, f: &F) {
        self.split.post(parts, f);
        self.split.finish(parts, f);
    }

    /// Posts `background` as a job of `parts` parts on the second board, runs `foreground`
    /// here (its splits use the first board as usual), then takes the background's parts no
    /// helper took and waits for the others. A panic in either reaches the caller once both
    /// are over (the background's first).
    pub(super) fn beside<B: Fn(usize, usize) + Sync, R>(
        &self,
        parts: usize,
        background: &B,
        foreground: impl FnOnce() -> R,
    ) -> R {
        self.beside.post(parts, background);
        let result = catch_unwind(AssertUnwindSafe(foreground));
        self.beside.finish(parts, background);
        result.unwrap_or_else(|payload| resume_unwind(payload))
    }
}

/// Where one job at a time is posted, claimed and counted done.
struct Board {
    /// The job's generation (high 32 bits) and its unclaimed parts `front..back` (16 bits
    /// each): the leader claims from the front, helpers from the back, so with one part per
    /// thread each thread keeps the same share of a layer from job to job (its data stays in
    /// that core's cache) unless one is late and the other takes its part.
    state: AtomicU64,
    data: AtomicPtr<()>,
    call: AtomicPtr<()>,
    done: AtomicUsize,
    poisoned: AtomicBool,
}

impl Board {
    fn new() -> Self {
        Self {
            state: AtomicU64::new(0),
            data: AtomicPtr::new(std::ptr::null_mut()),
            call: AtomicPtr::new(std::ptr::null_mut()),
            done: AtomicUsize::new(0),
            poisoned: AtomicBool::new(false),
        }
    }

    /// Claims and runs one part of the current job from its back, if one is left; false
    /// otherwise.
    fn try_part(&self, slot: usize) -> bool {
        let state = self.state.load(Acquire);
        let (front, back) = ends(state);
        let (data, call) = (self.data.load(Relaxed), self.call.load(Relaxed));
        if front >= back {
            return false;
        }
        // The fields were read between two reads of `state` (this fence, then the exchange):
        // the exchange succeeding means they are this generation's (a seqlock's check).
        fence(Acquire);
        if (self.state)
            .compare_exchange(state, state - 1, AcqRel, Relaxed)
            .is_err()
        {
            return false;
        }
        let part = back - 1;
        // SAFETY: `call` is the trampoline stored with `data` by `post` for this generation,
        // whose closure lives until every claimed part has counted itself done.
        let call = unsafe { std::mem::transmute::<*mut (), Trampoline>(call) };
        // SAFETY: as above.
        let result = catch_unwind(AssertUnwindSafe(|| unsafe { call(data, part, slot) }));
        if result.is_err() {
            self.poisoned.store(true, Release);
        }
        HELPED.fetch_add(1, Relaxed);
        self.done.fetch_add(1, Release);
        true
    }

    /// Posts `f` as a job of `parts` parts for helpers to claim.
    fn post<F: Fn(usize, usize) + Sync>(&self, parts: usize, f: &F) {
        debug_assert!(parts <= MAX_PARTS);
        let generation = self.state.load(Relaxed) >> 32;
        // Retire the last job first, so that no late claim of it can pass against the fields
        // written next (the writer's half of the seqlock).
        self.state.store(generation << 32, Relaxed);
        fence(Release);
        self.data.store((f as *const F).cast_mut().cast(), Relaxed);
        self.call
            .store(trampoline::<F> as Trampoline as *mut (), Relaxed);
        self.done.store(0, Relaxed);
        self.poisoned.store(false, Relaxed);
        let next = (generation + 1) & u64::from(u32::MAX);
        self.state.store(next << 32 | parts as u64, Release);
    }

    /// The leader's end of the job `post` posted: takes parts from the front until none is
    /// left, waits for the helpers' parts, and passes on a panic of any part.
    fn finish<F: Fn(usize, usize) + Sync>(&self, parts: usize, f: &F) {
        let mut own = None;
        loop {
            let state = self.state.load(Acquire);
            let (part, back) = ends(state);
            if part >= back {
                break;
            }
            if (self.state)
                .compare_exchange(state, state + (1 << 16), AcqRel, Relaxed)
                .is_ok()
            {
                if let Err(payload) = catch_unwind(AssertUnwindSafe(|| f(part, 0))) {
                    own.get_or_insert(payload);
                }
                self.done.fetch_add(1, Release);
            }
        }
        let mut spin = Spin::new();
        while self.done.load(Acquire) < parts {
            spin.wait();
        }

        if let Some(payload) = own {
            resume_unwind(payload);
        }
        assert!(
            !self.poisoned.load(Acquire),
            "a helper panicked in its part of a split loop"
        );
    }
}

/// A job's closure as the helpers call it: type-erased, with the part and the caller's slot.
type Trampoline = unsafe fn(*const (), usize, usize);

/// # Safety
/// `data` points to a live `F`.
unsafe fn trampoline<F: Fn(usize, usize) + Sync>(data: *const (), part: usize, slot: usize) {
    // SAFETY: as this function's contract.
    unsafe { (*data.cast::<F>())(part, slot) }
}
