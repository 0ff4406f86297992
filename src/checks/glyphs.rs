//! The README's words for the glyphs digits are drawn with are the themes' own: the shade
//! ramps, the half-block pairs and the ASCII ramp.

use crate::ui::theme::Theme;

/// The README's words on how digits are drawn without colour, checked against the theme: every
/// shade an 8×8 level can take, the marks of two pixels in a cell, and the ramp of larger
/// images, each as the README writes it in backticks.
#[test]
fn readme_describes_the_glyphs_digits_are_drawn_with() {
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
