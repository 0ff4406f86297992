//! What the golden-vector tests share: the lab's `vectors.json`, parsed once, and the prepared
//! lab data.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use digits_tui::data::Dataset;
use digits_tui::nn::simd::{self, Path};
use serde_json::Value;

/// `tests/data/vectors.json`, the lab's own numpy values.
pub fn vectors() -> &'static Value {
    static V: OnceLock<Value> = OnceLock::new();
    V.get_or_init(|| {
        let text = include_str!("../data/vectors.json");
        serde_json::from_str(text).expect("vectors.json parses")
    })
}

/// A JSON array of numbers.
pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

/// The lab's split and scaling of the embedded digits, prepared once per test binary.
pub fn lab_data() -> Arc<Dataset> {
    static D: OnceLock<Arc<Dataset>> = OnceLock::new();
    Arc::clone(D.get_or_init(|| Arc::new(Dataset::lab())))
}

/// Runs `check` on this thread once per SIMD path the CPU supports, widest first, and says
/// on stderr (uncaptured, so it shows in every test run) which paths this CPU cannot check.
/// The paths must agree to the bit, so every golden check runs on each.
pub fn on_every_path(what: &str, check: impl Fn(Path)) {
    for path in Path::ALL {
        if !path.supported() {
            let _ = writeln!(
                std::io::stderr(),
                "note: {what}: the {path} SIMD path is not checked: this CPU lacks it"
            );
            continue;
        }
        simd::with_path(path, || check(path)).expect("a supported path");
    }
}
