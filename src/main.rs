//! `digits-tui`: parse the flags, hand over to the library, turn errors into one line and
//! an exit code (2 for bad input, 1 for a failed run).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches};
use digits_tui::front::cli::{Cli, Tool};
use digits_tui::settings::flags;

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match digits_tui::execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Not eprintln!, which panics when stderr is gone (a hung-up terminal).
            let _ = writeln!(std::io::stderr(), "digits-tui: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

/// The flags, then the `--config` file under them; on failure, the exit code once the message
/// (or --help, --version) is printed.
fn parse() -> Result<Cli, ExitCode> {
    let matches = Cli::command().try_get_matches().map_err(flag_error)?;
    let cli = Cli::from_arg_matches(&matches).map_err(flag_error)?;
    let cli = landscape_rate(cli, &matches);
    cli.check_mode(&matches, std::io::stdout().is_terminal())
        .and_then(|()| cli.check_grid(&matches))
        .and_then(|()| cli.with_config(&matches))
        .map_err(|err| {
            eprintln!("digits-tui: {err}");
            ExitCode::from(2)
        })
}

/// `landscape` gives each optimizer its own rate per function unless `--lr` is typed (clap
/// hands every subcommand the flag's default too, so only `matches` can tell).
fn landscape_rate(mut cli: Cli, matches: &ArgMatches) -> Cli {
    let typed = flags::given(matches, "lr").then_some(cli.values().training.hyper.lr);
    if let Some(Tool::Landscape(args)) = &mut cli.command {
        args.lr = typed;
    }
    cli
}

fn flag_error(err: clap::Error) -> ExitCode {
    if !err.use_stderr() {
        // --help and --version.
        let _ = err.print();
        return ExitCode::SUCCESS;
    }
    let text = err.to_string();
    let first = text.lines().next().unwrap_or("invalid arguments");
    // clap lists the valid values on a later line; a wrong name is useless without them.
    let valid = (text.lines()).find_map(|l| l.trim().strip_prefix("[possible values: "));
    match valid.and_then(|v| v.strip_suffix(']')) {
        Some(values) => eprintln!(
            "digits-tui: {} (one of: {values})",
            first.trim_start_matches("error: ")
        ),
        None => eprintln!("digits-tui: {}", first.trim_start_matches("error: ")),
    }
    ExitCode::from(2)
}
