//! Where the overlay's parts go (`v`): a legend naming every run with its marker and current
//! figures, then every run's loss on one log chart, then every run's test accuracy. A pure
//! function of the runs and the area, shared by the renderer and by mouse hit-testing, so a
//! click on a legend entry lands on the run drawn there.
//!
//! ```text
//! ┌ every run: loss, then test accuracy ─────────────────┐
//! │⣿ SGD 1.4e-2 0.953  ⣿ Momentum 7.8e-4 0.969  ⣿ Ada…  │  legend, whole entries, 1–3 lines
//! │1e1 │⠑⠢⣀ …                                            │  every loss curve, shared log axis
//! │1   │  ⣀⣀⣤⠤⠒ …                                        │  every test accuracy
//! └──────────────────────────────────────────────────────┘
//! ```

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;

use crate::format;
use crate::model::RunHistory;

use crate::ui::theme::Theme;

/// Cells between two legend entries.
const GAP: u16 = 2;

/// One legend entry: the run, what it shows, and where.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    /// The run's slot: its place in the session's optimizer list.
    pub slot: usize,
    /// Marker, name and figures.
    pub spans: Vec<Span<'static>>,
    /// Where it is drawn (a click there selects the run).
    pub area: Rect,
}

/// The overlay's regions inside its border.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Overlay {
    /// The legend entries, placed.
    pub entries: Vec<Entry>,
    /// The shared loss chart.
    pub loss: Rect,
    /// The shared test-accuracy chart.
    pub accuracy: Rect,
}

/// How much of each run an entry names, most first.
#[derive(Clone, Copy)]
enum Form {
    Full,
    Short,
    ShortLoss,
    Bare,
}

/// Lays out the overlay in `detail` (its border included) for `runs`: the legend takes the
/// fewest lines that hold every entry in the fullest form that fits (full names first, on up
/// to three lines when there is height, then two-letter names, then fewer figures).
pub(crate) fn place(runs: &[RunHistory], theme: &Theme, detail: Rect) -> Overlay {
    let inner = Rect::new(
        detail.x.saturating_add(1),
        detail.y.saturating_add(1),
        detail.width.saturating_sub(2),
        detail.height.saturating_sub(2),
    );
    let most = match inner.height {
        h if h >= 20 => 3,
        h if h >= 8 => 2,
        _ => 1,
    };
    let forms = [Form::Full, Form::Short, Form::ShortLoss, Form::Bare];
    let placed = forms.iter().find_map(|&form| {
        let entries: Vec<Vec<Span<'static>>> = (runs.iter().enumerate())
            .map(|(i, r)| entry(r, i, theme, form))
            .collect();
        (1..=most).find_map(|lines| wrap(&entries, inner, lines))
    });
    let entries = placed.unwrap_or_default();
    let used = entries.iter().map(|e| e.area.bottom()).max();
    let lines = used.map_or(0, |b| b - inner.y);
    let [_, loss, accuracy] = Layout::vertical([
        Constraint::Length(lines),
        Constraint::Fill(3),
        Constraint::Fill(2),
    ])
    .areas(inner);
    Overlay {
        entries,
        loss,
        accuracy,
    }
}

/// Run `i`'s legend entry in `form`: marker and name in its style, then its latest loss and
/// test accuracy (a dash before the first epoch). A diverged run says `diverged@N` as the
/// tables and `plot` do, or only `✗` in the form that drops the accuracies to fit.
fn entry(run: &RunHistory, i: usize, theme: &Theme, form: Form) -> Vec<Span<'static>> {
    let s = &run.summary;
    let name = match form {
        Form::Full => run.contender.label(),
        _ => run.contender.short(),
    };
    let (loss, acc) = match (s.diverged_at, s.final_loss) {
        (Some(epoch), _) => match form {
            Form::Full | Form::Short => (format::loss(None, Some(epoch)), None),
            _ => (theme.wrong_mark().to_owned(), None),
        },
        (None, Some(loss)) => (
            format::loss_short(loss),
            Some(format::accuracy(s.test_acc, 3)),
        ),
        (None, None) => (theme.missing().to_owned(), None),
    };
    let mut spans = vec![Span::styled(
        format!("{} {name}", theme.run_marker_symbol(i)),
        theme.run(i),
    )];
    if !matches!(form, Form::Bare) {
        spans.push(Span::raw(format!(" {loss}")));
    }
    if let (Form::Full | Form::Short, Some(acc)) = (form, acc) {
        spans.push(Span::raw(format!(" {acc}")));
    }
    spans
}

/// The entries placed left to right on at most `lines` lines of `area`, whole; `None` if they
/// do not fit.
fn wrap(entries: &[Vec<Span<'static>>], area: Rect, lines: u16) -> Option<Vec<Entry>> {
    let mut out = Vec::new();
    let (mut x, mut y) = (0u16, 0u16);
    for (slot, spans) in entries.iter().enumerate() {
        let w = spans.iter().map(Span::width).sum::<usize>();
        let w = u16::try_from(w).ok().filter(|&w| w <= area.width)?;
        if x > 0 && x + GAP + w > area.width {
            (x, y) = (0, y + 1);
        }
        if y >= lines.min(area.height) {
            return None;
        }
        let at = if x == 0 { 0 } else { x + GAP };
        out.push(Entry {
            slot,
            spans: spans.clone(),
            area: Rect::new(area.x + at, area.y + y, w, 1),
        });
        x = at + w;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::{Contender, Settings};

    fn runs() -> Vec<RunHistory> {
        let model = crate::model::SessionModel::new(Settings::default(), "embedded");
        model.runs().to_vec()
    }

    #[test]
    fn full_names_when_they_fit_short_ones_when_not() {
        let runs = runs();
        let wide = place(&runs, &Theme::ascii(), Rect::new(0, 0, 100, 30));
        let text = |o: &Overlay| -> Vec<String> {
            (o.entries.iter())
                .map(|e| e.spans.iter().map(|s| s.content.as_ref()).collect())
                .collect()
        };
        assert_eq!(text(&wide)[1], "o Momentum -");
        assert_eq!(wide.entries.len(), Contender::ALL.len());
        assert_eq!(wide.loss.y, 2, "one legend line under the border");
        let narrow = place(&runs, &Theme::ascii(), Rect::new(0, 0, 30, 12));
        assert_eq!(text(&narrow)[1], "o Mo -");
        // Entries never overlap and stay inside.
        for e in &narrow.entries {
            assert!(e.area.right() <= 29 && e.area.y >= 1, "{e:?}");
        }
        for pair in narrow.entries.windows(2) {
            assert!(!pair[0].area.intersects(pair[1].area));
        }
    }

    #[test]
    fn a_diverged_run_is_named_as_the_tables_name_it_where_it_fits() {
        let mut runs = runs();
        runs[0].summary.diverged_at = Some(37);
        let text = |o: &Overlay| -> String {
            (o.entries[0].spans.iter())
                .map(|s| s.content.as_ref())
                .collect()
        };
        let wide = place(&runs, &Theme::ascii(), Rect::new(0, 0, 100, 30));
        assert_eq!(text(&wide), "* SGD diverged@37");
        // Where only a loss fits beside the short names, the mark alone.
        let narrow = place(&runs, &Theme::ascii(), Rect::new(0, 0, 30, 12));
        assert_eq!(text(&narrow), "* SG x");
    }
}
