//! Follows the live state: whenever it changes, whatever changed it (the schedule, the
//! CLI, the window, the tray), the tray is redrawn and the window is told
//! (`status-changed`, and `settings-changed` when the settings did). It waits on the live
//! service's change notification; the only timer is local midnight, when "Tue 09:00"
//! becomes "09:00".

use crate::commands::SettingsView;
use crate::tray::{look::Look, Tray};
use couper::live::Live;
use couper::settings::Settings;
use couper::words::Lang;
use jiff::Timestamp;
use std::sync::Arc;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// Runs until the live service is gone.
pub async fn follow<R: Runtime>(app: AppHandle<R>, live: Arc<Live>) {
    let mut changes = live.subscribe();
    let mut settings: (Settings, Option<String>) =
        (live.settings(), live.status().settings_refused);
    loop {
        redraw_tray(&app, &live);
        let status = live.status();
        let now = (live.settings(), status.settings_refused.clone());
        if let Err(e) = app.emit("status-changed", &status) {
            tracing::warn!("status-changed: {e}");
        }
        if now != settings {
            settings = now;
            if let Err(e) = app.emit("settings-changed", SettingsView::of(&live)) {
                tracing::warn!("settings-changed: {e}");
            }
        }
        tokio::select! {
            changed = changes.changed() => if changed.is_err() { return },
            () = tokio::time::sleep(until_midnight(&live)) => {}
        }
    }
}

/// Shows the state now in the tray, if there is one.
pub fn redraw_tray<R: Runtime>(app: &AppHandle<R>, live: &Live) {
    let Some(tray) = app.try_state::<Tray<R>>() else {
        return;
    };
    if let Err(e) = tray.show(&look_now(live)) {
        tracing::error!("tray: {e}");
    }
}

/// What the tray shows now.
pub fn look_now(live: &Live) -> Look {
    let status = live.status();
    Look::of(
        &status.status.state,
        &live.settings().timezone,
        Timestamp::now(),
        Lang::from_env(),
    )
}

/// How long until the next local midnight, in the user's zone.
fn until_midnight(live: &Live) -> Duration {
    let now = Timestamp::now();
    let midnight = now
        .to_zoned_datetime(live.settings().timezone)
        .tomorrow()
        .and_then(|day| day.start_of_day());
    match midnight {
        Ok(midnight) => now
            .duration_until(midnight.timestamp())
            .unsigned_abs()
            .max(Duration::from_secs(1)),
        Err(_) => Duration::from_secs(3600),
    }
}
