//! How the theme draws the landscape view: its terrain, the paths and their heads, and the
//! update rules' formulas.

use ratatui::style::{Modifier, Style};

use super::{RUN_MARKS, Theme, braille, grey};

/// How update rules are spelt in ASCII: the products' `·` is a `*` there (elsewhere `·`
/// separates fields and becomes `-`), and the Greek letters are their names.
const FORMULA_ASCII: [(char, &str); 8] = [
    ('·', "*"),
    ('²', "^2"),
    ('√', "sqrt"),
    ('ε', "eps"),
    ('γ', "gamma"),
    ('β', "beta"),
    ('ρ', "rho"),
    ('α', "alpha"),
];

/// The landscape view's levels in ASCII, lowest first: none of the paths' marks.
const TERRAIN_RAMP: [char; 5] = [' ', '.', ':', '-', '='];

impl Theme {
    /// An update rule as this theme writes it: unchanged, or in ASCII with `*` for products
    /// and Greek letters by name, then as [`Theme::text`].
    pub(crate) fn formula(&self, text: &str) -> String {
        if !self.ascii {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match FORMULA_ASCII.iter().find(|(u, _)| *u == c) {
                Some((_, a)) => out.push_str(a),
                None => out.push(c),
            }
        }
        self.owned(out)
    }

    /// A cell of the landscape view's terrain at `level` (0 lowest ..= 1 highest) with the
    /// level-set Braille `dots` (a Braille bit pattern) through it: with colour a grey
    /// background, dark low and lighter high, without dots; without colour the level sets in
    /// Braille, dim; in ASCII the ramp ` .:-=` by level, clear of the paths' marks.
    pub(crate) fn terrain(&self, level: f64, dots: u8) -> (char, Style) {
        let level = level.clamp(0.0, 1.0);
        if self.paints() {
            return (' ', Style::new().bg(grey(0.08 + 0.42 * level)));
        }
        if self.ascii {
            let i = (level * (TERRAIN_RAMP.len() - 1) as f64).round() as usize;
            return (TERRAIN_RAMP[i], Style::new());
        }
        match dots {
            0 => (' ', Style::new()),
            _ => (braille(dots), Style::new().dim()),
        }
    }

    /// Landscape path `i` in a cell it crosses at Braille `dots`: the dots in its colour, or
    /// without colour its own mark.
    pub(crate) fn path_cell(&self, i: usize, dots: u8) -> (char, Style) {
        match self.paints() {
            true => (braille(dots), self.run(i)),
            false => (RUN_MARKS[i % RUN_MARKS.len()], Style::new()),
        }
    }

    /// Where landscape path `i` stands: its mark (`✗` once diverged), bold in its colour, or
    /// reversed without colour so it stands out of its own trail.
    pub(crate) fn path_head(&self, i: usize, diverged: bool) -> (char, Style) {
        let mark = match diverged {
            true => self.pick('✗', 'x'),
            false => RUN_MARKS[i % RUN_MARKS.len()],
        };
        match self.paints() {
            true => (mark, self.run(i).add_modifier(Modifier::BOLD)),
            false => (mark, Style::new().add_modifier(Modifier::REVERSED)),
        }
    }
}
