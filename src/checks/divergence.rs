//! Divergence has one spelling in the dashboard too: on a saved session in which one run
//! diverges at epoch 1 (SGD at `--lr 5`) and one late (RMSProp, at epoch 94), the dashboard's
//! final table has headless's cells, and the overlay marks every diverged run. Headless's,
//! `--open`'s and `plot`'s spellings through the binary are checked in
//! `tests/cli/divergence.rs`.

use std::sync::{Arc, OnceLock};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use super::fixtures::{headless_export, scratch};
use super::readings::row;
use crate::data::Dataset;
use crate::engine::Speed;
use crate::export::{self, SessionRecord};
use crate::nn::Hyper;
use crate::train::{Contender, Settings};
use crate::ui::app::App;
use crate::ui::intent::Intent;
use crate::ui::layout::Areas;
use crate::ui::layout::overlay as legend;
use crate::ui::message::Message;
use crate::ui::render::render;
use crate::ui::theme::Theme;

/// The session of `--headless --lr 5 --epochs 100 --optimizers sgd,rmsprop,adam`, exported
/// and read back, and its headless table; trained once for the file's tests.
fn diverging_session() -> &'static (SessionRecord, String) {
    static SESSION: OnceLock<(SessionRecord, String)> = OnceLock::new();
    SESSION.get_or_init(|| {
        let file = scratch("divergence", "session").join("session.json");
        let settings = Settings {
            epochs: 100,
            optimizers: vec![Contender::Sgd, Contender::Rmsprop, Contender::Adam],
            hyper: Hyper {
                lr: 5.0,
                ..Hyper::default()
            },
            ..Settings::default()
        };
        let (_, table) = headless_export(settings, &file);
        (export::read(&file).expect("the export reads back"), table)
    })
}

/// The saved session in the dashboard, finished, drawn at 120×40.
fn dashboard(record: &SessionRecord) -> App {
    let data = Arc::new(Dataset::lab());
    let mut app = App::new(
        record.settings.clone(),
        data,
        record.data.clone(),
        true,
        Speed::Unlimited,
    )
    .with_theme(Theme::plain());
    for event in record.replay() {
        app.update(Message::Session(event));
    }
    let mut app = app.replaying("session.json");
    app.update(Message::Resize(Rect::new(0, 0, 120, 40)));
    app
}

fn screen(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    terminal
}

#[test]
fn the_dashboard_table_spells_a_divergence_as_headless_does() {
    let (record, headless) = diverging_session();
    let sgd = row(headless, "SGD");
    assert_eq!(sgd, ["SGD", "1", "diverged@1", "-", "-", "-"], "{headless}");
    let rmsprop = row(headless, "RMSProp");
    assert_eq!(&rmsprop[..5], ["RMSProp", "94", "diverged@94", "-", "-"]);
    assert_eq!(rmsprop[6], "@", "the best before it diverged: {headless}");

    // The dashboard's table has the same cells, less the train accuracy.
    let app = dashboard(record);
    let drawn = screen(&app).backend().to_string();
    let without_train = |mut words: Vec<String>| {
        words.remove(3);
        words
    };
    assert_eq!(row(&drawn, "SGD"), without_train(sgd), "{drawn}");
    assert_eq!(row(&drawn, "RMSProp"), without_train(rmsprop), "{drawn}");
}

#[test]
fn the_overlay_marks_every_diverged_run_over_every_curve() {
    let (record, _) = diverging_session();
    let mut app = dashboard(record);
    app.update(Intent::ToggleOverlay);
    let terminal = screen(&app);
    let areas = Areas::new(Rect::new(0, 0, 120, 40), app.runs().len(), app.data().side);
    let overlay = legend::place(app.runs(), app.theme(), areas.detail);
    let buffer = terminal.backend().buffer();
    let marks = (overlay.loss.rows())
        .flat_map(|row| row.columns())
        .filter(|p| buffer[(p.x, p.y)].symbol() == "✗")
        .count();
    assert_eq!(marks, 2, "one ✗ per diverged run:\n{}", terminal.backend());
}
