//! The tray as a desktop panel drives it: the built `couper-app` on a test desktop (Xvfb,
//! a private session bus, dunst), a StatusNotifierWatcher of the test's own that Couper's
//! item registers with, and its `com.canonical.dbusmenu` menu read and clicked as a panel
//! does. What the user sees is checked: the menu's words and checks, the icon's pixels,
//! the gate's status (what `couper status --json` prints), the held queue.
//!
//! Nothing sleeps for a fixed time: the tests wait for the item's and the menu's own
//! signals (`NewIcon`, `LayoutUpdated`, `ItemsPropertiesUpdated`) and re-read then.

use crate::app;
use crate::desktop;
use crate::panel;

use app::{
    control, held, spawn, spawn_with, status, until_window_shows, visible_windows, wait_for_gate,
    Files,
};
use desktop::{Backoff, Desktop, PATIENCE};
use futures_util::{Stream, StreamExt};
use panel::{until_menu, Entry, Item, Panel};
use serde_json::Value;
use std::path::Path;
use std::time::Instant;

/// The tray icons the app embeds on Linux.
fn icon(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../icons/png/48")
        .join(format!("{name}.png"));
    rgba(&path)
}

/// A PNG's pixels, as RGBA.
fn rgba(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    rgba_of(&bytes)
}

/// PNG bytes' pixels, as RGBA.
fn rgba_of(bytes: &[u8]) -> Vec<u8> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut pixels).expect("a frame");
    pixels.truncate(info.buffer_size());
    pixels
}

/// What the panel shows of the item: the icon's pixels (`IconName` is a PNG file that
/// the tray writes), read afresh.
/// The tray replaces its icon file on each change (and deletes the old one): a name read
/// just before a change may be gone when it is opened, so it is read again, as a panel
/// does on the `NewIcon` that follows.
async fn shown_icon(item: &Item) -> Vec<u8> {
    for _ in 0..50 {
        let name = item.text("IconName").await;
        let path = if name.ends_with(".png") {
            name
        } else {
            let dir = item.text("IconThemePath").await;
            format!("{dir}/{name}.png")
        };
        if let Ok(bytes) = std::fs::read(&path) {
            return rgba_of(&bytes);
        }
        tokio::task::yield_now().await;
    }
    panic!("the item's icon file never existed")
}

/// Waits until the item shows the icon `name`, re-reading it on each of its signals.
async fn until_icon(item: &Item, signals: &mut (impl Stream<Item = String> + Unpin), name: &str) {
    let want = icon(name);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while shown_icon(item).await != want {
        tokio::time::timeout_at(deadline, signals.next())
            .await
            .unwrap_or_else(|_| panic!("the tray never showed the {name} icon"))
            .expect("the item's signals ended");
    }
}

fn find<'a>(menu: &'a [Entry], prefix: &str) -> Option<&'a Entry> {
    menu.iter().find(|e| e.label.starts_with(prefix))
}

/// "18:00", "Thu 00:00": the status's `until` as the tray says it.
fn local_hh_mm(status: &Value) -> String {
    let until: jiff::Timestamp = status["until"]
        .as_str()
        .expect("an end")
        .parse()
        .expect("RFC 3339");
    let zone = jiff::tz::TimeZone::get(app::ZONE).expect("zone");
    until.to_zoned_datetime(zone).strftime("%H:%M").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clicking_im_off_in_the_panel_sets_off_and_the_menu_and_icon_follow() {
    let desk = Desktop::start().await;
    let mut panel = Panel::start(desk.session_bus()).await;
    let files = Files::new(&desk, &app::settings(&desk, app::EVERY_DAY));
    let started = Instant::now();
    let mut couper_app = spawn(&desk, &files);
    let item = panel.next_item().await;
    eprintln!("start to tray: {:?}", started.elapsed());
    wait_for_gate(&desk).await;
    let couper = control(&desk).await;

    // Working time: "Working until 23:59", not checked, the briefcase.
    let before = status(&couper).await;
    assert_eq!(before["working"], true, "{before}");
    let mut signals = item.signals().await;
    let menu = until_menu(&item, &mut signals, "Working until", |m| {
        find(m, "Working until").is_some()
    })
    .await;
    let off = find(&menu, "Working until").unwrap().clone();
    assert_eq!(off.label, format!("Working until {}", local_hh_mm(&before)));
    assert_eq!(off.toggle_type, "checkmark");
    assert_eq!(off.toggle_state, 0);
    for label in [
        "On call",
        "Held (0)…",
        "Copy auto-reply",
        "Settings…",
        "Quit",
    ] {
        assert!(find(&menu, label).is_some(), "no {label:?} in {menu:#?}");
    }
    until_icon(&item, &mut signals, "working").await;

    // One click: off until the next work day's first start.
    item.click(&off).await;
    let menu = until_menu(&item, &mut signals, "Off until, checked", |m| {
        find(m, "Off until").is_some_and(|e| e.toggle_state == 1)
    })
    .await;
    let after = status(&couper).await;
    assert_eq!(after["mode"]["mode"], "off", "{after}");
    assert_eq!(after["working"], false);
    let label = &find(&menu, "Off until").unwrap().label;
    assert!(
        label.ends_with(&local_hh_mm(&after)),
        "{label:?} does not end with {}",
        local_hh_mm(&after)
    );
    until_icon(&item, &mut signals, "off").await;

    // Whatever changes the state, the tray follows: the CLI's `couper auto`.
    couper.set_mode("auto", "").await.expect("auto");
    until_menu(&item, &mut signals, "Working until, unchecked", |m| {
        find(m, "Working until").is_some_and(|e| e.toggle_state == 0)
    })
    .await;
    until_icon(&item, &mut signals, "working").await;

    // Off with a held notification: the count in the menu and on the icon.
    couper.set_mode("off", "").await.expect("off");
    desk.run(
        "notify-send",
        &[
            "-a",
            "slack",
            "-h",
            "string:desktop-entry:slack",
            "Bryan",
            "On publie ?",
        ],
    )
    .await;
    until_menu(&item, &mut signals, "Held (1)…", |m| {
        find(m, "Held (1)…").is_some()
    })
    .await;
    until_icon(&item, &mut signals, "held-1").await;
    assert_eq!(held(&couper).await.as_array().map(Vec::len), Some(1));
    picture_of_the_menu(&item).await;

    // "Copy auto-reply": the text `couper reply` prints, on the X clipboard.
    let copy = find(&item.menu().await, "Copy auto-reply").unwrap().clone();
    item.click(&copy).await;
    let want = couper.reply("en").await.expect("reply");
    let copied = until_clipboard(&desk, &want).await;
    assert_eq!(copied.trim_end(), want.trim_end());
    for private in ["on call", "On call", "astreinte", "holiday"] {
        assert!(!copied.contains(private), "{copied:?} says {private:?}");
    }

    // Outside working time, on call shows the bell.
    let on_call = find(&item.menu().await, "On call").unwrap().clone();
    item.click(&on_call).await;
    until_menu(&item, &mut signals, "On call, checked", |m| {
        find(m, "On call").is_some_and(|e| e.toggle_state == 1)
    })
    .await;
    assert_eq!(status(&couper).await["on_call"], true);
    until_icon(&item, &mut signals, "on-call").await;

    // Autostart was switched on at the first run.
    let entry = files.config.join("autostart/Couper.desktop");
    let text =
        std::fs::read_to_string(&entry).unwrap_or_else(|e| panic!("{}: {e}", entry.display()));
    assert!(text.contains(app::APP), "{text}");

    // Quit: the app ends, and the gate's name is free again.
    let quit = find(&item.menu().await, "Quit").unwrap().clone();
    item.click(&quit).await;
    let ended = tokio::time::timeout(PATIENCE, couper_app.wait())
        .await
        .expect("couper-app did not quit")
        .expect("couper-app");
    assert!(ended.success(), "{ended}");
    assert!(couper.status().await.is_err(), "the gate still answers");

    // A later start leaves autostart on and makes it start this binary, whatever path an
    // earlier build wrote there (a first run from a source tree, then the package).
    std::fs::write(&entry, text.replace(app::APP, "/opt/gone/couper-app")).unwrap();
    let mut again = spawn(&desk, &files);
    let _item = panel.next_item().await;
    let rewritten = std::fs::read_to_string(&entry).unwrap();
    assert!(
        rewritten.contains(&format!("Exec={} ", app::APP)),
        "{rewritten}"
    );
    assert!(!rewritten.contains("/opt/gone"), "{rewritten}");
    again.kill().await.unwrap();
}

/// The X clipboard of the test display, read with xclip until it holds `want` (the
/// clipboard belongs to another process: polled, with a short backoff, until a deadline).
async fn until_clipboard(desk: &Desktop, want: &str) -> String {
    let mut backoff = Backoff::new(PATIENCE);
    loop {
        let output = desk
            .app("xclip")
            .args(["-selection", "clipboard", "-o"])
            .output()
            .await
            .expect("xclip");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        if text.trim_end() == want.trim_end() {
            return text;
        }
        backoff
            .wait(format_args!(
                "the clipboard never held the auto-reply {want:?}: {text:?}"
            ))
            .await;
    }
}

/// Writes docs/screenshots/tray-menu.png: the menu as the panel read it (GetLayout) and
/// the icon it showed, drawn as a panel would (no panel runs here to screenshot).
async fn picture_of_the_menu(item: &Item) {
    let menu = item.menu().await;
    let icon = std::fs::read(item.text("IconName").await).expect("the icon's PNG");
    let svg = panel::picture(&menu, &icon);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
    std::fs::create_dir_all(&dir).expect("docs/screenshots");
    let svg_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tray-menu.svg");
    std::fs::write(&svg_path, svg).expect("tray-menu.svg");
    let rendered = tokio::process::Command::new("rsvg-convert")
        .args(["--zoom", "2", "-o"])
        .arg(dir.join("tray-menu.png"))
        .arg(&svg_path)
        .status()
        .await
        .expect("rsvg-convert (librsvg2-bin)");
    assert!(rendered.success(), "rsvg-convert: {rendered}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_to_a_daemon_the_user_started_the_tray_offers_to_put_couper_in_front_of_it() {
    let desk = Desktop::start().await;
    let mut panel = Panel::start(desk.session_bus()).await;
    let files = Files::new(&desk, &app::settings(&desk, app::EVERY_DAY));
    // As `exec dunst` in an i3 config, before the app's autostart.
    let mut theirs = desk
        .app("dunst")
        .args(["-config", &desk.dunstrc().display().to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let their_pid = theirs.id().unwrap();
    let mut backoff = Backoff::new(PATIENCE);
    while app::try_owner_pid(&desk, "org.freedesktop.Notifications").await != Some(their_pid) {
        backoff.wait("their dunst never owned the name").await;
    }

    // The app stands aside, keeps running, and says so in its menu.
    let mut couper_app = spawn(&desk, &files);
    let item = panel.next_item().await;
    let mut signals = item.signals().await;
    let menu = until_menu(&item, &mut signals, "the not-gating item", |m| {
        find(m, "Not gating").is_some()
    })
    .await;
    let gate = find(&menu, "Not gating").unwrap().clone();
    assert_eq!(gate.label, "Not gating: put Couper in front of dunst");
    assert_eq!(
        menu.first().map(|e| e.label.as_str()),
        Some(gate.label.as_str())
    );
    let couper = control(&desk).await;
    let before = status(&couper).await;
    assert_eq!(before["route"], "none", "{before}");
    assert_eq!(before["not_gating"]["replace"], "dunst", "{before}");
    assert_eq!(
        app::owner_pid(&desk, "org.freedesktop.Notifications").await,
        their_pid
    );

    // One click, the user's consent: Couper takes the name, their dunst draws behind it,
    // and the item goes.
    item.click(&gate).await;
    until_menu(&item, &mut signals, "no not-gating item", |m| {
        find(m, "Not gating").is_none()
    })
    .await;
    let app_pid = couper_app.id().unwrap();
    assert_eq!(
        app::owner_pid(&desk, "org.freedesktop.Notifications").await,
        app_pid
    );
    let after = status(&couper).await;
    assert_eq!(after["not_gating"], Value::Null, "{after}");
    assert!(
        after["display"].as_str().unwrap().contains("dunst"),
        "{after}"
    );
    let _ = tokio::time::timeout(PATIENCE, theirs.wait())
        .await
        .expect("their dunst ends");
    let _ = couper_app.kill().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_daemon_that_can_start_the_app_keeps_running_says_so_and_tries_again() {
    let desk = Desktop::start().await;
    let mut panel = Panel::start(desk.session_bus()).await;
    let broken = app::settings(&desk, app::EVERY_DAY).replace(
        "command = [\"dunst\"",
        "command = [\"/nonexistent/notifyd\"",
    );
    let files = Files::new(&desk, &broken);
    let mut couper_app = spawn(&desk, &files);
    let item = panel.next_item().await;
    let mut signals = item.signals().await;
    until_menu(&item, &mut signals, "Not gating: try again", |m| {
        find(m, "Not gating: try again").is_some()
    })
    .await;
    let couper = control(&desk).await;
    let why = status(&couper).await;
    assert_eq!(why["route"], "none", "{why}");
    let reason = why["not_gating"]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("cannot start /nonexistent/notifyd"),
        "{reason}"
    );
    assert!(
        couper_app.try_wait().unwrap().is_none(),
        "the app keeps running"
    );

    // The user names a daemon that works: the app tries again and gates.
    let good = app::settings(&desk, app::EVERY_DAY);
    let tmp = files.settings.with_extension("toml.new");
    std::fs::write(&tmp, good).unwrap();
    std::fs::rename(&tmp, &files.settings).unwrap();
    until_menu(&item, &mut signals, "no not-gating item", |m| {
        find(m, "Not gating").is_none()
    })
    .await;
    let app_pid = couper_app.id().unwrap();
    assert_eq!(
        app::owner_pid(&desk, "org.freedesktop.Notifications").await,
        app_pid
    );
    let _ = couper_app.kill().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_start_shows_the_running_ones_window_and_exits() {
    let desk = Desktop::start().await;
    let mut panel = Panel::start(desk.session_bus()).await;
    let files = Files::new(&desk, &app::settings(&desk, app::EVERY_DAY));
    let couper_app = spawn(&desk, &files);
    let pid = couper_app.id().expect("pid");
    let _item = panel.next_item().await;
    wait_for_gate(&desk).await;
    assert!(
        visible_windows(&desk).await.is_empty(),
        "the window shows at start"
    );
    // Until the window is first shown, no webview runs: none of WebKit's processes.
    assert_eq!(app::webkit_processes(pid), Vec::<String>::new());

    let second = tokio::time::timeout(PATIENCE, spawn(&desk, &files).wait())
        .await
        .expect("the second start did not end")
        .expect("couper-app");
    assert!(second.success(), "{second}");

    until_window_shows(&desk).await;
    let webkit = app::webkit_processes(pid);
    assert!(
        webkit.iter().any(|p| p.starts_with("WebKitWebProces")),
        "{webkit:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn started_with_window_it_shows_the_window_at_once_and_a_wrong_argument_is_refused() {
    let desk = Desktop::start().await;
    let mut panel = Panel::start(desk.session_bus()).await;
    let files = Files::new(&desk, &app::settings(&desk, app::EVERY_DAY));
    let refused = app::command(&desk, &files)
        .arg("--windows")
        .output()
        .await
        .expect("couper-app");
    assert_eq!(refused.status.code(), Some(2));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("unknown argument \"--windows\" (usage: couper-app [--window])"),
        "{said}"
    );

    let _couper_app = spawn_with(&desk, &files, &["--window"]);
    let _item = panel.next_item().await;
    until_window_shows(&desk).await;
}
