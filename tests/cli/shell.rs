//! `digits-tui completions SHELL` and `digits-tui man`: generated from the flags' definition,
//! accepted by the tools that read them (bash's parser, groff with every warning on).

use std::process::Command;

use crate::binary::{run, stderr};

/// The run's stdout, after checking it succeeded and printed something.
fn printed(args: &[&str]) -> String {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    let text = String::from_utf8(o.stdout).expect("UTF-8");
    assert!(!text.trim().is_empty(), "{args:?} printed nothing");
    text
}

fn scratch_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("shell");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn bash_completions_parse_and_know_the_flags_and_subcommands() {
    let script = printed(&["completions", "bash"]);
    for word in [
        "digits-tui",
        "--data",
        "--export",
        "compare",
        "sweep",
        "completions",
    ] {
        assert!(script.contains(word), "the bash script lacks {word}");
    }
    let path = scratch_file("digits-tui.bash", &script);
    let o = Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash runs");
    assert!(o.status.success(), "bash -n: {}", stderr(&o));
    assert!(o.stderr.is_empty(), "bash -n: {}", stderr(&o));
}

#[test]
fn every_shell_gets_a_script_and_others_are_refused() {
    for shell in ["zsh", "fish", "powershell", "elvish", "BASH"] {
        let script = printed(&["completions", shell]);
        assert!(script.contains("digits-tui"), "{shell}");
        assert!(script.contains("lr-grid"), "{shell}: sweep's flags");
    }
    let o = run(&["completions", "tcsh"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("tcsh") && err.contains("bash, elvish, fish, powershell, zsh"),
        "{err}"
    );
}

#[test]
fn the_man_page_renders_without_a_warning() {
    let page = printed(&["man"]);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq"),
        "roff from clap_mangen"
    );
    assert!(page.is_ascii(), "non-ASCII help text is escaped for roff");
    for word in ["digits\\-tui", "\\-\\-data", "compare", "completions"] {
        assert!(page.contains(word), "the page lacks {word}");
    }
    let path = scratch_file("digits-tui.1", &page);
    // .ci/test installs groff when it is missing.
    let o = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&path)
        .output()
        .expect("groff runs (.ci/test installs it)");
    assert!(o.status.success(), "groff: {}", stderr(&o));
    assert!(o.stderr.is_empty(), "groff warns: {}", stderr(&o));
}
