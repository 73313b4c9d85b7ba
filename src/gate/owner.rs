//! Who holds `org.freedesktop.Notifications` when Couper starts, and whether it is Couper's
//! to replace.
//!
//! At login any app that notifies before Couper's autostart makes D-Bus activation start
//! the plain daemon: nobody asked for that one, Couper was merely not there yet, so Couper
//! takes the name over and runs the same daemon behind itself. A daemon the user started
//! (`exec mako` in a sway config) is theirs: Couper names it and takes over only when told
//! (`couper run --replace`, or the tray's button).
//!
//! A daemon was started by activation when the bus left its marks on it: dbus-daemon sets
//! `DBUS_STARTER_BUS_TYPE` / `DBUS_STARTER_ADDRESS` in an activated service's environment
//! and is its parent; systemd activation runs it in the unit the activation file names
//! (`SystemdService=`) or, with dbus-broker, in a transient `dbus-:…` unit.

use std::path::PathBuf;

use zbus::Connection;

use super::child::parent;
use super::display::{self, name_owner};
use super::GateError;

/// The program holding the notification name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// Its unique bus name.
    pub unique: String,
    /// Its process, when the bus tells.
    pub pid: Option<u32>,
    /// Its program's name (`dunst`), else its bus name.
    pub program: String,
    /// Its command line, to run the same daemon behind Couper.
    pub argv: Vec<String>,
    /// D-Bus activation started it (nobody asked for it).
    pub activated: bool,
}

/// The holder of the notification name on `session`, if any.
pub async fn holder(session: &Connection) -> Result<Option<Holder>, GateError> {
    let Some(unique) = name_owner(session).await.map_err(GateError::SessionBus)? else {
        return Ok(None);
    };
    let pid = super::proxies::bus(session)
        .await
        .map_err(GateError::SessionBus)?
        .get_connection_unix_process_id(zbus::names::BusName::from(unique.as_ref()))
        .await
        .ok();
    let argv = pid.map(cmdline).unwrap_or_default();
    let program = argv
        .first()
        .and_then(|a| a.rsplit('/').next())
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .or_else(|| pid.and_then(comm))
        .unwrap_or_else(|| unique.to_string());
    let activated = pid.is_some_and(|pid| activated(pid, &display::service_dirs()));
    Ok(Some(Holder {
        unique: unique.to_string(),
        pid,
        program,
        argv,
        activated,
    }))
}

impl Holder {
    /// The refusal that names it.
    pub fn taken(&self) -> GateError {
        GateError::NameTaken {
            owner: self.program.clone(),
            pid: self.pid,
        }
    }
}

fn cmdline(pid: u32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|raw| {
            raw.split(|b| *b == 0)
                .filter(|a| !a.is_empty())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn comm(pid: u32) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
}

/// Whether process `pid` bears the marks of D-Bus activation (see the module's comment).
/// `dirs` are the activation directories, for the units they name.
fn activated(pid: u32, dirs: &[PathBuf]) -> bool {
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
    let starter = environ.split(|b| *b == 0).any(|var| {
        var.starts_with(b"DBUS_STARTER_BUS_TYPE=") || var.starts_with(b"DBUS_STARTER_ADDRESS=")
    });
    let parent_is_bus = parent(pid)
        .and_then(comm)
        .is_some_and(|c| c == "dbus-daemon" || c.starts_with("dbus-daemon-lau"));
    let unit = std::fs::read_to_string(format!("/proc/{pid}/cgroup"))
        .ok()
        .and_then(|text| unit_of(&text));
    let activation_unit = unit.as_deref().is_some_and(|unit| {
        unit.starts_with("dbus-:") || display::systemd_units(dirs).iter().any(|u| u == unit)
    });
    starter || parent_is_bus || activation_unit
}

/// The systemd unit a process runs in, from its `/proc/PID/cgroup` (the last `*.service`
/// of the unified hierarchy's path).
fn unit_of(cgroup: &str) -> Option<String> {
    let path = cgroup
        .lines()
        .find_map(|l| l.strip_prefix("0::"))
        .or_else(|| cgroup.lines().find_map(|l| l.split(':').nth(2)))?;
    path.rsplit('/')
        .find(|part| part.ends_with(".service"))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_is_read_from_the_unified_cgroup() {
        assert_eq!(
            unit_of(
                "0::/user.slice/user-1000.slice/user@1000.service/session.slice/dunst.service\n"
            ),
            Some("dunst.service".into())
        );
        assert_eq!(
            unit_of("0::/user.slice/user-1000.slice/user@1000.service/app.slice/dbus-:1.2-org.freedesktop.Notifications@0.service"),
            Some("dbus-:1.2-org.freedesktop.Notifications@0.service".into())
        );
        // A process of a login session, not of a unit of its own (sway's `exec mako`).
        assert_eq!(
            unit_of("0::/user.slice/user-1000.slice/session-2.scope\n"),
            None
        );
    }

    #[test]
    fn a_parent_is_read_past_a_command_name_with_spaces() {
        let me = std::process::id();
        let parent = parent(me).unwrap();
        assert!(parent > 0);
        // SAFETY: getppid cannot fail.
        assert_eq!(parent, unsafe { libc::getppid() } as u32);
    }

    #[test]
    fn a_process_started_by_hand_is_not_activated() {
        // This test process: no starter variables (unless the test runner was activated),
        // its parent is no bus.
        let environ = std::fs::read(format!("/proc/{}/environ", std::process::id())).unwrap();
        let has_starter = environ
            .split(|b| *b == 0)
            .any(|v| v.starts_with(b"DBUS_STARTER_"));
        if !has_starter {
            assert!(!activated(std::process::id(), &[]));
        }
    }
}
