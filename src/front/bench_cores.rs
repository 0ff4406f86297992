//! `bench`'s figures for one run on every core: its epochs trained slice by slice on a pool as a
//! session trains them (idle workers help its large loops), and what handing a loop's parts to
//! a helper costs against the products it splits, which is where `team::MIN_WORK` comes from.

use std::io::{self, Write};
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use crate::engine::{Pool, pool};
use crate::nn::gemm::{Lhs, product};
use crate::nn::team;
use crate::train::{Progress, Trainer};

/// Trains `epochs` epochs of `run` on `pool`, slice by slice as a session does; returns the run
/// and the wall time per epoch in milliseconds.
pub(super) fn epochs_on_pool(pool: &Pool, run: Trainer, epochs: u32) -> io::Result<(Trainer, f64)> {
    let (tx, rx) = crossbeam_channel::bounded(1);
    pool.spawner().live(move || {
        let mut run = run;
        let started = Instant::now();
        let mut done = 0;
        let result = loop {
            match pool::train_slice(&mut run) {
                Ok(Progress::Epoch(_)) => {
                    done += 1;
                    if done >= epochs {
                        break Ok(());
                    }
                }
                Ok(Progress::Batches { .. }) => {}
                Err(message) => break Err(message),
            }
        };
        let ms = started.elapsed().as_secs_f64() * 1e3 / f64::from(epochs.max(1));
        let _ = tx.send(result.map(|()| (run, ms)));
    });
    match rx.recv() {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(message)) => Err(io::Error::other(format!("training failed: {message}"))),
        Err(_) => Err(io::Error::other("the pool stopped")),
    }
}

/// How long a part of the hand-off timing waits for the other part to start.
const HANDOFF_WAIT: Duration = Duration::from_micros(20);

/// The products of a 784-80-70-10 batch of 64 rows (and the 8×8 lab's largest): rows, columns,
/// depth.
const SHAPES: [(usize, usize, usize); 4] =
    [(64, 80, 64), (64, 70, 80), (64, 80, 784), (80, 784, 64)];

/// Prints the hand-off cost of a split (an empty two-part job with a helper waiting) and the
/// batch products' times on one thread and split across `cores`.
pub(super) fn report_split(cores: usize, out: &mut dyn Write) -> io::Result<()> {
    if cores < 2 {
        return Ok(());
    }
    let operands: Vec<_> = SHAPES
        .iter()
        .map(|&(rows, cols, depth)| {
            (
                noise(rows * depth),
                noise(depth * cols),
                vec![0.0; rows * cols],
            )
        })
        .collect();
    let one: Vec<f64> = (SHAPES.iter().zip(operands.clone()))
        .map(|(&shape, (p, q, mut c))| time_product(shape, &p, &q, &mut c))
        .collect();
    let pool = Pool::with_min_work(cores, 0);
    let led = pool.led(move || {
        // Ask for every helper and wait (a second at most) for them to arrive, asking again
        // while waiting: the pool's other workers may not be idle yet when it has just
        // started, and a request then sends nobody.
        let waiting = Instant::now();
        loop {
            team::participants(usize::MAX);
            if team::helpers() + 1 >= cores || waiting.elapsed() >= Duration::from_secs(1) {
                break;
            }
            std::thread::yield_now();
        }
        let before = team::parts_helped();
        // Each part waits (20 µs at most) for the other to start: the leader claims parts from
        // the front and would otherwise run both empty parts before a helper reached one.
        let started = AtomicUsize::new(0);
        let handoff = median_us(|| {
            for _ in 0..1000 {
                let both = started.load(Relaxed) + 2;
                team::split(2, |_, _| {
                    started.fetch_add(1, Relaxed);
                    let since = Instant::now();
                    while started.load(Relaxed) < both && since.elapsed() < HANDOFF_WAIT {
                        std::hint::spin_loop();
                    }
                });
            }
        }) / 1000.0;
        // Of the 7 × 2000 parts: how many the helpers took (none would mean they never came).
        let helped = (team::parts_helped() - before) as f64 / 14_000.0;
        let split: Vec<f64> = (SHAPES.iter().zip(operands))
            .map(|(&shape, (p, q, mut c))| time_product(shape, &p, &q, &mut c))
            .collect();
        (team::helpers(), handoff, helped, split)
    });
    let Some((helpers, handoff, helped, split)) = led else {
        return Err(io::Error::other("the split timing failed"));
    };
    write!(
        out,
        "split loops: {}; batch products (rows×cols×depth) µs on 1 / {cores} threads:",
        handoff_phrase(handoff, helpers, helped)
    )?;
    for ((rows, cols, depth), (one, split)) in SHAPES.iter().zip(one.iter().zip(&split)) {
        write!(out, " {rows}×{cols}×{depth} {one:.1} / {split:.1};")?;
    }
    writeln!(out, " split from {} k multiply-adds", team::MIN_WORK >> 10)
}

/// What the hand-off timing means: the leader's cost of a job a helper must take part in
/// (posting it, the helper's claim, waiting for it to finish), and how much of it the helpers
/// took; with none taken, the figure is of jobs the leader ran alone (each part waiting out
/// its bound), and the line says so rather than print it as a hand-off.
fn handoff_phrase(handoff: f64, helpers: usize, helped: f64) -> String {
    if helpers == 0 || helped == 0.0 {
        return format!(
            "no helper took a part of the 2-part jobs (the leader ran them alone, \
             {handoff:.2} µs each: no hand-off was timed)"
        );
    }
    format!(
        "a hand-off costs its leader {handoff:.2} µs (a 2-part job whose parts only wait \
         for each other to start; the {helpers} waiting helper{} took {:.0}% of its parts)",
        if helpers == 1 { "" } else { "s" },
        helped * 100.0
    )
}

/// Median over rounds of one product's time in µs, here (split when this thread leads a team).
fn time_product(
    (rows, cols, depth): (usize, usize, usize),
    p: &[f64],
    q: &[f64],
    c: &mut [f64],
) -> f64 {
    let lhs = Lhs {
        data: p,
        row_stride: depth,
        depth_stride: 1,
    };
    let reps = (20_000_000 / (rows * cols * depth)).max(1);
    median_us(|| {
        for _ in 0..reps {
            product(rows, cols, depth, lhs, q, cols, c, cols);
        }
    }) / reps as f64
}

/// The median of seven timings of `f`, in µs.
fn median_us(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..7)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Deterministic values in ±0.5.
fn noise(n: usize) -> Vec<f64> {
    let mut s = 1u64;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_off_no_helper_took_is_not_printed_as_a_fast_one() {
        let none = handoff_phrase(0.02, 1, 0.0);
        assert!(none.starts_with("no helper took a part"), "{none}");
        assert!(!none.contains("costs its leader"), "{none}");
        let some = handoff_phrase(0.63, 1, 0.47);
        assert_eq!(
            some,
            "a hand-off costs its leader 0.63 µs (a 2-part job whose parts only wait for each \
             other to start; the 1 waiting helper took 47% of its parts)"
        );
    }
}
