//! A run's large loops split across idle threads, without changing a bit: each loop is cut
//! into parts that write disjoint outputs (a product's rows or columns, a range of weights,
//! a range of evaluation rows), and every output is computed by one part exactly as the
//! whole loop computes it. Who runs a part changes when it runs, never what it computes.
//!
//! The threads themselves are not started here: the engine's pool lends idle workers, which
//! call [`Team::help`] until the leader's slice ends or other work waits. A part is claimed
//! with one compare-and-swap on a word holding the job's generation and its unclaimed parts,
//! the leader's from the front and the helpers' from the back: a split costs a few atomic
//! operations on the leader and nothing when no helper is present, and with a part per
//! thread each keeps the same share of a layer (in its own cache) from one loop to the next.
//! Helpers spin between jobs (they were idle), which keeps the hand-off well under a
//! microsecond, against the ~45 µs of half an MNIST-sized batch product.
//!
//! A job can also run beside the leader's own work ([`beside_mut`]): its parts wait on a
//! second board, which helpers turn to only when the first holds no part for them, so they
//! fill the leader's serial stretches (an MNIST batch's small layers) with the next batch's
//! gather, and the leader runs what is left when its own work is done.
//!
//! `job` holds the shared state and both loops, `spin` how a waiting thread waits.

mod job;
mod spin;

use std::cell::Cell;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::Ordering::{Acquire, Relaxed};

pub use job::{Enlist, Team};
use job::{HELPED, MAX_PARTS};

use super::simd;

/// Below this many multiply-adds a loop runs whole on its own thread: a hand-off costs about
/// half a microsecond each way on 2-vCPU Zen 4 and Xeon machines (`digits-tui bench` prints
/// it beside product times at a few sizes), so a part must hold several microseconds of work
/// to gain. The 8×8
/// lab's batch products (64×80×64 = 330 k) stay below it: its runs are never split.
pub const MIN_WORK: usize = 1 << 20;

thread_local! {
    /// The team this thread leads, while it leads one and is not inside one of its parts.
    static LEAD: Cell<*const Arc<Team>> = const { Cell::new(std::ptr::null()) };
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
    let _restore = Restore::stepping_down();
    let on_path = on_leader_path(f);
    // SAFETY: as in `with_lead`.
    let team = unsafe { &*lead };
    for first in (0..parts).step_by(MAX_PARTS) {
        let run = |part, slot| on_path(first + part, slot);
        team.run(MAX_PARTS.min(parts - first), &run);
    }
}

/// `f` as a team's parts run it: helpers (slots above 0) on the leader's vector path, since a
/// thread's own may differ (as in `bench --simd all`): the bits would agree, the timings
/// would not.
fn on_leader_path<F: Fn(usize, usize) + Sync>(f: F) -> impl Fn(usize, usize) + Sync {
    let path = simd::active();
    move |part, slot| {
        if slot == 0 {
            f(part, slot);
        } else {
            simd::with_path(path, || f(part, slot)).unwrap_or_else(|_| f(part, slot));
        }
    }
}

/// Puts back the team this thread led when dropped: a part runs with none, so that a split
/// inside it runs on its own thread.
struct Restore(*const Arc<Team>);

impl Restore {
    fn stepping_down() -> Self {
        Self(LEAD.with(|l| l.replace(std::ptr::null())))
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        LEAD.with(|l| l.set(self.0));
    }
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
    let pieces = Pieces::new(data, unit, parts);
    // SAFETY: each part takes its own piece once, while `data` stays borrowed.
    split(pieces.count, |part, _| unsafe { pieces.run(part, &f) });
}

/// Runs `background(first, piece)` on `data`'s pieces (as [`split_mut`] cuts them) beside
/// `foreground`, and returns the latter's result once both are done: when this thread leads a
/// team and helpers are present or coming for a loop of `work` multiply-adds (as
/// [`participants`] counts), helpers with no part of `foreground`'s splits to run take the
/// pieces (in the leader's serial stretches) and the leader runs the ones left at the end;
/// otherwise the pieces run first, here. `foreground` must not touch `data`; which runs when
/// changes no result.
pub fn beside_mut<T: Send, B: Fn(usize, &mut [T]) + Sync, R>(
    (data, unit, parts): (&mut [T], usize, usize),
    work: usize,
    background: B,
    foreground: impl FnOnce() -> R,
) -> R {
    let pieces = Pieces::new(data, unit, parts);
    // SAFETY: each part takes its own piece once, while `data` stays borrowed.
    let piece = |part| unsafe { pieces.run(part, &background) };
    if participants(work) <= 1 {
        (0..pieces.count).for_each(piece);
        return foreground();
    }
    // As in `split`, no nested split on the leader (it runs the pieces no helper took).
    let on_path = on_leader_path(|part, _| {
        let _restore = Restore::stepping_down();
        piece(part);
    });
    with_lead(|team| team.beside(pieces.count, &on_path, foreground))
        .expect("participants() > 1 only while this thread leads a team")
}

/// A buffer cut into `count` pieces of whole units, for parts on several threads.
struct Pieces<T> {
    ptr: *mut T,
    len: usize,
    unit: usize,
    count: usize,
}

// SAFETY: the parts reach the buffer only through disjoint pieces (`run`).
unsafe impl<T: Send> Sync for Pieces<T> {}

impl<T> Pieces<T> {
    fn new(data: &mut [T], unit: usize, parts: usize) -> Self {
        let unit = unit.max(1);
        let units = data.len().div_ceil(unit);
        Self {
            ptr: data.as_mut_ptr(),
            len: data.len(),
            unit,
            count: parts.clamp(1, units.max(1)),
        }
    }

    /// `f(first unit, piece)` for piece `part`.
    ///
    /// # Safety
    /// The buffer is still borrowed mutably by the caller of `new`, and no other call runs
    /// the same piece meanwhile.
    unsafe fn run<F: Fn(usize, &mut [T])>(&self, part: usize, f: &F) {
        let Range { start, end } = part_of(self.len, self.unit, part, self.count);
        // SAFETY: `start..end` lies in the buffer, and the pieces' ranges do not overlap.
        let piece = unsafe { std::slice::from_raw_parts_mut(self.ptr.add(start), end - start) };
        f(start / self.unit, piece);
    }
}

/// Part `part` of `parts` of `0..len` cut in whole units of `unit` (the last may be short), as
/// even as the units allow: how a split loop cuts its output, whether a buffer or a product's
/// rows or columns.
pub(crate) fn part_of(len: usize, unit: usize, part: usize, parts: usize) -> Range<usize> {
    let units = len.div_ceil(unit);
    let from = (units * part / parts * unit).min(len);
    let to = (units * (part + 1) / parts * unit).min(len);
    from..to
}

/// Runs `body` leading a team whose helpers are plain threads, `helpers` of them, all present
/// and splitting every loop: the tests of split loops.
#[cfg(test)]
pub(crate) fn with_helpers<R>(helpers: usize, body: impl FnOnce() -> R) -> R {
    use std::sync::atomic::Ordering::SeqCst;
    let team = Team::new(helpers, 0, Box::new(|_, _| 0));
    std::thread::scope(|s| {
        team.open.store(true, SeqCst);
        for _ in 0..helpers {
            team.pending.fetch_add(1, SeqCst);
            s.spawn(|| team.help(&|| false));
        }
        while team.joined.load(SeqCst) < helpers {
            std::hint::spin_loop();
        }
        team.lead(body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::sync::Mutex;
    use std::sync::atomic::AtomicUsize;
    use std::sync::atomic::Ordering::SeqCst;

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

    /// The leader takes parts from the front and a helper from the back, so each thread's
    /// share of a job is one run of parts (the same share job after job when both are on time).
    #[test]
    fn the_leader_runs_a_prefix_of_the_parts_and_helpers_the_rest() {
        with_helpers(1, || {
            let leader = std::thread::current().id();
            for _ in 0..500 {
                let ran = Mutex::new([None; 8]);
                split(8, |part, _| {
                    std::hint::black_box((0..200).sum::<u64>());
                    ran.lock().unwrap()[part] = Some(std::thread::current().id() == leader);
                });
                let ran = ran.into_inner().unwrap().map(Option::unwrap);
                let ours = ran.iter().take_while(|&&mine| mine).count();
                assert!(ran[ours..].iter().all(|&mine| !mine), "{ran:?}");
            }
        });
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

    /// Pieces posted beside the foreground are taken by an idle helper while the foreground
    /// runs (it waits here until one is, up to a generous deadline), each exactly once.
    #[test]
    fn a_helper_takes_pieces_beside_the_foreground_each_once() {
        let leader = std::thread::current().id();
        let by_helper = AtomicUsize::new(0);
        let mut data = vec![0usize; 64];
        let answer = with_helpers(1, || {
            let work = |first: usize, piece: &mut [usize]| {
                if std::thread::current().id() != leader {
                    by_helper.fetch_add(1, SeqCst);
                }
                for (i, x) in piece.iter_mut().enumerate() {
                    *x += first * 8 + i + 1;
                }
            };
            beside_mut((&mut data, 8, 8), 1, work, || {
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
                while by_helper.load(SeqCst) == 0 && std::time::Instant::now() < deadline {
                    std::hint::spin_loop();
                }
                42
            })
        });
        assert_eq!(answer, 42);
        assert!(by_helper.load(SeqCst) > 0, "no helper took a piece");
        assert_eq!(data, (1..=64).collect::<Vec<_>>());
    }

    /// Without a team the pieces run first, on this thread; a panic in a piece or in the
    /// foreground reaches the caller only once every piece has run.
    #[test]
    fn pieces_beside_run_first_alone_and_panics_wait_for_all() {
        let mut data = vec![0u8; 4];
        let seen = beside_mut((&mut data, 1, 4), 1, |_, p| p[0] = 1, || 7);
        assert_eq!((seen, &data[..]), (7, &[1u8; 4][..]));
        for in_foreground in [false, true] {
            let ran = AtomicUsize::new(0);
            let caught = catch_unwind(AssertUnwindSafe(|| {
                with_helpers(1, || {
                    let work = |first: usize, _: &mut [u8]| {
                        if first == 2 && !in_foreground {
                            panic!("piece 2");
                        }
                        ran.fetch_add(1, SeqCst);
                    };
                    beside_mut((&mut data, 1, 4), 1, work, || {
                        assert!(!in_foreground, "the foreground");
                    });
                })
            }));
            assert!(caught.is_err(), "in foreground: {in_foreground}");
            let want = if in_foreground { 4 } else { 3 };
            assert_eq!(ran.load(SeqCst), want, "in foreground: {in_foreground}");
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
