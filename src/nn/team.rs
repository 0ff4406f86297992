//! A run's large loops split across idle threads, without changing a bit: each loop is cut
//! into parts that write disjoint outputs (a product's rows or columns, a range of weights,
//! a range of evaluation rows), and every output is computed by one part exactly as the
//! whole loop computes it. Who runs a part changes when it runs, never what it computes.
//!
//! The threads themselves are not started here: the engine's pool lends idle workers, which
//! call [`Team::help`] until the leader's slice ends or other work waits. A part is claimed
//! with one compare-and-swap on a word holding the job's generation and its next part, so a
//! split costs a few atomic operations on the leader and nothing when no helper is present;
//! helpers spin between jobs (they were idle), which keeps the hand-off well under a
//! microsecond, against the ~70 µs of one MNIST-sized batch product.

use std::cell::Cell;
use std::hint::spin_loop;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, fence};
use std::time::{Duration, Instant};

use super::simd;

/// Below this many multiply-adds a loop runs whole on its own thread: a hand-off costs about
/// half a microsecond each way on 2-vCPU Zen 4 and Xeon machines (`digits-tui bench` prints
/// it beside product times at a few sizes), so a part must hold several microseconds of work
/// to gain. The 8×8
/// lab's batch products (64×80×64 = 330 k) stay below it: its runs are never split.
pub const MIN_WORK: usize = 1 << 20;

/// The part index of a job that no claim can take: the state a finished job is retired to
/// before the next job's fields are written.
const RETIRED: u64 = u32::MAX as u64;

/// Asks the engine for up to `wanted` more helpers for `team`; returns how many it sent.
pub type Enlist = Box<dyn Fn(&Arc<Team>, usize) -> usize + Send + Sync>;

/// Parts helpers ran, in this process: how tests tell a split run from one that ran alone.
static HELPED: AtomicU64 = AtomicU64::new(0);

/// A leader thread and the helpers lent to it; kept by one pool worker for its lifetime and
/// led by whichever run that worker trains.
pub struct Team {
    /// The job's generation (high 32 bits) and its next unclaimed part (low 32 bits).
    state: AtomicU64,
    parts: AtomicUsize,
    data: AtomicPtr<()>,
    call: AtomicPtr<()>,
    done: AtomicUsize,
    poisoned: AtomicBool,
    open: AtomicBool,
    joined: AtomicUsize,
    pending: AtomicUsize,
    /// Bit `i` set: helper slot `i` is taken (slot 0 is the leader's).
    slots: AtomicU64,
    capacity: usize,
    min_work: usize,
    enlist: Enlist,
}

thread_local! {
    /// The team this thread leads, while it leads one and is not inside one of its parts.
    static LEAD: Cell<*const Arc<Team>> = const { Cell::new(std::ptr::null()) };
}

impl Team {
    /// A team of up to `capacity` helpers (at most 63), recruited through `enlist` for loops
    /// of at least `min_work` multiply-adds ([`MIN_WORK`] but in tests and `bench`).
    pub fn new(capacity: usize, min_work: usize, enlist: Enlist) -> Arc<Self> {
        Arc::new(Self {
            state: AtomicU64::new(RETIRED),
            parts: AtomicUsize::new(0),
            data: AtomicPtr::new(std::ptr::null_mut()),
            call: AtomicPtr::new(std::ptr::null_mut()),
            done: AtomicUsize::new(0),
            poisoned: AtomicBool::new(false),
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
            if self.try_part(slot) {
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
    fn recruit(self: &Arc<Self>, work: usize) -> usize {
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

    /// Claims and runs one part of the current job, if one is left; false otherwise.
    fn try_part(&self, slot: usize) -> bool {
        let state = self.state.load(Acquire);
        let part = state & RETIRED;
        let (parts, data, call) = (
            self.parts.load(Relaxed),
            self.data.load(Relaxed),
            self.call.load(Relaxed),
        );
        if part == RETIRED || part as usize >= parts {
            return false;
        }
        // The fields were read between two reads of `state` (this fence, then the exchange):
        // the exchange succeeding means they are this generation's (a seqlock's check).
        fence(Acquire);
        if (self.state)
            .compare_exchange(state, state + 1, AcqRel, Relaxed)
            .is_err()
        {
            return false;
        }
        // SAFETY: `call` is the trampoline stored with `data` by `run` for this generation,
        // whose closure lives until every claimed part has counted itself done.
        let call = unsafe { std::mem::transmute::<*mut (), Trampoline>(call) };
        // SAFETY: as above.
        let result = catch_unwind(AssertUnwindSafe(|| unsafe {
            call(data, part as usize, slot)
        }));
        if result.is_err() {
            self.poisoned.store(true, Release);
        }
        HELPED.fetch_add(1, Relaxed);
        self.done.fetch_add(1, Release);
        true
    }

    /// Posts `f` as a job of `parts` parts, takes parts itself until none is left, and waits
    /// for the helpers' parts to finish.
    fn run<F: Fn(usize, usize) + Sync>(&self, parts: usize, f: &F) {
        let generation = self.state.load(Relaxed) >> 32;
        // Retire the last job first, so that no late claim of it can pass against the fields
        // written next (the writer's half of the seqlock).
        self.state.store(generation << 32 | RETIRED, Relaxed);
        fence(Release);
        self.parts.store(parts, Relaxed);
        self.data.store((f as *const F).cast_mut().cast(), Relaxed);
        self.call
            .store(trampoline::<F> as Trampoline as *mut (), Relaxed);
        self.done.store(0, Relaxed);
        self.poisoned.store(false, Relaxed);
        let next = (generation + 1) & RETIRED;
        self.state.store(next << 32, Release);
        let mut own = None;
        loop {
            let state = self.state.load(Acquire);
            let part = (state & RETIRED) as usize;
            if part >= parts {
                break;
            }
            if (self.state)
                .compare_exchange(state, state + 1, AcqRel, Relaxed)
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

/// How long a waiting thread of a team spins before it gives its processor up at each check.
/// Longer than the serial stretches of an MNIST batch (tens of µs between two of its splits):
/// a helper that yields there loses its core to any other runnable process for a scheduler
/// slice and misses the splits that follow (it did after 1024 pauses, which last only 9–13 ns
/// each on the 2-vCPU Xeon `bench` ran on: most of a batch's parts went back to the leader).
const SPIN: Duration = Duration::from_micros(200);

/// A waiting thread's back-off: pause instructions for [`SPIN`] (a hand-off then takes well
/// under a microsecond), then the processor given up at each check, so that on an
/// oversubscribed machine a spinning thread does not keep the one it waits for off its core.
struct Spin {
    waits: u32,
    since: Option<Instant>,
}

impl Spin {
    fn new() -> Self {
        Self {
            waits: 0,
            since: None,
        }
    }

    /// One wait; true if it gave the processor up.
    fn wait(&mut self) -> bool {
        self.waits = self.waits.saturating_add(1);
        // The clock is read only once a wait outlasts a few hundred pauses.
        if self.waits < 256 || self.since.get_or_insert_with(Instant::now).elapsed() < SPIN {
            spin_loop();
            return false;
        }
        std::thread::yield_now();
        true
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

/// The team this thread leads now, if any.
fn with_lead<R>(f: impl FnOnce(&Arc<Team>) -> R) -> Option<R> {
    let lead = LEAD.with(Cell::get);
    // SAFETY: `lead` is set only for the extent of `Team::lead`, which holds the `Arc`.
    (!lead.is_null()).then(|| f(unsafe { &*lead }))
}

/// How many threads may share a loop of `work` multiply-adds (or as costly) started now: the
/// caller alone without a team, below its minimum ([`MIN_WORK`]) or inside a part; otherwise the caller and
/// the helpers present or on their way (idle workers are asked first).
pub fn participants(work: usize) -> usize {
    with_lead(|team| team.recruit(work) + 1).unwrap_or(1)
}

/// Helpers now in the team this thread leads (0 without one): `bench` waits for them before
/// timing a hand-off.
pub fn helpers() -> usize {
    with_lead(|team| team.joined.load(Acquire)).unwrap_or(0)
}

/// Parts run by helpers so far in this process, for tests that must see a split happen.
pub fn parts_helped() -> u64 {
    HELPED.load(Relaxed)
}

/// The most threads that can run parts of one job at once, so the slots `f` receives in
/// [`split`] are below it: for per-thread scratch buffers.
pub fn slots() -> usize {
    with_lead(|team| team.capacity + 1).unwrap_or(1)
}

/// Runs `f(part, slot)` for every part in `0..parts`, with parts on the helpers present when
/// this thread leads a team, and returns when all are done. `slot` is below [`slots`], and no
/// two parts run at once with the same slot. Parts must write disjoint data; a split inside a
/// part runs on its own thread.
pub fn split<F: Fn(usize, usize) + Sync>(parts: usize, f: F) {
    let lead = LEAD.with(Cell::get);
    if parts <= 1 || lead.is_null() {
        (0..parts).for_each(|p| f(p, 0));
        return;
    }
    struct Restore(*const Arc<Team>);
    impl Drop for Restore {
        fn drop(&mut self) {
            LEAD.with(|l| l.set(self.0));
        }
    }
    let _restore = Restore(LEAD.with(|l| l.replace(std::ptr::null())));
    // Helpers run their parts on the leader's vector path (a thread's own may differ, as in
    // `bench --simd all`): the bits would agree, the timings would not.
    let path = simd::active();
    let on_path = |part, slot| {
        if slot == 0 {
            f(part, slot);
        } else {
            simd::with_path(path, || f(part, slot)).unwrap_or_else(|_| f(part, slot));
        }
    };
    // SAFETY: as in `with_lead`.
    unsafe { &*lead }.run(parts, &on_path);
}

/// Runs `f(first, piece)` on `data` cut into up to `parts` pieces of whole `unit`-element
/// units (the last unit may be short; `first` is the piece's first unit), the pieces shared as
/// in [`split`]: a loop over disjoint ranges of one buffer, split without unsafe code at the
/// caller.
pub fn split_mut<T: Send, F: Fn(usize, &mut [T]) + Sync>(
    data: &mut [T],
    unit: usize,
    parts: usize,
    f: F,
) {
    let units = data.len().div_ceil(unit.max(1));
    let parts = parts.clamp(1, units.max(1));
    struct Base<T>(*mut T, usize);
    // SAFETY: the parts reach `data` only through disjoint ranges (below).
    unsafe impl<T: Send> Sync for Base<T> {}
    impl<T> Base<T> {
        // A method, so that closures capture the whole wrapper (not its non-`Sync` field).
        fn get(&self) -> (*mut T, usize) {
            (self.0, self.1)
        }
    }
    let base = Base(data.as_mut_ptr(), data.len());
    split(parts, |part, _| {
        let (ptr, len) = base.get();
        let (from, to) = (units * part / parts, units * (part + 1) / parts);
        let (start, end) = ((from * unit).min(len), (to * unit).min(len));
        // SAFETY: `start..end` lies in `data`, which stays borrowed mutably until every part
        // has finished, and the parts' ranges do not overlap.
        let piece = unsafe { std::slice::from_raw_parts_mut(ptr.add(start), end - start) };
        f(from, piece);
    });
}

/// Runs `body` leading a team whose helpers are plain threads, `helpers` of them, all present
/// and splitting every loop: the tests of split loops.
#[cfg(test)]
pub(crate) fn with_helpers<R>(helpers: usize, body: impl FnOnce() -> R) -> R {
    let team = Team::new(helpers, 0, Box::new(|_, _| 0));
    std::thread::scope(|s| {
        team.open.store(true, SeqCst);
        for _ in 0..helpers {
            team.pending.fetch_add(1, SeqCst);
            s.spawn(|| team.help(&|| false));
        }
        while team.joined.load(SeqCst) < helpers {
            spin_loop();
        }
        team.lead(body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn every_part_runs_once_with_distinct_slots_at_a_time() {
        let seen = with_helpers(2, || {
            let seen = Mutex::new(Vec::new());
            // Read on the leader: inside a part this thread leads nothing, so `slots` is 1.
            let max = slots();
            assert_eq!(max, 3, "the leader and two helpers");
            for round in 0..200 {
                split(7, |part, slot| {
                    assert!(slot < max);
                    seen.lock().unwrap().push((round, part));
                });
            }
            seen.into_inner().unwrap()
        });
        let mut seen = seen;
        seen.sort_unstable();
        let want: Vec<_> = (0..200).flat_map(|r| (0..7).map(move |p| (r, p))).collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn a_split_inside_a_part_runs_on_its_own_thread() {
        with_helpers(1, || {
            split(2, |_, _| {
                assert_eq!(participants(usize::MAX), 1);
                let me = std::thread::current().id();
                split(3, |_, _| assert_eq!(std::thread::current().id(), me));
            });
        });
    }

    #[test]
    fn a_panicking_part_reaches_the_leader_after_all_parts_finished() {
        let finished = AtomicUsize::new(0);
        let caught = catch_unwind(AssertUnwindSafe(|| {
            with_helpers(1, || {
                split(8, |part, _| {
                    if part == 3 {
                        panic!("part 3");
                    }
                    finished.fetch_add(1, SeqCst);
                });
            })
        }));
        assert!(caught.is_err());
        assert_eq!(finished.load(SeqCst), 7);
    }

    /// A helper that comes and leaves before its team's `enlist` returns (a fast wake-up)
    /// is no longer counted as on its way: the team recruits again when it is gone.
    #[test]
    fn a_helper_gone_before_enlist_returns_is_recruited_again() {
        let enlisted = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&enlisted);
        let team = Team::new(
            1,
            0,
            Box::new(move |team, wanted| {
                assert_eq!(wanted, 1);
                count.fetch_add(1, SeqCst);
                let team = Arc::clone(team);
                // Leaves after its first idle round: the leader posts nothing meanwhile.
                std::thread::spawn(move || team.help(&|| true))
                    .join()
                    .unwrap();
                1
            }),
        );
        team.lead(|| {
            for _ in 0..3 {
                assert_eq!(participants(usize::MAX), 2);
                assert_eq!(helpers(), 0);
            }
        });
        assert_eq!(enlisted.load(SeqCst), 3);
    }

    /// A waiting thread keeps its processor for [`SPIN`] at least (across a batch's serial
    /// stretches), and gives it up after that.
    #[test]
    fn a_waiting_thread_spins_for_its_whole_budget_then_yields() {
        let started = Instant::now();
        let mut spin = Spin::new();
        let mut waits = 0u64;
        while !spin.wait() {
            waits += 1;
        }
        assert!(started.elapsed() >= SPIN, "yielded after {waits} waits");
        assert!(spin.wait(), "keeps yielding once past its budget");
    }

    #[test]
    fn split_mut_hands_out_each_unit_once() {
        for (len, unit, parts) in [(10, 3, 2), (10, 3, 9), (12, 4, 3), (0, 4, 2), (5, 8, 2)] {
            let mut data = vec![0usize; len];
            with_helpers(1, || {
                split_mut(&mut data, unit, parts, |first, piece| {
                    assert!(piece.len() <= len && first * unit <= len);
                    for (i, x) in piece.iter_mut().enumerate() {
                        *x += first * unit + i + 1;
                    }
                });
            });
            assert_eq!(
                data,
                (1..=len).collect::<Vec<_>>(),
                "{len} by {unit} in {parts}"
            );
        }
    }

    #[test]
    fn without_a_team_everything_runs_here() {
        assert_eq!((participants(usize::MAX), slots()), (1, 1));
        let count = AtomicUsize::new(0);
        split(5, |_, slot| {
            assert_eq!(slot, 0);
            count.fetch_add(1, SeqCst);
        });
        assert_eq!(count.load(SeqCst), 5);
    }
}
