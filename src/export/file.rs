//! Session files on disk: written atomically (as JSON, or CSV by extension), read back and
//! checked, and named by default so that exports sort by time.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::ExportError;
use super::check::unsupported;
use super::csv;
use super::record::{FORMAT_VERSION, SessionRecord};

/// Checks before training that `path` could be written: it names a file in a directory that
/// exists, so a typo costs a second, not a whole run. (Permissions and free space can only be
/// known by writing; [`write_atomic`] reports those.)
pub(crate) fn check_destination(path: &Path) -> Result<(), ExportError> {
    let fail = |reason: &str| ExportError::Write {
        path: path.display().to_string(),
        source: io::Error::new(io::ErrorKind::NotFound, reason.to_owned()),
    };
    if path.file_name().is_none() {
        return Err(fail("the path does not name a file"));
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(fail("its directory does not exist"));
    }
    Ok(())
}

/// Writes `record` to `path` so that `path` holds either its old contents or the whole new
/// record, never a mix: the file goes to a temporary file in the same directory, is flushed to
/// disk, then renamed over `path`. A path ending in `.csv` gets the CSV rows of [`csv`], any
/// other the JSON session file. On any failure (missing or read-only directory, disk full)
/// the temporary file is removed and the error names `path`.
pub(crate) fn write_atomic(path: &Path, record: &SessionRecord) -> Result<(), ExportError> {
    let fail = |source| ExportError::Write {
        path: path.display().to_string(),
        source,
    };
    let bytes = if is_csv(path) {
        csv::to_csv(record).into_bytes()
    } else {
        let mut json = serde_json::to_vec(record).map_err(|e| fail(io::Error::other(e)))?;
        json.push(b'\n');
        json
    };
    let name = path.file_name().ok_or_else(|| {
        fail(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path does not name a file",
        ))
    })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let temp = dir.join(temp_name(name));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(fail)?;
    let written = file
        .write_all(&bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&temp, path)
        });
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(fail(e));
    }
    // Makes the rename itself survive a crash; the file is complete either way.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A hidden name no other writer uses: this process, and a counter within it.
fn temp_name(name: &std::ffi::OsStr) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut temp = std::ffi::OsString::from(".");
    temp.push(name);
    temp.push(format!(".{}-{n}.tmp", std::process::id()));
    PathBuf::from(temp)
}

/// Whether `path` asks for the CSV export, by its extension.
fn is_csv(path: &Path) -> bool {
    (path.extension()).is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Reads and checks a session file. Errors name the path, and for broken JSON serde's line and
/// column; a file from a newer format says so rather than listing missing fields.
pub(crate) fn read(path: &Path) -> Result<SessionRecord, ExportError> {
    let shown = || path.display().to_string();
    if is_csv(path) {
        return Err(ExportError::Invalid {
            path: shown(),
            reason: "a CSV export holds the figures only; open the JSON export".into(),
        });
    }
    let bytes = fs::read(path).map_err(|source| ExportError::Read {
        path: shown(),
        source,
    })?;
    let invalid = |reason| ExportError::Invalid {
        path: shown(),
        reason,
    };
    let record: SessionRecord = serde_json::from_slice(&bytes).map_err(|e| {
        #[derive(Deserialize)]
        struct Format {
            format: u32,
        }
        match serde_json::from_slice::<Format>(&bytes) {
            Ok(f) if f.format != FORMAT_VERSION => invalid(unsupported(f.format)),
            _ => invalid(e.to_string()),
        }
    })?;
    record.check().map_err(invalid)?;
    Ok(record)
}

/// Where the dashboard's `e` writes when no path was given: `digits-tui-<seed>-<UTC time>.json`
/// in the current directory, e.g. `digits-tui-7-20250314T092653Z.json`, so exports sort by time
/// and never collide across seeds.
pub(crate) fn default_path(seed: u32) -> PathBuf {
    PathBuf::from(format!("digits-tui-{seed}-{}.json", utc_stamp(unix_now())))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `YYYYMMDDTHHMMSSZ` for seconds since the Unix epoch (Howard Hinnant's civil-from-days).
fn utc_stamp(secs: u64) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_paths_carry_the_seed_and_a_sortable_utc_time() {
        assert_eq!(utc_stamp(0), "19700101T000000Z");
        assert_eq!(utc_stamp(951_827_696), "20000229T123456Z");
        assert_eq!(utc_stamp(1_741_944_413), "20250314T092653Z");
        let name = default_path(42).display().to_string();
        assert!(
            name.starts_with("digits-tui-42-2") && name.ends_with("Z.json"),
            "{name}"
        );
    }
}
