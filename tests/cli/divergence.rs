//! Divergence has one spelling: headless's table, `--open`'s and `plot` agree on a run that
//! diverges at epoch 1 (SGD at `--lr 5`) and one that diverges late (RMSProp, at epoch 94).
//! The dashboard's final table and overlay on the same session are checked in
//! `src/checks/divergence.rs`.

use crate::binary::{run, scratch, stderr};
use crate::readings::row;

/// The session of `--lr 5 --epochs 100` with SGD, RMSProp and Adam, exported; its headless
/// table; the file.
fn diverging_session(name: &str) -> (String, std::path::PathBuf) {
    let file = scratch("divergence", name).join("session.json");
    let shown = file.display().to_string();
    let o = run(&[
        "--headless",
        "--lr",
        "5",
        "--epochs",
        "100",
        "--optimizers",
        "sgd,rmsprop,adam",
        "--export",
        &shown,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    (stderr(&o), file)
}

#[test]
fn every_table_spells_a_divergence_the_same_way() {
    let (headless, file) = diverging_session("tables");
    let opened = run(&["--open", &file.display().to_string()]);
    assert!(opened.status.success(), "{}", stderr(&opened));
    assert_eq!(
        stderr(&opened),
        headless,
        "--open prints what the run printed"
    );

    let sgd = row(&headless, "SGD");
    assert_eq!(sgd, ["SGD", "1", "diverged@1", "-", "-", "-"], "{headless}");
    let rmsprop = row(&headless, "RMSProp");
    assert_eq!(&rmsprop[..5], ["RMSProp", "94", "diverged@94", "-", "-"]);
    assert_eq!(rmsprop[6], "@", "the best before it diverged: {headless}");
}

#[test]
fn plot_draws_and_names_every_diverged_run() {
    let (_, file) = diverging_session("plot");
    let svg = file.with_extension("svg");
    let o = run(&[
        "plot",
        &file.display().to_string(),
        "-o",
        &svg.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&svg).expect("the figure");
    for label in ["SGD diverged@1", "RMSProp diverged@94"] {
        assert!(text.contains(label), "{label} not in the figure");
    }
    // A ✗ (two strokes) in SGD's colour on each panel, though it has no finite loss.
    let sgd_strokes = (text.lines())
        .filter(|l| l.trim_start().starts_with("<line") && l.contains("#1F77B4"))
        .count();
    assert!(sgd_strokes >= 4, "SGD's divergence is not drawn:\n{text}");
}
