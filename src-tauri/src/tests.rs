//! The window's commands through Tauri's IPC, on the mock runtime: a real live service on
//! a settings file and a store in a temp dir, the commands called as the window calls
//! them, and what a user would see checked (the file on disk, the status, the refusals).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{build_app, Gate};
use couper::live::Live;
use couper::store::Store;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// Working time every day, around the clock.
const ALWAYS: &str = r#"timezone = "Europe/Paris"

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
    _dir: tempfile::TempDir,
}

impl Window {
    fn open(settings: &str) -> Window {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, settings).unwrap();
        let store = Store::open(&dir.path().join("store.sqlite3")).unwrap();
        let (live, _outcomes) = Live::open(&path, store).unwrap();
        let app = build_app(
            mock_builder(),
            Gate::detached(live),
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

fn settings_path(window: &Window) -> &Path {
    &window.settings
}

#[test]
fn im_off_from_the_window_during_working_time_sets_off() {
    let window = Window::open(ALWAYS);
    let before = window.call("status", json!({})).unwrap();
    assert_eq!(before["working"], true);
    let after = window
        .call("set_mode", json!({ "mode": "toggle" }))
        .unwrap();
    assert_eq!(after["mode"]["mode"], "off");
    assert_eq!(after["working"], false);
}

#[test]
fn an_end_time_that_is_not_a_time_is_refused_with_the_reason() {
    let window = Window::open(ALWAYS);
    let refused = window
        .call(
            "set_mode",
            json!({ "mode": "off", "until": "tomorrow-ish" }),
        )
        .unwrap_err();
    assert_eq!(refused["kind"], "refused");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("is not a time"));
}

#[test]
fn saving_new_hours_writes_the_file_keeps_comments_and_puts_them_in_force() {
    let window = Window::open(ALWAYS);
    let mut form = window.call("get_settings", json!({})).unwrap()["form"].clone();
    assert_eq!(form["hours"]["mon"], json!(["00:00-24:00"]));
    for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
        form["hours"][day] = json!([]);
    }
    form["hours"]["mon"] = json!(["08:00-12:00"]);
    window
        .call("save_settings", json!({ "form": form }))
        .unwrap();

    let text = window.file();
    assert!(text.contains("mon = [\"08:00-12:00\"]"), "{text}");
    assert!(text.contains("# the user's own comment"), "{text}");
    let saved = window.call("get_settings", json!({})).unwrap();
    assert_eq!(saved["form"]["hours"]["mon"], json!(["08:00-12:00"]));
    assert_eq!(
        saved["path"],
        json!(settings_path(&window).display().to_string())
    );
}

#[test]
fn an_invalid_range_is_refused_with_its_field_and_not_saved() {
    let window = Window::open(ALWAYS);
    let mut form = window.call("get_settings", json!({})).unwrap()["form"].clone();
    form["hours"]["mon"] = json!(["9h-18h"]);

    let errors = window
        .call("validate_settings", json!({ "form": form }))
        .unwrap();
    assert_eq!(errors[0]["key"], "hours.mon");

    let refused = window
        .call("save_settings", json!({ "form": form }))
        .unwrap_err();
    assert_eq!(refused["kind"], "invalid");
    assert_eq!(refused["fields"][0]["key"], "hours.mon");
    assert_eq!(window.file(), ALWAYS);

    let preview = window.call("preview", json!({ "form": form })).unwrap_err();
    assert_eq!(preview["kind"], "invalid");
}

#[test]
fn the_preview_comes_from_the_engine() {
    let window = Window::open(ALWAYS);
    let form = window.call("get_settings", json!({})).unwrap()["form"].clone();
    let preview = window.call("preview", json!({ "form": form })).unwrap();
    assert_eq!(preview["working"], true);
    assert!(!preview["text"].as_str().unwrap().is_empty());
}

#[test]
fn a_seen_app_made_work_is_saved_as_a_work_app() {
    let window = Window::open(ALWAYS);
    let form = window
        .call("add_work_app", json!({ "app": "teams" }))
        .unwrap();
    assert_eq!(form["work_apps"][0]["app"], "teams");
    assert!(
        window.file().contains("app = \"teams\""),
        "{}",
        window.file()
    );
}

#[test]
fn an_empty_queue_releases_nothing_and_the_locale_is_a_language() {
    let window = Window::open(ALWAYS);
    assert_eq!(window.call("held", json!({})).unwrap(), json!([]));
    assert_eq!(
        window
            .call("release", json!({ "ids": [], "all": true }))
            .unwrap(),
        json!(0)
    );
    assert_eq!(window.call("seen_apps", json!({})).unwrap(), json!([]));
    let lang = window.call("locale", json!({})).unwrap();
    assert!(lang == "fr" || lang == "en", "{lang}");
}
