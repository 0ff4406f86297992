//! Every `$ digits-tui …` example in the README is what the binary prints: the command is run
//! and each shown line must appear in its output, in order (`...` stands for lines left out).

use crate::binary::bin;

/// `(arguments, shown lines)` of every example in the README.
fn examples() -> Vec<(Vec<String>, Vec<String>)> {
    let readme = include_str!("../../README.md");
    let mut examples = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some(args) = line.strip_prefix("$ digits-tui") else {
            continue;
        };
        let shown = (lines.by_ref())
            .take_while(|l| !l.starts_with("```"))
            .map(str::to_owned)
            .collect();
        examples.push((args.split_whitespace().map(str::to_owned).collect(), shown));
    }
    examples
}

#[test]
fn readme_examples_are_what_the_binary_prints() {
    let examples = examples();
    assert!(
        !examples.is_empty(),
        "the README shows at least one example"
    );
    for (args, shown) in examples {
        let out = bin().args(&args).output().expect("the binary runs");
        assert!(out.status.success(), "digits-tui {}", args.join(" "));
        let printed = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        let mut rest = printed.lines();
        for line in shown.iter().filter(|l| l.as_str() != "...") {
            assert!(
                rest.any(|p| p == line),
                "`digits-tui {}` does not print, in this order:\n{line}\n\nit printed:\n{printed}",
                args.join(" ")
            );
        }
    }
}
