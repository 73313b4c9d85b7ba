//! Behind Couper, each display daemon's own tools and settings work as they did without it
//! (issue 12): the daemon runs on Couper's private bus, and its tools, its settings and the
//! session services it uses reach it through Couper (`src/gate/relay.rs`).
//!
//! Real parts only: the gate in-process on a session bus of the test's own
//! (tests/common/daemons.rs), each daemon named explicitly, its own tool run on the session
//! bus as a user runs it, and what it shows read back with that tool (or, for
//! xfce4-notifyd, by its popups on the X display). A daemon that is not installed, or
//! cannot run here, is reported and skipped; on CI (`CI` set) that fails instead.

use crate::daemons;
use crate::desktop;
use crate::live;

use std::collections::{BTreeSet, HashMap};
use std::process::Stdio;
use std::time::Duration;

use couper::gate::{self, Gate};
use daemons::{activated_program, cannot_run, eventually_async, installed, CouperRun, Session};
use desktop::{Dunst, PATIENCE};
use futures_util::StreamExt;
use live::{ALWAYS, NEVER, ZONE};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};

const PATH: &str = "/org/freedesktop/Notifications";

/// The display daemon's process id, from Couper's private bus.
async fn daemon_pid(gate: &Gate) -> u32 {
    let private = zbus::connection::Builder::address(gate.handle().display_bus_address())
        .build()
        .await
        .expect("private bus");
    let reply = private
        .call_method(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            Some("org.freedesktop.DBus"),
            "GetConnectionUnixProcessID",
            &gate::NOTIFICATIONS,
        )
        .await
        .expect("the daemon's pid");
    reply.body().deserialize().expect("pid")
}

/// An app's notification, as `notify-send` sends it.
async fn standup(session: &Session) {
    session
        .ok("notify-send", &["-a", "Slack", "Standup", "in 5 minutes"])
        .await;
}

// dunst, on Xvfb: dunstctl calls org.dunstproject.cmd0 on /org/freedesktop/Notifications.

#[tokio::test]
async fn dunstctl_counts_closes_and_lists_the_history_through_couper() {
    if !installed("dunst", &["dunst", "dunstctl", "busctl"]) {
        return;
    }
    let session = Session::x11().await;
    let _gate = session.gate(&session.dunst_argv()).await;
    let dunst = Dunst::on(session.bus());

    standup(&session).await;
    session
        .ok("notify-send", &["-a", "Signal", "Lunch?", "12:30"])
        .await;
    dunst.wait_displayed(2).await;
    dunst.close_all().await;
    dunst.wait_displayed(0).await;
    let messages: Vec<String> = dunst
        .history()
        .await
        .into_iter()
        .map(|shown| shown.message)
        .collect();
    assert_eq!(
        messages,
        ["NORMAL Standup|in 5 minutes", "NORMAL Lunch?|12:30"]
    );
}

#[tokio::test]
async fn dunstctl_pause_holds_what_dunst_draws_until_it_is_resumed() {
    if !installed("dunst", &["dunst", "dunstctl"]) {
        return;
    }
    let session = Session::x11().await;
    let _gate = session.gate(&session.dunst_argv()).await;
    let dunst = Dunst::on(session.bus());

    session.ok("dunstctl", &["set-paused", "true"]).await;
    assert_eq!(session.ok("dunstctl", &["is-paused"]).await, "true");
    standup(&session).await;
    eventually_async("dunst to queue the notification", || async {
        (dunst.count("waiting").await == 1).then_some(())
    })
    .await;
    assert_eq!(dunst.displayed().await, 0, "paused dunst draws nothing");

    session.ok("dunstctl", &["set-paused", "false"]).await;
    assert_eq!(session.ok("dunstctl", &["is-paused"]).await, "false");
    dunst.wait_displayed(1).await;
}

#[tokio::test]
async fn a_status_bar_hears_dunst_pause_from_the_notification_name() {
    if !installed("dunst", &["dunst", "dunstctl"]) {
        return;
    }
    let session = Session::x11().await;
    let _gate = session.gate(&session.dunst_argv()).await;

    // What a status bar's dunst module listens to.
    let bar = zbus::connection::Builder::address(session.bus())
        .build()
        .await
        .expect("session bus");
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .sender(gate::NOTIFICATIONS)
        .path(PATH)
        .interface("org.freedesktop.DBus.Properties")
        .member("PropertiesChanged")
        .arg(0, "org.dunstproject.cmd0")
        .build()
        .expect("rule");
    let mut changes = zbus::MessageStream::for_match_rule(rule, &bar, None)
        .await
        .expect("subscribe");

    session.ok("dunstctl", &["set-paused", "true"]).await;
    let change = tokio::time::timeout(PATIENCE, changes.next())
        .await
        .expect("no PropertiesChanged from dunst through Couper")
        .expect("stream")
        .expect("message");
    let (_, changed, _): (String, HashMap<String, zbus::OwnedVariant>, Vec<String>) =
        change.body().deserialize().expect("PropertiesChanged");
    let paused = changed.get("paused").expect("paused changed");
    assert_eq!(**paused, zbus::Variant::from(true));
}

#[tokio::test]
async fn introspecting_the_notification_name_shows_the_daemons_own_interfaces() {
    if !installed("dunst", &["dunst", "gdbus"]) {
        return;
    }
    let session = Session::x11().await;
    let _gate = session.gate(&session.dunst_argv()).await;

    let xml = session
        .ok(
            "gdbus",
            &[
                "introspect",
                "--session",
                "--dest",
                gate::NOTIFICATIONS,
                "--object-path",
                PATH,
            ],
        )
        .await;
    assert!(xml.contains("interface org.dunstproject.cmd0"), "{xml}");
    assert!(
        xml.contains("interface org.freedesktop.Notifications"),
        "{xml}"
    );
    assert!(xml.contains("Notify("), "{xml}");
}

#[tokio::test]
async fn a_daemon_that_does_not_answer_its_tool_does_not_hold_up_notify() {
    if !installed("dunst", &["dunst", "dunstctl"]) {
        return;
    }
    let session = Session::x11().await;
    let gate = session.gate(&session.dunst_argv()).await;
    let pid = daemon_pid(&gate).await as libc::pid_t;
    let dunst = Dunst::on(session.bus());

    // SAFETY: stopping, by its id, the dunst this test's gate started.
    unsafe { libc::kill(pid, libc::SIGSTOP) };
    let stuck = session
        .command("dunstctl")
        .args(["count", "displayed"])
        .spawn()
        .expect("dunstctl");
    // Apps are answered at once all the same, long before Couper gives up on dunst (20 s).
    let app = session
        .command("notify-send")
        .args(["-p", "-a", "Slack", "Standup", "in 5 minutes"])
        .output();
    let out = tokio::time::timeout(Duration::from_secs(5), app)
        .await
        .expect("Notify waited for the daemon's tool")
        .expect("notify-send");
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(id.parse::<u32>().is_ok_and(|id| id >= 1000), "{id}");

    // SAFETY: as above.
    unsafe { libc::kill(pid, libc::SIGCONT) };
    let out = tokio::time::timeout(PATIENCE, stuck.wait_with_output())
        .await
        .expect("dunstctl did not end once dunst went on")
        .expect("dunstctl");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counted: u32 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a count");
    assert!(counted <= 1, "{counted}");
    dunst.wait_displayed(1).await;
}

// mako, under a headless sway: makoctl calls fr.emersion.Mako on /fr/emersion/Mako.

/// The summaries `makoctl list` shows.
async fn mako_list(session: &Session) -> Vec<String> {
    let json = session.ok("makoctl", &["list"]).await;
    let list: Value = serde_json::from_str(&json).expect("makoctl list JSON");
    list["data"][0]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|n| n["summary"]["data"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn makoctl_lists_dismisses_and_sets_a_mode_through_couper() {
    if !installed("mako", &["mako", "makoctl", "busctl", "jq"]) {
        return;
    }
    let Some(session) = Session::wayland().await else {
        return;
    };
    let _gate = session.gate(&["mako"]).await;

    standup(&session).await;
    let shown = eventually_async("makoctl list to show the notification", || async {
        let list = mako_list(&session).await;
        (!list.is_empty()).then_some(list)
    })
    .await;
    assert_eq!(shown, ["Standup"]);

    session.ok("makoctl", &["dismiss"]).await;
    assert_eq!(mako_list(&session).await, Vec::<String>::new());

    let modes = session
        .ok("makoctl", &["mode", "-a", "do-not-disturb"])
        .await;
    assert!(modes.lines().any(|m| m == "do-not-disturb"), "{modes}");
    let modes = session.ok("makoctl", &["mode"]).await;
    assert!(modes.lines().any(|m| m == "do-not-disturb"), "{modes}");
}

// swaync, under a headless sway: swaync-client calls the name org.erikreider.swaync.cc,
// which swaync owns on Couper's private bus and Couper takes on the session bus for it.

#[tokio::test]
async fn swaync_client_counts_closes_and_toggles_do_not_disturb_through_couper() {
    if !installed("swaync", &["swaync", "swaync-client"]) {
        return;
    }
    let Some(session) = Session::wayland().await else {
        return;
    };
    let _gate = session.gate(&["swaync"]).await;

    standup(&session).await;
    eventually_async("swaync to count the notification", || async {
        (session.ok("swaync-client", &["--count"]).await == "1").then_some(())
    })
    .await;
    session.ok("swaync-client", &["--close-all"]).await;
    eventually_async("swaync to close it", || async {
        (session.ok("swaync-client", &["--count"]).await == "0").then_some(())
    })
    .await;

    // A bar subscribed to swaync hears its state change (line-buffered: it writes to a
    // pipe here).
    let mut bar = session
        .command("stdbuf")
        .args(["-oL", "swaync-client", "--subscribe"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("swaync-client --subscribe");
    let mut lines = BufReader::new(bar.stdout.take().expect("stdout")).lines();
    assert_eq!(next_state(&mut lines).await["dnd"], false);

    assert_eq!(session.ok("swaync-client", &["-d"]).await, "true");
    assert_eq!(session.ok("swaync-client", &["-D"]).await, "true");
    while next_state(&mut lines).await["dnd"] != true {}
}

/// The next state `swaync-client --subscribe` prints.
async fn next_state(lines: &mut tokio::io::Lines<BufReader<tokio::process::ChildStdout>>) -> Value {
    let line = tokio::time::timeout(PATIENCE, lines.next_line())
        .await
        .expect("swaync-client --subscribe said nothing more")
        .expect("read")
        .expect("swaync-client --subscribe ended");
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

// xfce4-notifyd, on Xvfb: it reads its settings from xfconf on its session bus (Couper's
// private one), which Couper relays to the session's xfconfd.

/// How many xfce4-notifyd popups the X display shows.
async fn popups(session: &Session) -> usize {
    let out = session
        .run(
            "xdotool",
            &["search", "--onlyvisible", "--class", "xfce4-notifyd"],
        )
        .await;
    String::from_utf8_lossy(&out.stdout).lines().count()
}

#[tokio::test]
async fn xfce4_notifyd_behind_couper_honours_do_not_disturb_set_in_xfconf() {
    let Some(notifyd) = Standalone::Xfce4Notifyd.program() else {
        return;
    };
    if !installed(
        "xfce4-notifyd",
        &[&notifyd, "xfconf-query", "xdotool", "notify-send"],
    ) {
        return;
    }
    let session = Session::x11().await;
    // Set on the session, before Couper and the daemon start: read through the relay.
    session
        .ok(
            "xfconf-query",
            &[
                "-c",
                "xfce4-notifyd",
                "-p",
                "/do-not-disturb",
                "-n",
                "-t",
                "bool",
                "-s",
                "true",
            ],
        )
        .await;
    let gate = session.gate(&[&notifyd]).await;

    // In do-not-disturb xfce4-notifyd shows only critical notifications: once the second
    // shows, the first would have too. (-t 0: popups that stay, to be counted.)
    session
        .ok("notify-send", &["-t", "0", "Standup", "in 5 minutes"])
        .await;
    session
        .ok(
            "notify-send",
            &["-t", "0", "-u", "critical", "Prod is down", "since 21:04"],
        )
        .await;
    eventually_async("the critical popup", || async {
        (popups(&session).await >= 1).then_some(())
    })
    .await;
    assert_eq!(popups(&session).await, 1, "do-not-disturb was not honoured");

    // Changed while it runs: xfconfd's PropertyChanged reaches it through Couper. Once it
    // is on the private bus, the daemon has it before anything Couper sends next.
    let private = zbus::connection::Builder::address(gate.handle().display_bus_address())
        .build()
        .await
        .expect("private bus");
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .sender("org.xfce.Xfconf")
        .member("PropertyChanged")
        .build()
        .expect("rule");
    let mut relayed = zbus::MessageStream::for_match_rule(rule, &private, None)
        .await
        .expect("subscribe");
    session
        .ok(
            "xfconf-query",
            &[
                "-c",
                "xfce4-notifyd",
                "-p",
                "/do-not-disturb",
                "-s",
                "false",
            ],
        )
        .await;
    tokio::time::timeout(PATIENCE, relayed.next())
        .await
        .expect("xfconf's PropertyChanged did not reach the private bus")
        .expect("stream")
        .expect("message");
    session
        .ok("notify-send", &["-t", "0", "Lunch?", "12:30"])
        .await;
    eventually_async("the normal popup, do-not-disturb off", || async {
        (popups(&session).await == 2).then_some(())
    })
    .await;
}

#[tokio::test]
async fn the_daemon_reaches_the_sessions_accessibility_bus() {
    let Some(notifyd) = Standalone::Xfce4Notifyd.program() else {
        return;
    };
    if !installed(
        "the accessibility bus",
        &[&notifyd, "/usr/libexec/at-spi-bus-launcher", "gdbus"],
    ) {
        return;
    }
    let session = Session::x11().await;
    let gate = session.gate(&[&notifyd]).await;

    let asked = [
        "call",
        "--session",
        "--dest",
        "org.a11y.Bus",
        "--object-path",
        "/org/a11y/bus",
        "--method",
        "org.a11y.Bus.GetAddress",
    ];
    let reply = session.ok("gdbus", &asked).await;
    let address = reply
        .trim_start_matches("('")
        .trim_end_matches("',)")
        .to_string();
    assert!(address.starts_with("unix:"), "{reply}");

    // GTK reads AT_SPI_BUS_ADDRESS first.
    let pid = daemon_pid(&gate).await;
    let environ = std::fs::read(format!("/proc/{pid}/environ")).expect("environ");
    let given = environ
        .split(|b| *b == 0)
        .filter_map(|var| std::str::from_utf8(var).ok())
        .find_map(|var| var.strip_prefix("AT_SPI_BUS_ADDRESS="))
        .map(str::to_string);
    assert_eq!(given.as_deref(), Some(address.as_str()));

    // What a daemon asks on its own bus (Qt does) comes from the session's launcher too.
    let on_private = session
        .command("gdbus")
        .args(asked)
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            gate.handle().display_bus_address(),
        )
        .output();
    let on_private = tokio::time::timeout(PATIENCE, on_private)
        .await
        .expect("gdbus hung")
        .expect("gdbus");
    assert!(
        on_private.status.success(),
        "{}",
        String::from_utf8_lossy(&on_private.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&on_private.stdout).trim(), reply);
}

// The matrix: each standalone daemon behind `couper run` (the real Service, so that what
// is held while off comes back on `couper on`), the same cases for each. What the daemon
// shows is read back with its own tool (dunstctl, makoctl, swaync-client) or, for the two
// that have none, by its popup windows on the X display; what Couper asked of it, by a
// monitor on Couper's private bus.

/// A standalone display daemon (one that is not a desktop shell's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standalone {
    Dunst,
    Mako,
    Swaync,
    Xfce4Notifyd,
    NotificationDaemon,
}

impl Standalone {
    /// Its program, with what reading it back needs; `None` (said why) when one is missing.
    fn program(self) -> Option<String> {
        let (program, tools): (Option<String>, &[&str]) = match self {
            Standalone::Dunst => (Some("dunst".into()), &["dunstctl"]),
            Standalone::Mako => (Some("mako".into()), &["makoctl"]),
            Standalone::Swaync => (Some("swaync".into()), &["swaync-client"]),
            Standalone::Xfce4Notifyd => (
                activated_program("org.xfce.xfce4-notifyd.Notifications.service"),
                &["xdotool"],
            ),
            // Debian ships no activation file for it: it is named.
            Standalone::NotificationDaemon => (
                Some("/usr/lib/notification-daemon/notification-daemon".into()),
                &["xdotool"],
            ),
        };
        let Some(program) = program else {
            cannot_run(&format!(
                "{self:?}: not installed (scripts/setup --tests installs it)"
            ));
            return None;
        };
        let mut needed = vec![program.as_str(), "busctl", "notify-send"];
        needed.extend_from_slice(tools);
        installed(&format!("{self:?}"), &needed).then_some(program)
    }

    /// A session of the kind it draws in.
    async fn session(self) -> Option<Session> {
        match self {
            Standalone::Mako | Standalone::Swaync => Session::wayland().await,
            _ => Some(Session::x11().await),
        }
    }

    /// The X class of its popup windows, for the daemons that have no tool to ask.
    fn window_class(self) -> Option<&'static str> {
        match self {
            Standalone::Xfce4Notifyd => Some("xfce4-notifyd"),
            Standalone::NotificationDaemon => Some("notification-daemon"),
            _ => None,
        }
    }

    /// How many notifications it shows, as its own tool (or the X display) tells; `None`
    /// for notification-daemon, which shows one bubble at a time and queues the rest.
    async fn shown(self, session: &Session) -> Option<usize> {
        let count = |out: String| out.parse().unwrap_or_else(|_| panic!("a count: {out:?}"));
        Some(match self {
            Standalone::Dunst => count(session.ok("dunstctl", &["count", "displayed"]).await),
            Standalone::Mako => mako_list(session).await.len(),
            Standalone::Swaync => count(session.ok("swaync-client", &["--count"]).await),
            Standalone::Xfce4Notifyd => self.windows(session).await.len(),
            Standalone::NotificationDaemon => return None,
        })
    }

    /// The action the user invokes: the default one (a key binding, a click on the
    /// popup), or for xfce4-notifyd, which draws every action as a button, that button.
    fn action_key(self) -> &'static str {
        match self {
            Standalone::Xfce4Notifyd => "open",
            _ => "default",
        }
    }

    /// Its visible popup windows (none for a daemon read back with its tool).
    async fn windows(self, session: &Session) -> BTreeSet<String> {
        let Some(class) = self.window_class() else {
            return BTreeSet::new();
        };
        let out = session
            .run("xdotool", &["search", "--onlyvisible", "--class", class])
            .await;
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The summaries it shows, where its tool says them (makoctl list).
    async fn summaries(self, session: &Session) -> Option<Vec<String>> {
        match self {
            Standalone::Mako => Some(mako_list(session).await),
            _ => None,
        }
    }

    /// Invokes the default action of the notification it showed last, as the user does
    /// (their key binding, or a click on the popup that is not in `before`); `Err` says why
    /// it cannot be done here.
    async fn invoke(self, session: &Session, before: &BTreeSet<String>) -> Result<(), String> {
        match self {
            Standalone::Dunst => {
                session.ok("dunstctl", &["action", "0"]).await;
            }
            Standalone::Mako => {
                session.ok("makoctl", &["invoke"]).await;
            }
            Standalone::Swaync => {
                return Err(
                    "swaync-client 0.7 has no command that invokes an action, and the \
                            headless sway has no pointer to click its popup with"
                        .into(),
                )
            }
            Standalone::Xfce4Notifyd | Standalone::NotificationDaemon => {
                let popup = eventually_async("its new popup", || async {
                    self.windows(session)
                        .await
                        .difference(before)
                        .next()
                        .cloned()
                })
                .await;
                let popup = popup.as_str();
                // The bubble's body; xfce4-notifyd's button, at the bottom.
                let (x, y) = if self == Standalone::Xfce4Notifyd {
                    let shape = session
                        .ok("xdotool", &["getwindowgeometry", "--shell", popup])
                        .await;
                    let value = |key: &str| -> u32 {
                        shape
                            .lines()
                            .find_map(|l| l.strip_prefix(key)?.parse().ok())
                            .unwrap_or_else(|| panic!("{key} in {shape}"))
                    };
                    (value("WIDTH=") / 2, value("HEIGHT=").saturating_sub(18))
                } else {
                    (20, 20)
                };
                let (x, y) = (x.to_string(), y.to_string());
                session
                    .ok("xdotool", &["mousemove", "--window", popup, &x, &y])
                    .await;
                session.ok("xdotool", &["click", "1"]).await;
            }
        }
        Ok(())
    }
}

/// `hours`, Slack a work app, what is held replayed one by one on release, and `argv` as
/// the display daemon (or, with none, the one Couper chooses).
fn settings(hours: &str, argv: Option<&[String]>) -> String {
    let mut text = format!(
        "timezone = \"{ZONE}\"\n\n{hours}\n[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n\n\
         [release]\nmode = \"replay\"\n"
    );
    if let Some(argv) = argv {
        let command: Vec<String> = argv.iter().map(|a| format!("{a:?}")).collect();
        text += &format!("\n[display]\ncommand = [{}]\n", command.join(", "));
    }
    text
}

// Two daemons installed, a Wayland session: the one that fits starts.

#[tokio::test]
async fn in_a_wayland_session_with_mako_and_dunst_installed_mako_draws() {
    if !installed("mako", &["/usr/bin/mako", "/usr/bin/dunst", "notify-send"]) {
        return;
    }
    let Some(session) = Session::wayland().await else {
        return;
    };
    // An activation file each, in a data directory of the test's own.
    let data = session.dir().join("data-home");
    let services = data.join("dbus-1/services");
    std::fs::create_dir_all(&services).expect("services dir");
    std::fs::write(
        services.join("fr.emersion.mako.service"),
        "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=/usr/bin/mako\n",
    )
    .expect("mako's activation file");
    let dunst = ["/usr/bin/dunst".to_string()]
        .into_iter()
        .chain(session.dunst_argv().into_iter().skip(1))
        .collect::<Vec<_>>()
        .join(" ");
    std::fs::write(
        services.join("org.knopwob.dunst.service"),
        format!("[D-BUS Service]\nName=org.freedesktop.Notifications\nExec={dunst}\n"),
    )
    .expect("dunst's activation file");
    let none = session.dir().join("no-system-data");
    let socket = session.wayland_display().expect("a Wayland session");
    let env = [
        ("XDG_DATA_HOME", data.to_str().expect("a path")),
        ("XDG_DATA_DIRS", none.to_str().expect("a path")),
        ("XDG_CURRENT_DESKTOP", "sway"),
        ("WAYLAND_DISPLAY", socket.to_str().expect("a path")),
    ];

    let started = std::time::Instant::now();
    let couper = session.couper_run(&settings(NEVER, None), &env).await;
    eprintln!("gating after {:?}", started.elapsed());
    let status = couper.status().await;
    let display = status["display"].as_str().expect("display");
    assert!(display.starts_with("/usr/bin/mako"), "{display}");
    session
        .ok(
            "notify-send",
            &[
                "-a",
                "slack",
                "-h",
                "string:desktop-entry:slack",
                "Evening",
                "held",
            ],
        )
        .await;
    assert_eq!(couper.status().await["held"], 1, "it gates");
}

/// One daemon behind `couper run`, an app on the session bus, and a monitor on Couper's
/// private bus.
struct Matrix<'s> {
    daemon: Standalone,
    session: &'s Session,
    couper: CouperRun<'s>,
    app: zbus::Connection,
    heard: zbus::MessageStream,
    private: Monitor,
}

/// The cases, the same for each daemon.
async fn matrix(daemon: Standalone) {
    let Some(program) = daemon.program() else {
        return;
    };
    let Some(session) = daemon.session().await else {
        return;
    };
    let argv = match daemon {
        Standalone::Dunst => session.dunst_argv(),
        _ => vec![program],
    };
    let couper = session
        .couper_run(&settings(ALWAYS, Some(&argv)), &[])
        .await;
    let mut m = Matrix::new(daemon, &session, couper).await;
    // The action first: notification-daemon's bubble closed by a call stays on the screen
    // and in front of the rest.
    m.action_reaches_the_app().await;
    m.shown_then_closed_by_the_app().await;
    m.replaced_in_place().await;
    m.held_while_off_and_released_on_on().await;
}

#[tokio::test]
async fn behind_couper_dunst_shows_relays_closes_replaces_and_holds() {
    matrix(Standalone::Dunst).await;
}

#[tokio::test]
async fn behind_couper_mako_shows_relays_closes_replaces_and_holds() {
    matrix(Standalone::Mako).await;
}

#[tokio::test]
async fn behind_couper_swaync_shows_relays_closes_replaces_and_holds() {
    matrix(Standalone::Swaync).await;
}

#[tokio::test]
async fn behind_couper_xfce4_notifyd_shows_relays_closes_replaces_and_holds() {
    matrix(Standalone::Xfce4Notifyd).await;
}

#[tokio::test]
async fn behind_couper_notification_daemon_shows_relays_closes_replaces_and_holds() {
    matrix(Standalone::NotificationDaemon).await;
}

impl<'s> Matrix<'s> {
    async fn new(daemon: Standalone, session: &'s Session, couper: CouperRun<'s>) -> Matrix<'s> {
        let app = zbus::connection::Builder::address(session.bus())
            .build()
            .await
            .expect("session bus");
        let rule = zbus::MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .interface(gate::NOTIFICATIONS)
            .build()
            .expect("rule");
        let heard = zbus::MessageStream::for_match_rule(rule, &app, None)
            .await
            .expect("subscribe");
        let private = Monitor::start(couper.display_bus()).await;
        Matrix {
            daemon,
            session,
            couper,
            app,
            heard,
            private,
        }
    }

    /// Notify as `app` would, actions and all, never expiring; returns Couper's id.
    async fn notify(&self, app: &str, replaces: u32, summary: &str, actions: &[&str]) -> u32 {
        let hints = HashMap::from([("desktop-entry", zbus::Variant::from(app))]);
        let reply = self
            .app
            .call_method(
                Some(gate::NOTIFICATIONS),
                PATH,
                Some(gate::NOTIFICATIONS),
                "Notify",
                &(app, replaces, "", summary, "body", actions, hints, 0i32),
            )
            .await
            .expect("Notify");
        reply.body().deserialize().expect("an id")
    }

    /// A work notification (Slack's).
    async fn work(&self, replaces: u32, summary: &str) -> u32 {
        self.notify("slack", replaces, summary, &[]).await
    }

    /// Waits until the daemon shows `n` notifications.
    async fn shows(&self, n: usize) {
        let (daemon, session) = (self.daemon, self.session);
        eventually_async(&format!("{daemon:?} to show {n}"), || async move {
            daemon
                .shown(session)
                .await
                .is_none_or(|now| now == n)
                .then_some(())
        })
        .await;
    }

    /// The next signal `member` Couper sent the app about `id`, its second argument.
    async fn heard<T>(&mut self, member: &str, id: u32) -> T
    where
        T: for<'d> zbus::export::serde::Deserialize<'d> + zbus::zvariant::Type,
    {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.heard.next())
                .await
                .unwrap_or_else(|_| panic!("the app did not hear {member} for {id}"))
                .expect("stream")
                .expect("message");
            if message
                .header()
                .member()
                .is_some_and(|m| m.as_str() == member)
            {
                let (about, what): (u32, T) = message.body().deserialize().expect(member);
                if about == id {
                    return what;
                }
            }
        }
    }

    /// The app withdraws `id`, which the daemon showed with `shown` in all: the app hears
    /// it closed. Returns the reason, and how many the daemon shows after.
    async fn withdraw(&mut self, id: u32, shown: usize) -> (u32, usize) {
        self.app
            .call_method(
                Some(gate::NOTIFICATIONS),
                PATH,
                Some(gate::NOTIFICATIONS),
                "CloseNotification",
                &id,
            )
            .await
            .expect("CloseNotification");
        let reason = self.heard::<u32>("NotificationClosed", id).await;
        // notification-daemon 3.20 only says it closed it: its handler emits
        // NotificationClosed, and a FIXME in its source (src/nd-daemon.c) leaves the bubble
        // on the screen. The signal is what is checked there.
        if self.daemon.shown(self.session).await.is_none() {
            return (reason, shown);
        }
        self.shows(shown - 1).await;
        (reason, shown - 1)
    }

    async fn shown_then_closed_by_the_app(&mut self) {
        let before = self.daemon.shown(self.session).await.unwrap_or_default();
        let id = self.work(0, "Standup").await;
        self.shows(before + 1).await;
        let asked = self.private.notified("Standup").await;
        assert_eq!(asked.replaces, 0);
        if let Some(summaries) = self.daemon.summaries(self.session).await {
            assert!(summaries.contains(&"Standup".to_string()), "{summaries:?}");
        }
        let (reason, _) = self.withdraw(id, before + 1).await;
        assert_eq!(reason, 3, "closed by a call to CloseNotification");
        eprintln!("{:?}: shown, closed by the app", self.daemon);
    }

    async fn replaced_in_place(&mut self) {
        let before = self.daemon.shown(self.session).await.unwrap_or_default();
        let id = self.work(0, "Deploy?").await;
        self.shows(before + 1).await;
        let first = self.private.notified("Deploy?").await;
        assert_eq!(self.work(id, "Deployed").await, id, "Couper's id is kept");
        let second = self.private.notified("Deployed").await;
        assert_eq!(
            second.replaces, first.id,
            "asked to replace its own notification"
        );
        assert_eq!(second.id, first.id, "the daemon kept it as the same one");
        // What comes after the replacement is shown once the replacement is done.
        let after = self.work(0, "Lunch?").await;
        self.shows(before + 2).await;
        if let Some(summaries) = self.daemon.summaries(self.session).await {
            assert!(summaries.contains(&"Deployed".to_string()), "{summaries:?}");
            assert!(!summaries.contains(&"Deploy?".to_string()), "{summaries:?}");
        }
        let (_, shown) = self.withdraw(after, before + 2).await;
        self.withdraw(id, shown).await;
        eprintln!("{:?}: replaced in place", self.daemon);
    }

    async fn action_reaches_the_app(&mut self) {
        let before = self.daemon.shown(self.session).await.unwrap_or_default();
        let windows = self.daemon.windows(self.session).await;
        let key = self.daemon.action_key();
        let id = self.notify("slack", 0, "Review", &[key, "Open"]).await;
        self.shows(before + 1).await;
        match self.daemon.invoke(self.session, &windows).await {
            Ok(()) => {
                let invoked: String = self.heard("ActionInvoked", id).await;
                assert_eq!(invoked, key);
                eprintln!("{:?}: action relayed", self.daemon);
            }
            Err(why) => eprintln!("{:?}: action not checked: {why}", self.daemon),
        }
        // Closed by the daemon after the action, or now by the app: the app hears it.
        let _ = self
            .app
            .call_method(
                Some(gate::NOTIFICATIONS),
                PATH,
                Some(gate::NOTIFICATIONS),
                "CloseNotification",
                &id,
            )
            .await;
        self.heard::<u32>("NotificationClosed", id).await;
    }

    async fn held_while_off_and_released_on_on(&mut self) {
        let said = self.couper.ok(&["off"]).await;
        assert!(said.starts_with("Off"), "{said}");
        let before = self.daemon.shown(self.session).await.unwrap_or_default();
        let id = self.work(0, "Bryan").await;
        // A personal one is shown at once: the work one, sent before it, would be by then.
        let personal = self.notify("whatsapp", 0, "Dinner?", &[]).await;
        self.shows(before + 1).await;
        assert_eq!(self.couper.status().await["held"], 1);
        let (_, shown) = self.withdraw(personal, before + 1).await;

        let said = self.couper.ok(&["on"]).await;
        assert!(said.starts_with("Working"), "{said}");
        self.shows(shown + 1).await;
        let released = self.private.notified("Bryan").await;
        assert_eq!(released.replaces, 0);
        if let Some(summaries) = self.daemon.summaries(self.session).await {
            assert!(summaries.contains(&"Bryan".to_string()), "{summaries:?}");
        }
        assert_eq!(self.couper.status().await["held"], 0);
        self.withdraw(id, shown + 1).await;
        eprintln!("{:?}: held while off, released on `couper on`", self.daemon);
    }
}

/// A Notify the display daemon was asked on Couper's private bus, and its answer.
#[derive(Debug)]
struct Asked {
    replaces: u32,
    id: u32,
}

/// `busctl monitor` on Couper's private bus: every message on it, as JSON lines.
struct Monitor {
    _busctl: tokio::process::Child,
    lines: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
    /// Notify calls not answered yet: (sender, cookie) → (summary, replaces_id).
    asking: HashMap<(String, u64), (String, u32)>,
    /// Answered Notify calls, by summary, in order.
    answered: Vec<(String, Asked)>,
}

impl Monitor {
    /// Starts monitoring `address`, and returns once a call made after is seen.
    async fn start(address: &str) -> Monitor {
        let mut busctl = tokio::process::Command::new("busctl")
            .arg(format!("--address={address}"))
            .args(["monitor", "--json=short"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("busctl monitor");
        let lines = BufReader::new(busctl.stdout.take().expect("stdout")).lines();
        let mut monitor = Monitor {
            _busctl: busctl,
            lines,
            asking: HashMap::new(),
            answered: Vec::new(),
        };
        let probe = zbus::connection::Builder::address(address)
            .build()
            .await
            .expect("private bus");
        let dbus = zbus::fdo::DBusProxy::new(&probe).await.expect("bus");
        loop {
            let _ = dbus.get_id().await;
            let seen = tokio::time::timeout(Duration::from_millis(200), monitor.next()).await;
            if let Ok(Some(message)) = seen {
                if message["member"] == "GetId" {
                    break;
                }
            }
        }
        monitor
    }

    /// The next message seen.
    async fn next(&mut self) -> Option<Value> {
        loop {
            let line = self.lines.next_line().await.expect("busctl")?;
            let Ok(message) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            let key = |who: &str, cookie: &str| {
                (
                    message[who].as_str().unwrap_or_default().to_string(),
                    message[cookie].as_u64().unwrap_or_default(),
                )
            };
            let data = &message["payload"]["data"];
            if message["type"] == "method_call" && message["member"] == "Notify" {
                let summary = data[3].as_str().unwrap_or_default().to_string();
                let replaces = data[1].as_u64().unwrap_or_default() as u32;
                self.asking
                    .insert(key("sender", "cookie"), (summary, replaces));
            } else if message["type"] == "method_return" {
                if let Some((summary, replaces)) =
                    self.asking.remove(&key("destination", "reply_cookie"))
                {
                    let id = data[0].as_u64().expect("Notify's answer") as u32;
                    self.answered.push((summary, Asked { replaces, id }));
                }
            }
            return Some(message);
        }
    }

    /// The first Notify with `summary` the daemon was asked and answered (waits for it).
    async fn notified(&mut self, summary: &str) -> Asked {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Some(at) = self.answered.iter().position(|(s, _)| s == summary) {
                return self.answered.remove(at).1;
            }
            tokio::time::timeout_at(deadline, self.next())
                .await
                .unwrap_or_else(|_| panic!("the daemon was not asked to show {summary:?}"))
                .expect("busctl monitor ended");
        }
    }
}
