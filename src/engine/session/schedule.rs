//! When runs may train: the flow (running, paused, stepping, halted), the two-epoch window
//! between the fastest and the slowest run, and the pace in epochs per second, read from the
//! coordinator's injected clock.

use std::time::{Duration, Instant};

use crate::engine::pool;
use crate::train::Progress;

use super::coordinator::{Coordinator, Flow};
use super::messages::Speed;
use super::slot::{Done, Slot, Status};

impl Coordinator {
    /// Epoch count of the slowest run still training (ignoring finished ones).
    pub(super) fn slowest(&self) -> u32 {
        self.training().map(|s| s.done).min().unwrap_or(0)
    }

    /// The epoch every run will have reached once in-flight work lands.
    pub(super) fn leading(&self) -> u32 {
        self.training().map(Slot::target).max().unwrap_or(0)
    }

    fn training(&self) -> impl Iterator<Item = &Slot> {
        self.slots.iter().filter(|s| s.status == Status::Training)
    }

    /// Hands eligible runs to idle workers; returns when pacing next allows one to start.
    pub(super) fn schedule(&mut self) -> Option<Instant> {
        let total = self.settings.epochs;
        let leading = self.leading();
        let slowest = self.slowest();
        let (paced_limit, wake) = self.pace_limit();
        // The runs furthest behind go first: with more runs than workers, taking them in list
        // order let the first runs race to the two-epoch limit while the last ones held the
        // window shut, and a worker sat idle (5 runs on 2 workers kept 1.64 cores busy).
        let mut order: Vec<usize> = (0..self.slots.len()).collect();
        order.sort_by_key(|&i| self.slots[i].done);
        for index in order {
            if self.busy >= self.slots_free {
                break;
            }
            let slot = &self.slots[index];
            if slot.status != Status::Training || slot.in_flight() || slot.done >= total {
                continue;
            }
            let next = slot.done + 1;
            let eligible = match self.flow {
                Flow::Running => next <= slowest + 2 && next <= paced_limit,
                // Every run finishes the epochs up to the furthest one started, a run home
                // mid-epoch included: a pause holds all runs at one epoch boundary, so the
                // figures on screen are of one epoch and a step then trains exactly one more.
                Flow::Paused => slot.done < leading,
                Flow::Stepping { to } => next <= to,
                Flow::Halted => false,
            };
            if !eligible {
                continue;
            }
            let Some(mut run) = self.slots[index].trainer.take() else {
                continue;
            };
            self.busy += 1;
            let (generation, done, slice) = (self.generation, self.done_tx.clone(), self.slice);
            self.spawner.live(move || {
                let reply = match pool::train_slice_for(&mut run, slice) {
                    Ok(Progress::Epoch(report)) => Done::Trained {
                        generation,
                        index,
                        trainer: run,
                        report,
                    },
                    Ok(Progress::Batches { done, total }) => Done::Sliced {
                        generation,
                        index,
                        trainer: run,
                        done,
                        total,
                    },
                    Err(message) => Done::Panicked { message },
                };
                // The coordinator gone means the session is over.
                let _ = done.send(reply);
            });
        }
        if let Flow::Stepping { to } = self.flow {
            let all_there = self.slots.iter().all(|s| {
                s.status != Status::Training
                    || (!s.in_flight() && (s.done >= to || s.done >= total))
            });
            if all_there {
                self.flow = Flow::Paused;
            }
        }
        if self.flow == Flow::Running {
            wake
        } else {
            None
        }
    }

    /// The highest epoch pacing allows now, and when it next rises.
    fn pace_limit(&self) -> (u32, Option<Instant>) {
        match self.speed {
            Speed::Unlimited => (u32::MAX, None),
            Speed::PerSecond(rate) => {
                let (at, base) = self.anchor;
                let elapsed = (self.clock)().saturating_duration_since(at).as_secs_f64();
                let earned = (elapsed * rate).floor();
                let limit = base.saturating_add(earned as u32).saturating_add(1);
                let next = at + Duration::from_secs_f64((earned + 1.0) / rate);
                (limit, Some(next))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use crossbeam_channel::unbounded;

    use super::*;
    use crate::data::Dataset;
    use crate::engine::Pool;
    use crate::engine::session::coordinator::Clock;
    use crate::engine::session::messages::Command;
    use crate::train::{Contender, Settings};

    /// Trains what pacing allows at the clock's present time, to the end of every epoch it
    /// started; returns the epochs done.
    fn settle(c: &mut Coordinator) -> u32 {
        loop {
            c.schedule();
            if c.busy == 0 {
                return c.slots[0].done;
            }
            let done = c.done_rx.recv().expect("the worker replies");
            c.land(done);
        }
    }

    #[test]
    fn pacing_follows_the_clock_it_is_handed() {
        let start = Instant::now();
        let offset = Arc::new(Mutex::new(Duration::ZERO));
        let reading = Arc::clone(&offset);
        let clock: Clock = Box::new(move || start + *reading.lock().expect("clock"));
        let at = |seconds: f64| *offset.lock().expect("clock") = Duration::from_secs_f64(seconds);
        let settings = Settings {
            epochs: 10,
            optimizers: vec![Contender::Sgd],
            ..Settings::default()
        };
        let pool = Pool::new(1);
        let (events, _kept) = unbounded();
        let mut c = Coordinator::new(
            settings,
            Arc::new(Dataset::lab()),
            (false, Speed::PerSecond(2.0), clock),
            (pool.spawner(), pool.size()),
            events,
        );
        // At 2 epochs a second: the first epoch at once, the next one at 0.5 s, then 1.0 s.
        assert_eq!(settle(&mut c), 1);
        at(0.4);
        assert_eq!(settle(&mut c), 1, "0.4 s allows no second epoch");
        assert_eq!(c.schedule(), Some(start + Duration::from_millis(500)));
        at(0.6);
        assert_eq!(settle(&mut c), 2, "0.6 s allows the second epoch");
        at(0.99);
        assert_eq!(settle(&mut c), 2);
        at(1.0);
        assert_eq!(settle(&mut c), 3);
        // A new speed paces from the moment it is set.
        c.handle(Command::SetSpeed(Speed::PerSecond(10.0)));
        at(1.05);
        assert_eq!(settle(&mut c), 4);
        at(1.09);
        assert_eq!(settle(&mut c), 4);
        at(1.11);
        assert_eq!(settle(&mut c), 5);
    }
    /// Trains one slice of whatever the scheduler hands out next and lands it.
    fn one_slice(c: &mut Coordinator) {
        c.schedule();
        let done = c.done_rx.recv().expect("the worker replies");
        c.land(done);
    }

    /// Epochs each run reported on `events` so far.
    fn epochs_reported(events: &crossbeam_channel::Receiver<super::super::Event>) -> Vec<usize> {
        let mut per_run = vec![0; 2];
        for event in events.try_iter() {
            if let super::super::Event::Epoch { slot, .. } = event {
                per_run[slot] += 1;
            }
        }
        per_run
    }

    #[test]
    fn a_pause_holds_every_run_at_one_boundary_and_a_step_trains_one_epoch_each() {
        let settings = Settings {
            epochs: 10,
            batch_size: 500,
            optimizers: vec![Contender::Sgd, Contender::Adam],
            ..Settings::default()
        };
        let pool = Pool::new(1);
        let (events, reports) = unbounded();
        let clock: Clock = Box::new(Instant::now);
        let mut c = Coordinator::new(
            settings,
            Arc::new(Dataset::lab()),
            (false, Speed::Unlimited, clock),
            (pool.spawner(), pool.size()),
            events,
        );
        // Every slice one batch (three to an epoch): the pause below falls mid-epoch.
        c.slice = Duration::ZERO;
        // Run 0 trains two epochs, run 1 one and the first batch of its second: paused there,
        // it used to stay at epoch 1 while run 0 showed epoch 2, and a step took it to 3.
        while !(c.slots[0].done == 2 && c.slots[1].done == 1 && c.slots[1].mid_epoch) {
            assert!(c.slots[0].done <= 2, "the schedule took another path");
            one_slice(&mut c);
        }
        c.handle(Command::Pause);
        assert_eq!(settle(&mut c), 2);
        let held: Vec<(u32, bool)> = c.slots.iter().map(|s| (s.done, s.mid_epoch)).collect();
        assert_eq!(held, [(2, false), (2, false)], "paused at one boundary");
        assert_eq!(epochs_reported(&reports), [2, 2]);
        c.handle(Command::Step);
        settle(&mut c);
        let stepped: Vec<u32> = c.slots.iter().map(|s| s.done).collect();
        assert_eq!(stepped, [3, 3]);
        assert_eq!(epochs_reported(&reports), [1, 1], "one epoch each");
        assert_eq!(c.flow, Flow::Paused);
    }
}
