//! The settings window: created the first time it is shown (tauri.conf.json has it with
//! `"create": false`: until then no webview, and none of WebKit's processes, runs), shown
//! on a tab from the tray, from `couper-app --window` or from a second start of the app
//! (the app's own `OpenWindow` on `org.couper.Couper.App`, or the in-process gate's
//! `OpenWindow`), hidden again when closed: the app lives in the tray.

use couper::live::Live;
use serde::Serialize;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewWindow, WebviewWindowBuilder};

/// The window's label in tauri.conf.json.
pub const LABEL: &str = "main";

/// The window's tabs (the `show-tab` event, docs/ipc.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    /// Hours, time zone, holidays, time off.
    Hours,
    /// Work apps and accounts, seen apps.
    Apps,
    /// Crisis and on call.
    Crisis,
    /// The held queue.
    Held,
    /// The week's report and the month's on-call statement.
    Report,
    /// Route, display daemon, settings file.
    Diagnostics,
}

impl Tab {
    /// Its name, as in the window's URL (`#held`) and the `show-tab` event.
    pub fn name(self) -> &'static str {
        match self {
            Tab::Hours => "hours",
            Tab::Apps => "apps",
            Tab::Crisis => "crisis",
            Tab::Held => "held",
            Tab::Report => "report",
            Tab::Diagnostics => "diagnostics",
        }
    }

    /// The tab named `name` (as the control interface receives it); the hours otherwise.
    pub fn named(name: &str) -> Tab {
        match name {
            "apps" => Tab::Apps,
            "crisis" => Tab::Crisis,
            "held" => Tab::Held,
            "report" => Tab::Report,
            "diagnostics" => Tab::Diagnostics,
            _ => Tab::Hours,
        }
    }
}

/// Shows the window, in front, on `tab` (created on `tab` the first time).
pub fn show<R: Runtime>(app: &AppHandle<R>, tab: Tab) {
    let window = match window(app, tab) {
        Ok(window) => window,
        Err(e) => {
            tracing::error!("cannot create the settings window: {e}");
            return;
        }
    };
    let shown = window
        .show()
        .and_then(|()| window.unminimize())
        .and_then(|()| window.set_focus())
        .and_then(|()| app.emit("show-tab", tab));
    if let Err(e) = shown {
        tracing::error!("cannot show the settings window: {e}");
    }
}

/// Creates the window now, hidden, when a WebDriver client drives the app (tauri-driver
/// sets `TAURI_WEBVIEW_AUTOMATION`): the driver attaches to a webview that exists at
/// start, as it did when the window was always created then.
pub fn create_for_automation<R: Runtime>(app: &AppHandle<R>) {
    if std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() != Ok("true") {
        return;
    }
    if let Err(e) = window(app, Tab::Hours) {
        tracing::error!("cannot create the settings window: {e}");
    }
}

/// The window, created from its configuration if it does not exist yet. A new window
/// opens on `tab`: the page reads its first tab from the URL's fragment (a `show-tab`
/// event sent now would come before the page listens).
fn window<R: Runtime>(app: &AppHandle<R>, tab: Tab) -> tauri::Result<WebviewWindow<R>> {
    if let Some(window) = app.get_webview_window(LABEL) {
        return Ok(window);
    }
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == LABEL)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    WebviewWindowBuilder::from_config(app, &config)?
        .initialization_script(format!(
            "if (!location.hash) location.hash = '#{}';",
            tab.name()
        ))
        .build()
}

/// Hides the window (closing it only hides it).
pub fn hide<R: Runtime>(app: &AppHandle<R>, label: &str) {
    if let Some(window) = app.get_webview_window(label) {
        if let Err(e) = window.hide() {
            tracing::error!("cannot hide the settings window: {e}");
        }
    }
}

/// Shows the window whenever the app is asked to on its own bus name (a second start of
/// the app asks the first one this way, whether the gate runs here or not).
pub async fn serve_door<R: Runtime>(
    app: AppHandle<R>,
    mut requests: tokio::sync::mpsc::UnboundedReceiver<String>,
) {
    while let Some(tab) = requests.recv().await {
        show(&app, Tab::named(&tab));
    }
}

/// Shows the window whenever the in-process gate's control interface is asked to (the
/// CLI, or a second start of an older app).
pub async fn serve_requests<R: Runtime>(app: AppHandle<R>, live: Arc<Live>) {
    let mut requests = live.window_requests();
    loop {
        match requests.recv().await {
            Ok(tab) => show(&app, Tab::named(&tab)),
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        }
    }
}
