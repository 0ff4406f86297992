//! How the program ends unsuccessfully: one error for every front end, with its exit code.

use thiserror::Error;

use crate::error::DataError;
use crate::export::ExportError;

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
    /// A stop signal ended the dashboard: the shell's status for it (128 + the signal's
    /// number), so a script can tell a stopped session from a finished one.
    #[error("stopped by {name}")]
    Stopped {
        /// The signal, as `kill -l` names it.
        name: &'static str,
        /// The exit status.
        status: u8,
    },
}

impl RunError {
    /// 1 when training itself failed, 2 when the input, an output file or the terminal was the
    /// problem, so a script can tell a bad invocation from a bad run; 128 + N after signal N.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Stopped { status, .. } => *status,
            Self::Training(_) => 1,
            Self::Invalid(_) | Self::Data(_) | Self::Io(_) | Self::Export(_) => 2,
        }
    }
}
