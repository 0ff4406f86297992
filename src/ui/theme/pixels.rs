//! How the theme draws pixels: test digits, the canvas, the weights view's glyphs, the
//! confusion heat map and probability bars.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use super::{LAB_SIDE, Theme, grey};

/// Shades from paper to full ink without colour, lightest first.
const BLOCK_SHADES: [char; 5] = [' ', '░', '▒', '▓', '█'];

/// The same with ASCII only.
const ASCII_SHADES: [char; 5] = [' ', '.', ':', 'o', '#'];

/// The ASCII ramp of large images, where one character stands for two pixels' mean.
const ASCII_RAMP: &str = " .:-=+*#%@";

impl Theme {
    /// The shade character of a pixel with `ink` (0 paper ..= 1 full ink), lightest first.
    pub(crate) fn shade(&self, ink: f64) -> char {
        let shades = self.pick(BLOCK_SHADES, ASCII_SHADES);
        // Quarters of the range, rounded up from 3/16: the lab's 0..16 levels land as they
        // always did (1..=4 on the lightest shade, 13..=16 on full ink).
        shades[((ink.clamp(0.0, 1.0) * 16.0 + 3.0) / 4.0).floor() as usize]
    }

    /// One pixel with `ink` (0..=1 of the data's full intensity), `width` cells wide: a true
    /// grey background with colour (ink is bright), a shade character without.
    pub(crate) fn pixel(&self, ink: f64, width: usize) -> Span<'static> {
        match self.paints() {
            true => Span::styled(" ".repeat(width), Style::new().bg(grey(ink))),
            false => Span::raw(self.shade(ink).to_string().repeat(width)),
        }
    }

    /// A pixel of the draw canvas, with the pen on it if `pen`: like [`Theme::pixel`], the
    /// pen in a colour that shows on its grey.
    pub(crate) fn canvas_pixel(&self, ink: f64, width: usize, pen: bool) -> Span<'static> {
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
    pub(crate) fn pixel_pair(&self, upper: f64, lower: f64, fine: bool) -> Span<'static> {
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
    pub(crate) fn canvas_pair(&self, upper: f64, lower: f64, pen_upper: bool) -> Span<'static> {
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
    pub(crate) fn weight_rows(&self, side: usize) -> u16 {
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
    pub(crate) fn weight_lines(
        &self,
        weights: &[f64],
        side: usize,
        scale: f64,
    ) -> Vec<Line<'static>> {
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
    pub(crate) fn weight_signs(&self) -> &'static str {
        self.pick_paint("blue +, red -", "# + positive, = - negative")
    }

    /// One cell of the confusion matrix: a heat map with colour (green on the diagonal, red
    /// off it, brighter with a larger share of the row), bold mistakes without.
    pub(crate) fn heat(&self, share: f64, diagonal: bool, count: u32) -> Style {
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
    pub(crate) fn level_bar(&self, p: f64) -> char {
        let bars = self.pick(
            ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
            ['_', '.', ':', '-', '=', '+', '*', '#'],
        );
        bars[((p * 7.0).round().max(0.0) as usize).min(7)]
    }
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
