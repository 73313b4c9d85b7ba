//! What can stop the gate, said so that the user knows what to do next.
//!
//! Each message is one line: `couper run` prints it as it is, and the settings window shows
//! it in its diagnostics.

use std::path::PathBuf;
use std::time::Duration;

use super::NOTIFICATIONS;

/// Why the gate could not start, or why it stopped.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    /// Another program owns `org.freedesktop.Notifications` on the session bus.
    #[error("{}", name_taken(owner, *pid))]
    NameTaken {
        /// The program that owns it (its name, or its bus name when the process is unknown).
        owner: String,
        /// Its process id, when the bus would tell.
        pid: Option<u32>,
    },
    /// No D-Bus activation file names a display daemon, and settings name none.
    #[error(
        "no display daemon found: no D-Bus activation file in {} provides {NOTIFICATIONS}; \
         name one in settings ([display] command = [\"dunst\"])",
        paths(searched)
    )]
    NoDisplayDaemon {
        /// The directories searched, in order.
        searched: Vec<PathBuf>,
    },
    /// The only activation file found starts its daemon through systemd, with no `Exec=`.
    #[error(
        "{} starts the display daemon only through systemd ({unit}) and gives no command; \
         name the command in settings ([display] command = [...])",
        file.display()
    )]
    SystemdOnly {
        /// The activation file.
        file: PathBuf,
        /// Its `SystemdService=`.
        unit: String,
    },
    /// The activation files name only daemons that cannot draw in this session.
    #[error(
        "no display daemon fits this session: {} cannot draw here (no Wayland compositor); \
         name one in settings ([display] command = [\"dunst\"])",
        unfit.join(", ")
    )]
    NoneFits {
        /// The daemons passed over.
        unfit: Vec<String>,
    },
    /// Every display daemon found was tried, and none started.
    #[error("no display daemon could start: {}", tried.join("; "))]
    NoneStarted {
        /// Each daemon tried, with why it did not start.
        tried: Vec<String>,
    },
    /// A daemon Couper was to replace did not give the name up.
    #[error(
        "{} did not give {NOTIFICATIONS} up within 5 s of being asked to stop: Couper stands \
         aside; stop it and try again",
        who(owner, *pid)
    )]
    TakeOverFailed {
        /// The program.
        owner: String,
        /// Its process id.
        pid: Option<u32>,
    },
    /// `[display] command` is empty.
    #[error("the [display] command in settings is empty: name a program, e.g. [\"dunst\"]")]
    EmptyCommand,
    /// A program could not be started at all.
    #[error("cannot start {program}: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Couper's private `dbus-daemon` did not start, or stopped.
    #[error("Couper's private D-Bus (dbus-daemon) failed: {reason}")]
    PrivateBus {
        /// What happened.
        reason: String,
    },
    /// The display daemon started but never owned the name on the private bus.
    #[error(
        "the display daemon `{command}` did not take {NOTIFICATIONS} on Couper's private bus \
         within {} s; check that it runs on this display, or name another in settings \
         ([display] command)",
        timeout.as_secs_f32()
    )]
    DisplayNeverOwned {
        /// The command line.
        command: String,
        /// How long Couper waited.
        timeout: Duration,
    },
    /// The display daemon ended.
    #[error("the display daemon `{command}` exited ({status})")]
    DisplayExited {
        /// The command line.
        command: String,
        /// Its exit status.
        status: String,
    },
    /// The session bus could not be reached, or closed.
    #[error("cannot use the session bus: {0}")]
    SessionBus(#[source] zbus::Error),
    /// Another D-Bus failure (mostly on the private bus, talking to the display daemon).
    #[error("D-Bus: {0}")]
    Bus(#[from] zbus::Error),
    /// The gate has stopped: a [`super::GateHandle`] was used after its gate ended.
    #[error("the gate has stopped")]
    Stopped,
}

/// The shells whose notifications cannot be taken over: the steer route is for them.
const SHELLS: [&str; 3] = ["gnome-shell", "plasmashell", "gjs"];

fn who(owner: &str, pid: Option<u32>) -> String {
    match pid {
        Some(pid) => format!("{owner} (pid {pid})"),
        None => owner.to_string(),
    }
}

fn name_taken(owner: &str, pid: Option<u32>) -> String {
    let who = who(owner, pid);
    if SHELLS.contains(&owner) {
        format!(
            "{NOTIFICATIONS} is owned by {who}, the desktop shell's own notifications: the proxy \
             route cannot stand in front of it; Couper never ends another program."
        )
    } else {
        format!(
            "{NOTIFICATIONS} is owned by {who}, which you started: `couper run --replace` puts \
             Couper in front of it (Couper then runs it behind itself), or stop it and run \
             couper run again."
        )
    }
}

fn paths(dirs: &[PathBuf]) -> String {
    let shown: Vec<_> = dirs.iter().map(|d| d.display().to_string()).collect();
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_taken_by_dunst_says_what_and_what_to_do_in_one_line() {
        let e = GateError::NameTaken {
            owner: "dunst".into(),
            pid: Some(1234),
        };
        assert_eq!(
            e.to_string(),
            "org.freedesktop.Notifications is owned by dunst (pid 1234), which you started: \
             `couper run --replace` puts Couper in front of it (Couper then runs it behind \
             itself), or stop it and run couper run again."
        );
    }

    #[test]
    fn name_taken_by_gnome_shell_points_away_from_the_proxy_route() {
        let e = GateError::NameTaken {
            owner: "gnome-shell".into(),
            pid: None,
        };
        let line = e.to_string();
        assert!(
            line.contains("owned by gnome-shell, the desktop shell"),
            "{line}"
        );
        assert!(!line.contains('\n'));
    }
}
