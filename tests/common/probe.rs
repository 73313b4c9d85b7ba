//! Watches a running gate while a test does something hostile to it (issue 16): an app
//! sends `Notify` and a front end asks the status, one after the other, for as long as
//! the probe runs, and the slowest answer is kept. Also the gate's resident memory.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long one call may take before the probe counts the gate as frozen.
const FROZEN: Duration = Duration::from_secs(5);

/// A running probe (see the module documentation).
pub struct Probe {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<(Duration, usize)>,
}

/// What a probe saw.
#[derive(Debug)]
pub struct Seen {
    /// The slowest answer to one call, `Notify` or status.
    pub slowest: Duration,
    /// How many `Notify` and status pairs were answered.
    pub answered: usize,
}

impl Probe {
    /// Starts probing the gate on the session bus at `address`.
    pub async fn start(address: &str) -> Probe {
        let conn = zbus::connection::Builder::address(address)
            .build()
            .await
            .expect("session bus");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let task = tokio::spawn(async move {
            let control = couper::control::CouperProxy::new(&conn)
                .await
                .expect("the control interface");
            let (mut slowest, mut answered) = (Duration::ZERO, 0);
            while !stopped.load(Ordering::SeqCst) {
                let asked = Instant::now();
                let body = (
                    "whatsapp",
                    0u32,
                    "",
                    "probe",
                    "still there?",
                    Vec::<&str>::new(),
                    HashMap::<&str, zbus::Variant<'_>>::new(),
                    -1i32,
                );
                let notify = conn.call_method(
                    Some("org.freedesktop.Notifications"),
                    "/org/freedesktop/Notifications",
                    Some("org.freedesktop.Notifications"),
                    "Notify",
                    &body,
                );
                let notified = tokio::time::timeout(FROZEN, notify).await;
                slowest = slowest.max(asked.elapsed());
                let asked = Instant::now();
                let status = tokio::time::timeout(FROZEN, control.status()).await;
                slowest = slowest.max(asked.elapsed());
                assert!(
                    notified.is_ok() && status.is_ok(),
                    "the gate did not answer within {FROZEN:?}"
                );
                answered += 1;
            }
            (slowest, answered)
        });
        Probe { stop, task }
    }

    /// Stops the probe and says what it saw.
    pub async fn finish(self) -> Seen {
        self.stop.store(true, Ordering::SeqCst);
        let (slowest, answered) = self.task.await.expect("the probe");
        Seen { slowest, answered }
    }
}

/// The resident memory of process `pid`, in MiB (`VmRSS` in `/proc/PID/status`).
pub fn resident_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("its status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS");
    kib / 1024
}

/// Sends SIGTERM to `couper run` and waits until it ends, as a service manager stops it.
pub async fn stops_on_sigterm(process: &mut tokio::process::Child) {
    let pid = process.id().expect("a running gate");
    // SAFETY: kill(2) on a process this test started.
    assert_eq!(unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) }, 0);
    tokio::time::timeout(Duration::from_secs(20), process.wait())
        .await
        .expect("couper run stops on SIGTERM")
        .expect("its status");
}
