//! Reads a `--export FILE.csv` back: its header checked, its rows by the header's names.
//! Shared with the library's own checks (`src/checks/export_csv.rs` compiles it in), so the
//! binary's CSV and the library's are read one way.

use std::path::Path;

/// One CSV row as read back: the cells by the header's names.
pub(crate) struct Row {
    pub(crate) run: usize,
    pub(crate) optimizer: String,
    pub(crate) epoch: u32,
    pub(crate) loss: Option<f64>,
    pub(crate) train_acc: f64,
    pub(crate) test_acc: f64,
    pub(crate) lr: f64,
    pub(crate) diverged: bool,
}

/// The rows of the CSV at `path`, after checking its header.
pub(crate) fn read_csv(path: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path).expect("the CSV was written");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    assert_eq!(
        header,
        [
            "run",
            "optimizer",
            "epoch",
            "loss",
            "train_acc",
            "test_acc",
            "lr",
            "diverged"
        ]
    );
    let float = |s: &str| s.parse::<f64>().expect("a number");
    lines
        .map(|line| {
            let c: Vec<&str> = line.split(',').collect();
            assert_eq!(c.len(), header.len(), "{line}");
            Row {
                run: c[0].parse().expect("run"),
                optimizer: c[1].to_owned(),
                epoch: c[2].parse().expect("epoch"),
                loss: (!c[3].is_empty()).then(|| float(c[3])),
                train_acc: float(c[4]),
                test_acc: float(c[5]),
                lr: float(c[6]),
                diverged: c[7].parse().expect("true or false"),
            }
        })
        .collect()
}
