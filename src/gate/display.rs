//! Which display daemon draws the notifications Couper lets through, and starting it on
//! Couper's private bus.
//!
//! The daemon is the one the user already has: `[display] command` in settings, or else the
//! one the D-Bus activation files name for `org.freedesktop.Notifications` (the files that
//! would start it on the session bus if Couper were not there). It is started with the
//! session's environment (`DISPLAY`, `WAYLAND_DISPLAY`, `XDG_RUNTIME_DIR`…), so it draws on
//! the user's screen, but with `DBUS_SESSION_BUS_ADDRESS` set to Couper's private bus, so it
//! hears only Couper.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::process::Child;
use zbus::message::Type;
use zbus::names::OwnedUniqueName;
use zbus::{Connection, MatchRule, MessageStream};

use super::child;
use super::private_bus::PrivateBus;
use super::{GateError, NOTIFICATIONS};

/// The display daemon's command line, and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayCommand {
    /// The program and its arguments.
    pub argv: Vec<String>,
    /// The activation file it came from; `None` when settings named it.
    pub found_in: Option<PathBuf>,
}

impl DisplayCommand {
    /// The command line as one string, for messages.
    pub fn line(&self) -> String {
        self.argv.join(" ")
    }
}

/// The display daemons to try, best first: `configured` (settings' `[display] command`)
/// alone if given, else every one the D-Bus activation files name (see [`service_dirs`]),
/// ordered by how well it fits this session ([`Session::from_env`]).
pub fn display_candidates(
    configured: Option<Vec<String>>,
) -> Result<Vec<DisplayCommand>, GateError> {
    match configured {
        Some(argv) if argv.first().is_some_and(|p| !p.trim().is_empty()) => {
            Ok(vec![DisplayCommand {
                argv,
                found_in: None,
            }])
        }
        Some(_) => Err(GateError::EmptyCommand),
        None => candidates_in(&service_dirs(), &Session::from_env()),
    }
}

/// The first of [`display_candidates`]: the daemon Couper would start first.
pub fn display_command(configured: Option<Vec<String>>) -> Result<DisplayCommand, GateError> {
    let mut all = display_candidates(configured)?;
    Ok(all.remove(0))
}

/// What kind of graphical session this is, as far as choosing a display daemon goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    /// A Wayland compositor is there (`WAYLAND_DISPLAY`).
    pub wayland: bool,
    /// An X server is there (`DISPLAY`; Xwayland counts).
    pub x11: bool,
    /// `XDG_CURRENT_DESKTOP`'s names, lower case (`sway`, `i3`, `xfce`…).
    pub desktops: Vec<String>,
}

impl Session {
    /// This process's session, from its environment.
    pub fn from_env() -> Session {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        Session {
            wayland: set("WAYLAND_DISPLAY"),
            x11: set("DISPLAY"),
            desktops: std::env::var("XDG_CURRENT_DESKTOP")
                .unwrap_or_default()
                .split(':')
                .filter(|d| !d.is_empty())
                .map(str::to_ascii_lowercase)
                .collect(),
        }
    }

    /// Whether `argv`'s daemon can draw in this session, and how well it fits (higher is
    /// better): `None` when it cannot (a Wayland-only daemon with no Wayland compositor).
    fn fit(&self, argv: &[String]) -> Option<u8> {
        let program = argv
            .first()
            .and_then(|p| Path::new(p).file_name())
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let known = DAEMONS.iter().find(|d| d.program == program);
        let Some(daemon) = known else {
            // Unknown: it may draw anywhere; after the daemons known to fit.
            return Some(1);
        };
        let drawable = (daemon.wayland && self.wayland) || (daemon.x11 && self.x11);
        // Neither display in the environment (a test, a bare `couper run`): try them all.
        if !drawable && (self.wayland || self.x11) {
            return None;
        }
        let at_home = self
            .desktops
            .iter()
            .any(|d| daemon.desktops.contains(&d.as_str()));
        Some(if at_home { 3 } else { 2 })
    }
}

/// A display daemon Couper knows: where it can draw, and the desktops it belongs to.
struct Daemon {
    program: &'static str,
    wayland: bool,
    x11: bool,
    desktops: &'static [&'static str],
}

const WLROOTS: &[&str] = &["sway", "hyprland", "river", "wayfire", "labwc", "niri"];

/// The daemons whose activation files Debian and Ubuntu ship (and a few more).
const DAEMONS: &[Daemon] = &[
    Daemon {
        program: "mako",
        wayland: true,
        x11: false,
        desktops: WLROOTS,
    },
    Daemon {
        program: "swaync",
        wayland: true,
        x11: false,
        desktops: WLROOTS,
    },
    Daemon {
        program: "fnott",
        wayland: true,
        x11: false,
        desktops: WLROOTS,
    },
    Daemon {
        program: "dunst",
        wayland: true,
        x11: true,
        desktops: &["i3", "bspwm", "awesome", "openbox", "herbstluftwm", "qtile"],
    },
    Daemon {
        program: "xfce4-notifyd",
        wayland: true,
        x11: true,
        desktops: &["xfce"],
    },
    Daemon {
        program: "lxqt-notificationd",
        wayland: true,
        x11: true,
        desktops: &["lxqt"],
    },
    Daemon {
        program: "mate-notification-daemon",
        wayland: false,
        x11: true,
        desktops: &["mate"],
    },
    Daemon {
        program: "notification-daemon",
        wayland: true,
        x11: true,
        desktops: &["gnome-flashback"],
    },
];

/// The session bus's activation directories, in the order D-Bus reads them:
/// `$XDG_DATA_HOME/dbus-1/services` (default `~/.local/share`), then each of
/// `$XDG_DATA_DIRS` (default `/usr/local/share:/usr/share`) with `dbus-1/services`.
pub fn service_dirs() -> Vec<PathBuf> {
    dirs_from(
        std::env::var_os("XDG_DATA_HOME"),
        std::env::var_os("HOME"),
        std::env::var_os("XDG_DATA_DIRS"),
    )
}

fn dirs_from(
    data_home: Option<OsString>,
    home: Option<OsString>,
    data_dirs: Option<OsString>,
) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let data_home = data_home
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(|h| PathBuf::from(h).join(".local/share")));
    dirs.extend(data_home);
    let data_dirs = data_dirs
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    dirs.extend(std::env::split_paths(&data_dirs).filter(|p| p.is_absolute()));
    dirs.into_iter()
        .map(|d| d.join("dbus-1/services"))
        .collect()
}

/// The display daemons named by the `.service` files in `dirs`, best fit for `session`
/// first; among equals, in D-Bus's order (directories in order, a file name seen in an
/// earlier directory hiding the same name in later ones, files by name). Files that start
/// Couper itself, daemons that cannot draw in `session` and repeats of one command are
/// left out. A file with only `SystemdService=` is reported as such if nothing else is
/// found.
pub fn candidates_in(
    dirs: &[PathBuf],
    session: &Session,
) -> Result<Vec<DisplayCommand>, GateError> {
    let mut seen = HashSet::new();
    let mut systemd_only = None;
    let mut found: Vec<(u8, DisplayCommand)> = Vec::new();
    let mut unfit = Vec::new();
    for dir in dirs {
        for file in service_files(dir) {
            let Some(name) = file.file_name().map(|n| n.to_os_string()) else {
                continue;
            };
            if !seen.insert(name) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let entry = ServiceEntry::parse(&text);
            if entry.name.as_deref() != Some(NOTIFICATIONS) {
                continue;
            }
            match entry.exec.as_deref().and_then(split_exec) {
                Some(argv) if !argv.is_empty() => {
                    if is_couper(&argv[0]) || found.iter().any(|(_, c)| c.argv == argv) {
                        continue;
                    }
                    let command = DisplayCommand {
                        argv,
                        found_in: Some(file),
                    };
                    match session.fit(&command.argv) {
                        Some(fit) => found.push((fit, command)),
                        None => unfit.push(command.line()),
                    }
                }
                _ => {
                    if let Some(unit) = entry.systemd_service {
                        systemd_only.get_or_insert((file, unit));
                    }
                }
            }
        }
    }
    // A stable sort: equals keep D-Bus's order.
    found.sort_by_key(|(fit, _)| std::cmp::Reverse(*fit));
    if !found.is_empty() {
        return Ok(found.into_iter().map(|(_, c)| c).collect());
    }
    match (systemd_only, unfit.is_empty()) {
        (Some((file, unit)), _) => Err(GateError::SystemdOnly { file, unit }),
        (None, false) => Err(GateError::NoneFits { unfit }),
        (None, true) => Err(GateError::NoDisplayDaemon {
            searched: dirs.to_vec(),
        }),
    }
}

/// The first of [`candidates_in`], for any session.
pub fn find_in(dirs: &[PathBuf]) -> Result<DisplayCommand, GateError> {
    let mut all = candidates_in(dirs, &Session::default())?;
    Ok(all.remove(0))
}

/// The systemd units the activation files in `dirs` start for `org.freedesktop.Notifications`
/// (`SystemdService=`).
pub(crate) fn systemd_units(dirs: &[PathBuf]) -> Vec<String> {
    dirs.iter()
        .flat_map(|dir| service_files(dir))
        .filter_map(|file| std::fs::read_to_string(file).ok())
        .map(|text| ServiceEntry::parse(&text))
        .filter(|entry| entry.name.as_deref() == Some(NOTIFICATIONS))
        .filter_map(|entry| entry.systemd_service)
        .collect()
}

/// The `*.service` files of `dir`, sorted by name (an unreadable directory has none).
fn service_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "service") && p.is_file())
        .collect();
    files.sort();
    files
}

/// The keys of a `[D-BUS Service]` group that matter here.
#[derive(Debug, Default)]
struct ServiceEntry {
    name: Option<String>,
    exec: Option<String>,
    systemd_service: Option<String>,
}

impl ServiceEntry {
    fn parse(text: &str) -> ServiceEntry {
        let mut entry = ServiceEntry::default();
        let mut in_group = false;
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('[') {
                in_group = line == "[D-BUS Service]";
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            if !in_group {
                continue;
            }
            let value = Some(value.trim().to_string());
            match key.trim() {
                "Name" => entry.name = value,
                "Exec" => entry.exec = value,
                "SystemdService" => entry.systemd_service = value,
                _ => {}
            }
        }
        entry
    }
}

/// Splits an `Exec=` line as D-Bus does (shell-like: blanks separate, quotes group,
/// backslash escapes). `None` when a quote is not closed.
fn split_exec(line: &str) -> Option<Vec<String>> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => current.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => current.push(c),
                            '\n' => {}
                            c => {
                                current.push('\\');
                                current.push(c);
                            }
                        },
                        c => current.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') | None => {}
                    Some(c) => current.push(c),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    args.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        args.push(current);
    }
    Some(args)
}

/// Whether `program` is Couper itself (its activation file must not be taken for the
/// user's display daemon): a program named `couper…`, or this very executable.
pub(crate) fn is_couper(program: &str) -> bool {
    let path = Path::new(program);
    let named_couper = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().starts_with("couper"));
    let this_exe = std::env::current_exe()
        .ok()
        .zip(path.canonicalize().ok())
        .is_some_and(|(me, it)| me == it);
    named_couper || this_exe
}

/// The display daemon, running on Couper's private bus.
pub(crate) struct RunningDisplay {
    pub(crate) child: Child,
    /// Its command line, for messages.
    pub(crate) command: String,
    /// Its unique name on the private bus.
    pub(crate) unique_name: OwnedUniqueName,
}

/// Starts `command` on `bus` and waits until it owns `org.freedesktop.Notifications` there
/// (told by `NameOwnerChanged`, subscribed before the start), at most `timeout`.
/// `extra_env` is set on top of Couper's own environment.
pub(crate) async fn start(
    command: &DisplayCommand,
    bus: &PrivateBus,
    private: &Connection,
    extra_env: &[(String, String)],
    timeout: Duration,
) -> Result<RunningDisplay, GateError> {
    let line = command.line();
    let rule = MatchRule::builder()
        .msg_type(Type::Signal)
        .sender("org.freedesktop.DBus")
        .interface("org.freedesktop.DBus")
        .path("/org/freedesktop/DBus")
        .member("NameOwnerChanged")
        .arg(0, NOTIFICATIONS)
        .build()?;
    let mut changes = MessageStream::for_match_rule(rule, private, None).await?;

    let Some((program, args)) = command.argv.split_first() else {
        return Err(GateError::EmptyCommand);
    };
    let mut spawn = child::tied_to_couper(program);
    spawn
        .args(args)
        .env("DBUS_SESSION_BUS_ADDRESS", bus.address())
        .env_remove("DBUS_STARTER_ADDRESS")
        .env_remove("DBUS_STARTER_BUS_TYPE")
        .envs(extra_env.iter().map(|(k, v)| (k, v)));
    let mut daemon = child::spawn(&mut spawn, program)?;
    tracing::info!(command = %line, "starting the display daemon on Couper's private bus");

    let pid = daemon.id();
    let owned = async {
        // A daemon tried before this one may have died holding the name, and its signals
        // still be on their way: only an owner that is this daemon's process counts.
        if let Some(owner) = name_owner(private).await? {
            if is_process_of(private, &owner, pid).await {
                return Ok(owner);
            }
        }
        while let Some(message) = changes.next().await {
            let (_, _, new): (String, String, String) = message?.body().deserialize()?;
            if new.is_empty() {
                continue;
            }
            let owner = OwnedUniqueName::try_from(new)?;
            if is_process_of(private, &owner, pid).await {
                return Ok(owner);
            }
        }
        Err(GateError::PrivateBus {
            reason: "the connection to it closed".into(),
        })
    };
    let outcome = tokio::select! {
        owner = owned => owner,
        status = daemon.wait() => Err(GateError::DisplayExited {
            command: line.clone(),
            status: child::status_text(status),
        }),
        () = tokio::time::sleep(timeout) => Err(GateError::DisplayNeverOwned {
            command: line.clone(),
            timeout,
        }),
    };
    match outcome {
        Ok(unique_name) => Ok(RunningDisplay {
            child: daemon,
            command: line,
            unique_name,
        }),
        Err(e) => {
            let _ = child::stop(&mut daemon).await;
            Err(e)
        }
    }
}

/// Whether `owner` is the connection of process `pid` or of one of its descendants (a
/// display command may be a wrapper that forks its daemon).
async fn is_process_of(conn: &Connection, owner: &OwnedUniqueName, pid: Option<u32>) -> bool {
    let Some(pid) = pid else {
        return true;
    };
    let Ok(dbus) = super::proxies::bus(conn).await else {
        return false;
    };
    let Ok(mut process) = dbus
        .get_connection_unix_process_id(zbus::names::BusName::from(owner.as_ref()))
        .await
    else {
        return false;
    };
    for _ in 0..8 {
        if process == pid {
            return true;
        }
        match super::child::parent(process) {
            Some(parent) if parent > 1 => process = parent,
            _ => return false,
        }
    }
    false
}

/// The unique name owning `org.freedesktop.Notifications` on `conn`'s bus, if any.
pub(crate) async fn name_owner(conn: &Connection) -> Result<Option<OwnedUniqueName>, zbus::Error> {
    let bus = super::proxies::bus(conn).await?;
    let name = zbus::names::BusName::try_from(NOTIFICATIONS)?;
    match bus.get_name_owner(name).await {
        Ok(owner) => Ok(Some(owner)),
        Err(zbus::fdo::Error::NameHasNoOwner(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn the_dunst_activation_file_gives_its_exec() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("share/dbus-1/services");
        write(
            &dir,
            "org.knopwob.dunst.service",
            "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=/usr/bin/dunst\n\
             SystemdService=dunst.service\n",
        );
        write(
            &dir,
            "ca.desrt.dconf.service",
            "[D-BUS Service]\nName=ca.desrt.dconf\nExec=/usr/libexec/dconf-service\n",
        );
        let found = find_in(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(found.argv, ["/usr/bin/dunst"]);
        assert_eq!(found.found_in, Some(dir.join("org.knopwob.dunst.service")));
    }

    fn two_daemons(dir: &Path) {
        write(
            dir,
            "fr.emersion.mako.service",
            "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=/usr/bin/mako\n",
        );
        write(
            dir,
            "org.knopwob.dunst.service",
            "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=/usr/bin/dunst\n",
        );
    }

    fn programs(found: &[DisplayCommand]) -> Vec<&str> {
        found.iter().map(|c| c.argv[0].as_str()).collect()
    }

    #[test]
    fn in_an_x11_session_a_wayland_only_daemon_is_left_out() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dbus-1/services");
        two_daemons(&dir);
        let x11 = Session {
            x11: true,
            ..Session::default()
        };
        let found = candidates_in(std::slice::from_ref(&dir), &x11).unwrap();
        assert_eq!(programs(&found), ["/usr/bin/dunst"]);
        // Alone, it is said why.
        std::fs::remove_file(dir.join("org.knopwob.dunst.service")).unwrap();
        let err = candidates_in(std::slice::from_ref(&dir), &x11).unwrap_err();
        assert!(matches!(err, GateError::NoneFits { .. }), "{err}");
        assert!(
            err.to_string().contains("/usr/bin/mako cannot draw here"),
            "{err}"
        );
    }

    #[test]
    fn on_sway_mako_comes_first_and_on_i3_dunst() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dbus-1/services");
        two_daemons(&dir);
        let sway = Session {
            wayland: true,
            x11: true,
            desktops: vec!["sway".into()],
        };
        let found = candidates_in(std::slice::from_ref(&dir), &sway).unwrap();
        assert_eq!(programs(&found), ["/usr/bin/mako", "/usr/bin/dunst"]);
        let i3 = Session {
            x11: true,
            desktops: vec!["i3".into()],
            ..Session::default()
        };
        let found = candidates_in(std::slice::from_ref(&dir), &i3).unwrap();
        assert_eq!(programs(&found), ["/usr/bin/dunst"]);
        // A Wayland session of no known desktop: both, in D-Bus's order.
        let wayland = Session {
            wayland: true,
            ..Session::default()
        };
        let found = candidates_in(std::slice::from_ref(&dir), &wayland).unwrap();
        assert_eq!(programs(&found), ["/usr/bin/mako", "/usr/bin/dunst"]);
    }

    #[test]
    fn couper_own_activation_file_is_skipped() {
        let tmp = tempfile::tempdir().unwrap();
        let user = tmp.path().join("home/dbus-1/services");
        let system = tmp.path().join("usr/dbus-1/services");
        write(
            &user,
            "org.couper.Notifications.service",
            "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=/home/me/.cargo/bin/couper run\n",
        );
        write(
            &system,
            "fr.emersion.mako.service",
            "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=/usr/bin/mako --config '/etc/my mako'\n",
        );
        let found = find_in(&[user, system]).unwrap();
        assert_eq!(found.argv, ["/usr/bin/mako", "--config", "/etc/my mako"]);
    }

    #[test]
    fn the_user_directory_wins_and_hides_the_same_file_below() {
        let tmp = tempfile::tempdir().unwrap();
        let user = tmp.path().join("home/dbus-1/services");
        let system = tmp.path().join("usr/dbus-1/services");
        // The user renamed the service of the system's file: it no longer names the spec.
        write(
            &user,
            "org.knopwob.dunst.service",
            "[D-BUS Service]\nName=org.knopwob.Off\nExec=/usr/bin/dunst\n",
        );
        write(
            &system,
            "org.knopwob.dunst.service",
            "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=/usr/bin/dunst\n",
        );
        write(&system, "org.xfce.xfce4-notifyd.Notifications.service", "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=/usr/lib/xfce4/notifyd/xfce4-notifyd\n");
        let found = find_in(&[user, system]).unwrap();
        assert_eq!(found.argv, ["/usr/lib/xfce4/notifyd/xfce4-notifyd"]);
    }

    #[test]
    fn a_systemd_only_file_is_reported_as_such() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dbus-1/services");
        write(&dir, "org.example.Notifier.service", "[D-BUS Service]\nName=org.freedesktop.Notifications\nSystemdService=notifier.service\n");
        match find_in(std::slice::from_ref(&dir)) {
            Err(GateError::SystemdOnly { file, unit }) => {
                assert_eq!(file, dir.join("org.example.Notifier.service"));
                assert_eq!(unit, "notifier.service");
            }
            other => panic!("expected SystemdOnly, got {other:?}"),
        }
    }

    #[test]
    fn no_file_names_what_was_searched() {
        let tmp = tempfile::tempdir().unwrap();
        let missing = tmp.path().join("nothing/dbus-1/services");
        let err = find_in(std::slice::from_ref(&missing)).unwrap_err();
        assert!(
            matches!(&err, GateError::NoDisplayDaemon { searched } if searched == std::slice::from_ref(&missing))
        );
        assert!(err.to_string().contains(&missing.display().to_string()));
    }

    #[test]
    fn settings_command_comes_first_and_must_not_be_empty() {
        let found =
            display_command(Some(vec!["dunst".into(), "-config".into(), "x".into()])).unwrap();
        assert_eq!(found.argv, ["dunst", "-config", "x"]);
        assert_eq!(found.found_in, None);
        assert!(matches!(
            display_command(Some(vec![])),
            Err(GateError::EmptyCommand)
        ));
    }

    #[test]
    fn dirs_follow_the_xdg_defaults() {
        assert_eq!(
            dirs_from(None, Some("/home/gwen".into()), None),
            [
                PathBuf::from("/home/gwen/.local/share/dbus-1/services"),
                PathBuf::from("/usr/local/share/dbus-1/services"),
                PathBuf::from("/usr/share/dbus-1/services"),
            ]
        );
        assert_eq!(
            dirs_from(
                Some("/data".into()),
                Some("/home/gwen".into()),
                Some("/a:relative:/b".into())
            ),
            [
                PathBuf::from("/data/dbus-1/services"),
                PathBuf::from("/a/dbus-1/services"),
                PathBuf::from("/b/dbus-1/services"),
            ]
        );
    }

    #[test]
    fn exec_lines_split_like_dbus() {
        assert_eq!(split_exec("a  b\tc").unwrap(), ["a", "b", "c"]);
        assert_eq!(
            split_exec(r#"a "b c" 'd e' f\ g"#).unwrap(),
            ["a", "b c", "d e", "f g"]
        );
        assert_eq!(split_exec(r#"a "x\"y""#).unwrap(), ["a", "x\"y"]);
        assert_eq!(split_exec("a ''").unwrap(), ["a", ""]);
        assert_eq!(split_exec("a 'open"), None);
    }
}
