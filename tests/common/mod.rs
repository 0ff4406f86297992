//! What the golden-vector tests share: the lab's `vectors.json`, parsed once, and the prepared
//! lab data.

use std::sync::{Arc, OnceLock};

use digits_tui::data::Dataset;
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
