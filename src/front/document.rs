//! What kind of saved output a file is, told from its keys: `plot` draws by it and `merge`
//! names it when it is not the kind it adds up, instead of leaking serde's field list.

use serde_json::Value;

/// The kinds of file digits-tui writes that other commands read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Document {
    /// `--export`'s session file.
    Session,
    /// `compare --json`.
    Compare,
    /// `sweep --json`.
    Sweep,
    /// One shard of `compare --shard` or `sweep --shard`.
    Partial,
    /// `landscape --json`'s lines.
    Landscape,
}

impl Document {
    /// The kind `bytes` are, or `None` for anything else (a config file, not JSON).
    pub(crate) fn of(bytes: &[u8]) -> Option<Self> {
        let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let line = serde_json::from_slice::<Value>(first).ok();
        if line.is_some_and(|v| v.get("optimizer").is_some() && v.get("step").is_some()) {
            return Some(Self::Landscape);
        }
        let value: Value = serde_json::from_slice(bytes).ok()?;
        let has = |key: &str| value.get(key).is_some();
        if has("partial") {
            Some(Self::Partial)
        } else if has("format") && has("runs") {
            Some(Self::Session)
        } else if ["rates", "inits", "activations", "weight_decays"]
            .iter()
            .any(|k| has(k))
        {
            Some(Self::Sweep)
        } else if has("results") && has("summary") {
            Some(Self::Compare)
        } else {
            None
        }
    }

    /// The kind as messages name it: "a session file (--export)".
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Session => "a session file (--export)",
            Self::Compare => "compare --json output",
            Self::Sweep => "sweep --json output",
            Self::Partial => "a partial document of compare --shard or sweep --shard",
            Self::Landscape => "landscape --json output",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_by_their_keys() {
        for (text, kind) in [
            (r#"{"format": 1, "runs": []}"#, Some(Document::Session)),
            (
                r#"{"epochs": 5, "results": [], "summary": []}"#,
                Some(Document::Compare),
            ),
            (
                r#"{"rates": [0.1], "results": [], "summary": []}"#,
                Some(Document::Sweep),
            ),
            (
                r#"{"partial": "sweep", "rates": [0.1]}"#,
                Some(Document::Partial),
            ),
            (
                "{\"optimizer\": \"sgd\", \"step\": 0}\n{}",
                Some(Document::Landscape),
            ),
            (r#"{"epochs": 5}"#, None),
            ("not json", None),
        ] {
            assert_eq!(Document::of(text.as_bytes()), kind, "{text}");
        }
    }
}
