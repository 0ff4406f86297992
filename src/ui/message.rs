//! What crosses between the loop and [`App::update`](super::app::App::update): the
//! [`Message`]s that come in (keys, clicks, sizes, session events, background results, loaded
//! data, the clock) and the [`Effect`]s that go out for the loop to carry out.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ratatui::layout::{Position, Rect};

use crate::data::Dataset;
use crate::data::source::DataSource;
use crate::engine::{Command, Event, Outcome};
use crate::train::Settings;

use super::background::Background;
use super::intent::Intent;

/// Everything that reaches [`App::update`](super::app::App::update): what a key means, and what arrives with data
/// (clicks, sizes, session events, background results, loaded data, the clock).
#[derive(Clone, Debug)]
pub(crate) enum Message {
    /// A key's intent.
    Key(Intent),
    /// A left click at a terminal cell.
    Click(Position),
    /// The terminal now has this size.
    Resize(Rect),
    /// Something happened in the training session.
    Session(Event),
    /// Wall time since the dashboard started.
    Tick(Duration),
    /// Show a one-line notice in the status bar (an export's outcome, say).
    Notice(String),
    /// One run of the seeds or the sweep view's background runs finished (or failed).
    Background(Background, Outcome),
    /// A background job's sweep has trained this many epochs in all (every frame): progress
    /// within its runs and its rate.
    JobEpochs(Background, u64),
    /// A mouse press or drag at a cell: paints the canvas pixel under it (erases if `erase`).
    Paint {
        /// The cell.
        at: Position,
        /// Right button: erase.
        erase: bool,
    },
    /// The data an applied panel asked for would not load (the loader's message): nothing
    /// restarts, and the panel opens again with its edits (answers [`Effect::Load`]).
    LoadFailed(String),
    /// The data an applied panel asked for is loaded: restart on it (answers
    /// [`Effect::Load`]).
    Loaded {
        /// The panel's settings.
        settings: Box<Settings>,
        /// Where the data came from, as records name it.
        source: DataSource,
        /// The data.
        data: Arc<Dataset>,
    },
}

impl From<Intent> for Message {
    fn from(intent: Intent) -> Self {
        Self::Key(intent)
    }
}

/// What the loop must do for the app: the app decides, the loop (which owns the session, the
/// file system and the background sweep) carries it out.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Effect {
    /// Tell the training session.
    Send(Command),
    /// Write the session to `path`, then report with [`Message::Notice`].
    Export(PathBuf),
    /// Load the data `source` names, then report with [`Message::Loaded`] (or, if it fails,
    /// [`Message::LoadFailed`]).
    Load {
        /// The settings to restart with once it is loaded.
        settings: Box<Settings>,
        /// What to load.
        source: DataSource,
    },
    /// Start a view's background runs beside the session: these seeds, at these rates (none:
    /// the session's own rate), replacing any it had. Afterwards the loop pauses, resumes or
    /// drops them as their [`JobState`](super::background::JobState) says, every frame.
    StartBackground {
        /// Whose runs.
        which: Background,
        /// The seeds.
        seeds: Vec<u32>,
        /// The learning rates.
        rates: Vec<f64>,
    },
}
