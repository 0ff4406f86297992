//! Running the built `digits-tui` binary, for the tests of its command lines: one spelling of
//! the run-and-read helpers those tests share.

use std::process::{Command, Output};

use serde_json::Value;

/// The binary, ready for arguments.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_digits-tui"))
}

/// The binary run to the end with `args`.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

/// What the run wrote to stderr, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A successful run's stdout as one JSON document (a failed run's stderr in the panic).
pub fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("stdout is one JSON document")
}

/// The last JSON line `--headless` prints for `optimizer`.
pub fn headless_last(args: &[&str], optimizer: &str) -> Value {
    let o = run(&[&["--headless"], args].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout)
        .expect("JSON lines are UTF-8")
        .lines()
        .rev()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .find(|l| l["optimizer"] == optimizer)
        .expect("a line for the optimizer")
}

/// A fresh, empty directory under the target directory: `group` is the test file's, `name`
/// the test's, so no two tests share one.
pub fn scratch(group: &str, name: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(group)
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}
