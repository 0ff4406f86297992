//! One run trained by one worker or by a worker and its idle helpers gives the same bytes: every
//! epoch's report (as JSON), its test predictions and the final weights. On the MNIST-shaped
//! fixture (784-80-70-10, whose batch products are above the split threshold) and on the 8×8
//! lab with splits forced on its small products; each checks that helpers did run parts. Runs
//! that watch layer health compare its figures too: its test-set counts are then gathered on
//! every thread that evaluates chunks.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use digits_tui::data::{self, Dataset};
use digits_tui::engine::{Pool, pool};
use digits_tui::nn::team;
use digits_tui::train::{Contender, EpochReport, Progress, Settings, Snapshot, Trainer};

/// `bench/make_idx.py --train 300 --test 100 --seed 1 --gzip`: 28×28 images.
fn mnist_shaped() -> Arc<Dataset> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/idx-small");
    Arc::new(data::load(Some(&dir), None).expect("the fixture loads"))
}

/// One epoch of `run` on `pool`, slice by slice as a session trains it, each slice at least
/// one batch and at most `budget` long.
fn epoch_on(pool: &Pool, run: Trainer, budget: Duration) -> (Trainer, EpochReport) {
    let (tx, rx) = crossbeam_channel::bounded(1);
    pool.spawner().live(move || {
        let mut run = run;
        loop {
            match pool::train_slice_for(&mut run, budget) {
                Ok(Progress::Epoch(report)) => {
                    let _ = tx.send((run, report));
                    return;
                }
                Ok(Progress::Batches { .. }) => {}
                Err(message) => panic!("training failed: {message}"),
            }
        }
    });
    rx.recv().expect("the epoch ends")
}

fn weight_bits(run: &Trainer) -> Vec<u64> {
    let Snapshot::Lab(net) = run.snapshot() else {
        panic!("a lab run");
    };
    (net.layers().iter())
        .flat_map(|l| l.stored().iter().chain(&l.b).map(|w| w.to_bits()))
        .collect()
}

/// Trains `contender` (watching layer health if `health`) side by side on one worker and on
/// `many` (helping loops of `min_work` multiply-adds and more, in slices of at most `budget`)
/// for at least `epochs` epochs, and on until helpers have run parts (at most `cap` epochs: a
/// loaded machine may be slow to wake them).
fn same_bytes(
    data: Arc<Dataset>,
    (contender, budget, health): (Contender, Duration, bool),
    min_work: usize,
    epochs: u32,
    cap: u32,
) {
    let settings = Settings {
        epochs: cap,
        health,
        ..Settings::default()
    };
    let (one, many) = (Pool::new(1), Pool::with_min_work(2, min_work));
    let mut alone = Trainer::new(contender, &settings, Arc::clone(&data));
    let mut helped = Trainer::new(contender, &settings, data);
    let before = team::parts_helped();
    for epoch in 1..=cap {
        let (a, b);
        (alone, a) = epoch_on(&one, alone, pool::SLICE);
        (helped, b) = epoch_on(&many, helped, budget);
        let json = |r: &EpochReport| serde_json::to_string(r).expect("a report serialises");
        assert_eq!(json(&a), json(&b), "{contender:?} epoch {epoch}");
        assert_eq!(a.health.is_some(), health);
        assert_eq!(a.predictions, b.predictions, "{contender:?} epoch {epoch}");
        assert_eq!(
            weight_bits(&alone),
            weight_bits(&helped),
            "{contender:?} epoch {epoch}"
        );
        if epoch >= epochs && team::parts_helped() > before {
            return;
        }
    }
    // With splits forced (threshold 0) a helper must have run a part; at the real threshold
    // whether one got there is timing, and the bytes above were checked either way.
    assert!(
        min_work > 0,
        "no helper ran a part in {cap} epochs of {contender:?}"
    );
    eprintln!("note: no helper ran a part in {cap} epochs of {contender:?} at the real threshold");
}

/// With helpers, the next batch is gathered beside the current one; slices of one batch
/// (a zero budget, as a session's step) carry the gathered batch from one slice to the next.
/// Adam watches layer health, as the dashboard's runs do.
#[test]
fn an_mnist_shaped_run_is_the_same_on_one_worker_or_two() {
    for contender in [Contender::Sgd, Contender::Adam] {
        for budget in [pool::SLICE, Duration::ZERO] {
            let run = (contender, budget, contender == Contender::Adam);
            same_bytes(mnist_shaped(), run, team::MIN_WORK, 3, 60);
        }
    }
}

#[test]
fn a_lab_run_split_everywhere_is_the_same_on_one_worker_or_two() {
    let lab = (Contender::Momentum, pool::SLICE, true);
    same_bytes(Arc::new(Dataset::lab()), lab, 0, 3, 200);
}
