//! What a test of an atomic write needs of a directory: its entries, and a switch that makes
//! it read-only. Shared with the library's own checks (`src/checks/session_file.rs` compiles
//! it in), so both sides look at a failed write the same way.

use std::path::Path;

/// The names in `dir` (none if it cannot be read).
pub(crate) fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Makes `dir` read-only, or writable again.
#[cfg(unix)]
pub(crate) fn set_read_only(dir: &Path, read_only: bool) {
    use std::os::unix::fs::PermissionsExt;
    let mode = if read_only { 0o555 } else { 0o755 };
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Makes `dir` read-only, or writable again.
#[cfg(not(unix))]
pub(crate) fn set_read_only(dir: &Path, read_only: bool) {
    let mut perms = std::fs::metadata(dir).expect("metadata").permissions();
    perms.set_readonly(read_only);
    std::fs::set_permissions(dir, perms).expect("permissions");
}
