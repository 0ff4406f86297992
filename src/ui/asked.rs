//! The learning rates asked of the session and not yet confirmed: `+`/`-` pressed faster
//! than epochs arrive build on each other instead of on the last confirmed rate.

/// Per run, the rate last asked for, until the session confirms it.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct AskedRates(Vec<Option<f64>>);

impl AskedRates {
    /// Nothing asked yet, for `runs` runs.
    pub(crate) fn new(runs: usize) -> Self {
        Self(vec![None; runs])
    }

    /// The rate `run` trains at as far as the user knows: the one asked for if the session
    /// has not confirmed it yet, else `confirmed`.
    pub(crate) fn current(&self, run: usize, confirmed: impl FnOnce() -> f64) -> f64 {
        (self.0.get(run).copied().flatten()).unwrap_or_else(confirmed)
    }

    /// `run` was asked to train at `lr`.
    pub(crate) fn ask(&mut self, run: usize, lr: f64) {
        if let Some(asked) = self.0.get_mut(run) {
            *asked = Some(lr);
        }
    }

    /// The session put `run` on `lr`: if that is what was asked, nothing is pending.
    pub(crate) fn confirm(&mut self, run: usize, lr: f64) {
        if let Some(asked) = self.0.get_mut(run)
            && *asked == Some(lr)
        {
            *asked = None;
        }
    }

    /// Forgets every request (a new generation starts on its own rates).
    pub(crate) fn forget(&mut self) {
        self.0.iter_mut().for_each(|a| *a = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_stands_until_the_session_confirms_it() {
        let mut asked = AskedRates::new(2);
        assert_eq!(asked.current(0, || 0.01), 0.01);
        asked.ask(0, 0.02);
        asked.ask(0, 0.04);
        assert_eq!(asked.current(0, || 0.01), 0.04);
        // An older rate confirmed: the newer request still stands.
        asked.confirm(0, 0.02);
        assert_eq!(asked.current(0, || 0.02), 0.04);
        asked.confirm(0, 0.04);
        assert_eq!(asked.current(0, || 0.04), 0.04);
        assert_eq!(asked.current(1, || 0.5), 0.5);
    }

    #[test]
    fn runs_out_of_range_and_forgetting_are_harmless() {
        let mut asked = AskedRates::new(1);
        asked.ask(5, 1.0);
        asked.confirm(5, 1.0);
        assert_eq!(asked.current(5, || 0.1), 0.1);
        asked.ask(0, 1.0);
        asked.forget();
        assert_eq!(asked.current(0, || 0.1), 0.1);
    }
}
