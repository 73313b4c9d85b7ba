//! What can stop the gate, said so that the user knows what to do next.
//!
//! Each message is one line: `couper run` prints it as it is, and the settings window shows
//! it in its diagnostics.

use std::path::PathBuf;
use std::time::Duration;

use super::NOTIFICATIONS;

/// Why the gate could not start, or why it stopped. Display says it in English, for the
/// logs and `couper run`; [`GateError::said`] in the reader's language.
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

impl GateError {
    /// Why, in `lang`, in one line (what a system call or the bus says stays in its own
    /// words).
    pub fn said(&self, lang: crate::i18n::Lang) -> String {
        use crate::t;
        match self {
            GateError::NameTaken { owner, pid } => {
                let who = who(owner, *pid);
                if SHELLS.contains(&owner.as_str()) {
                    t!(
                        lang,
                        "gate-name-taken-shell",
                        name = NOTIFICATIONS,
                        who = who
                    )
                } else {
                    t!(lang, "gate-name-taken", name = NOTIFICATIONS, who = who)
                }
            }
            GateError::NoDisplayDaemon { searched } => t!(
                lang,
                "gate-no-display-daemon",
                dirs = paths(searched),
                name = NOTIFICATIONS
            ),
            GateError::SystemdOnly { file, unit } => t!(
                lang,
                "gate-systemd-only",
                file = file.display().to_string(),
                unit = unit.as_str()
            ),
            GateError::NoneFits { unfit } => {
                t!(lang, "gate-none-fits", unfit = unfit.join(", "))
            }
            GateError::NoneStarted { tried } => {
                t!(lang, "gate-none-started", tried = tried.join("; "))
            }
            GateError::TakeOverFailed { owner, pid } => t!(
                lang,
                "gate-take-over-failed",
                who = who(owner, *pid),
                name = NOTIFICATIONS
            ),
            GateError::EmptyCommand => t!(lang, "gate-empty-command"),
            GateError::Spawn { program, source } => t!(
                lang,
                "gate-cannot-start",
                program = program.as_str(),
                why = source.to_string()
            ),
            GateError::PrivateBus { reason } => {
                t!(lang, "gate-private-bus", why = reason.as_str())
            }
            GateError::DisplayNeverOwned { command, timeout } => t!(
                lang,
                "gate-display-never-owned",
                command = command.as_str(),
                name = NOTIFICATIONS,
                seconds = timeout.as_secs_f32().to_string()
            ),
            GateError::DisplayExited { command, status } => t!(
                lang,
                "gate-display-exited",
                command = command.as_str(),
                status = status.as_str()
            ),
            GateError::SessionBus(e) => t!(lang, "gate-session-bus", why = e.to_string()),
            GateError::Bus(e) => t!(lang, "gate-bus", why = e.to_string()),
            GateError::Stopped => t!(lang, "gate-stopped"),
        }
    }
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

    /// Every error says in English through the catalogue what Display says, and
    /// something else in French.
    #[test]
    fn every_gate_error_is_said_in_both_languages() {
        use crate::i18n::Lang;
        let errors = [
            GateError::NameTaken {
                owner: "dunst".into(),
                pid: Some(1234),
            },
            GateError::NameTaken {
                owner: "gnome-shell".into(),
                pid: None,
            },
            GateError::NoDisplayDaemon {
                searched: vec!["/usr/share/dbus-1/services".into(), "/x".into()],
            },
            GateError::SystemdOnly {
                file: "/usr/share/dbus-1/services/org.knopwob.dunst.service".into(),
                unit: "dunst.service".into(),
            },
            GateError::NoneFits {
                unfit: vec!["mako".into(), "fnott".into()],
            },
            GateError::NoneStarted {
                tried: vec!["dunst: exited".into(), "mako: exited".into()],
            },
            GateError::TakeOverFailed {
                owner: "dunst".into(),
                pid: Some(7),
            },
            GateError::EmptyCommand,
            GateError::Spawn {
                program: "dunst".into(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            },
            GateError::PrivateBus {
                reason: "it exited".into(),
            },
            GateError::DisplayNeverOwned {
                command: "dunst -verbosity crit".into(),
                timeout: Duration::from_millis(2500),
            },
            GateError::DisplayExited {
                command: "dunst".into(),
                status: "exit status: 1".into(),
            },
            GateError::SessionBus(zbus::Error::Failure("gone".into())),
            GateError::Bus(zbus::Error::Failure("gone".into())),
            GateError::Stopped,
        ];
        for e in &errors {
            assert_eq!(e.said(Lang::En), e.to_string());
            let fr = e.said(Lang::Fr);
            assert_ne!(fr, e.to_string());
            assert!(!fr.contains('\n'), "{fr}");
        }
        assert_eq!(
            errors[7].said(Lang::Fr),
            "la commande [display] des réglages est vide : nommez un programme, par exemple [\"dunst\"]"
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
