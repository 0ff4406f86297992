//! How long `--data DIR` takes to read, check and standardise a data set: the figure the
//! README quotes for 60 000 gzip'd 28×28 images.
//!
//!     cargo run --release --example load_time -- DIR

use std::time::Instant;

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: load_time DATA [TEST_DATA]");
        return std::process::ExitCode::from(2);
    };
    let test = std::env::args_os().nth(2);
    let started = Instant::now();
    match digits_tui::data::load(Some(dir.as_ref()), test.as_deref().map(AsRef::as_ref)) {
        Ok(d) => {
            println!(
                "loaded and standardised {} train + {} test images of {}×{} in {:.3} s",
                d.y_train.len(),
                d.y_test.len(),
                d.side,
                d.side,
                started.elapsed().as_secs_f64()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::from(2)
        }
    }
}
