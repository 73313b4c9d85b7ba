//! Couper's private message bus: a `dbus-daemon` of its own on which the display daemon runs,
//! so that the daemon hears only what Couper forwards.
//!
//! The bus has its own small configuration in a temporary directory (the socket lives there
//! too): no service directories, so nothing is ever activated on it (not even Couper
//! itself), and no system-wide file is read or changed.
//!
//! That directory is in `$XDG_RUNTIME_DIR` (the temporary directory without one) and is
//! named after the Couper that made it, `couper-bus-PID-XXXXXX`. A kill -9 leaves it behind
//! (the bus dies with Couper, the directory does not): each start removes those whose
//! Couper is gone.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout};

use super::child;
use super::GateError;

const PROGRAM: &str = "dbus-daemon";

/// A running private `dbus-daemon`.
pub(crate) struct PrivateBus {
    pub(crate) child: Child,
    address: String,
    /// Kept open: the daemon printed its address there and may not like a closed pipe.
    _stdout: BufReader<ChildStdout>,
    /// Holds the configuration and the socket; removed when the bus is dropped.
    _dir: tempfile::TempDir,
}

impl PrivateBus {
    /// Starts the bus and waits (at most `timeout`) until it says its address.
    pub(crate) async fn start(timeout: Duration) -> Result<PrivateBus, GateError> {
        let parent = runtime_dir();
        clear_stale(&parent);
        if parent != std::env::temp_dir() {
            // Left there by a Couper that ran without $XDG_RUNTIME_DIR, or by an older one.
            clear_stale(&std::env::temp_dir());
        }
        let dir = tempfile::Builder::new()
            .prefix(&format!("{PREFIX}{}-", std::process::id()))
            .tempdir_in(parent)
            .map_err(|e| failed(format!("cannot make its directory: {e}")))?;
        let config = dir.path().join("bus.conf");
        std::fs::write(&config, bus_config(dir.path()))
            .map_err(|e| failed(format!("cannot write its configuration: {e}")))?;

        let mut command = child::tied_to_couper(PROGRAM);
        command
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped());
        let mut bus = child::spawn(&mut command, PROGRAM)?;
        let Some(stdout) = bus.stdout.take() else {
            let _ = child::stop(&mut bus).await;
            return Err(failed("its output was not captured".into()));
        };
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        let read = tokio::time::timeout(timeout, stdout.read_line(&mut line)).await;
        let address = line.trim().to_string();
        match read {
            Ok(Ok(n)) if n > 0 && !address.is_empty() => Ok(PrivateBus {
                child: bus,
                address,
                _stdout: stdout,
                _dir: dir,
            }),
            Ok(_) => {
                let status = child::status_text(bus.wait().await);
                Err(failed(format!(
                    "it exited ({status}) before giving its address"
                )))
            }
            Err(_) => {
                let _ = child::stop(&mut bus).await;
                Err(failed(format!(
                    "no address within {} s",
                    timeout.as_secs_f32()
                )))
            }
        }
    }

    /// The bus address, for the display daemon's `DBUS_SESSION_BUS_ADDRESS`.
    pub(crate) fn address(&self) -> &str {
        &self.address
    }
}

fn failed(reason: String) -> GateError {
    GateError::PrivateBus { reason }
}

/// `$XDG_RUNTIME_DIR` (private to the user) when there is one, else the temporary directory.
fn runtime_dir() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() && dir.is_dir() => dir,
        _ => std::env::temp_dir(),
    }
}

/// How a bus directory's name starts; the pid of the Couper that made it follows.
const PREFIX: &str = "couper-bus-";

/// How old a directory of an older Couper (no pid in its name) must be before it may be
/// removed: one that is younger may be a bus that is starting.
const LEGACY_AGE: Duration = Duration::from_secs(60);

/// Removes the bus directories in `parent` that no running Couper owns: its pid is gone
/// (an older Couper's, with no pid: no socket in it answers). Only the user's own.
fn clear_stale(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|name| name.strip_prefix(PREFIX)) else {
            continue;
        };
        let path = entry.path();
        if !is_own_dir(&path) {
            continue;
        }
        let stale = match rest.split_once('-') {
            Some((pid, _)) => pid.parse::<u32>().is_ok_and(|pid| !alive(pid)),
            None => unused_legacy(&path),
        };
        if !stale {
            continue;
        }
        match std::fs::remove_dir_all(&path) {
            Ok(()) => {
                tracing::info!(dir = %path.display(), "removed a private bus directory a stopped Couper left")
            }
            Err(e) => {
                tracing::debug!(dir = %path.display(), "cannot remove a stale private bus directory: {e}")
            }
        }
    }
}

/// A directory (not a link to one) that belongs to this user.
fn is_own_dir(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir() && m.uid() == me)
}

/// Whether process `pid` runs (this process counts: it may run a bus already).
fn alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

/// An older Couper's directory that is not new and whose socket (if any) nobody serves.
fn unused_legacy(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let old = std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|at| at.elapsed().is_ok_and(|age| age > LEGACY_AGE));
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    old && entries.flatten().all(|entry| {
        !entry.file_type().is_ok_and(|t| t.is_socket())
            || std::os::unix::net::UnixStream::connect(entry.path()).is_err()
    })
}

fn bus_config(dir: &Path) -> String {
    let dir = xml_escape(&dir.display().to_string());
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<!-- Couper's private bus: only Couper and the display daemon it starts are on it. -->
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <!-- A session bus's limits (dbus's session.conf), not a system bus's 128 calls awaiting
       replies per connection: every call the daemon's tools make through Couper waits on
       Couper's one connection here. -->
  <limit name="max_replies_per_connection">50000</limit>
  <limit name="max_match_rules_per_connection">50000</limit>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pid of a process that has ended.
    fn ended_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn a_start_removes_the_directories_of_a_couper_that_is_gone_and_keeps_the_others() {
        let parent = tempfile::tempdir().unwrap();
        let dir = |name: &str| {
            let path = parent.path().join(name);
            std::fs::create_dir(&path).unwrap();
            std::fs::write(path.join("bus.conf"), "").unwrap();
            path
        };
        let gone = dir(&format!("couper-bus-{}-AbC123", ended_pid()));
        let mine = dir(&format!("couper-bus-{}-AbC123", std::process::id()));
        let init = dir("couper-bus-1-AbC123");
        // An older Couper's (no pid), just made: perhaps a bus that is starting.
        let legacy = dir("couper-bus-Xy7890");
        // Older ones made two minutes ago: one whose bus is gone, one whose bus serves.
        let legacy_gone = dir("couper-bus-Gone12");
        let legacy_served = dir("couper-bus-Serv12");
        let _bus = std::os::unix::net::UnixListener::bind(legacy_served.join("dbus-1")).unwrap();
        drop(std::os::unix::net::UnixListener::bind(legacy_gone.join("dbus-1")).unwrap());
        let two_minutes_ago = std::time::SystemTime::now() - Duration::from_secs(120);
        for old in [&legacy_gone, &legacy_served] {
            let times = std::fs::FileTimes::new().set_modified(two_minutes_ago);
            std::fs::File::open(old).unwrap().set_times(times).unwrap();
        }
        let other = dir("not-couper-1234");

        clear_stale(parent.path());

        assert!(!gone.exists());
        assert!(!legacy_gone.exists());
        for kept in [mine, init, legacy, legacy_served, other] {
            assert!(kept.exists(), "{}", kept.display());
        }
    }
}
