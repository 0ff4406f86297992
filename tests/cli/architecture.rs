//! The layering the README's "Layout" claims, checked from the source: every `crate::` and
//! `super::` path outside `#[cfg(test)]` code (unit tests and the test-only `src/checks/`) is
//! resolved to the file it names, and
//! - no file imports a file of a layer above its own;
//! - the dashboard (`ui`) and the other front ends (`front`) do not import each other (what
//!   both need lives below them);
//! - no two files import each other;
//! - `error.rs` holds only the core's errors.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first, by top-level module; `lib.rs` and `main.rs` sit above them all.
const LAYERS: [&[&str]; 5] = [
    &["rng", "data", "nn", "train", "error", "landscape"],
    &["engine"],
    &["model", "export"],
    &["settings", "format", "exit"],
    &["front", "ui"],
];

/// A source file's module path (`src/ui/render/mod.rs` is `ui::render`).
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = (relative.iter())
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

fn sources(dir: &Path, root: &Path, out: &mut BTreeMap<Vec<String>, String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src readable")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path == root.join("checks") {
            // The library's tests of its internals: test-only code, in no layer.
            let lib = std::fs::read_to_string(root.join("lib.rs")).expect("lib.rs readable");
            assert!(
                lib.contains("#[cfg(test)]\nmod checks;"),
                "checks is test-only"
            );
            continue;
        }
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("main.rs") {
            let relative = path.strip_prefix(root).expect("under src");
            let text = std::fs::read_to_string(&path).expect("source readable");
            out.insert(module_of(relative), text);
        }
    }
}

/// The code without its unit tests and comments (a doc link is not an import).
fn production(text: &str) -> String {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let lines = code.lines().filter(|l| !l.trim_start().starts_with("//"));
    lines.collect::<Vec<_>>().join("\n")
}

/// Every path a `use` tree names, flattened: `use a::{b, c::{d, e}}` gives a::b, a::c::d,
/// a::c::e.
fn use_paths(tree: &str, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    match tree.find('{') {
        None => {
            let mut path = prefix.to_vec();
            let head = tree.split(" as ").next().unwrap_or(tree);
            path.extend(
                head.split("::")
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            );
            out.push(path);
        }
        Some(open) => {
            let mut path = prefix.to_vec();
            let head = tree[..open].trim_end_matches("::");
            path.extend(
                head.split("::")
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            );
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        use_paths(&inner[start..i], &path, out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            use_paths(&inner[start..], &path, out);
        }
    }
}

/// The `crate::` and `super::` paths of `code` (in `use` trees and inline), made absolute
/// from `module`.
fn paths_of(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut raw = Vec::new();
    for statement in code.split(';') {
        let statement = statement.trim_start();
        let tree = ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .find_map(|p| statement.strip_prefix(p));
        if let Some(tree) = tree {
            use_paths(tree, &[], &mut raw);
        }
    }
    let mut rest = code;
    while let Some(at) = rest
        .find("crate::")
        .into_iter()
        .chain(rest.find("super::"))
        .min()
    {
        let word_start =
            at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let end = rest[at..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .map_or(rest.len(), |e| at + e);
        // A group or glob is read from its `use` tree above.
        let grouped = rest[end..].starts_with(['{', '*']);
        if word_start && !grouped {
            raw.push(
                rest[at..end]
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            );
        }
        rest = &rest[end.max(at + 1)..];
    }
    raw.into_iter()
        .filter_map(|path| match path.first().map(String::as_str) {
            Some("crate") => Some(path[1..].to_vec()),
            Some("super") => {
                let mut base = module[..module.len().saturating_sub(1)].to_vec();
                let mut tail = &path[1..];
                while tail.first().is_some_and(|s| s == "super") {
                    base.pop();
                    tail = &tail[1..];
                }
                base.extend(tail.iter().cloned());
                Some(base)
            }
            _ => None,
        })
        .collect()
}

/// Which files each file imports, by module path.
fn imports() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    sources(&root, &root, &mut files);
    let mut out = BTreeMap::new();
    for (module, text) in &files {
        let targets = (paths_of(&production(text), module).into_iter())
            .filter_map(|path| {
                (1..=path.len())
                    .rev()
                    .map(|n| path[..n].to_vec())
                    .find(|m| files.contains_key(m))
            })
            .filter(|target| target != module && !target.is_empty())
            .collect();
        out.insert(module.clone(), targets);
    }
    out
}

fn layer(module: &[String]) -> usize {
    let top = module.first().map_or("", String::as_str);
    LAYERS
        .iter()
        .position(|l| l.contains(&top))
        .unwrap_or(LAYERS.len())
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "lib".into()
    } else {
        module.join("::")
    }
}

#[test]
fn every_module_is_in_a_layer() {
    for module in imports().keys().filter(|m| !m.is_empty()) {
        assert!(
            layer(module) < LAYERS.len(),
            "{} is in no layer",
            name(module)
        );
    }
}

#[test]
fn no_file_imports_a_layer_above_it() {
    let mut wrong = Vec::new();
    for (module, targets) in &imports() {
        for target in targets.iter().filter(|t| layer(t) > layer(module)) {
            wrong.push(format!("{} -> {}", name(module), name(target)));
        }
    }
    assert!(wrong.is_empty(), "imports from a higher layer: {wrong:#?}");
}

#[test]
fn the_dashboard_and_the_other_front_ends_do_not_import_each_other() {
    let mut wrong = Vec::new();
    for (module, targets) in &imports() {
        let top = |m: &[String]| m.first().cloned().unwrap_or_default();
        for target in targets {
            let pair = (top(module), top(target));
            if matches!(
                (pair.0.as_str(), pair.1.as_str()),
                ("ui", "front") | ("front", "ui")
            ) {
                wrong.push(format!("{} -> {}", name(module), name(target)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "front ends importing each other: {wrong:#?}"
    );
}

#[test]
fn no_two_files_import_each_other() {
    let all = imports();
    let mut wrong = Vec::new();
    for (module, targets) in &all {
        for target in targets.iter().filter(|t| module < *t) {
            if all.get(target).is_some_and(|back| back.contains(module)) {
                wrong.push(format!("{} <-> {}", name(module), name(target)));
            }
        }
    }
    assert!(wrong.is_empty(), "files importing each other: {wrong:#?}");
}

#[test]
fn error_rs_holds_only_core_errors() {
    // `error.rs` is in the core and imports nothing above it...
    let error = vec!["error".to_owned()];
    assert_eq!(layer(&error), 0, "error.rs is not in the core");
    let all = imports();
    let above: Vec<_> = (all.get(&error).expect("error.rs is read").iter())
        .filter(|t| layer(t) > 0)
        .map(|t| name(t))
        .collect();
    assert!(
        above.is_empty(),
        "error.rs imports above the core: {above:?}"
    );
    // ...and every error it defines is returned below the front ends: one that only the
    // settings or the front ends name (as `RunError` and `ConfigError` once were) belongs there.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    sources(&root, &root, &mut files);
    let text = production(&files[&error]);
    let defined: Vec<&str> = (text.lines())
        .filter_map(|l| {
            l.strip_prefix("pub enum ")
                .or_else(|| l.strip_prefix("pub struct "))
        })
        .filter_map(|rest| rest.split([' ', '{', '(', '<']).next())
        .collect();
    assert!(!defined.is_empty(), "no errors found in error.rs");
    let shared = LAYERS
        .iter()
        .position(|l| l.contains(&"settings"))
        .expect("settings layer");
    for ty in defined {
        let users: Vec<_> = (files.iter())
            .filter(|(m, t)| **m != error && !m.is_empty() && production(t).contains(ty))
            .map(|(m, _)| m.clone())
            .collect();
        assert!(
            users.iter().any(|m| layer(m) < shared),
            "{ty} is in error.rs but only {:?} use it; it belongs with them",
            users.iter().map(|m| name(m)).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_checks_see_what_they_check() {
    // The parser finds the imports it must: a test that found none would pass vacuously.
    let all = imports();
    let of = |m: &str| all.get(&m.split("::").map(String::from).collect::<Vec<_>>());
    for (module, expected) in [
        ("ui::app", "ui::view"),
        ("ui::app", "settings::flags"),
        ("ui::app", "engine"),
        ("ui::app::intents", "ui::intent"),
    ] {
        let imports = of(module).expect("the module is read");
        let expected: Vec<String> = expected.split("::").map(String::from).collect();
        assert!(
            imports.contains(&expected),
            "{module} -> {expected:?} not seen in {imports:?}"
        );
    }
    let mut paths = Vec::new();
    use_paths("a::{b, c::{d, e as f}}", &[], &mut paths);
    assert_eq!(
        paths,
        [vec!["a", "b"], vec!["a", "c", "d"], vec!["a", "c", "e"]]
    );
    let module = vec!["ui".to_owned(), "render".to_owned(), "help".to_owned()];
    let found = paths_of(
        "use super::super::app::App;\nlet x = crate::format::loss(1);",
        &module,
    );
    for expected in [vec!["ui", "app", "App"], vec!["format", "loss"]] {
        assert!(
            found.contains(&expected.iter().map(|s| s.to_string()).collect()),
            "{found:?}"
        );
    }
}
