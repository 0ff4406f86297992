//! The one place that decides how the dashboard looks: colour or none, Unicode or plain ASCII.
//! Render code asks the [`Theme`] for every style, border, marker, mark and glyph, and passes
//! its prose through [`Theme::text`], so no render function branches on colour or ASCII.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::symbols::{Marker, border};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

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

/// The side of the lab's images. At this size and below a pixel is a coarse block the
/// glyphs mark one by one; larger images have strokes several pixels wide and are drawn finer.
pub const LAB_SIDE: usize = 8;

/// Shades from paper to full ink without colour, lightest first.
const BLOCK_SHADES: [char; 5] = [' ', '░', '▒', '▓', '█'];
/// The same with ASCII only.
const ASCII_SHADES: [char; 5] = [' ', '.', ':', 'o', '#'];
/// The ASCII ramp of large images, where one character stands for two pixels' mean.
const ASCII_RAMP: &str = " .:-=+*#%@";

/// The landscape view's levels in ASCII, lowest first: none of the paths' marks.
const TERRAIN_RAMP: [char; 5] = [' ', '.', ':', '-', '='];

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
const TRANSLITERATION: [(char, &str); 22] = [
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
];

/// Colour or not, Unicode or ASCII: chosen once (from `--ascii` and `NO_COLOR`), read by all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
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
    pub const fn new(color: bool, ascii: bool) -> Self {
        Self { color, ascii }
    }

    /// What the terminal asked for: colour unless `NO_COLOR` is set to something, ASCII if
    /// `ascii` (the `--ascii` flag).
    pub fn from_env(ascii: bool) -> Self {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Self::new(color, ascii)
    }

    /// No colour, Unicode glyphs: what the text snapshots are taken in.
    pub const fn plain() -> Self {
        Self::new(false, false)
    }

    /// No colour, ASCII only.
    pub const fn ascii() -> Self {
        Self::new(false, true)
    }

    /// Whether glyphs may be coloured (ASCII glyphs are read by their shape alone).
    fn paints(&self) -> bool {
        self.color && !self.ascii
    }

    /// `text` as this theme writes it: unchanged, or with every Unicode sign the dashboard
    /// uses replaced by its ASCII spelling (`←` → `<-`, `·` → `-`).
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
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
    pub fn owned(&self, text: String) -> String {
        match self.text(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(t) => t,
        }
    }

    /// Run `i`'s colour as a foreground style (none without colour).
    pub fn run(&self, i: usize) -> Style {
        match self.color {
            true => Style::new().fg(RUN_COLORS[i % RUN_COLORS.len()]),
            false => Style::new(),
        }
    }

    /// Run `i`'s colour for a second curve of the same run (train beside test accuracy):
    /// the same hue, dimmed.
    pub fn run_secondary(&self, i: usize) -> Style {
        self.run(i).add_modifier(Modifier::DIM)
    }

    /// A bordered panel.
    pub fn block(&self) -> Block<'static> {
        Block::bordered().border_set(self.pick(border::PLAIN, ASCII_BORDER))
    }

    /// The selected run's chart border: thick, bold, in its colour.
    pub fn selected_block(&self, i: usize) -> Block<'static> {
        Block::bordered()
            .border_set(self.pick(border::THICK, ASCII_SELECTED_BORDER))
            .border_style(self.run(i).add_modifier(Modifier::BOLD))
    }

    /// A panel that reports a failure.
    pub fn alarm_block(&self) -> Block<'static> {
        let block = Block::bordered().border_set(self.pick(border::DOUBLE, ASCII_ALARM_BORDER));
        match self.color {
            true => block.red(),
            false => block,
        }
    }

    /// The marker of curves: Braille, or `*`.
    pub fn marker(&self) -> Marker {
        self.pick(Marker::Braille, Marker::Custom('*'))
    }

    /// The marker of a second curve on the same axes (train accuracy), told apart from
    /// [`Theme::marker`] by shape even without colour.
    pub fn second_marker(&self) -> Marker {
        self.pick(Marker::Dot, Marker::Custom('.'))
    }

    /// The character [`Theme::second_marker`] draws, for a legend.
    pub fn second_marker_symbol(&self) -> &'static str {
        self.pick("•", ".")
    }

    /// The character [`Theme::marker`] stands for in a legend.
    pub fn marker_symbol(&self) -> &'static str {
        self.pick("⣿", "*")
    }

    /// Where a diverged curve ends.
    pub fn diverged_marker(&self) -> Marker {
        self.pick(Marker::Custom('✗'), Marker::Custom('x'))
    }

    /// A live learning-rate change drawn across a chart.
    pub fn lr_mark(&self) -> Style {
        match self.color {
            true => Style::new().gray(),
            false => Style::new(),
        }
    }

    /// Something gone wrong: a diverged run, a wrong guess.
    pub fn bad(&self) -> Style {
        match self.color {
            true => Style::new().red().bold(),
            false => Style::new().bold(),
        }
    }

    /// A right guess.
    pub fn good(&self) -> Style {
        match self.color {
            true => Style::new().green(),
            false => Style::new(),
        }
    }

    /// Secondary text (notes, legends): dim.
    pub fn note(&self) -> Style {
        Style::new().dim()
    }

    /// The status bar.
    pub fn status(&self) -> Style {
        Style::new().reversed()
    }

    /// A key in the footer.
    pub fn key(&self) -> Style {
        Style::new().reversed()
    }

    /// A header row or a bound key in the help.
    pub fn strong(&self) -> Style {
        Style::new().bold()
    }

    /// The mark of a wrong guess.
    pub fn wrong_mark(&self) -> &'static str {
        self.pick("✗", "x")
    }

    /// The mark of a right guess.
    pub fn right_mark(&self) -> &'static str {
        self.pick("✓", "ok")
    }

    /// Between fields of the status bar.
    pub fn separator(&self) -> &'static str {
        self.pick("│", "|")
    }

    /// Between fields of a line of figures.
    pub fn dot(&self) -> &'static str {
        self.pick(" · ", " - ")
    }

    /// Where a figure does not exist yet.
    pub fn missing(&self) -> &'static str {
        self.pick("—", "-")
    }

    /// The pen's mark on the draw canvas.
    pub fn pen(&self) -> &'static str {
        self.pick("▏", "|")
    }

    /// The shade character of a pixel with `ink` (0 paper ..= 1 full ink), lightest first.
    pub fn shade(&self, ink: f64) -> char {
        let shades = self.pick(BLOCK_SHADES, ASCII_SHADES);
        // Quarters of the range, rounded up from 3/16: the lab's 0..16 levels land as they
        // always did (1..=4 on the lightest shade, 13..=16 on full ink).
        shades[((ink.clamp(0.0, 1.0) * 16.0 + 3.0) / 4.0).floor() as usize]
    }

    /// One pixel with `ink` (0..=1 of the data's full intensity), `width` cells wide: a true
    /// grey background with colour (ink is bright), a shade character without.
    pub fn pixel(&self, ink: f64, width: usize) -> Span<'static> {
        match self.paints() {
            true => Span::styled(" ".repeat(width), Style::new().bg(grey(ink))),
            false => Span::raw(self.shade(ink).to_string().repeat(width)),
        }
    }

    /// A pixel of the draw canvas, with the pen on it if `pen`: like [`Theme::pixel`], the
    /// pen in a colour that shows on its grey.
    pub fn canvas_pixel(&self, ink: f64, width: usize, pen: bool) -> Span<'static> {
        let mut span = self.pixel(ink, width);
        if pen {
            let rest: String = span.content.chars().skip(1).collect();
            span.content = format!("{}{rest}", self.pen()).into();
            if self.paints() {
                span.style = span.style.fg(pen_colour(ink));
            }
        }
        span
    }

    /// Two pixels, one above the other, in one cell (inks 0..=1): with colour an upper half
    /// block in the upper grey over the lower grey (no level is lost); without, each pixel is
    /// ink (at least half intensity) or paper. In ASCII, which has no half blocks, a `fine`
    /// image (larger than the lab's 8×8, strokes several pixels wide) shows the pair's mean on
    /// a ten-step ramp, so anti-aliased edges stay visible; the lab's coarse pixels keep one
    /// mark per pixel (`'` upper, `.` lower, `:` both).
    pub fn pixel_pair(&self, upper: f64, lower: f64, fine: bool) -> Span<'static> {
        if self.paints() {
            return Span::styled("▀", Style::new().fg(grey(upper)).bg(grey(lower)));
        }
        if self.ascii && fine {
            let mean = ((upper + lower) / 2.0).clamp(0.0, 1.0);
            let step = (mean * (ASCII_RAMP.len() - 1) as f64).round() as usize;
            return Span::raw(&ASCII_RAMP[step..=step]);
        }
        let glyphs = self.pick([" ", "▀", "▄", "█"], [" ", "'", ".", ":"]);
        Span::raw(glyphs[usize::from(upper >= 0.5) + 2 * usize::from(lower >= 0.5)])
    }

    /// [`Theme::pixel_pair`] with the pen on the `upper` (or lower) pixel: with colour that
    /// half takes the pen's colour; without, the cell shows the pen's mark.
    pub fn canvas_pair(&self, upper: f64, lower: f64, pen_upper: bool) -> Span<'static> {
        if self.paints() {
            let (fg, bg) = match pen_upper {
                true => (pen_colour(upper), grey(lower)),
                false => (grey(upper), pen_colour(lower)),
            };
            return Span::styled("▀", Style::new().fg(fg).bg(bg));
        }
        Span::raw(self.pen())
    }

    /// Rows a unit's `side × side` weights take: half the side with colour (two pixels a
    /// cell); without colour the lab's 8×8 units keep a row per pixel, larger ones (whose
    /// strokes span several pixels) take a row per two pixels too, so they keep their shape.
    pub fn weight_rows(&self, side: usize) -> u16 {
        let halved = side.div_ceil(2) as u16;
        match self.paints() || side > LAB_SIDE {
            true => halved,
            false => side as u16,
        }
    }

    /// One unit's `side × side` incoming weights over `scale` (the largest |w|), as
    /// [`Theme::weight_rows`] lines of `side` cells: with colour half blocks whose halves are
    /// two pixels (blue positive, red negative, brighter = larger); without, `#`/`+` positive,
    /// `=`/`-` negative, blank near zero (of the two pixels' mean, when a row holds two).
    pub fn weight_lines(&self, weights: &[f64], side: usize, scale: f64) -> Vec<Line<'static>> {
        let rows: Vec<&[f64]> = weights.chunks(side.max(1)).collect();
        if self.paints() {
            let tint = |w: f64| {
                let v = ((w.abs() / scale).min(1.0) * 255.0) as u8;
                if w >= 0.0 {
                    Color::Rgb(0, v / 2, v)
                } else {
                    Color::Rgb(v, v / 4, 0)
                }
            };
            return rows
                .chunks(2)
                .map(|pair| {
                    let (up, down) = (pair[0], pair.get(1).copied().unwrap_or(&[]));
                    Line::from(
                        (0..up.len())
                            .map(|c| {
                                let low = down.get(c).copied().unwrap_or(0.0);
                                Span::styled("▀", Style::new().fg(tint(up[c])).bg(tint(low)))
                            })
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
        }
        let sign = |w: f64| match w / scale {
            r if r >= 0.5 => '#',
            r if r >= 0.15 => '+',
            r if r <= -0.5 => '=',
            r if r <= -0.15 => '-',
            _ => ' ',
        };
        let per_line = rows
            .len()
            .div_ceil(usize::from(self.weight_rows(side).max(1)));
        rows.chunks(per_line.max(1))
            .map(|group| {
                let text: String = (0..group[0].len())
                    .map(|c| {
                        let sum: f64 = group.iter().map(|r| r.get(c).copied().unwrap_or(0.0)).sum();
                        sign(sum / group.len() as f64)
                    })
                    .collect();
                Line::from(text)
            })
            .collect()
    }

    /// How the weights legend names the signs.
    pub fn weight_signs(&self) -> &'static str {
        self.pick_paint("blue +, red -", "# + positive, = - negative")
    }

    /// One cell of the confusion matrix: a heat map with colour (green on the diagonal, red
    /// off it, brighter with a larger share of the row), bold mistakes without.
    pub fn heat(&self, share: f64, diagonal: bool, count: u32) -> Style {
        match (self.color, count > 0, diagonal) {
            (true, true, _) => {
                let heat = (share * 200.0) as u8 + 40;
                let bg = match diagonal {
                    true => Color::Rgb(0, heat, 0),
                    false => Color::Rgb(heat, 0, 0),
                };
                Style::new().bg(bg).fg(Color::White)
            }
            (false, true, false) => Style::new().bold(),
            _ => Style::new(),
        }
    }

    /// A probability as one of eight bar heights, for the draw view's sparkline.
    pub fn level_bar(&self, p: f64) -> char {
        let bars = self.pick(
            ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
            ['_', '.', ':', '-', '=', '+', '*', '#'],
        );
        bars[((p * 7.0).round().max(0.0) as usize).min(7)]
    }

    /// The seeds view's spread bar: thin range line, thick mean ± sd, mean dot, range ends.
    pub fn spread_glyphs(&self) -> [char; 5] {
        self.pick(['─', '━', '●', '├', '┤'], ['-', '=', 'o', '|', '|'])
    }

    /// Ratatui's chart draws its axes with fixed box-drawing lines; in ASCII they are
    /// redrawn with `|`, `-` and `+` over the chart's `area`.
    pub fn finish_chart(&self, buf: &mut Buffer, area: Rect) {
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
    pub fn run_marker(&self, i: usize) -> Marker {
        self.pick_paint(
            Marker::Braille,
            Marker::Custom(RUN_MARKS[i % RUN_MARKS.len()]),
        )
    }

    /// What [`Theme::run_marker`] draws, for the legend.
    pub fn run_marker_symbol(&self, i: usize) -> String {
        match self.paints() {
            true => "⣿".to_owned(),
            false => RUN_MARKS[i % RUN_MARKS.len()].to_string(),
        }
    }

    /// The marker of a learning-rate change's vertical line: Braille in grey, or `|`
    /// without colour, where Braille would read as one more curve.
    pub fn lr_marker(&self) -> Marker {
        self.pick_paint(Marker::Braille, Marker::Custom('|'))
    }

    /// An update rule as this theme writes it: unchanged, or in ASCII with `*` for products
    /// and Greek letters by name, then as [`Theme::text`].
    pub fn formula(&self, text: &str) -> String {
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
    pub fn terrain(&self, level: f64, dots: u8) -> (char, Style) {
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
    pub fn path_cell(&self, i: usize, dots: u8) -> (char, Style) {
        match self.paints() {
            true => (braille(dots), self.run(i)),
            false => (RUN_MARKS[i % RUN_MARKS.len()], Style::new()),
        }
    }

    /// Where landscape path `i` stands: its mark (`✗` once diverged), bold in its colour, or
    /// reversed without colour so it stands out of its own trail.
    pub fn path_head(&self, i: usize, diverged: bool) -> (char, Style) {
        let mark = match diverged {
            true => self.pick('✗', 'x'),
            false => RUN_MARKS[i % RUN_MARKS.len()],
        };
        match self.paints() {
            true => (mark, self.run(i).add_modifier(Modifier::BOLD)),
            false => (mark, Style::new().add_modifier(Modifier::REVERSED)),
        }
    }

    fn pick<T>(&self, unicode: T, ascii: T) -> T {
        if self.ascii { ascii } else { unicode }
    }

    fn pick_paint<T>(&self, painted: T, plain: T) -> T {
        if self.paints() { painted } else { plain }
    }
}

/// The true grey of a pixel with `ink` (0..=1 of the data's full intensity), ink bright.
pub fn grey(ink: f64) -> Color {
    let g = (ink.clamp(0.0, 1.0) * 255.0).round() as u8;
    Color::Rgb(g, g, g)
}

/// The Braille character with `dots` raised (bit 0 the top left dot, as Unicode numbers them).
pub fn braille(dots: u8) -> char {
    char::from_u32(0x2800 + u32::from(dots)).unwrap_or(' ')
}

/// The pen's colour on a pixel of `ink`: dark on light pixels, light on dark ones.
fn pen_colour(ink: f64) -> Color {
    match grey(ink) {
        Color::Rgb(g, _, _) if g > 128 => Color::Black,
        _ => Color::White,
    }
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

    #[test]
    fn glyphs_follow_the_theme() {
        assert_eq!(Theme::ascii().shade(1.0), '#');
        assert_eq!(Theme::plain().shade(1.0), '█');
        assert_eq!(
            Theme::default().pixel(1.0, 2).style.bg,
            Some(Color::Rgb(255, 255, 255))
        );
        assert_eq!(Theme::ascii().pixel_pair(1.0, 0.0, false).content, "'");
        assert_eq!(Theme::new(true, true).pixel(1.0, 2).content, "##");
        assert_eq!(Theme::default().run(0).fg, Some(Color::LightRed));
        // Large images: exact greys, thresholded ink, or the ASCII ramp of the pair's mean.
        let grey = Theme::default().pixel_pair(128.0 / 255.0, 1.0, true);
        assert_eq!(grey.style.fg, Some(Color::Rgb(128, 128, 128)));
        assert_eq!(grey.style.bg, Some(Color::Rgb(255, 255, 255)));
        assert_eq!(Theme::plain().pixel_pair(0.6, 0.2, true).content, "▀");
        let ramp: Vec<_> = [(0.0, 0.0), (0.1, 0.2), (0.5, 0.5), (1.0, 1.0)]
            .iter()
            .map(|&(u, l)| Theme::ascii().pixel_pair(u, l, true).content)
            .collect();
        assert_eq!(ramp, [" ", ".", "+", "@"]);
        assert_eq!(Theme::plain().run(0).fg, None);
    }
}
