//! The views that can replace the detail and digits panels while training goes on above:
//! the confusion matrix (`c`), the first-layer weights (`w`) and the draw canvas (`d`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::{App, Background, RunState};
use super::layout::{DrawLayout, PixelCells, WeightsLayout};
use super::theme::Theme;
use super::widgets::{Field, downsample, fit_fields};
use crate::data::{CLASSES, Dataset};
use crate::format;
use crate::model::stats::{ContenderStats, ranking, summarize};
use crate::train::{FirstLayer, Model, argmax};

/// The 10×10 test-set confusion counts of `predictions`: `[actual][predicted]`.
pub fn confusion(predictions: &[u8], labels: &[u8]) -> [[u32; CLASSES]; CLASSES] {
    let mut m = [[0; CLASSES]; CLASSES];
    for (&p, &y) in predictions.iter().zip(labels) {
        if let Some(cell) = m
            .get_mut(usize::from(y))
            .and_then(|r| r.get_mut(usize::from(p)))
        {
            *cell += 1;
        }
    }
    m
}

/// The off-diagonal cells with the most mistakes, most first: `(actual, predicted, count)`.
pub fn most_confused(m: &[[u32; CLASSES]; CLASSES], n: usize) -> Vec<(usize, usize, u32)> {
    let mut pairs: Vec<(usize, usize, u32)> = (0..CLASSES)
        .flat_map(|a| (0..CLASSES).map(move |p| (a, p)))
        .filter(|&(a, p)| a != p && m[a][p] > 0)
        .map(|(a, p)| (a, p, m[a][p]))
        .collect();
    pairs.sort_by(|x, y| y.2.cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    pairs.truncate(n);
    pairs
}

/// Class probabilities `model` gives a drawn image of raw intensities at the data's size and
/// scale, standardised with the training set's scaler exactly as the test images were.
pub fn read_canvas(data: &Dataset, pixels: &[f64], model: &Model) -> Vec<f64> {
    model.probabilities(&data.scaler.transform_row(pixels))
}

/// A view's panel, titled with what it shows and whose, in as many whole fields as fit.
fn title(app: &App, what: &str, area: Rect) -> Block<'static> {
    let theme = app.theme();
    let label = app
        .runs()
        .get(app.selected())
        .map_or("", |r| r.contender.label());
    let fields = vec![
        Field::new(format!("{what}: {label}"), 9),
        Field::new(theme.owned("(←/→ another run, Esc back)".into()), 2),
    ];
    titled(theme, fields, " ", area)
}

/// A panel whose title is `fields` with `sep` between them, dropped whole when the border
/// is too short.
pub(super) fn titled(
    theme: &Theme,
    fields: Vec<Field<'static>>,
    sep: &'static str,
    area: Rect,
) -> Block<'static> {
    let room = usize::from(area.width.saturating_sub(4));
    let title = fit_fields(fields, Span::raw(sep), room, 1)
        .into_iter()
        .next();
    let mut spans = vec![Span::raw(" ")];
    spans.extend(title.unwrap_or_default().spans);
    spans.push(Span::raw(" "));
    theme.block().title(Line::from(spans))
}

/// The selected run's confusion matrix as a heat map with counts, per-class accuracy, and the
/// most confused pairs.
pub fn render_confusion(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.theme();
    let block = title(app, "confusion on the test set", area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(predictions) = app
        .runs()
        .get(app.selected())
        .and_then(|r| r.predictions.as_ref())
    else {
        frame.render_widget(Paragraph::new("no epoch yet"), inner);
        return;
    };
    let m = confusion(predictions, &app.data().y_test);
    let mut lines = vec![Line::from(
        std::iter::once(Span::raw(theme.owned("actual╲pred ".into())))
            .chain((0..CLASSES).map(|p| Span::raw(format!("{p:>4} "))))
            .chain([Span::raw("   acc")])
            .collect::<Vec<_>>(),
    )];
    for (a, row) in m.iter().enumerate() {
        let total: u32 = row.iter().sum();
        let mut spans = vec![Span::raw(format!("{a:>10}  "))];
        for (p, &count) in row.iter().enumerate() {
            let share = if total == 0 {
                0.0
            } else {
                f64::from(count) / f64::from(total)
            };
            let text = if count == 0 {
                theme.owned("   · ".into())
            } else {
                format!("{count:>4} ")
            };
            spans.push(Span::styled(text, theme.heat(share, a == p, count)));
        }
        let acc = if total == 0 {
            format!("{:>6}", theme.missing())
        } else {
            format!("{:>6.3}", f64::from(row[a]) / f64::from(total))
        };
        spans.push(Span::raw(acc));
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    let pairs = most_confused(&m, 5);
    if pairs.is_empty() {
        lines.push(Line::from("no mistakes on the test set"));
    } else {
        let mut fields = vec![Field::new(
            theme.owned("most confused (actual→predicted):".into()),
            9,
        )];
        fields.extend(
            (pairs.iter().enumerate()).map(|(k, (a, p, n))| {
                Field::new(theme.owned(format!("{a}→{p} ×{n}")), 8 - k as u8)
            }),
        );
        lines.extend(fit_fields(
            fields,
            Span::raw("  "),
            usize::from(inner.width),
            1,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The selected run's hidden units as glyphs of their incoming weights at the data's size (a
/// 28×28 unit in 28×14 cells, averaged 2× where not one fits), a page at a time (PgDn/PgUp).
pub fn render_weights(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.theme();
    let block = title(app, "first-layer weights", area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(model) = app
        .runs()
        .get(app.selected())
        .and_then(|r| r.model.as_ref())
    else {
        frame.render_widget(
            Paragraph::new(theme.owned("waiting for the weights…".into())),
            inner,
        );
        return;
    };
    let first: FirstLayer = model.first_layer();
    let side = app.data().side;
    let layout = WeightsLayout::new(area, side, theme);
    let shown = side.div_ceil(layout.downsample);
    let glyphs: Vec<Vec<f64>> = (0..first.units)
        .map(|u| downsample(first.unit(u), side, layout.downsample))
        .collect();
    // One scale for every unit, so brightness compares across the grid.
    let scale = (glyphs.iter().flatten())
        .fold(0.0f64, |m, w| m.max(w.abs()))
        .max(f64::MIN_POSITIVE);
    let page = layout.per_page().min(first.units);
    // The last page is a full one, so a resize never leaves an empty grid.
    let start = app.weights_offset().min(first.units.saturating_sub(page));
    let range = start..(start + page);
    let units = match page {
        0 => format!("units 0 of {}", first.units),
        _ => format!("units {}–{} of {}", start + 1, range.end, first.units),
    };
    let mut fields = vec![Field::new(theme.owned(units), 9)];
    if page < first.units {
        fields.push(Field::new("PgDn/PgUp pages", 3));
    }
    fields.extend([
        Field::new(theme.weight_signs(), 5),
        Field::new(format!("brightest |w| = {scale:.2}"), 4),
        Field::new(theme.owned(format!("{} pixels each", first.inputs)), 2),
    ]);
    if layout.downsample > 1 {
        let by = layout.downsample;
        fields.push(Field::new(theme.owned(format!("averaged {by}×{by}")), 6));
    }
    let legend = fit_fields(
        fields,
        Span::raw(theme.dot()),
        usize::from(layout.legend.width),
        1,
    );
    frame.render_widget(Paragraph::new(legend).style(theme.note()), layout.legend);
    for (k, u) in range.enumerate() {
        frame.render_widget(
            Paragraph::new(theme.weight_lines(&glyphs[u], shown, scale)),
            layout.glyph(k),
        );
    }
}

/// The canvas's lines: each pixel a block of cells, or two pixels a cell.
fn canvas_lines(app: &App, cells: PixelCells) -> Vec<Line<'static>> {
    let (theme, canvas) = (app.theme(), app.canvas());
    let side = canvas.side;
    let ink = |col: usize, row: usize| {
        (canvas.pixels.get(row * side + col)).map_or(0.0, |p| p / canvas.max_pixel.max(1.0))
    };
    let pen = |col: usize, row: usize| canvas.pen == (col as u8, row as u8);
    match cells {
        PixelCells::Block(width, height) => (0..side)
            .flat_map(|row| {
                let spans: Vec<Span> = (0..side)
                    .map(|col| theme.canvas_pixel(ink(col, row), width.into(), pen(col, row)))
                    .collect();
                std::iter::repeat_n(Line::from(spans), height.into())
            })
            .collect(),
        PixelCells::Half => (0..side)
            .step_by(2)
            .map(|row| {
                let spans: Vec<Span> = (0..side)
                    .map(|col| {
                        let (upper, lower) = (ink(col, row), ink(col, row + 1));
                        match (pen(col, row), pen(col, row + 1)) {
                            (true, _) => theme.canvas_pair(upper, lower, true),
                            (_, true) => theme.canvas_pair(upper, lower, false),
                            _ => theme.pixel_pair(upper, lower, true),
                        }
                    })
                    .collect();
                Line::from(spans)
            })
            .collect(),
    }
}

/// The canvas and, for every run, what its network reads there.
pub fn render_draw(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let canvas = app.canvas();
    let d = DrawLayout::new(area, canvas.side);
    let theme = app.theme();
    let borders = match d.bottom {
        true => Borders::ALL,
        false => Borders::ALL - Borders::BOTTOM,
    };
    frame.render_widget(theme.block().borders(borders).title(" draw "), d.outer);
    frame.render_widget(Paragraph::new(canvas_lines(app, d.cells)), d.canvas);

    let mut readings = vec![
        Line::from(theme.owned("what each network reads (bars: p(0) … p(9))".into()))
            .style(theme.strong()),
        Line::from(format!("{:<14} {:>5} {:>6}  0123456789", "", "digit", "p")),
    ];
    for (i, r) in app.runs().iter().enumerate() {
        let label = format!("{:<14} ", r.contender.label());
        let line = match (&r.model, r.summary.diverged_at) {
            // A diverged network reads nothing: its probabilities are not numbers.
            (_, Some(epoch)) => Line::from(vec![
                Span::raw(label),
                Span::styled(format!("diverged at epoch {epoch}"), theme.bad()),
            ]),
            (Some(model), None) => {
                let probs = read_canvas(app.data(), &canvas.pixels, model);
                let best = argmax(&probs);
                let spark: String = probs.iter().map(|&p| theme.level_bar(p)).collect();
                let p = format!("{:.1}%", probs[best] * 100.0);
                Line::from(vec![
                    Span::raw(label),
                    Span::raw(format!("{best:>5} {p:>6}  ")),
                    Span::styled(spark, theme.run(i)),
                ])
            }
            (None, None) => Line::from(label + &theme.owned("waiting for weights…".into())),
        };
        readings.push(line);
    }
    readings.push(Line::from(""));
    let inner = Rect::new(
        d.readings.x + 2,
        d.readings.y + 1,
        d.readings.width.saturating_sub(2),
        d.readings.height.saturating_sub(1),
    )
    .intersection(area);
    // Which test image `l` loaded, and its true label, for as long as it is on the canvas.
    if let Some(loaded) = canvas.loaded {
        let mut fields = vec![
            Field::new(format!("loaded test image #{}", loaded.index), 9),
            Field::new(format!("true label {}", loaded.label), 9),
        ];
        if loaded.edited {
            fields.push(Field::new("edited", 5));
        }
        let line = fit_fields(fields, Span::raw(", "), usize::from(inner.width), 1);
        readings.extend(line.into_iter().map(|l| l.style(theme.strong())));
    }
    // The hints: whole, on the lines left under the readings.
    let hints = [
        ("arrows move", 9),
        ("0–9 ink", 8),
        ("space toggle", 6),
        ("⌫ clear", 7),
        ("l load", 5),
        ("mouse paints", 4),
    ];
    let hints = (hints.into_iter())
        .map(|(h, keep)| Field::new(theme.owned(h.into()), keep))
        .collect();
    let room = usize::from(inner.height).saturating_sub(readings.len());
    let hints = fit_fields(
        hints,
        Span::raw(theme.dot()),
        usize::from(inner.width),
        room,
    );
    readings.extend(hints.into_iter().map(|l| l.style(theme.note())));
    frame.render_widget(Paragraph::new(readings), inner);
}

/// One contender's spread as text of `width` cells over accuracies `[lo, hi]`: the range
/// min–max as a thin line between ticks, mean ± sd thick, the mean as a dot.
pub fn spread_bar(
    stats: &ContenderStats,
    [lo, hi]: [f64; 2],
    width: usize,
    theme: &Theme,
) -> String {
    let (Some(min), Some(max), Some(mean)) =
        (stats.min_test_acc, stats.max_test_acc, stats.mean_test_acc)
    else {
        return " ".repeat(width);
    };
    let sd = stats.sd_test_acc.unwrap_or(0.0);
    let at = |v: f64| {
        let x = (v - lo) / (hi - lo) * (width.saturating_sub(1)) as f64;
        (x.round().max(0.0) as usize).min(width.saturating_sub(1))
    };
    let [thin, thick, dot, left, right] = theme.spread_glyphs();
    let mut cells = vec![' '; width];
    for c in &mut cells[at(min)..=at(max)] {
        *c = thin;
    }
    for c in &mut cells[at(mean - sd).max(at(min))..=at(mean + sd).min(at(max))] {
        *c = thick;
    }
    cells[at(min)] = left;
    cells[at(max)] = right;
    cells[at(mean)] = dot;
    cells.into_iter().collect()
}

/// The background multi-seed comparison: per contender the spread of final test accuracy
/// over the seeds finished so far, filling in as runs complete.
pub fn render_seeds(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let p = app.background(Background::Seeds);
    let (first, last) = (p.seeds.first().copied(), p.seeds.last().copied());
    let range = match (first, last) {
        (Some(a), Some(b)) => format!("seeds {a}..={b}"),
        _ => "starting…".to_owned(),
    };
    let theme = app.theme();
    let fields = vec![
        Field::new("many seeds: final test accuracy", 9),
        Field::new(theme.owned(range), 5),
        Field::new(format!("{} of {} runs", p.results.len(), p.runs), 7),
        Field::new("Esc back", 2),
    ];
    let block = titled(theme, fields, ", ", area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let contenders = &app.settings().optimizers;
    let stats = summarize(contenders, &p.results);
    let lowest = (stats.iter().filter_map(|s| s.min_test_acc)).fold(1.0f64, f64::min);
    let lo = ((lowest - 0.005) * 100.0).floor() / 100.0;
    let scale = [lo.min(0.99), 1.0];
    // Name, runs, two spaces, figures, two spaces: where the bars start.
    const LABEL: usize = 14 + 6 + 2 + 16 + 2;
    let width = usize::from(inner.width).saturating_sub(LABEL + 1).max(10);
    let axis = format!(
        "{:<w$}{:.2}{:>pad$.2}",
        "",
        scale[0],
        scale[1],
        w = LABEL,
        pad = width.saturating_sub(4)
    );
    // Before any result there is no spread to scale an axis to.
    let axis = match p.results.is_empty() {
        true => format!("{:<LABEL$}no run has finished yet", ""),
        false => axis,
    };
    let mut lines = vec![
        Line::from(theme.owned(format!("{:<14}{:>6}  {:<16}", "", "runs", "mean ± sd")))
            .style(theme.strong()),
        Line::from(axis).style(theme.note()),
    ];
    for (i, s) in stats.iter().enumerate() {
        let figures = theme.owned(format::mean_sd(s.mean_test_acc, s.sd_test_acc));
        let bar = spread_bar(s, scale, width, theme);
        let style: Style = theme.run(i);
        lines.push(Line::from(vec![
            Span::styled(format!("{:<14}", s.optimizer.label()), style),
            Span::raw(format!("{:>6}  {figures:<16}  ", s.runs)),
            Span::styled(bar, style),
        ]));
    }
    lines.push(Line::from(""));
    let done = p.started() && p.results.len() + p.failures.len() >= p.runs;
    let status: Vec<&str> = if !p.started() {
        vec!["starting the comparison…"]
    } else if done {
        vec!["done", "ranking by mean:"]
    } else {
        let charts = match app.state() {
            RunState::Running => "the charts above keep training",
            RunState::Paused => "the charts above are paused; this goes on",
            RunState::Finished => "the charts above have finished",
        };
        let hints = [charts, "close with Esc or m"];
        std::iter::once("running in the background")
            .chain(hints)
            .collect()
    };
    let mut fields: Vec<Field> = (status.iter().enumerate())
        .map(|(k, s)| Field::new(theme.owned((*s).to_owned()), 9 - k as u8))
        .collect();
    if done {
        let order: Vec<&str> = ranking(&stats).iter().map(|c| c.label()).collect();
        if let Some(last) = fields.last_mut() {
            last.spans
                .push(Span::raw(format!(" {}", order.join(" > "))));
        }
    }
    let width = usize::from(inner.width);
    let status = fit_fields(fields, Span::raw(theme.dot()), width, 1);
    lines.extend(status.into_iter().map(|l| l.style(theme.note())));
    if !p.failures.is_empty() {
        lines.push(
            Line::from(theme.owned(format!(
                "{} runs failed: {}",
                p.failures.len(),
                p.failures[0]
            )))
            .style(theme.bad()),
        );
    }
    lines.push(
        Line::from(theme.owned("├─── min..max   ━━━ mean ± sd   ● mean".into()))
            .style(theme.note()),
    );
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_counts_and_ranks_mistakes() {
        let labels = [0, 0, 1, 1, 1, 2];
        let predictions = [0, 1, 1, 2, 2, 2];
        let m = confusion(&predictions, &labels);
        assert_eq!(m[0][0], 1);
        assert_eq!(m[0][1], 1);
        assert_eq!(m[1][2], 2);
        assert_eq!(m[2][2], 1);
        assert_eq!(most_confused(&m, 5), vec![(1, 2, 2), (0, 1, 1)]);
    }

    #[test]
    fn a_spread_bar_marks_range_spread_and_mean() {
        let stats = ContenderStats {
            optimizer: crate::train::Contender::Adam,
            rank: 1,
            runs: 3,
            not_started: 0,
            mean_test_acc: Some(0.95),
            sd_test_acc: Some(0.01),
            min_test_acc: Some(0.92),
            max_test_acc: Some(0.97),
            median_loss: None,
            median_perfect_train_epoch: None,
            reached_perfect_train: 0,
            diverged: 0,
            wins: 0,
        };
        // 11 cells over [0.90, 1.00]: one cell per 0.01.
        assert_eq!(
            spread_bar(&stats, [0.9, 1.0], 11, &Theme::ascii()),
            "  |-=o=|   "
        );
    }

    #[test]
    fn weights_draw_sign_and_size_without_colour() {
        let mut w = vec![0.0; 64];
        w[0] = 1.0;
        w[1] = -1.0;
        w[2] = 0.2;
        w[3] = -0.2;
        let lines = Theme::plain().weight_lines(&w, 8, 1.0);
        assert_eq!(lines.len(), 8);
        assert_eq!(lines[0].to_string(), "#=+-    ");
    }
}
