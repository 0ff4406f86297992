//! The one place that decides how the dashboard looks: colour or none, Unicode or plain ASCII.
//! Render code asks the [`Theme`] for every style, border, marker, mark and glyph, and passes
//! its prose through [`Theme::text`], so no render function branches on colour or ASCII.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::symbols::{Marker, border};
use ratatui::widgets::Block;

mod landscape;
mod pixels;

/// One distinct colour per run, in session order.
const RUN_COLORS: [Color; 6] = [
    Color::LightRed,
    Color::LightYellow,
    Color::LightGreen,
    Color::LightCyan,
    Color::LightMagenta,
    Color::LightBlue,
];

/// Without colour, each run's curve on a shared chart is told apart by its own character.
const RUN_MARKS: [char; 6] = ['*', 'o', '+', '#', '@', '%'];

/// The side of the lab's images. At this size and below a pixel is a coarse block the
/// glyphs mark one by one; larger images have strokes several pixels wide and are drawn finer.
pub(crate) const LAB_SIDE: usize = 8;

/// Borders drawn with `+`, `-` and `|` only.
const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// The selected chart's border in ASCII: heavier horizontals, as the thick Unicode set is.
const ASCII_SELECTED_BORDER: border::Set<'static> = border::Set {
    horizontal_top: "=",
    horizontal_bottom: "=",
    ..ASCII_BORDER
};

/// An alarm panel's border in ASCII (the Unicode one is double).
const ASCII_ALARM_BORDER: border::Set<'static> = border::Set {
    top_left: "#",
    top_right: "#",
    bottom_left: "#",
    bottom_right: "#",
    vertical_left: "#",
    vertical_right: "#",
    horizontal_top: "=",
    horizontal_bottom: "=",
};

/// Unicode characters the dashboard's prose uses, and what ASCII writes instead.
const TRANSLITERATION: [(char, &str); 24] = [
    ('·', "-"),
    ('—', "-"),
    ('–', "-"),
    ('−', "-"),
    ('─', "-"),
    ('━', "="),
    ('│', "|"),
    ('├', "|"),
    ('┤', "|"),
    ('●', "o"),
    ('←', "<-"),
    ('→', "->"),
    ('↑', "^"),
    ('↓', "v"),
    ('⇧', "S-"),
    ('⌫', "Bksp"),
    ('×', "x"),
    ('±', "+/-"),
    ('…', "..."),
    ('╲', "\\"),
    ('✓', "ok"),
    ('✗', "x"),
    ('‖', "|"),
    ('Δ', "d"),
];

/// Colour or not, Unicode or ASCII: chosen once (from `--ascii` and `NO_COLOR`), read by all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Theme {
    color: bool,
    ascii: bool,
}

impl Default for Theme {
    /// Colour and Unicode: what a modern terminal shows.
    fn default() -> Self {
        Self::new(true, false)
    }
}

impl Theme {
    /// A theme with or without colour, in Unicode or plain ASCII (which implies no colour
    /// for glyphs that need it to be read, as the digit tiles do).
    pub(crate) const fn new(color: bool, ascii: bool) -> Self {
        Self { color, ascii }
    }

    /// What the terminal asked for: colour unless `NO_COLOR` is set to something, ASCII if
    /// `ascii` (the `--ascii` flag).
    pub(crate) fn from_env(ascii: bool) -> Self {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Self::new(color, ascii)
    }

    /// No colour, Unicode glyphs: what the text snapshots are taken in.
    #[cfg(test)]
    pub(crate) const fn plain() -> Self {
        Self::new(false, false)
    }

    /// No colour, ASCII only (the tests' theme; the binary's comes from [`Theme::from_env`]).
    #[cfg(test)]
    pub(crate) const fn ascii() -> Self {
        Self::new(false, true)
    }

    /// Whether glyphs may be coloured (ASCII glyphs are read by their shape alone).
    fn paints(&self) -> bool {
        self.color && !self.ascii
    }

    /// `text` as this theme writes it: unchanged, or with every Unicode sign the dashboard
    /// uses replaced by its ASCII spelling (`←` → `<-`, `·` → `-`).
    pub(crate) fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !self.ascii || text.is_ascii() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match TRANSLITERATION.iter().find(|(u, _)| *u == c) {
                Some((_, a)) => out.push_str(a),
                None if c.is_ascii() => out.push(c),
                None => out.push('?'),
            }
        }
        Cow::Owned(out)
    }

    /// [`Theme::text`] of an owned string.
    pub(crate) fn owned(&self, text: String) -> String {
        match self.text(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(t) => t,
        }
    }

    /// Run `i`'s colour as a foreground style (none without colour).
    pub(crate) fn run(&self, i: usize) -> Style {
        match self.color {
            true => Style::new().fg(RUN_COLORS[i % RUN_COLORS.len()]),
            false => Style::new(),
        }
    }

    /// Run `i`'s colour for a second curve of the same run (train beside test accuracy):
    /// the same hue, dimmed.
    pub(crate) fn run_secondary(&self, i: usize) -> Style {
        self.run(i).add_modifier(Modifier::DIM)
    }

    /// A bordered panel.
    pub(crate) fn block(&self) -> Block<'static> {
        Block::bordered().border_set(self.pick(border::PLAIN, ASCII_BORDER))
    }

    /// The selected run's chart border: thick, bold, in its colour.
    pub(crate) fn selected_block(&self, i: usize) -> Block<'static> {
        Block::bordered()
            .border_set(self.pick(border::THICK, ASCII_SELECTED_BORDER))
            .border_style(self.run(i).add_modifier(Modifier::BOLD))
    }

    /// A panel that reports a failure.
    pub(crate) fn alarm_block(&self) -> Block<'static> {
        let block = Block::bordered().border_set(self.pick(border::DOUBLE, ASCII_ALARM_BORDER));
        match self.color {
            true => block.red(),
            false => block,
        }
    }

    /// The marker of curves: Braille, or `*`.
    pub(crate) fn marker(&self) -> Marker {
        self.pick(Marker::Braille, Marker::Custom('*'))
    }

    /// The marker of a second curve on the same axes (train accuracy), told apart from
    /// [`Theme::marker`] by shape even without colour.
    pub(crate) fn second_marker(&self) -> Marker {
        self.pick(Marker::Dot, Marker::Custom('.'))
    }

    /// The character [`Theme::second_marker`] draws, for a legend.
    pub(crate) fn second_marker_symbol(&self) -> &'static str {
        self.pick("•", ".")
    }

    /// The character [`Theme::marker`] stands for in a legend.
    pub(crate) fn marker_symbol(&self) -> &'static str {
        self.pick("⣿", "*")
    }

    /// Where a diverged curve ends.
    pub(crate) fn diverged_marker(&self) -> Marker {
        self.pick(Marker::Custom('✗'), Marker::Custom('x'))
    }

    /// A live learning-rate change drawn across a chart.
    pub(crate) fn lr_mark(&self) -> Style {
        match self.color {
            true => Style::new().gray(),
            false => Style::new(),
        }
    }

    /// Something gone wrong: a diverged run, a wrong guess.
    pub(crate) fn bad(&self) -> Style {
        match self.color {
            true => Style::new().red().bold(),
            false => Style::new().bold(),
        }
    }

    /// A right guess.
    pub(crate) fn good(&self) -> Style {
        match self.color {
            true => Style::new().green(),
            false => Style::new(),
        }
    }

    /// Secondary text (notes, legends): dim.
    pub(crate) fn note(&self) -> Style {
        Style::new().dim()
    }

    /// The status bar.
    pub(crate) fn status(&self) -> Style {
        Style::new().reversed()
    }

    /// A key in the footer.
    pub(crate) fn key(&self) -> Style {
        Style::new().reversed()
    }

    /// A header row or a bound key in the help.
    pub(crate) fn strong(&self) -> Style {
        Style::new().bold()
    }

    /// The mark of a wrong guess.
    pub(crate) fn wrong_mark(&self) -> &'static str {
        self.pick("✗", "x")
    }

    /// The mark of a right guess.
    pub(crate) fn right_mark(&self) -> &'static str {
        self.pick("✓", "ok")
    }

    /// Between fields of the status bar.
    pub(crate) fn separator(&self) -> &'static str {
        self.pick("│", "|")
    }

    /// Between fields of a line of figures.
    pub(crate) fn dot(&self) -> &'static str {
        self.pick(" · ", " - ")
    }

    /// Where a figure does not exist yet.
    pub(crate) fn missing(&self) -> &'static str {
        self.pick("—", "-")
    }

    /// The pen's mark on the draw canvas.
    pub(crate) fn pen(&self) -> &'static str {
        self.pick("▏", "|")
    }

    /// The seeds view's spread bar: thin range line, thick mean ± sd, mean dot, range ends.
    pub(crate) fn spread_glyphs(&self) -> [char; 5] {
        self.pick(['─', '━', '●', '├', '┤'], ['-', '=', 'o', '|', '|'])
    }

    /// Ratatui's chart draws its axes with fixed box-drawing lines; in ASCII they are
    /// redrawn with `|`, `-` and `+` over the chart's `area`.
    pub(crate) fn finish_chart(&self, buf: &mut Buffer, area: Rect) {
        if !self.ascii {
            return;
        }
        for pos in area.intersection(buf.area).positions() {
            let cell = &mut buf[pos];
            let ascii = match cell.symbol() {
                "│" => "|",
                "─" => "-",
                "└" => "+",
                _ => continue,
            };
            cell.set_symbol(ascii);
        }
    }

    /// Run `i`'s curve marker on a chart every run shares: Braille told apart by colour, or
    /// without colour a character of its own (see [`Theme::run_marker_symbol`]).
    pub(crate) fn run_marker(&self, i: usize) -> Marker {
        self.pick_paint(
            Marker::Braille,
            Marker::Custom(RUN_MARKS[i % RUN_MARKS.len()]),
        )
    }

    /// What [`Theme::run_marker`] draws, for the legend.
    pub(crate) fn run_marker_symbol(&self, i: usize) -> String {
        match self.paints() {
            true => "⣿".to_owned(),
            false => RUN_MARKS[i % RUN_MARKS.len()].to_string(),
        }
    }

    /// The marker of a learning-rate change's vertical line: Braille in grey, or `|`
    /// without colour, where Braille would read as one more curve.
    pub(crate) fn lr_marker(&self) -> Marker {
        self.pick_paint(Marker::Braille, Marker::Custom('|'))
    }

    fn pick<T>(&self, unicode: T, ascii: T) -> T {
        if self.ascii { ascii } else { unicode }
    }

    fn pick_paint<T>(&self, painted: T, plain: T) -> T {
        if self.paints() { painted } else { plain }
    }
}

/// The true grey of a pixel with `ink` (0..=1 of the data's full intensity), ink bright.
pub(crate) fn grey(ink: f64) -> Color {
    let g = (ink.clamp(0.0, 1.0) * 255.0).round() as u8;
    Color::Rgb(g, g, g)
}

/// The Braille character with `dots` raised (bit 0 the top left dot, as Unicode numbers them).
pub(crate) fn braille(dots: u8) -> char {
    char::from_u32(0x2800 + u32::from(dots)).unwrap_or(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_text_is_ascii_and_unicode_text_is_kept() {
        let prose = "←/→ another run · 0–9 ink · ⌫ clear … ±0.01 ✓ ✗ │";
        let ascii = Theme::ascii().text(prose);
        assert!(ascii.is_ascii(), "{ascii}");
        assert_eq!(
            ascii,
            "<-/-> another run - 0-9 ink - Bksp clear ... +/-0.01 ok x |"
        );
        assert_eq!(Theme::plain().text(prose), prose);
    }
}
