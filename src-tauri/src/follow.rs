//! Follows the gate's state: whenever it changes, whatever changed it (the schedule, the
//! CLI, the window, the tray), the tray is redrawn and the window is told
//! (`status-changed`, and `settings-changed` when the settings did). It waits on the
//! gate's changes: the in-process gate's notification, or a headless gate's `StateChanged`
//! signal; the only timer is local midnight, when "Tue 09:00" becomes "09:00".

use crate::backend::Backend;
use crate::commands::SettingsView;
use crate::tray::redraw_tray;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Runtime};

/// Runs until the gate is gone.
pub async fn follow<R: Runtime>(app: AppHandle<R>, backend: Backend) {
    let mut changes = match backend.changes().await {
        Ok(changes) => changes,
        Err(e) => {
            tracing::error!("cannot follow the gate: {e}");
            return;
        }
    };
    let mut settings: Option<SettingsView> = backend.settings().await.ok();
    loop {
        redraw_tray(&app, &backend).await;
        let zone = match backend.status().await {
            Ok(status) => {
                if let Err(e) = app.emit("status-changed", &status) {
                    tracing::warn!("status-changed: {e}");
                }
                Some(backend.zone(&status))
            }
            Err(e) => {
                tracing::warn!("status: {e}");
                None
            }
        };
        if let Ok(now) = backend.settings().await {
            if settings.as_ref() != Some(&now) {
                if let Err(e) = app.emit("settings-changed", &now) {
                    tracing::warn!("settings-changed: {e}");
                }
                settings = Some(now);
            }
        }
        tokio::select! {
            changed = changes.next() => if !changed { return },
            () = tokio::time::sleep(until_midnight(zone)) => {}
        }
    }
}

/// How long until the next local midnight in `zone` (an hour when it is not known).
fn until_midnight(zone: Option<TimeZone>) -> Duration {
    let Some(zone) = zone else {
        return Duration::from_secs(3600);
    };
    let now = Timestamp::now();
    let midnight = now
        .to_zoned_datetime(zone)
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
