//! The window's commands, one per row of docs/ipc.md, each a few lines over the gate the
//! app drives ([`Backend`]: in this process, or a headless `couper run` over its control
//! interface). No rule lives here: validation, previews and decisions come from `couper`.

use crate::backend::Backend;
use crate::error::CommandError;
use couper::live::LiveStatus;
use couper::service::Preview;
use couper::settings::form::{settings_of, FieldError};
use couper::store::{Held, SeenApp};
use couper::words::Lang;
use serde_json::{json, Value};
use tauri::State;
use tauri_plugin_autostart::AutoLaunchManager;

pub use couper::control::SettingsView;

type Result<T> = std::result::Result<T, CommandError>;

/// Mode, working or not, on call, held count, route: `couper status --json`.
#[tauri::command]
pub async fn status(backend: State<'_, Backend>) -> Result<LiveStatus> {
    backend.status().await
}

/// `off`, `on`, `auto` or `toggle`, with an optional end as the user typed it.
#[tauri::command]
pub async fn set_mode(
    backend: State<'_, Backend>,
    mode: String,
    until: Option<String>,
) -> Result<LiveStatus> {
    backend
        .set_mode(&mode, until.as_deref().unwrap_or(""))
        .await
}

/// The manual on-call toggle.
#[tauri::command]
pub async fn set_on_call(backend: State<'_, Backend>, on: bool) -> Result<LiveStatus> {
    backend.set_on_call(on).await
}

/// After Couper failed open: try again, or (`replace`) put Couper in front of the
/// daemon the user started.
#[tauri::command]
pub async fn retry(backend: State<'_, Backend>, replace: bool) -> Result<LiveStatus> {
    backend.retry(replace).await
}

/// The held queue, oldest first.
#[tauri::command]
pub async fn held(backend: State<'_, Backend>) -> Result<Vec<Held>> {
    backend.held().await
}

/// Releases `ids`, or all of them; says how many.
#[tauri::command]
pub async fn release(backend: State<'_, Backend>, ids: Vec<u32>, all: bool) -> Result<u32> {
    backend.release(ids, all).await
}

/// Drops a held notification without showing it.
#[tauri::command]
pub async fn dismiss(backend: State<'_, Backend>, id: u32) -> Result<()> {
    backend.dismiss(id).await
}

/// The apps seen recently, newest first.
#[tauri::command]
pub async fn seen_apps(backend: State<'_, Backend>) -> Result<Vec<SeenApp>> {
    backend.seen_apps().await
}

/// The settings in force, their file, and the last refusal of a hand edit.
#[tauri::command]
pub async fn get_settings(backend: State<'_, Backend>) -> Result<SettingsView> {
    backend.settings().await
}

/// What the engine says of an edited form: nothing when it is valid.
#[tauri::command]
pub async fn validate_settings(form: Value) -> Result<Vec<FieldError>> {
    Ok(settings_of(&form).err().unwrap_or_default())
}

/// Where the schedule of an edited form goes next, from now.
#[tauri::command]
pub async fn preview(backend: State<'_, Backend>, form: Value) -> Result<Preview> {
    let settings = settings_of(&form)?;
    // In the window's language, the one in force (not the draft's, until it is saved).
    let lang = backend.lang().await;
    Ok(couper::service::preview(
        &settings,
        jiff::Timestamp::now(),
        lang,
    ))
}

/// Validates and saves an edited form (atomically, keeping the user's comments); the
/// new settings are in force when it returns.
#[tauri::command]
pub async fn save_settings(backend: State<'_, Backend>, form: Value) -> Result<()> {
    backend.save_settings(&form).await
}

/// Makes a seen app a work app (held off hours), and returns the new form.
#[tauri::command]
pub async fn add_work_app(backend: State<'_, Backend>, app: String) -> Result<Value> {
    backend.add_work_app(&app).await
}

/// Where the user's files are: the app's own (tests manage one), else this user's.
fn browser_dirs<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    lang: Lang,
) -> Result<couper::browser::Dirs> {
    use tauri::Manager;
    if let Some(dirs) = app.try_state::<couper::browser::Dirs>() {
        return Ok(dirs.inner().clone());
    }
    couper::browser::Dirs::from_env().ok_or_else(|| CommandError::Refused {
        message: couper::t!(lang, "browser-no-home"),
    })
}

/// `firefox` or `chromium`, else refused on the `browser` field.
fn browser_named(name: &str, lang: Lang) -> Result<couper::browser::Browser> {
    couper::browser::Browser::from_name(name).ok_or_else(|| {
        let browser = format!("{name:?}");
        invalid(
            "browser",
            couper::t!(lang, "app-not-a-browser", browser = browser),
        )
    })
}

/// Each browser's work profile: installed here or not, made or not, its data's place.
#[tauri::command]
pub async fn browser_profiles<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    backend: State<'_, Backend>,
) -> Result<Vec<couper::browser::ProfileInfo>> {
    let dirs = browser_dirs(&app, backend.lang().await)?;
    backend.browser_profiles(dirs).await
}

/// Makes a browser's work profile (`couper browser add`): its menu entry and its work
/// source. Returns what was made, in words.
#[tauri::command]
pub async fn add_browser_profile<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    backend: State<'_, Backend>,
    browser: String,
) -> Result<String> {
    let lang = backend.lang().await;
    let (dirs, browser) = (browser_dirs(&app, lang)?, browser_named(&browser, lang)?);
    backend.browser_profile(dirs, browser, true).await
}

/// Removes a browser's work profile's menu entry and work source (`couper browser
/// remove`); its data stays. Returns where, in words.
#[tauri::command]
pub async fn remove_browser_profile<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    backend: State<'_, Backend>,
    browser: String,
) -> Result<String> {
    let lang = backend.lang().await;
    let (dirs, browser) = (browser_dirs(&app, lang)?, browser_named(&browser, lang)?);
    backend.browser_profile(dirs, browser, false).await
}

/// The status, for the diagnostics tab (route, display daemon, settings path, refusal).
#[tauri::command]
pub async fn diagnostics(backend: State<'_, Backend>) -> Result<LiveStatus> {
    backend.status().await
}

/// Whether Couper starts with the session.
#[tauri::command]
pub async fn get_autostart(
    backend: State<'_, Backend>,
    autostart: State<'_, AutoLaunchManager>,
) -> Result<bool> {
    match autostart.is_enabled() {
        Ok(on) => Ok(on),
        Err(e) => Err(CommandError::autostart(e, backend.lang().await)),
    }
}

/// Starts Couper with the session, or not; returns the state now.
#[tauri::command]
pub async fn set_autostart(
    backend: State<'_, Backend>,
    autostart: State<'_, AutoLaunchManager>,
    on: bool,
) -> Result<bool> {
    let set = if on {
        autostart.enable()
    } else {
        autostart.disable()
    };
    match set.and_then(|()| autostart.is_enabled()) {
        Ok(on) => Ok(on),
        Err(e) => Err(CommandError::autostart(e, backend.lang().await)),
    }
}

/// The window's language: the settings' `language` when set, else the system locale's,
/// as the tray speaks.
#[tauri::command]
pub async fn locale(backend: State<'_, Backend>) -> Result<Lang> {
    Ok(backend.lang().await)
}

/// The week's report (`period: "week"`) or a month's on-call statement
/// (`period: "month"`), as the objects of `couper report --json`.
#[tauri::command]
pub async fn report(
    backend: State<'_, Backend>,
    period: String,
    month: Option<String>,
) -> Result<Value> {
    let query = json!({
        "period": match period.as_str() {
            "week" => json!({ "week": null }),
            "month" => json!({ "month": month }),
            other => {
                let period = format!("{other:?}");
                let lang = backend.lang().await;
                return Err(invalid("period", couper::t!(lang, "app-not-a-period", period = period)));
            }
        },
        "on_call": period == "month",
    });
    let text = backend.report(&query).await?;
    serde_json::from_str(&text).map_err(|e| CommandError::Store {
        message: e.to_string(),
    })
}

/// A month's on-call statement as CSV text.
#[tauri::command]
pub async fn report_csv(
    backend: State<'_, Backend>,
    month: String,
    lang: Option<Lang>,
) -> Result<String> {
    let query = json!({
        "period": { "month": month },
        "on_call": true,
        "format": "csv",
        "lang": lang,
    });
    backend.report(&query).await
}

/// The auto-reply text.
#[tauri::command]
pub async fn reply(backend: State<'_, Backend>, lang: Option<Lang>) -> Result<String> {
    let lang = match lang {
        Some(lang) => lang,
        None => backend.lang().await,
    };
    backend.reply(lang).await
}

/// Erases the history: all of it (`before` absent or empty), or what came before a date
/// (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or RFC 3339, in the user's zone). Returns how many
/// decisions were erased.
#[tauri::command]
pub async fn forget(backend: State<'_, Backend>, before: Option<String>) -> Result<u32> {
    backend
        .forget(before.as_deref().unwrap_or(couper::live::FORGET_ALL))
        .await
}

fn invalid(key: &str, message: String) -> CommandError {
    CommandError::Invalid {
        fields: vec![FieldError {
            key: key.into(),
            message,
        }],
    }
}
