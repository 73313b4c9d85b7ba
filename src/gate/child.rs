//! The gate's child processes (its private `dbus-daemon` and the display daemon) end with
//! Couper, whatever way Couper ends.
//!
//! On a normal stop Couper sends them SIGTERM and waits a little. If Couper is killed (even
//! with kill -9) the kernel sends them SIGTERM itself: each child asks for it with
//! `prctl(PR_SET_PDEATHSIG)` before it execs. That signal follows the *thread* that spawned
//! the child, so the gate spawns them from the task that calls [`super::start`], which runs
//! on a runtime thread that lives as long as the runtime (never from `spawn_blocking`, whose
//! threads come and go). Only the direct child is covered: a display command that is a
//! wrapper script forking its daemon would leave the daemon behind.

use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::process::{Child, Command};

use super::GateError;

/// How long a child has to end after SIGTERM before it gets SIGKILL.
const GRACE: Duration = Duration::from_secs(3);

/// A command whose process gets SIGTERM when Couper dies. Its stdin is closed; its stdout
/// and stderr are Couper's unless the caller changes them.
pub(crate) fn tied_to_couper(program: &str) -> Command {
    let mut command = Command::new(program);
    command.stdin(Stdio::null()).kill_on_drop(true);
    let parent = std::process::id();
    // SAFETY: the closure runs in the child between fork and exec; it calls only
    // async-signal-safe functions (prctl, getppid) and allocates only on its error path,
    // which reports a plain errno.
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Couper may have died between fork and prctl: then nobody will send the signal.
            if u32::try_from(libc::getppid()).ok() != Some(parent) {
                return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
    command
}

/// Spawns `command`, naming `program` if it cannot be started.
pub(crate) fn spawn(command: &mut Command, program: &str) -> Result<Child, GateError> {
    command.spawn().map_err(|source| GateError::Spawn {
        program: program.to_string(),
        source,
    })
}

/// Ends `child`: SIGTERM, then SIGKILL after a grace period. Returns how it ended, if known.
pub(crate) async fn stop(child: &mut Child) -> Option<ExitStatus> {
    if let Ok(Some(status)) = child.try_wait() {
        return Some(status);
    }
    if let Some(pid) = child.id().and_then(|pid| libc::pid_t::try_from(pid).ok()) {
        // SAFETY: plain kill(2) on our own child, which has not been reaped yet (try_wait
        // above saw it running), so the pid is still its.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
    }
    match tokio::time::timeout(GRACE, child.wait()).await {
        Ok(status) => status.ok(),
        Err(_) => {
            let _ = child.start_kill();
            child.wait().await.ok()
        }
    }
}

/// How a child ended, in words.
pub(crate) fn status_text(status: std::io::Result<ExitStatus>) -> String {
    match status {
        Ok(status) => status.to_string(),
        Err(e) => format!("unknown: {e}"),
    }
}

/// The parent of process `pid`, from `/proc/PID/stat`.
pub(crate) fn parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses.
    let after = stat.rsplit_once(')')?.1;
    after.split_whitespace().nth(1)?.parse().ok()
}
