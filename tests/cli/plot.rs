//! `digits-tui plot`: each kind of saved output becomes a well-formed SVG with one series per
//! run and labelled axes; anything else is a one-line error with exit code 2.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::binary::run;

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
        assert_eq!(legends, 1, "{label} in the one legend, beside both panels");
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

/// The plot of a small SGD and Adam sweep over `grid` (a grid flag and its values), its files in
/// the scratch directory `name`.
fn sweep_figure(name: &str, grid: [&str; 2]) -> Figure {
    let dir = scratch(name);
    let doc = dir.join("sweep.json");
    let small = [
        "--seeds",
        "2",
        "--epochs",
        "2",
        "--hidden",
        "8",
        "--optimizers",
        "sgd,adam",
    ];
    let o = ok(run(&[&["sweep"], &grid[..], &small, &["--json"]].concat()));
    std::fs::write(&doc, o.stdout).unwrap();
    plot(&doc, &dir)
}

#[test]
fn a_sweep_is_a_curve_per_optimizer_against_the_rate() {
    let figure = sweep_figure("sweep", ["--lr-grid", "0.01,0.1,1,1000"]);
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
    let figure = sweep_figure("knob-sweep", ["--grid", "init=lab,xavier,he"]);
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

/// A box in SVG pixels: left, top, right, bottom.
type Box = (f64, f64, f64, f64);

/// The numbers of a `points` attribute, as (x, y) pairs.
fn points(node: roxmltree::Node<'_, '_>) -> Vec<(f64, f64)> {
    (node
        .attribute("points")
        .unwrap_or_default()
        .split_whitespace())
    .filter_map(|p| p.split_once(','))
    .filter_map(|(x, y)| Some((x.parse().ok()?, y.parse().ok()?)))
    .collect()
}

/// Every legend entry's box: a text with a short level sample line just left of it (how
/// plotters' series labels and the figures' own legends both draw an entry), from the
/// sample's start to the text's estimated end.
fn legend_boxes(doc: &roxmltree::Document<'_>) -> Vec<Box> {
    let samples: Vec<(f64, f64, f64)> = (doc.descendants())
        .filter(|n| n.has_tag_name("polyline"))
        .map(points)
        .filter(|p| p.len() == 2 && p[0].1 == p[1].1 && (p[1].0 - p[0].0).abs() <= 30.0)
        .map(|p| (p[0].0.min(p[1].0), p[0].0.max(p[1].0), p[0].1))
        .collect();
    let number = |n: roxmltree::Node<'_, '_>, a: &str| -> f64 {
        (n.attribute(a).and_then(|v| v.parse().ok())).unwrap_or(f64::NAN)
    };
    (doc.descendants())
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|text| {
            let (x, y) = (number(text, "x"), number(text, "y"));
            let size = number(text, "font-size");
            let chars = text.text().unwrap_or_default().chars().count() as f64;
            let (left, _, _) = samples.iter().find(|&&(_, end, sy)| {
                (0.0..=15.0).contains(&(x - end)) && (sy - y).abs() <= size
            })?;
            Some((*left, y - size, x + 0.6 * size * chars, y + size))
        })
        .collect()
}

/// Whether a data mark of `doc` (a line of three points or more, or a dot) enters `b`.
fn data_inside(doc: &roxmltree::Document<'_>, b: Box) -> Option<String> {
    let inside = |(x, y): (f64, f64)| b.0 <= x && x <= b.2 && b.1 <= y && y <= b.3;
    for node in doc.descendants() {
        if node.has_tag_name("polyline") {
            let line = points(node);
            if line.len() < 3 {
                continue;
            }
            for pair in line.windows(2) {
                let (a, z) = (pair[0], pair[1]);
                let steps = ((z.0 - a.0).abs().max((z.1 - a.1).abs())).ceil().max(1.0);
                let hit = (0..=steps as usize)
                    .map(|k| k as f64 / steps)
                    .find_map(|t| {
                        let p = (a.0 + t * (z.0 - a.0), a.1 + t * (z.1 - a.1));
                        inside(p).then_some(p)
                    });
                if let Some(p) = hit {
                    let stroke = node.attribute("stroke").unwrap_or_default();
                    return Some(format!("a {stroke} line at {p:?}"));
                }
            }
        } else if node.has_tag_name("circle") {
            let at = |a: &str| node.attribute(a).and_then(|v| v.parse::<f64>().ok());
            if let (Some(x), Some(y)) = (at("cx"), at("cy"))
                && inside((x, y))
            {
                return Some(format!("a dot at {x},{y}"));
            }
        }
    }
    None
}

#[test]
fn no_legend_covers_data_in_the_session_sweep_or_compare_figure() {
    let dir = scratch("legends");
    let session = dir.join("session.json");
    let lr5 = [
        "--lr",
        "5",
        "--epochs",
        "100",
        "--optimizers",
        "sgd,rmsprop,adam",
    ];
    let export = session.display().to_string();
    ok(run(
        &[&["--headless"][..], &lr5, &["--export", &export]].concat()
    ));
    let sweep = dir.join("sweep.json");
    let small = ["--seeds", "1", "--epochs", "30", "--hidden", "16", "--json"];
    let o = ok(run(
        &[&["sweep", "--lr-grid", "1e-4:1:9"][..], &small].concat()
    ));
    std::fs::write(&sweep, o.stdout).unwrap();
    let compare = dir.join("compare.json");
    let o = ok(run(&[&["compare"][..], &small].concat()));
    std::fs::write(&compare, o.stdout).unwrap();
    for (input, entries) in [(session, 3), (sweep, 6), (compare, 6)] {
        let out = dir.join("legend.svg");
        let shown = input.display().to_string();
        ok(run(&["plot", &shown, "-o", &out.display().to_string()]));
        let text = std::fs::read_to_string(&out).unwrap();
        let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
        let boxes = legend_boxes(&doc);
        assert!(boxes.len() >= entries, "{shown}: legend entries {boxes:?}");
        for b in boxes {
            if let Some(what) = data_inside(&doc, b) {
                panic!("{shown}: the legend at {b:?} covers {what}");
            }
        }
    }
}
