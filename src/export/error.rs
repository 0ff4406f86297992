//! How writing or reading a session file fails, with the path in every message: an export
//! error belongs with the export, above the core's errors.

use thiserror::Error;

/// A session file that could not be written or read back.
#[derive(Debug, Error)]
pub enum ExportError {
    /// Writing failed (missing or read-only directory, disk full...); the target is untouched.
    #[error("cannot write session to {path}: {source}")]
    Write {
        /// The path as given.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file could not be read at all.
    #[error("cannot read session file {path}: {source}")]
    Read {
        /// The path as given.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not a session this version understands, or inconsistent within itself.
    #[error("{path}: not a usable digits-tui session: {reason}")]
    Invalid {
        /// The path as given.
        path: String,
        /// What is wrong, with serde's line and column when it is the JSON.
        reason: String,
    },
}
