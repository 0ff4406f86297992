//! `digits-tui bench`: how fast the engine trains, measured the way the README reports it.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::bench_cores::{epochs_on_pool, report_split};
use crate::data::Dataset;
use crate::engine::{Event, Pool, Session, Speed};
use crate::nn::simd::{self, Choice, Path};
use crate::train::{Protocol, Settings, Trainer};

/// Training before timing each optimizer, so caches, branch predictors and the clock are warm
/// (with 5 epochs, about 0.03 s, the first optimizer timed came out about 30 % slow).
const WARM_UP: Duration = Duration::from_millis(500);
/// Timed rounds per optimizer; the median and the best are reported.
const ROUNDS: u32 = 5;

/// Prints the SIMD path and the CPU's FMA peak, ms/epoch per optimizer for one run on one core
/// (per path side by side with `--simd all`) and on all cores in alternate rounds (with the
/// speed-up), what splitting a loop across cores costs, the full comparison's wall time on all
/// cores, and the dashboard's frame render time.
pub(crate) fn measure(
    settings: &Settings,
    data: Arc<Dataset>,
    sample_epochs: u32,
    simd: Option<Choice>,
    frame_ms: fn(&Settings, Arc<Dataset>) -> f64,
    out: &mut dyn Write,
) -> io::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    writeln!(
        out,
        "digits-tui bench: {} train / {} test rows, layers {:?}, batch {}, {} cores",
        data.y_train.len(),
        data.y_test.len(),
        settings.layer_sizes(data.width(), crate::data::CLASSES),
        settings.batch_size,
        cores
    )?;
    let paths = match simd {
        Some(Choice::One(path)) => {
            simd::set_process_path(path).map_err(io::Error::other)?;
            vec![path]
        }
        Some(Choice::All) => Path::supported_here(),
        None => vec![simd::active()],
    };
    let source = match (simd, simd::from_env()) {
        (Some(Choice::One(_)), _) => "--simd",
        (Some(Choice::All), _) => "--simd all; the comparison below runs on the process's path",
        (None, Ok(Some(_))) => simd::ENV,
        (None, _) => "the widest this CPU has",
    };
    let supported: Vec<&str> = Path::supported_here().into_iter().map(Path::name).collect();
    writeln!(
        out,
        "SIMD path: {} (from {source}); this CPU can run {}",
        simd::active(),
        supported.join(", ")
    )?;
    let (peak, peak_all) = report_peaks(cores, out)?;
    report_split(cores, out)?;
    let sizes = settings.layer_sizes(data.width(), crate::data::CLASSES);
    let fmas = fmas_per_epoch(&sizes, data.y_train.len(), data.y_test.len());
    let floor_ms = peak.map(|(_, p)| fmas / p * 1e3);
    let names: Vec<&str> = paths.iter().map(|p| p.name()).collect();
    writeln!(
        out,
        "one run, one core, {} path{} ({sample_epochs} epochs in {ROUNDS} rounds, per-epoch \
         evaluation included; median and best round, since a shared machine is noisy{}){}:",
        names.join(", "),
        if paths.len() > 1 { "s" } else { "" },
        if paths.len() > 1 {
            "; paths alternate round by round on one run, which they train to the same bits"
        } else {
            ""
        },
        if cores > 1 {
            format!(
                "; then the same run on {cores} cores, in rounds alternating with the one-core \
                 rounds, {} path, and its speed-up (median of the rounds' ratios)",
                simd::active()
            )
        } else {
            String::new()
        }
    )?;
    // The all-cores rounds compare with the one-core rounds on the path the pool runs.
    let pool_path = paths.iter().position(|&p| p == simd::active()).unwrap_or(0);
    let pool = (cores > 1).then(|| Pool::new(cores));
    // No epoch limit while timing: the baseline takes `epochs` as its max_iter and would
    // otherwise stop training (and time evaluation alone) in a short benchmark.
    let timing = Settings {
        epochs: u32::MAX,
        ..settings.clone()
    };
    for &kind in &settings.optimizers {
        let mut run = Trainer::new(kind, &timing, Arc::clone(&data));
        for &path in &paths {
            let warming = Instant::now();
            let warm_up = WARM_UP / paths.len() as u32;
            on_path(path, || {
                while warming.elapsed() < warm_up {
                    run.train_epoch();
                }
            })?;
        }
        let per_round = sample_epochs.div_ceil(ROUNDS).max(1);
        let mut rounds = vec![Vec::new(); paths.len()];
        let mut all_cores = Vec::new();
        for _ in 0..ROUNDS {
            for (&path, times) in paths.iter().zip(&mut rounds) {
                let started = Instant::now();
                on_path(path, || {
                    for _ in 0..per_round {
                        run.train_epoch();
                    }
                })?;
                times.push(started.elapsed().as_secs_f64() * 1e3 / f64::from(per_round));
            }
            if let Some(pool) = &pool {
                let ms;
                (run, ms) = epochs_on_pool(pool, run, per_round)?;
                all_cores.push((rounds[pool_path].last().copied().unwrap_or(ms), ms));
            }
        }
        write!(out, "  {:<13}", kind.label())?;
        for (path, times) in paths.iter().zip(&mut rounds) {
            times.sort_by(f64::total_cmp);
            let (median, best) = (times[times.len() / 2], times[0]);
            if paths.len() > 1 {
                write!(out, "  {path}: {median:6.3} / {best:6.3}")?;
            } else {
                write!(out, " {median:7.3} ms/epoch median, {best:7.3} best")?;
            }
            if let (Some(floor), Some((widest, _))) = (floor_ms, peak) {
                let share = floor / best * 100.0;
                if paths.len() > 1 {
                    write!(out, " ({share:.0}%)")?;
                } else {
                    write!(out, " ({share:.0}% of the {widest} FMA peak)")?;
                }
            }
        }
        if !all_cores.is_empty() {
            let mut ratios: Vec<f64> = all_cores.iter().map(|(one, all)| one / all).collect();
            ratios.sort_by(f64::total_cmp);
            let mut times: Vec<f64> = all_cores.iter().map(|&(_, all)| all).collect();
            times.sort_by(f64::total_cmp);
            let (median, best) = (times[times.len() / 2], times[0]);
            write!(
                out,
                "\n  {:<13} {median:7.3} ms/epoch median, {best:7.3} best on {cores} cores: {:.2}x",
                "",
                ratios[ratios.len() / 2]
            )?;
            if let Some(all) = peak_all {
                let share = fmas / all * 1e3 / best * 100.0;
                write!(out, " ({share:.0}% of the {cores}-core FMA peak)")?;
            }
        }
        writeln!(out)?;
        out.flush()?;
    }
    drop(pool);
    if paths.len() > 1 {
        writeln!(
            out,
            "  (ms/epoch median / best; % of the widest path's FMA peak, from the best round)"
        )?;
    }
    write!(
        out,
        "  arithmetic: {:.1} M multiply-adds per epoch",
        fmas / 1e6
    )?;
    match (peak, floor_ms) {
        (Some((widest, p)), Some(floor)) => writeln!(
            out,
            "; at the {widest} peak ({:.1} G/s) no epoch can beat {floor:.2} ms",
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
    let cpu_before = process_cpu();
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
    let busy = match (cpu_before, process_cpu()) {
        (Some(before), Some(after)) if wall > 0.0 => {
            format!(" ({:.2} cores busy on average)", (after - before) / wall)
        }
        (None, _) | (_, None) => " (cores busy not measured: no process CPU time here)".into(),
        _ => String::new(),
    };
    if let Some(message) = failure {
        return Err(io::Error::other(format!("training failed: {message}")));
    }
    writeln!(
        out,
        "full comparison: {} optimizers x {} epochs on {cores} cores, {} path: {wall:.2} s wall{busy}",
        lab_only.optimizers.len(),
        settings.epochs,
        simd::active()
    )?;
    let ms = frame_ms(settings, Arc::clone(&data_for_render));
    writeln!(
        out,
        "dashboard frame at 200x60, full histories: {ms:.3} ms per frame"
    )
}

/// Runs `f` on `path` on this thread.
fn on_path(path: Path, f: impl FnOnce()) -> io::Result<()> {
    simd::with_path(path, f).map_err(io::Error::other)
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

/// The summed multiply-add rate of `threads` threads measuring [`peak_fmas_per_second`] at
/// once: about `threads` times one core's when each has its own FMA units, about one core's
/// when they are hyper-threads sharing them.
fn peak_on_threads(path: Path, threads: usize) -> Option<f64> {
    // The engine's pool is the one place threads start; one task per worker, all at once.
    let pool = Pool::new(threads);
    let (tx, rx) = crossbeam_channel::unbounded();
    for _ in 0..threads {
        let tx = tx.clone();
        pool.spawner().live(move || {
            let _ = tx.send(simd::peak_fmas_per_second(path));
        });
    }
    drop(tx);
    rx.iter().sum::<Option<f64>>()
}

/// The widest path and its one-core peak (`None` without a vector path), and every core's at
/// once on it (`None` with one core): the ceilings the bench's percentages refer to.
type Peaks = (Option<(Path, f64)>, Option<f64>);

/// Measures and prints one core's FMA peak on each vector path this CPU has, and every core's
/// at once on the widest.
fn report_peaks(cores: usize, out: &mut dyn std::io::Write) -> std::io::Result<Peaks> {
    let measured: Vec<(Path, f64)> = Path::supported_here()
        .into_iter()
        .filter_map(|p| Some((p, simd::peak_fmas_per_second(p)?)))
        .collect();
    let Some(&(widest, one)) = measured.first() else {
        writeln!(out, "FMA peak: not measured (no vector path on this CPU)")?;
        return Ok((None, None));
    };
    let each: Vec<String> = (measured.iter())
        .map(|(p, rate)| format!("{p} ({} lanes) {:.1} G/s", p.lanes(), rate / 1e9))
        .collect();
    write!(out, "FMA peak, one core: {}", each.join(", "))?;
    let all = (cores > 1)
        .then(|| peak_on_threads(widest, cores))
        .flatten();
    if let Some(all) = all {
        write!(
            out,
            "; {cores} cores at once: {:.1} G/s ({:.2}x one core)",
            all / 1e9,
            all / one
        )?;
    }
    writeln!(out)?;
    Ok((Some((widest, one)), all))
}

/// CPU seconds this process has used (user and system, all threads), where the system says:
/// with the wall time, how many cores the comparison kept busy, which tells idle workers from
/// slow ones. POSIX's process CPU-time clock on Unix (Linux and macOS alike); `None` elsewhere
/// (Windows), and the figure is left out, saying so.
#[cfg(unix)]
fn process_cpu() -> Option<f64> {
    use rustix::time::{ClockId, clock_gettime};
    let t = clock_gettime(ClockId::ProcessCPUTime);
    Some(t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9)
}

/// No process CPU time without a POSIX clock.
#[cfg(not(unix))]
fn process_cpu() -> Option<f64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lab_epoch_is_62_million_multiply_adds() {
        // 1437 × (2·11420 + 6300) + 1797 × 11420.
        assert_eq!(fmas_per_epoch(&[64, 80, 70, 10], 1437, 360), 62_395_920.0);
    }

    #[test]
    fn an_mnist_epoch_is_13_5_billion() {
        // 60 000 × (2·69 020 + 6300) + 70 000 × 69 020: the 8.7 G + 4.8 G.
        assert_eq!(
            fmas_per_epoch(&[784, 80, 70, 10], 60_000, 10_000),
            13_491_800_000.0
        );
    }

    #[test]
    fn process_cpu_counts_work_done() {
        let before = process_cpu();
        if !cfg!(unix) && before.is_none() {
            return;
        }
        let before = before.expect("Unix has a process CPU-time clock");
        // Spin until 50 ms of CPU time show, however loaded the machine (other processes
        // take the core away in wall time, not in this clock); a clock that does not count
        // work never gets there and fails at the deadline.
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut x = 0u64;
        let mut after = before;
        while after - before < 0.05 && Instant::now() < deadline {
            for _ in 0..100_000 {
                x = std::hint::black_box(x.wrapping_add(1));
            }
            after = process_cpu().expect("read once, read again");
        }
        assert!(after - before >= 0.05, "{before} -> {after}");
    }
}
