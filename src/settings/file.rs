//! `--config FILE.json`: settings from a file, under the flags.
//!
//! The file is one JSON object whose keys are the flags' names with underscores (`batch_size`
//! for `--batch-size`); every key is optional. Each value goes through the same parser as its
//! flag, so the file and the command line accept exactly the same values. Lists may be JSON
//! arrays (`"hidden": [80, 70]`) or the flag's comma-separated text. Precedence: built-in
//! defaults, then the file, then flags given on the command line. A key given twice is refused
//! (which one was meant?). A file may hold settings the mode does not use (one file serves the
//! dashboard and headless runs alike); only flags typed on the command line are refused there.

use std::fmt;
use std::path::Path;

use clap::ArgMatches;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::flags::given;
use super::{Kind, Setting, TABLE, Values};
use crate::settings::error::ConfigError;

/// Reads `path` and sets in `values` every setting it names, unless the same flag was given on
/// the command line (as `matches` records). Every value is checked, even one a flag overrides,
/// so a broken file is reported whatever the command line says. Returns the rows of the
/// settings the file holds, for the checks that depend on the mode (a sweep's grid).
pub(crate) fn apply(
    values: &mut Values,
    matches: &ArgMatches,
    path: &Path,
) -> Result<Vec<&'static Setting>, ConfigError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Io {
        path: shown.clone(),
        source,
    })?;
    let syntax = |reason| ConfigError::Syntax {
        path: shown.clone(),
        reason,
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(_)) => {}
        Ok(_) => {
            return Err(syntax(
                "expected a JSON object of settings, e.g. {\"epochs\": 200}".into(),
            ));
        }
        Err(e) => return Err(syntax(format!("not valid JSON: {e}"))),
    }
    // Again, keeping every key as written: a JSON map keeps a repeated key's last value.
    let Entries(object) =
        serde_json::from_slice(&bytes).map_err(|e| syntax(format!("not valid JSON: {e}")))?;
    let mut held = Vec::with_capacity(object.len());
    for (i, (key, value)) in object.iter().enumerate() {
        if object[..i].iter().any(|(k, _)| k == key) {
            return Err(ConfigError::Value {
                path: shown,
                key: key.clone(),
                rule: "is given twice; each key may appear once".into(),
            });
        }
        let Some(row) = Setting::keyed(key) else {
            let keys: Vec<String> = TABLE.iter().map(Setting::key).collect();
            return Err(ConfigError::UnknownKey {
                path: shown,
                key: key.clone(),
                expected: keys.join(", "),
            });
        };
        let outcome = text(row, value).and_then(|text| match given(matches, row.name) {
            true => row.check(&text),
            false => (row.set)(values, &text),
        });
        outcome.map_err(|rule| ConfigError::Value {
            path: shown.clone(),
            key: key.clone(),
            rule,
        })?;
        held.push(row);
    }
    Ok(held)
}

/// A JSON object's entries in the order written, a repeated key kept each time.
struct Entries(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Each;
        impl<'de> Visitor<'de> for Each {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Each)
    }
}

/// A value as the flag's text: a switch's `true` or `false`; numbers as JSON wrote them,
/// arrays comma-joined.
fn text(row: &Setting, value: &Value) -> Result<String, String> {
    if row.kind == Kind::Switch {
        return (value.as_bool())
            .map(|b| b.to_string())
            .ok_or_else(|| "must be true or false".into());
    }
    let scalar = |v: &Value| match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    };
    let text = match value {
        Value::Array(items) => items.iter().map(scalar).collect::<Option<Vec<_>>>(),
        v => scalar(v).map(|s| vec![s]),
    };
    Ok(text
        .ok_or("must be a number, a string or a list of them")?
        .join(","))
}

#[cfg(test)]
mod tests {
    use clap::{Arg, Args, Command, FromArgMatches};

    use super::*;
    use crate::engine::Speed;
    use crate::settings::flags::Flags;
    use crate::train::{Contender, Protocol, Settings};

    fn cli_with(config: &str, args: &[&str]) -> Result<Values, ConfigError> {
        let dir = std::env::temp_dir().join(format!("digits-tui-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!("config-{n}.json"));
        std::fs::write(&path, config).expect("config written");
        let mut argv = vec!["digits-tui".to_owned(), "--config".into()];
        argv.push(path.display().to_string());
        argv.extend(args.iter().map(|a| (*a).to_owned()));
        let command = Command::new("digits-tui").arg(Arg::new("config").long("config"));
        let matches = (Flags::augment_args(command))
            .try_get_matches_from(argv)
            .expect("flags parse");
        let mut values = Flags::from_arg_matches(&matches)
            .expect("flags parse")
            .values;
        let result = apply(&mut values, &matches, &path);
        let _ = std::fs::remove_file(&path);
        result.map(|_| values)
    }

    #[test]
    fn every_setting_can_come_from_the_file() {
        let cli = cli_with(
            r#"{"seed": 3, "epochs": 5, "lr": 0.5, "batch_size": 32, "hidden": [16, 8],
                "optimizers": ["adam", "sgd"], "protocol": "chain", "momentum": 0.5,
                "rho": 0.25, "beta1": 0.125, "beta2": 0.75, "speed": 20, "paused": true,
                "ascii": true, "data": "mnist", "test_data": "test.csv"}"#,
            &[],
        )
        .expect("valid");
        assert_eq!(cli.data.as_deref(), Some(std::path::Path::new("mnist")));
        assert_eq!(
            cli.test_data.as_deref(),
            Some(std::path::Path::new("test.csv"))
        );
        let s = cli.training;
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
        assert!(cli.paused && cli.ascii);
        let text_lists = cli_with(r#"{"hidden": "32", "optimizers": "sgd,mlp"}"#, &[]);
        let s = text_lists.expect("valid").training;
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
        let t = &cli.training;
        assert_eq!((t.epochs, t.hyper.lr, cli.ascii), (2, 0.5, true));
        // A flag given with its default value still wins over the file.
        let cli = cli_with(r#"{"seed": 9}"#, &["--seed", "7"]).expect("valid");
        assert_eq!(cli.training.seed, 7);
        assert_eq!(
            cli_with("{}", &[]).expect("valid").training,
            Settings::default()
        );
    }

    #[test]
    fn errors_name_the_file_the_key_and_the_rule() {
        for (config, needles) in [
            (
                r#"{"epochs": 5, "lr_": 1}"#,
                &["unknown key `lr_`", "expected one of: lr, batch_size"][..],
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
            (
                r#"{"epochs": 5, "lr": 0.5, "epochs": 7}"#,
                &["`epochs` is given twice"],
            ),
            (
                r#"{"optimizers": ["sgd", "sgd"]}"#,
                &["`optimizers` must name each at most once, not sgd twice"],
            ),
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
