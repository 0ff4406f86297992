//! The rules every setting is checked by, wherever it comes from: a flag, a `--config` key or
//! the dashboard's settings panel. One function per rule, so the three can never accept
//! different values or word a refusal differently. Each returns the parsed value or the rule
//! as a message that completes "`--flag` …".

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::engine::Speed;

/// Parsed `--hidden` widths (a newtype, so clap takes the whole list as one value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HiddenSizes(pub Vec<usize>);

/// A seed: any `u32`.
pub fn any_u32(s: &str) -> Result<u32, String> {
    s.parse::<u32>()
        .map_err(|_| "must be a whole number from 0 to 4294967295".into())
}

/// A count that cannot be zero (epochs, seeds).
pub fn at_least_one_u32(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("must be a whole number from 1 to 4294967295".into()),
    }
}

/// A size that cannot be zero (the batch size), with the same rule as [`at_least_one_u32`].
pub fn at_least_one_usize(s: &str) -> Result<usize, String> {
    at_least_one_u32(s).map(|n| n as usize)
}

/// A learning rate: finite and above zero.
pub fn positive_f64(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err("must be a finite number greater than 0".into()),
    }
}

/// A penalty weight (weight decay's λ): finite and not negative; 0 means none.
pub fn non_negative_f64(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err("must be a finite number, 0 or greater".into()),
    }
}

/// A decay constant (momentum, rho, beta1, beta2): in `[0, 1)`.
pub fn unit_interval(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..1.0).contains(&x) => Ok(x),
        _ => Err("must be a number in [0, 1)".into()),
    }
}

/// One of a flag's named values.
pub fn choice<T: ValueEnum>(s: &str) -> Result<T, String> {
    T::from_str(s, false).map_err(|_| {
        let names: Vec<String> = (T::value_variants().iter())
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
            .collect();
        format!("must be one of {}, not {s:?}", names.join(", "))
    })
}

/// A path as given (whether it exists is the loader's business, which names the file).
pub fn path(s: &str) -> Result<Option<PathBuf>, String> {
    if s.is_empty() {
        return Err("must be a path".into());
    }
    Ok(Some(PathBuf::from(s)))
}

/// A path the dashboard is about to load from: [`path`], and it must exist now, since the
/// panel reports a missing file beside the field rather than after the restart.
pub fn existing_path(s: &str) -> Result<Option<PathBuf>, String> {
    let p = path(s)?;
    match p.as_deref().is_some_and(Path::exists) {
        true => Ok(p),
        false => Err("must name an existing file or directory".into()),
    }
}

/// Hidden layer widths: 1 to 4 of them, each 1 to 4096.
pub fn hidden_sizes(s: &str) -> Result<HiddenSizes, String> {
    let rule = "must be 1 to 4 comma-separated widths from 1 to 4096, e.g. 80,70";
    let sizes: Vec<usize> = s
        .split(',')
        .map(|w| w.trim().parse::<usize>())
        .collect::<Result<_, _>>()
        .map_err(|_| rule.to_owned())?;
    if sizes.is_empty() || sizes.len() > 4 || sizes.iter().any(|&w| w == 0 || w > 4096) {
        return Err(rule.into());
    }
    Ok(HiddenSizes(sizes))
}

/// The most rates a grid may hold: past this a sweep is better split into several.
const MAX_RATES: usize = 100;

/// `--lr-grid`: a list of increasing rates, or `FROM:TO:N` log-spaced points with the ends
/// exactly as written.
pub fn lr_grid(s: &str) -> Result<LrGrid, String> {
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

/// Parsed `--lr-grid` rates, increasing.
#[derive(Clone, Debug, PartialEq)]
pub struct LrGrid(pub Vec<f64>);

/// The dashboard's pace: epochs per second, or `max`.
pub fn speed(s: &str) -> Result<Speed, String> {
    if matches!(s, "max" | "unlimited") {
        return Ok(Speed::Unlimited);
    }
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(Speed::PerSecond(x)),
        _ => Err("must be epochs per second (a number greater than 0) or \"max\"".into()),
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
        assert_eq!(existing_path(""), Err("must be a path".into()));
    }

    #[test]
    fn hidden_widths_are_bounded() {
        assert_eq!(hidden_sizes("80, 70"), Ok(HiddenSizes(vec![80, 70])));
        assert!(hidden_sizes("1,2,3,4,5").is_err());
        assert!(hidden_sizes("4097").is_err());
    }
}
