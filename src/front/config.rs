//! `--config FILE.json`: settings from a file, under the flags.
//!
//! The file is one JSON object whose keys are the flags' names with underscores (`batch_size`
//! for `--batch-size`); every key is optional. Each value goes through the same parser as its
//! flag, so the file and the command line accept exactly the same values. Lists may be JSON
//! arrays (`"hidden": [80, 70]`) or the flag's comma-separated text. Precedence: built-in
//! defaults, then the file, then flags given on the command line.

use std::path::Path;

use clap::ArgMatches;
use clap::ValueEnum;
use clap::parser::ValueSource;
use serde_json::Value;

use super::cli::Cli;
use super::validate;
use crate::error::ConfigError;
use crate::train::{Contender, Protocol};

/// The keys a config file may hold: each is also the id of the flag it stands for.
pub const KEYS: [&str; 17] = [
    "seed",
    "epochs",
    "lr",
    "batch_size",
    "hidden",
    "optimizers",
    "protocol",
    "momentum",
    "rho",
    "beta1",
    "beta2",
    "speed",
    "paused",
    "ascii",
    "data",
    "test_data",
    "transpose_images",
];

/// Keys that do not shape training: the drawing style applies to a saved session too.
const LOOKS: [&str; 1] = ["ascii"];

/// Refuses, by name, a training flag given on the command line with `--open`.
pub fn check_open(cli: &Cli, matches: &ArgMatches) -> Result<(), ConfigError> {
    if cli.open.is_none() {
        return Ok(());
    }
    let given = |id: &str| {
        let (_, sub) = matches.subcommand().unwrap_or(("", matches));
        [matches, sub].iter().any(|m| {
            m.try_get_raw(id).ok().flatten().is_some()
                && m.value_source(id) == Some(ValueSource::CommandLine)
        })
    };
    if cli.command.is_some() {
        return Err(ConfigError::DoesNotApply {
            flag: "open".into(),
            context: "to bench, compare, sweep, merge or plot",
        });
    }
    // Every setting but the looks shapes training, and so does a config file of them.
    let training = (KEYS.iter())
        .filter(|k| !LOOKS.contains(k))
        .chain(&["config"]);
    match training.into_iter().find(|id| given(id)) {
        Some(id) => Err(ConfigError::DoesNotApply {
            flag: id.replace('_', "-"),
            context: "with --open: the saved session was trained already",
        }),
        None => Ok(()),
    }
}

/// Fills every setting `matches` did not get from the command line from the `--config` file,
/// if one was given, validated by the flags' own rules.
pub fn with_config(cli: Cli, matches: &ArgMatches) -> Result<Cli, ConfigError> {
    match cli.config.clone() {
        Some(path) => apply(cli, matches, &path),
        None => Ok(cli),
    }
}

/// Reads `path` and sets every field of `cli` it names, unless the same flag was given on the
/// command line (as `matches` records). Every value is checked, even one a flag overrides, so
/// a broken file is reported whatever the command line says.
fn apply(mut cli: Cli, matches: &ArgMatches, path: &Path) -> Result<Cli, ConfigError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Io {
        path: shown.clone(),
        source,
    })?;
    let syntax = |reason| ConfigError::Syntax {
        path: shown.clone(),
        reason,
    };
    let object = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(object)) => object,
        Ok(_) => {
            return Err(syntax(
                "expected a JSON object of settings, e.g. {\"epochs\": 200}".into(),
            ));
        }
        Err(e) => return Err(syntax(format!("not valid JSON: {e}"))),
    };
    for (key, value) in &object {
        if !KEYS.contains(&key.as_str()) {
            return Err(ConfigError::UnknownKey {
                path: shown,
                key: key.clone(),
                expected: KEYS.join(", "),
            });
        }
        let keep = matches.value_source(key) == Some(ValueSource::CommandLine);
        let c = &mut cli;
        let outcome = match key.as_str() {
            "data" => set(&mut c.data, parse(value, validate::path), keep),
            "test_data" => set(&mut c.test_data, parse(value, validate::path), keep),
            "seed" => set(&mut c.seed, parse(value, validate::any_u32), keep),
            "epochs" => set(
                &mut c.epochs,
                parse(value, validate::at_least_one_u32),
                keep,
            ),
            "lr" => set(&mut c.lr, parse(value, validate::positive_f64), keep),
            "batch_size" => set(
                &mut c.batch_size,
                parse(value, validate::at_least_one_usize),
                keep,
            ),
            "hidden" => set(&mut c.hidden, parse(value, validate::hidden_sizes), keep),
            "optimizers" => set(&mut c.optimizers, parse(value, choices::<Contender>), keep),
            "protocol" => set(&mut c.protocol, parse(value, choice::<Protocol>), keep),
            "momentum" => set(&mut c.momentum, parse(value, validate::unit_interval), keep),
            "rho" => set(&mut c.rho, parse(value, validate::unit_interval), keep),
            "beta1" => set(&mut c.beta1, parse(value, validate::unit_interval), keep),
            "beta2" => set(&mut c.beta2, parse(value, validate::unit_interval), keep),
            "speed" => set(&mut c.speed, parse(value, validate::speed), keep),
            "paused" => set(&mut c.paused, switch(value), keep),
            "transpose_images" => set(&mut c.transpose_images, switch(value), keep),
            _ => set(&mut c.ascii, switch(value), keep),
        };
        outcome.map_err(|rule| ConfigError::Value {
            path: shown.clone(),
            key: key.clone(),
            rule,
        })?;
    }
    Ok(cli)
}

/// Stores a checked value unless the command line already decided.
fn set<T>(field: &mut T, value: Result<T, String>, keep: bool) -> Result<(), String> {
    let value = value?;
    if !keep {
        *field = value;
    }
    Ok(())
}

/// A value as the flag's text (numbers as JSON wrote them, arrays comma-joined), then the
/// flag's own parser.
fn parse<T>(value: &Value, flag: fn(&str) -> Result<T, String>) -> Result<T, String> {
    let scalar = |v: &Value| match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    };
    let text = match value {
        Value::Array(items) => items.iter().map(scalar).collect::<Option<Vec<_>>>(),
        v => scalar(v).map(|s| vec![s]),
    };
    flag(
        &text
            .ok_or("must be a number, a string or a list of them")?
            .join(","),
    )
}

/// `true` or `false`, as the switch flags.
fn switch(value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| "must be true or false".into())
}

/// One of a flag's named values.
fn choice<T: ValueEnum>(s: &str) -> Result<T, String> {
    T::from_str(s, false).map_err(|_| {
        let names: Vec<String> = (T::value_variants().iter())
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
            .collect();
        format!("must be one of {}, not {s:?}", names.join(", "))
    })
}

/// A comma-separated list of named values, as a `value_delimiter = ','` flag takes.
fn choices<T: ValueEnum>(s: &str) -> Result<Vec<T>, String> {
    s.split(',').map(choice).collect()
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches};

    use super::*;
    use crate::engine::Speed;
    use crate::train::Settings;

    fn cli_with(config: &str, args: &[&str]) -> Result<Cli, ConfigError> {
        let dir = std::env::temp_dir().join(format!("digits-tui-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!("config-{n}.json"));
        std::fs::write(&path, config).expect("config written");
        let mut argv = vec!["digits-tui".to_owned(), "--config".into()];
        argv.push(path.display().to_string());
        argv.extend(args.iter().map(|a| (*a).to_owned()));
        let matches = Cli::command()
            .try_get_matches_from(argv)
            .expect("flags parse");
        let cli = Cli::from_arg_matches(&matches).expect("flags parse");
        let result = with_config(cli, &matches);
        let _ = std::fs::remove_file(&path);
        result
    }

    #[test]
    fn every_key_is_a_flag_id() {
        let command = Cli::command();
        for key in KEYS {
            assert!(command.get_arguments().any(|a| a.get_id() == key), "{key}");
        }
    }

    #[test]
    fn every_setting_can_come_from_the_file() {
        let cli = cli_with(
            r#"{"seed": 3, "epochs": 5, "lr": 0.5, "batch_size": 32, "hidden": [16, 8],
                "optimizers": ["adam", "sgd"], "protocol": "chain", "momentum": 0.5,
                "rho": 0.25, "beta1": 0.125, "beta2": 0.75, "speed": 20, "paused": true,
                "ascii": true, "data": "mnist", "test_data": "test.csv",
                "transpose_images": true}"#,
            &[],
        )
        .expect("valid");
        assert_eq!(cli.data.as_deref(), Some(std::path::Path::new("mnist")));
        assert_eq!(
            cli.test_data.as_deref(),
            Some(std::path::Path::new("test.csv"))
        );
        let s = cli.settings();
        assert_eq!((s.seed, s.epochs, s.batch_size), (3, 5, 32));
        assert_eq!(s.hidden, vec![16, 8]);
        assert_eq!(s.optimizers, vec![Contender::Adam, Contender::Sgd]);
        assert_eq!(s.protocol, Protocol::Chain);
        let h = s.hyper;
        assert_eq!(
            (h.lr, h.momentum, h.rho, h.beta1, h.beta2),
            (0.5, 0.5, 0.25, 0.125, 0.75)
        );
        assert_eq!(cli.speed, Speed::PerSecond(20.0));
        assert!(cli.paused && cli.ascii && cli.transpose_images);
        let text_lists = cli_with(r#"{"hidden": "32", "optimizers": "sgd,mlp"}"#, &[]);
        let s = text_lists.expect("valid").settings();
        assert_eq!(
            (s.hidden, s.optimizers),
            (vec![32], vec![Contender::Sgd, Contender::Mlp])
        );
    }

    #[test]
    fn flags_on_the_command_line_win_and_defaults_lose() {
        let cli = cli_with(
            r#"{"epochs": 5, "lr": 0.5, "ascii": true}"#,
            &["--epochs", "2"],
        )
        .expect("valid");
        assert_eq!((cli.epochs, cli.lr, cli.ascii), (2, 0.5, true));
        // A flag given with its default value still wins over the file.
        let cli = cli_with(r#"{"seed": 9}"#, &["--seed", "7"]).expect("valid");
        assert_eq!(cli.seed, 7);
        assert_eq!(
            cli_with("{}", &[]).expect("valid").settings(),
            Settings::default()
        );
    }

    #[test]
    fn errors_name_the_file_the_key_and_the_rule() {
        for (config, needles) in [
            (
                r#"{"epochs": 5, "lr_": 1}"#,
                &["unknown key `lr_`", "expected one of: seed"][..],
            ),
            (
                r#"{"lr": 0}"#,
                &["`lr` must be a finite number greater than 0"],
            ),
            (r#"{"epochs": 2.5}"#, &["`epochs` must be a whole number"]),
            (r#"{"seed": -1}"#, &["`seed` must be a whole number from 0"]),
            (r#"{"hidden": [80, 0]}"#, &["`hidden` must be 1 to 4"]),
            (r#"{"beta2": 1}"#, &["`beta2` must be a number in [0, 1)"]),
            (
                r#"{"optimizers": ["adam", "lbfgs"]}"#,
                &["`optimizers` must be one of sgd,", "\"lbfgs\""],
            ),
            (
                r#"{"protocol": "fast"}"#,
                &["`protocol` must be one of fair, chain"],
            ),
            (r#"{"paused": "yes"}"#, &["`paused` must be true or false"]),
            (r#"{"lr": null}"#, &["`lr` must be a number"]),
            (
                r#"{"speed": "fast"}"#,
                &["`speed` must be epochs per second"],
            ),
            ("[1]", &["expected a JSON object"]),
            ("{\"epochs\": 5,}", &["not valid JSON", "line 1 column"]),
        ] {
            let err = cli_with(config, &["--lr", "0.1"])
                .expect_err(config)
                .to_string();
            assert!(err.contains(".json: "), "{err}");
            assert_eq!(err.lines().count(), 1, "{err}");
            for needle in needles {
                assert!(err.contains(needle), "{config}: {err:?} lacks {needle:?}");
            }
        }
    }
}
