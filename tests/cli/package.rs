//! What `cargo package` puts in the crate: what `cargo install` builds from (the sources, the
//! embedded digits), the licences and the README, and nothing else (no tests, fixtures,
//! snapshots, captures, benchmarks or examples). The packaged crate's build is checked once in
//! `.ci/run` (`cargo package` verifies by building it), not here: it is a full compile.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Files the crate must hold, besides every `src/**/*.rs` outside `src/checks/`.
const REQUIRED: [&str; 7] = [
    "Cargo.toml",
    "Cargo.lock",
    "LICENSE",
    "README.md",
    "data/README.md",
    "data/digits.csv",
    "src/main.rs",
];
/// Files cargo adds itself: the normalised manifest's original and, in a git checkout, the
/// commit it was packaged from.
const CARGO_ADDS: [&str; 2] = ["Cargo.toml.orig", ".cargo_vcs_info.json"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `cargo package --list`, one path per line.
fn listed() -> BTreeSet<String> {
    let o = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(root())
        .output()
        .expect("cargo runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout)
        .expect("UTF-8 paths")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Every Rust source under `dir`, as paths relative to the crate root with `/`.
fn sources(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("readable source tree") {
        let path = entry.expect("a directory entry").path();
        if path == root().join("src/checks") {
            // The library's test-only tree, left out like the other tests.
            continue;
        }
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root()).expect("under the root");
            let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
            out.insert(parts.join("/"));
        }
    }
}

#[test]
fn the_crate_holds_the_sources_the_licences_and_nothing_else() {
    let listed = listed();
    let mut expected = BTreeSet::new();
    sources(&root().join("src"), &mut expected);
    expected.extend(REQUIRED.iter().map(|p| (*p).to_owned()));
    let missing: Vec<_> = expected.difference(&listed).collect();
    assert!(missing.is_empty(), "the crate lacks {missing:?}");
    let extra: Vec<_> = (listed.difference(&expected))
        .filter(|p| !CARGO_ADDS.contains(&p.as_str()))
        .collect();
    assert!(extra.is_empty(), "the crate should not hold {extra:?}");
}
