//! `digits-tui landscape FUNCTION`: the lab's update rules walked down a 2-D function
//! ([`crate::landscape`]), printed as a table of where each got, or with `--json` as one line
//! per optimizer and step, `{"optimizer","step","x","y","f"}`, optimizer by optimizer in
//! `--optimizers` order, every float at full (round-trip) precision. A path whose f stops
//! being finite ends with that step, `"f":null,"diverged":true`.

use std::io::Write;

use serde::Serialize;

use crate::exit::RunError;
use crate::landscape::{Function, Walker};
use crate::nn::{Hyper, OptimizerKind};
use crate::settings::rules::{at_least_one_u32, positive_f64};
use crate::train::Settings;

/// The subcommand's own flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The landscape: bowl, rosenbrock, himmelblau or saddle.
    #[arg(value_enum, ignore_case = true)]
    pub function: Function,
    /// Where every path starts (default: the function's own, e.g. -7,2 on the bowl).
    #[arg(long, value_name = "X,Y", allow_hyphen_values = true, value_parser = start)]
    pub start: Option<Start>,
    /// Steps per optimizer (default: the function's own: bowl 100, rosenbrock 1000,
    /// himmelblau 200, saddle 50).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = at_least_one_u32)]
    pub steps: Option<u32>,
    /// `--lr` if typed: one learning rate for every optimizer instead of each its own per
    /// function (the global flag, read by `main`, since clap gives every subcommand its
    /// default too).
    #[arg(skip)]
    pub lr: Option<f64>,
    /// One optimizer's learning rate, over --lr: e.g. adam=0.3,sgd=0.95.
    #[arg(long, value_name = "NAME=RATE", value_delimiter = ',', allow_hyphen_values = true, value_parser = rate_of)]
    pub lr_of: Vec<RateOf>,
    /// Every step as a JSON line instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// A start point: two finite numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Start(pub f64, pub f64);

/// One optimizer's own learning rate (`--lr-of adam=0.3`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateOf(pub OptimizerKind, pub f64);

/// `X,Y`: two finite numbers.
pub(crate) fn start(s: &str) -> Result<Start, String> {
    let rule = || "must be two finite numbers X,Y, e.g. -7,2".to_owned();
    let (x, y) = s.split_once(',').ok_or_else(rule)?;
    let number = |v: &str| v.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    match (number(x), number(y)) {
        (Some(x), Some(y)) => Ok(Start(x, y)),
        _ => Err(rule()),
    }
}

/// `NAME=RATE`: one of the lab's optimizers and a learning rate by [`positive_f64`]'s rule.
pub(crate) fn rate_of(s: &str) -> Result<RateOf, String> {
    let rule = "must be NAME=RATE, NAME one of sgd, momentum, adagrad, rmsprop, adam";
    let (name, rate) = s.split_once('=').ok_or(rule)?;
    let kind = (OptimizerKind::ALL.into_iter())
        .find(|k| k.name().eq_ignore_ascii_case(name.trim()))
        .ok_or(rule)?;
    let rate = positive_f64(rate.trim()).map_err(|e| format!("{rule}, RATE {e}"))?;
    Ok(RateOf(kind, rate))
}

/// What to walk: the paths of every lab optimizer in `settings` (the baseline has no update
/// rule), with the learning rates and start the flags ask for.
pub(crate) fn walkers(args: &Args, settings: &Settings) -> Result<Vec<Walker>, RunError> {
    let function = args.function;
    let kinds: Vec<OptimizerKind> = (settings.optimizers.iter())
        .filter_map(|c| c.optimizer())
        .collect();
    if kinds.is_empty() {
        return Err(RunError::Invalid(
            "landscape needs at least one of sgd, momentum, adagrad, rmsprop, adam in --optimizers"
                .into(),
        ));
    }
    let start = args.start.map_or(function.start(), |s| (s.0, s.1));
    let steps = args.steps.unwrap_or(function.steps());
    Ok((kinds.into_iter())
        .map(|kind| {
            let own = (args.lr_of.iter().rev()).find(|r| r.0 == kind);
            let lr = (own.map(|r| r.1))
                .or(args.lr)
                .unwrap_or(function.rate(kind));
            let hyper = Hyper {
                lr,
                ..settings.hyper
            };
            Walker::new(function, kind, hyper, start).walk(steps)
        })
        .collect())
}

/// One JSON line.
#[derive(Serialize)]
struct Line {
    optimizer: &'static str,
    step: u32,
    x: f64,
    y: f64,
    /// `null` once not finite.
    f: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    diverged: bool,
}

/// Prints the paths `args` asks for: JSON lines or the table.
pub(crate) fn report(
    args: &Args,
    settings: &Settings,
    out: &mut impl Write,
) -> Result<(), RunError> {
    let walkers = walkers(args, settings)?;
    if args.json {
        for w in &walkers {
            for (step, p) in w.points().iter().enumerate() {
                let line = Line {
                    optimizer: w.kind().name(),
                    step: step as u32,
                    x: p.x,
                    y: p.y,
                    f: Some(p.f).filter(|f| f.is_finite()),
                    diverged: !p.f.is_finite(),
                };
                let text = serde_json::to_string(&line).map_err(std::io::Error::other)?;
                writeln!(out, "{text}")?;
            }
        }
        return Ok(());
    }
    write!(out, "{}", table(args.function, &walkers))?;
    Ok(())
}

/// The table: per optimizer its rate, steps, final point and f, the first step within 1e-3
/// of the minimum, and where it diverged.
pub(crate) fn table(function: Function, walkers: &[Walker]) -> String {
    let start = walkers.first().map(|w| w.points()[0]);
    let (x, y) = start.map_or(function.start(), |p| (p.x, p.y));
    let minimum = match function.minimum() {
        Some(m) => format!("minimum {m}"),
        None => "no minimum".into(),
    };
    let mut s = format!(
        "landscape: {}, {}, from ({x}, {y}), {minimum}\n",
        function.name(),
        function.formula()
    );
    s += &format!(
        "{:<10} {:>9} {:>6} {:>13} {:>13} {:>11}  {:>12}  diverged\n",
        "optimizer", "lr", "steps", "x", "y", "f", "f near min @"
    );
    for w in walkers {
        let p = w.last();
        let near = match (function.minimum(), w.first_near_minimum()) {
            (None, _) => "-".to_owned(),
            (Some(_), None) => "never".to_owned(),
            (Some(_), Some(step)) => step.to_string(),
        };
        let diverged = match w.diverged() {
            true => format!("at step {}", w.steps()),
            false => "no".to_owned(),
        };
        s += &format!(
            "{:<10} {:>9} {:>6} {:>13} {:>13} {:>11}  {:>12}  {diverged}\n",
            w.kind().label(),
            crate::format::learning_rate(w.lr()),
            w.steps(),
            coordinate(p.x),
            coordinate(p.y),
            format!("{:.3e}", p.f),
            near,
        );
    }
    s += "f near min @: the first step with f within 1e-3 of the minimum (step 0 is the start).\n";
    s
}

/// A coordinate in at most 13 cells: fixed with 6 decimals while that is short and says
/// something, scientific otherwise.
fn coordinate(v: f64) -> String {
    match v.abs() {
        a if a == 0.0 || (1e-3..1e5).contains(&a) => format!("{v:.6}"),
        _ => format!("{v:.3e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_and_rates_follow_their_rules() {
        assert_eq!(start("-7,2"), Ok(Start(-7.0, 2.0)));
        assert_eq!(start(" 1.5 , -0.25"), Ok(Start(1.5, -0.25)));
        for bad in ["", "1", "1,2,3", "a,1", "1,inf", "NaN,0"] {
            assert!(
                start(bad).unwrap_err().contains("two finite numbers"),
                "{bad}"
            );
        }
        assert_eq!(rate_of("adam=0.3"), Ok(RateOf(OptimizerKind::Adam, 0.3)));
        assert!(rate_of("adam=0").unwrap_err().contains("greater than 0"));
        assert!(rate_of("mlp=0.1").unwrap_err().contains("NAME one of"));
        assert!(rate_of("adam").unwrap_err().contains("NAME=RATE"));
    }
}
