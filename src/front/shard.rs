//! Shards: `compare` and `sweep` with `--shard K/N` train only the K-th of N slices of their
//! job list and print a partial document; `merge` checks that the parts are the N slices of
//! one run, each once, and adds them up to the results of the unsharded run.
//!
//! A partial document carries everything the report needs (the settings, the data source, the
//! seeds, the grid) besides its results, so `merge` needs no flags and refuses parts of
//! different runs by name. The job list is recomputed from it, so a part that lost or gained a
//! result is caught too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::data::source::DataSource;
use crate::engine::{Grid, SeedResult, Shard, jobs};
use crate::exit::RunError;
use crate::train::Settings;

/// Which report a partial document is a slice of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    /// `compare`: the settings' rate, many seeds.
    Compare,
    /// `sweep`: a grid of rates or of a knob's values, many seeds.
    Sweep,
}

/// What `--shard K/N` prints: one slice's results and everything needed to add the slices up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Partial {
    /// The report this is a slice of.
    pub partial: Kind,
    /// Which slice.
    pub shard: Shard,
    /// The training settings (their `seed` is the first seed).
    pub settings: Settings,
    /// What was trained on.
    pub data: DataSource,
    /// Every seed of the whole run, not only this slice's.
    pub seeds: Vec<u32>,
    /// A sweep's grid: `"rates": […]` as before knobs could be swept, or e.g. `"inits": […]`.
    #[serde(flatten)]
    pub grid: Option<Grid>,
    /// This slice's runs, in the order they finished.
    pub results: Vec<SeedResult>,
}

/// The parts of one run added up: the whole run's description and every result.
#[derive(Debug)]
pub(crate) struct Merged {
    /// The report to print.
    pub kind: Kind,
    /// The training settings.
    pub settings: Settings,
    /// Every seed.
    pub seeds: Vec<u32>,
    /// A sweep's grid.
    pub grid: Option<Grid>,
    /// Every run of every shard.
    pub results: Vec<SeedResult>,
}

impl Partial {
    /// Reads a partial document, or says in one line why `path` is not one.
    pub(crate) fn read(path: &Path) -> Result<Self, RunError> {
        let shown = path.display();
        let bytes = std::fs::read(path)
            .map_err(|e| RunError::Invalid(format!("cannot read {shown}: {e}")))?;
        let part: Self = serde_json::from_slice(&bytes).map_err(|e| {
            RunError::Invalid(format!(
                "{shown}: not a partial document of compare --shard or sweep --shard: {e}"
            ))
        })?;
        if part.shard.index == 0 || part.shard.index > part.shard.count {
            return Err(RunError::Invalid(format!(
                "{shown}: shard {}/{} does not exist",
                part.shard.index, part.shard.count
            )));
        }
        Ok(part)
    }

    /// The (seed, value, contender) of every run this slice should hold, sorted.
    fn expected_runs(&self) -> Vec<RunKey> {
        let all = jobs(&self.settings, &self.seeds, self.grid.as_ref());
        let mut keys: Vec<RunKey> = (self.shard.select(all).iter())
            .flat_map(|job| {
                (job.stages.iter()).map(|&c| (job.seed, job.at.map(|v| v.order()), c as u8))
            })
            .collect();
        keys.sort_unstable();
        keys
    }

    /// The (seed, value, contender) of every run this slice holds, sorted.
    fn runs(&self) -> Vec<RunKey> {
        let mut keys: Vec<RunKey> = (self.results.iter())
            .map(|r| (r.seed, r.at.map(|v| v.order()), r.optimizer as u8))
            .collect();
        keys.sort_unstable();
        keys
    }

    /// What differs between this part's run and `other`'s, if anything.
    fn differs_from(&self, other: &Self) -> Option<&'static str> {
        if self.partial != other.partial {
            Some("one is a compare, the other a sweep")
        } else if self.shard.count != other.shard.count {
            Some("different shard counts")
        } else if self.settings != other.settings {
            Some("different settings")
        } else if self.data != other.data {
            Some("different data")
        } else if self.seeds != other.seeds {
            Some("different seeds")
        } else if self.grid != other.grid {
            Some(match (&self.grid, &other.grid) {
                (Some(Grid::Lr(_)), Some(Grid::Lr(_))) => "different learning rates",
                _ => "different grids",
            })
        } else {
            None
        }
    }
}

/// A run's identity within a job list: seed, the value's [order](crate::engine::Value::order),
/// contender.
type RunKey = (u32, Option<(u8, u64)>, u8);

/// Reads `paths` and adds them up, refusing (in one line, naming the files) parts of different
/// runs, a shard given twice, a missing shard, and a part whose results are not its slice's.
pub(crate) fn merge(paths: &[PathBuf]) -> Result<Merged, RunError> {
    let parts: Vec<(&PathBuf, Partial)> = (paths.iter())
        .map(|p| Partial::read(p).map(|part| (p, part)))
        .collect::<Result<_, _>>()?;
    let Some((first_path, first)) = parts.first() else {
        return Err(RunError::Invalid("merge needs at least one part".into()));
    };
    let mut by_index: BTreeMap<u32, &PathBuf> = BTreeMap::new();
    for (path, part) in &parts {
        if let Some(why) = first.differs_from(part) {
            return Err(RunError::Invalid(format!(
                "{} and {} are parts of different runs ({why})",
                first_path.display(),
                path.display()
            )));
        }
        if let Some(twice) = by_index.insert(part.shard.index, path) {
            return Err(RunError::Invalid(format!(
                "{} and {} are both shard {}/{}",
                twice.display(),
                path.display(),
                part.shard.index,
                part.shard.count
            )));
        }
        if part.runs() != part.expected_runs() {
            return Err(RunError::Invalid(format!(
                "{}: its {} results are not the runs of shard {}/{} ({} expected)",
                path.display(),
                part.results.len(),
                part.shard.index,
                part.shard.count,
                part.expected_runs().len()
            )));
        }
    }
    let count = first.shard.count;
    let missing: Vec<String> = (1..=count)
        .filter(|k| !by_index.contains_key(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(RunError::Invalid(format!(
            "missing shard{} {}: every shard 1/{count} to {count}/{count} is needed once",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        )));
    }
    Ok(Merged {
        kind: first.partial,
        settings: first.settings.clone(),
        seeds: first.seeds.clone(),
        grid: first.grid.clone(),
        results: parts.into_iter().flat_map(|(_, p)| p.results).collect(),
    })
}

/// `K/N` with 1 ≤ K ≤ N, as `--shard` takes it.
pub(crate) fn parse(s: &str) -> Result<Shard, String> {
    let rule = "must be K/N, the K-th of N slices (1 ≤ K ≤ N), e.g. 2/8";
    let (k, n) = s.split_once('/').ok_or(rule)?;
    let (index, count) = (k.trim().parse::<u32>(), n.trim().parse::<u32>());
    match (index, count) {
        (Ok(index), Ok(count)) if index >= 1 && index <= count => Ok(Shard { index, count }),
        _ => Err(rule.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_syntax() {
        assert_eq!(parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        assert_eq!(parse("1/1"), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_slices_of_a_job_list_are_disjoint_and_complete() {
        let settings = Settings::default();
        let all = jobs(&settings, &[1, 2, 3], Some(&Grid::Lr(vec![0.1, 1.0])));
        let mut together = Vec::new();
        for index in 1..=4 {
            together.extend(Shard { index, count: 4 }.select(all.clone()));
        }
        assert_eq!(together.len(), all.len());
        for job in &all {
            assert_eq!(together.iter().filter(|j| *j == job).count(), 1);
        }
    }
}
