//! What a shell and `man` need, generated from the flags' one definition ([`Cli`]) so they
//! never drift from it: `digits-tui completions SHELL` and `digits-tui man`.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell;

use super::cli::Cli;

/// The completion script for `shell`, as the shell's `source` or completion directory takes it.
/// Generated in memory first: clap_complete panics when its writer fails, and a closed pipe
/// (`digits-tui completions bash | head`) must be an error, not a crash.
pub(crate) fn completions(shell: Shell, out: &mut impl Write) -> io::Result<()> {
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    out.write_all(&script)?;
    out.flush()
}

/// The manual page in roff, for `man -l` or a `man1` directory. Pure ASCII: the help's
/// `×`, `…`, `γ` are written as groff's `\[uXXXX]` escapes, which every roff reads, where raw
/// UTF-8 needs `preconv` in front of groff.
pub(crate) fn man(out: &mut impl Write) -> io::Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    let page = String::from_utf8(page).map_err(io::Error::other)?;
    out.write_all(ascii_roff(&page).as_bytes())?;
    out.flush()
}

/// `page` with every character outside ASCII as a roff Unicode escape.
fn ascii_roff(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    for c in page.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", u32::from(c)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stdout whose reader has gone.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_is_an_error_not_a_panic() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ] {
            let err = completions(shell, &mut ClosedPipe).expect_err("nothing can be written");
            assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
        }
        assert!(man(&mut ClosedPipe).is_err());
    }

    #[test]
    fn non_ascii_becomes_unicode_escapes() {
        assert_eq!(
            super::ascii_roff("8×8 … γ"),
            "8\\[u00D7]8 \\[u2026] \\[u03B3]"
        );
    }
}
