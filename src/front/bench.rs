//! `digits-tui bench`: how fast the engine trains, measured the way the README reports it.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::data::Dataset;
use crate::engine::{Event, Session, Speed};
use crate::train::{EpochReport, Protocol, Settings, Trainer};

/// Training before timing each optimizer, so caches, branch predictors and the clock are warm
/// (with 5 epochs, about 0.03 s, the first optimizer timed came out about 30 % slow).
const WARM_UP: Duration = Duration::from_millis(500);
/// Timed rounds per optimizer; the median and the best are reported.
const ROUNDS: u32 = 5;

/// Prints ms/epoch per optimizer on one core, the full comparison's wall time on all cores,
/// and the dashboard's frame render time.
pub fn run(
    settings: &Settings,
    data: Arc<Dataset>,
    sample_epochs: u32,
    out: &mut dyn Write,
) -> io::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    writeln!(
        out,
        "digits-tui bench: {} train / {} test rows, layers {:?}, batch {}, {} cores",
        data.y_train.len(),
        data.y_test.len(),
        settings.layer_sizes(crate::data::PIXELS, crate::data::CLASSES),
        settings.batch_size,
        cores
    )?;
    let sizes = settings.layer_sizes(crate::data::PIXELS, crate::data::CLASSES);
    let fmas = fmas_per_epoch(&sizes, data.y_train.len(), data.y_test.len());
    let peak = peak_fmas_per_second();
    let floor_ms = peak.map(|p| fmas / p * 1e3);
    writeln!(
        out,
        "one run, one core ({sample_epochs} epochs in {ROUNDS} rounds, per-epoch evaluation \
         included; median and best round, since a shared machine is noisy):"
    )?;
    // No epoch limit while timing: the baseline takes `epochs` as its max_iter and would
    // otherwise stop training (and time evaluation alone) in a short benchmark.
    let timing = Settings {
        epochs: u32::MAX,
        ..settings.clone()
    };
    for &kind in &settings.optimizers {
        let mut run = Trainer::new(kind, &timing, Arc::clone(&data));
        let warming = Instant::now();
        while warming.elapsed() < WARM_UP {
            run.train_epoch();
        }
        let per_round = sample_epochs.div_ceil(ROUNDS).max(1);
        let mut rounds: Vec<f64> = (0..ROUNDS)
            .map(|_| {
                let started = Instant::now();
                for _ in 0..per_round {
                    run.train_epoch();
                }
                started.elapsed().as_secs_f64() * 1e3 / f64::from(per_round)
            })
            .collect();
        rounds.sort_by(f64::total_cmp);
        let (median, best) = (rounds[rounds.len() / 2], rounds[0]);
        write!(
            out,
            "  {:<13} {median:7.3} ms/epoch median, {best:7.3} best",
            kind.label()
        )?;
        match floor_ms {
            Some(floor) => writeln!(out, " ({:.0}% of the FMA peak)", floor / best * 100.0)?,
            None => writeln!(out)?,
        }
        out.flush()?;
    }
    write!(
        out,
        "  arithmetic: {:.1} M multiply-adds per epoch",
        fmas / 1e6
    )?;
    match (peak, floor_ms) {
        (Some(p), Some(floor)) => writeln!(
            out,
            "; this core peaks at {:.1} G/s, so no epoch can beat {floor:.2} ms",
            p / 1e9
        )?,
        _ => writeln!(out)?,
    }
    let data_for_render = Arc::clone(&data);
    // The comparison the lab made: its optimizers side by side (the baseline stops early and
    // would only blur the figure).
    let lab_only = Settings {
        optimizers: (settings.optimizers.iter().copied())
            .filter(|c| c.optimizer().is_some())
            .collect(),
        protocol: Protocol::Fair,
        ..settings.clone()
    };
    let started = Instant::now();
    let session = Session::start(lab_only.clone(), data, false, Speed::Unlimited);
    let mut failure = None;
    for event in session.events() {
        match event {
            Event::Finished { .. } => break,
            Event::Failed { message } => {
                failure = Some(message);
                break;
            }
            _ => {}
        }
    }
    let wall = started.elapsed().as_secs_f64();
    if let Some(message) = failure {
        return Err(io::Error::other(format!("training failed: {message}")));
    }
    writeln!(
        out,
        "full comparison: {} optimizers x {} epochs on {cores} cores: {wall:.2} s wall",
        lab_only.optimizers.len(),
        settings.epochs
    )?;
    let ms = frame_render_ms(settings, Arc::clone(&data_for_render));
    writeln!(
        out,
        "dashboard frame at 200x60, full histories: {ms:.3} ms per frame"
    )
}

/// Mean time to render one dashboard frame at 200×60 with every run's full history.
fn frame_render_ms(settings: &Settings, data: Arc<Dataset>) -> f64 {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::ui::app::{Action, App};

    let mut app = App::new(
        settings.clone(),
        Arc::clone(&data),
        "embedded",
        false,
        Speed::Unlimited,
    );
    app.update(Action::Session(Event::Started {
        generation: 1,
        seed: settings.seed,
    }));
    let predictions: Arc<[u8]> = data.y_test.clone().into();
    for epoch in 1..=settings.epochs {
        for run in 0..settings.optimizers.len() {
            let report = EpochReport {
                epoch,
                loss: (-(f64::from(epoch)) * 0.02 * (run as f64 + 1.0)).exp(),
                train_acc: 0.99,
                test_acc: 0.97,
                wall: std::time::Duration::ZERO,
                predictions: Arc::clone(&predictions),
                diverged: false,
            };
            app.update(Action::Session(Event::Epoch {
                generation: 1,
                run,
                report,
                last: epoch == settings.epochs,
            }));
        }
    }
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap_or_else(|e| match e {});
    const FRAMES: u32 = 200;
    let started = Instant::now();
    for _ in 0..FRAMES {
        let _ = terminal.draw(|f| crate::ui::render::render(&app, f));
    }
    started.elapsed().as_secs_f64() * 1e3 / f64::from(FRAMES)
}

/// Multiply-adds in one epoch of the lab's loop: forward and backward over the training rows
/// (weight gradients, plus deltas into every hidden layer), then a forward pass over every
/// row for the per-epoch evaluation. The floor any implementation of the lab must pay.
fn fmas_per_epoch(sizes: &[usize], n_train: usize, n_test: usize) -> f64 {
    let products: Vec<usize> = sizes.windows(2).map(|p| p[0] * p[1]).collect();
    let forward: usize = products.iter().sum();
    let into_hidden: usize = products.iter().skip(1).sum();
    let train = n_train * (2 * forward + into_hidden);
    let eval = (n_train + n_test) * forward;
    (train + eval) as f64
}

/// This core's multiply-add throughput: 12 independent AVX2 FMA chains, enough to fill both
/// FMA pipes. `None` without AVX2+FMA.
fn peak_fmas_per_second() -> Option<f64> {
    #[cfg(target_arch = "x86_64")]
    if crate::nn::has_avx2_fma() {
        const STEPS: u64 = 20_000_000;
        let started = Instant::now();
        // SAFETY: the CPU has AVX2 and FMA, checked just above.
        let sink = unsafe { fma_chains(STEPS) };
        let seconds = started.elapsed().as_secs_f64();
        std::hint::black_box(sink);
        return Some((STEPS * 12 * 4) as f64 / seconds);
    }
    None
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn fma_chains(steps: u64) -> f64 {
    use std::arch::x86_64::*;
    let mut acc = [_mm256_setzero_pd(); 12];
    let (a, b) = (_mm256_set1_pd(0.999_999), _mm256_set1_pd(1e-9));
    for _ in 0..steps {
        for v in &mut acc {
            *v = _mm256_fmadd_pd(*v, a, b);
        }
    }
    let mut lanes = [0.0; 4];
    let total = acc
        .iter()
        .fold(_mm256_setzero_pd(), |s, &v| _mm256_add_pd(s, v));
    // SAFETY: `lanes` holds four doubles.
    unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), total) };
    lanes.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lab_epoch_is_62_million_multiply_adds() {
        // 1437 × (2·11420 + 6300) + 1797 × 11420.
        assert_eq!(fmas_per_epoch(&[64, 80, 70, 10], 1437, 360), 62_395_920.0);
    }
}
