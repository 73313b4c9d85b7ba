//! Hostile files for the tests of issue 16: a FIFO where a file should be, and a guard
//! that fails a test whose call blocks instead of hanging it.
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

/// Makes a FIFO at `path` (removing what was there).
pub fn make_fifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("a path");
    // SAFETY: mkfifo(3) with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo");
}

/// Runs `f` on a thread of its own and waits for it at most 10 s: a call that blocks
/// fails the test instead of hanging it.
pub fn in_time<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("{what} did not return"))
}
