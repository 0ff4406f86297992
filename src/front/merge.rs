//! `digits-tui merge PARTS… [--json]`: the partial documents of a sharded `compare` or
//! `sweep`, added up and printed exactly as the unsharded run prints them, byte for byte.

use std::path::PathBuf;

use super::runs::Streams;
use super::shard::{self, Kind};
use super::{compare, sweep};
use crate::exit::RunError;

/// Reads and checks `parts` (see [`shard::merge`]), then prints the table or, with `json`, the
/// document the unsharded run would have printed.
pub fn combine(parts: &[PathBuf], json: bool, streams: &mut Streams<'_>) -> Result<(), RunError> {
    let merged = shard::merge(parts)?;
    let text = match (merged.kind, merged.grid) {
        (Kind::Sweep, Some(grid)) => {
            sweep::render(&merged.settings, &merged.seeds, &grid, merged.results, json)?
        }
        (Kind::Sweep, None) => {
            return Err(RunError::Invalid(
                "the parts are of a sweep but name no learning rates".into(),
            ));
        }
        (Kind::Compare, _) => {
            compare::render(&merged.settings, &merged.seeds, merged.results, json)?
        }
    };
    streams.print(&text)
}
