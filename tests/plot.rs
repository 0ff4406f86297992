//! `digits-tui plot`: each kind of saved output becomes a well-formed SVG with one series per
//! run and labelled axes; anything else is a one-line error with exit code 2.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

mod binary;

use binary::run;

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// A directory of its own for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("digits-tui-plot-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What a drawn SVG holds: every text, and the series lines (three points or more) and dots
/// per colour. Black is the frame, the axes and the mean bars; every run has a colour.
struct Figure {
    texts: Vec<String>,
    lines: BTreeMap<String, usize>,
    dots: BTreeMap<String, usize>,
}

fn plot(input: &Path, dir: &Path) -> Figure {
    let out = dir.join("figure.svg");
    ok(run(&[
        "plot",
        &input.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]));
    let text = std::fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let mut figure = Figure {
        texts: Vec::new(),
        lines: BTreeMap::new(),
        dots: BTreeMap::new(),
    };
    for node in doc.descendants().filter(|n| n.is_element()) {
        let stroke = node.attribute("stroke").unwrap_or_default().to_owned();
        match node.tag_name().name() {
            "text" => figure
                .texts
                .push(node.text().unwrap_or_default().trim().to_owned()),
            "polyline" if stroke != "#000000" => {
                let points = node.attribute("points").unwrap_or_default();
                if points.split_whitespace().count() >= 3 {
                    *figure.lines.entry(stroke).or_default() += 1;
                }
            }
            // Hollow circles are the mean bars' centres.
            "circle" if node.attribute("fill") != Some("none") => {
                let fill = node.attribute("fill").unwrap_or_default().to_owned();
                *figure.dots.entry(fill).or_default() += 1;
            }
            _ => {}
        }
    }
    figure
}

impl Figure {
    fn has_text(&self, text: &str) -> bool {
        self.texts.iter().any(|t| t == text)
    }
}

const LABELS: [&str; 6] = [
    "SGD",
    "Momentum",
    "AdaGrad",
    "RMSProp",
    "Adam",
    "MLP (sklearn)",
];

#[test]
fn a_session_is_loss_and_accuracy_per_epoch_with_a_legend_and_rate_marks() {
    let dir = scratch("session");
    let session = dir.join("session.json");
    let export = session.display().to_string();
    ok(run(&[
        "--headless",
        "--epochs",
        "4",
        "--hidden",
        "8",
        "--export",
        &export,
    ]));
    // A live rate change, as the dashboard's `+` records it.
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&session).unwrap()).unwrap();
    doc["runs"][1]["lr_changes"] = serde_json::json!([{"after_epoch": 2, "lr": 0.02}]);
    std::fs::write(&session, doc.to_string()).unwrap();

    let figure = plot(&session, &dir);
    assert_eq!(
        figure.lines.len(),
        6,
        "a colour per run: {:?}",
        figure.lines
    );
    assert!(
        figure.lines.values().all(|&n| n == 2),
        "loss and accuracy: {:?}",
        figure.lines
    );
    for axis in ["epoch", "loss", "test accuracy", "loss (log scale)"] {
        assert!(figure.has_text(axis), "{axis}: {:?}", figure.texts);
    }
    for label in LABELS {
        let legends = figure.texts.iter().filter(|t| *t == label).count();
        assert_eq!(legends, 2, "{label} in both legends");
    }
    assert!(figure.has_text("lr 0.02"), "{:?}", figure.texts);
}

#[test]
fn a_comparison_is_a_dot_per_seed_for_every_optimizer() {
    let dir = scratch("compare");
    let doc = dir.join("compare.json");
    let o = ok(run(&[
        "compare", "--seeds", "3", "--epochs", "2", "--hidden", "8", "--json",
    ]));
    std::fs::write(&doc, o.stdout).unwrap();
    let figure = plot(&doc, &dir);
    assert_eq!(figure.dots.len(), 6, "{:?}", figure.dots);
    assert!(figure.dots.values().all(|&n| n == 3), "{:?}", figure.dots);
    for axis in ["optimizer", "final test accuracy"] {
        assert!(figure.has_text(axis), "{axis}: {:?}", figure.texts);
    }
    for label in LABELS {
        assert!(figure.has_text(label), "{label}");
    }
}

#[test]
fn a_sweep_is_a_curve_per_optimizer_against_the_rate() {
    let dir = scratch("sweep");
    let doc = dir.join("sweep.json");
    let o = ok(run(&[
        "sweep",
        "--lr-grid",
        "0.01,0.1,1,1000",
        "--seeds",
        "2",
        "--epochs",
        "2",
        "--hidden",
        "8",
        "--optimizers",
        "sgd,adam",
        "--json",
    ]));
    std::fs::write(&doc, o.stdout).unwrap();
    let figure = plot(&doc, &dir);
    assert_eq!(figure.lines.len(), 2, "{:?}", figure.lines);
    assert!(figure.lines.values().all(|&n| n == 1), "{:?}", figure.lines);
    assert!(
        figure.has_text("final test accuracy (mean ± sd)"),
        "{:?}",
        figure.texts
    );
    assert!(
        figure
            .texts
            .iter()
            .any(|t| t.starts_with("learning rate (log scale")),
        "{:?}",
        figure.texts
    );
    for text in ["SGD", "Adam", "0.01", "1"] {
        assert!(figure.has_text(text), "{text}: {:?}", figure.texts);
    }
}

#[test]
fn a_knob_sweep_is_a_curve_per_optimizer_against_the_knob_values() {
    let dir = scratch("knob-sweep");
    let doc = dir.join("sweep.json");
    let o = ok(run(&[
        "sweep",
        "--grid",
        "init=lab,xavier,he",
        "--seeds",
        "2",
        "--epochs",
        "2",
        "--hidden",
        "8",
        "--optimizers",
        "sgd,adam",
        "--json",
    ]));
    std::fs::write(&doc, o.stdout).unwrap();
    let figure = plot(&doc, &dir);
    assert_eq!(figure.lines.len(), 2, "{:?}", figure.lines);
    for text in [
        "SGD",
        "Adam",
        "lab",
        "xavier",
        "he",
        "--init (the baseline keeps scikit-learn's own)",
    ] {
        assert!(figure.has_text(text), "{text}: {:?}", figure.texts);
    }
    assert!(
        figure
            .texts
            .iter()
            .any(|t| t.starts_with("final test accuracy against --init")),
        "{:?}",
        figure.texts
    );
}

#[test]
fn a_file_that_is_none_of_them_is_one_line_and_exit_2() {
    let dir = scratch("bad");
    let out = dir.join("never.svg").display().to_string();
    for (name, content, says) in [
        ("text.json", "not json", "not JSON"),
        (
            "other.json",
            "{\"seeds\": [7]}",
            "not a session file (--export), compare --json, sweep --json or landscape --json output",
        ),
        (
            "part.json",
            "{\"partial\": \"sweep\"}",
            "one shard's partial document",
        ),
        (
            "sweep.json",
            "{\"rates\": [0.1]}",
            "not sweep --json output: missing field",
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        let o = run(&["plot", &path.display().to_string(), "-o", &out]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(name) && err.contains(says), "{err}");
        assert!(!Path::new(&out).exists());
    }
    let o = run(&["plot", "/nonexistent/file.json", "-o", &out]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read /nonexistent/file.json"));
}
