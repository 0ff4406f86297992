//! The background jobs' cost, read from the process's CPU time while the real loop runs with
//! the charts paused (issue 20, item 2): a job uses at most the one core the README promises,
//! two jobs never run at once, and closing a view (Esc) leaves nothing training. Alone in its
//! own test binary, so no other test's threads count; the margins are generous and only upper
//! bounds are checked, so a busy machine cannot fail it.
#![cfg(unix)]

use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use digits_tui::data::Dataset;
use digits_tui::engine::{Session, Speed};
use digits_tui::train::Settings;
use digits_tui::ui::app::App;
use digits_tui::ui::{Input, drive};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// CPU seconds used by this process so far, every thread.
fn cpu() -> f64 {
    use rustix::time::{ClockId, clock_gettime};
    let t = clock_gettime(ClockId::ProcessCPUTime);
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// `(wall, cpu)` at each mark of the script.
static MARKS: Mutex<Vec<(Instant, f64)>> = Mutex::new(Vec::new());

enum Step {
    Key(KeyCode),
    /// Nothing arrives for this long.
    Idle(Duration),
    /// Notes the wall and CPU time.
    Mark,
}

struct Script(VecDeque<Step>, Option<Instant>);

impl Input for Script {
    fn next(&mut self, timeout: Duration, _: &App) -> std::io::Result<Option<Event>> {
        if timeout.is_zero() {
            return Ok(None);
        }
        let press = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        match self.0.pop_front() {
            Some(Step::Key(code)) => Ok(Some(press(code))),
            Some(Step::Mark) => {
                let mut marks = MARKS.lock().expect("no test panicked holding it");
                marks.push((Instant::now(), cpu()));
                Ok(None)
            }
            Some(Step::Idle(length)) => {
                let since = *self.1.get_or_insert_with(Instant::now);
                if since.elapsed() >= length {
                    self.1 = None;
                } else {
                    self.0.push_front(Step::Idle(length));
                    // Wait as the terminal would: for the frame's timeout, not spinning.
                    std::thread::sleep(timeout.min(length - since.elapsed()));
                }
                Ok(None)
            }
            None => Ok(Some(press(KeyCode::Char('q')))),
        }
    }
}

#[test]
fn a_job_takes_at_most_one_core_and_none_once_its_view_is_closed() {
    let data = Arc::new(Dataset::lab());
    let settings = Settings::default();
    // The charts are paused: whatever the process burns is the jobs' (and the loop's).
    let session = Session::start(settings.clone(), Arc::clone(&data), true, Speed::Unlimited);
    let app = App::new(settings, data, "embedded", true, Speed::Unlimited);
    let settle = Duration::from_millis(300);
    let phase = Duration::from_secs(3);
    let steps = vec![
        // The seeds view's job alone, its view open.
        Step::Key(KeyCode::Char('m')),
        Step::Idle(settle),
        Step::Mark,
        Step::Idle(phase),
        Step::Mark,
        // Closed with Esc: it pauses.
        Step::Key(KeyCode::Esc),
        Step::Idle(settle),
        Step::Mark,
        Step::Idle(phase),
        Step::Mark,
        // Kept running (`k`) while the sweep starts: still one core between them.
        Step::Key(KeyCode::Char('m')),
        Step::Key(KeyCode::Char('k')),
        Step::Key(KeyCode::Char('g')),
        Step::Idle(settle),
        Step::Mark,
        Step::Idle(phase),
        Step::Mark,
    ];
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    let started = Instant::now();
    drive(
        &mut terminal,
        app,
        Some(&session),
        &mut Script(steps.into(), None),
        &AtomicBool::new(false),
        || started.elapsed(),
    )
    .expect("the loop ends cleanly");
    let marks = MARKS.lock().expect("no test panicked holding it").clone();
    assert_eq!(marks.len(), 6);
    let cores = |i: usize| {
        let ((w0, c0), (w1, c1)) = (marks[i], marks[i + 1]);
        (c1 - c0) / (w1 - w0).as_secs_f64()
    };
    let (open, closed, two) = (cores(0), cores(2), cores(4));
    assert!(open < 1.5, "one job took {open:.2} cores");
    assert!(
        closed < 0.35,
        "a closed view's job went on: {closed:.2} cores"
    );
    assert!(two < 1.5, "two jobs took {two:.2} cores");
}
