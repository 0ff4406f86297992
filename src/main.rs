//! `digits-tui`: parse the flags, hand over to the library, turn errors into one line and
//! an exit code (2 for bad input, 1 for a failed run).

use std::process::ExitCode;

use clap::Parser;
use digits_tui::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => {
            // --help and --version.
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            let text = err.to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            eprintln!("digits-tui: {}", first.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    match digits_tui::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("digits-tui: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
