//! Reading a file the user names (the settings file, a calendar given as a path) so that
//! the file cannot decide how long the read takes or how much memory it costs: a FIFO
//! in its place must not block the gate until someone writes to it, and `/dev/zero`
//! must not fill the memory. The file is opened without blocking, refused unless it is a
//! regular file (a symlink to one is fine), and read up to a cap.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest settings file read (a long keyword list is a few MiB at most).
pub const SETTINGS_MAX_BYTES: u64 = 4 * 1024 * 1024;
/// The largest calendar file read (as over HTTP).
pub const CALENDAR_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Why a user's file was not read.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot read: {why}", path.display())]
pub struct ReadError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub why: Refused,
}

/// Why a file was refused, without its path.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// Opening or reading failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A FIFO, a device, a directory, a socket.
    #[error("it is {0}, not a regular file")]
    NotRegular(&'static str),
    /// Larger than the cap.
    #[error("it is larger than {} MiB, the most Couper reads", .0 / (1024 * 1024))]
    TooLarge(u64),
    /// Not UTF-8 text.
    #[error("it is not UTF-8 text")]
    NotText,
}

impl ReadError {
    /// `path: cannot read: why`, in `lang` (Display says it in English, for the logs).
    pub fn said(&self, lang: crate::words::Lang) -> String {
        crate::t!(
            lang,
            "userfile-cannot-read",
            path = self.path.display().to_string(),
            why = self.why.said(lang)
        )
    }

    /// Whether the file does not exist (a missing settings file means the defaults).
    pub fn is_missing(&self) -> bool {
        matches!(&self.why, Refused::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

impl Refused {
    /// Why, in `lang` (an I/O error keeps the system's words).
    pub fn said(&self, lang: crate::words::Lang) -> String {
        use crate::t;
        match self {
            Refused::Io(e) => e.to_string(),
            Refused::NotRegular(kind) => {
                let kind = match *kind {
                    "a FIFO" => t!(lang, "userfile-kind-fifo"),
                    "a device" => t!(lang, "userfile-kind-device"),
                    "a socket" => t!(lang, "userfile-kind-socket"),
                    "a directory" => t!(lang, "userfile-kind-directory"),
                    _ => t!(lang, "userfile-kind-other"),
                };
                t!(lang, "userfile-not-regular", kind = kind)
            }
            Refused::TooLarge(max) => t!(lang, "userfile-too-large", mib = max / (1024 * 1024)),
            Refused::NotText => t!(lang, "userfile-not-text"),
        }
    }
}

/// Reads the text of the regular file at `path`, at most `max_bytes` of it; never blocks
/// on a FIFO or a device, and refuses anything but a regular file.
pub fn read(path: &Path, max_bytes: u64) -> Result<String, ReadError> {
    read_refused(path, max_bytes).map_err(|why| ReadError {
        path: path.to_path_buf(),
        why,
    })
}

fn read_refused(path: &Path, max_bytes: u64) -> Result<String, Refused> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a
    // writer. O_NOCTTY: a terminal named here does not become ours.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    // What was opened, not what the path names now (fstat, not stat).
    let meta = file.metadata()?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(Refused::NotRegular(kind_name(kind)));
    }
    if meta.len() > max_bytes {
        return Err(Refused::TooLarge(max_bytes));
    }
    // The file may grow while it is read: never more than the cap.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(Refused::TooLarge(max_bytes));
    }
    String::from_utf8(bytes).map_err(|_| Refused::NotText)
}

/// What a file that is not a regular file is, in a few words.
fn kind_name(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    fn fifo(path: &Path) {
        let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: mkfifo(3) with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    }

    #[test]
    fn a_regular_file_and_a_symlink_to_one_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.toml");
        std::fs::write(&file, "timezone = \"UTC\"\n").unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert_eq!(read(&file, 100).unwrap(), "timezone = \"UTC\"\n");
        assert_eq!(read(&link, 100).unwrap(), "timezone = \"UTC\"\n");
    }

    #[test]
    fn a_fifo_is_refused_at_once_without_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        fifo(&path);
        let error = read(&path, SETTINGS_MAX_BYTES).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{}: cannot read: it is a FIFO, not a regular file",
                path.display()
            )
        );
    }

    #[test]
    fn dev_zero_and_a_directory_are_refused() {
        let error = read(Path::new("/dev/zero"), SETTINGS_MAX_BYTES).unwrap_err();
        assert_eq!(
            error.to_string(),
            "/dev/zero: cannot read: it is a device, not a regular file"
        );
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path(), 100)
            .unwrap_err()
            .to_string()
            .ends_with("it is a directory, not a regular file"));
    }

    #[test]
    fn a_file_over_the_cap_is_refused_naming_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ics");
        std::fs::write(&path, vec![b'a'; 2 * 1024 * 1024 + 1]).unwrap();
        let error = read(&path, 2 * 1024 * 1024).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{}: cannot read: it is larger than 2 MiB, the most Couper reads",
                path.display()
            )
        );
        assert!(read(&path, 3 * 1024 * 1024).is_ok());
    }

    #[test]
    fn a_refusal_is_said_in_french_too() {
        let error = read(Path::new("/dev/zero"), SETTINGS_MAX_BYTES).unwrap_err();
        assert_eq!(
            error.said(crate::words::Lang::Fr),
            "/dev/zero : lecture impossible : c'est un périphérique, pas un fichier ordinaire"
        );
        assert_eq!(error.said(crate::words::Lang::En), error.to_string());
    }

    #[test]
    fn a_missing_file_says_so() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(&dir.path().join("none"), 100)
            .unwrap_err()
            .is_missing());
    }
}
