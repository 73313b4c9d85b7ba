//! The window's commands through Tauri's IPC, on the mock runtime: a real live service on
//! a settings file and a store in a temp dir, the commands called as the window calls
//! them, and what a user would see checked (the file on disk, the status, the refusals).
//! Each test runs twice: with the gate in the app, and with the app as the front door of a
//! headless gate (the same live service served with its control interface, as `couper run`
//! serves it, on a peer-to-peer D-Bus connection).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{build_app, Gate};
use crate::backend::{Backend, Remote};
use couper::control::{Control, CouperProxy};
use couper::live::Live;
use couper::store::Store;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// Working time every day, around the clock.
pub(crate) const ALWAYS: &str = r#"timezone = "Europe/Paris"

[hours]
# the user's own comment
mon = ["00:00-24:00"]
tue = ["00:00-24:00"]
wed = ["00:00-24:00"]
thu = ["00:00-24:00"]
fri = ["00:00-24:00"]
sat = ["00:00-24:00"]
sun = ["00:00-24:00"]
"#;

struct Window {
    _app: App<tauri::test::MockRuntime>,
    webview: WebviewWindow<tauri::test::MockRuntime>,
    settings: PathBuf,
    /// The gate's live service (what `couper alert` reaches).
    live: std::sync::Arc<Live>,
    /// The headless gate's end of the connection, for a front door.
    _gate: Option<zbus::Connection>,
    _dir: tempfile::TempDir,
}

/// Where the gate runs.
#[derive(Debug, Clone, Copy)]
enum Side {
    /// In the app.
    Local,
    /// In another process: the app is its front door.
    Remote,
}

impl Window {
    /// The window of an app whose gate runs in it, on `settings`.
    fn open(settings: &str) -> Window {
        Window::on(Side::Local, settings)
    }

    /// Both windows: the app's own gate, and the front door of a headless one.
    fn both(settings: &str) -> [(Side, Window); 2] {
        [
            (Side::Local, Window::on(Side::Local, settings)),
            (Side::Remote, Window::on(Side::Remote, settings)),
        ]
    }

    fn on(side: Side, settings: &str) -> Window {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, settings).unwrap();
        let store = Store::open(&dir.path().join("store.sqlite3")).unwrap();
        let (live, _outcomes) = Live::open(&path, store).unwrap();
        let (backend, gate) = match side {
            Side::Local => (Backend::Local(live.clone()), None),
            Side::Remote => {
                let (gate, couper) = tauri::async_runtime::block_on(serve(live.clone()));
                (Backend::Remote(Remote::new(couper)), Some(gate))
            }
        };
        let app = build_app(
            mock_builder(),
            Gate::detached(backend),
            mock_context(noop_assets()),
        )
        .unwrap();
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Window {
            _app: app,
            webview,
            settings: path,
            live,
            _gate: gate,
            _dir: dir,
        }
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: tauri::ipc::InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
    }

    fn file(&self) -> String {
        std::fs::read_to_string(&self.settings).unwrap()
    }
}

/// Serves `live`'s control interface on one end of a socket pair, and returns that end and
/// a client of it on the other.
async fn serve(live: std::sync::Arc<Live>) -> (zbus::Connection, CouperProxy<'static>) {
    let (gate_end, app_end) = std::os::unix::net::UnixStream::pair().unwrap();
    let gate = zbus::connection::Builder::unix_stream(gate_end)
        .server(zbus::Guid::generate())
        .p2p()
        .serve_at(couper::control::PATH, Control::new(live))
        .build();
    let app = zbus::connection::Builder::unix_stream(app_end)
        .p2p()
        .build();
    let (gate, app) = tokio::join!(gate, app);
    let couper = CouperProxy::new(&app.unwrap()).await.unwrap();
    (gate.unwrap(), couper)
}

fn settings_path(window: &Window) -> &Path {
    &window.settings
}

#[test]
fn im_off_from_the_window_during_working_time_sets_off() {
    for (side, window) in Window::both(ALWAYS) {
        let before = window.call("status", json!({})).unwrap();
        assert_eq!(before["working"], true, "{side:?}");
        let after = window
            .call("set_mode", json!({ "mode": "toggle" }))
            .unwrap();
        assert_eq!(after["mode"]["mode"], "off", "{side:?}");
        assert_eq!(after["working"], false, "{side:?}");
        let diagnostics = window.call("diagnostics", json!({})).unwrap();
        assert_eq!(diagnostics["route"], "proxy", "{side:?}");
        assert_eq!(
            diagnostics["settings_path"],
            json!(settings_path(&window).display().to_string()),
            "{side:?}"
        );
        let on_call = window.call("set_on_call", json!({ "on": true })).unwrap();
        assert_eq!(on_call["on_call_manual"], true, "{side:?}");
    }
}

#[test]
fn an_end_time_that_is_not_a_time_is_refused_with_the_reason() {
    for (side, window) in Window::both(ALWAYS) {
        let refused = window
            .call(
                "set_mode",
                json!({ "mode": "off", "until": "tomorrow-ish" }),
            )
            .unwrap_err();
        assert_eq!(refused["kind"], "refused", "{side:?}: {refused}");
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("is not a time"),
            "{side:?}: {refused}"
        );
    }
}

#[test]
fn saving_new_hours_writes_the_file_keeps_comments_and_puts_them_in_force() {
    for (side, window) in Window::both(ALWAYS) {
        let mut form = window.call("get_settings", json!({})).unwrap()["form"].clone();
        assert_eq!(form["hours"]["mon"], json!(["00:00-24:00"]), "{side:?}");
        for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            form["hours"][day] = json!([]);
        }
        form["hours"]["mon"] = json!(["08:00-12:00"]);
        window
            .call("save_settings", json!({ "form": form }))
            .unwrap();

        let text = window.file();
        assert!(text.contains("mon = [\"08:00-12:00\"]"), "{side:?}: {text}");
        assert!(
            text.contains("# the user's own comment"),
            "{side:?}: {text}"
        );
        // In force when the call returns: the gate's next start is the new hours' one.
        let status = window.call("status", json!({})).unwrap();
        let preview = window.call("preview", json!({ "form": form })).unwrap();
        assert_eq!(status["working"], preview["working"], "{side:?}: {status}");
        if preview["working"] == false {
            assert_eq!(
                status["next_start"], preview["next_start"],
                "{side:?}: {status}"
            );
        }
        let saved = window.call("get_settings", json!({})).unwrap();
        assert_eq!(
            saved["form"]["hours"]["mon"],
            json!(["08:00-12:00"]),
            "{side:?}"
        );
        assert_eq!(
            saved["path"],
            json!(settings_path(&window).display().to_string()),
            "{side:?}"
        );
    }
}

#[test]
fn an_invalid_range_is_refused_with_its_field_and_not_saved() {
    for (side, window) in Window::both(ALWAYS) {
        let mut form = window.call("get_settings", json!({})).unwrap()["form"].clone();
        form["hours"]["mon"] = json!(["9h-18h"]);

        let errors = window
            .call("validate_settings", json!({ "form": form }))
            .unwrap();
        assert_eq!(errors[0]["key"], "hours.mon", "{side:?}");

        let refused = window
            .call("save_settings", json!({ "form": form }))
            .unwrap_err();
        assert_eq!(refused["kind"], "invalid", "{side:?}");
        assert_eq!(refused["fields"][0]["key"], "hours.mon", "{side:?}");
        assert_eq!(window.file(), ALWAYS, "{side:?}");

        let preview = window.call("preview", json!({ "form": form })).unwrap_err();
        assert_eq!(preview["kind"], "invalid", "{side:?}");
    }
}

#[test]
fn a_headless_gate_refuses_an_invalid_form_with_its_fields() {
    let window = Window::open(ALWAYS);
    let (_gate, couper) = tauri::async_runtime::block_on(serve(window.live.clone()));
    let mut form = couper::control::SettingsView::of(&window.live).form;
    form["hours"]["mon"] = json!(["9h-18h"]);
    let refused =
        tauri::async_runtime::block_on(couper.save_settings(&form.to_string())).unwrap_err();
    let refused = serde_json::to_value(crate::backend::remote_error_in(
        refused,
        couper::words::Lang::En,
    ))
    .unwrap();
    assert_eq!(refused["kind"], "invalid", "{refused}");
    assert_eq!(refused["fields"][0]["key"], "hours.mon", "{refused}");
    assert_eq!(window.file(), ALWAYS);
}

#[test]
fn the_preview_comes_from_the_engine() {
    for (side, window) in Window::both(ALWAYS) {
        let form = window.call("get_settings", json!({})).unwrap()["form"].clone();
        let preview = window.call("preview", json!({ "form": form })).unwrap();
        assert_eq!(preview["working"], true, "{side:?}");
        assert!(!preview["text"].as_str().unwrap().is_empty(), "{side:?}");
    }
}

#[test]
fn a_seen_app_made_work_is_saved_as_a_work_app() {
    for (side, window) in Window::both(ALWAYS) {
        let form = window
            .call("add_work_app", json!({ "app": "teams" }))
            .unwrap();
        assert_eq!(form["work_apps"][0]["app"], "teams", "{side:?}");
        assert!(
            window.file().contains("app = \"teams\""),
            "{side:?}: {}",
            window.file()
        );
    }
}

#[test]
fn an_empty_queue_releases_nothing_and_the_locale_is_a_language() {
    for (side, window) in Window::both(ALWAYS) {
        assert_eq!(
            window.call("held", json!({})).unwrap(),
            json!([]),
            "{side:?}"
        );
        assert_eq!(
            window
                .call("release", json!({ "ids": [], "all": true }))
                .unwrap(),
            json!(0),
            "{side:?}"
        );
        assert_eq!(
            window.call("seen_apps", json!({})).unwrap(),
            json!([]),
            "{side:?}"
        );
        let lang = window.call("locale", json!({})).unwrap();
        assert!(lang == "fr" || lang == "en", "{lang}");
    }
}

/// The sites a browser named reach the window with its seen app, in-process and over
/// the control interface, and "This is work" on one is saved as the form it sends.
#[test]
fn the_sites_a_browser_named_are_listed_with_it_and_one_is_saved_as_work() {
    use couper::gate::Gatekeeper;
    use couper::notification::{HintValue, Notification};
    for (side, window) in Window::both(ALWAYS) {
        let mut n = Notification {
            app: "Chromium".into(),
            summary: "Inbox".into(),
            body: "3 new messages".into(),
            ..Default::default()
        };
        n.hints.insert(
            "x-kde-origin-name".into(),
            HintValue::Str("mail.example.org".into()),
        );
        window.live.notify(None, 0, &n);
        let seen = window.call("seen_apps", json!({})).unwrap();
        assert_eq!(seen[0]["app"], "Chromium", "{side:?}: {seen}");
        assert_eq!(seen[0]["sites"][0]["site"], "mail.example.org", "{side:?}");
        assert_eq!(seen[0]["sites"][0]["count"], 1, "{side:?}");

        let mut form = window.call("get_settings", json!({})).unwrap()["form"].clone();
        form["work_apps"] = json!([{
            "name": "Chromium (work sites)",
            "app": "Chromium",
            "sites": ["mail.example.org"],
        }]);
        window
            .call("save_settings", json!({ "form": form }))
            .unwrap();
        assert!(
            window.file().contains("sites = [\"mail.example.org\"]"),
            "{side:?}: {}",
            window.file()
        );
    }
}

/// The settings' `language` is the language of the window, of the tray and of the
/// preview, over the locale, and a saved change of it is in force at once.
#[test]
fn the_settings_language_is_the_window_s_and_the_tray_s() {
    use tauri::Manager;
    for (side, window) in Window::both(&format!("language = \"fr\"\n{ALWAYS}")) {
        assert_eq!(window.call("locale", json!({})).unwrap(), "fr", "{side:?}");
        let backend = window._app.state::<Backend>().inner().clone();
        let look = tauri::async_runtime::block_on(crate::tray::look_now(&backend)).unwrap();
        assert!(look.off.starts_with("Au travail"), "{side:?}: {}", look.off);
        assert_eq!(look.settings, "Réglages…", "{side:?}");

        let mut form = window.call("get_settings", json!({})).unwrap()["form"].clone();
        assert_eq!(form["language"], "fr", "{side:?}");
        let french = window.call("preview", json!({ "form": form })).unwrap();
        form["language"] = json!("en");
        window
            .call("save_settings", json!({ "form": form }))
            .unwrap();
        assert_eq!(window.call("locale", json!({})).unwrap(), "en", "{side:?}");
        let look = tauri::async_runtime::block_on(crate::tray::look_now(&backend)).unwrap();
        assert!(look.off.starts_with("Working"), "{side:?}: {}", look.off);
        let preview = window.call("preview", json!({ "form": form })).unwrap();
        assert!(
            preview["text"].as_str().unwrap().contains("Working"),
            "{side:?}: {preview}"
        );
        assert_ne!(preview["text"], french["text"], "{side:?}");
        assert!(window.file().contains("language = \"en\""), "{side:?}");
    }
}

#[test]
fn held_alerts_are_listed_dismissed_and_released() {
    for (side, window) in Window::both(ALWAYS) {
        window.call("set_mode", json!({ "mode": "off" })).unwrap();
        let first = window.live.alert("Deploy", "tonight", false).unwrap();
        window.live.alert("Review", "tomorrow", false).unwrap();
        let held = window.call("held", json!({})).unwrap();
        assert_eq!(held.as_array().map(Vec::len), Some(2), "{side:?}: {held}");
        assert_eq!(held[0]["notification"]["summary"], "Deploy", "{side:?}");
        assert_eq!(
            window.call("seen_apps", json!({})).unwrap()[0]["count"],
            2,
            "{side:?}"
        );
        window.call("dismiss", json!({ "id": first.id })).unwrap();
        assert_eq!(
            window
                .call("release", json!({ "ids": [], "all": true }))
                .unwrap(),
            json!(1),
            "{side:?}"
        );
        assert_eq!(
            window.call("status", json!({})).unwrap()["held"],
            0,
            "{side:?}"
        );
    }
}

#[test]
fn forgetting_erases_the_history_and_a_date_that_is_not_one_is_refused() {
    for (side, window) in Window::both(ALWAYS) {
        window.live.alert("Deploy", "tonight", false).unwrap();
        let refused = window
            .call("forget", json!({ "before": "someday" }))
            .unwrap_err();
        assert_eq!(refused["kind"], "invalid", "{side:?}: {refused}");
        assert_eq!(refused["fields"][0]["key"], "before", "{side:?}");
        assert_eq!(
            window
                .call("forget", json!({ "before": "2000-01-01" }))
                .unwrap(),
            json!(0),
            "{side:?}"
        );
        assert_eq!(
            window.call("forget", json!({})).unwrap(),
            json!(1),
            "{side:?}"
        );
        let blank = window.call("forget", json!({ "before": "" })).unwrap_err();
        assert_eq!(blank["fields"][0]["key"], "before", "{side:?}: {blank}");
    }
}

#[test]
fn the_report_the_statement_and_the_reply_come_from_the_gate() {
    for (side, window) in Window::both(ALWAYS) {
        let week = window.call("report", json!({ "period": "week" })).unwrap();
        assert!(week["days"]["first"].is_string(), "{side:?}: {week}");
        let month = window
            .call("report", json!({ "period": "month", "month": "2026-10" }))
            .unwrap();
        assert_eq!(month["month"], "2026-10", "{side:?}: {month}");
        let bad = window
            .call("report", json!({ "period": "month", "month": "October" }))
            .unwrap_err();
        assert_eq!(bad["kind"], "invalid", "{side:?}: {bad}");
        assert_eq!(bad["fields"][0]["key"], "month", "{side:?}: {bad}");
        let csv = window
            .call("report_csv", json!({ "month": "2026-10", "lang": "en" }))
            .unwrap();
        assert!(csv.as_str().unwrap().contains(','), "{side:?}: {csv}");
        let reply = window.call("reply", json!({ "lang": "en" })).unwrap();
        assert!(!reply.as_str().unwrap().is_empty(), "{side:?}");
    }
}

#[test]
fn a_work_browser_profile_made_from_the_window_has_its_entry_and_source_and_leaves_its_data() {
    for (side, window) in Window::both(ALWAYS) {
        use tauri::Manager;
        let home = tempfile::tempdir().unwrap();
        let bin = home.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let chromium = bin.join("chromium");
        std::fs::write(&chromium, "#!/bin/sh\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&chromium, std::fs::Permissions::from_mode(0o755)).unwrap();
        let dirs = couper::browser::Dirs {
            home: home.path().to_path_buf(),
            config: home.path().join(".config"),
            data: home.path().join(".local/share"),
            path: Some(std::env::join_paths([&bin]).unwrap()),
        };
        window._app.manage(dirs.clone());
        let before = window.call("browser_profiles", json!({})).unwrap();
        assert_eq!(before[1]["browser"], "chromium", "{side:?}");
        assert_eq!(before[1]["installed"], true, "{side:?}");
        assert_eq!(before[1]["made"], false, "{side:?}");

        let said = window
            .call("add_browser_profile", json!({ "browser": "chromium" }))
            .unwrap();
        assert!(
            said.as_str().unwrap().contains("Chromium (work)"),
            "{side:?}: {said}"
        );
        let entry = dirs.entry(couper::browser::Browser::Chromium);
        let text = std::fs::read_to_string(&entry).unwrap();
        assert!(
            text.contains("\nName=Chromium (work)\n"),
            "{side:?}: {text}"
        );
        assert!(
            window.file().contains("app = \"couper-chromium-work\""),
            "{side:?}: {}",
            window.file()
        );
        // In force at once: the window's settings show the source.
        let form = window.call("get_settings", json!({})).unwrap()["form"].clone();
        assert_eq!(
            form["work_apps"][0]["app"], "couper-chromium-work",
            "{side:?}"
        );
        let made = window.call("browser_profiles", json!({})).unwrap();
        assert_eq!(made[1]["made"], true, "{side:?}");
        assert_eq!(made[1]["source"], true, "{side:?}");
        let profile = dirs.profile(couper::browser::Browser::Chromium);
        assert_eq!(
            made[1]["profile"],
            profile.display().to_string(),
            "{side:?}"
        );

        window
            .call("remove_browser_profile", json!({ "browser": "chromium" }))
            .unwrap();
        assert!(!entry.exists(), "{side:?}");
        assert!(profile.is_dir(), "{side:?}: the data stays");
        let form = window.call("get_settings", json!({})).unwrap()["form"].clone();
        assert!(
            form["work_apps"].as_array().is_none_or(|a| a.is_empty()),
            "{side:?}: {form}"
        );
        let refused = window
            .call("add_browser_profile", json!({ "browser": "opera" }))
            .unwrap_err();
        assert_eq!(refused["kind"], "invalid", "{side:?}");
    }
}
