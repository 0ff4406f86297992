//! Where a session's images came from, as the flags named them: what a session file records
//! so that `--open` can load the same images again.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// What a session trained on, as the flags named it, so `--open` can load the same images.
/// Without `--test-data` it is one string, as in every record written before that flag
/// existed; with it, an object naming both files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DataSource {
    /// `embedded` for the digits built into the binary, otherwise the `--data` path as given.
    Single(String),
    /// `--data` (or `embedded`) and `--test-data`, as given.
    WithTest(TrainTest),
}

/// The two halves of a [`DataSource::WithTest`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainTest {
    /// `embedded` or the `--data` path.
    pub train: String,
    /// The `--test-data` path.
    pub test: String,
}

/// How a record names the embedded digits.
const EMBEDDED: &str = "embedded";

impl DataSource {
    /// The `--data` and `--test-data` paths that load these images again (`None` for the
    /// embedded digits and for no test file).
    pub fn paths(&self) -> (Option<&Path>, Option<&Path>) {
        fn train(s: &str) -> Option<&Path> {
            (s != EMBEDDED).then(|| Path::new(s))
        }
        match self {
            Self::Single(s) => (train(s.as_str()), None),
            Self::WithTest(t) => (train(t.train.as_str()), Some(Path::new(&t.test))),
        }
    }
}

impl std::fmt::Display for DataSource {
    /// As a person names it: `embedded digits`, a path, or `TRAIN + TEST`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Single(s) if s == EMBEDDED => f.write_str("the embedded digits"),
            Self::Single(s) => f.write_str(s),
            Self::WithTest(t) => write!(f, "{} + {}", t.train, t.test),
        }
    }
}

impl From<&str> for DataSource {
    fn from(s: &str) -> Self {
        Self::Single(s.to_owned())
    }
}

impl From<String> for DataSource {
    fn from(s: String) -> Self {
        Self::Single(s)
    }
}

impl PartialEq<&str> for DataSource {
    fn eq(&self, other: &&str) -> bool {
        matches!(self, Self::Single(s) if s == other)
    }
}

/// How a record names its data: `embedded` for the digits built into the binary, otherwise
/// the `--data` path as given, and the `--test-data` path when there is one.
pub fn source(path: Option<&Path>, test: Option<&Path>) -> DataSource {
    let train = path.map_or_else(|| EMBEDDED.to_owned(), |p| p.display().to_string());
    match test {
        None => DataSource::Single(train),
        Some(t) => DataSource::WithTest(TrainTest {
            train,
            test: t.display().to_string(),
        }),
    }
}
