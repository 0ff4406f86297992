//! Who takes part in a session: the lab's five optimizers and scikit-learn's `MLPClassifier`
//! recipe as the baseline the lab compared them with.

use serde::{Deserialize, Serialize};

use crate::nn::OptimizerKind;

/// One entry of the comparison, as `--optimizers` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Contender {
    /// The lab's SGD.
    Sgd,
    /// The lab's Momentum.
    Momentum,
    /// The lab's AdaGrad.
    Adagrad,
    /// The lab's RMSProp.
    Rmsprop,
    /// The lab's Adam.
    Adam,
    /// scikit-learn's `MLPClassifier` recipe (its own fixed settings, batch 200, early stop).
    Mlp,
}

impl Contender {
    /// Everything, in the dashboard's order: the lab's optimizers, then the baseline.
    pub const ALL: [Self; 6] = [
        Self::Sgd,
        Self::Momentum,
        Self::Adagrad,
        Self::Rmsprop,
        Self::Adam,
        Self::Mlp,
    ];

    /// The lab optimizer this trains with, or `None` for the scikit-learn baseline.
    pub fn optimizer(self) -> Option<OptimizerKind> {
        match self {
            Self::Sgd => Some(OptimizerKind::Sgd),
            Self::Momentum => Some(OptimizerKind::Momentum),
            Self::Adagrad => Some(OptimizerKind::Adagrad),
            Self::Rmsprop => Some(OptimizerKind::Rmsprop),
            Self::Adam => Some(OptimizerKind::Adam),
            Self::Mlp => None,
        }
    }

    /// The lower-case name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        self.optimizer().map_or("mlp", OptimizerKind::name)
    }

    /// The name as tables and chart titles print it.
    pub fn label(self) -> &'static str {
        self.optimizer()
            .map_or("MLP (sklearn)", OptimizerKind::label)
    }

    /// Two letters for the tight "other runs" column of the digit tiles.
    pub fn short(self) -> &'static str {
        match self {
            Self::Sgd => "SG",
            Self::Momentum => "Mo",
            Self::Adagrad => "AG",
            Self::Rmsprop => "RP",
            Self::Adam => "Ad",
            Self::Mlp => "ML",
        }
    }
}

impl From<OptimizerKind> for Contender {
    fn from(kind: OptimizerKind) -> Self {
        match kind {
            OptimizerKind::Sgd => Self::Sgd,
            OptimizerKind::Momentum => Self::Momentum,
            OptimizerKind::Adagrad => Self::Adagrad,
            OptimizerKind::Rmsprop => Self::Rmsprop,
            OptimizerKind::Adam => Self::Adam,
        }
    }
}

/// How the lab's optimizers share a starting point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// Every optimizer starts from the same initial weights and sees the same batch order.
    #[default]
    Fair,
    /// The lab's actual sequence: each optimizer continues from the weights, optimizer state
    /// and random stream the previous one left, one after another.
    Chain,
}

impl Protocol {
    /// Both, as the settings list them.
    pub const ALL: [Self; 2] = [Self::Fair, Self::Chain];

    /// The lower-case name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Fair => "fair",
            Self::Chain => "chain",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_the_optimizers() {
        for kind in OptimizerKind::ALL {
            let c = Contender::from(kind);
            assert_eq!((c.optimizer(), c.name()), (Some(kind), kind.name()));
        }
        assert_eq!(Contender::Mlp.optimizer(), None);
        assert_eq!(Contender::Mlp.label(), "MLP (sklearn)");
        let json = serde_json::to_string(&Contender::ALL).unwrap();
        assert_eq!(
            json,
            r#"["sgd","momentum","adagrad","rmsprop","adam","mlp"]"#
        );
    }
}
