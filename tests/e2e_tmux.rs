//! The real binary in a real terminal: tmux at 120×40, keys sent with `send-keys`, the screen
//! read with `capture-pane`. Every wait polls with a deadline; nothing sleeps a fixed time.

use std::process::Command;
use std::time::{Duration, Instant};

/// `tmux` on a server of these tests' own (`-L`): another tmux on the machine, or someone's
/// `kill-server`, cannot touch their sessions.
fn tmux() -> Command {
    let mut command = Command::new("tmux");
    command.args(["-L", &format!("digits-e2e-{}", std::process::id())]);
    command
}

struct Tmux {
    session: String,
}

impl Tmux {
    /// A fresh 120×40 tmux session running a bare shell; `name` keeps parallel tests apart.
    /// `None`, with a note, where tmux is not installed: the test is skipped, not failed.
    fn start(name: &str) -> Option<Self> {
        if !tmux_installed(name) {
            return None;
        }
        let session = format!("digits-e2e-{}-{name}", std::process::id());
        let ok = tmux()
            .args(["new-session", "-d", "-x", "120", "-y", "40", "-s", &session])
            .args(["env", "PS1=$ ", "bash", "--norc", "--noprofile"])
            .status()
            .expect("tmux runs")
            .success();
        assert!(ok, "tmux new-session failed");
        Some(Self { session })
    }

    fn send(&self, keys: &[&str]) {
        let ok = tmux()
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .expect("tmux send-keys")
            .success();
        assert!(ok, "send-keys {keys:?}");
    }

    fn screen(&self) -> String {
        let out = tmux()
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls until `check` accepts the screen, or fails after `limit` with the last screen.
    fn wait_for<T>(&self, what: &str, limit: Duration, check: impl Fn(&str) -> Option<T>) -> T {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if let Some(v) = check(&screen) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Tmux {
    /// Starts the binary with `args` in the shell, prefixed by `env` assignments, and echoes
    /// its exit status afterwards as `exit=N`.
    fn launch(&self, env: &str, args: &str) {
        self.wait_for("the shell prompt", Duration::from_secs(10), |s| {
            s.contains('$').then_some(())
        });
        let cmd = format!(
            "{env} {} {args}; echo exit=$?",
            env!("CARGO_BIN_EXE_digits-tui")
        );
        self.send(&[&cmd, "Enter"]);
    }

    /// Waits for the `exit=N` line the shell prints after the binary ends; returns the screen.
    fn wait_for_exit(&self) -> String {
        // The typed command also shows `exit=$?`; the status is the line that starts with it.
        self.wait_for("the exit status", Duration::from_secs(10), |s| {
            s.lines()
                .any(|l| l.starts_with("exit="))
                .then(|| s.to_owned())
        })
    }

    /// The process id of the program running in the pane (the shell's only child).
    fn program_pid(&self) -> String {
        let out = tmux()
            .args(["list-panes", "-t", &self.session, "-F", "#{pane_pid}"])
            .output()
            .expect("tmux list-panes");
        let shell = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        // Linux lists a process's children in /proc (no procps needed on a bare CI image);
        // elsewhere (macOS) pgrep does.
        let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
            .or_else(|_| {
                let out = Command::new("pgrep").args(["-P", &shell]).output()?;
                Ok::<_, std::io::Error>(String::from_utf8_lossy(&out.stdout).into_owned())
            })
            .expect("the shell's children are listed in /proc or by pgrep");
        children
            .split_whitespace()
            .next()
            .expect("the program runs under the shell")
            .to_owned()
    }
}

/// The dashboard is gone and the shell is back: nothing of it left on the screen.
fn assert_shell_is_back(screen: &str) {
    assert!(
        !screen.contains("│ epoch ") && !screen.contains("training stopped"),
        "dashboard still on screen:\n{screen}"
    );
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = tmux().args(["kill-session", "-t", &self.session]).status();
    }
}

/// True when tmux runs; otherwise says on stderr (uncaptured, so it shows in every test run)
/// that the test `name` is skipped and how to run it: the README's test command, `.ci/test`,
/// installs tmux where it can (not on Windows, which has none); a test never installs
/// anything itself.
fn tmux_installed(name: &str) -> bool {
    let found = Command::new("tmux").arg("-V").output().is_ok();
    if !found {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "note: end-to-end test {name:?} skipped: tmux is not installed (.ci/test installs \
             it, or apt-get install tmux)"
        );
    }
    found
}

/// The `epoch N / T` figure of the status bar.
fn epoch(screen: &str) -> Option<u32> {
    let rest = &screen[screen.find("│ epoch ")? + "│ epoch ".len()..];
    rest.split_whitespace().next()?.parse().ok()
}

fn selected(screen: &str) -> Option<String> {
    let end = screen.find(" in detail ")?;
    let start = screen[..end].rfind('┌')? + '┌'.len_utf8();
    Some(
        screen[start..end]
            .trim_matches(|c| c == ' ' || c == '─')
            .to_owned(),
    )
}

#[test]
fn dashboard_runs_pauses_steps_switches_and_quits_cleanly() {
    let Some(tmux) = Tmux::start("keys") else {
        return;
    };
    tmux.launch("", "--speed 20");

    // Fails (after 20 s, with the screen) unless an epoch above 0 is shown.
    tmux.wait_for("an epoch above 0", Duration::from_secs(20), |s| {
        epoch(s).filter(|&e| e > 0)
    });

    // Space pauses: the counter settles and stays put for a whole second.
    tmux.send(&["Space"]);
    tmux.wait_for("the paused state", Duration::from_secs(5), |s| {
        s.contains("│ paused ").then_some(())
    });
    let mut last = epoch(&tmux.screen()).expect("epoch shown");
    let mut since = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(10);
    while since.elapsed() < Duration::from_secs(1) {
        assert!(
            Instant::now() < deadline,
            "epoch never settled after pausing"
        );
        std::thread::sleep(Duration::from_millis(50));
        let now = epoch(&tmux.screen()).expect("epoch shown");
        if now != last {
            last = now;
            since = Instant::now();
        }
    }

    // '.' steps exactly one epoch.
    tmux.send(&["."]);
    let stepped = tmux.wait_for("the step", Duration::from_secs(10), |s| {
        epoch(s).filter(|&e| e != last)
    });
    assert_eq!(stepped, last + 1);

    // → selects the next optimizer.
    let before = tmux.wait_for("the detail title", Duration::from_secs(5), selected);
    tmux.send(&["Right"]);
    let after = tmux.wait_for("another selection", Duration::from_secs(5), |s| {
        selected(s).filter(|t| *t != before)
    });
    assert_eq!((before.as_str(), after.as_str()), ("SGD", "Momentum"));

    // Every view opens on its key and closes with Esc, back to the detail panel.
    for (key, shows) in [
        ("c", "confusion on the test set"),
        ("w", "first-layer weights"),
        ("d", "what each network reads"),
        ("m", "many seeds"),
    ] {
        tmux.send(&[key]);
        tmux.wait_for(shows, Duration::from_secs(10), |s| {
            s.contains(shows).then_some(())
        });
        tmux.send(&["Escape"]);
        tmux.wait_for("the detail panel again", Duration::from_secs(10), |s| {
            (s.contains(" in detail ") && !s.contains(shows)).then_some(())
        });
    }

    // + doubles the selected optimizer's learning rate, live.
    tmux.send(&["+"]);
    tmux.wait_for("the new rate", Duration::from_secs(10), |s| {
        s.contains("learning rate → 0.02").then_some(())
    });

    // q exits 0 and leaves the alternate screen: the shell is back.
    tmux.send(&["q"]);
    let screen = tmux.wait_for_exit();
    assert!(screen.lines().any(|l| l == "exit=0"), "{screen}");
    assert_shell_is_back(&screen);
}

#[test]
fn a_worker_panic_is_a_panel_then_a_clean_exit_with_the_message() {
    let Some(tmux) = Tmux::start("panic") else {
        return;
    };
    tmux.launch("DIGITS_TUI_PANIC_AT_EPOCH=3", "--speed 20");
    let screen = tmux.wait_for("the failure panel", Duration::from_secs(20), |s| {
        s.contains("A training worker failed").then(|| s.to_owned())
    });
    assert!(screen.contains("injected fault"), "{screen}");
    tmux.send(&["q"]);
    let screen = tmux.wait_for_exit();
    assert!(screen.lines().any(|l| l == "exit=1"), "{screen}");
    assert!(
        screen.contains("digits-tui: training failed: injected fault"),
        "{screen}"
    );
    assert_shell_is_back(&screen);
}

/// The pane's terminal state as `alternate_on mouse_any_flag cursor_flag`: `0 0 1` once the
/// dashboard has restored it (main screen, no mouse reporting, cursor shown).
fn pane_state(pane: &Tmux) -> String {
    let out = tmux()
        .args(["display", "-p", "-t", &pane.session])
        .arg("#{alternate_on} #{mouse_any_flag} #{cursor_flag}")
        .output()
        .expect("tmux display");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

impl Tmux {
    /// Like [`Tmux::launch`], then prints `tty=cooked` or `tty=raw`: whether the program left
    /// the line discipline as it found it (this runs before the shell's prompt resets it).
    fn launch_then_stty(&self, args: &str) {
        self.wait_for("the shell prompt", Duration::from_secs(10), |s| {
            s.contains('$').then_some(())
        });
        let cmd = format!(
            "{} {args}; echo exit=$?; echo \"tty=$(stty -a | grep -q ' icanon' && echo cooked || echo raw)\"",
            env!("CARGO_BIN_EXE_digits-tui")
        );
        self.send(&[&cmd, "Enter"]);
    }

    /// SIGTERM to the program, then its exit: restored terminal, the shell's status for
    /// SIGTERM (143) on a line of its own, cooked mode.
    fn terminate_and_check(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.program_pid()])
            .status()
            .expect("kill runs")
            .success();
        assert!(ok, "kill -TERM failed");
        // A raw terminal would not return the carriage: `tty=` anywhere counts as ended.
        let screen = self.wait_for("the exit", Duration::from_secs(60), |s| {
            (s.contains("tty=cooked") || s.contains("tty=raw")).then(|| s.to_owned())
        });
        assert_eq!(pane_state(self), "0 0 1", "{screen}");
        assert!(screen.lines().any(|l| l == "exit=143"), "{screen}");
        assert!(screen.lines().any(|l| l == "tty=cooked"), "{screen}");
        assert!(
            screen.contains("digits-tui: stopped by SIGTERM"),
            "{screen}"
        );
        assert_shell_is_back(&screen);
    }
}

#[test]
fn sigterm_restores_the_terminal() {
    let Some(tmux) = Tmux::start("sigterm") else {
        return;
    };
    tmux.launch_then_stty("--speed 20");
    tmux.wait_for("an epoch above 0", Duration::from_secs(20), |s| {
        epoch(s).filter(|&e| e > 0)
    });
    tmux.terminate_and_check();
}

/// An IDX file: `n` images of 28×28 (with labels cycling 0..9 when `labels`).
fn idx(n: u32, labels: bool) -> Vec<u8> {
    let header: &[u32] = match labels {
        true => &[0x801, n],
        false => &[0x803, n, 28, 28],
    };
    let mut bytes: Vec<u8> = header.iter().flat_map(|w| w.to_be_bytes()).collect();
    match labels {
        true => bytes.extend((0..n).map(|i| (i % 10) as u8)),
        false => bytes.extend((0..n * 28 * 28).map(|i| (i * 37 % 256) as u8)),
    }
    bytes
}

/// SIGTERM while every worker is deep in an evaluation (ten training images, one batch, then
/// 30 000 test images through a wide layer: each slice of work is almost all evaluation, about
/// a second of it). The terminal is restored first; the engine stops after.
#[test]
fn sigterm_during_a_long_evaluation_restores_the_terminal_first() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-long-evaluation");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    for (name, n, labels) in [
        ("train-images-idx3-ubyte", 10, false),
        ("train-labels-idx1-ubyte", 10, true),
        ("t10k-images-idx3-ubyte", 30_000, false),
        ("t10k-labels-idx1-ubyte", 30_000, true),
    ] {
        std::fs::write(dir.join(name), idx(n, labels)).expect("IDX file written");
    }
    let Some(tmux) = Tmux::start("sigterm-evaluation") else {
        return;
    };
    tmux.launch_then_stty(&format!(
        "--data {} --hidden 1024 --optimizers sgd,adam",
        dir.display()
    ));
    tmux.wait_for("the dashboard", Duration::from_secs(60), |s| {
        epoch(s).map(|_| ())
    });
    tmux.terminate_and_check();
}

#[test]
fn e_exports_the_session_and_open_shows_it_again() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-export");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let file = dir.join("session.json");
    let _ = std::fs::remove_file(&file);
    let Some(tmux) = Tmux::start("export") else {
        return;
    };
    tmux.launch(
        "",
        &format!(
            "--epochs 5 --optimizers sgd,adam --export {}",
            file.display()
        ),
    );
    tmux.wait_for("the final table", Duration::from_secs(30), |s| {
        s.contains("finished: 5 epochs").then_some(())
    });
    tmux.send(&["e"]);
    tmux.wait_for("the saved notice", Duration::from_secs(10), |s| {
        s.contains("saved ").then_some(())
    });
    let text = std::fs::read_to_string(&file).expect("the export exists");
    let json: serde_json::Value = serde_json::from_str(&text).expect("the export is JSON");
    assert_eq!(json["runs"][1]["epochs"].as_array().map(Vec::len), Some(5));
    tmux.send(&["q"]);
    assert!(tmux.wait_for_exit().lines().any(|l| l == "exit=0"));

    // The saved session opens in the dashboard without training.
    tmux.send(&["clear", "Enter"]);
    tmux.launch("", &format!("--open {}", file.display()));
    tmux.wait_for("the opened session", Duration::from_secs(10), |s| {
        (s.contains("saved session") && s.contains("finished: 5 epochs")).then_some(())
    });
    tmux.send(&["r"]);
    tmux.wait_for("the refusal to train", Duration::from_secs(10), |s| {
        s.contains("nothing trains here").then_some(())
    });
    tmux.send(&["q"]);
    let screen = tmux.wait_for_exit();
    assert!(screen.lines().any(|l| l == "exit=0"), "{screen}");
}

#[test]
fn a_hang_up_ends_the_process_instead_of_leaving_it_spinning() {
    let Some(tmux) = Tmux::start("hangup") else {
        return;
    };
    tmux.launch("", "--speed 20");
    tmux.wait_for("an epoch above 0", Duration::from_secs(20), |s| {
        epoch(s).filter(|&e| e > 0)
    });
    let pid = tmux.program_pid();
    // Closing the terminal under it: the pty hangs up.
    drop(tmux);
    let deadline = Instant::now() + Duration::from_secs(10);
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.contains(") Z "))
    };
    while alive() {
        assert!(
            Instant::now() < deadline,
            "digits-tui {pid} still runs after its terminal hung up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_settings_panel_restarts_with_new_values_and_the_overlay_names_every_run() {
    let Some(tmux) = Tmux::start("workbench") else {
        return;
    };
    tmux.launch("", "--speed 20");
    tmux.wait_for("an epoch above 0", Duration::from_secs(20), |s| {
        epoch(s).filter(|&e| e > 0)
    });
    // o opens the panel on the learning rate; Delete clears a value before typing.
    tmux.send(&["o"]);
    tmux.wait_for("the settings panel", Duration::from_secs(10), |s| {
        s.contains("settings: Enter restarts").then_some(())
    });
    tmux.send(&["DC", "0.05", "Down", "Down", "Down", "DC", "50"]);
    tmux.wait_for("the command line", Duration::from_secs(10), |s| {
        s.contains("--lr 0.05 --epochs 50").then_some(())
    });
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("the restart", Duration::from_secs(20), |s| {
        let status = s.lines().next().unwrap_or_default().to_owned();
        (status.contains("restarted with") && status.contains("/ 50 ")).then_some(status)
    });
    assert!(
        screen.contains("epochs 50") && screen.contains("lr 0.05"),
        "{screen}"
    );
    // v overlays every run, each named in the legend.
    tmux.send(&["v"]);
    let screen = tmux.wait_for("the overlay", Duration::from_secs(10), |s| {
        s.contains("every run: loss").then(|| s.to_owned())
    });
    let legend: String = (screen.lines())
        .skip_while(|l| !l.contains("every run: loss"))
        .take(4)
        .collect();
    for name in [
        "SGD",
        "Momentum",
        "AdaGrad",
        "RMSProp",
        "Adam",
        "MLP (sklearn)",
    ] {
        assert!(legend.contains(name), "{name} not in the legend:\n{screen}");
    }
    tmux.send(&["q"]);
    let screen = tmux.wait_for_exit();
    assert!(screen.lines().any(|l| l == "exit=0"), "{screen}");
}
