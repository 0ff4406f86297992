//! `landscape` through the binary: its `--json` paths equal the numpy reference
//! (`bench/landscape_numpy.py`, which wrote `tests/data/landscape.json`) to the last bit, its
//! table and `plot` say what happened; bad input is one line naming the rule, exit code 2.
//! Every case of the reference through the library, and that each function's default start,
//! rates and steps are reference cases, is checked in `src/checks/landscape_paths.rs`.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use crate::binary::{run, stderr};
use crate::readings::point_bits;

#[derive(Deserialize)]
struct Case {
    /// The function's name, as the command line spells it.
    function: String,
    /// The optimizer's name, as the command line spells it.
    optimizer: String,
    lr: f64,
    steps: u32,
    diverged: bool,
    points: Vec<String>,
}

impl Case {
    /// Each point's x, y and f bits.
    fn bits(&self) -> Vec<[u64; 3]> {
        self.points.iter().map(|p| point_bits(p)).collect()
    }
}

fn cases() -> &'static [Case] {
    #[derive(Deserialize)]
    struct Doc {
        cases: Vec<Case>,
    }
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let text = std::fs::read_to_string("tests/data/landscape.json").expect("the fixture");
        serde_json::from_str::<Doc>(&text)
            .expect("the fixture parses")
            .cases
    })
}

/// The binary's JSON lines for one case, as (optimizer, step, x, y, f, diverged).
fn json_lines(args: &[&str]) -> Vec<Value> {
    let o = run(&[&["landscape"], args, &["--json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

/// The optimizers in the order the binary walks them.
const OPTIMIZERS: [&str; 5] = ["sgd", "momentum", "adagrad", "rmsprop", "adam"];

#[test]
fn json_lines_carry_numpys_bits_in_a_fixed_order() {
    // The default case of every function, every optimizer at once, as far as numpy walked it:
    // each optimizer's path, in a fixed order, is one of numpy's for that function, every
    // point's bits.
    for (function, steps) in [
        ("bowl", "100"),
        ("rosenbrock", "300"),
        ("himmelblau", "200"),
        ("saddle", "50"),
    ] {
        let lines = json_lines(&[function, "--steps", steps]);
        let mut order = Vec::new();
        for line in &lines {
            let name = line["optimizer"].as_str().expect("a name");
            if order.last() != Some(&name) {
                order.push(name);
            }
            assert!(line.get("diverged").is_none());
        }
        assert_eq!(order, OPTIMIZERS, "{function}");
        for name in OPTIMIZERS {
            let path: Vec<&Value> = (lines.iter()).filter(|l| l["optimizer"] == name).collect();
            let steps: Vec<u64> = path.iter().map(|l| l["step"].as_u64().unwrap()).collect();
            assert!(steps.iter().copied().eq(0..steps.len() as u64), "{steps:?}");
            let bits: Vec<[u64; 3]> = (path.iter())
                .map(|l| ["x", "y", "f"].map(|k| l[k].as_f64().expect("a number").to_bits()))
                .collect();
            assert!(
                (cases().iter())
                    .filter(|c| c.function == function && c.optimizer == name)
                    .any(|c| c.bits() == bits),
                "{function} {name}: no numpy path has these bits"
            );
        }
    }
    let case = (cases().iter())
        .find(|c| c.diverged && c.function == "bowl")
        .expect("a diverging bowl case");
    let lr = format!("{}={}", case.optimizer, case.lr);
    let lines = json_lines(&[
        "bowl",
        "--optimizers",
        &case.optimizer,
        "--lr-of",
        &lr,
        "--steps",
        &case.steps.to_string(),
    ]);
    assert_eq!(
        lines.len(),
        case.points.len(),
        "the path stops where f is not finite"
    );
    let last = lines.last().expect("lines");
    assert_eq!(
        (&last["f"], &last["diverged"]),
        (&Value::Null, &Value::Bool(true))
    );
    assert!(lines[..lines.len() - 1].iter().all(|l| l["f"].is_f64()));
}

#[test]
fn lr_sets_every_rate_and_lr_of_one() {
    let lines = json_lines(&[
        "saddle",
        "--steps",
        "1",
        "--optimizers",
        "sgd,adam",
        "--lr",
        "0.25",
        "--lr-of",
        "adam=0.5",
        "--start",
        "-1,0.5",
    ]);
    // SGD: y ← 0.5 − 0.25·(−2·0.5); Adam's first step is lr·sign(g) (up to ε).
    assert_eq!(lines[1]["y"], 0.75);
    assert_eq!(lines[1]["optimizer"], "sgd");
    assert!(
        (lines[3]["y"].as_f64().unwrap() - 1.0).abs() < 1e-6,
        "{}",
        lines[3]
    );
}

#[test]
fn the_table_says_where_each_got_and_what_diverged() {
    let case = (cases().iter())
        .find(|c| c.diverged && c.function == "bowl")
        .expect("a diverging bowl case");
    assert_eq!((case.optimizer.as_str(), case.lr), ("sgd", 10.0));
    let o = run(&["landscape", "bowl", "--lr-of", "sgd=10", "--steps", "400"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let row = |label: &str| {
        (text.lines())
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{label} in {text}"))
            .to_owned()
    };
    let diverged_at = format!("at step {}", case.points.len() - 1);
    assert!(row("SGD ").ends_with(&diverged_at), "{text}");
    assert!(
        row("AdaGrad").contains(" 29 ") && row("AdaGrad").ends_with("no"),
        "{text}"
    );
    assert!(text.starts_with("landscape: bowl, f = x·x/20 + y·y, from (-7, 2)"));
    let saddle = String::from_utf8(run(&["landscape", "saddle"]).stdout).unwrap();
    assert!(saddle.contains("no minimum"), "{saddle}");
}

#[test]
fn bad_input_is_one_line_naming_the_rule_and_exit_2() {
    for (args, rule) in [
        (
            &["bowl", "--start", "1"][..],
            "--start <X,Y>': must be two finite numbers X,Y",
        ),
        (&["bowl", "--start", "1,inf"], "must be two finite numbers"),
        (&["bowl", "--start", "x,2"], "must be two finite numbers"),
        (
            &["valley"],
            "'valley' for '<FUNCTION>' (one of: bowl, rosenbrock, himmelblau, saddle)",
        ),
        (
            &["bowl", "--steps", "0"],
            "--steps <N>': must be at least 1",
        ),
        (
            &["bowl", "--lr", "0"],
            "--lr <RATE>': must be a finite number greater than 0",
        ),
        (&["bowl", "--lr", "-0.5"], "greater than 0"),
        (
            &["bowl", "--lr-of", "adam=0"],
            "RATE must be a finite number greater than 0",
        ),
        (
            &["bowl", "--lr-of", "newton=1"],
            "NAME one of sgd, momentum",
        ),
        (&["bowl", "--optimizers", "mlp"], "at least one of sgd"),
    ] {
        let o = run(&[&["landscape"], args].concat());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(rule), "{args:?}: {err}");
        assert!(o.stdout.is_empty());
    }
}

/// A scratch file of its own.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("digits-tui-landscape-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn plot_draws_the_level_sets_and_every_path_with_the_legend_outside() {
    let lines = scratch("rosenbrock.jsonl");
    let o = run(&["landscape", "rosenbrock", "--json", "--lr-of", "sgd=0.01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(&lines, &o.stdout).unwrap();
    let svg = scratch("rosenbrock.svg");
    let o = run(&[
        "plot",
        &lines.display().to_string(),
        "-o",
        &svg.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed SVG");
    let texts: Vec<(f64, String)> = (doc.descendants())
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let x = n.attribute("x").and_then(|x| x.parse().ok()).unwrap_or(0.0);
            (x, n.text().unwrap_or_default().trim().to_owned())
        })
        .collect();
    let has = |needle: &str| texts.iter().find(|(_, t)| t.contains(needle));
    assert!(
        has("rosenbrock: f = (1 − x)² + 100·d·d").is_some(),
        "{texts:?}"
    );
    // The legend names every optimizer, right of the plot's last x label (2.0).
    let right_edge = has("2.0").map(|(x, _)| *x).expect("the x axis' last label");
    for label in [
        "SGD: diverged at step",
        "Momentum: f ",
        "AdaGrad: f ",
        "RMSProp: f ",
        "Adam: f ",
    ] {
        let (x, _) = has(label).unwrap_or_else(|| panic!("{label} in {texts:?}"));
        assert!(
            *x > right_edge,
            "{label} at {x}, the plot ends at {right_edge}"
        );
    }
    // Grey level sets, and a line in each optimizer's colour.
    let strokes: Vec<&str> = (doc.descendants())
        .filter(|n| n.has_tag_name("polyline"))
        .filter_map(|n| n.attribute("stroke"))
        .collect();
    assert!(strokes.iter().filter(|s| **s == "#B9B9B9").count() > 100);
    let colours: std::collections::BTreeSet<&&str> = strokes
        .iter()
        .filter(|s| **s != "#B9B9B9" && **s != "#000000")
        .collect();
    assert_eq!(colours.len(), 5, "{colours:?}");
}

#[test]
fn plot_refuses_points_of_no_landscape_in_one_line() {
    let lines = scratch("made-up.jsonl");
    std::fs::write(
        &lines,
        "{\"optimizer\":\"sgd\",\"step\":0,\"x\":1.0,\"y\":2.0,\"f\":3.0}\n",
    )
    .unwrap();
    let out = scratch("made-up.svg");
    let o = run(&[
        "plot",
        &lines.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("fit none of the landscapes"), "{err}");
}
