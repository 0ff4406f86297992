//! The four landscapes, each value and gradient written exactly as the issue states them and
//! evaluated left to right in f64 (so `100·d·d` is `(100·d)·d`), as the numpy fixture does.

use serde::Deserialize;

use crate::nn::OptimizerKind;

/// A 2-D function to descend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Function {
    /// `x·x/20 + y·y`: a long, narrow valley (twenty times flatter along x).
    Bowl,
    /// `(1 − x)² + 100·(y − x·x)²`: a curved, flat-bottomed valley to (1, 1).
    Rosenbrock,
    /// `(x·x + y − 11)² + (x + y·y − 7)²`: four minima, a maximum near (−0.27, −0.92).
    Himmelblau,
    /// `x·x − y·y`: a saddle at the origin, unbounded below along y.
    Saddle,
}

/// The rectangle a landscape is drawn over: where its paths do what they are known for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Bounds {
    /// Smallest and largest x.
    pub x: (f64, f64),
    /// Smallest and largest y.
    pub y: (f64, f64),
}

impl Function {
    /// All four, in the order the view's `f` key cycles through them.
    pub const ALL: [Self; 4] = [Self::Bowl, Self::Rosenbrock, Self::Himmelblau, Self::Saddle];

    /// The name on the command line and in the view.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Bowl => "bowl",
            Self::Rosenbrock => "rosenbrock",
            Self::Himmelblau => "himmelblau",
            Self::Saddle => "saddle",
        }
    }

    /// The formula, as the view's title and the table's header write it.
    pub(crate) fn formula(self) -> &'static str {
        match self {
            Self::Bowl => "f = x·x/20 + y·y",
            Self::Rosenbrock => "f = (1 − x)² + 100·d·d, d = y − x·x",
            Self::Himmelblau => "f = a·a + b·b, a = x·x + y − 11, b = x + y·y − 7",
            Self::Saddle => "f = x·x − y·y",
        }
    }

    /// f at (x, y).
    pub(crate) fn value(self, x: f64, y: f64) -> f64 {
        match self {
            Self::Bowl => x * x / 20.0 + y * y,
            Self::Rosenbrock => {
                let d = y - x * x;
                (1.0 - x) * (1.0 - x) + 100.0 * d * d
            }
            Self::Himmelblau => {
                let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
                a * a + b * b
            }
            Self::Saddle => x * x - y * y,
        }
    }

    /// ∇f at (x, y).
    pub(crate) fn gradient(self, x: f64, y: f64) -> [f64; 2] {
        match self {
            Self::Bowl => [x / 10.0, 2.0 * y],
            Self::Rosenbrock => {
                let d = y - x * x;
                [-2.0 * (1.0 - x) - 400.0 * x * d, 200.0 * d]
            }
            Self::Himmelblau => {
                let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
                [4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b]
            }
            Self::Saddle => [2.0 * x, -2.0 * y],
        }
    }

    /// Where the paths start unless told otherwise: the textbook's (−7, 2) on the bowl and
    /// (−1.2, 1) on Rosenbrock's valley; beside Himmelblau's maximum, where the rules part
    /// towards different minima; just off the saddle's ridge, so each rule must escape it.
    pub(crate) fn start(self) -> (f64, f64) {
        match self {
            Self::Bowl => (-7.0, 2.0),
            Self::Rosenbrock => (-1.2, 1.0),
            Self::Himmelblau => (-0.3, -0.9),
            Self::Saddle => (-1.0, 0.001),
        }
    }

    /// Each rule's default learning rate here: on the bowl the textbook figure's (SGD 0.95,
    /// Momentum 0.1, AdaGrad 1.5, Adam 0.3; RMSProp 0.2), elsewhere rates at which every
    /// rule gets somewhere in [`Function::steps`] steps without diverging.
    pub(crate) fn rate(self, kind: OptimizerKind) -> f64 {
        use OptimizerKind::{Adagrad, Adam, Momentum, Rmsprop, Sgd};
        match (self, kind) {
            (Self::Bowl, Sgd) => 0.95,
            (Self::Bowl, Momentum) => 0.1,
            (Self::Bowl, Adagrad) => 1.5,
            (Self::Bowl, Rmsprop) => 0.2,
            (Self::Bowl, Adam) => 0.3,
            (Self::Rosenbrock, Sgd) => 0.002,
            (Self::Rosenbrock, Momentum) => 0.001,
            (Self::Rosenbrock, Adagrad) => 1.0,
            (Self::Rosenbrock, Rmsprop) => 0.003,
            (Self::Rosenbrock, Adam) => 0.1,
            (Self::Himmelblau, Sgd) => 0.01,
            (Self::Himmelblau, Momentum) => 0.002,
            (Self::Himmelblau, Adagrad) => 0.5,
            (Self::Himmelblau, Rmsprop) => 0.02,
            (Self::Himmelblau, Adam) => 0.1,
            (Self::Saddle, Sgd) => 0.1,
            (Self::Saddle, Momentum) => 0.01,
            (Self::Saddle, Adagrad) => 0.5,
            (Self::Saddle, Rmsprop) => 0.05,
            (Self::Saddle, Adam) => 0.1,
        }
    }

    /// Steps the subcommand takes and the view runs to, unless told otherwise: Rosenbrock's
    /// valley takes a thousand, the others far fewer.
    pub(crate) fn steps(self) -> u32 {
        match self {
            Self::Bowl => 100,
            Self::Rosenbrock => 1000,
            Self::Himmelblau => 200,
            Self::Saddle => 50,
        }
    }

    /// The smallest value, if there is one (the saddle falls without end).
    pub(crate) fn minimum(self) -> Option<f64> {
        match self {
            Self::Saddle => None,
            _ => Some(0.0),
        }
    }

    /// The height level sets are cut on at (x, y): log(1 + f − min) where there is a minimum
    /// (so a valley's floor gets as many levels as its walls), f itself on the saddle.
    pub(crate) fn height(self, x: f64, y: f64) -> f64 {
        let f = self.value(x, y);
        match self.minimum() {
            Some(min) => (f - min).ln_1p(),
            None => f,
        }
    }

    /// What the view and `plot` draw.
    pub(crate) fn bounds(self) -> Bounds {
        let (x, y) = match self {
            Self::Bowl => ((-10.0, 10.0), (-5.0, 5.0)),
            Self::Rosenbrock => ((-2.0, 2.0), (-1.0, 3.0)),
            Self::Himmelblau => ((-5.0, 5.0), (-5.0, 5.0)),
            Self::Saddle => ((-2.0, 2.0), (-2.0, 2.0)),
        };
        Bounds { x, y }
    }

    /// The next (`forward`) or previous function, wrapping.
    pub(crate) fn cycle(self, forward: bool) -> Self {
        let i = Self::ALL.iter().position(|&f| f == self).unwrap_or(0);
        let n = Self::ALL.len();
        Self::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }

    /// The function whose values `points` (x, y, f) are, bit for bit, if one is: how `plot`
    /// tells which landscape a `landscape --json` file walked.
    pub(crate) fn of_points(points: &[(f64, f64, f64)]) -> Option<Self> {
        let fits = |function: Self| {
            (points.iter())
                .filter(|(x, y, f)| x.is_finite() && y.is_finite() && f.is_finite())
                .all(|&(x, y, f)| function.value(x, y).to_bits() == f.to_bits())
        };
        Self::ALL.into_iter().find(|&function| fits(function))
    }
}

impl Bounds {
    /// Whether (x, y) is inside.
    pub(crate) fn contains(&self, (x, y): (f64, f64)) -> bool {
        (self.x.0..=self.x.1).contains(&x) && (self.y.0..=self.y.1).contains(&y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradients_agree_with_finite_differences() {
        let h = 1e-6;
        for function in Function::ALL {
            for (x, y) in [(0.3, -0.7), (-1.2, 1.0), (2.0, 0.5)] {
                let [gx, gy] = function.gradient(x, y);
                let dx = (function.value(x + h, y) - function.value(x - h, y)) / (2.0 * h);
                let dy = (function.value(x, y + h) - function.value(x, y - h)) / (2.0 * h);
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-5 * (1.0 + b.abs());
                assert!(close(gx, dx) && close(gy, dy), "{function:?} at ({x}, {y})");
            }
        }
    }

    #[test]
    fn minima_are_where_the_functions_say() {
        assert_eq!(Function::Bowl.value(0.0, 0.0), 0.0);
        assert_eq!(Function::Rosenbrock.value(1.0, 1.0), 0.0);
        assert_eq!(Function::Himmelblau.value(3.0, 2.0), 0.0);
        assert_eq!(Function::Rosenbrock.gradient(1.0, 1.0), [0.0, 0.0]);
        assert_eq!(Function::Saddle.minimum(), None);
    }

    #[test]
    fn points_name_their_function_and_only_it() {
        for function in Function::ALL {
            let points: Vec<_> = [(0.5, 1.5), (-2.0, 0.25)]
                .iter()
                .map(|&(x, y)| (x, y, function.value(x, y)))
                .collect();
            assert_eq!(Function::of_points(&points), Some(function));
        }
        assert_eq!(Function::of_points(&[(1.0, 1.0, 42.0)]), None);
        assert_eq!(Function::Saddle.cycle(true), Function::Bowl);
        assert_eq!(Function::Bowl.cycle(false), Function::Saddle);
    }
}
