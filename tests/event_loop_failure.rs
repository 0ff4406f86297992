//! A worker that panics mid-session, through the real loop: the app shows the failure and the
//! loop still ends when asked. Its own test binary, since the fault is set for the process.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use digits_tui::data::Dataset;
use digits_tui::engine::pool::FAULT_ENV;
use digits_tui::engine::{Session, Speed};
use digits_tui::train::{Contender, Settings};
use digits_tui::ui::app::App;
use digits_tui::ui::{Input, drive};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// Waits for the failure, lets the loop draw it for a few frames, then presses `q`.
struct QuitOnFailure {
    start: Instant,
    seen: Option<Instant>,
}

impl Input for QuitOnFailure {
    fn next(&mut self, timeout: Duration, app: &App) -> std::io::Result<Option<Event>> {
        if app.failure().is_some() {
            self.seen.get_or_insert_with(Instant::now);
        }
        let drawn = self
            .seen
            .is_some_and(|t| t.elapsed() > Duration::from_millis(100));
        if drawn || self.start.elapsed() > Duration::from_secs(60) {
            let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
            return Ok(Some(Event::Key(q)));
        }
        if !timeout.is_zero() {
            std::thread::sleep(Duration::from_millis(1));
        }
        Ok(None)
    }
}

#[test]
fn a_worker_panic_becomes_the_failure_panel() {
    // SAFETY: set before any thread of this test binary reads the environment.
    unsafe { std::env::set_var(FAULT_ENV, "3") };
    let settings = Settings {
        epochs: 10,
        optimizers: vec![Contender::Adam],
        ..Settings::default()
    };
    let data = Arc::new(Dataset::lab());
    let session = Session::start(settings.clone(), Arc::clone(&data), false, Speed::Unlimited);
    let app = App::new(settings, data, "embedded", false, Speed::Unlimited);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("a test terminal");
    let start = Instant::now();
    let app = drive(
        &mut terminal,
        app,
        Some(&session),
        &mut QuitOnFailure { start, seen: None },
        &AtomicBool::new(false),
        || start.elapsed(),
    )
    .expect("the loop ends cleanly");
    let failure = app.failure().expect("the failure is kept");
    assert!(failure.contains("injected fault"), "{failure}");
    assert_eq!(
        app.runs()[0].epochs.len(),
        2,
        "epochs before the fault are kept"
    );
    let screen = format!("{:?}", terminal.backend());
    assert!(
        screen.contains("injected fault"),
        "the panel shows it:\n{screen}"
    );
}
