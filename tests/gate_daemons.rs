//! Behind Couper, each display daemon's own tools and settings work as they did without it
//! (issue 12): the daemon runs on Couper's private bus, and its tools, its settings and the
//! session services it uses reach it through Couper (`src/gate/relay.rs`).
//!
//! Real parts only: the gate in-process on a session bus of the test's own
//! (tests/common/daemons.rs), each daemon named explicitly, its own tool run on the session
//! bus as a user runs it, and what it shows read back with that tool (or, for
//! xfce4-notifyd, by its popups on the X display). A daemon that is not installed, or
//! cannot run here, is reported and skipped; on CI (`CI` set) that fails instead.

#[path = "common/daemons.rs"]
mod daemons;
#[path = "common/desktop.rs"]
mod desktop;

use std::collections::HashMap;
use std::process::Stdio;
use std::time::Duration;

use couper::gate::{self, Gate};
use daemons::{activated_program, cannot_run, eventually_async, installed, Session};
use desktop::{Dunst, Keeper, PATIENCE};
use futures_util::StreamExt;
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

// dunst, on Xvfb: dunstctl calls org.dunstproject.cmd0 on /org/freedesktop/Notifications.

#[tokio::test]
async fn dunstctl_counts_closes_and_lists_the_history_through_couper() {
    if !installed("dunst", &["dunst", "dunstctl", "busctl"]) {
        return;
    }
    let session = Session::x11().await;
    let (keeper, _events) = Keeper::new();
    let _gate = session.start_gate(keeper, &session.dunst_argv()).await;
    let dunst = Dunst::on(session.bus());

    session
        .ok("notify-send", &["-a", "Slack", "Standup", "in 5 minutes"])
        .await;
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
    let (keeper, _events) = Keeper::new();
    let _gate = session.start_gate(keeper, &session.dunst_argv()).await;
    let dunst = Dunst::on(session.bus());

    session.ok("dunstctl", &["set-paused", "true"]).await;
    assert_eq!(session.ok("dunstctl", &["is-paused"]).await, "true");
    session
        .ok("notify-send", &["-a", "Slack", "Standup", "in 5 minutes"])
        .await;
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
    let (keeper, _events) = Keeper::new();
    let _gate = session.start_gate(keeper, &session.dunst_argv()).await;

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
    let (keeper, _events) = Keeper::new();
    let _gate = session.start_gate(keeper, &session.dunst_argv()).await;

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
    let (keeper, _events) = Keeper::new();
    let gate = session.start_gate(keeper, &session.dunst_argv()).await;
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
    let (keeper, _events) = Keeper::new();
    let _gate = session.start_gate(keeper, &["mako"]).await;

    session
        .ok("notify-send", &["-a", "Slack", "Standup", "in 5 minutes"])
        .await;
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
    let (keeper, _events) = Keeper::new();
    let _gate = session.start_gate(keeper, &["swaync"]).await;

    session
        .ok("notify-send", &["-a", "Slack", "Standup", "in 5 minutes"])
        .await;
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
    let Some(notifyd) = activated_program("org.xfce.xfce4-notifyd.Notifications.service") else {
        cannot_run("xfce4-notifyd: not installed (scripts/setup --tests installs it)");
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
    let (keeper, _events) = Keeper::new();
    let gate = session.start_gate(keeper, &[&notifyd]).await;

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
    let Some(notifyd) = activated_program("org.xfce.xfce4-notifyd.Notifications.service") else {
        cannot_run("xfce4-notifyd: not installed (scripts/setup --tests installs it)");
        return;
    };
    if !installed(
        "the accessibility bus",
        &[&notifyd, "/usr/libexec/at-spi-bus-launcher", "gdbus"],
    ) {
        return;
    }
    let session = Session::x11().await;
    let (keeper, _events) = Keeper::new();
    let gate = session.start_gate(keeper, &[&notifyd]).await;

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
