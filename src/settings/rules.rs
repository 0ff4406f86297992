//! The rules the settings are checked by, wherever they come from: a flag, a `--config` key
//! or the dashboard's settings panel (all through [`super::TABLE`]). One function per rule, so
//! the three can never accept different values or word a refusal differently. Each returns the
//! parsed value or the rule as a message that completes "`--flag` …".

use std::path::{Path, PathBuf};

use crate::engine::{Grid, Knob, Speed};
use crate::nn::{Activation, Init};

/// A seed: any `u32`.
pub(crate) fn any_u32(s: &str) -> Result<u32, String> {
    s.parse::<u32>()
        .map_err(|_| "must be a whole number from 0 to 4294967295".into())
}

/// A count that cannot be zero (epochs, seeds).
pub(crate) fn at_least_one_u32(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("must be a whole number from 1 to 4294967295".into()),
    }
}

/// A size that cannot be zero (the batch size), with the same rule as [`at_least_one_u32`].
pub(crate) fn at_least_one_usize(s: &str) -> Result<usize, String> {
    at_least_one_u32(s).map(|n| n as usize)
}

/// A learning rate: finite and above zero.
pub(crate) fn positive_f64(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err("must be a finite number greater than 0".into()),
    }
}

/// A penalty weight (weight decay's λ): finite and not negative; 0 means none.
pub(crate) fn non_negative_f64(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err("must be a finite number, 0 or greater".into()),
    }
}

/// A decay constant (momentum, rho, beta1, beta2): in `[0, 1)`.
pub(crate) fn unit_interval(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..1.0).contains(&x) => Ok(x),
        _ => Err("must be a number in [0, 1)".into()),
    }
}

/// A path as given, or none when empty (whether it exists is the loader's business, which
/// names the file).
pub(crate) fn path(s: &str) -> Result<Option<PathBuf>, String> {
    Ok((!s.is_empty()).then(|| PathBuf::from(s)))
}

/// A path the dashboard is about to load from must exist now, since the panel reports a
/// missing file beside the field rather than after the restart.
pub(crate) fn existing_path(s: &str) -> Result<(), String> {
    match Path::new(s).exists() {
        true => Ok(()),
        false => Err("must name an existing file or directory".into()),
    }
}

/// A `--test-data` file the dashboard is about to load, checked as the loader will: a file (a
/// directory holds no test set), and none beside an IDX directory `data`, which brings its
/// own.
pub(crate) fn test_file(s: &str, data: &str) -> Result<(), String> {
    existing_path(s)?;
    if Path::new(s).is_dir() {
        return Err("must name a file (CSV or NumPy), not a directory".into());
    }
    match !data.is_empty() && Path::new(data).is_dir() {
        true => Err("must be empty: the IDX directory in --data brings its own test set".into()),
        false => Ok(()),
    }
}

/// A path as its flag's text: empty for none.
pub(crate) fn shown(path: Option<&Path>) -> String {
    path.map(|p| p.display().to_string()).unwrap_or_default()
}

/// A switch's value: `true` or `false`.
pub(crate) fn switch(s: &str) -> Result<bool, String> {
    s.parse().map_err(|_| "must be true or false".into())
}

/// One of `all`, by its name (in any case).
pub(crate) fn one_of<T: Copy>(
    s: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, String> {
    let found = all
        .iter()
        .find(|&&t| name(t).eq_ignore_ascii_case(s.trim()));
    found.copied().ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|&t| name(t)).collect();
        format!("must be one of {}, not {s:?}", names.join(", "))
    })
}

/// Some of `all`, comma-separated names in the order given, each at most once (a repeat would
/// otherwise be dropped without a word, and `sgd,sgd` read as a comparison of one).
pub(crate) fn some_of<T: Copy + PartialEq>(
    s: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<Vec<T>, String> {
    if s.trim().is_empty() {
        return Err("must name at least one".into());
    }
    let mut chosen = Vec::new();
    for word in s.split(',') {
        let t = one_of(word, all, name)?;
        if chosen.contains(&t) {
            return Err(format!(
                "must name each at most once, not {} twice",
                name(t)
            ));
        }
        chosen.push(t);
    }
    Ok(chosen)
}

/// Hidden layer widths: 1 to 4 of them, each 1 to 4096.
pub(crate) fn hidden_sizes(s: &str) -> Result<Vec<usize>, String> {
    let rule = "must be 1 to 4 comma-separated widths from 1 to 4096, e.g. 80,70";
    let sizes: Vec<usize> = s
        .split(',')
        .map(|w| w.trim().parse::<usize>())
        .collect::<Result<_, _>>()
        .map_err(|_| rule.to_owned())?;
    if sizes.is_empty() || sizes.len() > 4 || sizes.iter().any(|&w| w == 0 || w > 4096) {
        return Err(rule.into());
    }
    Ok(sizes)
}

/// The most rates a grid may hold: past this a sweep is better split into several.
const MAX_RATES: usize = 100;

/// `--lr-grid`: a list of increasing rates, or `FROM:TO:N` log-spaced points with the ends
/// exactly as written.
pub(crate) fn lr_grid(s: &str) -> Result<LrGrid, String> {
    let positive = |x: &str| match x.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!(
            "'{}' is not a finite rate greater than 0",
            x.trim()
        )),
    };
    let rates = if let Some((from, rest)) = s.split_once(':') {
        let rule = "FROM:TO:N needs 0 < FROM < TO and N from 2 to 100 points, e.g. 1e-4:1:9";
        let (to, n) = rest.split_once(':').ok_or(rule)?;
        let (from, to) = (positive(from)?, positive(to)?);
        let n: usize = n.trim().parse().map_err(|_| rule)?;
        if from >= to || !(2..=MAX_RATES).contains(&n) {
            return Err(rule.into());
        }
        let (lo, hi) = (from.log10(), to.log10());
        let step = (hi - lo) / (n - 1) as f64;
        let mut rates: Vec<f64> = (0..n).map(|i| 10f64.powf(lo + step * i as f64)).collect();
        // The ends exactly as written, whatever log10 and powf round to.
        (rates[0], rates[n - 1]) = (from, to);
        rates
    } else {
        let rates = s.split(',').map(positive).collect::<Result<Vec<_>, _>>()?;
        if let Some(pair) = rates.windows(2).find(|w| w[0] >= w[1]) {
            return Err(format!(
                "rates must increase, but {} follows {}",
                pair[1], pair[0]
            ));
        }
        if rates.len() > MAX_RATES {
            return Err(format!("at most {MAX_RATES} rates"));
        }
        rates
    };
    Ok(LrGrid(rates))
}

/// `sweep --grid KNOB=VALUES`: the learning rate as [`lr_grid`] takes it, or a knob's values
/// (initialisations or activations by name, each once; weight decays increasing, 0 allowed).
pub(crate) fn sweep_grid(s: &str) -> Result<Grid, String> {
    let knobs: Vec<&str> = Knob::ALL.iter().map(|k| k.name()).collect();
    let (name, values) = s.split_once('=').ok_or_else(|| {
        format!(
            "must be KNOB=VALUES with KNOB one of {}, e.g. init=lab,xavier,he",
            knobs.join(", ")
        )
    })?;
    let knob = (Knob::ALL.iter())
        .find(|k| k.name() == name.trim())
        .ok_or_else(|| {
            format!(
                "'{}' is not a setting a sweep can vary: one of {}",
                name.trim(),
                knobs.join(", ")
            )
        })?;
    /// Names, each once, in the order given.
    fn names<T: Copy + PartialEq>(
        s: &str,
        all: &[T],
        name: fn(T) -> &'static str,
    ) -> Result<Vec<T>, String> {
        let mut chosen = Vec::new();
        for word in s.split(',') {
            let t = one_of(word, all, name)?;
            if chosen.contains(&t) {
                return Err(format!("names {} twice", name(t)));
            }
            chosen.push(t);
        }
        Ok(chosen)
    }
    match knob {
        Knob::Lr => lr_grid(values).map(|g| Grid::Lr(g.0)),
        Knob::Init => names(values, &Init::ALL, Init::name).map(Grid::Init),
        Knob::Activation => names(values, &Activation::ALL, Activation::name).map(Grid::Activation),
        Knob::WeightDecay => {
            let lambdas = (values.split(','))
                .map(|x| {
                    non_negative_f64(x.trim()).map_err(|rule| format!("'{}' {rule}", x.trim()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            if let Some(pair) = lambdas.windows(2).find(|w| w[0] >= w[1]) {
                return Err(format!(
                    "weight decays must increase, but {} follows {}",
                    pair[1], pair[0]
                ));
            }
            if lambdas.len() > MAX_RATES {
                return Err(format!("at most {MAX_RATES} weight decays"));
            }
            Ok(Grid::WeightDecay(lambdas))
        }
    }
}

/// Parsed `--lr-grid` rates, increasing.
#[derive(Clone, Debug, PartialEq)]
pub struct LrGrid(pub Vec<f64>);

/// The dashboard's pace: epochs per second, or `max`.
pub(crate) fn speed(s: &str) -> Result<Speed, String> {
    if matches!(s, "max" | "unlimited") {
        return Ok(Speed::Unlimited);
    }
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(Speed::PerSecond(x)),
        _ => Err("must be epochs per second (a number greater than 0) or \"max\"".into()),
    }
}

/// The pace as `--speed` takes it.
pub(crate) fn shown_speed(speed: Speed) -> String {
    match speed {
        Speed::PerSecond(x) => x.to_string(),
        Speed::Unlimited => "max".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn existing_paths_only() {
        assert!(existing_path("Cargo.toml").is_ok());
        assert_eq!(
            existing_path("no/such/file.csv"),
            Err("must name an existing file or directory".into())
        );
        assert_eq!(path(""), Ok(None));
        // A directory is no test file, and an IDX directory brings its own.
        assert!(test_file("Cargo.toml", "").is_ok());
        assert!(test_file("src", "").is_err_and(|e| e.contains("not a directory")));
        assert!(test_file("Cargo.toml", "src").is_err_and(|e| e.contains("its own test set")));
    }

    #[test]
    fn hidden_widths_are_bounded() {
        assert_eq!(hidden_sizes("80, 70"), Ok(vec![80, 70]));
        assert!(hidden_sizes("1,2,3,4,5").is_err());
        assert!(hidden_sizes("4097").is_err());
    }

    #[test]
    fn names_in_any_case_and_never_twice() {
        let name = |b: bool| if b { "yes" } else { "no" };
        assert_eq!(
            some_of("NO,yes", &[true, false], name),
            Ok(vec![false, true])
        );
        assert_eq!(
            some_of("NO,yes,no", &[true, false], name),
            Err("must name each at most once, not no twice".into())
        );
        assert_eq!(one_of(" Yes", &[true, false], name), Ok(true));
        assert_eq!(
            some_of("yes,maybe", &[true, false], name),
            Err("must be one of yes, no, not \"maybe\"".into())
        );
        assert_eq!(
            some_of("", &[true], name),
            Err("must name at least one".into())
        );
        assert_eq!(
            (switch("true"), switch("no")),
            (Ok(true), Err("must be true or false".into()))
        );
        assert_eq!(shown_speed(speed("2.5").unwrap()), "2.5");
    }

    #[test]
    fn grids_are_lists_or_log_ranges() {
        assert_eq!(lr_grid("0.001,0.01, 1"), Ok(LrGrid(vec![0.001, 0.01, 1.0])));
        assert_eq!(lr_grid("0.5"), Ok(LrGrid(vec![0.5])));
        let LrGrid(log) = lr_grid("1e-4:1:9").unwrap();
        assert_eq!(log.len(), 9);
        assert_eq!((log[0], log[8]), (1e-4, 1.0));
        assert_eq!(log[2], 1e-3);
        assert!((log[1] - 10f64.powf(-3.5)).abs() < 1e-18, "{log:?}");
        assert_eq!(lr_grid("0.1:1:2"), Ok(LrGrid(vec![0.1, 1.0])));
        for (bad, rule) in [
            ("", "not a finite rate"),
            ("0.1,abc", "'abc' is not"),
            ("0,0.1", "'0' is not"),
            ("0.1,0.01", "must increase, but 0.01 follows 0.1"),
            ("0.1,0.1", "must increase"),
            ("1:0.1:5", "0 < FROM < TO"),
            ("1e-4:1:1", "N from 2"),
            ("1e-4:1", "FROM:TO:N"),
            ("1e-4:1:x", "FROM:TO:N"),
            ("1e-4:inf:3", "'inf' is not"),
            ("1e-4:1:101", "N from 2 to 100"),
        ] {
            let err = lr_grid(bad).unwrap_err();
            assert!(err.contains(rule), "{bad}: {err}");
        }
    }

    #[test]
    fn sweep_grids_name_a_knob_and_its_values() {
        use crate::nn::{Activation, Init};
        assert_eq!(
            sweep_grid("init=lab,he"),
            Ok(Grid::Init(vec![Init::Lab, Init::He]))
        );
        assert_eq!(
            sweep_grid("activation=relu,TANH"),
            Ok(Grid::Activation(vec![Activation::Relu, Activation::Tanh]))
        );
        assert_eq!(
            sweep_grid("weight-decay=0, 1e-3"),
            Ok(Grid::WeightDecay(vec![0.0, 1e-3]))
        );
        assert_eq!(sweep_grid("lr=0.1,1"), Ok(Grid::Lr(vec![0.1, 1.0])));
        for (bad, rule) in [
            ("init", "must be KNOB=VALUES"),
            ("bogus=1", "'bogus' is not a setting a sweep can vary"),
            ("init=foo", "must be one of lab, xavier, he, not \"foo\""),
            ("init=he,he", "names he twice"),
            ("activation=", "must be one of sigmoid"),
            (
                "weight-decay=-1",
                "'-1' must be a finite number, 0 or greater",
            ),
            ("weight-decay=0.1,0", "must increase, but 0 follows 0.1"),
            ("lr=1,0.1", "must increase"),
        ] {
            let err = sweep_grid(bad).unwrap_err();
            assert!(err.contains(rule), "{bad}: {err}");
        }
    }
}
