//! Couper's private message bus: a `dbus-daemon` of its own on which the display daemon runs,
//! so that the daemon hears only what Couper forwards.
//!
//! The bus has its own small configuration in a temporary directory (the socket lives there
//! too): no service directories, so nothing is ever activated on it (not even Couper
//! itself), and no system-wide file is read or changed.

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
        let dir = tempfile::Builder::new()
            .prefix("couper-bus-")
            .tempdir_in(runtime_dir())
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
