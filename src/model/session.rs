//! The one reducer of a session's [`Event`]s: what every run has done so far. The dashboard
//! draws from it, the recorder writes it to a file, headless mode prints from it, so the three
//! can never disagree about a generation, an epoch or a learning-rate change.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{EpochMetrics, RunHistory};
use crate::data::source::DataSource;
use crate::engine::Event;
use crate::train::{Protocol, RunSummary, Settings};

/// Every run of the current generation, and how the session stands.
#[derive(Clone, Debug)]
pub(crate) struct SessionModel {
    settings: Settings,
    data: DataSource,
    generation: u64,
    started_unix: u64,
    runs: Vec<RunHistory>,
    finished: bool,
    failure: Option<String>,
}

impl SessionModel {
    /// A session about to start with `settings` on `data` (as a record names it).
    pub(crate) fn new(settings: Settings, data: impl Into<DataSource>) -> Self {
        let runs = (settings.optimizers.iter())
            .map(|&c| RunHistory::new(c))
            .collect();
        Self {
            settings,
            data: data.into(),
            generation: 0,
            started_unix: unix_now(),
            runs,
            finished: false,
            failure: None,
        }
    }

    /// Folds in one event. A (re)start clears every history; reports of an earlier generation
    /// are dropped. Returns true if the event changed anything.
    pub(crate) fn observe(&mut self, event: &Event) -> bool {
        match event {
            Event::Started { generation, seed } => {
                self.generation = *generation;
                self.reset(*seed);
            }
            Event::Epoch {
                generation,
                slot,
                report,
                last,
            } if *generation == self.generation => {
                let Some(r) = self.runs.get_mut(*slot) else {
                    return false;
                };
                r.summary.observe(report);
                r.epochs.push(EpochMetrics::from(report));
                r.curves.push(report);
                if let Some(layers) = &report.health {
                    r.health.push(report.epoch, layers);
                }
                r.in_epoch = None;
                r.ended = *last;
                r.predictions = Some(Arc::clone(&report.predictions));
            }
            Event::LearningRate {
                generation,
                slot,
                epoch,
                lr,
            } if *generation == self.generation => {
                let Some(r) = self.runs.get_mut(*slot) else {
                    return false;
                };
                r.learning_rate_changed(*epoch, *lr);
            }
            Event::Batches {
                generation,
                slot,
                done,
                total,
            } if *generation == self.generation => {
                let Some(r) = self.runs.get_mut(*slot) else {
                    return false;
                };
                r.in_epoch = Some((*done, *total));
            }
            Event::Snapshot {
                generation,
                slot,
                snapshot,
                ..
            } if *generation == self.generation => {
                let Some(r) = self.runs.get_mut(*slot) else {
                    return false;
                };
                r.snapshot = Some(Arc::clone(snapshot));
            }
            Event::Finished { generation } if *generation == self.generation => {
                self.finished = true;
            }
            Event::Failed { message } => self.failure = Some(message.clone()),
            Event::Epoch { .. }
            | Event::Batches { .. }
            | Event::LearningRate { .. }
            | Event::Snapshot { .. }
            | Event::Finished { .. } => return false,
        }
        true
    }

    /// The front end asked for a restart from `seed`: forget every history now, so nothing of
    /// the old seed shows while the session catches up, and drop every report until the
    /// session's own [`Event::Started`] names the new generation.
    pub(crate) fn restarting(&mut self, seed: u32) {
        self.generation = u64::MAX;
        self.reset(seed);
    }

    /// The front end asked for a restart with other settings (and perhaps other data): as
    /// [`SessionModel::restarting`], with one empty history per contender of `settings`, so
    /// the next generation is recorded, exported and drawn with what produced it.
    pub(crate) fn restarting_with(&mut self, settings: Settings, data: DataSource) {
        self.runs = (settings.optimizers.iter())
            .map(|&c| RunHistory::new(c))
            .collect();
        let seed = settings.seed;
        (self.settings, self.data) = (settings, data);
        self.restarting(seed);
    }

    /// Forgets every run's history: a restart from `seed`.
    fn reset(&mut self, seed: u32) {
        self.settings.seed = seed;
        self.started_unix = unix_now();
        self.finished = false;
        self.failure = None;
        for run in &mut self.runs {
            *run = RunHistory::new(run.contender);
        }
    }

    /// What every run trains with (the seed is the latest restart's).
    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    /// What is trained on, as the flags named it.
    pub(crate) fn data(&self) -> &DataSource {
        &self.data
    }

    /// When the session (or its last restart) started, in seconds since the Unix epoch.
    pub(crate) fn started_unix(&self) -> u64 {
        self.started_unix
    }

    /// Takes `unix` as the start: a saved session shown again keeps the time it first
    /// started, which replaying its `Started` event would otherwise stamp as now.
    pub(crate) fn started_at(&mut self, unix: u64) {
        self.started_unix = unix;
    }

    /// One history per contender, in `settings.optimizers` order.
    pub(crate) fn runs(&self) -> &[RunHistory] {
        &self.runs
    }

    /// Every run has ended.
    pub(crate) fn finished(&self) -> bool {
        self.finished
    }

    /// The worker failure that stopped training, if one did.
    pub(crate) fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Under the chain protocol, the slot of the stage in progress and its number
    /// (1-based) among the lab's optimizers.
    pub(crate) fn stage(&self) -> Option<(usize, usize)> {
        if self.settings.protocol != Protocol::Chain {
            return None;
        }
        let lab =
            || (self.runs.iter().enumerate()).filter(|(_, r)| r.contender.optimizer().is_some());
        lab()
            .position(|(_, r)| !r.ended)
            .and_then(|k| lab().nth(k).map(|(i, _)| (i, k + 1)))
    }

    /// What "epoch N / total" means: the slowest run still training, or under the chain
    /// protocol the stage in progress; once every run has ended, the furthest any got.
    pub(crate) fn epoch(&self) -> u32 {
        let current = match self.stage() {
            Some((i, _)) => Some(self.runs[i].summary.epochs),
            None => (self.runs.iter())
                .filter(|r| !r.ended)
                .map(|r| r.summary.epochs)
                .min(),
        };
        current.unwrap_or_else(|| {
            (self.runs.iter())
                .map(|r| r.summary.epochs)
                .max()
                .unwrap_or(0)
        })
    }

    /// The run furthest behind, whose epoch [`SessionModel::epoch`] is and whose batches the
    /// status bar counts: the chain's stage in progress, else the run still training with the
    /// fewest epochs and, among those, the fewest of its batches done (a fraction, since the
    /// baseline's epochs have other batch counts). `None` once every run has ended.
    pub(crate) fn behind(&self) -> Option<usize> {
        if let Some((i, _)) = self.stage() {
            return Some(i);
        }
        let within = |r: &RunHistory| r.in_epoch.map_or(0.0, |(d, t)| d as f64 / t.max(1) as f64);
        (self.runs.iter().enumerate())
            .filter(|(_, r)| !r.ended)
            .map(|(i, r)| (i, f64::from(r.summary.epochs) + within(r)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    /// Whether every run still training stands at the same epoch boundary (none is inside an
    /// epoch): what a pause settles into.
    /// Under the chain protocol, the stages still waiting do not count.
    pub(crate) fn at_one_boundary(&self) -> bool {
        let stage = self.stage().map(|(i, _)| i);
        let mut training = (self.runs.iter().enumerate())
            .filter(|(i, r)| {
                let waiting = stage.is_some_and(|s| s != *i) && r.contender.optimizer().is_some();
                !r.ended && !waiting
            })
            .map(|(_, r)| r);
        let first = training.clone().next().map(|r| r.summary.epochs);
        training.all(|r| r.in_epoch.is_none() && Some(r.summary.epochs) == first)
    }

    /// The final table's rows, in run order.
    pub(crate) fn summaries(&self) -> Vec<RunSummary> {
        self.runs.iter().map(|r| r.summary.clone()).collect()
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::model::LearningRateChange;
    use crate::train::{Contender, EpochReport};

    fn epoch(generation: u64, slot: usize, epoch: u32, last: bool) -> Event {
        Event::Epoch {
            generation,
            slot,
            report: EpochReport {
                epoch,
                loss: 0.5,
                train_acc: 0.9,
                test_acc: 0.8,
                wall: Duration::ZERO,
                predictions: vec![1; 3].into(),
                diverged: false,
                penalty: None,
                health: None,
            },
            last,
        }
    }

    #[test]
    fn a_restart_clears_and_stale_generations_are_dropped() {
        let mut m = SessionModel::new(Settings::default(), "embedded");
        m.observe(&Event::Started {
            generation: 1,
            seed: 7,
        });
        assert!(m.observe(&epoch(1, 0, 1, false)));
        assert_eq!(m.runs()[0].epochs.len(), 1);
        m.observe(&Event::Started {
            generation: 2,
            seed: 9,
        });
        assert!(!m.observe(&epoch(1, 0, 2, false)), "stale");
        assert_eq!((m.runs()[0].epochs.len(), m.settings().seed), (0, 9));
    }

    #[test]
    fn changes_after_the_same_epoch_are_one() {
        let mut m = SessionModel::new(Settings::default(), "embedded");
        m.observe(&Event::Started {
            generation: 1,
            seed: 7,
        });
        for lr in [0.02, 0.04] {
            m.observe(&Event::LearningRate {
                generation: 1,
                slot: 0,
                epoch: 3,
                lr,
            });
        }
        let run = &m.runs()[0];
        assert_eq!(
            run.lr_changes,
            [LearningRateChange {
                after_epoch: 3,
                lr: 0.04
            }]
        );
        assert_eq!(
            (run.learning_rate_at(3, 0.01), run.learning_rate_at(4, 0.01)),
            (0.01, 0.04)
        );
    }

    #[test]
    fn a_restart_with_other_settings_has_their_runs_and_drops_the_old_generation() {
        let mut m = SessionModel::new(Settings::default(), "embedded");
        m.observe(&Event::Started {
            generation: 1,
            seed: 7,
        });
        m.observe(&epoch(1, 4, 1, false));
        let settings = Settings {
            seed: 3,
            epochs: 50,
            optimizers: vec![Contender::Adam, Contender::Sgd],
            ..Settings::default()
        };
        m.restarting_with(settings.clone(), "other.csv".into());
        assert!(!m.observe(&epoch(1, 0, 2, false)), "stale");
        m.observe(&Event::Started {
            generation: 2,
            seed: 3,
        });
        assert!(m.observe(&epoch(2, 1, 1, false)));
        let names: Vec<_> = m.runs().iter().map(|r| r.contender).collect();
        assert_eq!(names, settings.optimizers);
        assert_eq!((m.settings(), m.data()), (&settings, &"other.csv".into()));
        assert_eq!(m.runs()[1].epochs.len(), 1);
    }
}
