//! Where a session's images came from, as the flags named them: what a session file records
//! so that `--open` can load the same images again.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// What a session trained on, as the flags named it, so `--open` can load the same images.
/// Without `--test-data` and `--transpose-images` it is one string, as in every record
/// written before those flags existed; with either, an object naming the files and the
/// orientation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DataSource {
    /// `embedded` for the digits built into the binary, otherwise the `--data` path as given.
    Single(String),
    /// `--data` (or `embedded`), `--test-data` and `--transpose-images`, as given.
    Files(Files),
}

/// The parts of a [`DataSource::Files`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Files {
    /// `embedded` or the `--data` path.
    pub train: String,
    /// The `--test-data` path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
    /// `--transpose-images`: every image read column by column (EMNIST's IDX files).
    #[serde(default, skip_serializing_if = "is_false")]
    pub transpose: bool,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// How a record names the embedded digits.
const EMBEDDED: &str = "embedded";

impl DataSource {
    /// The `--data` and `--test-data` paths that load these images again (`None` for the
    /// embedded digits and for no test file).
    pub(crate) fn paths(&self) -> (Option<&Path>, Option<&Path>) {
        fn train(s: &str) -> Option<&Path> {
            (s != EMBEDDED).then(|| Path::new(s))
        }
        match self {
            Self::Single(s) => (train(s.as_str()), None),
            Self::Files(f) => (train(f.train.as_str()), f.test.as_deref().map(Path::new)),
        }
    }

    /// Whether the images are transposed as they are read (`--transpose-images`).
    pub(crate) fn transpose(&self) -> bool {
        matches!(self, Self::Files(f) if f.transpose)
    }

    /// The same files, read transposed or not.
    pub(crate) fn transposed(self, transpose: bool) -> Self {
        let (train, test) = match self {
            Self::Single(train) => (train, None),
            Self::Files(f) => (f.train, f.test),
        };
        match (test, transpose) {
            (None, false) => Self::Single(train),
            (test, transpose) => Self::Files(Files {
                train,
                test,
                transpose,
            }),
        }
    }
}

impl std::fmt::Display for DataSource {
    /// As a person names it: `the embedded digits`, a path, or `TRAIN + TEST`, then
    /// `, transposed` when it is.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (train, test) = match self {
            Self::Single(s) => (s, None),
            Self::Files(files) => (&files.train, files.test.as_ref()),
        };
        match train.as_str() {
            EMBEDDED => f.write_str("the embedded digits")?,
            path => f.write_str(path)?,
        }
        if let Some(test) = test {
            write!(f, " + {test}")?;
        }
        if self.transpose() {
            f.write_str(", transposed")?;
        }
        Ok(())
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
pub(crate) fn source(path: Option<&Path>, test: Option<&Path>) -> DataSource {
    let train = path.map_or_else(|| EMBEDDED.to_owned(), |p| p.display().to_string());
    match test {
        None => DataSource::Single(train),
        Some(t) => DataSource::Files(Files {
            train,
            test: Some(t.display().to_string()),
            transpose: false,
        }),
    }
}
