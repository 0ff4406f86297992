//! Small drawing pieces with exact, testable output: digit glyphs and log-axis labels.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

/// Shades for intensities 0..16 without colour, lightest first.
const BLOCK_SHADES: [char; 5] = [' ', '░', '▒', '▓', '█'];
/// The same with ASCII only.
const ASCII_SHADES: [char; 5] = [' ', '.', ':', 'o', '#'];

/// The true grey of a pixel of intensity 0..16, ink bright: how glyphs draw with colour.
pub fn grey(p: f64) -> Color {
    let g = (p.clamp(0.0, 16.0) * 255.0 / 16.0).round() as u8;
    Color::Rgb(g, g, g)
}

/// The shade character of a pixel of intensity 0..16: how glyphs draw without colour.
pub fn shade(p: f64, ascii: bool) -> char {
    let shades = if ascii { ASCII_SHADES } else { BLOCK_SHADES };
    shades[((p.clamp(0.0, 16.0) + 3.0) / 4.0).floor() as usize]
}

/// How to draw glyphs and charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    /// Use ASCII only.
    pub ascii: bool,
    /// Colour allowed.
    pub color: bool,
}

/// An 8x8 digit as 8 lines of 16 cells: each pixel two cells wide. With colour, a true grey
/// level per pixel (ink is bright); without, a shade character.
pub fn digit_lines(pixels: &[f64], look: Look) -> Vec<Line<'static>> {
    pixels
        .chunks(8)
        .map(|row| {
            let spans: Vec<Span<'static>> = row
                .iter()
                .map(|&p| {
                    if look.color && !look.ascii {
                        Span::styled("  ", Style::new().bg(grey(p)))
                    } else {
                        Span::raw(shade(p, look.ascii).to_string().repeat(2))
                    }
                })
                .collect();
            Line::from(spans)
        })
        .collect()
}

/// An 8x8 digit in half the space, as 4 lines of 8 cells: each cell holds two pixels, one above
/// the other. With colour an upper half block takes the upper pixel's grey as foreground and
/// the lower one's as background, so no grey level is lost; without colour each pixel is ink
/// (at least half intensity) or paper.
pub fn digit_lines_compact(pixels: &[f64], look: Look) -> Vec<Line<'static>> {
    let glyphs: [&'static str; 4] = if look.ascii {
        [" ", "'", ".", ":"]
    } else {
        [" ", "▀", "▄", "█"]
    };
    let pairs: Vec<&[f64]> = pixels.chunks(8).collect();
    pairs
        .chunks(2)
        .map(|rows| {
            let (upper, lower) = (rows[0], rows.get(1).copied().unwrap_or(&[]));
            let spans: Vec<Span<'static>> = (0..upper.len())
                .map(|c| {
                    let (u, l) = (upper[c], lower.get(c).copied().unwrap_or(0.0));
                    if look.color && !look.ascii {
                        Span::styled("▀", Style::new().fg(grey(u)).bg(grey(l)))
                    } else {
                        let ink = usize::from(u >= 8.0) + 2 * usize::from(l >= 8.0);
                        Span::raw(glyphs[ink])
                    }
                })
                .collect();
            Line::from(spans)
        })
        .collect()
}

/// Bounds and labels for a log10 axis covering `[lo, hi]` (already in log10 units): bounds
/// on whole decades at a step that keeps at most `max_labels` labels, each written `1e-4`.
pub fn log_axis(lo: f64, hi: f64, max_labels: usize) -> ([f64; 2], Vec<String>) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && lo <= hi {
        (lo.floor(), hi.ceil())
    } else {
        (-1.0, 0.0)
    };
    let hi = if hi <= lo { lo + 1.0 } else { hi };
    let max_steps = (max_labels.max(2) - 1) as f64;
    // The smallest step that covers the range in few enough labels: on round multiples of the
    // step if they fit, else counted down from the top decade (labels stay whole decades,
    // and the curve keeps the whole height).
    let (lo, hi, step) = (1..)
        .map(f64::from)
        .find_map(|s| {
            let (a, b) = ((lo / s).floor() * s, (hi / s).ceil() * s);
            if (b - a) / s <= max_steps {
                return Some((a, b, s));
            }
            let steps = ((hi - lo) / s).ceil();
            (steps <= max_steps).then_some((hi - steps * s, hi, s))
        })
        .unwrap_or((lo, hi, hi - lo));
    let labels = (0..=((hi - lo) / step) as i64)
        .map(|i| format!("1e{}", (lo + i as f64 * step) as i64))
        .collect();
    ([lo, hi], labels)
}

/// A loss written compactly for narrow places: `3.5e-4`.
pub fn short_loss(loss: f64) -> String {
    if !loss.is_finite() {
        return "—".into();
    }
    format!("{loss:.1e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    /// The lab's first training image (a handwritten 8).
    fn eight() -> Vec<f64> {
        [
            0, 0, 0, 9, 16, 6, 0, 0, 0, 0, 4, 15, 6, 15, 0, 0, 0, 0, 8, 11, 9, 11, 0, 0, 0, 0, 8,
            16, 14, 2, 0, 0, 0, 0, 11, 16, 13, 0, 0, 0, 0, 6, 14, 2, 12, 9, 0, 0, 0, 5, 16, 11, 5,
            13, 4, 0, 0, 0, 3, 8, 13, 16, 9, 0,
        ]
        .iter()
        .map(|&p| f64::from(p))
        .collect()
    }

    #[test]
    fn a_known_digit_renders_to_exact_text() {
        let pixels = eight();
        let plain = text(&digit_lines(
            &pixels,
            Look {
                ascii: false,
                color: false,
            },
        ));
        assert_eq!(
            plain,
            [
                "      ▓▓██▒▒    ",
                "    ░░██▒▒██    ",
                "    ▒▒▓▓▓▓▓▓    ",
                "    ▒▒████░░    ",
                "    ▓▓████      ",
                "  ▒▒██░░▓▓▓▓    ",
                "  ▒▒██▓▓▒▒██░░  ",
                "    ░░▒▒████▓▓  ",
            ]
        );
        let ascii = text(&digit_lines(
            &pixels,
            Look {
                ascii: true,
                color: false,
            },
        ));
        assert_eq!(ascii[0], "      oo##::    ");
        let colour = digit_lines(
            &pixels,
            Look {
                ascii: false,
                color: true,
            },
        );
        assert_eq!(colour[0].spans[4].style.bg, Some(Color::Rgb(255, 255, 255)));
        assert_eq!(colour[0].spans[0].style.bg, Some(Color::Rgb(0, 0, 0)));
    }

    #[test]
    fn a_known_digit_renders_compact() {
        let pixels = eight();
        let plain = text(&digit_lines_compact(
            &pixels,
            Look {
                ascii: false,
                color: false,
            },
        ));
        assert_eq!(plain, ["   █▀▄  ", "  ███▀  ", "  █▀█▄  ", "  ▀█▄█▄ "]);
        let ascii = text(&digit_lines_compact(
            &pixels,
            Look {
                ascii: true,
                color: false,
            },
        ));
        assert_eq!(ascii[0], "   :'.  ");
        let colour = digit_lines_compact(
            &pixels,
            Look {
                ascii: false,
                color: true,
            },
        );
        // Row 0 col 3 is 9 over row 1 col 3 is 15.
        let cell = &colour[0].spans[3];
        assert_eq!(cell.content, "▀");
        assert_eq!(cell.style.fg, Some(Color::Rgb(143, 143, 143)));
        assert_eq!(cell.style.bg, Some(Color::Rgb(239, 239, 239)));
    }

    #[test]
    fn log_axis_labels_land_on_decades() {
        assert_eq!(
            log_axis(-11.3, 0.4, 5),
            (
                [-12.0, 4.0],
                ["1e-12", "1e-8", "1e-4", "1e0", "1e4"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
            )
        );
        let (b, l) = log_axis(-2.2, 0.3, 5);
        assert_eq!(b, [-3.0, 1.0]);
        assert_eq!(l, ["1e-3", "1e-2", "1e-1", "1e0", "1e1"]);
        // Widening the low end must not cut off the top: the curve above 1e0 stays visible.
        let (b, l) = log_axis(-6.5, 0.37, 3);
        assert_eq!(b, [-7.0, 1.0]);
        assert_eq!(l, ["1e-7", "1e-3", "1e1"]);
        let (b, l) = log_axis(f64::NAN, 1.0, 4);
        assert_eq!((b, l.len()), ([-1.0, 0.0], 2));
    }

    #[test]
    fn losses_are_short() {
        assert_eq!(short_loss(3.5e-4), "3.5e-4");
        assert_eq!(short_loss(1.0), "1.0e0");
        assert_eq!(short_loss(f64::NAN), "—");
    }
}
