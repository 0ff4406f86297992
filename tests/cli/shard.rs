//! `--shard K/N` and `merge`: N slices merged are the unsharded output byte for byte (table
//! and JSON, compare and sweep); parts of different runs, a missing shard, a shard given twice
//! and a damaged part are one-line errors with exit code 2.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::binary::run;

fn stdout(o: &Output) -> Vec<u8> {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o.stdout.clone()
}

/// A directory of its own for one test's parts.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("digits-tui-shard-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `args` with `--shard k/n` for every k and writes each part to `dir`.
fn parts(dir: &Path, args: &[&str], n: u32) -> Vec<String> {
    (1..=n)
        .map(|k| {
            let shard = format!("{k}/{n}");
            let part = dir.join(format!("part-{k}.json"));
            std::fs::write(&part, stdout(&run(&[args, &["--shard", &shard]].concat()))).unwrap();
            part.display().to_string()
        })
        .collect()
}

fn merge(parts: &[String], extra: &[&str]) -> Output {
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    run(&[&["merge"], &parts[..], extra].concat())
}

const SWEEP: [&str; 11] = [
    "sweep",
    "--lr-grid",
    "0.01,0.1,1",
    "--seeds",
    "2",
    "--epochs",
    "2",
    "--hidden",
    "8",
    "--optimizers",
    "sgd,momentum,rmsprop,mlp",
];

#[test]
fn three_sweep_shards_merge_into_the_unsharded_table_and_json() {
    let dir = scratch("sweep");
    let parts = parts(&dir, &SWEEP, 3);
    let whole = stdout(&run(&SWEEP));
    let whole_json = stdout(&run(&[&SWEEP[..], &["--json"]].concat()));
    assert_eq!(
        stdout(&merge(&parts, &[])),
        whole,
        "the table, byte for byte"
    );
    let reversed: Vec<String> = parts.iter().rev().cloned().collect();
    assert_eq!(
        stdout(&merge(&reversed, &["--json"])),
        whole_json,
        "any order"
    );
}

#[test]
fn knob_sweep_shards_merge_into_the_unsharded_table_and_json() {
    let dir = scratch("knob");
    let knob: Vec<&str> = (SWEEP.iter().copied())
        .map(|a| match a {
            "--lr-grid" => "--grid",
            "0.01,0.1,1" => "activation=sigmoid,tanh,relu",
            a => a,
        })
        .collect();
    let parts = parts(&dir, &knob, 2);
    let part: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&parts[0]).unwrap()).unwrap();
    assert_eq!(
        part["activations"],
        serde_json::json!(["sigmoid", "tanh", "relu"])
    );
    assert_eq!(
        stdout(&merge(&parts, &[])),
        stdout(&run(&knob)),
        "the table"
    );
    assert_eq!(
        stdout(&merge(&parts, &["--json"])),
        stdout(&run(&[&knob[..], &["--json"]].concat())),
        "the document"
    );
    // A part of the rate sweep with the same settings is another run.
    let rate = parts_of_rate(&dir);
    let o = merge(&[parts[0].clone(), rate], &[]);
    assert_one_line_error(&o, &["parts of different runs (different grids)"]);
}

/// The first of two shards of [`SWEEP`], beside the knob sweep's parts.
fn parts_of_rate(dir: &Path) -> String {
    let part = dir.join("rate-2.json");
    std::fs::write(
        &part,
        stdout(&run(&[&SWEEP[..], &["--shard", "2/2"]].concat())),
    )
    .unwrap();
    part.display().to_string()
}

#[test]
fn three_compare_shards_merge_into_the_unsharded_table_and_json() {
    let dir = scratch("compare");
    let args = [
        "compare",
        "--seeds",
        "3",
        "--epochs",
        "2",
        "--hidden",
        "8",
        "--protocol",
        "chain",
    ];
    let parts = parts(&dir, &args, 3);
    assert_eq!(stdout(&merge(&parts, &[])), stdout(&run(&args)));
    assert_eq!(
        stdout(&merge(&parts, &["--json"])),
        stdout(&run(&[&args[..], &["--json"]].concat()))
    );
}

fn assert_one_line_error(o: &Output, needles: &[&str]) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    for needle in needles {
        assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    }
    assert!(o.stdout.is_empty());
}

#[test]
fn parts_that_do_not_add_up_are_refused_by_name() {
    let dir = scratch("bad");
    let parts = parts(&dir, &SWEEP, 3);
    assert_one_line_error(&merge(&parts[..2], &[]), &["missing shard 3/3"]);
    assert_one_line_error(
        &merge(&[parts[0].clone(), parts[1].clone(), parts[1].clone()], &[]),
        &["part-2.json and", "are both shard 2/3"],
    );

    let other_dir = scratch("other");
    let other_args = [&SWEEP[..], &["--seed", "8"]].concat();
    let other = self::parts(&other_dir, &other_args, 3);
    assert_one_line_error(
        &merge(&[parts[0].clone(), other[1].clone(), parts[2].clone()], &[]),
        &["are parts of different runs (different settings)"],
    );

    // A part that lost a result.
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&parts[1]).unwrap()).unwrap();
    doc["results"].as_array_mut().unwrap().pop();
    let damaged = dir.join("damaged.json");
    std::fs::write(&damaged, doc.to_string()).unwrap();
    let damaged = damaged.display().to_string();
    assert_one_line_error(
        &merge(&[parts[0].clone(), damaged, parts[2].clone()], &[]),
        &["damaged.json: its", "are not the runs of shard 2/3"],
    );

    let not_a_part = dir.join("not-a-part.json");
    std::fs::write(&not_a_part, "{\"seeds\": [7]}").unwrap();
    assert_one_line_error(
        &merge(&[not_a_part.display().to_string()], &[]),
        &[
            "not-a-part.json: JSON of none of the kinds",
            "not a partial document",
        ],
    );
}

#[test]
fn merge_names_the_kind_of_file_it_was_given_and_the_kind_it_wants() {
    let dir = scratch("wrong-kind");
    let report = dir.join("compare.json");
    let args = [
        "compare", "--json", "--seeds", "1", "--epochs", "1", "--hidden", "8",
    ];
    let args = [&args[..], &["--optimizers", "sgd"]].concat();
    std::fs::write(&report, stdout(&run(&args))).unwrap();
    let o = merge(&[report.display().to_string()], &[]);
    assert_one_line_error(
        &o,
        &[
            "compare.json: compare --json output, not a partial document of compare --shard",
            "merge adds up the parts --shard writes",
        ],
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("unknown field"));
}

#[test]
fn bad_shards_are_one_line_and_exit_2() {
    for shard in ["0/3", "4/3", "3", "x/y"] {
        let o = run(&["compare", "--shard", shard]);
        assert_one_line_error(&o, &["--shard", "must be K/N"]);
    }
}
