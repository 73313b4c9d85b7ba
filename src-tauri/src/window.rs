//! The settings window: created hidden at start (tauri.conf.json), shown on a tab from the
//! tray or from a second start of the app (the control interface's `open_window`), hidden
//! again when closed: the app lives in the tray.

use couper::live::Live;
use serde::Serialize;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Manager, Runtime};

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
    /// Route, display daemon, settings file.
    Diagnostics,
}

impl Tab {
    /// The tab named `name` (as the control interface receives it); the hours otherwise.
    pub fn named(name: &str) -> Tab {
        match name {
            "apps" => Tab::Apps,
            "crisis" => Tab::Crisis,
            "held" => Tab::Held,
            "diagnostics" => Tab::Diagnostics,
            _ => Tab::Hours,
        }
    }
}

/// Shows the window, in front, on `tab`.
pub fn show<R: Runtime>(app: &AppHandle<R>, tab: Tab) {
    let Some(window) = app.get_webview_window(LABEL) else {
        tracing::error!("the settings window is gone");
        return;
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

/// Hides the window (closing it only hides it).
pub fn hide<R: Runtime>(app: &AppHandle<R>, label: &str) {
    if let Some(window) = app.get_webview_window(label) {
        if let Err(e) = window.hide() {
            tracing::error!("cannot hide the settings window: {e}");
        }
    }
}

/// Shows the window whenever the control interface is asked to (a second start of the
/// app asks the first one this way).
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
