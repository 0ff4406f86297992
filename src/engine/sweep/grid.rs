//! What a sweep varies: the learning rate, or one of the knobs (initialisation, activation,
//! weight decay), over a grid of values in the order given. A job trains at one [`Value`];
//! results, curves, shards and documents are keyed by it, so a knob sweep prints, plots and
//! merges like a rate sweep, and a rate sweep's documents keep their keys (`"rates"`, `"lr"`).

use serde::{Deserialize, Serialize, Serializer};

use crate::nn::{Activation, Init};
use crate::train::Settings;

/// A setting a sweep can vary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Knob {
    /// `--lr` (the baseline's `learning_rate_init`).
    Lr,
    /// `--init`.
    Init,
    /// `--activation`.
    Activation,
    /// `--weight-decay`.
    WeightDecay,
}

impl Knob {
    /// Every knob, as `--grid` lists them.
    pub(crate) const ALL: [Self; 4] = [Self::Lr, Self::Init, Self::Activation, Self::WeightDecay];

    /// The flag's name without dashes, which `--grid NAME=…` takes too.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Lr => "lr",
            Self::Init => "init",
            Self::Activation => "activation",
            Self::WeightDecay => "weight-decay",
        }
    }

    /// The JSON key a value of it goes by (a result's `"init": "he"`, a curve's `best_init`).
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::Lr => "lr",
            Self::Init => "init",
            Self::Activation => "activation",
            Self::WeightDecay => "weight_decay",
        }
    }

    /// Whether it shapes scikit-learn's baseline too (its activation and learning_rate_init);
    /// the baseline keeps its own initialisation and its own L2 term, `alpha`.
    pub(crate) fn applies_to_baseline(self) -> bool {
        matches!(self, Self::Lr | Self::Activation)
    }
}

/// One value of a knob: what one job trains at. In JSON a key-value pair, `"lr": 0.01` or
/// `"init": "he"`, flattened into the result or point it keys.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A learning rate.
    Lr(f64),
    /// An initialisation.
    Init(Init),
    /// A hidden activation.
    Activation(Activation),
    /// A weight decay λ.
    WeightDecay(f64),
}

impl Value {
    /// The knob it is a value of.
    #[cfg(test)]
    pub(crate) fn knob(self) -> Knob {
        match self {
            Self::Lr(_) => Knob::Lr,
            Self::Init(_) => Knob::Init,
            Self::Activation(_) => Knob::Activation,
            Self::WeightDecay(_) => Knob::WeightDecay,
        }
    }

    /// `settings` with this value in place of their own.
    pub(crate) fn apply(self, settings: &mut Settings) {
        match self {
            Self::Lr(lr) => settings.hyper.lr = lr,
            Self::Init(init) => settings.init = init,
            Self::Activation(activation) => settings.activation = activation,
            Self::WeightDecay(lambda) => settings.weight_decay = lambda,
        }
    }

    /// A total order's key (knob, then the value's bits or place), for sorting run identities.
    pub(crate) fn order(self) -> (u8, u64) {
        match self {
            Self::Lr(x) => (0, x.to_bits()),
            Self::Init(i) => (
                1,
                Init::ALL.iter().position(|&a| a == i).unwrap_or(0) as u64,
            ),
            Self::Activation(a) => (
                2,
                (Activation::ALL.iter().position(|&b| b == a)).unwrap_or(0) as u64,
            ),
            Self::WeightDecay(x) => (3, x.to_bits()),
        }
    }

    /// The value as a number for an axis: a rate or a weight decay; `None` for a name.
    pub(crate) fn number(self) -> Option<f64> {
        match self {
            Self::Lr(x) | Self::WeightDecay(x) => Some(x),
            Self::Init(_) | Self::Activation(_) => None,
        }
    }

    /// The value without its knob's name, for fields whose key names the knob already
    /// (`"best_init": "he"`).
    pub(crate) fn bare(self) -> impl Serialize {
        Bare(self)
    }
}

/// A [`Value`] serialized as its payload alone.
struct Bare(Value);

impl Serialize for Bare {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Lr(x) | Value::WeightDecay(x) => s.serialize_f64(x),
            Value::Init(init) => init.serialize(s),
            Value::Activation(activation) => activation.serialize(s),
        }
    }
}

/// The values a sweep tries, all of one knob, in the order given (rates and weight decays
/// increasing). In a document a key-value pair flattened into it: `"rates": […]` as before
/// knobs could be swept, `"inits"`, `"activations"` or `"weight_decays"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Grid {
    /// Learning rates.
    #[serde(rename = "rates")]
    Lr(Vec<f64>),
    /// Initialisations.
    #[serde(rename = "inits")]
    Init(Vec<Init>),
    /// Hidden activations.
    #[serde(rename = "activations")]
    Activation(Vec<Activation>),
    /// Weight decays.
    #[serde(rename = "weight_decays")]
    WeightDecay(Vec<f64>),
}

impl Grid {
    /// The knob it varies.
    pub(crate) fn knob(&self) -> Knob {
        match self {
            Self::Lr(_) => Knob::Lr,
            Self::Init(_) => Knob::Init,
            Self::Activation(_) => Knob::Activation,
            Self::WeightDecay(_) => Knob::WeightDecay,
        }
    }

    /// Its values, in its order.
    pub(crate) fn values(&self) -> Vec<Value> {
        match self {
            Self::Lr(v) => v.iter().map(|&x| Value::Lr(x)).collect(),
            Self::Init(v) => v.iter().map(|&x| Value::Init(x)).collect(),
            Self::Activation(v) => v.iter().map(|&x| Value::Activation(x)).collect(),
            Self::WeightDecay(v) => v.iter().map(|&x| Value::WeightDecay(x)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_key_documents_as_before_for_rates_and_by_name_for_knobs() {
        assert_eq!(text(&Value::Lr(0.01)), r#"{"lr":0.01}"#);
        assert_eq!(text(&Value::Init(Init::He)), r#"{"init":"he"}"#);
        assert_eq!(text(&Value::WeightDecay(0.5)), r#"{"weight_decay":0.5}"#);
        assert_eq!(text(&Grid::Lr(vec![0.1, 1.0])), r#"{"rates":[0.1,1.0]}"#);
        assert_eq!(
            text(&Grid::Activation(vec![Activation::Tanh])),
            r#"{"activations":["tanh"]}"#
        );
        assert_eq!(
            serde_json::to_string(&Value::Activation(Activation::Relu).bare()).unwrap(),
            r#""relu""#
        );
    }

    #[test]
    fn a_value_sets_its_own_setting_only() {
        let mut settings = Settings::default();
        Value::WeightDecay(0.25).apply(&mut settings);
        Value::Init(Init::Xavier).apply(&mut settings);
        let expected = Settings {
            weight_decay: 0.25,
            init: Init::Xavier,
            ..Settings::default()
        };
        assert_eq!(settings, expected);
        let grid = Grid::Init(vec![Init::Lab, Init::He]);
        assert_eq!(
            grid.values(),
            [Value::Init(Init::Lab), Value::Init(Init::He)]
        );
        assert!(grid.values().iter().all(|v| v.knob() == grid.knob()));
    }

    fn text(value: &impl Serialize) -> String {
        serde_json::to_string(value).expect("serializes")
    }
}
