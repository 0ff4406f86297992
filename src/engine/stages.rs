//! The lab's chain protocol, written once for the session and for sweeps: which runs start at
//! once, and how a waiting stage starts from the one before it.
//!
//! Under the fair protocol every contender starts from the seed. Under the chain protocol the
//! lab's optimizers train one after another on one network: the first starts from the seed,
//! each later one continues the previous stage's weights, optimizer state and random stream
//! once it ends. A stage after a divergence has nothing to continue from and never starts.
//! The baseline never chains.

use std::sync::Arc;

use crate::data::Dataset;
use crate::train::{Contender, Protocol, Settings, Trainer};

/// Whether `contenders[i]` waits for an earlier stage (true) or starts from the seed.
pub(crate) fn waits(settings: &Settings) -> Vec<bool> {
    let chain = settings.protocol == Protocol::Chain;
    let mut first_stage = true;
    (settings.optimizers.iter())
        .map(|c| {
            let lab = chain && c.optimizer().is_some();
            let waits = lab && !first_stage;
            first_stage &= !lab;
            waits
        })
        .collect()
}

/// The runs that start at once, as [`waits`] says, each fresh from `settings.seed`; `None`
/// for a stage that waits.
pub(crate) fn starters(settings: &Settings, data: &Arc<Dataset>) -> Vec<Option<Trainer>> {
    (settings.optimizers.iter().zip(waits(settings)))
        .map(|(&c, waits)| (!waits).then(|| Trainer::new(c, settings, Arc::clone(data))))
        .collect()
}

/// The next stage, `next`, continuing from `previous` as it ended; `None` when there is
/// nothing to continue from (the previous stage diverged, or `next` is not a lab optimizer).
pub(crate) fn continue_stage(
    previous: &Trainer,
    diverged: bool,
    next: Contender,
    settings: &Settings,
) -> Option<Trainer> {
    if diverged {
        return None;
    }
    next.optimizer()
        .and_then(|kind| previous.continue_as(kind, settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_later_lab_stages_wait_and_only_under_the_chain() {
        use Contender::*;
        let mut settings = Settings {
            optimizers: vec![Mlp, Sgd, Adam, Momentum],
            ..Settings::default()
        };
        assert_eq!(waits(&settings), [false, false, false, false]);
        settings.protocol = Protocol::Chain;
        assert_eq!(waits(&settings), [false, false, true, true]);
    }
}
