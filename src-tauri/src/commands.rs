//! The window's commands, one per row of docs/ipc.md, each a few lines over the live
//! service. No rule lives here: validation, previews and decisions come from `couper`.

use crate::error::CommandError;
use couper::live::{Live, LiveStatus};
use couper::service::Preview;
use couper::settings::form::{form_of, settings_of, FieldError};
use couper::store::{Held, SeenApp};
use couper::words::Lang;
use serde::Serialize;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;
use tauri::State;
use tauri_plugin_autostart::AutoLaunchManager;

type Result<T> = std::result::Result<T, CommandError>;

/// The settings as the window shows them (`get_settings`, the `settings-changed` event).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingsView {
    /// The settings in force, in the layout of `settings.toml`.
    pub form: Value,
    /// The settings file.
    pub path: PathBuf,
    /// The last refusal of a hand edit, while the file stays refused.
    pub refused: Option<String>,
}

impl SettingsView {
    /// The view of what `live` has in force now.
    pub fn of(live: &Live) -> SettingsView {
        let status = live.status();
        SettingsView {
            form: form_of(&live.settings()),
            path: status.settings_path,
            refused: status.settings_refused,
        }
    }
}

/// Mode, working or not, on call, held count, route: `couper status --json`.
#[tauri::command]
pub async fn status(live: State<'_, Arc<Live>>) -> Result<LiveStatus> {
    Ok(live.status())
}

/// `off`, `on`, `auto` or `toggle`, with an optional end as the user typed it.
#[tauri::command]
pub async fn set_mode(
    live: State<'_, Arc<Live>>,
    mode: String,
    until: Option<String>,
) -> Result<LiveStatus> {
    live.set_mode(&mode, until.as_deref().unwrap_or(""))
        .map_err(|message| CommandError::Refused { message })?;
    Ok(live.status())
}

/// The manual on-call toggle.
#[tauri::command]
pub async fn set_on_call(live: State<'_, Arc<Live>>, on: bool) -> Result<LiveStatus> {
    live.set_on_call(on)?;
    Ok(live.status())
}

/// The held queue, oldest first.
#[tauri::command]
pub async fn held(live: State<'_, Arc<Live>>) -> Result<Vec<Held>> {
    Ok(live.held()?)
}

/// Releases `ids`, or all of them; says how many.
#[tauri::command]
pub async fn release(live: State<'_, Arc<Live>>, ids: Vec<u32>, all: bool) -> Result<u32> {
    Ok(live.release(ids, all)?)
}

/// Drops a held notification without showing it.
#[tauri::command]
pub async fn dismiss(live: State<'_, Arc<Live>>, id: u32) -> Result<()> {
    Ok(live.dismiss(id)?)
}

/// The apps seen recently, newest first.
#[tauri::command]
pub async fn seen_apps(live: State<'_, Arc<Live>>) -> Result<Vec<SeenApp>> {
    Ok(live.seen_apps()?)
}

/// The settings in force, their file, and the last refusal of a hand edit.
#[tauri::command]
pub async fn get_settings(live: State<'_, Arc<Live>>) -> Result<SettingsView> {
    Ok(SettingsView::of(&live))
}

/// What the engine says of an edited form: nothing when it is valid.
#[tauri::command]
pub async fn validate_settings(form: Value) -> Result<Vec<FieldError>> {
    Ok(settings_of(&form).err().unwrap_or_default())
}

/// Where the schedule of an edited form goes next, from now.
#[tauri::command]
pub async fn preview(form: Value) -> Result<Preview> {
    let settings = settings_of(&form)?;
    Ok(couper::service::preview(
        &settings,
        jiff::Timestamp::now(),
        Lang::from_env(),
    ))
}

/// Validates and saves an edited form (atomically, keeping the user's comments); the
/// new settings are in force when it returns.
#[tauri::command]
pub async fn save_settings(live: State<'_, Arc<Live>>, form: Value) -> Result<()> {
    save(&live, &form)
}

fn save(live: &Live, form: &Value) -> Result<()> {
    let settings = settings_of(form)?;
    couper::settings::save(live.settings_path(), &settings)?;
    live.reload_settings();
    Ok(())
}

/// Makes a seen app a work app (held off hours), and returns the new form.
#[tauri::command]
pub async fn add_work_app(live: State<'_, Arc<Live>>, app: String) -> Result<Value> {
    let mut form = form_of(&live.settings());
    let entry = serde_json::json!({ "name": app, "app": app });
    match form.get_mut("work_apps").and_then(Value::as_array_mut) {
        Some(apps) => apps.push(entry),
        None => form["work_apps"] = Value::Array(vec![entry]),
    }
    save(&live, &form)?;
    Ok(form_of(&live.settings()))
}

/// The status, for the diagnostics tab (route, display daemon, settings path, refusal).
#[tauri::command]
pub async fn diagnostics(live: State<'_, Arc<Live>>) -> Result<LiveStatus> {
    Ok(live.status())
}

/// Whether Couper starts with the session.
#[tauri::command]
pub async fn get_autostart(autostart: State<'_, AutoLaunchManager>) -> Result<bool> {
    Ok(autostart.is_enabled()?)
}

/// Starts Couper with the session, or not; returns the state now.
#[tauri::command]
pub async fn set_autostart(autostart: State<'_, AutoLaunchManager>, on: bool) -> Result<bool> {
    if on {
        autostart.enable()?;
    } else {
        autostart.disable()?;
    }
    Ok(autostart.is_enabled()?)
}

/// The window's language, from the system locale.
#[tauri::command]
pub async fn locale() -> Result<Lang> {
    Ok(Lang::from_env())
}

/// The week's report (`period: "week"`) or a month's on-call statement
/// (`period: "month"`), as the objects of `couper report --json`.
#[tauri::command]
pub async fn report(
    live: State<'_, Arc<Live>>,
    period: String,
    month: Option<String>,
) -> Result<Value> {
    let query = json!({
        "period": match period.as_str() {
            "week" => json!({ "week": null }),
            "month" => json!({ "month": month }),
            other => return Err(invalid("period", format!("{other:?} is neither \"week\" nor \"month\""))),
        },
        "on_call": period == "month",
    });
    let query = serde_json::from_value(query).map_err(|e| invalid("month", e.to_string()))?;
    let text = live.report(&query).map_err(report_error)?;
    serde_json::from_str(&text).map_err(|e| CommandError::Store {
        message: e.to_string(),
    })
}

/// A month's on-call statement as CSV text.
#[tauri::command]
pub async fn report_csv(
    live: State<'_, Arc<Live>>,
    month: String,
    lang: Option<Lang>,
) -> Result<String> {
    let query = json!({
        "period": { "month": month },
        "on_call": true,
        "format": "csv",
        "lang": lang,
    });
    let query = serde_json::from_value(query).map_err(|e| invalid("month", e.to_string()))?;
    live.report(&query).map_err(report_error)
}

/// The auto-reply text.
#[tauri::command]
pub async fn reply(live: State<'_, Arc<Live>>, lang: Option<Lang>) -> Result<String> {
    Ok(live.reply(lang.unwrap_or_else(Lang::from_env)))
}

fn invalid(key: &str, message: String) -> CommandError {
    CommandError::Invalid {
        fields: vec![FieldError {
            key: key.into(),
            message,
        }],
    }
}

fn report_error(e: couper::report::ReportError) -> CommandError {
    match e {
        couper::report::ReportError::Period(message) => invalid("month", message),
        other => CommandError::Store {
            message: other.to_string(),
        },
    }
}
