//! The real terminal: raw mode and the alternate screen, restored on every exit path (the
//! guard's `Drop` on return, the panic hook on a UI panic, the stop flag that SIGTERM, SIGHUP
//! and SIGINT set on Unix; on Windows Ctrl-C arrives as a key and quits like `q`), and
//! crossterm's input as the loop's [`Input`].
//!
//! A stop signal always ends the process with the shell's status for it, 128 + the signal's
//! number (143 for SIGTERM), after the terminal is restored: the loop returns within a frame
//! and the caller restores before it stops the engine (which may be in the middle of a long
//! evaluation); if the loop has not restored within [`HANG_UP_GRACE`], or a second signal
//! comes, the signal thread restores and exits itself.

use std::io::{self, Stdout, stdout};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};
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
use crate::exit::RunError;

/// How long the loop may take to restore the terminal after a stop signal before the signal
/// thread restores it and ends the process.
#[cfg(unix)]
const HANG_UP_GRACE: Duration = Duration::from_millis(300);

/// What the guard, the panic hook and the signal thread share, under one lock, so the terminal
/// is restored exactly once and the process never ends twice.
struct Shared {
    /// The terminal is raw (entered and not yet restored).
    raw: bool,
    /// The dashboard is over and its engine stopped: its caller ends the process now.
    ended: bool,
}

static SHARED: Mutex<Shared> = Mutex::new(Shared {
    raw: false,
    ended: false,
});

/// [`SHARED`], even after a panic while it was held.
fn shared() -> MutexGuard<'static, Shared> {
    SHARED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The dashboard is over and the engine stopped: a signal's deadline no longer ends the
/// process, the caller returns (with the signal's status, if one came).
pub(crate) fn finished() {
    shared().ended = true;
}

/// Restores the terminal when dropped, whatever path leaves the dashboard.
pub(crate) struct Guard;

impl Guard {
    /// Raw mode, the alternate screen and mouse capture, and a terminal drawing on them.
    pub(crate) fn enter() -> io::Result<(Self, Terminal<CrosstermBackend<Stdout>>)> {
        shared().raw = true;
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
    restore_locked(&mut shared());
}

/// Restores the terminal if it is still raw.
fn restore_locked(shared: &mut Shared) {
    if !std::mem::take(&mut shared.raw) {
        return;
    }
    let _ = execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen);
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), ratatui::crossterm::cursor::Show);
}

/// A panic hook that restores the terminal before a UI-thread panic is printed, and keeps
/// worker panics (caught and reported by the session) off the screen entirely.
pub(crate) fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_worker_thread() {
            return;
        }
        // Not waiting: the lock's holder is restoring already (or is this very thread).
        match SHARED.try_lock() {
            Ok(mut shared) => restore_locked(&mut shared),
            Err(TryLockError::Poisoned(e)) => restore_locked(&mut e.into_inner()),
            Err(TryLockError::WouldBlock) => {}
        }
        previous(info);
    }));
}

/// What a stop signal leaves for the loop and its caller: the flag the loop polls, and which
/// signal it was.
#[derive(Debug, Default)]
pub(crate) struct Stop {
    /// Set by the signal; the loop finishes within a frame once it is.
    pub requested: AtomicBool,
    /// The signal's number, 0 before one arrives.
    signal: AtomicI32,
}

impl Stop {
    /// The error the process ends with once a signal stopped it: the shell's status for it.
    pub(crate) fn outcome(&self) -> Option<RunError> {
        // Acquire: the signal's number was stored before the flag was released.
        if !self.requested.load(Ordering::Acquire) {
            return None;
        }
        match self.signal.load(Ordering::Relaxed) {
            0 => None,
            signal => Some(stopped(signal)),
        }
    }
}

/// A stop by `signal`, named, with status 128 + its number.
fn stopped(signal: i32) -> RunError {
    let name = match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        15 => "SIGTERM",
        _ => "a signal",
    };
    let status = u8::try_from(128 + signal).unwrap_or(u8::MAX);
    RunError::Stopped { name, status }
}

/// SIGTERM, SIGHUP and SIGINT set the returned flag, and the loop then finishes within a
/// frame; its caller restores the terminal, stops the engine and says [`finished`]. If the
/// terminal is still raw after [`HANG_UP_GRACE`] (after a hang-up, crossterm keeps reading an
/// end-of-file and never returns to the loop), the engine has not stopped within
/// [`ENGINE_GRACE`], or a second signal comes, this thread restores the terminal and ends the
/// process itself, with the same status.
#[cfg(unix)]
pub(crate) fn watch_signals() -> io::Result<Arc<Stop>> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use std::io::Write;
    let stop = Arc::new(Stop::default());
    let flag = Arc::clone(&stop);
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::Builder::new()
        .name("digits-signals".into())
        .spawn(move || {
            let Some(signal) = signals.forever().next() else {
                return;
            };
            flag.signal.store(signal, Ordering::Relaxed);
            flag.requested.store(true, Ordering::Release);
            let mut second = another(&mut signals, HANG_UP_GRACE);
            let mut state = shared();
            if !state.raw && !second && !state.ended {
                // Restored: the engine is stopping; give it time, or a second signal.
                drop(state);
                second = another(&mut signals, ENGINE_GRACE);
                state = shared();
            }
            if state.ended && !second {
                // The caller ends the process, with the same status.
                return;
            }
            restore_locked(&mut state);
            let outcome = stopped(signal);
            // Not eprintln!, which panics when the terminal is gone.
            let _ = writeln!(io::stderr(), "digits-tui: {outcome}");
            // Under the lock: nothing restores or ends the process again.
            std::process::exit(i32::from(outcome.exit_code()));
        })?;
    Ok(stop)
}

/// How long the engine may take to stop once the terminal is restored after a signal (an
/// evaluation on large data takes about a second) before the signal thread ends the process.
#[cfg(unix)]
const ENGINE_GRACE: Duration = Duration::from_secs(5);

/// Whether another signal comes within `limit`.
#[cfg(unix)]
fn another(signals: &mut signal_hook::iterator::Signals, limit: Duration) -> bool {
    const POLL: Duration = Duration::from_millis(10);
    let mut waited = Duration::ZERO;
    while waited < limit {
        if signals.pending().next().is_some() {
            return true;
        }
        std::thread::sleep(POLL);
        waited += POLL;
    }
    false
}

/// Windows has no such signals: in raw mode Ctrl-C reaches the loop as a key event, which
/// quits like `q` (the guard restores the terminal), and closing the console window ends the
/// process together with the console there was to restore. The flag is never set.
#[cfg(not(unix))]
pub(crate) fn watch_signals() -> io::Result<Arc<Stop>> {
    Ok(Arc::new(Stop::default()))
}

/// Keys, mouse and resizes from the real terminal.
pub(crate) struct Crossterm;

impl Input for Crossterm {
    fn next(&mut self, timeout: Duration, _: &App) -> io::Result<Option<Event>> {
        if event::poll(timeout)? {
            event::read().map(Some)
        } else {
            Ok(None)
        }
    }
}
