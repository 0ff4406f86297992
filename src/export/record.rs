//! What a session file holds: the settings, the data source and every run's history, as
//! [`SessionRecord::of`] writes them down from the [`SessionModel`] and as
//! [`SessionRecord::replay`] turns them back into the events that built them.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::data::source::DataSource;
use crate::engine::Event;
use crate::model::{EpochMetrics, LearningRateChange, RunHistory, SessionModel};
use crate::train::{Contender, EpochReport, LayerHealth, Protocol, RunSummary, Settings};

/// The layout version this build writes and reads; bumped whenever a field changes meaning,
/// so an old build refuses a newer file instead of misreading it.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// One exported session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SessionRecord {
    /// [`FORMAT_VERSION`] of the writer.
    pub format: u32,
    /// The digits-tui version that wrote the file, for whoever reads it later.
    pub app_version: String,
    /// When the recorded session (or its last restart) started, in seconds since the Unix
    /// epoch.
    pub started_unix: u64,
    /// What every run trained with; after a restart, `seed` is the restart's.
    pub settings: Settings,
    /// What was trained on (see [`data_source`](crate::data::source)).
    pub data: DataSource,
    /// One entry per contender, in the order of `settings.optimizers`.
    pub runs: Vec<RunRecord>,
    /// Every run had ended when the file was written.
    pub finished: bool,
    /// The worker failure that stopped training, if one did.
    pub failure: Option<String>,
}

/// One run's history and outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RunRecord {
    /// Who trained, as `--optimizers` names it.
    pub optimizer: Contender,
    /// The name tables and chart titles print, so readers of the file need no lookup table.
    pub label: String,
    /// One entry per epoch trained, in order from epoch 1.
    pub epochs: Vec<EpochMetrics>,
    /// Learning-rate changes, by increasing `after_epoch`.
    pub lr_changes: Vec<LearningRateChange>,
    /// No further epoch was coming (done, stopped early, or diverged).
    pub ended: bool,
    /// The run's row of the final table, as the dashboard and headless mode computed it.
    pub summary: RunSummary,
    /// The last epoch's predicted label for every test image (empty before the first epoch),
    /// so a viewer can draw the test digits as they were.
    pub predictions: Vec<u8>,
    /// Each epoch's layer health, one entry per hidden layer, when the session computed it
    /// (the dashboard, headless `--health`; lab runs only), so `--open` can show the `i` view.
    /// Absent otherwise, and in files written before it existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health: Vec<Vec<LayerHealth>>,
}

/// The report the session sent for `m`, minus what a file does not keep (wall time).
pub(super) fn report(
    m: EpochMetrics,
    predictions: Arc<[u8]>,
    health: Option<Vec<LayerHealth>>,
) -> EpochReport {
    EpochReport {
        epoch: m.epoch,
        loss: m.loss.unwrap_or(f64::NAN),
        train_acc: m.train_acc,
        test_acc: m.test_acc,
        wall: Duration::ZERO,
        predictions,
        diverged: m.diverged,
        penalty: m.penalty,
        health,
    }
}

impl RunRecord {
    fn of(run: &RunHistory) -> Self {
        Self {
            optimizer: run.contender,
            label: run.contender.label().to_owned(),
            epochs: run.epochs.clone(),
            lr_changes: run.lr_changes.clone(),
            ended: run.ended,
            summary: run.summary.clone(),
            predictions: run
                .predictions
                .as_deref()
                .map_or_else(Vec::new, <[u8]>::to_vec),
            health: run.health.epochs.clone(),
        }
    }
}

impl SessionRecord {
    /// The session as it stands, ready to write.
    pub(crate) fn of(model: &SessionModel) -> Self {
        Self {
            format: FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            started_unix: model.started_unix(),
            settings: model.settings().clone(),
            data: model.data().clone(),
            runs: model.runs().iter().map(RunRecord::of).collect(),
            finished: model.finished(),
            failure: model.failure().map(str::to_owned),
        }
    }

    /// The session as the events that built it: `Started`, then every epoch (epoch by epoch
    /// across runs under the fair protocol, run after run under the chain protocol, as they
    /// arrived live), each followed by the rate changes made after it, then `Finished` or
    /// `Failed` if the session got there. Feeding these to a fresh [`SessionModel`] gives
    /// this record back (up to `started_unix`); feeding them to the dashboard shows the session
    /// without training. Every report of a run carries its last predictions.
    pub(crate) fn replay(&self) -> Vec<Event> {
        const GENERATION: u64 = 1;
        let total: usize = self
            .runs
            .iter()
            .map(|r| r.epochs.len() + r.lr_changes.len())
            .sum();
        let mut events = Vec::with_capacity(total + 2);
        events.push(Event::Started {
            generation: GENERATION,
            seed: self.settings.seed,
        });
        let predictions: Vec<Arc<[u8]>> = self
            .runs
            .iter()
            .map(|r| Arc::from(r.predictions.as_slice()))
            .collect();
        // Rate changes of the run in `slot` up to and including `epoch`, not yet emitted.
        let mut next_change = vec![0usize; self.runs.len()];
        let mut changes_through = |events: &mut Vec<Event>, slot: usize, epoch: u32| {
            let changes = &self.runs[slot].lr_changes;
            while let Some(c) = changes
                .get(next_change[slot])
                .filter(|c| c.after_epoch <= epoch)
            {
                events.push(Event::LearningRate {
                    generation: GENERATION,
                    slot,
                    epoch: c.after_epoch,
                    lr: c.lr,
                });
                next_change[slot] += 1;
            }
        };
        for slot in 0..self.runs.len() {
            changes_through(&mut events, slot, 0);
        }
        let mut epoch_event = |events: &mut Vec<Event>, slot: usize, i: usize| {
            let r = &self.runs[slot];
            let m = r.epochs[i];
            events.push(Event::Epoch {
                generation: GENERATION,
                slot,
                report: report(m, Arc::clone(&predictions[slot]), r.health.get(i).cloned()),
                last: r.ended && i + 1 == r.epochs.len(),
            });
            changes_through(events, slot, m.epoch);
        };
        match self.settings.protocol {
            Protocol::Fair => {
                let longest = self.runs.iter().map(|r| r.epochs.len()).max().unwrap_or(0);
                for i in 0..longest {
                    for slot in 0..self.runs.len() {
                        if i < self.runs[slot].epochs.len() {
                            epoch_event(&mut events, slot, i);
                        }
                    }
                }
            }
            Protocol::Chain => {
                for slot in 0..self.runs.len() {
                    for i in 0..self.runs[slot].epochs.len() {
                        epoch_event(&mut events, slot, i);
                    }
                }
            }
        }
        // Changes made while the next epoch was in flight, after the last recorded one.
        for slot in 0..self.runs.len() {
            changes_through(&mut events, slot, u32::MAX);
        }
        if let Some(message) = &self.failure {
            events.push(Event::Failed {
                message: message.clone(),
            });
        } else if self.finished {
            events.push(Event::Finished {
                generation: GENERATION,
            });
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(epoch: u32, loss: f64, diverged: bool) -> EpochReport {
        EpochReport {
            epoch,
            loss,
            train_acc: 0.25 + f64::from(epoch) / 100.0,
            test_acc: 1.0 / 3.0,
            wall: Duration::from_millis(7),
            predictions: Arc::from(vec![(epoch % 10) as u8; 4]),
            diverged,
            penalty: None,
            health: None,
        }
    }

    fn epoch(generation: u64, slot: usize, e: u32, loss: f64, last: bool) -> Event {
        Event::Epoch {
            generation,
            slot,
            report: report(e, loss, loss.is_nan()),
            last,
        }
    }

    fn settings(protocol: Protocol) -> Settings {
        Settings {
            epochs: 4,
            optimizers: vec![Contender::Sgd, Contender::Adam, Contender::Mlp],
            protocol,
            ..Settings::default()
        }
    }

    /// A session with tiny losses, a divergence, a rate change and a restart behind it.
    fn recorded(protocol: Protocol) -> SessionModel {
        let mut rec = SessionModel::new(settings(protocol), "embedded");
        rec.observe(&Event::Started {
            generation: 1,
            seed: 7,
        });
        rec.observe(&epoch(1, 0, 1, 0.5, false));
        rec.observe(&Event::Started {
            generation: 2,
            seed: 11,
        });
        for event in [
            epoch(1, 0, 2, 0.4, false),
            epoch(2, 0, 1, 1e-12, false),
            epoch(2, 1, 1, 0.1 + 0.2, false),
            Event::LearningRate {
                generation: 2,
                slot: 1,
                epoch: 1,
                lr: 0.003,
            },
            Event::LearningRate {
                generation: 1,
                slot: 0,
                epoch: 1,
                lr: 9.0,
            },
            epoch(2, 0, 2, 5e-324, false),
            epoch(2, 1, 2, f64::NAN, true),
            epoch(2, 0, 3, 1.0000000000000002, false),
            epoch(2, 0, 4, 0.12345678901234568, true),
            Event::LearningRate {
                generation: 2,
                slot: 2,
                epoch: 0,
                lr: 0.5,
            },
            Event::Finished { generation: 2 },
        ] {
            rec.observe(&event);
        }
        rec
    }

    #[test]
    fn the_recorder_keeps_the_latest_generation_exactly() {
        let r = SessionRecord::of(&recorded(Protocol::Fair));
        assert_eq!(
            (r.settings.seed, r.finished, r.failure.as_deref()),
            (11, true, None)
        );
        let sgd = &r.runs[0];
        let losses: Vec<u64> = sgd
            .epochs
            .iter()
            .map(|m| m.loss.unwrap_or(0.0).to_bits())
            .collect();
        let want: Vec<u64> = [1e-12, 5e-324, 1.0000000000000002, 0.12345678901234568]
            .iter()
            .map(|x: &f64| x.to_bits())
            .collect();
        assert_eq!(losses, want);
        assert!(sgd.ended && sgd.summary.epochs == 4);
        assert_eq!(sgd.predictions, vec![4; 4]);
        let adam = &r.runs[1];
        assert_eq!(adam.epochs[1].loss, None);
        assert_eq!(adam.summary.diverged_at, Some(2));
        assert!(r.runs[2].epochs.is_empty() && !r.runs[2].ended);
    }

    #[test]
    fn a_rate_change_is_kept_at_the_epoch_it_took_effect() {
        let rec = recorded(Protocol::Fair);
        let adam = &rec.runs()[1];
        assert_eq!(
            adam.lr_changes,
            vec![LearningRateChange {
                after_epoch: 1,
                lr: 0.003
            }]
        );
        assert_eq!(adam.learning_rate_at(1, 0.01), 0.01);
        assert_eq!(adam.learning_rate_at(2, 0.01), 0.003);
        // A second change after the same epoch replaces it; later ones stay in order.
        let mut rec = rec;
        for (slot, epoch, lr) in [(1, 3, 0.2), (1, 1, 0.004), (1, 0, 0.1), (9, 0, 0.1)] {
            rec.observe(&Event::LearningRate {
                generation: 2,
                slot,
                epoch,
                lr,
            });
        }
        let record = SessionRecord::of(&rec);
        let changes: Vec<(u32, f64)> = (record.runs[1].lr_changes.iter())
            .map(|c| (c.after_epoch, c.lr))
            .collect();
        assert_eq!(changes, [(0, 0.1), (1, 0.004), (3, 0.2)]);
        let json = serde_json::to_string(&record.runs[1].lr_changes).unwrap();
        assert_eq!(
            json,
            r#"[{"after_epoch":0,"lr":0.1},{"after_epoch":1,"lr":0.004},{"after_epoch":3,"lr":0.2}]"#
        );
    }

    #[test]
    fn record_to_events_to_record_is_the_identity_under_both_protocols() {
        for protocol in [Protocol::Fair, Protocol::Chain] {
            let original = SessionRecord::of(&recorded(protocol));
            original.check().expect("a recorded session is valid");
            let mut again = SessionModel::new(original.settings.clone(), original.data.clone());
            for event in original.replay() {
                again.observe(&event);
            }
            let mut copy = SessionRecord::of(&again);
            copy.started_unix = original.started_unix;
            assert_eq!(copy, original);
            let text = serde_json::to_string(&original).unwrap();
            let parsed: SessionRecord = serde_json::from_str(&text).expect("parses");
            assert_eq!(parsed, original);
            assert_eq!(serde_json::to_string(&parsed).unwrap(), text);
        }
    }

    #[test]
    fn replay_interleaves_like_the_protocol_did() {
        let order = |protocol| -> Vec<(usize, u32)> {
            (SessionRecord::of(&recorded(protocol)).replay().iter())
                .filter_map(|e| match e {
                    Event::Epoch { slot, report, .. } => Some((*slot, report.epoch)),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            order(Protocol::Fair),
            [(0, 1), (1, 1), (0, 2), (1, 2), (0, 3), (0, 4)]
        );
        assert_eq!(
            order(Protocol::Chain),
            [(0, 1), (0, 2), (0, 3), (0, 4), (1, 1), (1, 2)]
        );
    }

    type Spoil = fn(&mut SessionRecord);

    #[test]
    fn inconsistent_records_are_refused_with_the_reason() {
        let good = SessionRecord::of(&recorded(Protocol::Fair));
        let cases: [(&str, Spoil); 6] = [
            ("format 2", |r| r.format = 2),
            ("settings.optimizers", |r| r.runs.swap(0, 1)),
            ("count 1, 2, 3", |r| r.runs[0].epochs[1].epoch = 7),
            ("null exactly when", |r| r.runs[0].epochs[0].loss = None),
            ("add up to", |r| r.runs[0].summary.best_epoch = 3),
            ("increasing after_epoch", |r| {
                r.runs[1].lr_changes[0].after_epoch = 4
            }),
        ];
        for (needle, spoil) in cases {
            let mut bad = good.clone();
            spoil(&mut bad);
            let why = bad.check().expect_err(needle);
            assert!(why.contains(needle), "{why}");
        }
    }
}
