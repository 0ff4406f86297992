//! The thread-free SIMD check (`examples/simd_check`, which `.ci/platforms` runs under
//! emulation) run natively: every path this CPU has is bit-exact with the golden values, and a
//! single flipped bit in them is reported as a difference, not passed over (shown on the
//! widest path: the portable one is slow here, its FMA in software).

#[path = "../../examples/simd_check/check.rs"]
mod check;
use super::fixtures as common;

use crate::nn::simd::Path;
use common::{lab_data, vectors};
use serde_json::Value;

/// The check's verdict and lines for `vectors` on `paths`.
fn run(paths: &[Path], vectors: &Value) -> (bool, Vec<String>) {
    let mut out = Vec::new();
    let exact =
        check::paths(paths, vectors, &lab_data(), &mut out).expect("the golden values read");
    let text = String::from_utf8(out).expect("UTF-8 lines");
    (exact, text.lines().map(str::to_owned).collect())
}

/// The golden values with the lowest bit of the number at `pointer` flipped.
fn flipped(pointer: &str) -> Value {
    let mut vectors = vectors().clone();
    let target = vectors.pointer_mut(pointer).expect("a golden value");
    let bits = target.as_f64().expect("a number").to_bits() ^ 1;
    *target = Value::from(f64::from_bits(bits));
    vectors
}

#[test]
fn every_path_this_cpu_has_is_bit_exact_one_line_each() {
    let (exact, lines) = run(&Path::ALL, vectors());
    assert!(exact, "{lines:#?}");
    assert_eq!(lines.len(), Path::ALL.len(), "{lines:#?}");
    for (path, line) in Path::ALL.into_iter().zip(&lines) {
        assert!(line.starts_with(path.name()), "{line}");
        let verdict = if path.supported() {
            "bit-exact: "
        } else {
            "not checked: this CPU lacks it"
        };
        assert!(line.contains(verdict), "{line}");
        let work = "values (4 optimizer-check cases, 15 lab epochs, kernel edge cases)";
        assert_eq!(line.contains(work), path.supported(), "{line}");
    }
}

#[test]
fn one_flipped_bit_in_a_final_weight_fails_the_check() {
    let vectors = flipped("/training_trace/results/adam/reference_final_params/W2/17");
    let (exact, lines) = run(&[Path::widest()], &vectors);
    assert!(!exact, "{lines:#?}");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("DIFFERS: 1 of "), "{}", lines[0]);
    assert!(
        lines[0].contains("first: adam final W2[17]"),
        "{}",
        lines[0]
    );
}

#[test]
fn one_flipped_bit_in_the_optimizer_check_fails_it_too() {
    let vectors = flipped("/optimizer_check/cases/2/steps/4/state/W_vt/5");
    let (exact, lines) = run(&[Path::widest()], &vectors);
    assert!(!exact, "{lines:#?}");
    assert!(
        lines[0].contains("first: case 2 adam W_vt[5]"),
        "{}",
        lines[0]
    );
}
