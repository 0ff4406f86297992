//! digits-tui: the OPT_dist lab's digits network and five optimizers, reproduced bit for bit
//! and trained live.
//!
//! The core ([`rng`], [`data`], [`nn`], [`train`]) knows nothing of terminals; [`headless`] and
//! the dashboard in [`ui`] are two ways of watching the same training session.

pub mod data;
pub mod error;
pub mod nn;
pub mod rng;
pub mod train;
