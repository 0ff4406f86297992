//! The thread-free SIMD check (`examples/simd_check`, which `.ci/platforms` runs under
//! emulation) run natively: every path this CPU has is bit-exact with the golden values, and a
//! single flipped bit in them is reported as a difference, not passed over.

#[path = "../examples/simd_check/check.rs"]
mod check;
mod common;

use common::{lab_data, vectors};
use digits_tui::nn::simd::Path;
use serde_json::Value;

/// The check's lines and verdict for `vectors`.
fn run(vectors: &Value) -> (bool, Vec<String>) {
    let mut out = Vec::new();
    let exact = check::every_path(vectors, &lab_data(), &mut out).expect("the golden values read");
    let text = String::from_utf8(out).expect("UTF-8 lines");
    (exact, text.lines().map(str::to_owned).collect())
}

#[test]
fn every_path_this_cpu_has_is_bit_exact_one_line_each() {
    let (exact, lines) = run(vectors());
    assert!(exact, "{lines:#?}");
    assert_eq!(lines.len(), Path::ALL.len(), "{lines:#?}");
    for (path, line) in Path::ALL.into_iter().zip(&lines) {
        assert!(line.starts_with(path.name()), "{line}");
        let verdict = if path.supported() {
            "bit-exact: 4 optimizer-check cases and 15 lab epochs"
        } else {
            "not checked: this CPU lacks it"
        };
        assert!(line.contains(verdict), "{line}");
    }
}

#[test]
fn one_flipped_bit_in_the_golden_values_fails_every_path() {
    let mut flipped = vectors().clone();
    let target =
        &mut flipped["training_trace"]["results"]["adam"]["reference_final_params"]["W2"][17];
    let bits = target.as_f64().expect("a number").to_bits() ^ 1;
    *target = Value::from(f64::from_bits(bits));
    let (exact, lines) = run(&flipped);
    assert!(!exact, "{lines:#?}");
    let checked: Vec<&String> = lines
        .iter()
        .filter(|l| !l.contains("not checked"))
        .collect();
    assert!(!checked.is_empty());
    for line in checked {
        assert!(line.contains("DIFFERS: 1 of "), "{line}");
        assert!(line.contains("first: adam final W2[17]"), "{line}");
    }
}

#[test]
fn a_flipped_bit_in_the_optimizer_check_is_caught_too() {
    let mut flipped = vectors().clone();
    let target = &mut flipped["optimizer_check"]["cases"][2]["steps"][4]["state"]["W_vt"][5];
    let bits = target.as_f64().expect("a number").to_bits() ^ 1;
    *target = Value::from(f64::from_bits(bits));
    let (exact, lines) = run(&flipped);
    assert!(!exact, "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("first: case 2 adam W_vt[5]")),
        "{lines:#?}"
    );
}
