//! Session files: everything a session showed (settings, seed, protocol, every run's per-epoch
//! figures, learning-rate changes, the final table) as one JSON document.
//!
//! [`SessionRecord::of`] writes down the [`SessionModel`](crate::model::SessionModel) the dashboard and the headless
//! printer read, so a file always matches what was on screen. [`write_atomic`]
//! never leaves a half-written file behind; [`read`] checks a file before anything shows it, and
//! [`SessionRecord::replay`] turns it back into events, so a finished session can be shown again
//! by the same code that showed it live, without training.
//!
//! Every `f64` is written in its shortest round-tripping form and read back with
//! `float_roundtrip`, so a file reproduces every loss and accuracy bit for bit.
//!
//! Here: `record`, what a file holds and its replay; `check`, what a file must satisfy;
//! `file`, writing and reading on disk; [`csv`], the spreadsheet form; `error`, how it fails.

mod check;
pub(crate) mod csv;
mod error;
mod file;
mod record;

pub(crate) use error::ExportError;
pub(crate) use file::{check_destination, default_path, read, write_atomic};
pub(crate) use record::{RunRecord, SessionRecord};
