//! The control interface: how the CLI and the tray app talk to a running gate, on the
//! session bus as `org.couper.Couper` (`/org/couper/Couper`, interface
//! `org.couper.Couper1`). The name is also the single-instance lock: one gate per
//! session. Answers are JSON strings (the types of `service.rs`, serialized), so any tool
//! can read them; the interface only translates and calls the live service.
//!
//! The tray app owns a second name, `org.couper.Couper.App` ([`APP_NAME`]), whether its
//! gate runs in it or it is the front door of a headless `couper run`: one app per
//! session. A second start asks it to show its window ([`AppProxy::open_window`]).

use crate::engine::OnCallRequest;
use crate::live::{Live, ModeError};
use crate::settings::form::{form_of, settings_of, FieldError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use zbus::object_server::SignalEmitter;

/// The bus name of a running gate.
pub const NAME: &str = "org.couper.Couper";
/// Its object path.
pub const PATH: &str = "/org/couper/Couper";

/// The bus name the tray app owns while it runs (its own lock: one app per session).
pub const APP_NAME: &str = "org.couper.Couper.App";
/// The app's object path.
pub const APP_PATH: &str = "/org/couper/Couper/App";
/// The app's interface.
pub const APP_INTERFACE: &str = "org.couper.App1";

/// The D-Bus error name of a settings form that does not validate; its message is the
/// JSON list of [`FieldError`]s (`[{ "key": "hours.mon", "message": "…" }]`).
pub const INVALID_FORM: &str = "org.couper.Couper1.Error.Invalid";
/// The D-Bus error names of a refused request (an unknown mode, a date that is not one, a
/// settings file that does not validate on disk): the message says why.
pub const REFUSED: [&str; 2] = [
    "org.freedesktop.DBus.Error.InvalidArgs",
    "org.couper.Couper1.Error.Refused",
];
/// The D-Bus error name of a settings file that could not be written.
pub const IO_FAILED: &str = "org.couper.Couper1.Error.Io";

/// The settings as a front end shows them: the form, the file, the last refusal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SettingsView {
    /// The settings in force, in the layout of `settings.toml`.
    #[cfg_attr(feature = "ts", ts(type = "Record<string, unknown>"))]
    pub form: Value,
    /// The settings file.
    pub path: PathBuf,
    /// The last refusal of a hand edit, while the file stays refused.
    pub refused: Option<String>,
}

impl SettingsView {
    /// The view of what `live` has in force now.
    pub fn of(live: &Live) -> SettingsView {
        SettingsView {
            form: form_of(&live.settings()),
            path: live.settings_path().to_path_buf(),
            refused: live.status().settings_refused,
        }
    }
}

/// Why an edited form was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// It does not validate: what is wrong with which field.
    #[error("the settings are not valid")]
    Invalid(Vec<FieldError>),
    /// The file could not be written, or (`InvalidData`) the file on disk does not
    /// validate and is left to the user.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Validates `form`, saves it atomically (keeping the user's comments) and reloads it:
/// the new settings are in force when it returns.
pub fn save_form(live: &Live, form: &Value) -> Result<(), SaveError> {
    let settings = settings_of(form).map_err(SaveError::Invalid)?;
    crate::settings::save(live.settings_path(), &settings)?;
    live.reload_settings();
    Ok(())
}

/// Makes `app` a work app (held off hours), saved as [`save_form`] does. Returns the new
/// form.
pub fn add_work_app(live: &Live, app: &str) -> Result<Value, SaveError> {
    let mut form = form_of(&live.settings());
    let entry = serde_json::json!({ "name": app, "app": app });
    match form.get_mut("work_apps").and_then(Value::as_array_mut) {
        Some(apps) => apps.push(entry),
        None => form["work_apps"] = Value::Array(vec![entry]),
    }
    save_form(live, &form)?;
    Ok(form_of(&live.settings()))
}

/// The errors of the methods that save settings, as D-Bus errors: [`INVALID_FORM`],
/// `…Error.Refused`, [`IO_FAILED`].
#[derive(Debug, zbus::DBusError)]
#[zbus(prefix = "org.couper.Couper1.Error")]
pub enum FormError {
    /// The bus failed.
    #[zbus(error)]
    ZBus(zbus::Error),
    /// The form does not validate: the JSON list of [`FieldError`]s.
    Invalid(String),
    /// The file on disk does not validate: it is left to the user.
    Refused(String),
    /// The file could not be written.
    Io(String),
}

impl From<SaveError> for FormError {
    fn from(e: SaveError) -> FormError {
        match e {
            SaveError::Invalid(fields) => {
                FormError::Invalid(serde_json::to_string(&fields).unwrap_or_default())
            }
            SaveError::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                FormError::Refused(e.to_string().replace('\n', "; "))
            }
            SaveError::Io(e) => FormError::Io(e.to_string()),
        }
    }
}

/// The served object.
pub struct Control {
    live: Arc<Live>,
}

impl Control {
    /// Serves `live`.
    pub fn new(live: Arc<Live>) -> Control {
        Control { live }
    }
}

fn failed(e: impl std::fmt::Display) -> zbus::fdo::Error {
    zbus::fdo::Error::Failed(e.to_string())
}

fn refused(e: impl std::fmt::Display) -> zbus::fdo::Error {
    zbus::fdo::Error::InvalidArgs(e.to_string())
}

fn json(value: &impl serde::Serialize) -> zbus::fdo::Result<String> {
    serde_json::to_string(value).map_err(failed)
}

#[zbus::interface(name = "org.couper.Couper1")]
impl Control {
    /// Mode, working or not, on call, next transition, held count, route (JSON).
    async fn status(&self) -> zbus::fdo::Result<String> {
        json(&self.live.status())
    }

    /// `off`, `on`, `auto` or `toggle`, with an optional end (`""`: none). Returns the
    /// new status.
    async fn set_mode(&self, mode: &str, until: &str) -> zbus::fdo::Result<String> {
        self.live.set_mode(mode, until).map_err(|e| match e {
            ModeError::Refused(why) => refused(why),
            ModeError::Store(e) => failed(e),
        })?;
        json(&self.live.status())
    }

    /// The manual on-call switch, on or off. Returns the new status.
    async fn set_on_call(&self, on: bool) -> zbus::fdo::Result<String> {
        let request = if on {
            OnCallRequest::On
        } else {
            OnCallRequest::Off
        };
        self.live.set_on_call(request).map_err(failed)?;
        json(&self.live.status())
    }

    /// The manual on-call switch the other way round from now, in one step (the tray's
    /// item: no read of the status, then a set, that another front door could come
    /// between). Returns the new status.
    async fn toggle_on_call(&self) -> zbus::fdo::Result<String> {
        self.live
            .set_on_call(OnCallRequest::Toggle)
            .map_err(failed)?;
        json(&self.live.status())
    }

    /// The held queue, oldest first (JSON). Fails once it is over a D-Bus message's
    /// 128 MiB: [`Control::held_page`] always answers.
    async fn held(&self) -> zbus::fdo::Result<String> {
        json(&self.live.held().map_err(failed)?)
    }

    /// A page of the held queue, oldest first: the notifications with an id above
    /// `after`, at most 16 MiB of their text (JSON), and the id to ask the next page
    /// after (0: this was the last). Start with 0.
    async fn held_page(&self, after: u32) -> zbus::fdo::Result<(String, u32)> {
        self.live.held_page(after).map_err(failed)
    }

    /// Releases `ids`, or all with `all`. Returns how many were released.
    async fn release(&self, ids: Vec<u32>, all: bool) -> zbus::fdo::Result<u32> {
        self.live.release(ids, all).map_err(failed)
    }

    /// Drops a held notification without showing it.
    async fn dismiss(&self, id: u32) -> zbus::fdo::Result<()> {
        self.live.dismiss(id).map_err(failed)
    }

    /// The decision and reason for notification `id` (JSON; `null` when unknown).
    async fn explain(&self, id: u32) -> zbus::fdo::Result<String> {
        json(&self.live.explain(id).map_err(failed)?)
    }

    /// Sends an alert through the gate. Returns its id and decision (JSON).
    async fn alert(&self, title: &str, body: &str, crisis: bool) -> zbus::fdo::Result<String> {
        json(&self.live.alert(title, body, crisis).map_err(failed)?)
    }

    /// The apps seen recently, newest first (JSON).
    async fn seen_apps(&self) -> zbus::fdo::Result<String> {
        json(&self.live.seen_apps().map_err(failed)?)
    }

    /// The auto-reply text in `lang` (`fr`, `en`, or `""` for the gate's locale), with
    /// the next start of working time in words (SPEC §8).
    async fn reply(&self, lang: &str) -> zbus::fdo::Result<String> {
        let lang = crate::reply::lang(lang, crate::words::Lang::from_env()).map_err(refused)?;
        Ok(self.live.reply(lang))
    }

    /// A report or the on-call statement: `query` is a JSON [`crate::report::Query`]
    /// (`{"period": {"month": "2026-10"}, "on_call": true, "format": "csv"}`). Returns
    /// JSON, text or CSV as asked.
    async fn report(&self, query: &str) -> zbus::fdo::Result<String> {
        // Refused in the language the query asks for, else the gate's.
        let lang = self.live.lang();
        let query = crate::report::Query::from_json(query).map_err(|e| refused(e.said(lang)))?;
        let lang = query.lang.unwrap_or(lang);
        let live = self.live.clone();
        tokio::task::spawn_blocking(move || live.report(&query))
            .await
            .map_err(failed)?
            .map_err(|e| match e {
                crate::report::ReportError::Store(_) => failed(e),
                other => refused(other.said(lang)),
            })
    }

    /// Erases the history before `before` (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or RFC 3339
    /// in the gate's zone), or all of it with exactly `"all"`; an empty or blank date
    /// (`""`, `"   "`) is refused (`InvalidArgs`). Returns how many decisions were erased.
    async fn forget(&self, before: &str) -> zbus::fdo::Result<u32> {
        match self.live.forget(before) {
            Ok(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
            Err(e @ crate::live::ForgetError::Date(_)) => Err(refused(e)),
            Err(e) => Err(failed(e)),
        }
    }

    /// The settings in force as the settings window edits them (JSON `{ form, path,
    /// refused }`: the form in the layout of `settings.toml`, the file, the last refusal of
    /// a hand edit).
    async fn settings(&self) -> zbus::fdo::Result<String> {
        json(&SettingsView::of(&self.live))
    }

    /// Validates an edited form (JSON, as [`Control::settings`] gives it), saves it
    /// atomically keeping the user's comments, and reloads it: the new settings are in
    /// force when the call returns. A form that does not validate is refused with
    /// [`INVALID_FORM`] and the fields' errors.
    async fn save_settings(&self, form: &str) -> Result<(), FormError> {
        let form: Value = serde_json::from_str(form).map_err(|e| {
            let why = e.to_string();
            FormError::Refused(crate::t!(
                self.live.lang(),
                "request-form-not-json",
                why = why
            ))
        })?;
        let live = self.live.clone();
        // Saving reads, writes and compiles the settings: off the bus's async threads.
        tokio::task::spawn_blocking(move || save_form(&live, &form))
            .await
            .map_err(|e| FormError::Io(e.to_string()))??;
        Ok(())
    }

    /// Makes `app` a work app (held off hours) and saves, as `SaveSettings` does.
    /// Returns the new form (JSON).
    async fn add_work_app(&self, app: &str) -> Result<String, FormError> {
        let (live, app) = (self.live.clone(), app.to_string());
        let form = tokio::task::spawn_blocking(move || add_work_app(&live, &app))
            .await
            .map_err(|e| FormError::Io(e.to_string()))??;
        Ok(serde_json::to_string(&form).unwrap_or_default())
    }

    /// Shows the tray app's window on `tab` (`hours`, `apps`, `crisis`, `held`,
    /// `diagnostics`): what a second start of the app asks of the first one. Refused by a
    /// gate without a window (`couper run`).
    async fn open_window(&self, tab: &str) -> zbus::fdo::Result<()> {
        if self.live.open_window(tab) {
            Ok(())
        } else {
            Err(zbus::fdo::Error::NotSupported(crate::t!(
                self.live.lang(),
                "request-no-window"
            )))
        }
    }

    /// After Couper failed open (no display daemon could start, or a daemon the user
    /// started holds the name): tries again to stand in front of the display; with
    /// `replace`, puts Couper in front of the daemon the user started (their consent).
    /// Returns the new status; it says whether it worked (`not_gating`).
    async fn retry(&self, replace: bool) -> zbus::fdo::Result<String> {
        if replace {
            self.live.take_over();
        } else {
            self.live.retry();
        }
        json(&self.live.status())
    }

    /// Emitted with the new status (JSON) whenever mode, working time, on call or the
    /// held count change.
    #[zbus(signal)]
    pub async fn state_changed(emitter: &SignalEmitter<'_>, status: &str) -> zbus::Result<()>;
}

/// The whole held queue of a running Couper as one JSON list, oldest first, read page
/// by page however big it is (one D-Bus message carries at most 128 MiB).
pub async fn held_all(couper: &CouperProxy<'_>) -> zbus::Result<String> {
    let mut all = String::from("[");
    let mut after = 0;
    loop {
        let (page, next) = couper.held_page(after).await?;
        // Each page is a JSON list: its items join the whole one's.
        let items = page
            .trim()
            .strip_prefix('[')
            .and_then(|p| p.strip_suffix(']'))
            .ok_or_else(|| zbus::Error::Failure("HeldPage: not a JSON list".into()))?;
        if !items.trim().is_empty() {
            if all.len() > 1 {
                all.push(',');
            }
            all.push_str(items);
        }
        if next == 0 || next <= after {
            all.push(']');
            return Ok(all);
        }
        after = next;
    }
}

/// The client side, for the CLI and other tools.
#[zbus::proxy(
    interface = "org.couper.Couper1",
    default_service = "org.couper.Couper",
    default_path = "/org/couper/Couper"
)]
pub trait Couper {
    /// See [`Control::status`].
    fn status(&self) -> zbus::Result<String>;
    /// See [`Control::held_page`].
    fn held_page(&self, after: u32) -> zbus::Result<(String, u32)>;
    /// See [`Control::set_mode`].
    fn set_mode(&self, mode: &str, until: &str) -> zbus::Result<String>;
    /// See [`Control::set_on_call`].
    fn set_on_call(&self, on: bool) -> zbus::Result<String>;
    /// See [`Control::toggle_on_call`].
    fn toggle_on_call(&self) -> zbus::Result<String>;
    /// See [`Control::held`].
    fn held(&self) -> zbus::Result<String>;
    /// See [`Control::release`].
    fn release(&self, ids: &[u32], all: bool) -> zbus::Result<u32>;
    /// See [`Control::dismiss`].
    fn dismiss(&self, id: u32) -> zbus::Result<()>;
    /// See [`Control::explain`].
    fn explain(&self, id: u32) -> zbus::Result<String>;
    /// See [`Control::alert`].
    fn alert(&self, title: &str, body: &str, crisis: bool) -> zbus::Result<String>;
    /// See [`Control::seen_apps`].
    fn seen_apps(&self) -> zbus::Result<String>;
    /// See [`Control::reply`].
    fn reply(&self, lang: &str) -> zbus::Result<String>;
    /// See [`Control::report`].
    fn report(&self, query: &str) -> zbus::Result<String>;
    /// See [`Control::forget`].
    fn forget(&self, before: &str) -> zbus::Result<u32>;
    /// See [`Control::settings`].
    fn settings(&self) -> zbus::Result<String>;
    /// See [`Control::save_settings`].
    fn save_settings(&self, form: &str) -> zbus::Result<()>;
    /// See [`Control::add_work_app`].
    fn add_work_app(&self, app: &str) -> zbus::Result<String>;
    /// See [`Control::open_window`].
    fn open_window(&self, tab: &str) -> zbus::Result<()>;
    /// See [`Control::retry`].
    fn retry(&self, replace: bool) -> zbus::Result<String>;
    /// See [`Control::state_changed`].
    #[zbus(signal)]
    fn state_changed(&self, status: &str) -> zbus::Result<()>;
}

/// The tray app's own interface ([`APP_NAME`] at [`APP_PATH`]), served by the app.
#[zbus::proxy(
    interface = "org.couper.App1",
    default_service = "org.couper.Couper.App",
    default_path = "/org/couper/Couper/App"
)]
pub trait App {
    /// Shows the app's window, in front, on `tab` (`hours`, `apps`, `crisis`, `held`,
    /// `report`, `diagnostics`): what a second start of the app asks of the first one.
    fn open_window(&self, tab: &str) -> zbus::Result<()>;
}

/// The pid of the tray app whose own gate runs in this session: the process that owns
/// both [`NAME`] and [`APP_NAME`]. `None` when no gate runs, when the gate is a headless
/// `couper run` (an app in front of it owns only [`APP_NAME`]), or when the bus cannot
/// tell.
pub async fn app_gate(conn: &zbus::Connection) -> Option<u32> {
    let dbus = zbus::fdo::DBusProxy::new(conn).await.ok()?;
    let pid = |name: &'static str| {
        let dbus = dbus.clone();
        async move {
            let name = zbus::names::BusName::try_from(name).ok()?;
            dbus.get_connection_unix_process_id(name).await.ok()
        }
    };
    let gate = pid(NAME).await?;
    (pid(APP_NAME).await? == gate).then_some(gate)
}
