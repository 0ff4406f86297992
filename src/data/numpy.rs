//! NumPy files as image sets are shipped, told apart by what they hold:
//!
//! * a Keras archive (`mnist.npz`, `fashion_mnist`): `x_train`, `y_train`, `x_test`, `y_test`,
//!   its own test set;
//! * a generic archive: `x` and `y`, or `images` and `labels`, one set;
//! * KMNIST's pairs, `kmnist-train-imgs.npz` and `kmnist-train-labels.npz`, each one array
//!   `arr_0`;
//! * `.npy` pairs: `x_train.npy` with `y_train.npy`, `train_images.npy` with
//!   `train_labels.npy`, `…-imgs.npy` with `…-labels.npy`.
//!
//! A pair's labels file is its images file's name with `x`/`X` → `y`, `images`/`imgs` →
//! `labels`; a pair named `…train…` whose `…test…` twin lies beside it brings that as its
//! test set, as an IDX directory brings its `t10k` files. Archive members are stored or
//! deflated (what `np.savez` and `np.savez_compressed` write); the zip container is `zip`'s.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use super::digits::Digits;
use super::npy;
use crate::error::DataError;

/// Keras' archive members: train images, train labels, test images, test labels.
const KERAS: [&str; 4] = ["x_train", "y_train", "x_test", "y_test"];
/// A generic archive's (images, labels) member names.
const GENERIC: [(&str, &str); 2] = [("x", "y"), ("images", "labels")];
/// The one array of an archive written by `np.savez(file, array)`, as KMNIST's are.
const SINGLE: &str = "arr_0";
/// Name parts that mark an images file, and what its labels file has in their place.
const PARTNERS: [(&str, &str); 4] = [
    ("x", "y"),
    ("X", "y"),
    ("images", "labels"),
    ("imgs", "labels"),
];

/// Whether `path` names a NumPy file (`.npz` or `.npy`), by its extension.
pub(crate) fn is_numpy(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("npz" | "npy"))
}

fn extension(path: &Path) -> Option<String> {
    Some(path.extension()?.to_str()?.to_ascii_lowercase())
}

/// The set in `path`, and its own test set when it brings one: a Keras archive always, a
/// pair named `…train…` when `find_test` and its `…test…` twin exists.
pub(crate) fn load(path: &Path, find_test: bool) -> Result<(Digits, Option<Digits>), DataError> {
    if extension(path).as_deref() == Some("npy") {
        return pair(path, find_test, read_file);
    }
    let mut archive = Archive::open(path)?;
    if let Some(present) = KERAS.iter().find(|k| archive.has(k)) {
        let [x_train, y_train, x_test, y_test] =
            KERAS.map(|key| archive.require(key, present, &KERAS));
        let train = archive.set(x_train?, y_train?)?;
        let test = archive.set(x_test?, y_test?)?;
        return Ok((train, Some(test)));
    }
    for (images, labels) in GENERIC {
        if archive.has(images) || archive.has(labels) {
            let both = [images, labels];
            let x = archive.require(images, images, &both)?;
            let y = archive.require(labels, images, &both)?;
            return Ok((archive.set(x, y)?, None));
        }
    }
    if archive.has(SINGLE) {
        drop(archive);
        return pair(path, find_test, read_single);
    }
    Err(DataError::Layout {
        path: archive.shown,
        found: archive.names.join(", "),
    })
}

/// An images file, its labels file beside it, and (when asked) the test twin of both, each
/// file's one array read by `read`.
fn pair(
    images: &Path,
    find_test: bool,
    read: impl Fn(&Path) -> Result<(Vec<u8>, String), DataError>,
) -> Result<(Digits, Option<Digits>), DataError> {
    let one = |images: &Path| {
        let labels = partner(images)?;
        if !labels.is_file() {
            return Err(DataError::NoLabels {
                path: images.display().to_string(),
                labels: labels.display().to_string(),
            });
        }
        let ((x, x_what), (y, y_what)) = (read(images)?, read(&labels)?);
        npy::set((x, &x_what), (&y, &y_what), &images.display().to_string())
    };
    let train = one(images)?;
    let twin = (find_test.then(|| renamed(images, &[("train", "test")]))).flatten();
    let test = twin.filter(|t| t.is_file()).map(|t| one(&t)).transpose()?;
    Ok((train, test))
}

/// The labels file of an images file: its name with the images part swapped for labels.
fn partner(images: &Path) -> Result<PathBuf, DataError> {
    renamed(images, &PARTNERS).ok_or_else(|| DataError::Unpaired {
        path: images.display().to_string(),
    })
}

/// `path` with the first part of its file name (split at `-`, `_` and `.`) that is one of the
/// `swaps`' first halves replaced by its second.
fn renamed(path: &Path, swaps: &[(&str, &str)]) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let mut start = 0;
    for (end, c) in name.char_indices().chain([(name.len(), '.')]) {
        if matches!(c, '-' | '_' | '.') {
            let part = &name[start..end];
            if let Some((_, to)) = swaps.iter().find(|(from, _)| *from == part) {
                return Some(path.with_file_name(format!(
                    "{}{to}{}",
                    &name[..start],
                    &name[end..]
                )));
            }
            start = end + 1;
        }
    }
    None
}

/// A `.npy` file's bytes and how messages name it.
fn read_file(path: &Path) -> Result<(Vec<u8>, String), DataError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| DataError::Io {
        path: shown.clone(),
        source,
    })?;
    Ok((bytes, shown))
}

/// The `arr_0` of a one-array archive (one half of a KMNIST pair).
fn read_single(path: &Path) -> Result<(Vec<u8>, String), DataError> {
    let mut archive = Archive::open(path)?;
    let name = archive.require(SINGLE, SINGLE, &[SINGLE])?;
    let what = archive.what(&name);
    Ok((archive.read(&name)?, what))
}

/// An open `.npz` archive and the names of its members.
struct Archive {
    zip: ZipArchive<File>,
    names: Vec<String>,
    shown: String,
}

impl Archive {
    fn open(path: &Path) -> Result<Self, DataError> {
        let shown = path.display().to_string();
        let file = File::open(path).map_err(|source| DataError::Io {
            path: shown.clone(),
            source,
        })?;
        let zip = ZipArchive::new(file).map_err(|e| DataError::Archive {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let names = (zip.file_names().map(|n| n.map(|n| n.into_owned())))
            .collect::<Result<_, _>>()
            .map_err(|e| DataError::Archive {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
        Ok(Self { zip, names, shown })
    }

    /// The member holding array `key` (`key.npy`, or `key` as some writers store it).
    fn member(&self, key: &str) -> Option<String> {
        let npy = format!("{key}.npy");
        (self.names.iter())
            .find(|n| **n == npy || *n == key)
            .cloned()
    }

    fn has(&self, key: &str) -> bool {
        self.member(key).is_some()
    }

    /// The member for `key` of a layout recognised by `seen`, or which one is missing.
    fn require(&self, key: &str, seen: &str, layout: &[&str]) -> Result<String, DataError> {
        self.member(key).ok_or_else(|| DataError::MissingMember {
            path: self.shown.clone(),
            member: format!("{key}.npy"),
            seen: format!("{seen}.npy"),
            layout: layout.join(", "),
        })
    }

    /// How messages name a member.
    fn what(&self, member: &str) -> String {
        format!("{}, member {member}", self.shown)
    }

    /// A member's bytes, decompressed and checked against its CRC.
    fn read(&mut self, member: &str) -> Result<Vec<u8>, DataError> {
        let what = self.what(member);
        let unreadable = |e: &dyn std::fmt::Display| DataError::Array {
            what: what.clone(),
            rule: format!("cannot be read: {e}"),
        };
        let mut file = self.zip.by_name(member).map_err(|e| unreadable(&e))?;
        // The size is the archive's claim: a hint, capped, never trusted for memory.
        let hint = usize::try_from(file.size()).unwrap_or(0).min(1 << 28);
        let mut bytes = Vec::with_capacity(hint);
        file.read_to_end(&mut bytes).map_err(|e| unreadable(&e))?;
        Ok(bytes)
    }

    /// The set of an images member and a labels member of this archive.
    fn set(&mut self, images: String, labels: String) -> Result<Digits, DataError> {
        let (x, y) = (self.read(&images)?, self.read(&labels)?);
        let (x_what, y_what) = (self.what(&images), self.what(&labels));
        npy::set((x, &x_what), (&y, &y_what), &self.shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_swap_one_name_part() {
        let swap = |name: &str| renamed(Path::new(name), &PARTNERS);
        assert_eq!(swap("d/x_train.npy"), Some("d/y_train.npy".into()));
        assert_eq!(swap("X.npy"), Some("y.npy".into()));
        assert_eq!(swap("train_images.npy"), Some("train_labels.npy".into()));
        assert_eq!(
            swap("kmnist-train-imgs.npz"),
            Some("kmnist-train-labels.npz".into())
        );
        assert_eq!(
            swap("k49-test-imgs.npz"),
            Some("k49-test-labels.npz".into())
        );
        assert_eq!(swap("y_train.npy"), None);
        assert_eq!(swap("xray.npy"), None);
        let twin = renamed(Path::new("kmnist-train-imgs.npz"), &[("train", "test")]);
        assert_eq!(twin, Some("kmnist-test-imgs.npz".into()));
    }
}
