//! Typed errors with messages that name the file, line or flag and the rule that was broken.

use thiserror::Error;

/// A data file that cannot be used.
#[derive(Debug, Error)]
pub enum DataError {
    /// The file could not be read at all.
    #[error("cannot read data file {path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is binary or not UTF-8.
    #[error("{path}: the data file is not text (expected CSV)")]
    NotText {
        /// The path as given.
        path: String,
    },
    /// No rows at all.
    #[error("{path}: the data file is empty")]
    Empty {
        /// The path as given.
        path: String,
    },
    /// A line without 65 cells.
    #[error(
        "{path}:{line}: expected 65 comma-separated values (64 pixels and a label), found {found}"
    )]
    Columns {
        /// The path as given.
        path: String,
        /// 1-based line number.
        line: usize,
        /// Cells found.
        found: usize,
    },
    /// A cell that is not a non-negative integer.
    #[error("{path}:{line}: column {column}: '{text}' is not a whole number")]
    NotNumber {
        /// The path as given.
        path: String,
        /// 1-based line number.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The cell's text.
        text: String,
    },
    /// A pixel outside 0..16.
    #[error("{path}:{line}: pixel {column} is {value}; pixels must be 0..16")]
    Pixel {
        /// The path as given.
        path: String,
        /// 1-based line number.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The value found.
        value: u32,
    },
    /// A label outside 0..9.
    #[error("{path}:{line}: label is {value}; labels must be 0..9")]
    Label {
        /// The path as given.
        path: String,
        /// 1-based line number.
        line: usize,
        /// The value found.
        value: u32,
    },
    /// Fewer rows than a split needs.
    #[error("{path}: {rows} rows; at least 10 are needed")]
    TooFewRows {
        /// The path as given.
        path: String,
        /// Rows found.
        rows: usize,
    },
}

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

/// Anything that ends the program unsuccessfully, with a one-line message.
#[derive(Debug, Error)]
pub enum RunError {
    /// A training worker failed; the screen showed it, the shell gets it too.
    #[error("training failed: {0}")]
    Training(String),
    /// Flags that are valid one by one but not together.
    #[error("{0}")]
    Invalid(String),
    /// The data file.
    #[error(transparent)]
    Data(#[from] DataError),
    /// Writing output or driving the terminal.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// `--export` could not write, or `--open` could not read, a session file.
    #[error(transparent)]
    Export(#[from] ExportError),
}

impl RunError {
    /// 1 when training itself failed, 2 when the input, an output file or the terminal was the
    /// problem, so a script can tell a bad invocation from a bad run.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Training(_) => 1,
            Self::Invalid(_) | Self::Data(_) | Self::Io(_) | Self::Export(_) => 2,
        }
    }
}
