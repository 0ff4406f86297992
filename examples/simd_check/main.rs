//! Every SIMD path this CPU has against the lab's golden values, on the main thread alone:
//! the optimizer check (`optimizer_check` in `tests/data/vectors.json`) and the three lab
//! epochs of every optimizer (`training_trace`), bit for bit, one line per path. It starts no
//! thread, so it runs where threads cannot: under `qemu-aarch64` 7.2, which hangs on a second
//! thread, it checks the NEON and portable paths for real (`.ci/platforms` runs it so).
//!
//! ```sh
//! cargo run --release --example simd_check [-- VECTORS.json]
//! qemu-aarch64 -L /usr/aarch64-linux-gnu target/.../examples/simd_check
//! ```
//!
//! Exit status: 0 when every path is bit-exact, 1 when any bit differs, 2 when the golden
//! values cannot be read.

mod check;

use std::process::ExitCode;
use std::sync::Arc;

use digits_tui::data::Dataset;
use digits_tui::nn::simd::Path;

/// The golden values this checkout carries.
const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors.json");

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| VECTORS.to_owned());
    let vectors = match std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
    {
        Ok(vectors) => vectors,
        Err(err) => {
            eprintln!("simd_check: cannot read the golden values {path}: {err}");
            return ExitCode::from(2);
        }
    };
    let data = Arc::new(Dataset::lab());
    match check::paths(&Path::ALL, &vectors, &data, &mut std::io::stdout()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("simd_check: {path}: {err}");
            ExitCode::from(2)
        }
    }
}
