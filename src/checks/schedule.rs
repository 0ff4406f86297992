//! How a session shares its workers among runs: the run furthest behind trains next, so more
//! runs than workers advance round by round and no worker waits on the two-epoch window.

use std::sync::Arc;
use std::time::Duration;

use crate::data::Dataset;
use crate::engine::{Event, Session, Speed};
use crate::train::{Contender, Settings};

#[test]
fn one_worker_trains_three_runs_round_by_round() {
    let settings = Settings {
        epochs: 3,
        optimizers: vec![Contender::Sgd, Contender::Momentum, Contender::Adagrad],
        ..Settings::default()
    };
    let session = Session::start_with(
        settings,
        Arc::new(Dataset::lab()),
        false,
        Speed::Unlimited,
        1,
    );
    let mut landed = Vec::new();
    loop {
        let event = session
            .events()
            .recv_timeout(Duration::from_secs(60))
            .expect("the session reports");
        match event {
            Event::Epoch { slot, report, .. } => landed.push((slot, report.epoch)),
            Event::Finished { .. } => break,
            Event::Failed { message } => panic!("training failed: {message}"),
            _ => {}
        }
    }
    let rounds: Vec<(usize, u32)> = (1..=3)
        .flat_map(|epoch| (0..3).map(move |slot| (slot, epoch)))
        .collect();
    assert_eq!(landed, rounds);
}
