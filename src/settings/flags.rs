//! The settings as command-line flags: clap's arguments built from [`TABLE`] (help, default,
//! rule), the values they give, the refusal of a flag where it does not apply, and the command
//! line that gives the same training settings back.

use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

use super::mode::Mode;
use super::{Kind, Setting, TABLE, Values};
use crate::settings::error::ConfigError;

/// The values the setting flags give, every one not given at its default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Flags {
    /// What the flags say.
    pub values: Values,
}

impl Setting {
    /// The clap argument: the flag, its help, its default and its rule.
    fn arg(&'static self) -> Arg {
        let arg = Arg::new(self.name)
            .long(self.name)
            .help(self.help)
            .global(self.scope.shapes_training());
        if self.kind == Kind::Switch {
            return arg.action(ArgAction::SetTrue);
        }
        let default = (self.show)(&Values::default());
        let arg = arg
            .value_name(self.value_name)
            // A negative number reaches the rule, which says what is allowed.
            .allow_negative_numbers(true)
            .value_parser(move |s: &str| self.check(s).map(|()| s.to_owned()));
        match default.is_empty() {
            true => arg,
            false => arg.default_value(default),
        }
    }
}

impl Args for Flags {
    fn augment_args(command: Command) -> Command {
        TABLE
            .iter()
            .fold(command, |command, row| command.arg(row.arg()))
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}

impl FromArgMatches for Flags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut values = Values::default();
        for row in &TABLE {
            let text = match row.kind {
                Kind::Switch => Some(matches.get_flag(row.name).to_string()),
                _ => matches.get_one::<String>(row.name).cloned(),
            };
            if let Some(text) = text {
                // Checked by the same rule as clap parsed it with.
                (row.set)(&mut values, &text).map_err(|rule| {
                    clap::Error::raw(
                        clap::error::ErrorKind::ValueValidation,
                        format!("{} {rule}", row.flag()),
                    )
                })?;
            }
        }
        Ok(Self { values })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

/// Whether the flag `name` was typed on the command line (before or after a subcommand).
pub fn given(matches: &ArgMatches, name: &str) -> bool {
    let (_, sub) = matches.subcommand().unwrap_or(("", matches));
    [matches, sub].iter().any(|m| {
        m.try_get_raw(name).ok().flatten().is_some()
            && m.value_source(name) == Some(ValueSource::CommandLine)
    })
}

/// Refuses, by name, the first setting typed on the command line (as `matches` records) that
/// does not apply in `mode`, by its row's scope: the one check every mode goes through.
pub(crate) fn check_mode(matches: &ArgMatches, mode: Mode) -> Result<(), ConfigError> {
    let refused = (TABLE.iter())
        .filter(|row| !row.scope.applies(mode))
        .map(|row| row.name);
    refuse_given(matches, refused, mode)
}

/// Refuses the first of `names` typed on the command line as not applying in `mode`.
pub(crate) fn refuse_given<'a>(
    matches: &ArgMatches,
    names: impl IntoIterator<Item = &'a str>,
    mode: Mode,
) -> Result<(), ConfigError> {
    match names.into_iter().find(|name| given(matches, name)) {
        Some(name) => Err(ConfigError::DoesNotApply {
            flag: name.into(),
            context: mode.context(),
        }),
        None => Ok(()),
    }
}

/// The flags that make a headless run train exactly as `values` say: `--headless`, the seed
/// always (a restart may have drawn it), every other training setting only where it differs
/// from the default. The settings panel shows it so an experiment found in the dashboard can
/// be rerun in a script.
pub(crate) fn command_line(values: &Values) -> Vec<String> {
    let defaults = Values::default();
    let seed = values.training.seed.to_string();
    let mut out = vec!["--headless".to_owned(), "--seed".into(), seed];
    for row in TABLE
        .iter()
        .filter(|r| r.scope.shapes_training() && r.name != "seed")
    {
        let text = (row.show)(values);
        match row.kind {
            Kind::Switch if text == "true" => out.push(row.flag()),
            Kind::Switch => {}
            _ if !text.is_empty() && text != (row.show)(&defaults) => {
                out.extend([row.flag(), text]);
            }
            _ => {}
        }
    }
    out
}

/// What differs between two sets of training settings, as `name value` (or `no name` for a
/// path taken away), in the table's order: what a restart notice names.
pub(crate) fn changes(old: &Values, new: &Values) -> Vec<String> {
    (TABLE.iter().filter(|row| row.scope.shapes_training()))
        .filter_map(|row| {
            let text = (row.show)(new);
            (text != (row.show)(old)).then(|| match text.is_empty() {
                true => format!("no {}", row.name),
                false => format!("{} {text}", row.name),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::{Activation, Hyper, Init};
    use crate::train::{Contender, Protocol, Settings};

    fn parse(args: &[&str]) -> Result<Values, clap::Error> {
        let command = Flags::augment_args(Command::new("digits-tui"));
        let matches = command
            .try_get_matches_from(std::iter::once("digits-tui").chain(args.iter().copied()))?;
        Flags::from_arg_matches(&matches).map(|f| f.values)
    }

    #[test]
    fn defaults_are_the_lab() {
        assert_eq!(parse(&[]).expect("no flags"), Values::default());
    }

    #[test]
    fn flags_reach_the_values() {
        let v = parse(&["--hidden", "32", "--optimizers", "adam,SGD", "--lr", "0.5"]);
        let v = v.expect("valid");
        assert_eq!(v.training.hidden, vec![32]);
        assert_eq!(v.training.optimizers, vec![Contender::Adam, Contender::Sgd]);
        assert_eq!(v.training.hyper.lr, 0.5);
        let v = parse(&["--paused", "--ascii", "--speed", "4"]).expect("valid");
        assert!(v.paused && v.ascii);
        assert_eq!(v.speed, crate::engine::Speed::PerSecond(4.0));
    }

    #[test]
    fn nonsense_is_rejected_with_the_rule() {
        for (flag, value, rule) in [
            ("--lr", "0", "greater than 0"),
            ("--lr", "NaN", "greater than 0"),
            ("--epochs", "0", "at least 1"),
            ("--seed", "-1", "whole number from 0"),
            ("--batch-size", "0", "at least 1"),
            ("--hidden", "80,0", "widths"),
            ("--speed", "fast", "epochs per second"),
            ("--protocol", "fast", "one of fair, chain"),
            ("--init", "foo", "one of lab, xavier, he"),
            ("--activation", "softplus", "one of sigmoid, tanh, relu"),
            ("--weight-decay", "-1", "0 or greater"),
            ("--weight-decay", "inf", "0 or greater"),
        ] {
            let text = parse(&[flag, value]).expect_err(flag).to_string();
            assert!(text.contains(flag) && text.contains(rule), "{text}");
        }
    }

    #[test]
    fn the_command_line_gives_the_values_back() {
        let values = Values {
            training: Settings {
                seed: 3,
                epochs: 50,
                batch_size: 32,
                hidden: vec![16],
                hyper: Hyper {
                    lr: 0.05,
                    beta2: 0.999,
                    ..Hyper::default()
                },
                optimizers: vec![Contender::Adam, Contender::Rmsprop],
                protocol: Protocol::Chain,
                init: Init::He,
                activation: Activation::Relu,
                weight_decay: 0.001,
                health: false,
            },
            data: Some("d.csv".into()),
            ..Values::default()
        };
        let flags = command_line(&values);
        assert_eq!(
            flags.join(" "),
            "--headless --seed 3 --lr 0.05 --batch-size 32 --hidden 16 --epochs 50 \
             --optimizers adam,rmsprop --protocol chain --beta2 0.999 --init he \
             --activation relu --weight-decay 0.001 --data d.csv"
        );
        let words: Vec<&str> = flags[1..].iter().map(String::as_str).collect();
        assert_eq!(parse(&words).expect("the flags parse"), values);
        let plain = command_line(&Values::default());
        assert_eq!(plain.join(" "), "--headless --seed 7");
    }

    #[test]
    fn changes_name_what_moved_either_way() {
        let old = parse(&["--lr", "0.05", "--data", "d.csv"]).expect("valid");
        let new = parse(&["--epochs", "5"]).expect("valid");
        assert_eq!(changes(&old, &new), ["lr 0.01", "epochs 5", "no data"]);
        assert!(changes(&new, &new).is_empty());
    }

    #[test]
    fn a_setting_is_refused_where_it_does_not_apply() {
        let command = Flags::augment_args(Command::new("t"));
        for (args, mode, refused) in [
            (&["--epochs", "5"][..], Mode::Open, Some("epochs")),
            (&["--paused"], Mode::Open, Some("paused")),
            (&["--ascii"], Mode::Open, None),
            (
                &["--paused", "--speed", "1"],
                Mode::Headless,
                Some("paused"),
            ),
            (&["--ascii"], Mode::Headless, Some("ascii")),
            (&["--lr", "0.5"], Mode::Sweep, Some("lr")),
            (&["--lr", "0.5"], Mode::Plot, Some("lr")),
            (&["--lr", "0.5", "--beta1", "0.5"], Mode::Landscape, None),
            (&["--epochs", "5"], Mode::Landscape, Some("epochs")),
            (&["--lr", "0.5", "--paused"], Mode::Dashboard, None),
            (&[], Mode::Merge, None),
        ] {
            let matches = command
                .clone()
                .try_get_matches_from(std::iter::once("t").chain(args.iter().copied()));
            let result = check_mode(&matches.expect("parses"), mode);
            let flag = result.err().map(|e| e.to_string());
            let expected = refused.map(|f| format!("--{f} does not apply {}", mode.context()));
            assert_eq!(flag, expected, "{args:?}");
        }
    }
}
