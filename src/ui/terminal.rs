//! The real terminal: raw mode and the alternate screen, restored on every exit path (the
//! guard's `Drop` on return, the panic hook on a UI panic, the stop flag that SIGTERM, SIGHUP
//! and SIGINT set on Unix; on Windows Ctrl-C arrives as a key and quits like `q`), and
//! crossterm's input as the loop's [`Input`].

use std::io::{self, Stdout, stdout};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use super::Input;
use super::app::App;
use crate::engine::is_worker_thread;

/// How long the loop may take to finish after a stop signal before the process just exits.
#[cfg(unix)]
const HANG_UP_GRACE: Duration = Duration::from_millis(300);

/// Restores the terminal when dropped, whatever path leaves the dashboard.
pub struct Guard;

impl Guard {
    /// Raw mode, the alternate screen and mouse capture, and a terminal drawing on them.
    pub fn enter() -> io::Result<(Self, Terminal<CrosstermBackend<Stdout>>)> {
        enable_raw_mode()?;
        let guard = Self;
        execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)?;
        let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        Ok((guard, terminal))
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

fn restore() {
    let _ = execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen);
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), ratatui::crossterm::cursor::Show);
}

/// A panic hook that restores the terminal before a UI-thread panic is printed, and keeps
/// worker panics (caught and reported by the session) off the screen entirely.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_worker_thread() {
            return;
        }
        restore();
        previous(info);
    }));
}

/// SIGTERM, SIGHUP and SIGINT set the returned flag, and the loop then finishes within a
/// frame, restoring the terminal. If it has not within [`HANG_UP_GRACE`], the terminal is
/// gone: after a hang-up, crossterm keeps reading an end-of-file and never returns to the
/// loop, so the process exits from here (there is no terminal left to restore).
#[cfg(unix)]
pub fn watch_signals() -> io::Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use std::sync::atomic::Ordering;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::Builder::new()
        .name("digits-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                flag.store(true, Ordering::Relaxed);
                std::thread::sleep(HANG_UP_GRACE);
                std::process::exit(128 + signal);
            }
        })?;
    Ok(stop)
}

/// Windows has no such signals: in raw mode Ctrl-C reaches the loop as a key event, which
/// quits like `q` (the guard restores the terminal), and closing the console window ends the
/// process together with the console there was to restore. The flag is never set.
#[cfg(not(unix))]
pub fn watch_signals() -> io::Result<Arc<AtomicBool>> {
    Ok(Arc::new(AtomicBool::new(false)))
}

/// Keys, mouse and resizes from the real terminal.
pub struct Crossterm;

impl Input for Crossterm {
    fn next(&mut self, timeout: Duration, _: &App) -> io::Result<Option<Event>> {
        if event::poll(timeout)? {
            event::read().map(Some)
        } else {
            Ok(None)
        }
    }
}
