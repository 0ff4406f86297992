//! The landscape walkers against the numpy reference (`bench/landscape_numpy.py`, which wrote
//! `tests/data/landscape.json`): every case's path to the last bit, and each function's
//! default start and rates (what `landscape FUNCTION` walks) are reference cases. The binary's
//! `--json` of those defaults is checked in `tests/cli/landscape.rs`.

use std::sync::OnceLock;

use serde::Deserialize;

use super::readings::point_bits;
use crate::landscape::{Function, Walker};
use crate::nn::{Hyper, OptimizerKind};

#[derive(Deserialize)]
struct Case {
    function: Function,
    optimizer: OptimizerKind,
    start: (f64, f64),
    lr: f64,
    steps: u32,
    diverged: bool,
    points: Vec<String>,
}

impl Case {
    /// Each point's x, y and f bits.
    fn bits(&self) -> Vec<[u64; 3]> {
        self.points.iter().map(|p| point_bits(p)).collect()
    }

    fn name(&self) -> String {
        format!(
            "{:?} {:?} lr {} from {:?}",
            self.function, self.optimizer, self.lr, self.start
        )
    }
}

fn cases() -> &'static [Case] {
    #[derive(Deserialize)]
    struct Doc {
        cases: Vec<Case>,
    }
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/landscape.json");
        let text = std::fs::read_to_string(path).expect("the fixture");
        serde_json::from_str::<Doc>(&text)
            .expect("the fixture parses")
            .cases
    })
}

#[test]
fn every_path_is_numpys_to_the_last_bit() {
    let cases = cases();
    assert!(cases.len() >= 100 && cases.iter().filter(|c| c.diverged).count() >= 4);
    for function in Function::ALL {
        for kind in OptimizerKind::ALL {
            assert!(
                (cases.iter()).any(|c| c.function == function && c.optimizer == kind),
                "{function:?} × {kind:?} is covered"
            );
        }
    }
    for case in cases {
        let hyper = Hyper {
            lr: case.lr,
            ..Hyper::default()
        };
        let walker = Walker::new(case.function, case.optimizer, hyper, case.start);
        let walker = walker.walk(case.steps);
        let ours: Vec<[u64; 3]> = (walker.points().iter())
            .map(|p| [p.x.to_bits(), p.y.to_bits(), p.f.to_bits()])
            .collect();
        assert_eq!(ours, case.bits(), "{}", case.name());
        assert_eq!(walker.diverged(), case.diverged, "{}", case.name());
    }
}

#[test]
fn every_functions_defaults_are_numpy_cases() {
    for function in Function::ALL {
        for kind in OptimizerKind::ALL {
            let defaults = (cases().iter()).filter(|c| {
                (c.function, c.optimizer, c.start) == (function, kind, function.start())
                    && c.lr == function.rate(kind)
            });
            assert_eq!(defaults.count(), 1, "{function:?} × {kind:?}");
        }
    }
}
