//! The comparison itself, apart from `main` so that the tests run it natively (every path
//! this CPU has) and show it catching an injected one-bit error.

use std::io::Write;
use std::sync::Arc;

use digits_tui::data::Dataset;
use digits_tui::nn::gemm::{Lhs, product};
use digits_tui::nn::lines::Lines;
use digits_tui::nn::simd::{self, Path};
use digits_tui::nn::transpose::transpose;
use digits_tui::nn::{Hyper, Moments, OptimizerKind, exp, optimizer};
use digits_tui::rng::RandomState;
use digits_tui::train::{LabTrainer, Settings};
use serde_json::Value;

/// The optimizer state arrays the lab's check records after every step.
const STATES: [&str; 8] = [
    "wegt", "bias", "W_dt", "B_dt", "W_mt", "B_mt", "W_vt", "B_vt",
];

/// Runs the check on each of `paths` this CPU has, one line per path on `out` (and one per
/// path it lacks, saying so). `Ok(true)` when every bit matched; `Err` when the golden values
/// lack something the check reads.
pub(super) fn paths(
    paths: &[Path],
    vectors: &Value,
    data: &Arc<Dataset>,
    out: &mut dyn Write,
) -> Result<bool, String> {
    let mut exact = true;
    for &path in paths {
        if !path.supported() {
            writeln!(out, "{:<9}not checked: this CPU lacks it", path.name())
                .map_err(|e| e.to_string())?;
            continue;
        }
        let tally =
            simd::with_path(path, || one_path(vectors, data)).map_err(|e| e.to_string())??;
        exact &= tally.differing == 0;
        writeln!(out, "{:<9}{tally}", path.name()).map_err(|e| e.to_string())?;
        out.flush().map_err(|e| e.to_string())?;
    }
    Ok(exact)
}

/// Values compared on one path, and the first that differed.
#[derive(Default)]
pub(super) struct Tally {
    cases: usize,
    epochs: usize,
    compared: usize,
    differing: usize,
    first: Option<String>,
}

impl Tally {
    /// Compares `got` with `want` to the bit (so `-0.0` is not `0.0`); a length mismatch counts
    /// as one differing value.
    fn bits(&mut self, what: &str, got: &[f64], want: &[f64]) {
        if got.len() != want.len() {
            self.differ(format!(
                "{what}: {} values, golden {}",
                got.len(),
                want.len()
            ));
            return;
        }
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            self.compared += 1;
            if g.to_bits() != w.to_bits() {
                self.differ(format!(
                    "{what}[{i}]: {g:e} ({:#018x}), golden {w:e} ({:#018x})",
                    g.to_bits(),
                    w.to_bits()
                ));
            }
        }
    }

    fn differ(&mut self, what: String) {
        self.differing += 1;
        self.first.get_or_insert(what);
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let work = format!(
            "{} values ({} optimizer-check cases, {} lab epochs, kernel edge cases)",
            self.compared, self.cases, self.epochs
        );
        match &self.first {
            None => write!(f, "bit-exact: {work}"),
            Some(first) => write!(f, "DIFFERS: {} of {work}; first: {first}", self.differing),
        }
    }
}

/// The optimizer check, the lab epochs and the kernels' edge cases on the thread's current
/// path.
fn one_path(vectors: &Value, data: &Arc<Dataset>) -> Result<Tally, String> {
    let mut tally = Tally::default();
    optimizer_check(&vectors["optimizer_check"], &mut tally)?;
    lab_epochs(&vectors["training_trace"], data, &mut tally)?;
    kernel_edges(&mut tally);
    Ok(tally)
}

/// The kernels where the lab's epochs never take them (its widths are all even, so a
/// two-lane vector is never partial there): odd shapes, whose last vector is partial; products
/// deeper than one block of summation steps; `exp`'s hand-offs to the scalar function (large,
/// infinite and NaN arguments) and its tiny arguments. Against the definitions, element by
/// element: a sequential chain of FMAs, the scalar `exp`, `1 / (1 + e^-(z + b))`, indices.
fn kernel_edges(tally: &mut Tally) {
    for (rows, cols, depth) in [(13, 17, 3), (7, 13, 5), (5, 3, 257), (2, 6, 9), (1, 1, 1)] {
        let (p, q) = (noise(rows * depth, 1), noise(depth * cols, 2));
        let lhs = Lhs {
            data: &p,
            row_stride: depth,
            depth_stride: 1,
        };
        let mut got = vec![f64::NAN; rows * cols];
        product(rows, cols, depth, lhs, &q, cols, &mut got, cols);
        let want: Vec<f64> = (0..rows * cols)
            .map(|k| {
                let (r, j) = (k / cols, k % cols);
                (0..depth).fold(0.0, |acc, t| p[r * depth + t].mul_add(q[t * cols + j], acc))
            })
            .collect();
        tally.bits(&format!("product {rows}x{cols}x{depth}"), &got, &want);
    }
    let mut args: Vec<f64> = noise(995, 3).iter().map(|x| x * 1600.0).collect();
    args.extend([
        0.0, -0.0, 1e-300, -5.5e-17, 4e-320, 511.9, 512.0, -745.2, 709.7,
    ]);
    args.extend([f64::INFINITY, f64::NEG_INFINITY, f64::NAN, -1e4, 1e4]);
    // 1009 and 1007 arguments: one partial vector, or a full one and a partial one, at every
    // width.
    for len in [args.len(), args.len() - 2] {
        let args = &args[..len];
        let mut got = args.to_vec();
        exp::exp_in_place(&mut got);
        let want: Vec<f64> = args.iter().map(|&x| exp::exp(x)).collect();
        tally.bits(&format!("exp of {len}"), &got, &want);
        let bias = [0.25, -1.5, 3.0, 0.0, -0.0, 1e-3, 7.0];
        let mut got = args.to_vec();
        exp::add_bias_sigmoid(&mut got, &bias);
        let want: Vec<f64> = (args.iter().enumerate())
            .map(|(i, &x)| 1.0 / (1.0 + exp::exp(-(x + bias[i % bias.len()]))))
            .collect();
        tally.bits(&format!("sigmoid of {len}"), &got, &want);
    }
    for (rows, cols) in [(5, 3), (3, 5), (7, 9), (80, 64)] {
        let src = noise(rows * cols, 4);
        let mut got = vec![f64::NAN; rows * cols];
        transpose(&src, cols, &mut got);
        let want: Vec<f64> = (0..rows * cols)
            .map(|k| src[(k % rows) * cols + k / rows])
            .collect();
        tally.bits(&format!("transpose {rows}x{cols}"), &got, &want);
    }
}

/// `n` values in [-0.5, 0.5) from numpy's stream for `seed`.
fn noise(n: usize, seed: u32) -> Vec<f64> {
    let mut rng = RandomState::new(seed);
    (0..n).map(|_| rng.next_f64() - 0.5).collect()
}

/// Each case's five updates in the lab's order, from its recorded inputs, against the state
/// recorded after each.
fn optimizer_check(check: &Value, tally: &mut Tally) -> Result<(), String> {
    for (c, case) in list(&check["cases"], "optimizer_check.cases")?
        .iter()
        .enumerate()
    {
        let at = format!("optimizer_check.cases[{c}]");
        let input = &case["inputs"];
        let got = |key: &str| floats(&input[key], &format!("{at}.inputs.{key}"));
        let (mut w, mut b) = (got("wegt")?, got("bias")?);
        let state = |key: &str| got(key).map(|v| Lines::from_slice(&v));
        let mut ws = Moments {
            d: state("W_dt")?,
            m: state("W_mt")?,
            v: state("W_vt")?,
        };
        let mut bs = Moments {
            d: state("B_dt")?,
            m: state("B_mt")?,
            v: state("B_vt")?,
        };
        let (wg, bg) = (got("W_grad")?, got("B_grad")?);
        let hyper = Hyper {
            lr: number(&case["learning_rate"], &format!("{at}.learning_rate"))?,
            ..Hyper::default()
        };
        let iter = case["iter"]
            .as_u64()
            .and_then(|i| u32::try_from(i).ok())
            .ok_or(format!("{at}.iter is not a count"))?;
        for (s, step) in list(&case["steps"], &format!("{at}.steps"))?
            .iter()
            .enumerate()
        {
            let kind: OptimizerKind = serde_json::from_value(step["optimizer"].clone())
                .map_err(|e| format!("{at}.steps[{s}].optimizer: {e}"))?;
            optimizer::apply(kind, &hyper, iter, &mut w, &wg, &mut ws);
            optimizer::apply(kind, &hyper, iter, &mut b, &bg, &mut bs);
            let mine: [&[f64]; 8] = [&w, &b, &ws.d, &bs.d, &ws.m, &bs.m, &ws.v, &bs.v];
            for (key, got) in STATES.into_iter().zip(mine) {
                let where_ = format!("{at}.steps[{s}].state.{key}");
                tally.bits(
                    &format!("case {c} {} {key}", kind.name()),
                    got,
                    &floats(&step["state"][key], &where_)?,
                );
            }
        }
        tally.cases += 1;
    }
    Ok(())
}

/// Every optimizer's recorded lab epochs from the lab's initial weights: each epoch's loss,
/// test accuracy and weight samples, then every final parameter.
fn lab_epochs(trace: &Value, data: &Arc<Dataset>, tally: &mut Tally) -> Result<(), String> {
    for kind in OptimizerKind::ALL {
        let at = format!("training_trace.results.{}", kind.name());
        let results = &trace["results"][kind.name()];
        let epochs = list(&results["reference"], &format!("{at}.reference"))?;
        let settings = Settings {
            epochs: epochs.len() as u32,
            ..Settings::default()
        };
        let mut run = LabTrainer::new(kind, &settings, Arc::clone(data));
        for (e, reference) in epochs.iter().enumerate() {
            let report = run.train_epoch();
            let what = format!("{} epoch {}", kind.name(), e + 1);
            let want =
                |key: &str| floats_or_one(&reference[key], &format!("{at}.reference[{e}].{key}"));
            tally.bits(&format!("{what} loss"), &[report.loss], &want("loss")?);
            tally.bits(
                &format!("{what} test accuracy"),
                &[report.test_acc],
                &want("test_accuracy")?,
            );
            let layers = run.network().layers();
            let (first, last) = (&layers[0], &layers[layers.len() - 1]);
            tally.bits(
                &format!("{what} W1"),
                &first.by_unit().take(5).collect::<Vec<_>>(),
                &want("W1_first5")?,
            );
            tally.bits(&format!("{what} b1"), &first.b[..5], &want("b1_first5")?);
            tally.bits(
                &format!("{what} W3"),
                &last.by_unit().take(5).collect::<Vec<_>>(),
                &want("W3_first5")?,
            );
            tally.bits(&format!("{what} b3"), &last.b, &want("b3")?);
            tally.epochs += 1;
        }
        let fin = &results["reference_final_params"];
        for (layer, (w, b)) in
            run.network()
                .layers()
                .iter()
                .zip([("W1", "b1"), ("W2", "b2"), ("W3", "b3")])
        {
            let want = |key: &str| floats(&fin[key], &format!("{at}.reference_final_params.{key}"));
            tally.bits(
                &format!("{} final {w}", kind.name()),
                &layer.by_unit().collect::<Vec<_>>(),
                &want(w)?,
            );
            tally.bits(&format!("{} final {b}", kind.name()), &layer.b, &want(b)?);
        }
    }
    Ok(())
}

fn list<'a>(v: &'a Value, at: &str) -> Result<&'a Vec<Value>, String> {
    v.as_array().ok_or_else(|| format!("{at} is not a list"))
}

fn number(v: &Value, at: &str) -> Result<f64, String> {
    v.as_f64().ok_or_else(|| format!("{at} is not a number"))
}

fn floats(v: &Value, at: &str) -> Result<Vec<f64>, String> {
    list(v, at)?.iter().map(|x| number(x, at)).collect()
}

/// A list of numbers, or one number as a list of one.
fn floats_or_one(v: &Value, at: &str) -> Result<Vec<f64>, String> {
    if v.is_array() {
        floats(v, at)
    } else {
        Ok(vec![number(v, at)?])
    }
}
