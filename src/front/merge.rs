//! `digits-tui merge PARTS… [--json]`: the partial documents of a sharded `compare` or
//! `sweep`, added up and printed exactly as the unsharded run prints them, byte for byte.

use std::path::{Path, PathBuf};

use super::document::Document;
use super::runs::Streams;
use super::shard::{self, Kind};
use super::{compare, sweep};
use crate::exit::RunError;

/// Reads and checks `parts` (see [`shard::merge`]), then prints the table or, with `json`, the
/// document the unsharded run would have printed.
pub(crate) fn combine(
    parts: &[PathBuf],
    json: bool,
    streams: &mut Streams<'_>,
) -> Result<(), RunError> {
    parts.iter().try_for_each(|part| partial_kind(part))?;
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

/// Refuses a part that is not a partial document, naming the kind it is (when it is one of
/// the outputs digits-tui writes) rather than the fields serde missed. A file that cannot be
/// read is left to [`shard::merge`] to name.
fn partial_kind(path: &Path) -> Result<(), RunError> {
    let Ok(bytes) = std::fs::read(path) else {
        return Ok(());
    };
    let (shown, wanted) = (path.display(), Document::Partial.name());
    let given = match Document::of(&bytes) {
        Some(Document::Partial) => return Ok(()),
        Some(kind) => kind.name().to_owned(),
        None => match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
            Ok(_) => "JSON of none of the kinds digits-tui writes".to_owned(),
            Err(e) => format!("not JSON ({e})"),
        },
    };
    Err(RunError::Invalid(format!(
        "{shown}: {given}, not {wanted}: merge adds up the parts --shard writes"
    )))
}
