//! One gate per session (issue 8), with real processes on a real bus: the built
//! `couper-app` and `couper` on a test desktop (Xvfb, a private session bus, dunst), a
//! StatusNotifierWatcher of the test's own for the tray, and the CLI for what a user would
//! check. A second app shows the first one's window; an app that finds a headless
//! `couper run` becomes its front door (the tray drives that gate, and follows it); a
//! `couper run` that finds the app's gate says so.
//!
//! Nothing sleeps for a fixed time: the tests wait for processes to end, for the tray's own
//! signals, and (X has no signal for it) poll for the window with a deadline.

use crate::app;
use crate::desktop;
use crate::panel;

use app::{
    couper, owner_pid, spawn, spawn_couper_run, until_window_shows, visible_windows, wait_for_gate,
    Files,
};
use desktop::{Desktop, PATIENCE};
use panel::{find, until_menu, Panel};
use serde_json::Value;
use std::process::ExitStatus;
use tokio::process::Child;

/// Waits for `child` to end.
async fn ended(child: &mut Child, what: &str) -> ExitStatus {
    tokio::time::timeout(PATIENCE, child.wait())
        .await
        .unwrap_or_else(|_| panic!("{what} did not end"))
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// `couper status --json`, from the CLI.
async fn cli_status(desk: &Desktop, files: &Files) -> Value {
    let output = couper(desk, files, &["status", "--json"]).await;
    assert!(
        output.status.success(),
        "couper status: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("status JSON")
}

/// With no window shown yet, a second start of the app ends with status 0, the `first`
/// app's window shows, and the first app stays up.
async fn second_start_shows_the_window_of(desk: &Desktop, files: &Files, first: &mut Child) {
    assert!(
        visible_windows(desk).await.is_empty(),
        "the window shows at start"
    );
    let second = ended(&mut spawn(desk, files), "the second app").await;
    assert!(second.success(), "{second}");
    until_window_shows(desk).await;
    assert!(
        first.try_wait().expect("first app").is_none(),
        "the first app ended"
    );
}

/// `couper ARGS` against the session's gate, which must succeed.
async fn couper_ok(desk: &Desktop, files: &Files, args: &[&str]) {
    let output = couper(desk, files, args).await;
    assert!(
        output.status.success(),
        "couper {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// What `couper run` said so far.
fn couper_run_log(desk: &Desktop) -> String {
    std::fs::read_to_string(desk.dir().join("couper-run.log")).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_app_shows_the_window_of_the_first_that_gates_itself() {
    let desk = Desktop::start().await;
    let mut panel = Panel::start(desk.session_bus()).await;
    let files = Files::new(&desk, &app::settings(&desk, app::EVERY_DAY));
    let mut first = spawn(&desk, &files);
    let _item = panel.next_item().await;
    wait_for_gate(&desk).await;
    let first_pid = first.id().expect("pid");
    assert_eq!(owner_pid(&desk, couper::control::NAME).await, first_pid);
    assert_eq!(owner_pid(&desk, couper::control::APP_NAME).await, first_pid);
    second_start_shows_the_window_of(&desk, &files, &mut first).await;
    assert_eq!(owner_pid(&desk, couper::control::NAME).await, first_pid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_app_shows_the_window_of_the_first_in_front_of_couper_run() {
    let desk = Desktop::start().await;
    let mut panel = Panel::start(desk.session_bus()).await;
    let files = Files::new(&desk, &app::settings(&desk, app::EVERY_DAY));
    let couper_run = spawn_couper_run(&desk, &files).await;
    wait_for_gate(&desk).await;
    let mut first = spawn(&desk, &files);
    let _item = panel.next_item().await;
    assert_eq!(
        owner_pid(&desk, couper::control::APP_NAME).await,
        first.id().expect("pid")
    );
    second_start_shows_the_window_of(&desk, &files, &mut first).await;
    assert_eq!(
        owner_pid(&desk, couper::control::NAME).await,
        couper_run.id().expect("pid"),
        "{}",
        couper_run_log(&desk)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_started_next_to_couper_run_is_its_front_door() {
    let desk = Desktop::start().await;
    let mut panel = Panel::start(desk.session_bus()).await;
    let files = Files::new(&desk, &app::settings(&desk, app::EVERY_DAY));
    let couper_run = spawn_couper_run(&desk, &files).await;
    wait_for_gate(&desk).await;
    let gate_pid = couper_run.id().expect("pid");
    let before = cli_status(&desk, &files).await;
    assert_eq!(before["working"], true, "{before}");

    let mut couper_app = spawn(&desk, &files);
    let item = panel.next_item().await;
    let app_pid = couper_app.id().expect("pid");
    assert!(
        couper_app.try_wait().expect("app").is_none(),
        "the app did not stay up"
    );
    // couper run gates; the app only owns its own name.
    assert_eq!(owner_pid(&desk, couper::control::NAME).await, gate_pid);
    assert_eq!(
        owner_pid(&desk, "org.freedesktop.Notifications").await,
        gate_pid,
        "app {app_pid}\n{}",
        couper_run_log(&desk)
    );
    assert_eq!(owner_pid(&desk, couper::control::APP_NAME).await, app_pid);

    // The tray shows couper run's state, and Quit says that only the app quits.
    let mut signals = item.signals().await;
    let menu = until_menu(&item, &mut signals, "Working until", |m| {
        find(m, "Working until").is_some()
    })
    .await;
    let off = find(&menu, "Working until").unwrap().clone();
    assert_eq!(off.toggle_state, 0);
    for label in ["On call", "Held (0)…", "Copy auto-reply", "Settings…"] {
        assert!(find(&menu, label).is_some(), "no {label:?} in {menu:#?}");
    }
    assert!(
        find(&menu, "Quit (Couper keeps running)").is_some(),
        "{menu:#?}"
    );

    // "I'm off" in the tray: couper run is off.
    item.click(&off).await;
    until_menu(&item, &mut signals, "Off until, checked", |m| {
        find(m, "Off until").is_some_and(|e| e.toggle_state == 1)
    })
    .await;
    let after = cli_status(&desk, &files).await;
    assert_eq!(after["mode"]["mode"], "off", "{after}");
    assert_eq!(after["working"], false, "{after}");

    // `couper on` from a terminal: the tray follows couper run's StateChanged.
    couper_ok(&desk, &files, &["on"]).await;
    until_menu(&item, &mut signals, "Working until, unchecked", |m| {
        find(m, "Working until").is_some_and(|e| e.toggle_state == 0)
    })
    .await;
    assert_eq!(cli_status(&desk, &files).await["mode"]["mode"], "on");

    // On call from the tray, too.
    let on_call = find(&item.menu().await, "On call").unwrap().clone();
    item.click(&on_call).await;
    until_menu(&item, &mut signals, "On call, checked", |m| {
        find(m, "On call").is_some_and(|e| e.toggle_state == 1)
    })
    .await;
    assert_eq!(cli_status(&desk, &files).await["on_call_manual"], true);

    // Quit ends the app only: couper run goes on gating.
    let quit = find(&item.menu().await, "Quit").unwrap().clone();
    item.click(&quit).await;
    let quit = ended(&mut couper_app, "the app").await;
    assert!(quit.success(), "{quit}");
    let still = cli_status(&desk, &files).await;
    assert_eq!(still["mode"]["mode"], "on", "{still}");
    assert_eq!(owner_pid(&desk, couper::control::NAME).await, gate_pid);
    assert_eq!(
        owner_pid(&desk, "org.freedesktop.Notifications").await,
        gate_pid
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_front_door_ends_when_couper_run_stops() {
    let desk = Desktop::start().await;
    let mut panel = Panel::start(desk.session_bus()).await;
    let files = Files::new(&desk, &app::settings(&desk, app::EVERY_DAY));
    let mut couper_run = spawn_couper_run(&desk, &files).await;
    wait_for_gate(&desk).await;
    let mut couper_app = spawn(&desk, &files);
    let _item = panel.next_item().await;

    // As `systemctl --user stop couper` does.
    let pid = couper_run.id().expect("pid").to_string();
    desk.run("kill", &["-TERM", &pid]).await;
    let stopped = ended(&mut couper_run, "couper run").await;
    assert!(stopped.success(), "{stopped}: {}", couper_run_log(&desk));

    // The app does not stay as a tray that gates nothing.
    let gone = ended(&mut couper_app, "the front door").await;
    assert_eq!(gone.code(), Some(1), "{gone}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_front_door_follows_couper_run_through_a_restart() {
    let desk = Desktop::start().await;
    let mut panel = Panel::start(desk.session_bus()).await;
    let files = Files::new(&desk, &app::settings(&desk, app::EVERY_DAY));
    let mut couper_run = spawn_couper_run(&desk, &files).await;
    wait_for_gate(&desk).await;
    let mut couper_app = spawn(&desk, &files);
    let item = panel.next_item().await;
    let mut signals = item.signals().await;
    until_menu(&item, &mut signals, "Working until", |m| {
        find(m, "Working until").is_some()
    })
    .await;

    // As `systemctl --user restart couper` does: stopped, and started again at once.
    let pid = couper_run.id().expect("pid").to_string();
    desk.run("kill", &["-TERM", &pid]).await;
    ended(&mut couper_run, "couper run").await;
    let restarted = spawn_couper_run(&desk, &files).await;
    wait_for_gate(&desk).await;
    assert_eq!(
        owner_pid(&desk, couper::control::NAME).await,
        restarted.id().expect("pid")
    );

    // The app stayed, and follows the new gate's StateChanged.
    couper_ok(&desk, &files, &["off"]).await;
    until_menu(&item, &mut signals, "Off until, checked", |m| {
        find(m, "Off until").is_some_and(|e| e.toggle_state == 1)
    })
    .await;
    assert!(
        couper_app.try_wait().expect("app").is_none(),
        "the front door ended with the restart"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn couper_run_next_to_the_apps_gate_names_the_app_and_refuses() {
    let desk = Desktop::start().await;
    let mut panel = Panel::start(desk.session_bus()).await;
    let files = Files::new(&desk, &app::settings(&desk, app::EVERY_DAY));
    let mut couper_app = spawn(&desk, &files);
    let _item = panel.next_item().await;
    wait_for_gate(&desk).await;
    let app_pid = couper_app.id().expect("pid");

    let refused = couper(&desk, &files, &["run"]).await;
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    let said = String::from_utf8_lossy(&refused.stderr).trim().to_string();
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(
        said.starts_with(&format!(
            "couper: the Couper app already gates this session (pid {app_pid})"
        )),
        "{said}"
    );

    // The app's gate goes on.
    assert!(
        couper_app.try_wait().expect("app").is_none(),
        "the app ended"
    );
    assert_eq!(owner_pid(&desk, couper::control::NAME).await, app_pid);
    assert_eq!(cli_status(&desk, &files).await["working"], true);
}
