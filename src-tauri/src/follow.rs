//! Follows the gate's state: whenever it changes, whatever changed it (the schedule, the
//! CLI, the window, the tray), the tray is redrawn and the window is told
//! (`status-changed`, and `settings-changed` when the settings did). It waits on the
//! gate's changes: the in-process gate's notification, or a headless gate's `StateChanged`
//! signal; the only timer is local midnight, when "Tue 09:00" becomes "09:00".

use crate::backend::Backend;
use crate::commands::SettingsView;
use crate::tray::{look::Look, Tray};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};

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

/// Shows the state now in the tray, if there is one. Redraws take turns, each reading the
/// state when its turn comes: the last one shows the latest state.
pub async fn redraw_tray<R: Runtime>(app: &AppHandle<R>, backend: &Backend) {
    let Some(tray) = app.try_state::<Tray<R>>() else {
        return;
    };
    let _turn = tray.redrawing.lock().await;
    let shown = match look_now(backend).await {
        Ok(look) => tray.show(&look).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if let Err(e) = shown {
        tracing::error!("tray: {e}");
    }
}

/// What the tray shows now.
pub async fn look_now(backend: &Backend) -> Result<Look, crate::CommandError> {
    let status = backend.status().await?;
    let lang = backend.lang().await;
    let look = Look::of(
        &status.status.state,
        &backend.zone(&status),
        Timestamp::now(),
        lang,
    )
    .not_gating(status.not_gating.as_ref(), lang);
    Ok(if backend.is_remote() {
        look.in_front_of_couper_run(lang)
    } else {
        look
    })
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
