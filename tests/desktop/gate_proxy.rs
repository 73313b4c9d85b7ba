//! The proxy gate with real parts: an Xvfb display, a session bus, the gate in-process, dunst
//! on the gate's private bus, and `notify-send` / `gdbus` as apps. What dunst shows is read
//! back with `dunstctl`.

use crate::desktop;
use crate::poll;

use std::process::Stdio;

use couper::gate::{self, GateError, Verdict};
use couper::notification::Notification;
use desktop::{next_event, Desktop, Dunst, Event, Keeper, PATIENCE};
use futures_util::StreamExt;

/// The next `Notified` event's id and notification.
async fn notified(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
) -> (u32, Verdict, Notification) {
    match next_event(events).await {
        Event::Notified {
            id,
            verdict,
            notification,
        } => (id, verdict, notification),
        other => panic!("expected a notification, got {other:?}"),
    }
}

#[tokio::test]
async fn a_delivered_notification_reaches_dunst_with_its_summary_body_and_urgency() {
    let desk = Desktop::start().await;
    let (keeper, mut events) = Keeper::new();
    let gate = desk.start_gate(keeper).await.expect("gate");
    let dunst = Dunst::of(&gate.handle());

    desk.run(
        "notify-send",
        &["-a", "Slack", "-u", "low", "Standup", "in 5 minutes"],
    )
    .await;
    let (id, verdict, n) = notified(&mut events).await;
    assert_eq!(verdict, Verdict::Deliver);
    assert!(id >= 1000);
    assert_eq!((n.app.as_str(), n.summary.as_str()), ("Slack", "Standup"));

    dunst.wait_displayed(1).await;
    let shown = dunst.close_all_and_read().await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].app, "Slack");
    assert_eq!(shown[0].summary, "Standup");
    assert_eq!(shown[0].body, "in 5 minutes");
    assert_eq!(shown[0].message, "LOW Standup|in 5 minutes");
}

#[tokio::test]
async fn an_action_clicked_in_dunst_reaches_the_app_that_sent_it() {
    let desk = Desktop::start().await;
    let (keeper, mut events) = Keeper::new();
    let gate = desk.start_gate(keeper).await.expect("gate");
    let dunst = Dunst::of(&gate.handle());

    let app = desk
        .app("notify-send")
        .args([
            "--wait",
            "--action=yes=Yes",
            "--action=no=No",
            "Deploy?",
            "approve the release",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("notify-send");
    let (id, _, n) = notified(&mut events).await;
    assert_eq!(n.actions, ["yes", "Yes", "no", "No"]);
    dunst.wait_displayed(1).await;
    // dunst numbers from 1: the app hears Couper's id (1000 and up), or it would not react.
    dunst.action(0).await;

    let output = tokio::time::timeout(PATIENCE, app.wait_with_output())
        .await
        .expect("notify-send --wait did not end")
        .expect("notify-send");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "yes",
        "id {id}"
    );
}

#[tokio::test]
async fn a_held_notification_does_not_reach_dunst_until_the_service_shows_it() {
    let desk = Desktop::start().await;
    let (keeper, mut events) = Keeper::new();
    let gate = desk.start_gate(keeper).await.expect("gate");
    let handle = gate.handle();
    let dunst = Dunst::of(&handle);

    let out = desk
        .run(
            "notify-send",
            &["-p", "-a", "Teams", "HOLD weekly report", "due Monday"],
        )
        .await;
    let (held, verdict, n) = notified(&mut events).await;
    assert_eq!(verdict, Verdict::Hold);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        held.to_string()
    );

    // Sent after the held one: once dunst shows it, the held one would be there too.
    desk.run("notify-send", &["-a", "Signal", "Lunch?", "12:30"])
        .await;
    notified(&mut events).await;
    dunst.wait_displayed(1).await;
    assert_eq!(dunst.received().await, 1);

    handle.show(held, &n, false).await.expect("show");
    dunst.wait_displayed(2).await;
    let shown = dunst.close_all_and_read().await;
    let messages: Vec<_> = shown.iter().map(|s| s.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "NORMAL Lunch?|12:30",
            "NORMAL HOLD weekly report|due Monday"
        ]
    );
}

#[tokio::test]
async fn a_crisis_is_shown_with_critical_urgency() {
    let desk = Desktop::start().await;
    let (keeper, mut events) = Keeper::new();
    let gate = desk.start_gate(keeper).await.expect("gate");
    let dunst = Dunst::of(&gate.handle());

    desk.run(
        "notify-send",
        &[
            "-u",
            "low",
            "-a",
            "PagerDuty",
            "CRISIS prod is down",
            "since 21:04",
        ],
    )
    .await;
    let (_, verdict, _) = notified(&mut events).await;
    assert_eq!(verdict, Verdict::DeliverCrisis);
    dunst.wait_displayed(1).await;
    let shown = dunst.close_all_and_read().await;
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].message, "CRITICAL CRISIS prod is down|since 21:04");
}

#[tokio::test]
async fn close_notification_from_the_app_closes_it_in_dunst() {
    let desk = Desktop::start().await;
    let (keeper, mut events) = Keeper::new();
    let gate = desk.start_gate(keeper).await.expect("gate");
    let dunst = Dunst::of(&gate.handle());

    let out = desk
        .run("notify-send", &["-p", "Call from Gwen", "ringing"])
        .await;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let (notified_id, _, _) = notified(&mut events).await;
    assert_eq!(id, notified_id.to_string());
    dunst.wait_displayed(1).await;

    desk.run(
        "gdbus",
        &[
            "call",
            "--session",
            "--dest",
            "org.freedesktop.Notifications",
            "--object-path",
            "/org/freedesktop/Notifications",
            "--method",
            "org.freedesktop.Notifications.CloseNotification",
            &id,
        ],
    )
    .await;
    assert_eq!(next_event(&mut events).await, Event::Closed(notified_id));
    dunst.wait_displayed(0).await;
}

#[tokio::test]
async fn a_replacement_updates_the_notification_in_place() {
    let desk = Desktop::start().await;
    let (keeper, mut events) = Keeper::new();
    let gate = desk.start_gate(keeper).await.expect("gate");
    let dunst = Dunst::of(&gate.handle());

    let out = desk.run("notify-send", &["-p", "Upload", "10%"]).await;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    notified(&mut events).await;
    dunst.wait_displayed(1).await;
    let out = desk
        .run("notify-send", &["-p", "-r", &id, "Upload", "100%"])
        .await;
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), id);
    notified(&mut events).await;

    let shown = dunst.close_all_and_read().await;
    let messages: Vec<_> = shown.iter().map(|s| s.message.as_str()).collect();
    assert_eq!(messages, ["NORMAL Upload|100%"]);
}

#[tokio::test]
async fn an_action_on_the_digest_reaches_the_gatekeeper() {
    let desk = Desktop::start().await;
    let (keeper, mut events) = Keeper::new();
    let gate = desk.start_gate(keeper).await.expect("gate");
    let handle = gate.handle();
    let dunst = Dunst::of(&handle);

    let digest = Notification {
        app: "Couper".into(),
        summary: "While you were off: 12 held — Slack 7, Teams 5".into(),
        actions: vec!["default".into(), "Show held".into()],
        ..Notification::default()
    };
    let id = handle.post_own(&digest).await.expect("post");
    assert!(id > u32::MAX / 2);
    dunst.wait_displayed(1).await;
    dunst.action(0).await;
    assert_eq!(
        next_event(&mut events).await,
        Event::OwnAction(id, "default".into())
    );
}

#[tokio::test]
async fn a_second_gate_on_the_same_session_is_told_who_owns_the_name() {
    let desk = Desktop::start().await;
    let (keeper, _events) = Keeper::new();
    let _first = desk.start_gate(keeper.clone()).await.expect("first gate");

    let second = desk.start_gate(keeper).await;
    let Err(GateError::NameTaken { owner, pid }) = second else {
        panic!("expected NameTaken, got {second:?}");
    };
    assert_eq!(pid, Some(std::process::id()));
    let me = std::env::current_exe().expect("exe");
    let me = me.file_name().expect("name").to_string_lossy();
    assert_eq!(owner, me);
    let line = GateError::NameTaken { owner, pid }.to_string();
    assert!(
        line.starts_with(&format!(
            "org.freedesktop.Notifications is owned by {me} (pid {}), which you started: \
             `couper run --replace` puts Couper in front of it",
            std::process::id()
        )),
        "{line}"
    );
}

#[tokio::test]
async fn a_daemon_the_bus_starts_while_the_gate_starts_its_own_is_taken_over() {
    let desk = Desktop::start().await;
    let (keeper, mut events) = Keeper::new();
    // The gate's dunst waits for a word on a pipe: the moment, while Couper starts its own
    // daemon, when the name is still free (a session's first seconds, apps starting).
    let go = desk.dir().join("go");
    let fifo = std::ffi::CString::new(go.to_str().expect("path")).expect("path");
    // SAFETY: mkfifo(3) on a path of this test's own directory.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let mut config = desk.gate_config();
    let dunst = config.display_command.take().expect("dunst");
    let mut waits = vec![
        "sh".to_string(),
        "-c".into(),
        format!("read _ < '{}'; exec \"$@\"", go.display()),
        "sh".into(),
    ];
    waits.extend(dunst);
    config.display_command = Some(waits);
    config.take_over = gate::TakeOver::Activated;
    let shutdown = tokio_util::sync::CancellationToken::new();
    let starting = tokio::spawn(gate::start(keeper, config, shutdown.clone()));
    // The gate's daemon is waiting once the pipe has its reader.
    let word = poll::within(
        "the gate's daemon to wait on the pipe",
        PATIENCE,
        || async {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&go)
                .ok()
        },
    )
    .await;
    // An app's call finds the name free: the bus starts the session's dunst for it.
    let info = gdbus(&desk, desk.session_bus(), "GetServerInformation", &[]).await;
    assert!(info.contains("dunst"), "{info}");
    let session = zbus::connection::Builder::address(desk.session_bus())
        .build()
        .await
        .expect("session");
    let dbus = zbus::fdo::DBusProxy::new(&session).await.expect("dbus");
    let notifications = || zbus::names::BusName::try_from(gate::NOTIFICATIONS).expect("name");
    let activated = dbus
        .get_connection_unix_process_id(notifications())
        .await
        .expect("the activated dunst's pid");
    assert_ne!(activated, std::process::id());

    std::io::Write::write_all(&mut &word, b"go\n").expect("the word");
    drop(word);
    let gate = starting
        .await
        .expect("the gate's task")
        .expect("the gate takes the name over from the daemon the bus started");
    assert_eq!(
        dbus.get_connection_unix_process_id(notifications())
            .await
            .expect("the owner's pid"),
        std::process::id()
    );
    // Apps' notifications go through Couper now, and the other dunst is gone.
    desk.run("notify-send", &["-a", "Slack", "Standup", "in 5 minutes"])
        .await;
    let (_, _, notification) = notified(&mut events).await;
    assert_eq!(notification.summary, "Standup");
    poll::within("the activated dunst to end", PATIENCE, || async {
        // SAFETY: kill(2) with signal 0 only asks whether the process still exists.
        let gone = unsafe { libc::kill(activated as libc::pid_t, 0) } != 0;
        gone.then_some(())
    })
    .await;
    shutdown.cancel();
    gate.wait().await.expect("a clean stop");
}

#[tokio::test]
async fn a_stopped_gate_gives_the_name_back_and_ends_its_private_bus() {
    let desk = Desktop::start().await;
    let (keeper, _events) = Keeper::new();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let gate = desk
        .start_gate_until(keeper, shutdown.clone())
        .await
        .expect("gate");
    let display_bus = gate.handle().display_bus_address().to_string();
    let session = zbus::connection::Builder::address(desk.session_bus())
        .build()
        .await
        .expect("session");
    assert!(has_owner(&session).await);

    shutdown.cancel();
    gate.wait().await.expect("a clean stop");
    assert!(!has_owner(&session).await);
    let private = zbus::connection::Builder::address(display_bus.as_str())
        .build()
        .await;
    assert!(private.is_err(), "the private bus is gone");
}

async fn has_owner(session: &zbus::Connection) -> bool {
    let reply = session
        .call_method(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            Some("org.freedesktop.DBus"),
            "NameHasOwner",
            &gate::NOTIFICATIONS,
        )
        .await
        .expect("NameHasOwner");
    reply.body().deserialize().expect("bool")
}

#[tokio::test]
async fn killing_couper_frees_the_name_and_ends_its_children() {
    let desk = Desktop::start().await;
    let session = zbus::connection::Builder::address(desk.session_bus())
        .build()
        .await
        .expect("session");
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .sender("org.freedesktop.DBus")
        .interface("org.freedesktop.DBus")
        .member("NameOwnerChanged")
        .arg(0, gate::NOTIFICATIONS)
        .build()
        .expect("rule");
    let mut owners = zbus::MessageStream::for_match_rule(rule, &session, None)
        .await
        .expect("subscribe");

    // The real `couper run`, its display daemon dunst on the test display.
    let config = desk.dir().join("settings.toml");
    std::fs::write(
        &config,
        format!(
            "[display]\ncommand = [\"dunst\", \"-config\", \"{}\"]\n",
            desk.dunstrc().display()
        ),
    )
    .expect("settings");
    let mut couper = desk
        .app(env!("CARGO_BIN_EXE_couper"))
        .arg("run")
        .env("COUPER_CONFIG", &config)
        .env("COUPER_STORE", desk.dir().join("couper.sqlite3"))
        // Where the private bus puts its directory, which a kill -9 leaves behind.
        .env("XDG_RUNTIME_DIR", desk.dir())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("couper run");
    let pid = couper.id().expect("pid");

    let taken = next_owner(&mut owners).await;
    assert!(!taken.is_empty());
    let children = children_of(pid);
    assert_eq!(children.len(), 2, "the private bus and dunst: {children:?}");

    // SAFETY: kill(2) on our own child, not yet reaped.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGKILL);
    }
    let freed = next_owner(&mut owners).await;
    assert_eq!(freed, "", "the name goes back to the bus");
    let _ = couper.wait().await;

    // Their parent is gone, so nobody reaps them here: "ended" includes zombies.
    let mut backoff = desktop::Backoff::new(PATIENCE);
    for child in children {
        while is_running(child) {
            backoff
                .wait(format_args!("pid {child} outlived Couper"))
                .await;
        }
    }
}

/// The new owner in the next `NameOwnerChanged` for the notification name.
async fn next_owner(owners: &mut zbus::MessageStream) -> String {
    let message = tokio::time::timeout(PATIENCE, owners.next())
        .await
        .expect("no NameOwnerChanged in time")
        .expect("stream ended")
        .expect("message");
    let (_, _, new): (String, String, String) = message.body().deserialize().expect("args");
    new
}

/// The pids of `pid`'s children (all its threads'), from /proc.
fn children_of(pid: u32) -> Vec<u32> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).expect("tasks");
    let mut children: Vec<u32> = tasks
        .filter_map(|t| t.ok())
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect();
    children.sort_unstable();
    children
}

/// Whether `pid` still runs (a zombie has ended).
fn is_running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .map(|(_, rest)| !rest.trim_start().starts_with('Z'))
            .unwrap_or(false),
        Err(_) => false,
    }
}

/// Issue 15: apps are answered at once, whatever the display daemon's speed. Behind a
/// daemon that answers nothing (tests/fixtures/stuck-daemon.py), 300 notifications from
/// one app are all answered, each with an id of its own; once the daemon wakes up, each
/// reaches it once, in the order the app sent them.
#[tokio::test]
async fn a_stuck_display_daemon_does_not_hold_up_the_answers_to_apps() {
    const SENT: usize = 300;
    let desk = Desktop::start().await;
    let log = desk.dir().join("stuck-daemon.log");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/stuck-daemon.py"
    );
    let mut config = desk.gate_config();
    config.display_command = Some(vec![
        "/usr/bin/python3".into(),
        script.into(),
        log.display().to_string(),
    ]);
    let (keeper, _events) = Keeper::new();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let _gate = gate::start(keeper, config, shutdown).await.expect("gate");
    let app = zbus::connection::Builder::address(desk.session_bus())
        .build()
        .await
        .expect("session bus");

    // A daemon's answer would take forever: the app's calls must not wait for one (a
    // call that did would wait for zbus's own 25 s timeout on the daemon's side).
    let mut ids = std::collections::BTreeSet::new();
    let all = async {
        for i in 0..SENT {
            let reply = app
                .call_method(
                    Some(gate::NOTIFICATIONS),
                    "/org/freedesktop/Notifications",
                    Some(gate::NOTIFICATIONS),
                    "Notify",
                    &(
                        "Slack",
                        0u32,
                        "",
                        "Bryan",
                        format!("message {i}"),
                        Vec::<&str>::new(),
                        std::collections::HashMap::<&str, zbus::Variant<'_>>::new(),
                        -1i32,
                    ),
                )
                .await
                .expect("Notify answered while the daemon answers nothing");
            ids.insert(reply.body().deserialize::<u32>().expect("an id"));
        }
    };
    tokio::time::timeout(PATIENCE, all)
        .await
        .expect("the app's notifications waited for the stuck daemon");
    assert_eq!(ids.len(), SENT, "each notification has an id of its own");

    // The daemon, a child of this process, named by its log.
    let log_name = log.display().to_string();
    let daemon = children_of(std::process::id())
        .into_iter()
        .find(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&log_name))
        })
        .expect("the stuck daemon runs");
    // SAFETY: signalling our own child, by its id.
    assert_eq!(
        unsafe { libc::kill(daemon as libc::pid_t, libc::SIGUSR1) },
        0
    );

    let sent: Vec<String> = (0..SENT).map(|i| format!("message {i}")).collect();
    let shown = poll::within("the daemon is asked to show all", PATIENCE, || async {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        (lines.len() >= SENT).then_some(lines)
    })
    .await;
    assert_eq!(shown, sent, "each once, in the order sent");
}

/// `gdbus call` of a Notifications method on the bus at `address`; its output.
async fn gdbus(desk: &Desktop, address: &str, method: &str, args: &[&str]) -> String {
    let mut command = desk.app("gdbus");
    command.env("DBUS_SESSION_BUS_ADDRESS", address).args([
        "call",
        "--session",
        "--dest",
        "org.freedesktop.Notifications",
        "--object-path",
        "/org/freedesktop/Notifications",
        "--method",
        &format!("org.freedesktop.Notifications.{method}"),
    ]);
    let output = tokio::time::timeout(PATIENCE, command.args(args).output())
        .await
        .expect("gdbus hung")
        .expect("gdbus");
    assert!(
        output.status.success(),
        "gdbus {method}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// The capabilities in `gdbus`'s answer to `GetCapabilities`: `(['actions', 'body'],)`.
fn capability_list(answer: &str) -> Vec<String> {
    answer
        .trim_start_matches("([")
        .trim_end_matches("],)")
        .split(", ")
        .map(|c| c.trim_matches('\'').to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

#[tokio::test]
async fn chromium_is_told_of_the_origin_hint_and_dunst_still_shows_the_site_above_the_text() {
    let desk = Desktop::start().await;
    let (keeper, mut events) = Keeper::new();
    let gate = desk.start_gate(keeper).await.expect("gate");
    let handle = gate.handle();
    let dunst = Dunst::of(&handle);

    let dunst_own =
        capability_list(&gdbus(&desk, handle.display_bus_address(), "GetCapabilities", &[]).await);
    assert!(!dunst_own.contains(&"x-kde-origin-name".to_string()));
    assert!(
        dunst_own.contains(&"body-hyperlinks".to_string()),
        "{dunst_own:?}"
    );
    let session = desk.session_bus().to_string();
    let couper = capability_list(&gdbus(&desk, &session, "GetCapabilities", &[]).await);
    let mut expected = dunst_own.clone();
    expected.push("x-kde-origin-name".into());
    assert_eq!(couper, expected, "dunst's own, and the hint Couper handles");

    // What Chromium sends a server that advertises the hint: the site there, the body
    // the page's text alone.
    gdbus(
        &desk,
        &session,
        "Notify",
        &[
            "--",
            "Chromium",
            "0",
            "",
            "Inbox",
            "3 new messages",
            "[]",
            "{'x-kde-origin-name': <'mail.example.org'>, 'desktop-entry': <'chromium'>}",
            "-1",
        ],
    )
    .await;
    let (_, verdict, n) = notified(&mut events).await;
    assert_eq!(verdict, Verdict::Deliver);
    assert_eq!(n.site().as_deref(), Some("mail.example.org"));
    assert_eq!(n.message(), "3 new messages");

    dunst.wait_displayed(1).await;
    let shown = dunst.close_all_and_read().await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(
        shown[0].message, "NORMAL Inbox|mail.example.org\n\n3 new messages",
        "as Chromium itself shows it to dunst: {shown:?}"
    );
}
