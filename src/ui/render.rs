//! Drawing: a pure function of `&App`. One function per region, composed by [`render`].

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, BorderType, Cell, Chart, Clear, Dataset, GraphType, Paragraph, Row, Table, Wrap,
};

use super::app::{App, RunState, View};
use super::keymap::{KEYMAP, Scope, footer_hints};
use super::layout::{Areas, MIN_HEIGHT, MIN_WIDTH, NARROW_CHART, TileSize, Tiles};
use super::widgets::{Look, digit_lines, digit_lines_compact, log_axis, short_loss};
use super::{sweep_view, views};
use crate::engine::Speed;
use crate::model::RunHistory;
use crate::train::{BASELINE_LOSS_NOTE, Contender};

/// One distinct colour per run, in session order.
const RUN_COLORS: [Color; 6] = [
    Color::LightRed,
    Color::LightYellow,
    Color::LightGreen,
    Color::LightCyan,
    Color::LightMagenta,
    Color::LightBlue,
];

/// Draws the whole dashboard.
pub fn render(app: &App, frame: &mut Frame<'_>) {
    let size = frame.area();
    let areas = Areas::new(size, app.runs().len());
    if !areas.fits {
        render_too_small(frame, size);
        return;
    }
    if let Some(message) = app.failure() {
        render_failure(frame, size, message);
        return;
    }
    render_status(app, frame, areas.status);
    for (i, area) in areas.charts.iter().enumerate() {
        render_small_chart(app, frame, *area, i);
    }
    match app.view() {
        View::Main => {
            if app.state() == RunState::Finished {
                render_final_table(app, frame, areas.detail);
            } else {
                render_detail(app, frame, areas.detail);
            }
            render_digits(app, frame, areas.digits, areas.tiles);
        }
        View::Confusion => views::render_confusion(app, frame, areas.below()),
        View::Weights => views::render_weights(app, frame, areas.below()),
        View::Draw => views::render_draw(app, frame, areas.below()),
        View::Seeds => views::render_seeds(app, frame, areas.below()),
        View::Sweep => {
            sweep_view::render(app, frame, areas.below(), |i| color(app, i), marker(app));
        }
    }
    render_footer(app, frame, areas.footer);
    if app.show_help() {
        render_help(app, frame, size);
    }
}

fn look(app: &App) -> Look {
    Look {
        ascii: app.ascii(),
        color: app.color(),
    }
}

/// Run `i`'s colour.
pub(crate) fn run_color(i: usize) -> Color {
    RUN_COLORS[i % RUN_COLORS.len()]
}

fn color(app: &App, i: usize) -> Style {
    if app.color() {
        Style::new().fg(RUN_COLORS[i % RUN_COLORS.len()])
    } else {
        Style::new()
    }
}

fn marker(app: &App) -> Marker {
    if app.ascii() {
        Marker::Dot
    } else {
        Marker::Braille
    }
}

fn render_too_small(frame: &mut Frame<'_>, size: Rect) {
    let text = format!(
        "Terminal too small: {}×{}. Enlarge to at least {MIN_WIDTH}×{MIN_HEIGHT}. (q quits)",
        size.width, size.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .alignment(Alignment::Center),
        size,
    );
}

fn render_failure(frame: &mut Frame<'_>, size: Rect, message: &str) {
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .title(" training stopped ")
        .red();
    let text = vec![
        Line::from("A training worker failed:"),
        Line::from(""),
        Line::from(message.to_owned()).bold(),
        Line::from(""),
        Line::from("Press q to quit."),
    ];
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        size,
    );
}

fn render_status(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let state = match app.state() {
        RunState::Running => "running",
        RunState::Paused => "paused",
        RunState::Finished => "finished",
    };
    let stage = match app.stage() {
        Some((i, k)) => format!(
            "│ chain {k}/{} {} ",
            (app.runs().iter())
                .filter(|r| r.contender.optimizer().is_some())
                .count(),
            app.runs()[i].contender.label()
        ),
        None => String::new(),
    };
    let diverged: Vec<&str> = app
        .runs()
        .iter()
        .filter(|r| r.summary.diverged_at.is_some())
        .map(|r| r.contender.label())
        .collect();
    let rate = app
        .epochs_per_second()
        .map_or_else(|| "—".to_owned(), |r| format!("{r:.0}"));
    let speed = match app.speed() {
        Speed::Unlimited => "max".to_owned(),
        Speed::PerSecond(s) => format!("{s}/s"),
    };
    let secs = app.elapsed().as_secs();
    let mut spans = vec![
        Span::raw(" digits-tui ").bold(),
        Span::raw(format!("│ seed {} ", app.settings().seed)),
        Span::raw(stage),
        Span::raw(format!(
            "│ epoch {} / {} ",
            app.epoch(),
            app.settings().epochs
        )),
        Span::raw(format!("│ {state} ")).bold(),
    ];
    // A notice answers the last key, so it comes before the running figures.
    if let Some(notice) = app.notice() {
        spans.push(Span::raw(format!("│ {notice} ")).bold());
    }
    if !diverged.is_empty() {
        spans.push(Span::raw(format!("│ diverged: {} ", diverged.join(", "))).red());
    }
    match &app.replay() {
        Some(name) => spans.push(Span::raw(format!("│ saved session {name} "))),
        None => spans.extend([
            Span::raw(format!("│ {rate} epochs/s ")),
            Span::raw(format!("│ speed {speed} ")),
            Span::raw(format!("│ {:02}:{:02} ", secs / 60, secs % 60)),
        ]),
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(Style::new().reversed()),
        area,
    );
}

/// `(epoch, log10 loss)` for every epoch with a loss: what the loss charts plot (ratatui's
/// `Chart` has no log axis).
fn log_loss_points(run: &RunHistory) -> Vec<(f64, f64)> {
    (run.epochs.iter())
        .filter_map(|m| {
            let loss = m.loss?;
            Some((f64::from(m.epoch), loss.max(f64::MIN_POSITIVE).log10()))
        })
        .collect()
}

/// `(epoch, test accuracy)` for every epoch.
fn test_acc_points(run: &RunHistory) -> Vec<(f64, f64)> {
    (run.epochs.iter())
        .map(|m| (f64::from(m.epoch), m.test_acc))
        .collect()
}

/// The y range of the given runs' loss curves, in log10 units (`(-1, 0)` before any point).
fn loss_range<'a>(runs: impl IntoIterator<Item = &'a RunHistory>) -> (f64, f64) {
    let ys = runs
        .into_iter()
        .flat_map(|r| log_loss_points(r).into_iter().map(|p| p.1));
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    if lo.is_finite() {
        (lo, hi)
    } else {
        (-1.0, 0.0)
    }
}

fn x_axis<'a>(app: &App) -> Axis<'a> {
    let total = f64::from(app.settings().epochs);
    Axis::default()
        .bounds([0.0, total])
        .labels(["0".to_owned(), format!("{}", app.settings().epochs)])
}

/// Vertical lines across `[y0, y1]` at every live learning-rate change (dim) and at the
/// epoch a run diverged (red), so both show on the loss curve where they happened.
fn event_marks(run: &RunHistory, [y0, y1]: [f64; 2]) -> Vec<([(f64, f64); 2], bool)> {
    let line = |epoch: u32| [(f64::from(epoch), y0), (f64::from(epoch), y1)];
    (run.lr_changes.iter().map(|c| (line(c.after_epoch), false)))
        .chain(run.summary.diverged_at.map(|e| (line(e), true)))
        .collect()
}

/// The loss curve plus its event marks, as chart datasets.
fn loss_datasets<'a>(
    app: &App,
    i: usize,
    points: &'a [(f64, f64)],
    marks: &'a [([(f64, f64); 2], bool)],
) -> Vec<Dataset<'a>> {
    let curve = Dataset::default()
        .marker(marker(app))
        .graph_type(GraphType::Line)
        .style(color(app, i))
        .data(points);
    let mark_style = |diverged: bool| match (app.color(), diverged) {
        (true, true) => Style::new().red(),
        (true, false) => Style::new().gray(),
        (false, _) => Style::new(),
    };
    std::iter::once(curve)
        .chain(marks.iter().map(|(points, diverged)| {
            Dataset::default()
                .marker(marker(app))
                .graph_type(GraphType::Line)
                .style(mark_style(*diverged))
                .data(points)
        }))
        .collect()
}

fn render_small_chart(app: &App, frame: &mut Frame<'_>, area: Rect, i: usize) {
    let run = &app.runs()[i];
    let selected = i == app.selected();
    let (lo, hi) = loss_range(app.runs());
    let ([y0, y1], labels) = log_axis(lo, hi, 3);
    let title = format!(" {} {} ", i + 1, run.contender.label());
    let early = run.ended && run.summary.epochs < app.settings().epochs;
    // Narrow charts share the first one's y labels (the axes are the same) and show the loss
    // alone underneath.
    let narrow = app.size().width / (app.runs().len().max(1) as u16) < NARROW_CHART;
    let figures = match run.summary.final_loss {
        _ if run.summary.diverged_at.is_some() => " diverged ✗ ".to_owned(),
        Some(_) if early && area.width < 24 => format!(" stop@{} ", run.summary.epochs),
        Some(loss) if narrow => format!(" {} ", short_loss(loss)),
        Some(loss) if early => format!(
            " stop@{} {} {:.3} ",
            run.summary.epochs,
            short_loss(loss),
            run.summary.test_acc
        ),
        Some(loss) => format!(" {} {:.3} ", short_loss(loss), run.summary.test_acc),
        None => " — ".to_owned(),
    };
    let mut block = Block::bordered()
        .title(Line::from(title).style(color(app, i)))
        .title_bottom(Line::from(figures).right_aligned());
    if selected {
        block = block
            .border_type(BorderType::Thick)
            .border_style(color(app, i).add_modifier(Modifier::BOLD));
    }
    let marks = event_marks(run, [y0, y1]);
    let points = log_loss_points(run);
    let chart = Chart::new(loss_datasets(app, i, &points, &marks))
        .block(block)
        .x_axis(x_axis(app))
        .y_axis(Axis::default().bounds([y0, y1]).labels(if narrow && i > 0 {
            Vec::new()
        } else {
            labels
        }));
    frame.render_widget(chart, area);
}

fn render_detail(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let Some(run) = app.runs().get(app.selected()) else {
        return;
    };
    let block = Block::bordered().title(
        Line::from(format!(" {} in detail ", run.contender.label()))
            .style(color(app, app.selected())),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let text = detail_figures(app, run);
    // Narrow panels wrap the figures onto a second line rather than cutting them off.
    let figure_rows = if text.width() > usize::from(inner.width) {
        2
    } else {
        1
    };
    let [figures, loss_area, acc_area] = Layout::vertical([
        Constraint::Length(figure_rows),
        Constraint::Fill(3),
        Constraint::Fill(2),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), figures);

    let (lo, hi) = loss_range([run]);
    let ([y0, y1], labels) = log_axis(lo, hi, 5);
    let marks = event_marks(run, [y0, y1]);
    let points = log_loss_points(run);
    frame.render_widget(
        Chart::new(loss_datasets(app, app.selected(), &points, &marks))
            .legend_position(None)
            .x_axis(x_axis(app))
            .y_axis(
                Axis::default()
                    .title("loss")
                    .bounds([y0, y1])
                    .labels(labels),
            ),
        loss_area,
    );
    let accs = test_acc_points(run);
    let acc = Dataset::default()
        .name("test acc")
        .marker(marker(app))
        .graph_type(GraphType::Line)
        .data(&accs);
    frame.render_widget(
        Chart::new(vec![acc])
            .legend_position(None)
            .x_axis(x_axis(app).title("epoch"))
            .y_axis(
                Axis::default()
                    .title("acc")
                    .bounds([0.0, 1.0])
                    .labels(["0", "0.5", "1"]),
            ),
        acc_area,
    );
}

fn detail_figures(app: &App, run: &RunHistory) -> Line<'static> {
    let s = &run.summary;
    let loss = match (s.final_loss, s.diverged_at) {
        (_, Some(e)) => format!("diverged at epoch {e}"),
        (Some(l), None) => format!("{l:.3e}"),
        (None, None) => "—".into(),
    };
    Line::from(format!(
        "epoch {} · loss {loss} · train {:.3} · test {:.3} · best {:.3} @ {} · lr {}",
        s.epochs,
        s.train_acc,
        s.test_acc,
        s.best_test_acc,
        s.best_epoch,
        run.lr(app.settings().hyper.lr)
    ))
}

fn render_final_table(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let header = Row::new([
        "optimizer",
        "epochs",
        "final loss",
        "final test acc",
        "best test acc",
    ])
    .bold();
    let rows = app.runs().iter().enumerate().map(|(i, r)| {
        let s = &r.summary;
        let loss = match (s.final_loss, s.diverged_at) {
            (_, Some(e)) => format!("diverged @ {e}"),
            (Some(l), None) => format!("{l:.3e}"),
            (None, None) => "—".into(),
        };
        Row::new([
            Cell::from(r.contender.label()).style(color(app, i)),
            Cell::from(format!("{:>6}", s.epochs)),
            Cell::from(loss),
            Cell::from(format!("{:.4}", s.test_acc)),
            Cell::from(format!("{:.4} @ {}", s.best_test_acc, s.best_epoch)),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(13),
            Constraint::Length(6),
            Constraint::Length(14),
            Constraint::Length(14),
            Constraint::Length(16),
        ],
    )
    .header(header);
    let next = if app.replay().is_some() {
        "q quits"
    } else {
        "r restarts, q quits"
    };
    let block = Block::bordered().title(format!(
        " finished: {} epochs, seed {} — {next} ",
        app.settings().epochs,
        app.settings().seed
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = u16::try_from(app.runs().len() + 2).unwrap_or(u16::MAX);
    let [table_area, note_area] =
        Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(inner);
    frame.render_widget(table, table_area);
    if app.runs().iter().any(|r| r.contender == Contender::Mlp) {
        frame.render_widget(
            Paragraph::new(BASELINE_LOSS_NOTE)
                .wrap(Wrap { trim: true })
                .dim(),
            note_area,
        );
    }
}

fn render_digits(app: &App, frame: &mut Frame<'_>, area: Rect, tiles: Tiles) {
    let block = Block::bordered().title(" test digits (n: new) ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (width, height) = (tiles.size.width(), tiles.size.height(app.runs().len()));
    let slots = (0..tiles.rows).flat_map(|r| (0..tiles.cols).map(move |c| (r, c)));
    for ((r, c), &index) in slots.zip(app.digits()) {
        let tile = Rect::new(
            inner.x + c * (width + 1),
            inner.y + r * (height + 1),
            width,
            height,
        )
        .intersection(inner);
        render_tile(app, frame, tile, tiles.size, index);
    }
}

fn render_tile(app: &App, frame: &mut Frame<'_>, area: Rect, size: TileSize, index: usize) {
    // Tiles are 8×8 glyphs; larger images are shown averaged down until they can be drawn whole.
    let pixels = app.data().test_thumbnail(index, 8);
    let actual = app.data().y_test[index];
    let [glyph, others] = Layout::horizontal([
        Constraint::Length(size.glyph_width() + 1),
        Constraint::Length(6),
    ])
    .areas(Rect::new(
        area.x,
        area.y,
        area.width,
        area.height.saturating_sub(1),
    ));
    let lines = match size {
        TileSize::Full => digit_lines(&pixels, look(app)),
        TileSize::Compact => digit_lines_compact(&pixels, look(app)),
    };
    frame.render_widget(Paragraph::new(lines), glyph);
    let wrong = |p: u8| p != actual;
    let other_lines: Vec<Line> = app
        .runs()
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != app.selected())
        .map(|(i, r)| match &r.predictions {
            Some(p) => {
                let guess = p[index];
                let mark = if wrong(guess) { "✗" } else { " " };
                Line::from(format!("{} {guess}{mark}", r.contender.short())).style(color(app, i))
            }
            None => Line::from(format!("{} -", r.contender.short())),
        })
        .collect();
    frame.render_widget(Paragraph::new(other_lines), others);
    let label = match app
        .runs()
        .get(app.selected())
        .and_then(|r| r.predictions.as_ref())
    {
        Some(p) if wrong(p[index]) => {
            let style = if app.color() {
                Style::new().red().bold()
            } else {
                Style::new().bold()
            };
            Line::from(vec![
                Span::styled(format!("✗ {}", p[index]), style),
                Span::raw(format!(" actual {actual}")),
            ])
        }
        Some(p) => Line::from(vec![
            Span::styled(
                format!("✓ {}", p[index]),
                if app.color() {
                    Style::new().green()
                } else {
                    Style::new()
                },
            ),
            Span::raw(format!(" actual {actual}")),
        ]),
        None => Line::from(format!("? actual {actual}")),
    };
    let label_area = Rect::new(
        area.x,
        area.y + area.height.saturating_sub(1),
        area.width,
        1,
    );
    frame.render_widget(Paragraph::new(label), label_area);
}

/// The footer's key hints; when they do not fit, the ones just before the last two go first,
/// so `? help` and `q quit` always show.
fn render_footer(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let mut hints: Vec<(&str, &str)> = footer_hints(app.view()).collect();
    let width = |h: &[(&str, &str)]| -> usize {
        h.iter()
            .map(|(k, w)| Line::from(format!(" {k}  {w}  ")).width())
            .sum()
    };
    while width(&hints) > usize::from(area.width) && hints.len() > 2 {
        hints.remove(hints.len() - 3);
    }
    let mut spans = Vec::new();
    for (key, what) in hints {
        spans.push(Span::raw(format!(" {key} ")).reversed());
        spans.push(Span::raw(format!(" {what}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys that work in the current view, by scope, straight from [`KEYMAP`].
fn render_help(app: &App, frame: &mut Frame<'_>, size: Rect) {
    let mut rows: Vec<Row> = Vec::new();
    for scope in [Scope::Browse, Scope::Canvas, Scope::Global] {
        if !scope.active_in(app.view()) {
            continue;
        }
        rows.push(Row::new([Cell::from(""), Cell::from(scope.title()).dim()]));
        rows.extend(
            (KEYMAP.iter())
                .filter(|b| b.scope == scope && !b.label.is_empty())
                .map(|b| Row::new([Cell::from(b.label).bold(), Cell::from(b.help)])),
        );
    }
    let mouse = if app.view() == View::Draw {
        "paint the canvas (right button erases)"
    } else {
        "select an optimizer's chart"
    };
    rows.push(Row::new([Cell::from("mouse").bold(), Cell::from(mouse)]));
    let height = (rows.len() as u16 + 2).min(size.height);
    let width = 60.min(size.width);
    let area = Rect::new(
        size.x + (size.width - width) / 2,
        size.y + (size.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, area);
    frame.render_widget(
        Table::new(rows, [Constraint::Length(10), Constraint::Fill(1)])
            .block(Block::bordered().title(" keys (? or Esc closes) ")),
        area,
    );
}
