//! Writes digit data files for the tests, as the datasets ship them: MNIST's four IDX files
//! (raw or gzip'd) and "MNIST in CSV". Shared with the library's own checks
//! (`src/checks/data_formats.rs` compiles it in), so both build the same files one way.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

/// `bytes` gzip'd.
pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).expect("in memory");
    enc.finish().expect("in memory")
}

/// An IDX image file: `n` images of `side × side` with a recognisable pattern.
pub(crate) fn idx_images(n: u32, side: u32) -> Vec<u8> {
    let mut bytes = [0x803u32, n, side, side]
        .iter()
        .flat_map(|w| w.to_be_bytes())
        .collect::<Vec<u8>>();
    bytes.extend((0..n * side * side).map(|i| (i * 37 % 256) as u8));
    bytes
}

/// An IDX label file cycling 0..9.
pub(crate) fn idx_labels(n: u32) -> Vec<u8> {
    let mut bytes = [0x801u32, n]
        .iter()
        .flat_map(|w| w.to_be_bytes())
        .collect::<Vec<u8>>();
    bytes.extend((0..n).map(|i| (i % 10) as u8));
    bytes
}

/// The four files of an MNIST directory, `gz` choosing which are compressed.
pub(crate) fn idx_dir(dir: &Path, files: [(&str, Vec<u8>); 4], gz: [bool; 4]) {
    for ((name, bytes), gz) in files.into_iter().zip(gz) {
        if gz {
            std::fs::write(dir.join(format!("{name}.gz")), gzip(&bytes)).expect("write");
        } else {
            std::fs::write(dir.join(name), bytes).expect("write");
        }
    }
}

/// MNIST's four files: `train` and `test` images of `side × side` and their labels.
pub(crate) fn mnist_files(train: u32, test: u32, side: u32) -> [(&'static str, Vec<u8>); 4] {
    [
        ("train-images-idx3-ubyte", idx_images(train, side)),
        ("train-labels-idx1-ubyte", idx_labels(train)),
        ("t10k-images-idx3-ubyte", idx_images(test, side)),
        ("t10k-labels-idx1-ubyte", idx_labels(test)),
    ]
}

/// "MNIST in CSV" style: a header with `label` first (or last), pixels 0..255.
pub(crate) fn mnist_csv(rows: usize, side: usize, label_first: bool) -> String {
    let pixels: Vec<String> = (0..side * side).map(|i| format!("pixel{i}")).collect();
    let mut text = if label_first {
        format!("label,{}\n", pixels.join(","))
    } else {
        format!("{},label\n", pixels.join(","))
    };
    for r in 0..rows {
        let values: Vec<String> = (0..side * side)
            .map(|i| ((r * 31 + i * 7) % 256).to_string())
            .collect();
        let label = (r % 10).to_string();
        let line = if label_first {
            format!("{label},{}\n", values.join(","))
        } else {
            format!("{},{label}\n", values.join(","))
        };
        text.push_str(&line);
    }
    text
}
