//! One optimizer's path on a landscape: the lab's update rule applied by
//! [`optimizer::apply`] to a 2-element parameter, Adam's `t` counting steps (1, 2, …). A path
//! whose f stops being finite ends there, marked diverged.

use super::Function;
use crate::nn::optimizer::{self, Hyper, Moments, OptimizerKind};

/// Where a path stands after a step: the point and f there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Point {
    /// First coordinate.
    pub x: f64,
    /// Second coordinate.
    pub y: f64,
    /// The function's value there.
    pub f: f64,
}

/// A path being walked: the parameter, the rule's state and every point so far.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Walker {
    function: Function,
    kind: OptimizerKind,
    hyper: Hyper,
    param: [f64; 2],
    grad: [f64; 2],
    moments: Moments,
    points: Vec<Point>,
    diverged: bool,
}

impl Walker {
    /// A path of `kind` with `hyper` (its learning rate included) on `function`, standing at
    /// `start` (step 0).
    pub(crate) fn new(
        function: Function,
        kind: OptimizerKind,
        hyper: Hyper,
        start: (f64, f64),
    ) -> Self {
        let mut walker = Self {
            function,
            kind,
            hyper,
            param: [start.0, start.1],
            grad: [0.0; 2],
            moments: Moments::zeros(2),
            points: Vec::new(),
            diverged: false,
        };
        walker.record();
        walker
    }

    /// Walks `steps` steps (fewer if it diverges) and returns the path.
    pub(crate) fn walk(mut self, steps: u32) -> Self {
        while self.steps() < steps && self.step() {}
        self
    }

    /// One update, unless the path has diverged; returns whether it moved.
    pub(crate) fn step(&mut self) -> bool {
        if self.diverged {
            return false;
        }
        self.grad = self.function.gradient(self.param[0], self.param[1]);
        let t = self.steps() + 1;
        let (param, grad) = (&mut self.param, &self.grad);
        optimizer::apply(self.kind, &self.hyper, t, param, grad, &mut self.moments);
        self.record();
        true
    }

    /// Appends the current point; a non-finite f ends the path.
    fn record(&mut self) {
        let [x, y] = self.param;
        let f = self.function.value(x, y);
        self.points.push(Point { x, y, f });
        self.diverged = !f.is_finite();
    }

    /// Every point from the start (step 0) on.
    pub(crate) fn points(&self) -> &[Point] {
        &self.points
    }

    /// Where the path stands now.
    pub(crate) fn last(&self) -> Point {
        self.points[self.points.len() - 1]
    }

    /// Steps taken so far.
    pub(crate) fn steps(&self) -> u32 {
        (self.points.len() - 1) as u32
    }

    /// Whether f stopped being finite (at the last point).
    pub(crate) fn diverged(&self) -> bool {
        self.diverged
    }

    /// The rule.
    pub(crate) fn kind(&self) -> OptimizerKind {
        self.kind
    }

    /// The learning rate.
    pub(crate) fn lr(&self) -> f64 {
        self.hyper.lr
    }

    /// The first step at which f is within `1e-3` of the function's minimum, if it has one
    /// and the path got there.
    pub(crate) fn first_near_minimum(&self) -> Option<u32> {
        let min = self.function.minimum()?;
        (self.points.iter())
            .position(|p| (p.f - min).abs() <= NEAR_MINIMUM)
            .map(|i| i as u32)
    }
}

/// How close to the minimum f must come for a path to count as there.
pub(crate) const NEAR_MINIMUM: f64 = 1e-3;

#[cfg(test)]
mod tests {
    use super::*;

    fn hyper(lr: f64) -> Hyper {
        Hyper {
            lr,
            ..Hyper::default()
        }
    }

    #[test]
    fn sgd_on_the_bowl_is_the_formula() {
        let w = Walker::new(Function::Bowl, OptimizerKind::Sgd, hyper(0.5), (-7.0, 2.0)).walk(1);
        let p = w.last();
        assert_eq!(
            (p.x, p.y),
            (-7.0 - 0.5 * (-7.0 / 10.0), 2.0 - 0.5 * (2.0 * 2.0))
        );
        assert_eq!(w.steps(), 1);
    }

    #[test]
    fn a_diverging_path_stops_at_the_first_non_finite_f() {
        let w = Walker::new(
            Function::Bowl,
            OptimizerKind::Sgd,
            hyper(1e150),
            (-7.0, 2.0),
        );
        let w = w.walk(100);
        assert!(w.diverged() && !w.last().f.is_finite());
        assert!(
            w.points()[..w.points().len() - 1]
                .iter()
                .all(|p| p.f.is_finite())
        );
        assert!(w.steps() < 100);
    }

    #[test]
    fn adam_reaches_the_bowls_minimum() {
        let w = Walker::new(Function::Bowl, OptimizerKind::Adam, hyper(0.3), (-7.0, 2.0));
        let w = w.walk(100);
        assert!(w.first_near_minimum().is_some_and(|s| s < 100));
    }
}
