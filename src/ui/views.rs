//! The views that can replace the detail and digits panels while training goes on above:
//! the confusion matrix (`c`), the first-layer weights (`w`) and the draw canvas (`d`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::app::App;
use super::layout::DrawLayout;
use super::widgets::{grey, shade};
use crate::data::{CLASSES, Dataset};
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

/// Class probabilities `model` gives a drawn 8×8 image of raw intensities 0..16, standardised
/// with the training set's scaler exactly as the test images were (scaled up first when the
/// data's images are larger).
pub fn read_canvas(data: &Dataset, pixels: &[f64], model: &Model) -> Vec<f64> {
    let image = data.from_sketch(pixels, 8);
    model.probabilities(&data.scaler.transform_row(&image))
}

fn title(app: &App, what: &str) -> Block<'static> {
    let label = app
        .runs()
        .get(app.selected())
        .map_or("", |r| r.contender.label());
    Block::bordered().title(format!(" {what}: {label} (←/→ another run, Esc back) "))
}

/// The selected run's confusion matrix as a heat map with counts, per-class accuracy, and the
/// most confused pairs.
pub fn render_confusion(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let block = title(app, "confusion on the test set");
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
        std::iter::once(Span::raw("actual╲pred ".to_owned()))
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
                "   · ".to_owned()
            } else {
                format!("{count:>4} ")
            };
            spans.push(if app.color() && count > 0 {
                let heat = (share * 200.0) as u8 + 40;
                let bg = if a == p {
                    Color::Rgb(0, heat, 0)
                } else {
                    Color::Rgb(heat, 0, 0)
                };
                Span::styled(text, Style::new().bg(bg).fg(Color::White))
            } else if a != p && count > 0 {
                Span::raw(text).bold()
            } else {
                Span::raw(text)
            });
        }
        let acc = if total == 0 {
            "     —".to_owned()
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
        let text: Vec<String> = pairs
            .iter()
            .map(|(a, p, n)| format!("{a}→{p} ×{n}"))
            .collect();
        lines.push(Line::from(format!(
            "most confused (actual→predicted): {}",
            text.join("  ")
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Glyph text for one hidden unit's 8×8 incoming weights: with colour, half blocks whose
/// upper and lower halves are two pixels (blue positive, red negative, brighter = larger);
/// without, one cell per pixel (`#`/`+` positive, `=`/`-` negative, blank near zero).
pub fn weight_lines(weights: &[f64], scale: f64, color: bool) -> Vec<Line<'static>> {
    let tint = |w: f64| {
        let v = ((w.abs() / scale).min(1.0) * 255.0) as u8;
        if w >= 0.0 {
            Color::Rgb(0, v / 2, v)
        } else {
            Color::Rgb(v, v / 4, 0)
        }
    };
    let rows: Vec<&[f64]> = weights.chunks(8).collect();
    if color {
        rows.chunks(2)
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
            .collect()
    } else {
        rows.iter()
            .map(|row| {
                let text: String = row
                    .iter()
                    .map(|&w| match w / scale {
                        r if r >= 0.5 => '#',
                        r if r >= 0.15 => '+',
                        r if r <= -0.5 => '=',
                        r if r <= -0.15 => '-',
                        _ => ' ',
                    })
                    .collect();
                Line::from(text)
            })
            .collect()
    }
}

/// The selected run's 80 hidden units as 8×8 glyphs of their incoming weights.
pub fn render_weights(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let block = title(app, "first-layer weights");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(model) = app
        .runs()
        .get(app.selected())
        .and_then(|r| r.model.as_ref())
    else {
        frame.render_widget(Paragraph::new("waiting for the weights…"), inner);
        return;
    };
    let first: FirstLayer = model.first_layer();
    // One scale for every unit, so brightness compares across the grid.
    let scale = first
        .weights
        .iter()
        .fold(0.0f64, |m, w| m.max(w.abs()))
        .max(f64::MIN_POSITIVE);
    let glyph_h: u16 = if app.color() { 4 } else { 8 };
    let [legend, grid] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let cols = (grid.width + 1) / 9;
    let rows = (grid.height + 1) / (glyph_h + 1);
    let shown = usize::from(cols * rows).min(first.units);
    let sign = if app.color() {
        "blue +, red −"
    } else {
        "# + positive, = - negative"
    };
    frame.render_widget(
        Paragraph::new(format!(
            "{} units × {} pixels · {sign}, brightest |w| = {scale:.2} · showing {shown} of {}",
            first.units, first.inputs, first.units
        ))
        .dim(),
        legend,
    );
    for u in 0..shown {
        let (r, c) = (u as u16 / cols.max(1), u as u16 % cols.max(1));
        let cell = Rect::new(grid.x + c * 9, grid.y + r * (glyph_h + 1), 8, glyph_h);
        frame.render_widget(
            Paragraph::new(weight_lines(first.unit(u), scale, app.color())),
            cell.intersection(grid),
        );
    }
}

/// The canvas and, for every run, what its network reads there.
pub fn render_draw(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let d = DrawLayout::new(area);
    let outer = Rect::new(
        d.canvas.x.saturating_sub(1),
        d.canvas.y.saturating_sub(1),
        d.canvas.width + 2,
        d.canvas.height + 2,
    )
    .intersection(area);
    frame.render_widget(Block::bordered().title(" draw "), outer);
    let cell_text = |p: f64, pen: bool| -> Span<'static> {
        let w = usize::from(d.cell.0);
        let text = if pen {
            "▏".to_owned() + &" ".repeat(w - 1)
        } else {
            " ".repeat(w)
        };
        if app.color() && !app.ascii() {
            let bg = grey(p);
            let light = matches!(bg, Color::Rgb(g, _, _) if g > 128);
            let fg = if light { Color::Black } else { Color::White };
            Span::styled(text, Style::new().bg(bg).fg(fg))
        } else {
            let ch = shade(p, app.ascii());
            let mut s: String = std::iter::repeat_n(ch, w).collect();
            if pen {
                s.replace_range(0..ch.len_utf8(), if app.ascii() { "|" } else { "▏" });
            }
            Span::raw(s)
        }
    };
    let mut lines = Vec::new();
    for row in 0..8u8 {
        let spans: Vec<Span> = (0..8u8)
            .map(|col| {
                let pen = app.canvas().pen == (col, row);
                cell_text(
                    app.canvas().pixels[usize::from(row) * 8 + usize::from(col)],
                    pen,
                )
            })
            .collect();
        for _ in 0..d.cell.1 {
            lines.push(Line::from(spans.clone()));
        }
    }
    frame.render_widget(Paragraph::new(lines), d.canvas);

    let bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let mut readings = vec![
        Line::from("what each network reads (bars: p(0) … p(9))").bold(),
        Line::from(format!("{:<14} {:>5} {:>6}  0123456789", "", "digit", "p")),
    ];
    for r in app.runs() {
        let line = match &r.model {
            Some(model) => {
                let probs = read_canvas(app.data(), &app.canvas().pixels, model);
                let best = argmax(&probs);
                let spark: String = probs
                    .iter()
                    .map(|&p| bars[((p * 7.0).round() as usize).min(7)])
                    .collect();
                format!(
                    "{:<14} {best:>5} {:>5.1}%  {spark}",
                    r.contender.label(),
                    probs[best] * 100.0
                )
            }
            None => format!("{:<14} waiting for weights…", r.contender.label()),
        };
        readings.push(Line::from(line));
    }
    readings.push(Line::from(""));
    readings.push(
        Line::from("arrows move · 0–9 ink · space toggle · ⌫ clear · l load · mouse paints").dim(),
    );
    let inner = Rect::new(
        d.readings.x + 2,
        d.readings.y + 1,
        d.readings.width.saturating_sub(2),
        d.readings.height.saturating_sub(1),
    );
    frame.render_widget(Paragraph::new(readings), inner.intersection(area));
}

/// One contender's spread as text of `width` cells over accuracies `[lo, hi]`: the range
/// min–max as a thin line between ticks, mean ± sd thick, the mean as a dot.
pub fn spread_bar(stats: &ContenderStats, [lo, hi]: [f64; 2], width: usize, ascii: bool) -> String {
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
    let [thin, thick, dot, left, right] = if ascii {
        ['-', '=', 'o', '|', '|']
    } else {
        ['─', '━', '●', '├', '┤']
    };
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
    let p = &app.seeds();
    let (first, last) = (p.seeds.first().copied(), p.seeds.last().copied());
    let range = match (first, last) {
        (Some(a), Some(b)) => format!("seeds {a}..={b}"),
        _ => "starting…".to_owned(),
    };
    let block = Block::bordered().title(format!(
        " many seeds: final test accuracy, {range}, {} of {} runs (Esc back) ",
        p.results.len(),
        p.runs
    ));
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
    let mut lines = vec![
        Line::from(format!("{:<14}{:>6}  {:<16}", "", "runs", "mean ± sd")).bold(),
        Line::from(axis).dim(),
    ];
    for (i, s) in stats.iter().enumerate() {
        let figures = match (s.mean_test_acc, s.sd_test_acc) {
            (Some(m), Some(sd)) => format!("{m:.4} ± {sd:.4}"),
            (Some(m), None) => format!("{m:.4}"),
            _ => "—".to_owned(),
        };
        let bar = spread_bar(s, scale, width, app.ascii());
        let style = if app.color() {
            Style::new().fg(super::render::run_color(i))
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<14}", s.optimizer.label()), style),
            Span::raw(format!("{:>6}  {figures:<16}  ", s.runs)),
            Span::styled(bar, style),
        ]));
    }
    lines.push(Line::from(""));
    let done = p.started() && p.results.len() + p.failures.len() >= p.runs;
    let status = if !p.started() {
        "starting the comparison…".to_owned()
    } else if done {
        let order: Vec<&str> = ranking(&stats).iter().map(|c| c.label()).collect();
        format!("done · ranking by mean: {}", order.join(" > "))
    } else {
        "running in the background; the charts above keep training · close with Esc or m".into()
    };
    lines.push(Line::from(status).dim());
    if !p.failures.is_empty() {
        lines.push(
            Line::from(format!(
                "{} runs failed: {}",
                p.failures.len(),
                p.failures[0]
            ))
            .red(),
        );
    }
    lines.push(
        Line::from(if app.ascii() {
            "|--- min..max   === mean ± sd   o mean"
        } else {
            "├─── min..max   ━━━ mean ± sd   ● mean"
        })
        .dim(),
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
        assert_eq!(spread_bar(&stats, [0.9, 1.0], 11, true), "  |-=o=|   ");
    }

    #[test]
    fn weights_draw_sign_and_size_without_colour() {
        let mut w = vec![0.0; 64];
        w[0] = 1.0;
        w[1] = -1.0;
        w[2] = 0.2;
        w[3] = -0.2;
        let lines = weight_lines(&w, 1.0, false);
        assert_eq!(lines.len(), 8);
        assert_eq!(lines[0].to_string(), "#=+-    ");
    }
}
