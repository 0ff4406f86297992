//! Nanoseconds per element of the elementwise kernels an epoch spends most on after the
//! products (the glibc-exact `exp`, and the sigmoid that wraps it), on every SIMD path this CPU
//! has, at the lab's layer widths. For tuning the kernels; the epoch-level figures come from
//! `digits-tui bench`.
//!
//! ```sh
//! cargo run --release --example kernels
//! ```

use std::time::Instant;

use digits_tui::nn::exp;
use digits_tui::nn::simd::{Path, with_path};

fn main() {
    let mut state = 1u64;
    for (rows, cols) in [(64, 80), (64, 70)] {
        // Pre-activations spread like a trained hidden layer's, within ±10.
        let base: Vec<f64> = (0..rows * cols)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 20.0
            })
            .collect();
        let bias = vec![0.1; cols];
        for path in Path::supported_here() {
            let mut values = base.clone();
            let mut time = |kernel: &dyn Fn(&mut [f64])| {
                let reps = 2000;
                let mut best = f64::MAX;
                for _ in 0..5 {
                    let started = Instant::now();
                    for _ in 0..reps {
                        values.copy_from_slice(&base);
                        kernel(&mut values);
                    }
                    best = best.min(started.elapsed().as_secs_f64());
                }
                best / (reps * values.len()) as f64 * 1e9
            };
            let (sigmoid, exp) = with_path(path, || {
                (
                    time(&|v| exp::add_bias_sigmoid(v, &bias)),
                    time(&|v| exp::exp_in_place(v)),
                )
            })
            .expect("a supported path");
            println!(
                "{rows}x{cols} {path:>8}: sigmoid with bias {sigmoid:.3} ns/element, exp {exp:.3} ns/element (best of 5, copy included)"
            );
        }
    }
}
