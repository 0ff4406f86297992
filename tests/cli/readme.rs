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

/// The README's words on how digits are drawn without colour, checked against the theme: every
/// shade an 8×8 level can take, the marks of two pixels in a cell, and the ramp of larger
/// images, each as the README writes it in backticks.
#[test]
fn readme_describes_the_glyphs_digits_are_drawn_with() {
    use digits_tui::ui::theme::Theme;
    let readme = include_str!("../../README.md")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let shades = |theme: Theme| {
        let mut out = String::new();
        for level in 0..=16 {
            let c = theme.shade(f64::from(level) / 16.0);
            if !out.ends_with(c) {
                out.push(c);
            }
        }
        out
    };
    let pair = |theme: Theme, upper: f64, lower: f64, fine: bool| {
        theme.pixel_pair(upper, lower, fine).content.into_owned()
    };
    let ramp: String = (0..=9)
        .map(|step| {
            pair(
                Theme::ascii(),
                f64::from(step) / 9.0,
                f64::from(step) / 9.0,
                true,
            )
        })
        .collect();
    let plain_pairs =
        [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0)].map(|(u, l)| pair(Theme::plain(), u, l, false));
    let ascii_pairs =
        [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0)].map(|(u, l)| pair(Theme::ascii(), u, l, false));
    for shown in [
        format!("`{}`", shades(Theme::plain())),
        format!("`{}`", shades(Theme::ascii())),
        format!("`{}`", plain_pairs.join(" ")),
        format!(
            "`{}` (upper), `{}` (lower) or `{}` (both)",
            ascii_pairs[0], ascii_pairs[1], ascii_pairs[2]
        ),
        format!("`{ramp}`"),
    ] {
        assert!(readme.contains(&shown), "the README does not say {shown}");
    }
}
