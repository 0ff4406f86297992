//! `digits-tui`: parse the flags, hand over to the library, turn errors into one line and
//! an exit code (2 for bad input, 1 for a failed run).

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use digits_tui::front::cli::Cli;
use digits_tui::front::config;

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match digits_tui::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("digits-tui: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

/// The flags, then the `--config` file under them; on failure, the exit code once the message
/// (or --help, --version) is printed.
fn parse() -> Result<Cli, ExitCode> {
    let matches = Cli::command().try_get_matches().map_err(flag_error)?;
    let cli = Cli::from_arg_matches(&matches).map_err(flag_error)?;
    config::with_config(cli, &matches).map_err(|err| {
        eprintln!("digits-tui: {err}");
        ExitCode::from(2)
    })
}

fn flag_error(err: clap::Error) -> ExitCode {
    if !err.use_stderr() {
        // --help and --version.
        let _ = err.print();
        return ExitCode::SUCCESS;
    }
    let text = err.to_string();
    let first = text.lines().next().unwrap_or("invalid arguments");
    eprintln!("digits-tui: {}", first.trim_start_matches("error: "));
    ExitCode::from(2)
}
