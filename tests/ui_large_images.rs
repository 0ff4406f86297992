//! The dashboard on 28×28 data does not panic: every view renders, a test image loads into the
//! 8×8 canvas, and a drawing is read by networks with 784 inputs. (How well it draws large
//! images is the dashboard's business; this only guards against crashes.)

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use digits_tui::data;
use digits_tui::engine::{Event, Speed};
use digits_tui::train::{EpochReport, Settings, Trainer};
use digits_tui::ui::app::{Action, App, CanvasEdit, View};
use digits_tui::ui::render::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[test]
fn every_view_renders_28x28_data() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/idx-small");
    let data = Arc::new(data::load(Some(&dir), None).expect("the fixture loads"));
    let settings = Settings::default();
    let mut app = App::new(
        settings.clone(),
        Arc::clone(&data),
        "embedded",
        false,
        Speed::Unlimited,
    );
    app.update(Action::Session(Event::Started {
        generation: 1,
        seed: 7,
    }));
    for (run, &contender) in settings.optimizers.iter().enumerate() {
        let mut trainer = Trainer::new(contender, &settings, Arc::clone(&data));
        let report: EpochReport = trainer.train_epoch();
        assert_eq!(report.predictions.len(), 100);
        let report = EpochReport {
            wall: Duration::ZERO,
            ..report
        };
        app.update(Action::Session(Event::Epoch {
            generation: 1,
            run,
            report,
            last: false,
        }));
        app.update(Action::Session(Event::Model {
            generation: 1,
            run,
            epoch: 1,
            model: Arc::new(trainer.model()),
        }));
    }
    app.update(Action::NewDigits);
    for view in [View::Main, View::Confusion, View::Weights, View::Draw] {
        if view != View::Main {
            app.update(Action::ToggleView(view));
        }
        if view == View::Draw {
            app.update(Action::Canvas(CanvasEdit::Load));
            app.update(Action::Canvas(CanvasEdit::Ink(9)));
        }
        for (w, h) in [(120, 40), (80, 24)] {
            app.update(Action::Resize(ratatui::layout::Rect::new(0, 0, w, h)));
            let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
            terminal.draw(|f| render(&app, f)).expect("draw");
            assert!(
                !terminal.backend().to_string().trim().is_empty(),
                "{view:?}"
            );
        }
        app.update(Action::Back);
    }
}
