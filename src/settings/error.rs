//! The settings' error: a `--config` file, or a flag given with `--open`, that cannot be used.

use thiserror::Error;

/// A `--config` file that cannot be used. Every message names the file, and the key when one
/// is at fault, so a typo in a long file is found at once.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// A flag that means nothing for what was asked (training settings with `--open`).
    #[error("--{flag} does not apply {context}")]
    DoesNotApply {
        /// The flag, without dashes.
        flag: String,
        /// Why: what it was given with.
        context: &'static str,
    },
    /// The file could not be read at all.
    #[error("cannot read config file {path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not JSON, or not a JSON object.
    #[error("{path}: {reason}")]
    Syntax {
        /// The path as given.
        path: String,
        /// serde's message with line and column, or what the top level should be.
        reason: String,
    },
    /// A key that is not a setting (a typo would otherwise be silently ignored).
    #[error("{path}: unknown key `{key}`; expected one of: {expected}")]
    UnknownKey {
        /// The path as given.
        path: String,
        /// The key found.
        key: String,
        /// The keys a config file may hold, comma-separated.
        expected: String,
    },
    /// A value the same-named flag would reject.
    #[error("{path}: `{key}` {rule}")]
    Value {
        /// The path as given.
        path: String,
        /// The key whose value is wrong.
        key: String,
        /// The flag's rule, e.g. "must be a finite number greater than 0".
        rule: String,
    },
}
