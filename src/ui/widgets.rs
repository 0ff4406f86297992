//! Small drawing pieces with exact, testable output: digit glyphs, log-axis labels, and the
//! fitting rules that keep every figure whole (fields dropped whole, words wrapped whole,
//! table columns dropped whole).

use ratatui::text::{Line, Span};

use super::theme::{LAB_SIDE, Theme};

/// A `side × side` digit of inks (0..=1 of full intensity) as `side` lines of `2 × side`
/// cells: each pixel two cells wide, drawn as the theme draws a pixel (a true grey, or a shade
/// character). The lab's 8×8 digits in their true proportions.
pub(crate) fn digit_lines(inks: &[f64], side: usize, theme: &Theme) -> Vec<Line<'static>> {
    (inks.chunks(side.max(1)))
        .map(|row| Line::from(row.iter().map(|&p| theme.pixel(p, 2)).collect::<Vec<_>>()))
        .collect()
}

/// A `side × side` digit of inks in half the space, as `side / 2` lines (rounded up) of
/// `side` cells: each cell holds two pixels, one above the other (see
/// [`Theme::pixel_pair`]; images larger than the lab's are drawn `fine`).
pub(crate) fn digit_lines_half(inks: &[f64], side: usize, theme: &Theme) -> Vec<Line<'static>> {
    let rows: Vec<&[f64]> = inks.chunks(side.max(1)).collect();
    let fine = side > LAB_SIDE;
    rows.chunks(2)
        .map(|pair| {
            let (upper, lower) = (pair[0], pair.get(1).copied().unwrap_or(&[]));
            Line::from(
                (0..upper.len())
                    .map(|c| {
                        let below = lower.get(c).copied().unwrap_or(0.0);
                        theme.pixel_pair(upper[c], below, fine)
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}

/// A `side × side` image averaged over `factor × factor` blocks (the last block of a row or
/// column may be smaller): how a large digit or unit is shown where its full size does not
/// fit. The image comes back as it is for a factor of 1.
pub(crate) fn downsample(pixels: &[f64], side: usize, factor: usize) -> Vec<f64> {
    let factor = factor.max(1);
    if factor == 1 {
        return pixels.to_vec();
    }
    let to = side.div_ceil(factor);
    let span = |i: usize| (i * factor)..((i + 1) * factor).min(side);
    let mut out = Vec::with_capacity(to * to);
    for r in 0..to {
        for c in 0..to {
            let (rows, cols) = (span(r), span(c));
            let count = (rows.len() * cols.len()) as f64;
            let total: f64 = rows
                .flat_map(|y| cols.clone().map(move |x| y * side + x))
                .filter_map(|i| pixels.get(i))
                .sum();
            out.push(total / count);
        }
    }
    out
}

/// Bounds and labels for a log10 axis covering `[lo, hi]` (already in log10 units): bounds
/// on whole decades at a step that keeps at most `max_labels` labels, each written `1e-4`.
pub(crate) fn log_axis(lo: f64, hi: f64, max_labels: usize) -> ([f64; 2], Vec<String>) {
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

/// A piece of a line that is shown whole or not at all.
#[derive(Clone, Debug)]
pub(crate) struct Field<'a> {
    /// What it shows.
    pub spans: Vec<Span<'a>>,
    /// How hard to keep it: when space runs out the lowest goes first (the later of equals).
    pub keep: u8,
}

impl<'a> Field<'a> {
    /// A field of one unstyled text.
    pub(crate) fn new(text: impl Into<Span<'a>>, keep: u8) -> Self {
        Self {
            spans: vec![text.into()],
            keep,
        }
    }

    fn width(&self) -> usize {
        self.spans.iter().map(Span::width).sum()
    }
}

/// Cuts the middle out of `fields[i]` (a one-span field) so that it fits on one line of
/// `width` beside every field kept harder and `sep` between each: a long path in a notice
/// loses its middle (`saved /home/…/session.json`) rather than the whole notice. Fields of
/// more than one span are left alone.
pub(crate) fn elide_to_fit(fields: &mut [Field<'_>], i: usize, sep: usize, width: usize) {
    let Some(keep) = fields.get(i).map(|f| f.keep) else {
        return;
    };
    let others: usize = (fields.iter().enumerate())
        .filter(|&(j, f)| j != i && f.keep > keep)
        .map(|(_, f)| f.width() + sep)
        .sum();
    let budget = width.saturating_sub(others);
    let field = &mut fields[i];
    // Below a few cells a cut text says nothing: the field is dropped whole instead.
    if field.width() <= budget || budget < 12 || field.spans.len() != 1 {
        return;
    }
    let chars: Vec<char> = field.spans[0].content.chars().collect();
    let head = (budget - 1) / 3;
    let tail = budget - 1 - head;
    // Counted in characters: text of wide characters may have fewer than the cells it needs,
    // and is left whole (to be dropped whole) rather than cut at the wrong place.
    if chars.len() <= head + tail {
        return;
    }
    let text: String = (chars[..head].iter())
        .chain(std::iter::once(&'…'))
        .chain(&chars[chars.len() - tail..])
        .collect();
    field.spans[0].content = text.into();
}

/// `fields` in order on at most `lines` lines of `width` cells, `sep` between neighbours on
/// a line: a field that does not fit on a line starts the next; when even that is not enough,
/// whole fields are dropped, least kept first. Nothing is ever cut.
pub(crate) fn fit_fields<'a>(
    mut fields: Vec<Field<'a>>,
    sep: Span<'a>,
    width: usize,
    lines: usize,
) -> Vec<Line<'a>> {
    fields.retain(|f| f.width() <= width);
    loop {
        let mut out: Vec<(Vec<Span<'a>>, usize)> = Vec::new();
        for f in &fields {
            let w = f.width();
            match out.last_mut() {
                Some((spans, used)) if *used + sep.width() + w <= width => {
                    spans.push(sep.clone());
                    spans.extend(f.spans.iter().cloned());
                    *used += sep.width() + w;
                }
                _ => out.push((f.spans.clone(), w)),
            }
        }
        if out.len() <= lines || fields.is_empty() {
            return out.into_iter().map(|(s, _)| Line::from(s)).collect();
        }
        let least = (fields.iter().enumerate())
            .min_by_key(|(i, f)| (f.keep, usize::MAX - i))
            .map(|(i, _)| i);
        if let Some(i) = least {
            fields.remove(i);
        }
    }
}

/// `text` wrapped at spaces into lines of at most `width` cells. A word longer than a whole
/// line is split with a `-` at the end of each piece, so a cut word always shows it is cut.
pub(crate) fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let rest = word.split_off(width - 1);
            lines.push(word.iter().collect::<String>() + "-");
            word = rest;
        }
        let word: String = word.into_iter().collect();
        let w = word.chars().count();
        if line.is_empty() {
            line = word;
        } else if line.chars().count() + 1 + w <= width {
            line.push(' ');
            line.push_str(&word);
        } else {
            lines.push(std::mem::replace(&mut line, word));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// One column of a table that drops columns rather than cut a value.
#[derive(Clone, Debug)]
pub(crate) struct Column {
    /// Header spellings, longest first; a shorter one is used before the column is dropped.
    pub headers: Vec<String>,
    /// One cell per row.
    pub cells: Vec<String>,
    /// How hard to keep it (see [`Field::keep`]).
    pub keep: u8,
}

/// A table's columns as they fit in `width` cells with one-cell gaps: `(column, header,
/// cells' width)` in the original order. Headers are shortened (least kept column first)
/// before whole columns go (least kept first); no cell or header is ever cut.
pub(crate) fn fit_columns(columns: &[Column], width: usize) -> Vec<(usize, usize, usize)> {
    let cells = |c: &Column| c.cells.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    let cell_width = |(i, h): (usize, usize)| {
        let c = &columns[i];
        cells(c).max(c.headers.get(h).map_or(0, |s| s.chars().count()))
    };
    let total = |shown: &[(usize, usize)]| -> usize {
        shown.iter().map(|&s| cell_width(s)).sum::<usize>() + shown.len().saturating_sub(1)
    };
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| (columns[i].keep, usize::MAX - i));
    // Drop none, then the least kept, then the next...; with each set, shorten headers.
    for dropped in 0..=columns.len() {
        let mut shown: Vec<(usize, usize)> = (0..columns.len())
            .filter(|i| !order[..dropped].contains(i))
            .map(|i| (i, 0))
            .collect();
        loop {
            if total(&shown) <= width {
                return shown
                    .into_iter()
                    .map(|s| (s.0, s.1, cell_width(s)))
                    .collect();
            }
            let shorter = (order.iter()).find_map(|&i| {
                let k = shown.iter().position(|&(j, _)| j == i)?;
                (shown[k].1 + 1 < columns[i].headers.len()).then_some(k)
            });
            match shorter {
                Some(k) => shown[k].1 += 1,
                None => break,
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_field_too_long_for_its_line_loses_its_middle_only_when_that_helps() {
        let mut fields = vec![
            Field::new("kept", 9),
            Field::new("saved /a/very/long/path/to/session.json", 4),
            Field::new("least", 1),
        ];
        elide_to_fit(&mut fields, 1, 3, 30);
        let lines = fit_fields(fields.clone(), Span::raw(" | "), 30, 1);
        assert_eq!(text(&lines), ["kept | saved /…to/session.json"]);
        // Too little room to say anything: left whole, so it is dropped whole.
        let mut tight = fields.clone();
        elide_to_fit(&mut tight, 1, 3, 15);
        assert_eq!(tight[1].spans[0].content, fields[1].spans[0].content);
        // Wide characters: more cells than characters, never a cut past the text's end.
        let mut wide = vec![Field::new("保存しました".repeat(2), 4)];
        elide_to_fit(&mut wide, 0, 3, 23);
        assert_eq!(wide[0].spans[0].content, "保存しました".repeat(2));
    }

    /// The lab's first training image (a handwritten 8), as inks.
    fn eight() -> Vec<f64> {
        [
            0, 0, 0, 9, 16, 6, 0, 0, 0, 0, 4, 15, 6, 15, 0, 0, 0, 0, 8, 11, 9, 11, 0, 0, 0, 0, 8,
            16, 14, 2, 0, 0, 0, 0, 11, 16, 13, 0, 0, 0, 0, 6, 14, 2, 12, 9, 0, 0, 0, 5, 16, 11, 5,
            13, 4, 0, 0, 0, 3, 8, 13, 16, 9, 0,
        ]
        .iter()
        .map(|&p| f64::from(p) / 16.0)
        .collect()
    }

    #[test]
    fn a_known_digit_renders_to_exact_text() {
        let pixels = eight();
        assert_eq!(
            text(&digit_lines(&pixels, 8, &Theme::plain())),
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
        let ascii = text(&digit_lines(&pixels, 8, &Theme::ascii()));
        assert_eq!(ascii[0], "      oo##::    ");
        let colour = digit_lines(&pixels, 8, &Theme::default());
        assert_eq!(colour[0].spans[4].style.bg, Some(Color::Rgb(255, 255, 255)));
        assert_eq!(colour[0].spans[0].style.bg, Some(Color::Rgb(0, 0, 0)));
    }

    #[test]
    fn a_known_digit_renders_compact() {
        let pixels = eight();
        assert_eq!(
            text(&digit_lines_half(&pixels, 8, &Theme::plain())),
            ["   █▀▄  ", "  ███▀  ", "  █▀█▄  ", "  ▀█▄█▄ "]
        );
        let ascii = text(&digit_lines_half(&pixels, 8, &Theme::ascii()));
        assert_eq!(ascii[0], "   :'.  ");
        let colour = digit_lines_half(&pixels, 8, &Theme::default());
        // Row 0 col 3 is 9 over row 1 col 3 is 15.
        let cell = &colour[0].spans[3];
        assert_eq!(cell.content, "▀");
        assert_eq!(cell.style.fg, Some(Color::Rgb(143, 143, 143)));
        assert_eq!(cell.style.bg, Some(Color::Rgb(239, 239, 239)));
    }

    #[test]
    fn a_large_digit_is_drawn_at_its_size_or_halved() {
        // A 28×28 image: a full-ink column 4 wide at x 12..16, a half-ink row at y 20.
        let mut inks = vec![0.0; 28 * 28];
        for y in 0..28 {
            for x in 12..16 {
                inks[y * 28 + x] = 1.0;
            }
        }
        for x in 0..28 {
            inks[20 * 28 + x] = 0.5;
        }
        let full = text(&digit_lines_half(&inks, 28, &Theme::ascii()));
        assert_eq!((full.len(), full[0].chars().count()), (14, 28));
        assert_eq!(&full[0][10..18], "  @@@@  ");
        // Row 10 holds image rows 20 (half ink) and 21 (paper): the ramp's middle.
        assert_eq!(&full[10][..4], "::::");
        let half = downsample(&inks, 28, 2);
        assert_eq!(half.len(), 14 * 14);
        assert_eq!((half[6], half[7], half[10 * 14]), (1.0, 1.0, 0.25));
        let small = text(&digit_lines_half(&half, 14, &Theme::plain()));
        assert_eq!((small.len(), small[0].chars().count()), (7, 14));
        assert_eq!(small[0], "      ██      ");
        assert_eq!(downsample(&inks, 28, 1), inks);
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
    fn fields_wrap_whole_and_the_least_kept_go_first() {
        let fields = || {
            vec![
                Field::new("epoch 12", 9),
                Field::new("loss 1.2e-3", 5),
                Field::new("lr 0.01", 1),
                Field::new("test 0.912", 7),
            ]
        };
        let one = |w| text(&fit_fields(fields(), Span::raw(" | "), w, 1));
        assert_eq!(one(80), ["epoch 12 | loss 1.2e-3 | lr 0.01 | test 0.912"]);
        assert_eq!(one(40), ["epoch 12 | loss 1.2e-3 | test 0.912"]);
        assert_eq!(one(25), ["epoch 12 | test 0.912"]);
        assert_eq!(one(9), ["epoch 12"]);
        let two = text(&fit_fields(fields(), Span::raw(" | "), 24, 2));
        assert_eq!(two, ["epoch 12 | loss 1.2e-3", "lr 0.01 | test 0.912"]);
    }

    #[test]
    fn words_wrap_whole_or_marked() {
        assert_eq!(
            wrap_words("many seeds: the comparison over 10 seeds", 16),
            ["many seeds: the", "comparison over", "10 seeds"]
        );
        assert_eq!(wrap_words("abcdefghij", 4), ["abc-", "def-", "ghij"]);
        assert_eq!(wrap_words("", 4), [""]);
    }

    #[test]
    fn columns_shorten_headers_then_drop_whole() {
        let col = |h: &[&str], cell: &str, keep| Column {
            headers: h.iter().map(|s| s.to_string()).collect(),
            cells: vec![cell.to_owned()],
            keep,
        };
        let cols = [
            col(&["optimizer"], "Momentum", 9),
            col(&["final test acc", "test acc"], "0.9360", 7),
            col(&["best test acc", "best"], "0.9360 @ 268", 3),
        ];
        assert_eq!(fit_columns(&cols, 80), [(0, 0, 9), (1, 0, 14), (2, 0, 13)]);
        assert_eq!(fit_columns(&cols, 37), [(0, 0, 9), (1, 0, 14), (2, 1, 12)]);
        assert_eq!(fit_columns(&cols, 31), [(0, 0, 9), (1, 1, 8), (2, 1, 12)]);
        // With a column gone the others get their long headers back.
        assert_eq!(fit_columns(&cols, 30), [(0, 0, 9), (1, 0, 14)]);
        assert_eq!(fit_columns(&cols, 20), [(0, 0, 9), (1, 1, 8)]);
        assert_eq!(fit_columns(&cols, 5), []);
    }
}
